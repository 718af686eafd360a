"""Property tests: every schema-valid response body parses and round-trips through the models.

Bodies are generated from spec/reward-api.yaml itself (see _spec.py), so a field added to the spec
is exercised without touching this file, and the operation list is checked against the spec.
"""

from __future__ import annotations

import copy
import datetime
import importlib
import json
import re
from typing import Any

import attrs
import brevo_loyalty_api.models as models
import httpx
import pytest
from brevo_loyalty_api.client import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs in dev deps

from ._spec import (
    TIMESTAMP_MARK,
    assert_json_equivalent,
    body_strategy,
    load_spec,
    response_schema_names,
    self_contained,
)

# 10 schemas x 300 = 3,000 generated bodies, each also checked with an unknown key injected into
# every object: 30-55 s on 2 cores, depending on load.
EXAMPLES_PER_SCHEMA = 300
EXTRA_KEY = "x-reliability-unknown"

EXPECTED_SCHEMAS = {
    "CodeCount",
    "RewardPage",
    "CreatedReward",
    "Voucher",
    "RedeemTransaction",
    "Reward",
    "RewardValidation",
    "ContactVouchers",
    "Error",
    "RevokeResult",
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _routes() -> dict[str, list[tuple[str, int]]]:
    """Schema name -> every (operation module, HTTP status) whose response body uses it."""
    spec = load_spec()
    shared = spec["components"]["responses"]
    routes: dict[str, list[tuple[str, int]]] = {}
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    response = shared[response["$ref"].rsplit("/", 1)[1]]
                for media in response.get("content", {}).values():
                    name = media["schema"]["$ref"].rsplit("/", 1)[1]
                    routes.setdefault(name, []).append(
                        (_snake(operation["operationId"]), int(status))
                    )
    return routes


ROUTES = _routes()


def _with_unknown_keys(value: Any, depth: int = 0) -> Any:
    """A copy of ``value`` with an extra key in every JSON object, whatever its depth."""
    if isinstance(value, dict):
        out = {key: _with_unknown_keys(item, depth + 1) for key, item in value.items()}
        out[EXTRA_KEY] = {"depth": depth, "list": [1, "two", None]}
        return out
    if isinstance(value, list):
        return [_with_unknown_keys(item, depth + 1) for item in value]
    return value


def _model_to_json(parsed: Any) -> Any:
    """The JSON a parsed body serialises back to (passes plain str/None through, like the API)."""
    raw = parsed.to_dict() if hasattr(parsed, "to_dict") else parsed
    # Through real JSON text so that anything non-serialisable (a datetime left behind, an enum
    # that is not a str) fails here rather than in a user's json.dumps.
    return json.loads(json.dumps(raw, allow_nan=False))


def _count_datetimes(value: Any) -> int:
    if isinstance(value, datetime.datetime):
        return 1
    if attrs.has(type(value)):
        return _count_datetimes(attrs.asdict(value, recurse=True))
    if isinstance(value, dict):
        return sum(_count_datetimes(item) for item in value.values())
    if isinstance(value, list):
        return sum(_count_datetimes(item) for item in value)
    return 0


def _parse(name: str, body: Any) -> Any:
    if name == "RevokeResult":
        # A type union (string | object | null); its only parser is the operation's.
        module = importlib.import_module("brevo_loyalty_api.api.rewards.revoke_vouchers")
        return _parse_via(module, 200, body)
    model: Any = getattr(models, name)
    return model.from_dict(copy.deepcopy(body))


def _parse_via(module: Any, status: int, body: Any) -> Any:
    client = Client(base_url="http://127.0.0.1:9")
    # Explicit content: httpx treats json=None as "no body", but JSON null is a valid 200 here.
    response = httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    return module._parse_response(client=client, response=response)


def test_every_response_schema_is_covered() -> None:
    # If the spec gains an operation or a response schema, this fails until it is generated too.
    names = set().union(*response_schema_names().values())
    assert names == EXPECTED_SCHEMAS
    assert len(response_schema_names()) == 10
    assert set(ROUTES) == EXPECTED_SCHEMAS


@pytest.mark.parametrize("name", sorted(EXPECTED_SCHEMAS))
def test_generated_bodies_parse_and_round_trip(name: str) -> None:
    schema = self_contained(name)
    validator = Draft202012Validator(schema)
    seen = {"bodies": 0, "datetimes": 0}
    has_timestamps = TIMESTAMP_MARK in json.dumps(schema)

    @settings(
        max_examples=EXAMPLES_PER_SCHEMA,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(body=body_strategy(schema), route=st.sampled_from(ROUTES[name]))
    def check(body: Any, route: tuple[str, int]) -> None:
        seen["bodies"] += 1
        # The generator itself is checked: a body the spec would reject proves nothing.
        validator.validate(body)
        original = copy.deepcopy(body)
        parsed = _parse(name, body)
        assert body == original, "from_dict must not mutate its input"
        assert_json_equivalent(schema, body, _model_to_json(parsed))
        seen["datetimes"] += _count_datetimes(parsed)

        # The same body through the operation's own response parser gives an equal model.
        module = importlib.import_module(f"brevo_loyalty_api.api.rewards.{route[0]}")
        assert _parse_via(module, route[1], body) == parsed

        # Unknown keys at every depth survive parse + serialise (forward compatibility).
        extended = _with_unknown_keys(body)
        if isinstance(extended, dict):
            assert_json_equivalent(schema, extended, _model_to_json(_parse(name, extended)))

    check()
    # Guards against a settings change silently shrinking the run to a handful of examples.
    assert seen["bodies"] >= EXAMPLES_PER_SCHEMA // 2
    # ...and the date-time branch of Timestamp really was exercised, not only the raw-string one.
    assert (seen["datetimes"] > 0) == has_timestamps
