"""The HTTP differ on a corpus of small mutations of the real spec (no git involved)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

from scripts._api_diff_http import GLOBAL, Change, diff_specs
from scripts._api_diff_rules import RULES, Classification

Spec = dict[str, Any]
PREFIX = "/loyalty/offer/programs/{pid}"
B, R, N = Classification.BREAKING, Classification.REVIEW, Classification.NON_BREAKING


def op(spec: Spec, path: str, method: str) -> Spec:
    node: Spec = spec["paths"][PREFIX + path][method]
    return node


def schema(spec: Spec, name: str) -> Spec:
    node: Spec = spec["components"]["schemas"][name]
    return node


def prop(spec: Spec, name: str, field: str) -> Spec:
    node: Spec = schema(spec, name)["properties"][field]
    return node


def param(spec: Spec, path: str, method: str, name: str) -> Spec:
    for node in op(spec, path, method)["parameters"]:
        if node.get("name") == name:
            found: Spec = node
            return found
    raise KeyError(name)


def params(spec: Spec, path: str, method: str) -> list[Spec]:
    found: list[Spec] = op(spec, path, method)["parameters"]
    return found


def rename_key(mapping: Spec, old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


class Case(NamedTuple):
    name: str
    mutate: Callable[[Spec], object]
    rule: str
    classification: Classification
    operation: str
    location: str
    reverse: bool = False
    """Diff mutated -> original instead (the opposite direction of the same edit)."""


CODES = "/code-pools/{cpid}/codes-count"


def _add_path(s: Spec) -> None:
    s["paths"][PREFIX + "/ping"] = {"get": {"operationId": "ping", "responses": {"204": {}}}}


def _move_codes_count(s: Spec) -> None:
    rename_key(s["paths"], PREFIX + CODES, PREFIX + "/code-pools/{cpid}/count")


def _required_query(required: bool) -> Callable[[Spec], object]:
    def mutate(s: Spec) -> None:
        new = {
            "name": "poolType",
            "in": "query",
            "required": required,
            "schema": {"type": "string"},
        }
        params(s, CODES, "get").append(new)

    return mutate


def _body(required: bool) -> Callable[[Spec], object]:
    def mutate(s: Spec) -> None:
        content = {"application/json": {"schema": {"type": "object"}}}
        path = "/rewards/redeem/{tid}/complete"
        op(s, path, "post")["requestBody"] = {"required": required, "content": content}

    return mutate


def _add_form_media(s: Spec) -> None:
    content = op(s, "/offers", "post")["requestBody"]["content"]
    content["application/x-www-form-urlencoded"] = content["application/json"]


def _add_field(name: str, field: str, required: bool = False) -> Callable[[Spec], object]:
    def mutate(s: Spec) -> None:
        schema(s, name)["properties"][field] = {"type": "string"}
        if required:
            schema(s, name).setdefault("required", []).append(field)

    return mutate


def _success_status(s: Spec) -> None:
    responses = op(s, CODES, "get")["responses"]
    responses["201"] = responses["200"]


def _text_media(s: Spec) -> None:
    op(s, CODES, "get")["responses"]["200"]["content"]["text/plain"] = {
        "schema": {"type": "string"}
    }


def _add_oauth(s: Spec) -> None:
    s["components"]["securitySchemes"]["oauth"] = {"type": "http", "scheme": "bearer"}


CASES = [
    # Operations.
    Case("operation added", _add_path, "operation-added", N, "ping", "operation"),
    Case(
        "operation removed",
        lambda s: s["paths"].pop(PREFIX + CODES),
        "operation-removed",
        B,
        "getCodeCount",
        "operation",
    ),
    Case(
        "operation path changed",
        _move_codes_count,
        "operation-path-changed",
        B,
        "getCodeCount",
        "path",
    ),
    Case(
        "operation method changed",
        lambda s: rename_key(s["paths"][PREFIX + CODES], "get", "post"),
        "operation-method-changed",
        B,
        "getCodeCount",
        "method",
    ),
    Case(
        "operationId changed",
        lambda s: op(s, CODES, "get").update(operationId="countCodes"),
        "operation-id-changed",
        B,
        "countCodes",
        "operation",
    ),
    # Parameters.
    Case(
        "required parameter added",
        _required_query(True),
        "parameter-added-required",
        B,
        "getCodeCount",
        "query parameter poolType",
    ),
    Case(
        "optional parameter added",
        _required_query(False),
        "parameter-added-optional",
        N,
        "getCodeCount",
        "query parameter poolType",
    ),
    Case(
        "optional parameter removed",
        _required_query(False),
        "parameter-removed",
        B,
        "getCodeCount",
        "query parameter poolType",
        reverse=True,
    ),
    Case(
        "parameter removed",
        lambda s: params(s, "/vouchers", "get").pop(),
        "parameter-removed",
        B,
        "listContactVouchers",
        "query parameter rewardId",
    ),
    Case(
        "parameter renamed",
        lambda s: param(s, "/offers", "get", "limit").update(name="pageSize"),
        "parameter-renamed",
        B,
        "listRewards",
        "query parameter pageSize",
    ),
    Case(
        "parameter became required",
        lambda s: param(s, "/offers", "get", "state").update(required=True),
        "parameter-became-required",
        B,
        "listRewards",
        "query parameter state",
    ),
    Case(
        "parameter became optional",
        lambda s: param(s, "/vouchers", "get", "contactId").update(required=False),
        "parameter-became-optional",
        N,
        "listContactVouchers",
        "query parameter contactId",
    ),
    # Request bodies.
    Case(
        "required body added",
        _body(True),
        "request-body-added-required",
        B,
        "completeRedeemRequest",
        "request body",
    ),
    Case(
        "optional body added",
        _body(False),
        "request-body-added-optional",
        N,
        "completeRedeemRequest",
        "request body",
    ),
    Case(
        "body removed",
        lambda s: op(s, "/rewards/validate", "post").pop("requestBody"),
        "request-body-removed",
        B,
        "validateReward",
        "request body",
    ),
    Case(
        "body became optional",
        lambda s: op(s, "/offers", "post")["requestBody"].update(required=False),
        "request-body-became-optional",
        N,
        "createReward",
        "request body",
    ),
    Case(
        "body became required",
        lambda s: op(s, "/offers", "post")["requestBody"].update(required=False),
        "request-body-became-required",
        B,
        "createReward",
        "request body",
        reverse=True,
    ),
    Case(
        "request media type added",
        _add_form_media,
        "request-media-type-added",
        N,
        "createReward",
        "request body",
    ),
    Case(
        "request media type removed",
        _add_form_media,
        "request-media-type-removed",
        B,
        "createReward",
        "request body",
        reverse=True,
    ),
    # Request fields.
    Case(
        "required request field added",
        _add_field("CreateRewardRequest", "category", True),
        "request-field-added-required",
        B,
        "createReward",
        "CreateRewardRequest.category",
    ),
    Case(
        "optional request field added",
        _add_field("CreateRewardRequest", "category"),
        "request-field-added-optional",
        N,
        "createReward",
        "CreateRewardRequest.category",
    ),
    Case(
        "request field removed",
        lambda s: schema(s, "CreateVoucherRequest")["properties"].pop("value"),
        "request-field-removed",
        B,
        "createVoucher",
        "CreateVoucherRequest.value",
    ),
    Case(
        "request field renamed",
        lambda s: rename_key(
            schema(s, "CreateRewardRequest")["properties"], "publicImage", "imageUrl"
        ),
        "request-field-renamed",
        B,
        "createReward",
        "CreateRewardRequest.imageUrl",
    ),
    Case(
        "request field became required",
        lambda s: schema(s, "CreateRewardRequest")["required"].append("publicName"),
        "request-field-became-required",
        B,
        "createReward",
        "CreateRewardRequest.publicName",
    ),
    Case(
        "request field became optional",
        lambda s: schema(s, "CreateVoucherRequest").update(required=[]),
        "request-field-became-optional",
        N,
        "createVoucher",
        "CreateVoucherRequest.rewardId",
    ),
    Case(
        "nested request field removed",
        lambda s: schema(s, "OrderProduct")["properties"].pop("quantity"),
        "request-field-removed",
        B,
        "createRedeemRequest",
        "CreateRedeemRequest.order.products[].quantity",
    ),
    # Response fields.
    Case(
        "response field added",
        _add_field("CodeCount", "poolName"),
        "response-field-added",
        N,
        "getCodeCount",
        "CodeCount.poolName",
    ),
    Case(
        "response field removed",
        lambda s: schema(s, "RewardValidation")["properties"].clear(),
        "response-field-removed",
        B,
        "validateReward",
        "RewardValidation.authorize",
    ),
    Case(
        "response field renamed",
        # (A field that is not required: RewardValidation.authorize; see spec/DECISIONS.md.)
        lambda s: rename_key(schema(s, "RewardValidation")["properties"], "authorize", "ok"),
        "response-field-renamed",
        B,
        "validateReward",
        "RewardValidation.ok",
    ),
    Case(
        "response field became required",
        lambda s: schema(s, "RewardValidation").update(required=["authorize"]),
        "response-field-became-required",
        N,
        "validateReward",
        "RewardValidation.authorize",
    ),
    Case(
        "response field became optional",
        lambda s: schema(s, "RewardValidation").update(required=["authorize"]),
        "response-field-became-optional",
        B,
        "validateReward",
        "RewardValidation.authorize",
        reverse=True,
    ),
    Case(
        "nested response field removed",
        lambda s: schema(s, "RewardLimit")["properties"].pop("durationValue"),
        "response-field-removed",
        B,
        "getReward",
        "Reward.limits[].durationValue",
    ),
    Case(
        "field removed inside a recursive schema",
        lambda s: schema(s, "RuleCondition")["properties"].pop("op"),
        "response-field-removed",
        B,
        "getReward",
        "Reward.rule.condition.op",
    ),
    # Types and formats.
    Case(
        "request type changed",
        lambda s: schema(s, "ValidateRewardRequest")["properties"].update(
            contactId={"type": "string"}
        ),
        "request-type-changed",
        B,
        "validateReward",
        "ValidateRewardRequest.contactId",
    ),
    Case(
        "response type changed",
        lambda s: schema(s, "CodeCount")["properties"].update(count={"type": "string"}),
        "response-type-changed",
        B,
        "getCodeCount",
        "CodeCount.count",
    ),
    Case(
        "request format changed",
        lambda s: param(s, "/rewards/{rid}", "get", "rid")["schema"].pop("format"),
        "request-format-changed",
        B,
        "getReward",
        "path parameter rid",
    ),
    Case(
        "response format changed",
        lambda s: prop(s, "CodeCount", "count").update(format="int32"),
        "response-format-changed",
        B,
        "getCodeCount",
        "CodeCount.count",
    ),
    # Enums.
    Case(
        "request enum value added",
        lambda s: schema(s, "SortOrder")["enum"].append("random"),
        "request-enum-value-added",
        N,
        "listContactVouchers",
        "query parameter sort",
    ),
    Case(
        "request enum value removed",
        lambda s: schema(s, "VoucherSortField")["enum"].remove("createdAt"),
        "request-enum-value-removed",
        B,
        "listContactVouchers",
        "query parameter sortField",
    ),
    Case(
        "response enum value added",
        lambda s: schema(s, "ExpirationModifier")["enum"].append("roundUp"),
        "response-enum-value-added",
        N,
        "getReward",
        "Reward.expirationModifier",
    ),
    Case(
        "response enum value removed",
        lambda s: schema(s, "ExpirationModifier")["enum"].remove("noModification"),
        "response-enum-value-removed",
        R,
        "getReward",
        "Reward.expirationModifier",
    ),
    # Nullability.
    Case(
        "request became nullable",
        lambda s: prop(s, "CreateVoucherRequest", "value").update(type=["number", "null"]),
        "request-became-nullable",
        N,
        "createVoucher",
        "CreateVoucherRequest.value",
    ),
    Case(
        "request became non-nullable",
        lambda s: prop(s, "CreateVoucherRequest", "value").update(type=["number", "null"]),
        "request-became-non-nullable",
        B,
        "createVoucher",
        "CreateVoucherRequest.value",
        reverse=True,
    ),
    Case(
        "response became nullable",
        lambda s: prop(s, "RewardValidation", "authorize").update(type=["boolean", "null"]),
        "response-became-nullable",
        B,
        "validateReward",
        "RewardValidation.authorize",
    ),
    Case(
        "response became non-nullable (anyOf null)",
        lambda s: schema(s, "RewardValidation")["properties"].update(
            authorize={"anyOf": [{"type": "boolean"}, {"type": "null"}]}
        ),
        "response-became-non-nullable",
        N,
        "validateReward",
        "RewardValidation.authorize",
        reverse=True,
    ),
    # Defaults.
    Case(
        "request default changed",
        lambda s: param(s, "/offers", "get", "limit")["schema"].update(default=50),
        "request-default-changed",
        R,
        "listRewards",
        "query parameter limit",
    ),
    Case(
        "response default changed",
        lambda s: prop(s, "RewardValidation", "authorize").update(default=False),
        "response-default-changed",
        R,
        "validateReward",
        "RewardValidation.authorize",
    ),
    # Constraints and patterns.
    Case(
        "request maximum lowered",
        lambda s: param(s, "/offers", "get", "limit")["schema"].update(maximum=50),
        "request-constraint-tightened",
        B,
        "listRewards",
        "query parameter limit",
    ),
    Case(
        "request maximum raised",
        lambda s: param(s, "/offers", "get", "limit")["schema"].update(maximum=500),
        "request-constraint-loosened",
        N,
        "listRewards",
        "query parameter limit",
    ),
    Case(
        "request maxLength dropped",
        lambda s: prop(s, "CreateRewardRequest", "name").pop("maxLength"),
        "request-constraint-loosened",
        N,
        "createReward",
        "CreateRewardRequest.name",
    ),
    Case(
        "request minLength added",
        lambda s: prop(s, "CreateRewardRequest", "publicImage").update(minLength=8),
        "request-constraint-tightened",
        B,
        "createReward",
        "CreateRewardRequest.publicImage",
    ),
    Case(
        "response minimum added",
        lambda s: prop(s, "CodeCount", "count").update(minimum=0),
        "response-constraint-tightened",
        N,
        "getCodeCount",
        "CodeCount.count",
    ),
    Case(
        "response minimum dropped",
        lambda s: prop(s, "CodeCount", "count").update(minimum=0),
        "response-constraint-loosened",
        R,
        "getCodeCount",
        "CodeCount.count",
        reverse=True,
    ),
    Case(
        "request pattern changed",
        lambda s: param(s, "/rewards/revoke", "delete", "attributedRewardIds")["schema"].update(
            pattern="^.+$"
        ),
        "request-pattern-changed",
        R,
        "revokeVouchers",
        "query parameter attributedRewardIds",
    ),
    Case(
        "response pattern added",
        lambda s: prop(s, "CreatedReward", "name").update(pattern="^x"),
        "response-pattern-changed",
        R,
        "createReward",
        "CreatedReward.name",
    ),
    # Statuses and response media types.
    Case(
        "success status added",
        _success_status,
        "response-success-status-added",
        R,
        "getCodeCount",
        "response 201",
    ),
    Case(
        "error status added",
        lambda s: op(s, CODES, "get")["responses"].update({"429": {"description": "Slow down."}}),
        "response-error-status-added",
        N,
        "getCodeCount",
        "response 429",
    ),
    Case(
        "status removed",
        lambda s: op(s, CODES, "get")["responses"].pop("400"),
        "response-status-removed",
        R,
        "getCodeCount",
        "response 400",
    ),
    Case(
        "response media type added",
        _text_media,
        "response-media-type-added",
        N,
        "getCodeCount",
        "response 200",
    ),
    Case(
        "response media type removed",
        _text_media,
        "response-media-type-removed",
        B,
        "getCodeCount",
        "response 200",
        reverse=True,
    ),
    # Security.
    Case(
        "security scheme added",
        _add_oauth,
        "security-scheme-added",
        N,
        GLOBAL,
        "security scheme oauth",
    ),
    Case(
        "security scheme removed",
        _add_oauth,
        "security-scheme-removed",
        B,
        GLOBAL,
        "security scheme oauth",
        reverse=True,
    ),
    Case(
        "security scheme changed",
        lambda s: s["components"]["securitySchemes"]["api-key"].update(name="X-Api-Key"),
        "security-scheme-changed",
        B,
        GLOBAL,
        "security scheme api-key",
    ),
    Case(
        "security alternative added",
        lambda s: op(s, CODES, "get").update(
            security=[{"api-key": []}, {"partner-key": []}, {"bearer": []}, {}]
        ),
        "security-requirement-added",
        N,
        "getCodeCount",
        "security",
    ),
    Case(
        "security alternative removed",
        lambda s: op(s, CODES, "get").update(security=[{"api-key": []}, {"partner-key": []}]),
        "security-requirement-removed",
        B,
        "getCodeCount",
        "security",
    ),
]


def _diff(spec: Spec, case: Case) -> list[Change]:
    mutated = copy.deepcopy(spec)
    case.mutate(mutated)
    return diff_specs(mutated, spec) if case.reverse else diff_specs(spec, mutated)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mutation_is_reported_once_with_its_rule(spec: Spec, case: Case) -> None:
    changes = _diff(spec, case)
    assert [(c.operation, c.rule, c.location) for c in changes] == [
        (case.operation, case.rule, case.location)
    ]
    assert changes[0].classification is case.classification


def test_corpus_covers_every_http_rule_both_sides() -> None:
    http_rules = {r for r in RULES if not r.startswith("python-")}
    assert http_rules == {c.rule for c in CASES}
    assert len(CASES) >= 30


def test_identical_specs_have_no_changes(spec: Spec) -> None:
    assert diff_specs(spec, copy.deepcopy(spec)) == []


def test_rename_names_both_sides(spec: Spec) -> None:
    new = copy.deepcopy(spec)
    param(new, "/offers", "get", "limit")["name"] = "pageSize"
    (change,) = diff_specs(spec, new)
    assert change.detail == "renamed `limit` → `pageSize`"


def test_rename_needs_the_same_type(spec: Spec) -> None:
    new = copy.deepcopy(spec)
    param(new, "/offers", "get", "limit").update(name="pageSize", schema={"type": "string"})
    rules = {(c.rule, c.location) for c in diff_specs(spec, new)}
    assert rules == {
        ("parameter-removed", "query parameter limit"),
        ("parameter-added-optional", "query parameter pageSize"),
    }


def test_renamed_parameter_is_still_compared(spec: Spec) -> None:
    new = copy.deepcopy(spec)
    param(new, "/offers", "get", "limit").update(name="pageSize", required=True)
    rules = sorted(c.rule for c in diff_specs(spec, new))
    assert rules == ["parameter-became-required", "parameter-renamed"]


def test_change_in_recursive_schema_terminates_and_reports_each_reachable_place(spec: Spec) -> None:
    new = copy.deepcopy(spec)
    schema(new, "RuleNode")["properties"]["unit"] = {"type": "string"}
    locations = {c.location for c in diff_specs(spec, new)}
    assert locations == {
        "Reward.rule.condition.lhs.expression.unit",
        "Reward.rule.condition.rhs.expression.unit",
        "Reward.rule.results[].parameters[].value.expression.unit",
    }


def test_shared_component_is_reported_once_per_operation(spec: Spec) -> None:
    new = copy.deepcopy(spec)
    schema(new, "Error")["properties"].pop("error")
    changes = diff_specs(spec, new)
    assert {c.rule for c in changes} == {"response-field-removed"}
    assert sorted(c.operation for c in changes) == sorted(
        node["operationId"] for item in spec["paths"].values() for node in item.values()
    )


def test_enum_details_list_the_values(spec: Spec) -> None:
    new = copy.deepcopy(spec)
    schema(new, "SortOrder")["enum"] = ["asc", "random"]
    details = sorted(c.detail for c in diff_specs(spec, new))
    assert details == ["`desc` removed", "`random` added"]


def test_allof_properties_are_merged(spec: Spec) -> None:
    new = copy.deepcopy(spec)
    authorize = schema(new, "RewardValidation")["properties"]["authorize"]
    schema(new, "RewardValidation").clear()
    schema(new, "RewardValidation")["allOf"] = [
        {"type": "object", "properties": {"authorize": authorize}},
        {"type": "object", "properties": {"pool": {"type": "string"}}},
    ]
    changes = diff_specs(spec, new)
    assert [(c.rule, c.location) for c in changes] == [
        ("response-field-added", "RewardValidation.pool")
    ]


def test_removed_path_parameter_of_path_item_level(spec: Spec) -> None:
    new = copy.deepcopy(spec)
    item = new["paths"][PREFIX + CODES]
    item["parameters"] = [
        {"name": "region", "in": "header", "required": True, "schema": {"type": "string"}}
    ]
    (change,) = diff_specs(spec, new)
    assert (change.rule, change.location) == ("parameter-added-required", "header parameter region")
