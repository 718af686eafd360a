"""``AsyncRewards`` on the aiohttp backend (``DefaultAioHttpClient``) behaves as on httpx's own.

Everything goes over real loopback sockets: the sandbox served by ``serve()`` for the happy paths,
raw-socket servers that misbehave on purpose for the faults. Only the public API is used. The
backoff sleep is injected (recorded, not waited) wherever retries happen.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx
import pytest
from brevo_loyalty import (
    APIConnectionError,
    APITimeoutError,
    AsyncRewards,
    AuthenticationError,
    DefaultAioHttpClient,
    InternalServerError,
    NotFoundError,
    PreconditionFailedError,
    RateLimitError,
)
from brevo_loyalty.sandbox import DEFAULT_API_KEY, Sandbox, serve
from brevo_loyalty_api.models import Reward

from ..reliability._calls import API_KEY, NON_IDEMPOTENT, OPERATIONS, PROGRAM_ID, Outcome
from ..reliability._servers import Connection, RawServer, free_port

RETRIES = 2
BOUND_SECONDS = 10.0  # generous: the slowest case takes well under a second


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[Connection], None]], RawServer]]:
    """Start a raw-socket server per call; all are closed (threads joined) at teardown."""
    servers: list[RawServer] = []

    def start(handler: Callable[[Connection], None]) -> RawServer:
        server = RawServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def run_on_aiohttp(
    base_url: str,
    operation: str,
    *,
    arguments: Mapping[str, Any] | None = None,
    client_options: Mapping[str, Any] | None = None,
    call_options: Mapping[str, Any] | None = None,
) -> Outcome:
    """Call ``operation`` once through ``AsyncRewards(http_client=DefaultAioHttpClient())``."""
    outcome = Outcome()
    defaults = OPERATIONS[operation][0]
    args = {"program_id": PROGRAM_ID, **defaults, **(arguments or {}), **(call_options or {})}
    options: dict[str, Any] = {"api_key": API_KEY, "base_url": base_url, **(client_options or {})}

    async def record(delay: float) -> None:
        outcome.sleeps.append(delay)

    async def main() -> None:
        async with (
            DefaultAioHttpClient() as http,
            AsyncRewards(http_client=http, sleep=record, **options) as client,
        ):
            try:
                outcome.result = await getattr(client, operation)(**args)
            except Exception as exc:
                outcome.error = exc

    asyncio.run(main())
    return outcome


def _answer(status: int, body: Any = b"", **kwargs: Any) -> Callable[[Connection], None]:
    def handler(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.respond(status, body, **kwargs)

    return handler


def _reset_after_request(conn: Connection) -> None:
    if conn.read_request() is not None:
        conn.reset()


def _close_after_request(conn: Connection) -> None:
    # A clean FIN instead of an answer: aiohttp calls it "server disconnected".
    if conn.read_request() is not None:
        conn.sock.close()


def _reset_mid_body(conn: Connection) -> None:
    if conn.read_request() is not None:
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n")
        conn.send(b'\r\n{"id": "partial')
        conn.reset()


def _hang(conn: Connection) -> None:
    if conn.read_request() is not None:
        conn.hang()


def _drip(conn: Connection) -> None:
    """Answer one byte at a time, each well within the read timeout, never finishing in time."""
    if conn.read_request() is None:
        return
    conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
    for _ in range(100):
        if conn.server.stopping.wait(0.05):
            return
        conn.send(b" ")


# -- the happy paths, against the sandbox served on loopback ------------------------------------


def test_every_kind_of_call_works_against_the_served_sandbox() -> None:
    sandbox = Sandbox(seed=3)
    program_id = sandbox.create_program()
    pool_id = sandbox.add_code_pool(program_id, size=5)

    async def main() -> None:
        with serve(sandbox) as server:
            async with (
                DefaultAioHttpClient() as http,
                AsyncRewards(
                    api_key=DEFAULT_API_KEY, base_url=server.base_url, http_client=http
                ) as client,
            ):
                created = await client.create_reward(program_id=program_id, name="Coffee")
                reward_id = str(created.id)
                sandbox.configure_reward(program_id, reward_id, code_pool_id=pool_id)
                reward = await client.get_reward(program_id=program_id, reward_id=reward_id)
                assert isinstance(reward, Reward)
                assert reward.name == "Coffee"
                voucher = await client.create_voucher(
                    program_id=program_id, reward_id=reward_id, contact_id=7
                )
                code = str(voucher.code)
                names = [r.name async for r in client.iter_rewards(program_id=program_id)]
                assert names == ["Coffee"]
                done = await client.redeem(program_id=program_id, contact_id=7, code=code)
                assert done.status
                with pytest.raises(PreconditionFailedError):
                    await client.redeem(program_id=program_id, contact_id=7, code=code)
                raw = await client.with_raw_response.get_reward(
                    program_id=program_id, reward_id=reward_id
                )
                assert raw.status_code == 200
                assert raw.parse().name == "Coffee"
                # Many concurrent calls through the one client.
                got = await asyncio.gather(
                    *(
                        client.get_reward(program_id=program_id, reward_id=reward_id)
                        for _ in range(50)
                    )
                )
                assert {r.id for r in got} == {reward_id}

    asyncio.run(main())


def test_the_client_does_not_close_the_http_client_it_was_given() -> None:
    sandbox = Sandbox(seed=4)
    program_id = sandbox.create_program()

    async def main() -> None:
        with serve(sandbox) as server:
            async with DefaultAioHttpClient() as http:
                async with AsyncRewards(
                    api_key=DEFAULT_API_KEY, base_url=server.base_url, http_client=http
                ) as client:
                    await client.list_rewards(program_id=program_id)
                assert not http.is_closed
                async with AsyncRewards(
                    api_key=DEFAULT_API_KEY, base_url=server.base_url, http_client=http
                ) as again:
                    page = await again.list_rewards(program_id=program_id)
                    assert page.total_count == 0
            assert http.is_closed

    asyncio.run(main())


def test_the_backend_is_an_httpx_async_client_with_the_default_timeout() -> None:
    http = DefaultAioHttpClient()
    assert isinstance(http, httpx.AsyncClient)
    assert http.timeout == httpx.Timeout(30.0, connect=5.0)
    assert DefaultAioHttpClient(timeout=3.0).timeout == httpx.Timeout(3.0)


def test_without_aiohttp_the_import_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import brevo_loyalty

    monkeypatch.setitem(sys.modules, "aiohttp", None)  # what an install without the extra sees
    monkeypatch.delitem(sys.modules, "brevo_loyalty._aiohttp", raising=False)
    monkeypatch.delitem(sys.modules, "httpx_aiohttp", raising=False)
    monkeypatch.delitem(sys.modules, "httpx_aiohttp.transport", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'brevo-loyalty\[aiohttp\]'"):
        _ = brevo_loyalty.DefaultAioHttpClient


# -- errors and retries ---------------------------------------------------------------------


def test_a_status_error_is_typed_with_code_and_message(raw_server: Any) -> None:
    body = {"code": "document_not_found", "message": "reward not found"}
    server = raw_server(_answer(404, body))
    outcome = run_on_aiohttp(server.base_url, "get_reward")
    assert isinstance(outcome.error, NotFoundError)
    assert (outcome.error.code, outcome.error.message) == ("document_not_found", "reward not found")
    assert len(server.requests) == 1


def test_an_html_502_is_retried_then_raised(raw_server: Any) -> None:
    page = "<html>502 Bad Gateway</html>"
    server = raw_server(_answer(502, page.encode(), reason="Bad Gateway", content_type="text/html"))
    outcome = run_on_aiohttp(server.base_url, "get_reward", client_options={"max_retries": 2})
    assert isinstance(outcome.error, InternalServerError)
    assert outcome.error.body == page
    assert outcome.error.message == "Bad Gateway"  # the reason phrase, as aiohttp received it
    assert len(server.requests) == 3
    assert len(outcome.sleeps) == 2


def test_a_get_retried_on_503_then_succeeds_against_the_sandbox() -> None:
    sandbox = Sandbox(seed=5)
    program_id = sandbox.create_program()
    sandbox.fail_next(2, status=503, headers={"Retry-After": "1"})
    sleeps: list[float] = []

    async def record(delay: float) -> None:
        sleeps.append(delay)

    async def main() -> int:
        with serve(sandbox) as server:
            async with (
                DefaultAioHttpClient() as http,
                AsyncRewards(
                    api_key=DEFAULT_API_KEY,
                    base_url=server.base_url,
                    http_client=http,
                    sleep=record,
                ) as client,
            ):
                raw = await client.with_raw_response.list_rewards(program_id=program_id)
                return int(raw.retries_taken)

    assert asyncio.run(main()) == 2
    assert sleeps == [1.0, 1.0]  # Retry-After honoured


def test_retry_after_on_429_is_honoured(raw_server: Any) -> None:
    server = raw_server(_answer(429, {"code": "slow_down"}, headers={"Retry-After": "3"}))
    outcome = run_on_aiohttp(server.base_url, "list_rewards", client_options={"max_retries": 1})
    assert isinstance(outcome.error, RateLimitError)
    assert outcome.sleeps == [3.0]


@pytest.mark.parametrize("operation", NON_IDEMPOTENT)
def test_a_create_is_not_retried_on_503(operation: str, raw_server: Any) -> None:
    server = raw_server(_answer(503, {"code": "down"}))
    outcome = run_on_aiohttp(server.base_url, operation, client_options={"max_retries": RETRIES})
    assert isinstance(outcome.error, InternalServerError)
    assert len(server.requests) == 1
    assert outcome.sleeps == []


@pytest.mark.parametrize(
    "handler",
    [_reset_after_request, _close_after_request, _reset_mid_body],
    ids=lambda h: h.__name__,
)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_dropped_connection_never_repeats_a_create(
    operation: str, handler: Callable[[Connection], None], raw_server: Any
) -> None:
    # httpx-aiohttp alone reports these as ConnectTimeout ("never sent"), which would make the
    # client send a create twice; DefaultAioHttpClient reports what happened.
    server = raw_server(handler)
    started = time.monotonic()
    outcome = run_on_aiohttp(server.base_url, operation, client_options={"max_retries": RETRIES})
    assert isinstance(outcome.error, APIConnectionError)
    attempts = RETRIES + 1 if OPERATIONS[operation][1] else 1
    assert len(outcome.sleeps) == attempts - 1
    if operation in NON_IDEMPOTENT:
        assert len(server.requests) == 1
    elif server.requests[0].method in {"GET", "DELETE"}:
        # aiohttp itself resends a GET or DELETE once on a dropped connection (RFC 9112 9.3.1).
        assert attempts <= len(server.requests) <= 2 * attempts
    else:
        assert len(server.requests) == attempts  # validate_reward: a POST aiohttp never resends
    assert time.monotonic() - started < BOUND_SECONDS


@pytest.mark.parametrize("operation", ["create_voucher", "get_reward"])
def test_connection_refused_is_retried_even_for_a_create(operation: str) -> None:
    # Nothing listens: the request cannot have been sent, so a retry is always safe.
    base_url = f"http://127.0.0.1:{free_port()}/v3"
    outcome = run_on_aiohttp(base_url, operation, client_options={"max_retries": RETRIES})
    assert isinstance(outcome.error, APIConnectionError)
    assert not isinstance(outcome.error, APITimeoutError)
    assert len(outcome.sleeps) == RETRIES


# -- timeouts and deadlines -----------------------------------------------------------------


@pytest.mark.parametrize("operation", ["get_reward", "create_voucher"])
def test_a_silent_server_times_out(operation: str, raw_server: Any) -> None:
    server = raw_server(_hang)
    started = time.monotonic()
    outcome = run_on_aiohttp(
        server.base_url, operation, client_options={"max_retries": 1, "timeout": 0.25}
    )
    assert isinstance(outcome.error, APITimeoutError)
    # A read timeout may have reached the server: only the idempotent GET is tried again.
    assert len(server.requests) == (2 if operation == "get_reward" else 1)
    assert time.monotonic() - started < BOUND_SECONDS


def test_the_per_call_timeout_wins(raw_server: Any) -> None:
    server = raw_server(_hang)
    started = time.monotonic()
    outcome = run_on_aiohttp(
        server.base_url,
        "get_reward",
        client_options={"max_retries": 0, "timeout": 30.0},
        call_options={"timeout": 0.2},
    )
    assert isinstance(outcome.error, APITimeoutError)
    assert time.monotonic() - started < 5.0


def test_a_dripping_server_is_cut_at_the_attempt_deadline(raw_server: Any) -> None:
    # Each byte arrives well within the 0.3 s read timeout; the whole answer would take 5 s.
    server = raw_server(_drip)
    started = time.monotonic()
    outcome = run_on_aiohttp(
        server.base_url, "get_reward", client_options={"max_retries": 0, "timeout": 0.3}
    )
    assert isinstance(outcome.error, APITimeoutError)
    assert time.monotonic() - started < 2.0


# -- secrets --------------------------------------------------------------------------------


def _texts_of(error: BaseException | None) -> list[str]:
    texts: list[str] = []
    while error is not None:  # the whole chain: cause and context
        texts += [str(error), repr(error), "".join(traceback.format_exception(error))]
        texts.append(repr(dict(vars(error))))
        error = error.__cause__ or error.__context__
    return texts


def test_the_key_never_leaks_on_any_path(raw_server: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("brevo_loyalty", "httpx", "aiohttp"):
        caplog.set_level(logging.DEBUG, logger=name)
    secret = "xkeysib-aiohttp-0123456789abcdef-TOPSECRET"

    def seen_then(handler: Callable[[Connection], None]) -> Callable[[Connection], None]:
        def check(conn: Connection) -> None:
            request = conn.read_request()
            if request is None:
                return
            assert secret in request.raw_head.decode("latin-1")  # the key is really sent
            conn.buffer = request.raw_head + b"\r\n\r\n" + request.body + conn.buffer
            handler(conn)

        return check

    urls = {
        "401": raw_server(seen_then(_answer(401, {"code": "unauthorized"}))).base_url,
        "503": raw_server(seen_then(_answer(503, b"<html>down</html>"))).base_url,
        "reset": raw_server(seen_then(_reset_after_request)).base_url,
        "hang": raw_server(seen_then(_hang)).base_url,
        "refused": f"http://127.0.0.1:{free_port()}/v3",
    }
    texts: list[str] = []
    errors: dict[str, type[BaseException] | None] = {}
    for name, url in urls.items():
        outcome = run_on_aiohttp(
            url,
            "create_voucher",
            client_options={"api_key": secret, "max_retries": 1, "timeout": 0.3},
        )
        errors[name] = type(outcome.error) if outcome.error else None
        texts += _texts_of(outcome.error)
    texts += [caplog.text, *(r.getMessage() + repr(r.args) for r in caplog.records)]
    assert errors == {
        "401": AuthenticationError,
        "503": InternalServerError,
        "reset": APIConnectionError,
        "hang": APITimeoutError,
        "refused": APIConnectionError,
    }
    assert [text for text in texts if secret in text] == []
