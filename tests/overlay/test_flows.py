"""redeem(): create the redeem request, optionally ask before_complete, then complete it."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

import pytest
from brevo_loyalty import APIConnectionError, AsyncRewards, RedeemAborted, Rewards
from brevo_loyalty_api.models import RedeemTransaction

from ._loopback import (
    KINDS,
    PID,
    PROGRAM,
    Kind,
    LoopbackServer,
    Reply,
    client_options,
    refused_port,
    run_async,
)

PENDING = {"id": "tx/9", "status": "pending", "contactId": 7, "expiresAt": "2024-03-01T10:05:00Z"}
COMPLETED = {"id": "tx/9", "status": "completed", "completedAt": "2024-03-01T10:01:00Z"}
REDEEM: dict[str, Any] = {"program_id": PID, "contact_id": 7, "code": "CODE-1", "ttl": 30}


def _script(server: LoopbackServer) -> None:
    server.route("POST", f"{PROGRAM}/rewards/redeem", Reply.json(PENDING))
    server.route("POST", f"{PROGRAM}/rewards/redeem/[^/]+/complete", Reply.json(COMPLETED))


def redeem(kind: Kind, server: LoopbackServer, **arguments: Any) -> RedeemTransaction:
    options = client_options(kind, server.base_url, None, {})
    if kind == "sync":
        with Rewards(**options) as client:
            return client.redeem(**REDEEM, **arguments)

    async def main() -> RedeemTransaction:
        async with AsyncRewards(**options) as client:
            return await client.redeem(**REDEEM, **arguments)

    return run_async(main)


@pytest.mark.parametrize("kind", KINDS)
def test_redeem_creates_then_completes(kind: Kind, server: LoopbackServer) -> None:
    _script(server)

    result = redeem(kind, server)

    assert result.status == "completed"
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", f"{PROGRAM}/rewards/redeem"),
        ("POST", f"{PROGRAM}/rewards/redeem/tx%2F9/complete"),  # the returned id, one segment
    ]
    assert server.requests[0].json() == {"contactId": 7, "code": "CODE-1", "ttl": 30}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("verdict", [True, None])
def test_before_complete_not_false_continues(
    kind: Kind, verdict: bool | None, server: LoopbackServer
) -> None:
    _script(server)
    seen: list[RedeemTransaction] = []

    def before_complete(pending: RedeemTransaction) -> bool | None:
        seen.append(pending)
        assert server.count == 1  # between the two requests
        return verdict

    result = redeem(kind, server, before_complete=before_complete)

    assert result.status == "completed"
    assert [t.status for t in seen] == ["pending"]
    assert server.count == 2


@pytest.mark.parametrize("kind", KINDS)
def test_before_complete_false_aborts(kind: Kind, server: LoopbackServer) -> None:
    _script(server)

    with pytest.raises(RedeemAborted) as info:
        redeem(kind, server, before_complete=lambda pending: False)

    assert isinstance(info.value.transaction, RedeemTransaction)
    assert info.value.transaction.id == "tx/9"
    assert info.value.transaction.status == "pending"
    assert server.count == 1  # no complete request


@pytest.mark.parametrize("verdict", [False, True])
def test_async_before_complete_coroutine(verdict: bool, server: LoopbackServer) -> None:
    _script(server)
    seen: list[str] = []

    async def before_complete(pending: RedeemTransaction) -> bool:
        seen.append(str(pending.id))
        return verdict

    if verdict:
        assert redeem("async", server, before_complete=before_complete).status == "completed"
        assert server.count == 2
    else:
        with pytest.raises(RedeemAborted):
            redeem("async", server, before_complete=before_complete)
        assert server.count == 1
    assert seen == ["tx/9"]


def test_redeem_validates_before_any_request(server: LoopbackServer) -> None:
    with Rewards(**client_options("sync", server.base_url, None, {})) as client:
        with pytest.raises(ValueError, match="contact_id"):
            client.redeem(program_id=PID, code="C")
        with pytest.raises(ValueError, match="program_id"):
            client.redeem(program_id="x", contact_id=1, code="C")
    assert server.count == 0


def test_async_redeem_validates_before_any_request(server: LoopbackServer) -> None:
    async def main() -> None:
        async with AsyncRewards(**client_options("async", server.base_url, None, {})) as client:
            with pytest.raises(ValueError, match="contact_id"):
                await client.redeem(program_id=PID, code="C")

    run_async(main)
    assert server.count == 0


def test_sync_redeem_refuses_a_coroutine_verdict(server: LoopbackServer) -> None:
    # The sync client cannot await: an async before_complete must not be taken as "go ahead"
    # (the un-awaited coroutine is truthy), or a check meant to veto would consume the voucher.
    _script(server)
    made: list[Coroutine[Any, Any, bool]] = []

    async def veto(pending: RedeemTransaction) -> bool:
        return False

    def before_complete(pending: RedeemTransaction) -> Any:
        coroutine = veto(pending)
        made.append(coroutine)
        return coroutine

    try:
        with pytest.raises(TypeError):
            redeem("sync", server, before_complete=before_complete)
    finally:
        for coroutine in made:
            coroutine.close()
    assert server.count == 1  # created, never completed


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("max_retries", "expected_sleeps"), [(None, 2), (0, 0), (1, 1)])
def test_redeem_passes_max_retries_to_both_steps(
    kind: Kind, max_retries: int | None, expected_sleeps: int
) -> None:
    # A refused connection is the one failure a create may retry: the per-call max_retries of
    # redeem() must reach it (the client default is 2).
    sleeps: list[float] = []
    with refused_port() as port:
        options = client_options(kind, f"http://127.0.0.1:{port}/v3", sleeps, {})
        arguments: dict[str, Any] = {**REDEEM, "max_retries": max_retries}

        def attempt() -> None:
            if kind == "sync":
                with Rewards(**options) as client:
                    client.redeem(**arguments)
                return

            async def main() -> None:
                async with AsyncRewards(**options) as client:
                    await client.redeem(**arguments)

            run_async(main)

        with pytest.raises(APIConnectionError):
            attempt()
    assert len(sleeps) == expected_sleeps
