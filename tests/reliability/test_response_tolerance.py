"""Off-spec but real-world response bodies: they must parse, and keep what the server sent.

The cases are derived from spec/reward-api.yaml (every Timestamp field, every scalar number or
boolean field of every response model), so a new field is covered without editing this file.
"""

from __future__ import annotations

import datetime
import json
import re
from types import MappingProxyType
from typing import Any

import attrs
import brevo_loyalty_api.models as models
import pytest
from brevo_loyalty_api.models import ExpirationModifier, Reward, RewardStateFilter
from hypothesis import given, settings
from hypothesis import strategies as st

from ._spec import (
    SPEC_PATH,
    assert_json_equivalent,
    component_schemas,
    response_schema_names,
    self_contained,
)

SEED_EXAMPLE = SPEC_PATH.parent / "sources" / "seed-reward-example.json"
EXTRA_KEY = "x-reliability-unknown"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _response_object_schemas() -> dict[str, dict[str, Any]]:
    """Every object schema a response body can contain (response models and their parts)."""
    schemas = component_schemas()
    todo = list(set().union(*response_schema_names().values()))
    reachable: set[str] = set()
    while todo:
        name = todo.pop()
        if name in reachable:
            continue
        reachable.add(name)
        todo.extend(re.findall(r"#/components/schemas/(\w+)", json.dumps(schemas[name])))
    return {
        name: schemas[name]
        for name in reachable
        if schemas[name].get("type") == "object" and "properties" in schemas[name]
    }


def _fields(predicate: Any) -> list[tuple[str, str]]:
    return [
        (name, prop)
        for name, body in sorted(_response_object_schemas().items())
        for prop, sub in sorted(body["properties"].items())
        if predicate(sub)
    ]


TIMESTAMP_FIELDS = _fields(lambda sub: sub.get("$ref") == "#/components/schemas/Timestamp")
SCALAR_FIELDS = _fields(lambda sub: sub.get("type") in ("integer", "number", "boolean"))
MALFORMED_TIMESTAMPS: list[Any] = [
    "",
    None,
    "yesterday",
    "2024-13-45T99:99:99Z",
    "15/01/2024 09:30",
    "2024-01-15T09:30:00 Europe/Paris",
    "0",
]


def _minimal(model_name: str) -> dict[str, Any]:
    """The fields ``model_name`` requires, with placeholder values (the rest may be absent)."""
    schema = component_schemas()[model_name]
    placeholder = {"string": "x", "integer": 0, "array": []}
    return {
        prop: placeholder[schema["properties"][prop]["type"]] for prop in schema.get("required", ())
    }


def _parse_with(model_name: str, prop: str, raw: Any) -> tuple[Any, dict[str, Any]]:
    """Parse the model's required fields plus ``prop: raw``; also return what to_dict() gave
    besides those required fields."""
    model: Any = getattr(models, model_name)
    minimal = _minimal(model_name)
    parsed = model.from_dict({**minimal, prop: raw})
    dumped = parsed.to_dict()
    rest = {key: value for key, value in dumped.items() if key not in minimal or key == prop}
    return parsed, rest


def _attribute(model_name: str, prop: str) -> str:
    fields = attrs.fields_dict(getattr(models, model_name))
    attr = _snake(prop)
    # openapi-python-client appends "_" to names that shadow Python keywords and builtins.
    return attr if attr in fields else attr + "_"


def _with_unknown_keys(value: Any, path: str = "$") -> Any:
    if isinstance(value, dict):
        out = {key: _with_unknown_keys(item, f"{path}.{key}") for key, item in value.items()}
        out[EXTRA_KEY] = {"at": path}
        return out
    if isinstance(value, list):
        return [_with_unknown_keys(item, f"{path}[{i}]") for i, item in enumerate(value)]
    return value


def test_field_tables_are_not_empty() -> None:
    # The parametrised tests below are only as good as these tables.
    assert len(TIMESTAMP_FIELDS) >= 20
    assert ("Reward", "expirationDate") in TIMESTAMP_FIELDS
    assert ("Voucher", "contactId") in SCALAR_FIELDS
    assert ("RewardValidation", "authorize") in SCALAR_FIELDS


def test_unknown_fields_are_kept_at_every_depth() -> None:
    seed = json.loads(SEED_EXAMPLE.read_text(encoding="utf-8"))
    body = _with_unknown_keys(seed)
    reward = Reward.from_dict(body)
    # Every object node, however deep (rule -> condition -> and -> lhs -> array -> expression...),
    # gives back exactly what it received.
    # (Unrolling depth 2 marks every Timestamp of Reward; deeper nodes are compared strictly.)
    assert_json_equivalent(self_contained("Reward"), body, reward.to_dict())
    assert reward.additional_properties[EXTRA_KEY] == {"at": "$"}
    assert isinstance(reward.meta, models.RewardMeta)
    assert reward.meta.additional_properties == {EXTRA_KEY: {"at": "$.meta"}}
    assert isinstance(reward.rule, models.Rule)
    assert isinstance(reward.rule.condition, models.RuleCondition)
    assert isinstance(reward.rule.condition.and_, list)
    first = reward.rule.condition.and_[0]
    assert isinstance(first, models.RuleCondition)
    assert first.additional_properties == {EXTRA_KEY: {"at": "$.rule.condition.and[0]"}}
    assert isinstance(reward.limits, list)
    assert reward.limits[0].additional_properties == {EXTRA_KEY: {"at": "$.limits[0]"}}


REWARD_REQUIRED = {"id": "r-1", "name": "n"}


def test_unknown_enum_value_is_accepted_and_kept() -> None:
    reward = Reward.from_dict({**REWARD_REQUIRED, "expirationModifier": "endOfQuarter"})
    assert isinstance(reward.expiration_modifier, ExpirationModifier)
    assert reward.expiration_modifier == "endOfQuarter"
    assert not ExpirationModifier.is_known(reward.expiration_modifier)
    assert reward.to_dict() == {**REWARD_REQUIRED, "expirationModifier": "endOfQuarter"}
    # Known values still map to the real members.
    known = Reward.from_dict({**REWARD_REQUIRED, "expirationModifier": "endOfPeriod"})
    assert known.expiration_modifier is (ExpirationModifier.ENDOFPERIOD)
    assert RewardStateFilter("archived") == "archived"


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=40))
def test_any_string_enum_value_round_trips(value: str) -> None:
    reward = Reward.from_dict({**REWARD_REQUIRED, "expirationModifier": value})
    assert reward.expiration_modifier == value
    assert reward.to_dict() == {**REWARD_REQUIRED, "expirationModifier": value}


def test_non_string_enum_value_fails_loudly_in_from_dict() -> None:
    # Pinned: a wrongly-typed enum is not silently coerced; the overlay turns this ValueError into
    # a ResponseParseError (test_faults.py::test_structurally_wrong_body_is_response_parse_error).
    with pytest.raises(ValueError, match="ExpirationModifier"):
        Reward.from_dict({**REWARD_REQUIRED, "expirationModifier": 5})


@pytest.mark.parametrize(("model_name", "prop"), TIMESTAMP_FIELDS)
@pytest.mark.parametrize("raw", MALFORMED_TIMESTAMPS, ids=repr)
def test_malformed_timestamp_is_kept_raw(model_name: str, prop: str, raw: Any) -> None:
    parsed, rest = _parse_with(model_name, prop, raw)
    assert getattr(parsed, _attribute(model_name, prop)) == raw
    # to_dict() never sends null: a null timestamp is left out.
    assert rest == ({} if raw is None else {prop: raw})


@pytest.mark.parametrize(("model_name", "prop"), TIMESTAMP_FIELDS)
def test_valid_timestamp_becomes_datetime(model_name: str, prop: str) -> None:
    parsed, rest = _parse_with(model_name, prop, "2024-01-15T09:30:00Z")
    value = getattr(parsed, _attribute(model_name, prop))
    assert value == datetime.datetime(2024, 1, 15, 9, 30, tzinfo=datetime.UTC)
    assert rest == {prop: "2024-01-15T09:30:00+00:00"}


@pytest.mark.parametrize(("model_name", "prop"), SCALAR_FIELDS)
@pytest.mark.parametrize("raw", ["42", "1.5", "true", "", "NaN"])
def test_number_or_bool_sent_as_string_is_kept_as_is(model_name: str, prop: str, raw: str) -> None:
    # Pinned behaviour of the generated models: no coercion and no crash; the attribute holds the
    # string the server sent (its annotation says int/float/bool, so callers must not assume).
    parsed, rest = _parse_with(model_name, prop, raw)
    value = getattr(parsed, _attribute(model_name, prop))
    assert value == raw
    assert type(value) is str
    assert rest == {prop: raw}


def test_every_response_model_accepts_its_required_fields_alone() -> None:
    names = set().union(*response_schema_names().values()) - {"RevokeResult"}
    for name in sorted(names):
        model: Any = getattr(models, name)
        minimal = _minimal(name)
        assert model.from_dict(minimal).to_dict() == minimal, name
        if minimal:
            # An empty object lacks them: refused, naming the model and a required field.
            with pytest.raises(ValueError, match=rf"^{name}\.\w+ is required"):
                model.from_dict({})


OBJECT_MODELS = sorted(_response_object_schemas())


@pytest.mark.parametrize("name", OBJECT_MODELS)
@pytest.mark.parametrize("value", [[], [["id", "x"]], "", None, 0], ids=repr)
def test_a_non_object_is_refused_where_the_spec_wants_an_object(name: str, value: Any) -> None:
    # dict() alone would read [] as an empty model and [["id", "x"]] as {"id": "x"}.
    model: Any = getattr(models, name)
    with pytest.raises(TypeError, match=f"{name} expects a JSON object"):
        model.from_dict(value)


def test_any_mapping_still_parses() -> None:
    reward = Reward.from_dict(MappingProxyType(REWARD_REQUIRED))
    assert reward.id == "r-1"
    assert len(OBJECT_MODELS) >= 20
