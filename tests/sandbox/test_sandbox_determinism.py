"""A seeded sandbox with a manual clock answers the same scenario with the same bytes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx
from brevo_loyalty.sandbox import DEFAULT_API_KEY, ManualClock, Sandbox, serve

from .conftest import START


def _scenario(
    sandbox: Sandbox, client: httpx.Client, advance: Callable[[int], object]
) -> list[bytes]:
    """Run every operation once; return each response's status line and body."""
    program_id = sandbox.create_program()
    pool = sandbox.add_code_pool(program_id, size=2)
    base = f"loyalty/offer/programs/{program_id}"
    bodies: list[bytes] = []

    def record(response: httpx.Response) -> httpx.Response:
        bodies.append(f"{response.status_code} ".encode() + response.content)
        return response

    reward = record(client.post(f"{base}/offers", json={"name": "Seeded"})).json()
    sandbox.configure_reward(
        program_id, reward["id"], code_pool_id=pool, expiration_value=2, expiration_unit="month"
    )
    generated = sandbox.create_reward(program_id, name="Generated codes")
    sandbox.configure_reward(program_id, generated.id)
    voucher = record(
        client.post(f"{base}/rewards/attribute", json={"rewardId": reward["id"], "contactId": 1})
    ).json()
    record(
        client.post(f"{base}/rewards/attribute", json={"rewardId": generated.id, "contactId": 1})
    )
    advance(5)
    redeem = {"attributedRewardId": voucher["id"], "contactId": 1, "ttl": 20}
    transaction = record(client.post(f"{base}/rewards/redeem", json=redeem)).json()
    advance(5)
    record(client.post(f"{base}/rewards/redeem/{transaction['id']}/complete"))
    record(client.post(f"{base}/rewards/validate", json={"contactId": 1}))
    record(client.get(f"{base}/offers"))
    record(client.get(f"{base}/rewards/{reward['id']}"))
    record(client.get(f"{base}/vouchers", params={"contactId": 1}))
    record(client.get(f"{base}/code-pools/{pool}/codes-count"))
    record(client.delete(f"{base}/rewards/revoke", params={"attributedRewardIds": voucher["id"]}))
    return bodies


def _in_memory(seed: int) -> list[bytes]:
    clock = ManualClock(START)
    sandbox = Sandbox(seed=seed, clock=clock)
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="http://memory/v3/",
        headers={"api-key": DEFAULT_API_KEY},
    ) as client:
        return _scenario(sandbox, client, lambda s: clock.advance(timedelta(seconds=s)))


def _over_http(seed: int) -> list[bytes]:
    clock = ManualClock(START)
    sandbox = Sandbox(seed=seed, clock=clock)
    with (
        serve(sandbox) as server,
        httpx.Client(
            base_url=server.base_url + "/", headers={"api-key": DEFAULT_API_KEY}
        ) as client,
    ):
        return _scenario(sandbox, client, lambda s: clock.advance(timedelta(seconds=s)))


def test_same_seed_same_bytes() -> None:
    first = _in_memory(42)
    assert first == _in_memory(42)
    # The transport makes no difference either: real sockets give the very same bytes.
    assert first == _over_http(42)
    assert len(first) == 11
    assert b"2025-03-14T09:27:03Z" in b"".join(first)  # the clock moved with the scenario


def test_other_seed_other_ids() -> None:
    assert _in_memory(1) != _in_memory(2)


def test_stepping_clock_advances_once_per_operation() -> None:
    clock = ManualClock(START, step=timedelta(seconds=1))
    sandbox = Sandbox(seed=3, clock=clock)
    program_id = sandbox.create_program()  # reads the clock once: START
    first = sandbox.create_reward(program_id, name="a")
    second = sandbox.create_reward(program_id, name="b")
    assert first.created_at == START + timedelta(seconds=1)
    assert second.created_at == START + timedelta(seconds=2)
