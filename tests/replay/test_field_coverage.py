"""The cassettes guard every field: each response field of each operation is in some recording.

The list of fields comes from the spec (every property reachable from each operation's success
schemas, through references, ``anyOf`` members and list items), never from a hand list. A field
the spec renames or adds, and that no recording holds, fails here by name: re-record the
cassettes (``scripts/record-cassettes``) and make the sandbox send the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import yaml
from brevo_loyalty_api._surface import OPERATIONS

from tests.foundation._helpers import iter_operations, load_spec, resolve, snake_case

from .conftest import CASSETTES

Field = tuple[str, str, str]  # (operation, schema, property)

# Fields no answer of the sandbox can carry, each with the reason. They are still guarded: an
# entry naming a field the spec no longer has fails the test, so a rename cannot slip through.
NOT_RECORDABLE = {
    ("Reward", "code"): "the sandbox has no reward-level code",
    ("Reward", "balanceDefinitionId"): "the sandbox models no loyalty balances",
    ("Reward", "subtractBalanceDefinitionId"): "the sandbox models no loyalty balances",
    ("Reward", "subtractBalanceStrategy"): "the sandbox models no loyalty balances",
    ("Reward", "subtractBalanceValue"): "the sandbox models no loyalty balances",
    ("RedeemTransaction", "debitTransactionId"): "the sandbox models no loyalty balances",
    ("Reward", "expirationDate"): "sandbox vouchers expire by value and unit, not on a date",
    ("RewardLimit", "durationUnit"): "sandbox limits have no time window",
    ("RewardLimit", "durationValue"): "sandbox limits have no time window",
    ("Voucher", "consumedAt"): "createVoucher answers a new voucher, never a consumed one",
    ("RedeemTransaction", "cancelledAt"): "only a failed completion (an error) ends a request",
    ("RedeemTransaction", "rejectedAt"): "only a failed completion (an error) ends a request",
    ("RedeemTransaction", "rejectReason"): "only a failed completion (an error) ends a request",
}


def _schema_name(node: Any) -> str | None:
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[1]
    return None


def _walk_schema(
    spec: Mapping[str, Any], node: Any, owner: str, seen: set[str]
) -> Iterator[tuple[str, str]]:
    """Every (schema, property) reachable from ``node``."""
    name = _schema_name(node) or owner
    schema = resolve(spec, node)
    if name in seen and _schema_name(node):
        return
    if _schema_name(node):
        seen = seen | {name}
    for member in schema.get("anyOf", []):
        yield from _walk_schema(spec, member, name, seen)
    if "items" in schema:
        yield from _walk_schema(spec, schema["items"], name, seen)
    for prop, sub in schema.get("properties", {}).items():
        yield name, prop
        yield from _walk_schema(spec, sub, f"{name}.{prop}", seen)


def _walk_value(
    spec: Mapping[str, Any], node: Any, value: Any, owner: str
) -> Iterator[tuple[str, str]]:
    """Every (schema, property) that ``value`` carries (not null), following ``node``."""
    name = _schema_name(node) or owner
    schema = resolve(spec, node)
    for member in schema.get("anyOf", []):
        if resolve(spec, member).get("type") != "null":
            yield from _walk_value(spec, member, value, name)
    if isinstance(value, list) and "items" in schema:
        for item in value:
            yield from _walk_value(spec, schema["items"], item, name)
    if isinstance(value, dict):
        for prop, sub in schema.get("properties", {}).items():
            if value.get(prop) is not None:
                yield name, prop
                yield from _walk_value(spec, sub, value[prop], f"{name}.{prop}")


def _expected() -> set[Field]:
    spec = load_spec()
    fields: set[Field] = set()
    for op in iter_operations(spec):
        for status, response in op.node["responses"].items():
            content = resolve(spec, response).get("content", {})
            if str(status).startswith("2") and "application/json" in content:
                schema = content["application/json"]["schema"]
                for owner, prop in _walk_schema(spec, schema, "", set()):
                    fields.add((snake_case(op.operation_id), owner, prop))
    return fields


def _routes() -> list[tuple[str, re.Pattern[str], str]]:
    routes = []
    for op in OPERATIONS:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(op.path))
        routes.append((op.method, re.compile(f".*{pattern}"), op.name))
    return routes


def _recorded() -> set[Field]:
    spec = load_spec()
    operations = {snake_case(op.operation_id): op for op in iter_operations(spec)}
    routes = _routes()
    found: set[Field] = set()
    for cassette in sorted(CASSETTES.glob("*.yaml")):
        for interaction in yaml.safe_load(cassette.read_text())["interactions"]:
            request, response = interaction["request"], interaction["response"]
            path = urlsplit(request["uri"]).path
            matches = [
                op_id
                for method, pattern, op_id in routes
                if method == request["method"] and pattern.fullmatch(path)
            ]
            status = response["status"]["code"]
            body = response["body"]["string"]
            if not matches or not 200 <= status < 300 or not body:
                continue
            node = operations[matches[-1]].node["responses"][str(status)]
            schema = resolve(spec, node)["content"]["application/json"]["schema"]
            for owner, prop in _walk_value(spec, schema, json.loads(body), ""):
                found.add((matches[-1], owner, prop))
    return found


def test_every_response_field_is_recorded() -> None:
    """Each (schema, field) of each operation's answers is in at least one cassette."""
    expected = {(schema, prop): op for op, schema, prop in _expected()}
    assert expected, "the spec declares no response field"
    recorded = {(schema, prop) for _, schema, prop in _recorded()}
    missing = sorted(set(expected) - recorded - set(NOT_RECORDABLE))
    assert not missing, "no cassette holds these response fields:\n" + "\n".join(
        f"  {expected[key]}: {key[0]}.{key[1]}" for key in missing
    )


def test_every_exemption_names_a_field_of_the_spec() -> None:
    expected = {(schema, prop) for _, schema, prop in _expected()}
    stale = sorted(set(NOT_RECORDABLE) - expected)
    assert not stale, f"NOT_RECORDABLE names fields the spec does not have: {stale}"
