"""Each of the ten operations, sync and async, over a real loopback socket.

For every call: the exact request (method, path, decoded query, JSON body in wire casing, headers)
and the typed model built from the response.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import brevo_loyalty
import pytest
from brevo_loyalty_api._surface import OPERATIONS
from brevo_loyalty_api.models import (
    CodeCount,
    ContactVouchers,
    CreatedReward,
    ExpirationModifier,
    Order,
    RedeemTransaction,
    Reward,
    RewardPage,
    RewardValidation,
    RuleCondition,
    Voucher,
)
from brevo_loyalty_api.types import Unset

from ._loopback import (
    API_KEY,
    ATTR1,
    ATTR2,
    KINDS,
    PID,
    PROGRAM,
    RID,
    Kind,
    LoopbackServer,
    Reply,
    call,
)

SEED_REWARD = json.loads(
    (
        Path(__file__).resolve().parents[2] / "spec" / "sources" / "seed-reward-example.json"
    ).read_text(encoding="utf-8")
)
JAN_15 = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)

ORDER_WIRE = {
    "id": "order-1",
    "amount": 10.5,
    "contact_id": 7,
    "email": "a@example.com",
    "identifiers": {"ext_id": "E-1", "loyalty_subscription_id": "sub-1"},
    "products": [{"productId": "p1", "quantity": 2.0, "price": 5.25}],
    "billing": {"postCode": 75001, "countryCode": "FR"},
}


@dataclass(frozen=True)
class Case:
    """One call, the request it must produce and a check of the value it returns."""

    id: str
    operation: str
    arguments: Mapping[str, Any]
    reply: Reply
    method: str
    path: str
    check: Callable[[Any], None]
    query: Mapping[str, str] = field(default_factory=dict)
    body: Any = None  # None: no body at all


def _code_count(result: Any) -> None:
    assert isinstance(result, CodeCount)
    assert result.count == 42


def _reward_page(result: Any) -> None:
    assert isinstance(result, RewardPage)
    assert result.total_count == 31
    assert isinstance(result.items, list)
    assert [item.id for item in result.items] == ["r1", "r2"]
    assert result.items[0].created_at == JAN_15
    assert result.items[0].name == "Spring"
    assert result.items[1].state == "expired"


def _created_reward(result: Any) -> None:
    assert isinstance(result, CreatedReward)
    assert result.id == "new-reward"
    assert result.created_at == datetime(2024, 2, 1, tzinfo=UTC)
    assert result.updated_at == "2024-02-01 00:00:00"  # not a Timestamp in the spec: kept as text


def _voucher(result: Any) -> None:
    assert isinstance(result, Voucher)
    assert result.id == "v-1"
    assert result.contact_id == 7
    assert result.expiration_date == datetime(2025, 1, 1, tzinfo=UTC)


def _pending(result: Any) -> None:
    assert isinstance(result, RedeemTransaction)
    assert result.id == "tx-1"
    assert result.status == "pending"
    assert result.expires_at == datetime(2024, 3, 1, 10, 5, tzinfo=UTC)


def _completed(result: Any) -> None:
    assert isinstance(result, RedeemTransaction)
    assert result.status == "completed"
    assert result.completed_at == datetime(2024, 3, 1, 10, 1, tzinfo=UTC)


def _none(result: Any) -> None:
    assert result is None


def _reward(result: Any) -> None:
    assert isinstance(result, Reward)
    assert result.created_at == datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
    assert result.expiration_modifier == ExpirationModifier.NOMODIFICATION
    assert isinstance(result.limits, list)
    assert result.limits[0].sliding_schedule is True
    assert result.rule is not None
    assert not isinstance(result.rule, Unset)
    assert isinstance(result.rule.condition, RuleCondition)
    assert result.to_dict()["name"] == SEED_REWARD["name"]


def _validation(result: Any) -> None:
    assert isinstance(result, RewardValidation)
    assert result.authorize is True


def _contact_vouchers(result: Any) -> None:
    assert isinstance(result, ContactVouchers)
    assert result.count == 1
    assert isinstance(result.contact_rewards, list)
    voucher = result.contact_rewards[0]
    assert voucher.code == "C-1"
    assert voucher.created_at == "2024-01-01T00:00:00Z"  # ContactVoucher keeps server text


PENDING = {
    "id": "tx-1",
    "status": "pending",
    "contactId": 7,
    "expiresAt": "2024-03-01T10:05:00Z",
    "rewardAttributionId": ATTR1,
}
PAGE = {
    "items": [
        {"id": "r1", "name": "Spring", "state": "active", "createdAt": "2024-01-15T09:30:00Z"},
        {"id": "r2", "name": "Winter", "state": "expired"},
    ],
    "totalCount": 31,
}
VOUCHERS = {
    "contactId": 7,
    "contactRewards": [{"id": "v-1", "code": "C-1", "createdAt": "2024-01-01T00:00:00Z"}],
    "count": 1,
}

CASES = [
    Case(
        "get_code_count",
        "get_code_count",
        {"program_id": PID, "code_pool_id": "pool-1"},
        Reply.json({"count": 42}),
        "GET",
        f"{PROGRAM}/code-pools/pool-1/codes-count",
        _code_count,
    ),
    Case(
        "list_rewards-defaults",
        "list_rewards",
        {"program_id": UUID(PID)},
        Reply.json(PAGE),
        "GET",
        f"{PROGRAM}/offers",
        _reward_page,
        query={},  # defaults are the server's: nothing is sent that the caller did not set
    ),
    Case(
        "list_rewards-filters",
        "list_rewards",
        {"program_id": PID, "limit": 10, "offset": 20, "state": "active", "version": "active"},
        Reply.json(PAGE),
        "GET",
        f"{PROGRAM}/offers",
        _reward_page,
        query={"limit": "10", "offset": "20", "state": "active", "version": "active"},
    ),
    Case(
        "create_reward",
        "create_reward",
        {
            "program_id": PID,
            "name": "Welcome gift",
            "public_description": "A gift",
            "public_image": "https://example.com/gift.png",
            "public_name": "Gift",
        },
        Reply.json(
            {
                "id": "new-reward",
                "name": "Welcome gift",
                "createdAt": "2024-02-01T00:00:00+00:00",
                "updatedAt": "2024-02-01 00:00:00",
            },
            status=201,
        ),
        "POST",
        f"{PROGRAM}/offers",
        _created_reward,
        body={
            "name": "Welcome gift",
            "publicDescription": "A gift",
            "publicImage": "https://example.com/gift.png",
            "publicName": "Gift",
        },
    ),
    Case(
        "create_voucher-contact",
        "create_voucher",
        {
            "program_id": PID,
            "reward_id": UUID(RID),
            "contact_id": 7,
            "code": "CODE-1",
            "expiration_date": datetime(2025, 1, 1, tzinfo=UTC),
            "meta": {"source": "test", "n": 1},
            "value": 12.5,
        },
        Reply.json(
            {
                "id": "v-1",
                "code": "CODE-1",
                "contactId": 7,
                "expirationDate": "2025-01-01T00:00:00Z",
            }
        ),
        "POST",
        f"{PROGRAM}/rewards/attribute",
        _voucher,
        body={
            "rewardId": RID,
            "contactId": 7,
            "code": "CODE-1",
            "expirationDate": "2025-01-01T00:00:00+00:00",
            "meta": {"source": "test", "n": 1},
            "value": 12.5,
        },
    ),
    Case(
        "create_voucher-subscription",
        "create_voucher",
        {"program_id": PID, "reward_id": RID, "loyalty_subscription_id": "sub-1"},
        Reply.json(
            {"id": "v-1", "code": "G-1", "contactId": 7, "expirationDate": "2025-01-01T00:00:00Z"},
            status=201,
        ),
        "POST",
        f"{PROGRAM}/rewards/attribute",
        _voucher,
        body={"rewardId": RID, "loyaltySubscriptionId": "sub-1"},
    ),
    Case(
        "create_redeem_request-mapping-order",
        "create_redeem_request",
        {
            "program_id": PID,
            "contact_id": 7,
            "attributed_reward_id": ATTR1,
            "ttl": 60,
            "meta": {"till": "3"},
            "order": ORDER_WIRE,
        },
        Reply.json(PENDING),
        "POST",
        f"{PROGRAM}/rewards/redeem",
        _pending,
        body={
            "contactId": 7,
            "attributedRewardId": ATTR1,
            "ttl": 60,
            "meta": {"till": "3"},
            "order": ORDER_WIRE,
        },
    ),
    Case(
        "create_redeem_request-model-order",
        "create_redeem_request",
        {
            "program_id": PID,
            "loyalty_subscription_id": "sub-1",
            "code": "CODE-1",
            "reward_id": "r1",
            "order": Order.from_dict(ORDER_WIRE),
        },
        Reply.json(PENDING),
        "POST",
        f"{PROGRAM}/rewards/redeem",
        _pending,
        body={
            "loyaltySubscriptionId": "sub-1",
            "code": "CODE-1",
            "rewardId": "r1",
            "order": ORDER_WIRE,
        },
    ),
    Case(
        "complete_redeem_request",
        "complete_redeem_request",
        {"program_id": PID, "transaction_id": "tx-1"},
        Reply.json({"id": "tx-1", "status": "completed", "completedAt": "2024-03-01T10:01:00Z"}),
        "POST",
        f"{PROGRAM}/rewards/redeem/tx-1/complete",
        _completed,
    ),
    Case(
        "revoke_vouchers-204",
        "revoke_vouchers",
        {"program_id": PID, "attributed_reward_ids": [ATTR1, UUID(ATTR2)]},
        Reply(204),
        "DELETE",
        f"{PROGRAM}/rewards/revoke",
        _none,
        query={"attributedRewardIds": f"{ATTR1},{ATTR2}"},
    ),
    Case(
        "revoke_vouchers-200-empty-string",
        "revoke_vouchers",
        {"program_id": PID, "attributed_reward_ids": (ATTR1,)},
        Reply.json(""),
        "DELETE",
        f"{PROGRAM}/rewards/revoke",
        _none,
        query={"attributedRewardIds": ATTR1},
    ),
    Case(
        "get_reward",
        "get_reward",
        {"program_id": PID, "reward_id": RID},
        Reply.json(SEED_REWARD),
        "GET",
        f"{PROGRAM}/rewards/{RID}",
        _reward,
    ),
    Case(
        "get_reward-version",
        "get_reward",
        {"program_id": PID, "reward_id": RID.upper(), "version": "active"},
        Reply.json(SEED_REWARD),
        "GET",
        f"{PROGRAM}/rewards/{RID}",
        _reward,
        query={"version": "active"},
    ),
    Case(
        "validate_reward",
        "validate_reward",
        {
            "program_id": PID,
            "contact_id": 7,
            "code": "ABC",
            "point_of_sell_id": "pos-1",
            "reward_id": "r1",
        },
        Reply.json({"authorize": True}),
        "POST",
        f"{PROGRAM}/rewards/validate",
        _validation,
        body={"contactId": 7, "code": "ABC", "pointOfSellId": "pos-1", "rewardId": "r1"},
    ),
    Case(
        "list_contact_vouchers-defaults",
        "list_contact_vouchers",
        {"program_id": PID, "contact_id": 7},
        Reply.json(VOUCHERS),
        "GET",
        f"{PROGRAM}/vouchers",
        _contact_vouchers,
        query={"contactId": "7"},
    ),
    Case(
        "list_contact_vouchers-filters",
        "list_contact_vouchers",
        {
            "program_id": PID,
            "contact_id": 7,
            "limit": 5,
            "offset": 10,
            "sort": "asc",
            "sort_field": "createdAt",
            "metadata_value": "m 1&x",
            "reward_id": "r1",
        },
        Reply.json(VOUCHERS),
        "GET",
        f"{PROGRAM}/vouchers",
        _contact_vouchers,
        query={
            "contactId": "7",
            "limit": "5",
            "offset": "10",
            "sort": "asc",
            "sortField": "createdAt",
            "metadata_key_value": "m 1&x",
            "rewardId": "r1",
        },
    ),
]


def test_cases_cover_every_operation() -> None:
    assert {case.operation for case in CASES} >= {operation.name for operation in OPERATIONS}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_operation_request_and_result(kind: Kind, case: Case, server: LoopbackServer) -> None:
    server.enqueue(case.reply)

    result = call(kind, server.base_url, case.operation, case.arguments)

    case.check(result)
    assert server.count == 1
    sent = server.requests[0]
    assert sent.method == case.method
    assert sent.path == case.path
    assert sent.flat_query == dict(case.query)
    if case.body is None:
        assert sent.body == b""
    else:
        assert sent.headers["content-type"] == "application/json"
        assert sent.json() == case.body
    assert sent.headers.get_list("api-key") == [API_KEY]
    assert "partner-key" not in sent.headers
    assert "authorization" not in sent.headers
    assert sent.headers["accept"] == "application/json"
    user_agent = sent.headers.get_list("user-agent")
    assert len(user_agent) == 1
    assert user_agent[0].startswith(f"brevo-loyalty/{brevo_loyalty.__version__} python/")


@pytest.mark.parametrize("kind", KINDS)
def test_extra_and_default_headers_are_sent(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}))

    call(
        kind,
        server.base_url,
        "get_code_count",
        {"program_id": PID, "code_pool_id": "p", "extra_headers": {"X-Trace": "abc"}},
        default_headers={"X-App": "shop"},
    )

    headers = server.requests[0].headers
    assert headers["x-trace"] == "abc"
    assert headers["x-app"] == "shop"
    assert headers["api-key"] == API_KEY


@pytest.mark.parametrize("kind", KINDS)
def test_extra_header_overrides_a_default_header_case_insensitively(
    kind: Kind, server: LoopbackServer
) -> None:
    # HTTP header names are case-insensitive: overriding "user-agent" must replace the client's
    # "User-Agent", not send a second one next to it.
    server.enqueue(Reply.json({"count": 1}))

    call(
        kind,
        server.base_url,
        "get_code_count",
        {"program_id": PID, "code_pool_id": "p", "extra_headers": {"user-agent": "shop/2.0"}},
    )

    assert server.requests[0].headers.get_list("user-agent") == ["shop/2.0"]


@pytest.mark.parametrize("kind", KINDS)
def test_with_raw_response_gives_status_headers_body_and_parse(
    kind: Kind, server: LoopbackServer
) -> None:
    server.enqueue(Reply.json({"count": 5}, headers={"X-Request-Id": "req-9"}))

    response = call(
        kind,
        server.base_url,
        "get_code_count",
        {"program_id": PID, "code_pool_id": "p"},
        raw=True,
    )

    assert isinstance(response, brevo_loyalty.APIResponse)
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-9"
    assert json.loads(response.content) == {"count": 5}
    assert response.json() == {"count": 5}
    assert response.retries_taken == 0
    parsed = response.parse()
    assert isinstance(parsed, CodeCount)
    assert parsed.count == 5
    assert response.parse() is parsed
