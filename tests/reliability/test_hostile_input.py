"""Hostile arguments and settings (issue 12, item 9): refused by name before anything is sent.

Each case runs against a counting loopback server: "refused" means a ``ValueError``/``TypeError``
naming the argument *and* zero requests received.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import math
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from brevo_loyalty import APIStatusError, AsyncRewards, EventLoopMismatchError, Rewards
from brevo_loyalty.sandbox import Sandbox

from ._calls import API_KEY, PROGRAM_ID, REWARD_ID, run_call
from ._servers import Connection, RawServer

KINDS = ["sync", "async"]
Serve = Callable[..., RawServer]


def _ok(conn: Connection) -> None:
    while conn.read_request() is not None:
        conn.respond(200, {"id": str(REWARD_ID), "name": "Gift"})


def _refused(
    kind: str, serve: Serve, operation: str, arguments: dict[str, Any], name: str
) -> BaseException:
    server = serve(_ok)
    outcome = run_call(kind, server.base_url, operation, arguments=arguments)
    assert isinstance(outcome.error, ValueError | TypeError), outcome.error
    assert name in str(outcome.error), outcome.error
    assert server.requests == []
    return outcome.error


# -- integers beyond int64 -------------------------------------------------------------------------

INT64_CASES = [
    ("create_voucher", "contact_id", 2**63),
    ("create_voucher", "contact_id", 2**70),
    ("list_rewards", "offset", 2**63),
    ("list_contact_vouchers", "offset", 2**64),
    ("list_contact_vouchers", "contact_id", 10**30),
    ("create_redeem_request", "ttl", 2**63),
    ("validate_reward", "contact_id", 2**63),
]


@pytest.mark.parametrize(("operation", "name", "value"), INT64_CASES)
@pytest.mark.parametrize("kind", KINDS)
def test_an_integer_beyond_int64_is_refused_by_name(
    kind: str, operation: str, name: str, value: int, serve: Serve
) -> None:
    error = _refused(kind, serve, operation, {name: value}, name)
    assert "64-bit" in str(error)


@pytest.mark.parametrize("kind", KINDS)
def test_the_largest_int64_is_still_sent(kind: str, serve: Serve) -> None:
    server = serve(_ok)
    outcome = run_call(
        kind, server.base_url, "list_contact_vouchers", arguments={"offset": 2**63 - 1}
    )
    assert len(server.requests) == 1, outcome.error
    assert f"offset={2**63 - 1}" in server.requests[0].target


# -- non-JSON values in meta and order -------------------------------------------------------------


def _cycle() -> dict[str, Any]:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    return loop


def _deep(levels: int) -> list[Any]:
    root: list[Any] = []
    current = root
    for _ in range(levels):
        child: list[Any] = []
        current.append(child)
        current = child
    return root


NON_JSON = {
    "nan": float("nan"),
    "inf": math.inf,
    "-inf": -math.inf,
    "datetime": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
    "set": {1, 2},
    "bytes": b"raw",
    "decimal": Decimal("1.5"),
    "object": object(),
    "cycle": _cycle(),
    "5000-deep": _deep(5000),
    "non-str key": {1: "one"},
}


@pytest.mark.parametrize("case", sorted(NON_JSON))
@pytest.mark.parametrize(
    ("operation", "name"),
    [
        ("create_voucher", "meta"),
        ("create_redeem_request", "meta"),
        ("create_redeem_request", "order"),
        ("redeem", "order"),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_a_non_json_value_in_meta_or_order_is_refused_by_name(
    kind: str, operation: str, name: str, case: str, serve: Serve
) -> None:
    arguments: dict[str, Any] = {name: {"nested": {"value": NON_JSON[case]}}}
    if operation == "redeem":
        arguments.update(contact_id=42, code="CODE-1")
    _refused(kind, serve, operation, arguments, name)


# -- headers that frame the request ----------------------------------------------------------------

FRAMING = ["Content-Length", "transfer-encoding", "Host", "Connection", "TE", "Upgrade", "Expect"]


@pytest.mark.parametrize("header", FRAMING)
@pytest.mark.parametrize("kind", KINDS)
def test_extra_headers_may_not_set_a_framing_header(kind: str, header: str, serve: Serve) -> None:
    _refused(kind, serve, "get_reward", {"extra_headers": {header: "5"}}, "extra_headers")


@pytest.mark.parametrize("header", FRAMING)
@pytest.mark.parametrize("kind", KINDS)
def test_default_headers_may_not_set_a_framing_header(kind: str, header: str) -> None:
    client_class = Rewards if kind == "sync" else AsyncRewards
    with pytest.raises(ValueError, match="default_headers"):
        client_class(api_key=API_KEY, default_headers={header: "chunked"})
    with Rewards(api_key=API_KEY) as client, pytest.raises(ValueError, match="default_headers"):
        client.with_options(default_headers={header: "chunked"})


# -- a URL too long to send ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_revoking_20000_ids_is_refused_naming_the_argument(kind: str, serve: Serve) -> None:
    ids = [uuid.uuid4() for _ in range(20_000)]
    error = _refused(
        kind, serve, "revoke_vouchers", {"attributed_reward_ids": ids}, "attributed_reward_ids"
    )
    assert "8192" in str(error)


@pytest.mark.parametrize("kind", KINDS)
def test_revoking_as_many_ids_as_fit_is_sent(kind: str, serve: Serve) -> None:
    server = serve(_ok)
    ids = [uuid.uuid4() for _ in range(150)]  # 150 x 37 characters, under 8 KiB with the path
    outcome = run_call(
        kind, server.base_url, "revoke_vouchers", arguments={"attributed_reward_ids": ids}
    )
    assert outcome.error is None, outcome.error
    assert len(server.requests) == 1


# -- base_url --------------------------------------------------------------------------------------

BAD_BASE_URLS = [
    "https://api.brevo.com/v3?x=1",
    "https://api.brevo.com/v3#frag",
    "https://api.brevo.com/v3\r\nX-Injected: 1",
    "https://api.brevo.com/v3\n",
    "https://api.brevo.com/\tv3",
    "https://api.brevo.com /v3",
    " https://api.brevo.com/v3",
    "https://user:pass@api.brevo.com/v3",
    "https:///v3",
    "ftp://api.brevo.com/v3",
]


@pytest.mark.parametrize("base_url", BAD_BASE_URLS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_malformed_base_url_is_refused_by_name(kind: str, base_url: str) -> None:
    client_class = Rewards if kind == "sync" else AsyncRewards
    with pytest.raises(ValueError, match="base_url"):
        client_class(api_key=API_KEY, base_url=base_url)
    with Rewards(api_key=API_KEY) as client, pytest.raises(ValueError, match="base_url"):
        client.with_options(base_url=base_url)


# -- AsyncRewards reused from a second asyncio.run() -----------------------------------------------


def test_an_async_client_reused_from_a_second_event_loop_raises_a_typed_error(
    serve: Serve,
) -> None:
    def keep_alive(conn: Connection) -> None:
        while conn.read_request() is not None:
            conn.respond(200, {"id": str(REWARD_ID), "name": "Gift"}, keep_alive=True)

    server = serve(keep_alive)
    client = AsyncRewards(api_key=API_KEY, base_url=server.base_url)

    async def call() -> None:
        await client.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID)

    asyncio.run(call())  # leaves a pooled keep-alive connection bound to the first loop
    with pytest.raises(EventLoopMismatchError, match="one AsyncRewards per event loop"):
        asyncio.run(call())
    with pytest.raises(RuntimeError):  # it is also a RuntimeError, as httpx's own error was
        asyncio.run(call())
    assert len(server.requests) == 1  # refused before anything was sent
    copy = client.with_options(timeout=5.0)  # a copy shares the pool, so the guard too
    with pytest.raises(EventLoopMismatchError):
        asyncio.run(copy.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID))


def test_an_async_client_on_an_in_memory_transport_works_from_any_loop() -> None:
    sandbox = Sandbox(seed=1)
    client = AsyncRewards(api_key=API_KEY, transport=sandbox.async_transport(), max_retries=0)
    answered = 0

    async def call() -> None:
        nonlocal answered
        # An answer from the sandbox, whatever it is (this key is not one of its keys).
        with contextlib.suppress(APIStatusError):
            await client.list_rewards(program_id=PROGRAM_ID)
        answered += 1

    for _ in range(3):
        asyncio.run(call())  # no EventLoopMismatchError: nothing here belongs to a loop
    assert answered == 3


def test_an_async_client_passed_a_users_client_is_guarded_too() -> None:
    http = httpx.AsyncClient()
    client = AsyncRewards(api_key=API_KEY, http_client=http, base_url="http://127.0.0.1:9/v3")
    assert client._loop_guard._bound
    asyncio.run(http.aclose())
