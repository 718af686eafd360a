"""The three ways in: sync and async httpx transports, the loopback server, the command line."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import httpx
from brevo_loyalty.sandbox import DEFAULT_API_KEY, ManualClock, Sandbox, serve
from brevo_loyalty_api.api.rewards import (
    create_reward,
    create_voucher,
    get_code_count,
    get_reward,
    list_rewards,
)
from brevo_loyalty_api.client import AuthenticatedClient
from brevo_loyalty_api.models import (
    CodeCount,
    CreatedReward,
    CreateRewardRequest,
    CreateVoucherRequest,
    Error,
    Reward,
    RewardPage,
    Voucher,
)

ROOT = Path(__file__).resolve().parents[2]


def _client(base_url: str, **httpx_args: object) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=base_url,
        token=DEFAULT_API_KEY,
        prefix="",
        auth_header_name="api-key",
        httpx_args=dict(httpx_args),
    )


def test_sync_transport_with_the_generated_client(sandbox: Sandbox, program_id: str) -> None:
    pid = uuid.UUID(program_id)
    client = _client("http://anything.example/v3", transport=sandbox.transport())
    with client:
        created = create_reward.sync(pid, client=client, body=CreateRewardRequest(name="Mug"))
        assert isinstance(created, CreatedReward)
        assert isinstance(created.id, str)
        sandbox.configure_reward(program_id, created.id, value=3.0)
        body = CreateVoucherRequest(reward_id=uuid.UUID(created.id), contact_id=12)
        voucher = create_voucher.sync(pid, client=client, body=body)
        assert isinstance(voucher, Voucher)
        assert voucher.contact_id == 12
        assert voucher.value == 3.0
        reward = get_reward.sync(pid, uuid.UUID(created.id), client=client)
        assert isinstance(reward, Reward)
        assert reward.code_count == 1
        # The recursive rule parses into the generated models.
        assert reward.rule
        assert reward.rule.condition
        assert reward.rule.condition.or_
        missing = get_code_count.sync(pid, "missing", client=client)
        assert isinstance(missing, Error)
        assert missing.message == "code pool not found"


def test_async_transport_with_the_generated_client(sandbox: Sandbox, program_id: str) -> None:
    pid = uuid.UUID(program_id)
    pool = sandbox.add_code_pool(program_id, size=4)

    async def scenario() -> tuple[object, object]:
        client = _client("http://anything.example/v3", transport=sandbox.async_transport())
        async with client:
            names = [f"Async {i}" for i in range(3)]
            await asyncio.gather(
                *(
                    create_reward.asyncio(pid, client=client, body=CreateRewardRequest(name=n))
                    for n in names
                )
            )
            page = await list_rewards.asyncio(pid, client=client, limit=2)
            count = await get_code_count.asyncio(pid, pool, client=client)
            return page, count

    page, count = asyncio.run(scenario())
    assert isinstance(page, RewardPage)
    assert page.total_count == 3
    assert len(page.items or []) == 2
    assert isinstance(count, CodeCount)
    assert count.count == 4


def test_loopback_server(sandbox: Sandbox, program_id: str) -> None:
    with serve(sandbox, port=0) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.base_url.endswith("/v3")
        assert server.port > 0
        pid = uuid.UUID(program_id)
        with _client(server.base_url) as client:
            created = create_reward.sync(pid, client=client, body=CreateRewardRequest(name="Pen"))
            assert isinstance(created, CreatedReward)
            page = list_rewards.sync(pid, client=client)
            assert isinstance(page, RewardPage)
            assert page.total_count == 1
        revoke_url = f"{server.base_url}/loyalty/offer/programs/{program_id}/rewards/revoke"
        unknown = "00000000-0000-4000-8000-000000000000"
        response = httpx.delete(
            revoke_url, params={"attributedRewardIds": unknown}, headers={"api-key": "bad"}
        )
        assert response.status_code == 401
        assert response.json()["message"] == "Request authentication failed"


def test_loopback_server_is_safe_under_concurrency(sandbox: Sandbox, program_id: str) -> None:
    """Parallel attributions over real sockets never overshoot the reward's total limit."""
    reward = sandbox.create_reward(program_id, name="Scarce")
    sandbox.configure_reward(program_id, reward.id, total_attribution=5)
    statuses: list[int] = []
    with serve(sandbox) as server:
        url = f"{server.base_url}/loyalty/offer/programs/{program_id}/rewards/attribute"

        def attribute(contact: int) -> None:
            body = {"rewardId": reward.id, "contactId": contact}
            with httpx.Client(headers={"api-key": DEFAULT_API_KEY}) as client:
                statuses.append(client.post(url, json=body).status_code)

        threads = [threading.Thread(target=attribute, args=(i,)) for i in range(1, 13)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(statuses) == [200] * 5 + [412] * 7


def test_command_line_server() -> None:
    command = [
        sys.executable,
        "-m",
        "brevo_loyalty.sandbox",
        "--port",
        "0",
        "--seed",
        "5",
        "--start",
        "2025-06-01T12:00:00Z",
        "--codes",
        "3",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT) as proc:
        try:
            assert proc.stdout is not None
            lines = dict(proc.stdout.readline().split(":", 1) for _ in range(4))
            info = {key.strip(): value.strip() for key, value in lines.items()}
            assert info["api-key"] == DEFAULT_API_KEY
            base = f"{info['base URL']}/loyalty/offer/programs/{info['program id']}"
            count = httpx.get(
                f"{base}/code-pools/{info['code pool']}/codes-count",
                headers={"api-key": info["api-key"]},
            )
            assert count.json() == {"count": 3}
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    # The same seed gives the same program id as an in-process sandbox.
    twin = Sandbox(seed=5, clock=ManualClock())
    assert info["program id"] == twin.create_program()
