"""Retries: which failures are retried for which operation, and how long the client waits.

Sleeps are injected (recorded, never slept) and jitter is fixed with ``random=lambda: 0.5``. With
the default policy the n-th backoff is ``min(8, 0.5 * 2**(n-1)) * (0.5 + 0.5/2)``: 0.375, 0.75, ...
"""

from __future__ import annotations

from email.utils import formatdate
from typing import Any

import pytest
from brevo_loyalty import (
    APIConnectionError,
    APIResponse,
    APIStatusError,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
)
from brevo_loyalty_api.models import CodeCount

from ._loopback import (
    ATTR1,
    COUNT,
    KINDS,
    PID,
    RID,
    Kind,
    LoopbackServer,
    Reply,
    call,
    refused_port,
)

FIXED_JITTER = RetryPolicy(random=lambda: 0.5)
NOW = 1_700_000_000.0


def _backoff(attempt: int, policy: RetryPolicy = FIXED_JITTER) -> float:
    """The documented formula of ``RetryPolicy.delay`` with the fixed jitter 0.5."""
    return min(policy.max_delay, policy.initial_delay * 2.0 ** (attempt - 1)) * 0.75


def test_backoff_formula_values() -> None:
    assert [_backoff(n) for n in (1, 2, 3, 4, 5, 6)] == [0.375, 0.75, 1.5, 3.0, 6.0, 6.0]


@pytest.mark.parametrize("kind", KINDS)
def test_get_retried_on_503_then_succeeds(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply(503), Reply(503), Reply.json({"count": 9}))
    sleeps: list[float] = []

    result = call(
        kind, server.base_url, "get_code_count", COUNT, sleeps=sleeps, retry_policy=FIXED_JITTER
    )

    assert result.count == 9
    assert server.count == 3
    assert sleeps == [0.375, 0.75]
    assert sleeps == [_backoff(1), _backoff(2)]
    assert len({r.target for r in server.requests}) == 1  # the same request, resent


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_get_retried_on_each_retryable_status(status: int, server: LoopbackServer) -> None:
    server.enqueue(Reply(status), Reply.json({"count": 1}))
    sleeps: list[float] = []
    call("sync", server.base_url, "get_code_count", COUNT, sleeps=sleeps, retry_policy=FIXED_JITTER)
    assert server.count == 2
    assert sleeps == [0.375]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 412, 422, 501])
def test_get_not_retried_on_other_errors(status: int, server: LoopbackServer) -> None:
    server.enqueue(Reply(status), Reply.json({"count": 1}))
    with pytest.raises(APIStatusError) as info:
        call("sync", server.base_url, "get_code_count", COUNT, sleeps=[])
    assert info.value.status_code == status
    assert server.count == 1


@pytest.mark.parametrize("kind", KINDS)
def test_retries_exhausted_raises_last_error(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(*[Reply.json({"message": f"down {n}"}, status=503) for n in range(5)])
    sleeps: list[float] = []

    with pytest.raises(InternalServerError) as info:
        call(
            kind,
            server.base_url,
            "get_code_count",
            COUNT,
            sleeps=sleeps,
            retry_policy=FIXED_JITTER,
            max_retries=3,
        )

    assert server.count == 4
    assert sleeps == [0.375, 0.75, 1.5]
    assert info.value.message == "down 3"


@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_seconds_is_honoured(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply(503, headers={"Retry-After": "3"}), Reply.json({"count": 1}))
    sleeps: list[float] = []

    call(kind, server.base_url, "get_code_count", COUNT, sleeps=sleeps, retry_policy=FIXED_JITTER)

    assert sleeps == [3.0]
    assert server.count == 2


def test_retry_after_http_date_uses_the_injected_clock(server: LoopbackServer) -> None:
    policy = RetryPolicy(random=lambda: 0.5, clock=lambda: NOW)
    server.enqueue(
        Reply(429, headers={"Retry-After": formatdate(NOW + 7, usegmt=True)}),
        Reply.json({"count": 1}),
    )
    sleeps: list[float] = []

    call("sync", server.base_url, "get_code_count", COUNT, sleeps=sleeps, retry_policy=policy)

    assert sleeps == [7.0]


def test_retry_after_beyond_the_maximum_is_not_waited_for(server: LoopbackServer) -> None:
    server.enqueue(Reply(429, headers={"Retry-After": "120"}), Reply.json({"count": 1}))
    sleeps: list[float] = []

    with pytest.raises(RateLimitError) as info:
        call(
            "sync",
            server.base_url,
            "get_code_count",
            COUNT,
            sleeps=sleeps,
            retry_policy=RetryPolicy(random=lambda: 0.5, max_retry_after=60),
        )

    assert info.value.headers["retry-after"] == "120"
    assert server.count == 1
    assert sleeps == []


@pytest.mark.parametrize("kind", KINDS)
def test_per_call_max_retries_zero_disables_retries(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply(503), Reply.json({"count": 1}))
    sleeps: list[float] = []

    with pytest.raises(InternalServerError):
        call(
            kind,
            server.base_url,
            "get_code_count",
            {**COUNT, "max_retries": 0},
            sleeps=sleeps,
            retry_policy=FIXED_JITTER,
        )

    assert server.count == 1
    assert sleeps == []


def test_per_call_max_retries_overrides_the_client_setting(server: LoopbackServer) -> None:
    server.enqueue(Reply(503), Reply(503), Reply(503), Reply.json({"count": 1}))
    sleeps: list[float] = []

    result = call(
        "sync",
        server.base_url,
        "get_code_count",
        {**COUNT, "max_retries": 3},
        sleeps=sleeps,
        retry_policy=FIXED_JITTER,
        max_retries=0,
    )

    assert result.count == 1
    assert server.count == 4


def test_total_budget_stops_the_retries(server: LoopbackServer) -> None:
    # 0.375 fits in the 1.0 s budget; 0.375 + 0.75 would not.
    server.enqueue(*[Reply(503) for _ in range(6)])
    sleeps: list[float] = []

    with pytest.raises(InternalServerError):
        call(
            "sync",
            server.base_url,
            "get_code_count",
            COUNT,
            sleeps=sleeps,
            retry_policy=RetryPolicy(random=lambda: 0.5, total_budget=1.0),
            max_retries=5,
        )

    assert sleeps == [0.375]
    assert server.count == 2


NON_IDEMPOTENT: list[tuple[str, dict[str, Any]]] = [
    ("create_reward", {"program_id": PID, "name": "n"}),
    ("create_voucher", {"program_id": PID, "reward_id": RID, "contact_id": 1}),
    ("create_redeem_request", {"program_id": PID, "contact_id": 1, "code": "C"}),
    ("complete_redeem_request", {"program_id": PID, "transaction_id": "tx"}),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("operation", "arguments"), NON_IDEMPOTENT, ids=[op for op, _ in NON_IDEMPOTENT]
)
@pytest.mark.parametrize("status", [429, 503])
def test_non_idempotent_operation_not_retried_on_status(
    kind: Kind, operation: str, arguments: dict[str, Any], status: int, server: LoopbackServer
) -> None:
    server.enqueue(Reply(status), Reply.json({"id": "x"}))
    sleeps: list[float] = []

    with pytest.raises(APIStatusError) as info:
        call(kind, server.base_url, operation, arguments, sleeps=sleeps, retry_policy=FIXED_JITTER)

    assert info.value.status_code == status
    assert server.count == 1
    assert sleeps == []


@pytest.mark.parametrize("kind", KINDS)
def test_create_voucher_retried_when_connection_is_refused(kind: Kind) -> None:
    # Nothing was sent, so even a non-idempotent operation may try again.
    sleeps: list[float] = []
    with refused_port() as port, pytest.raises(APIConnectionError):
        call(
            kind,
            f"http://127.0.0.1:{port}/v3",
            "create_voucher",
            {"program_id": PID, "reward_id": RID, "contact_id": 1},
            sleeps=sleeps,
            retry_policy=FIXED_JITTER,
        )
    assert sleeps == [0.375, 0.75]  # max_retries=2 by default: 3 attempts


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("operation", "arguments", "success"),
    [
        ("validate_reward", {"program_id": PID, "code": "C"}, Reply.json({"authorize": False})),
        ("revoke_vouchers", {"program_id": PID, "attributed_reward_ids": [ATTR1]}, Reply(204)),
    ],
    ids=["validate_reward", "revoke_vouchers"],
)
def test_idempotent_writes_are_retried(
    kind: Kind, operation: str, arguments: dict[str, Any], success: Reply, server: LoopbackServer
) -> None:
    server.enqueue(Reply(503), success)
    sleeps: list[float] = []

    call(kind, server.base_url, operation, arguments, sleeps=sleeps, retry_policy=FIXED_JITTER)

    assert server.count == 2
    assert sleeps == [0.375]
    assert server.requests[0].target == server.requests[1].target
    assert server.requests[0].body == server.requests[1].body


@pytest.mark.parametrize("kind", KINDS)
def test_retries_taken_is_reported_by_raw_response(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply(503), Reply(500), Reply.json({"count": 4}))
    sleeps: list[float] = []

    response = call(
        kind,
        server.base_url,
        "get_code_count",
        COUNT,
        sleeps=sleeps,
        retry_policy=FIXED_JITTER,
        raw=True,
    )

    assert isinstance(response, APIResponse)
    assert response.retries_taken == 2
    assert response.status_code == 200
    parsed = response.parse()
    assert isinstance(parsed, CodeCount)
    assert parsed.count == 4
