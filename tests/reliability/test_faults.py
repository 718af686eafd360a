"""Faults on the wire end in the documented exception, in bounded time, with safe retries.

Every case runs against a raw-socket loopback server that counts the requests it received, for
every operation, with both the sync and the async client. The backoff sleep is injected, so the
delays a client asks for are asserted without being waited.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable
from typing import Any

import pytest
from brevo_loyalty import (
    APIConnectionError,
    APITimeoutError,
    AsyncRewards,
    InternalServerError,
    RateLimitError,
    ResponseParseError,
    RetryPolicy,
    Rewards,
)

from ._calls import (
    API_KEY,
    IDEMPOTENT,
    NON_IDEMPOTENT,
    OPERATIONS,
    PROGRAM_ID,
    WITH_BODY,
    run_call,
    valid_body,
)
from ._servers import Connection, RawServer, free_port

KINDS = ["sync", "async"]
ALL_OPS = sorted(OPERATIONS)
# Generous: the slowest case (two 0.25 s read timeouts) takes well under a second.
BOUND_SECONDS = 10.0
RETRIES = 2

Serve = Callable[..., RawServer]


def _expected_attempts(operation: str, retries: int = RETRIES) -> int:
    # A non-idempotent call is never repeated once its request may have reached the server.
    return retries + 1 if OPERATIONS[operation][1] else 1


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    value = fn()
    return value, time.monotonic() - started


@pytest.mark.parametrize("operation", ALL_OPS)
@pytest.mark.parametrize("kind", KINDS)
def test_connection_refused_is_retried_for_every_operation(kind: str, operation: str) -> None:
    # Nothing listens: the request cannot have been sent, so even a create may be retried.
    base_url = f"http://127.0.0.1:{free_port()}/v3"
    outcome, elapsed = _timed(
        lambda: run_call(kind, base_url, operation, client_options={"max_retries": RETRIES})
    )
    assert isinstance(outcome.error, APIConnectionError)
    assert not isinstance(outcome.error, APITimeoutError)
    assert len(outcome.sleeps) == RETRIES
    assert elapsed < BOUND_SECONDS


@pytest.mark.parametrize("operation", NON_IDEMPOTENT)
@pytest.mark.parametrize("kind", KINDS)
def test_refused_create_is_retried_and_sent_exactly_once(
    kind: str, operation: str, serve: Serve
) -> None:
    port = free_port()
    servers: list[RawServer] = []

    def answer(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.respond(200, valid_body(id="created-once"))

    def start_server(_delay: float) -> None:
        # The server comes up during the backoff: the retry reaches it.
        if not servers:
            servers.append(serve(answer, port))

    outcome = run_call(
        kind,
        f"http://127.0.0.1:{port}/v3",
        operation,
        client_options={"max_retries": RETRIES},
        on_sleep=start_server,
    )
    assert outcome.error is None, outcome.error
    assert outcome.result.id == "created-once"
    assert len(outcome.sleeps) == 1
    assert len(servers[0].requests) == 1


def _reset_mid_body(conn: Connection) -> None:
    if conn.read_request() is not None:
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n")
        conn.send(b'\r\n{"id": "partial')
        conn.reset()


def _reset_after_request(conn: Connection) -> None:
    if conn.read_request() is not None:
        conn.reset()


@pytest.mark.parametrize("handler", [_reset_mid_body, _reset_after_request])
@pytest.mark.parametrize("operation", ALL_OPS)
@pytest.mark.parametrize("kind", KINDS)
def test_connection_reset_is_a_connection_error_never_a_repeated_create(
    kind: str, operation: str, handler: Callable[[Connection], None], serve: Serve
) -> None:
    server = serve(handler)
    outcome, elapsed = _timed(
        lambda: run_call(kind, server.base_url, operation, client_options={"max_retries": RETRIES})
    )
    assert isinstance(outcome.error, APIConnectionError)
    assert len(server.requests) == _expected_attempts(operation)
    assert len(outcome.sleeps) == _expected_attempts(operation) - 1
    assert elapsed < BOUND_SECONDS


@pytest.mark.parametrize("operation", ALL_OPS)
@pytest.mark.parametrize("kind", KINDS)
def test_server_that_never_answers_times_out(kind: str, operation: str, serve: Serve) -> None:
    def silent(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.hang()

    server = serve(silent)
    outcome, elapsed = _timed(
        lambda: run_call(
            kind,
            server.base_url,
            operation,
            client_options={"max_retries": 1, "timeout": 0.25},
        )
    )
    assert isinstance(outcome.error, APITimeoutError)
    assert len(server.requests) == _expected_attempts(operation, retries=1)
    assert elapsed < BOUND_SECONDS


def _answer_always(status: int, body: Any, **kwargs: Any) -> Callable[[Connection], None]:
    def handler(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.respond(status, body, **kwargs)

    return handler


@pytest.mark.parametrize(
    "body",
    [b'{"id": "abc', b"", b"<html>oops</html>", b"[]", b"null", b'"text"'],
    ids=["truncated-json", "empty", "html", "array", "null", "string"],
)
@pytest.mark.parametrize("operation", WITH_BODY)
@pytest.mark.parametrize("kind", KINDS)
def test_unparseable_success_body_is_response_parse_error(
    kind: str, operation: str, body: bytes, serve: Serve
) -> None:
    server = serve(_answer_always(200, body))
    outcome = run_call(kind, server.base_url, operation)
    assert isinstance(outcome.error, ResponseParseError)
    assert outcome.error.body == body
    assert outcome.error.status_code == 200
    # The request succeeded at the HTTP level: a parse failure is never retried.
    assert len(server.requests) == 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("body", [b'{"id": "abc', b"", b"<html/>", b'""'])
def test_revoke_ignores_any_200_body(kind: str, body: bytes, serve: Serve) -> None:
    # The spec says the 200 body of revoke carries no information: whatever it is, None comes back.
    server = serve(_answer_always(200, body))
    outcome = run_call(kind, server.base_url, "revoke_vouchers")
    assert outcome.error is None
    assert outcome.result is None
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("list_rewards", {"items": "not-a-list"}),
        ("list_rewards", {"items": [1, 2]}),
        ("get_reward", {"expirationModifier": 5}),
        ("get_reward", {"rule": "a rule"}),
        ("list_contact_vouchers", {"contactRewards": {"id": "x"}}),
        # (`{"limits": null}` is not here: a null field reads as None, see tests/models.)
        ("get_reward", {"limits": {"type": "x"}}),
        # An array where the spec wants an object, at depth: never read as an (empty) object.
        ("get_reward", {"rule": []}),
        ("get_reward", {"rule": {"condition": [["lhs", {}]]}}),
        ("create_redeem_request", {"meta": []}),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_structurally_wrong_body_is_response_parse_error(
    kind: str, operation: str, body: Any, serve: Serve
) -> None:
    server = serve(_answer_always(200, body))
    outcome = run_call(kind, server.base_url, operation)
    assert isinstance(outcome.error, ResponseParseError), outcome.error
    assert len(server.requests) == 1


@pytest.mark.parametrize("operation", ALL_OPS)
@pytest.mark.parametrize("kind", KINDS)
def test_html_502_page(kind: str, operation: str, serve: Serve) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    server = serve(
        _answer_always(502, page.encode(), reason="Bad Gateway", content_type="text/html")
    )
    outcome = run_call(kind, server.base_url, operation, client_options={"max_retries": RETRIES})
    assert isinstance(outcome.error, InternalServerError)
    assert outcome.error.status_code == 502
    assert outcome.error.body == page
    assert outcome.error.message == "Bad Gateway"
    assert len(server.requests) == _expected_attempts(operation)


def _rate_limited_once(retry_after: str) -> Callable[[Connection], None]:
    state = {"calls": 0}

    def handler(conn: Connection) -> None:
        if conn.read_request() is None:
            return
        state["calls"] += 1
        if state["calls"] == 1:
            conn.respond(
                429,
                {"code": "too_many", "message": "slow down"},
                headers={"Retry-After": retry_after},
            )
        else:
            conn.respond(200, valid_body())

    return handler


NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("retry_after", "expected_sleep"),
    [("7", 7.0), (email.utils.formatdate(NOW + 30, usegmt=True), 30.0)],
    ids=["seconds", "http-date"],
)
@pytest.mark.parametrize("operation", ALL_OPS)
@pytest.mark.parametrize("kind", KINDS)
def test_429_honours_retry_after(
    kind: str, operation: str, retry_after: str, expected_sleep: float, serve: Serve
) -> None:
    server = serve(_rate_limited_once(retry_after))
    outcome = run_call(
        kind,
        server.base_url,
        operation,
        client_options={"max_retries": RETRIES, "retry_policy": RetryPolicy(clock=lambda: NOW)},
    )
    if OPERATIONS[operation][1]:
        assert outcome.error is None, outcome.error
        assert outcome.sleeps == [expected_sleep]
        assert len(server.requests) == 2
    else:
        assert isinstance(outcome.error, RateLimitError)
        assert outcome.error.code == "too_many"
        assert outcome.error.headers["retry-after"] == retry_after
        assert outcome.sleeps == []
        assert len(server.requests) == 1


@pytest.mark.parametrize("operation", IDEMPOTENT)
@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_beyond_the_cap_is_not_waited(kind: str, operation: str, serve: Serve) -> None:
    server = serve(_rate_limited_once("3600"))
    outcome = run_call(
        kind,
        server.base_url,
        operation,
        client_options={"retry_policy": RetryPolicy(max_retry_after=60)},
    )
    assert isinstance(outcome.error, RateLimitError)
    assert outcome.sleeps == []
    assert len(server.requests) == 1


@pytest.mark.parametrize("operation", ALL_OPS)
@pytest.mark.parametrize("kind", KINDS)
def test_503_storm_backs_off_exponentially_then_gives_up(
    kind: str, operation: str, serve: Serve
) -> None:
    server = serve(_answer_always(503, {"message": "maintenance"}))
    policy = RetryPolicy(initial_delay=0.5, max_delay=3.0, random=lambda: 0.0)
    outcome, elapsed = _timed(
        lambda: run_call(
            kind,
            server.base_url,
            operation,
            client_options={"max_retries": 5, "retry_policy": policy},
        )
    )
    assert isinstance(outcome.error, InternalServerError)
    assert outcome.error.status_code == 503
    assert outcome.error.message == "maintenance"
    assert len(server.requests) == _expected_attempts(operation, retries=5)
    if OPERATIONS[operation][1]:
        # Zero jitter gives half the backoff: 0.5 * 2**n / 2, capped at max_delay / 2.
        assert outcome.sleeps == [0.25, 0.5, 1.0, 1.5, 1.5]
    else:
        assert outcome.sleeps == []
    assert elapsed < BOUND_SECONDS


@pytest.mark.parametrize("kind", KINDS)
def test_503_storm_stops_at_the_total_budget(kind: str, serve: Serve) -> None:
    server = serve(_answer_always(503, b""))
    policy = RetryPolicy(initial_delay=0.5, total_budget=1.0, random=lambda: 0.0)
    outcome = run_call(
        kind,
        server.base_url,
        "get_reward",
        client_options={"max_retries": 50, "retry_policy": policy},
    )
    assert isinstance(outcome.error, InternalServerError)
    assert outcome.error.body == ""
    # 0.25 + 0.5 fits in the 1 s budget; the next 1.0 s would not.
    assert outcome.sleeps == [0.25, 0.5]
    assert len(server.requests) == 3


@pytest.mark.parametrize("kind", KINDS)
def test_redeem_never_repeats_the_completion(kind: str, serve: Serve) -> None:
    def handler(conn: Connection) -> None:
        request = conn.read_request()
        if request is None:
            return
        if request.target.endswith("/complete"):
            conn.respond(503, b"")
        else:
            conn.respond(200, valid_body(id="tx-9", status="pending"))

    server = serve(handler)
    outcome = run_call(
        kind,
        server.base_url,
        "redeem",
        arguments={"contact_id": 42, "code": "CODE-1"},
        client_options={"max_retries": 3},
    )
    assert isinstance(outcome.error, InternalServerError)
    assert [r.target.rsplit("/", 2)[-2:] for r in server.requests] == [
        ["rewards", "redeem"],
        ["tx-9", "complete"],
    ]


def _trickle(conn: Connection) -> None:
    # A slow-drip body: one byte every 0.1 s, each within the read timeout, for at most 4 s.
    if conn.read_request() is None:
        return
    conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
    for _ in range(40):
        if conn.server.stopping.wait(0.1):
            return
        conn.send(b" ")


@pytest.mark.parametrize("kind", KINDS)
def test_slow_drip_body_cannot_stretch_an_attempt_past_its_timeout(kind: str, serve: Serve) -> None:
    # The client documents `timeout` as "seconds per attempt"; httpx's own timeouts are per read,
    # so without an attempt deadline a server dripping bytes holds the call as long as it likes.
    server = serve(_trickle)
    outcome, elapsed = _timed(
        lambda: run_call(
            kind,
            server.base_url,
            "get_reward",
            client_options={"timeout": 0.5, "max_retries": 0},
        )
    )
    assert isinstance(outcome.error, APITimeoutError), outcome.error
    assert elapsed < 3.0  # 6x the timeout, yet short of the 4 s the server would drip for


@pytest.mark.parametrize("kind", KINDS)
def test_iterator_fault_on_a_later_page_raises_instead_of_truncating(
    kind: str, serve: Serve
) -> None:
    def handler(conn: Connection) -> None:
        request = conn.read_request()
        if request is None:
            return
        if "offset=0" in request.target:
            conn.respond(
                200,
                {"items": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "totalCount": 10},
            )
        else:
            conn.respond(503, b"")

    server = serve(handler)
    seen: list[str] = []

    def consume_sync() -> None:
        with Rewards(api_key=API_KEY, base_url=server.base_url, sleep=lambda _: None) as client:
            for item in client.iter_rewards(program_id=PROGRAM_ID, page_size=2):
                seen.append(str(item.id))

    async def consume_async() -> None:
        async def no_sleep(_: float) -> None:
            return None

        async with AsyncRewards(
            api_key=API_KEY, base_url=server.base_url, sleep=no_sleep
        ) as client:
            async for item in client.iter_rewards(program_id=PROGRAM_ID, page_size=2):
                seen.append(str(item.id))

    def consume() -> None:
        if kind == "sync":
            consume_sync()
        else:
            asyncio.run(consume_async())

    with pytest.raises(InternalServerError):
        consume()
    assert seen == ["a", "b"]
    # Page 1 once, then page 2 with the default 2 retries.
    assert len(server.requests) == 1 + 3
