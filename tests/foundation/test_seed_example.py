"""The documentation's reward example is valid, is the spec's example, and survives the models."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest
from brevo_loyalty_api.models import (
    CodeGenerator,
    ExpirationModifier,
    Reward,
    RewardLimit,
    Rule,
    RuleCondition,
    RuleNode,
    RuleValue,
)
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from ._helpers import (
    REFERENCE_EXAMPLE_PATH,
    SPEC_PATH,
    iter_operations,
    json_differences,
    load_json,
    load_spec,
    resolve,
    snake_case,
)

SPEC_URI = "urn:brevo-loyalty:reward-api"


def _validator_for(schema_name: str) -> OAS31Validator:
    """An OAS 3.1 validator (with format checks) for one component schema, refs resolved."""
    spec = load_spec()
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
    return OAS31Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/{schema_name}"},
        registry=registry,
        format_checker=oas31_format_checker,
    )


def _seed() -> Any:
    return load_json(REFERENCE_EXAMPLE_PATH)


def test_seed_example_validates_against_reward_schema() -> None:
    errors = [
        f"{error.json_path}: {error.message}"
        for error in _validator_for("Reward").iter_errors(_seed())
    ]
    assert errors == []


@pytest.mark.parametrize(
    ("pointer", "bad_value"),
    [
        (("expirationModifier",), "sometimes"),
        (("startDate",), 20240115),
        (("limits", 0, "limitValue"), "one"),
        (("rule", "condition", "and", 0, "and"), [7]),
        (("rule", "condition", "lhs", "expression", "args", 0, "int"), 1.5),
    ],
)
def test_reward_validator_is_not_vacuous(pointer: tuple[str | int, ...], bad_value: Any) -> None:
    # If the $refs did not resolve (or the schema were empty) the test above would pass on
    # anything; these deep mutations must each be rejected.
    document = copy.deepcopy(_seed())
    target = document
    for part in pointer[:-1]:
        target = target[part]
    target[pointer[-1]] = bad_value
    error_paths = [
        tuple(error.absolute_path) for error in _validator_for("Reward").iter_errors(document)
    ]
    # Rejected at the mutated node, or at the anyOf around it (whose branches all failed).
    assert error_paths, f"{pointer} = {bad_value!r} was accepted"
    assert all(pointer[: len(path)] == path for path in error_paths), error_paths


def test_validator_checks_formats() -> None:
    # Format checking must be on, or a `format: uuid`/`date-time` would be decoration only.
    request = {"rewardId": "4b6f1a2c-0d7e-4f39-9a51-3c2e8d0b7a10"}
    assert _validator_for("CreateVoucherRequest").is_valid(request)
    assert not _validator_for("CreateVoucherRequest").is_valid({"rewardId": "not-a-uuid"})
    assert not _validator_for("Order").is_valid({"createdAt": "yesterday"})


def test_seed_is_the_documented_example_of_get_reward() -> None:
    spec = load_spec()
    (op,) = [op for op in iter_operations(spec) if op.operation_id == "getReward"]
    media = resolve(spec, op.node["responses"]["200"])["content"]["application/json"]
    assert media["schema"] == {"$ref": "#/components/schemas/Reward"}
    external = [ex["externalValue"] for ex in media["examples"].values() if "externalValue" in ex]
    assert len(external) == 1
    # OpenAPI resolves a relative externalValue against the document's own location.
    example_path = (SPEC_PATH.parent / external[0]).resolve()
    assert example_path.is_file(), example_path
    assert json_differences(_seed(), load_json(example_path)) == []


def _walk(document: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


def _parsed() -> Reward:
    return Reward.from_dict(_seed())


def test_seed_parses_into_typed_models_down_to_the_leaves() -> None:
    reward = _parsed()
    rule = reward.rule
    assert isinstance(rule, Rule)
    condition = rule.condition
    assert isinstance(condition, RuleCondition)

    assert isinstance(condition.and_, list)
    inner = condition.and_[0]
    assert isinstance(inner, RuleCondition)
    assert inner.and_ == [None]

    lhs = condition.lhs
    assert isinstance(lhs, RuleValue)
    assert isinstance(lhs.array, list)
    first_value = lhs.array[0]
    assert isinstance(first_value, RuleValue)
    expression = first_value.expression
    assert isinstance(expression, RuleNode)
    assert isinstance(expression.args, list)
    first_arg = expression.args[0]
    assert isinstance(first_arg, RuleNode)
    assert first_arg.args == [None]
    # "float"/"int" keys become float_/int_ attributes and keep their JSON types.
    assert type(first_arg.float_) is float
    assert type(first_arg.int_) is int

    assert reward.expiration_modifier is ExpirationModifier.NOMODIFICATION
    assert isinstance(reward.generator, CodeGenerator)
    assert isinstance(reward.limits, list)
    assert isinstance(reward.limits[0], RewardLimit)


# Model attribute -> the datetime the seed's "2024-01-15T09:30:00Z" must become.
SEED_INSTANT = datetime.datetime(2024, 1, 15, 9, 30, tzinfo=datetime.UTC)


def test_date_time_fields_are_datetimes_and_plain_strings_stay_strings() -> None:
    reward = _parsed()
    assert isinstance(reward.generator, CodeGenerator)
    assert isinstance(reward.rule, Rule)
    assert isinstance(reward.limits, list)
    limit = reward.limits[0]
    assert isinstance(limit, RewardLimit)
    for value in (
        reward.created_at,
        reward.disabled_at,
        reward.end_date,
        reward.expiration_date,
        reward.start_date,
        reward.generator.updated_at,
        limit.created_at,
        limit.updated_at,
    ):
        assert isinstance(value, datetime.datetime)
        assert value == SEED_INSTANT
    # Declared as plain strings in the spec (the server's own formatting, not parsed).
    for value in (reward.updated_at, reward.generator.created_at, reward.rule.created_at):
        assert type(value) is str
        assert value == "string"


def _declares_date_time(spec: dict[str, Any], schema: Any) -> bool:
    schema = resolve(spec, schema)
    if schema.get("format") == "date-time":
        return True
    return any(_declares_date_time(spec, branch) for branch in schema.get("anyOf", []))


def _attribute(model: Any, prop: str) -> Any:
    """The model attribute for JSON property ``prop``.

    The generator appends ``_`` to names that would shadow a keyword or builtin (``and_``,
    ``type_``, ``float_``); any other renaming would be a surprise and fails here.
    """
    name = snake_case(prop)
    for candidate in (name, f"{name}_"):
        if hasattr(model, candidate):
            return getattr(model, candidate)
    raise AssertionError(f"{type(model).__name__} has no attribute for {prop!r}")


@pytest.mark.parametrize(
    ("schema_name", "path"),
    [
        ("Reward", ()),
        ("CodeGenerator", ("generator",)),
        ("RewardLimit", ("limits", 0)),
        ("Rule", ("rule",)),
    ],
)
def test_timestamp_typing_follows_the_spec(schema_name: str, path: tuple[str | int, ...]) -> None:
    # The same check derived from the spec, so that a property added later is covered too.
    spec = load_spec()
    seed_object = _walk(_seed(), path)
    model: Any = _parsed()
    for part in path:
        model = model[part] if isinstance(part, int) else _attribute(model, part)
    checked = 0
    for prop, prop_schema in spec["components"]["schemas"][schema_name]["properties"].items():
        if prop not in seed_object:
            continue
        value = _attribute(model, prop)
        resolved = resolve(spec, prop_schema)
        if _declares_date_time(spec, prop_schema):
            assert isinstance(value, datetime.datetime), f"{schema_name}.{prop}: {value!r}"
            checked += 1
        elif resolved.get("type") == "string" and not {"format", "enum"} & resolved.keys():
            assert type(value) is str, f"{schema_name}.{prop}: {value!r}"
            checked += 1
    assert checked > 0


def test_to_dict_gives_back_the_seed_value_for_value() -> None:
    seed = _seed()
    assert json_differences(seed, _parsed().to_dict(), timestamps_by_instant=True) == []


# The five places where the schema allows `null` items in a recursive list, and where the seed
# has `[null]`: RuleCondition.and/or, RuleValue.array, RuleNode.args/array.
NULL_LIST_PATHS = [
    ("rule", "condition", "and", 0, "and"),
    ("rule", "condition", "and", 0, "or"),
    ("rule", "condition", "lhs", "array", 0, "array"),
    ("rule", "condition", "lhs", "expression", "args", 0, "args"),
    ("rule", "condition", "lhs", "expression", "array", 0, "array"),
]


def _null_list_paths(document: Any, path: tuple[str | int, ...] = ()) -> set[tuple[str | int, ...]]:
    if document == [None]:
        return {path}
    found: set[tuple[str | int, ...]] = set()
    if isinstance(document, dict):
        for key, value in document.items():
            found |= _null_list_paths(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found |= _null_list_paths(value, (*path, index))
    return found


@pytest.mark.parametrize("path", NULL_LIST_PATHS, ids=lambda p: ".".join(map(str, p)))
def test_null_items_survive_each_recursion_point(path: tuple[str | int, ...]) -> None:
    assert _walk(_seed(), path) == [None], "the seed no longer has [null] here"
    assert _walk(_parsed().to_dict(), path) == [None]


def test_every_null_list_in_the_seed_survives() -> None:
    seed_paths = _null_list_paths(_seed())
    # Each of the five recursion points occurs many times in the seed (lhs, rhs, results, ...).
    assert {p[-1] for p in seed_paths} == {"and", "or", "array", "args"}
    assert len(seed_paths) > len(NULL_LIST_PATHS)
    assert _null_list_paths(_parsed().to_dict()) == seed_paths


def test_json_differences_catches_what_it_must() -> None:
    # The round-trip test is only as good as this comparison.
    base = {"a": [1, {"b": None}], "t": "2024-01-15T09:30:00Z", "f": 1.1, "n": 1}
    assert json_differences(base, copy.deepcopy(base)) == []
    assert json_differences(base, {**base, "t": "2024-01-15T09:30:00+00:00"}) != []
    relaxed = {**base, "t": "2024-01-15T09:30:00+00:00"}
    assert json_differences(base, relaxed, timestamps_by_instant=True) == []
    cases = {
        "$.t": {**base, "t": "2024-01-15T09:30:01+00:00"},
        "$.n": {**base, "n": 1.0},
        "$.f": {**base, "f": "1.1"},
        "$.a[1].b": {**base, "a": [1, {"b": 0}]},
        "$.a": {**base, "a": [1]},
        "$.x": {**base, "x": True},
    }
    for where, changed in cases.items():
        found = json_differences(base, changed, timestamps_by_instant=True)
        assert len(found) == 1, found
        assert found[0].startswith(f"{where}:"), found
    dropped = {key: value for key, value in base.items() if key != "f"}
    assert json_differences(base, dropped) == ["$.f: dropped (was 1.1)"]
    # A naive timestamp is not an instant: it must not be relaxed into one.
    naive = {**base, "t": "2024-01-15T09:30:00"}
    assert json_differences(base, naive, timestamps_by_instant=True) != []
