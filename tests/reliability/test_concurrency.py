"""A client shared by many threads or tasks gives each caller its own response.

The server echoes something request-specific (the reward id of the path, the contact id of the
body) after a random short pause, over keep-alive connections, so that responses complete out of
order and pooled connections are reused: any cross-talk shows up as a wrong id.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from brevo_loyalty import AsyncRewards, Rewards

from ._calls import API_KEY, PATH_PREFIX, PROGRAM_ID, valid_body
from ._servers import Connection, RawServer

THREADS = 8
CALLS_PER_THREAD = 25
TASKS = 100


def _echo(conn: Connection) -> None:
    # Bounded: read_request returns None when the client closes or after the server's IO timeout.
    while (request := conn.read_request()) is not None:
        time.sleep(random.uniform(0, 0.004))
        if request.method == "GET" and "/rewards/" in request.target:
            body = valid_body(id=request.target.split("?")[0].rsplit("/", 1)[1])
        else:
            body = valid_body(contactId=json.loads(request.body)["contactId"], id="v")
        conn.respond(200, body, keep_alive=True)


def _check_all_sent_under_prefix(server: RawServer, expected: int) -> None:
    assert len(server.requests) == expected
    assert all(r.target.startswith(PATH_PREFIX) for r in server.requests)


def test_threads_sharing_one_client_get_their_own_responses(
    serve: Callable[..., RawServer],
) -> None:
    server = serve(_echo)
    mismatches: list[str] = []
    lock = threading.Lock()

    def worker(index: int, client: Rewards) -> int:
        done = 0
        got: object
        wanted: object
        for n in range(CALLS_PER_THREAD):
            if n % 2:
                reward_id = uuid.uuid4()
                got = client.get_reward(program_id=PROGRAM_ID, reward_id=reward_id).id
                wanted = str(reward_id)
            else:
                contact = index * 1000 + n + 1
                voucher = client.create_voucher(
                    program_id=PROGRAM_ID, reward_id=uuid.uuid4(), contact_id=contact
                )
                got, wanted = voucher.contact_id, contact
            if got != wanted:
                with lock:
                    mismatches.append(f"thread {index}: wanted {wanted!r}, got {got!r}")
            done += 1
        return done

    with (
        Rewards(api_key=API_KEY, base_url=server.base_url) as client,
        ThreadPoolExecutor(THREADS) as pool,
    ):
        counts = list(pool.map(lambda i: worker(i, client), range(THREADS)))
    assert counts == [CALLS_PER_THREAD] * THREADS
    assert mismatches == []
    _check_all_sent_under_prefix(server, THREADS * CALLS_PER_THREAD)


def test_asyncio_tasks_sharing_one_client_get_their_own_responses(
    serve: Callable[..., RawServer],
) -> None:
    server = serve(_echo)

    async def one(client: AsyncRewards, index: int) -> tuple[object, object]:
        if index % 2:
            reward_id = uuid.uuid4()
            reward = await client.get_reward(program_id=PROGRAM_ID, reward_id=reward_id)
            return reward.id, str(reward_id)
        voucher = await client.create_voucher(
            program_id=PROGRAM_ID, reward_id=uuid.uuid4(), contact_id=index + 1
        )
        return voucher.contact_id, index + 1

    async def main() -> list[tuple[object, object]]:
        async with AsyncRewards(api_key=API_KEY, base_url=server.base_url) as client:
            return await asyncio.gather(*(one(client, i) for i in range(TASKS)))

    results = asyncio.run(main())
    assert len(results) == TASKS
    assert [got for got, _ in results] == [wanted for _, wanted in results]
    _check_all_sent_under_prefix(server, TASKS)
