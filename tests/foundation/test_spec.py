"""The hand-maintained spec is valid OpenAPI 3.1 and describes every operation of the seed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from ._helpers import (
    SPEC_PATH,
    iter_operations,
    load_spec,
    needs_brevo_pages,
    resolve,
    seed_base_url,
    seed_documented_defaults,
    seed_rows,
    snake_case,
)

# The seed names every operation after its SDK method; the spec gives each a short operationId
# that snake-cases into a good Python function name. Keyed by the seed's SDK method so that the
# method + path each id belongs to comes from the seed, not from this file.
OPERATION_ID_BY_SEED_METHOD = {
    "get_code_count": "getCodeCount",
    "loyalty_offer_programs_pid_offers_get": "listRewards",
    "loyalty_offer_programs_pid_offers_post": "createReward",
    "loyalty_offer_programs_pid_rewards_attribute_post": "createVoucher",
    "loyalty_offer_programs_pid_rewards_redeem_post": "createRedeemRequest",
    "loyalty_offer_programs_pid_rewards_redeem_tid_complete_post": "completeRedeemRequest",
    "loyalty_offer_programs_pid_rewards_revoke_delete": "revokeVouchers",
    "loyalty_offer_programs_pid_rewards_rid_get": "getReward",
    "loyalty_offer_programs_pid_rewards_validate_post": "validateReward",
    "loyalty_offer_programs_pid_vouchers_get": "listContactVouchers",
}
ERROR_SCHEMA_REF = "#/components/schemas/Error"
# Every call is authenticated and can fail on the server, whatever it does.
UNIVERSAL_ERROR_STATUSES = {"401", "500"}


def test_spec_validates_without_errors() -> None:
    spec = load_spec()
    # validate() raises on the first problem; iter_errors() shows that there is no other one.
    validate(spec, base_uri=SPEC_PATH.as_uri())
    errors = [str(error) for error in OpenAPIV31SpecValidator(spec).iter_errors()]
    assert errors == []
    assert spec["openapi"].startswith("3.1.")


@needs_brevo_pages
def test_seed_table_is_read_completely() -> None:
    # Guards the parser the other tests rely on: a table it misread would make them vacuous.
    rows = seed_rows()
    assert len(rows) == 10
    assert len({(row.method, row.path) for row in rows}) == 10
    assert set(OPERATION_ID_BY_SEED_METHOD) == {row.sdk_method for row in rows}


@needs_brevo_pages
def test_spec_has_every_seed_operation() -> None:
    # The spec may grow (a new operation reaches users by regeneration); it may not lose one.
    spec_ops = {(op.method, op.path) for op in iter_operations(load_spec())}
    seed_ops = {(row.method, row.path) for row in seed_rows()}
    assert sorted(seed_ops - spec_ops) == [], "seed operations missing from the spec"


@needs_brevo_pages
def test_operation_ids_are_snakeable_names() -> None:
    ops = {(op.method, op.path): op.operation_id for op in iter_operations(load_spec())}
    expected = {
        (row.method, row.path): OPERATION_ID_BY_SEED_METHOD[row.sdk_method] for row in seed_rows()
    }
    assert {key: ops.get(key) for key in expected} == expected
    for operation_id in ops.values():
        # lowerCamelCase of plain words: snake-cases without collisions or odd characters.
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", operation_id), operation_id


def test_every_path_template_parameter_is_declared() -> None:
    spec = load_spec()
    for op in iter_operations(spec):
        template = set(re.findall(r"{([^}]+)}", op.path))
        declared = {p["name"] for p in op.parameters(spec) if p["in"] == "path"}
        assert declared == template, f"{op.operation_id}: path parameters"
        for param in op.parameters(spec):
            if param["in"] == "path":
                assert param.get("required") is True, f"{op.operation_id}: {param['name']}"


@needs_brevo_pages
def test_query_defaults_are_the_seed_defaults() -> None:
    spec = load_spec()
    op_by_seed_method = {
        row.sdk_method: op
        for row in seed_rows()
        for op in iter_operations(spec)
        if (op.method, op.path) == (row.method, row.path)
    }
    documented = seed_documented_defaults()
    # listRewards: limit, offset, state, version; getReward: version; listContactVouchers:
    # limit, offset, sort, sort_field. A parser that found fewer would hide a disagreement.
    assert len(documented) == 9
    for (sdk_method, seed_name), seed_default in sorted(documented.items()):
        op = op_by_seed_method[sdk_method]
        (param,) = [p for p in op.parameters(spec) if snake_case(p["name"]) == seed_name]
        spec_default = resolve(spec, param["schema"]).get("default")
        # The seed prints defaults as text (25, all, updatedAt): compare in that form.
        assert str(spec_default) == seed_default, f"{op.operation_id}.{param['name']}"
    # Every default in the spec is one the seed documents (none invented).
    spec_defaults = {
        (sdk_method, snake_case(p["name"]))
        for sdk_method, op in op_by_seed_method.items()
        for p in op.parameters(spec)
        if "default" in resolve(spec, p["schema"])
    }
    assert spec_defaults == set(documented)


@needs_brevo_pages
def test_servers_is_the_brevo_v3_base_url() -> None:
    assert seed_base_url() == "https://api.brevo.com/v3"
    assert [server["url"] for server in load_spec()["servers"]] == [seed_base_url()]


def test_security_is_api_key_partner_key_or_bearer() -> None:
    spec = load_spec()
    # Three requirement objects = alternatives (any one authenticates); one object holding
    # several would mean they are all needed at once.
    assert spec["security"] == [{"api-key": []}, {"partner-key": []}, {"bearer": []}]
    schemes = spec["components"]["securitySchemes"]
    assert set(schemes) == {"api-key", "partner-key", "bearer"}
    for name in ("api-key", "partner-key"):
        scheme = schemes[name]
        assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", name)
    assert (schemes["bearer"]["type"], schemes["bearer"]["scheme"]) == ("http", "bearer")
    for op in iter_operations(spec):
        # An operation-level `security` would override the global alternatives.
        assert "security" not in op.node, op.operation_id


def _json_schema_of(spec: dict[str, Any], response: Any) -> Any:
    content = resolve(spec, response).get("content", {})
    assert list(content) == ["application/json"], f"content types {list(content)}"
    return content["application/json"]["schema"]


@pytest.mark.parametrize("operation_id", sorted(OPERATION_ID_BY_SEED_METHOD.values()))
def test_operation_declares_success_and_error_responses(operation_id: str) -> None:
    spec = load_spec()
    (op,) = [op for op in iter_operations(spec) if op.operation_id == operation_id]
    responses: dict[str, Any] = op.node["responses"]
    assert "default" not in responses, "every status is declared explicitly"

    successes = {status for status in responses if status.startswith("2")}
    assert successes, "no success response"
    for status in successes:
        if status == "204":
            assert "content" not in resolve(spec, responses[status]), "204 has no body"
            continue
        schema = _json_schema_of(spec, responses[status])
        # Success bodies are named component schemas, so they become named models.
        assert "$ref" in schema, f"{status}: inline schema"
        assert isinstance(resolve(spec, schema), dict), f"{status}: dangling $ref"

    errors = {status for status in responses if status[0] in "45"}
    assert errors >= UNIVERSAL_ERROR_STATUSES
    for status in errors:
        assert _json_schema_of(spec, responses[status]) == {"$ref": ERROR_SCHEMA_REF}, status
    assert set(responses) == successes | errors, "only 2xx, 4xx and 5xx statuses"


def test_error_schema_accepts_both_error_forms() -> None:
    error = load_spec()["components"]["schemas"]["Error"]
    # Nothing required: the current {code, message} and the older {error} form must both parse.
    assert "required" not in error
    assert {"code", "message", "error"} <= set(error["properties"])


def test_revoke_declares_204_without_content_and_200_with_json() -> None:
    spec = load_spec()
    (op,) = [op for op in iter_operations(spec) if op.operation_id == "revokeVouchers"]
    responses = op.node["responses"]
    assert "content" not in resolve(spec, responses["204"])
    schema = resolve(spec, _json_schema_of(spec, responses["200"]))
    # The observed 200 body is the JSON string "": the schema has to admit a string.
    assert "string" in schema["type"]
