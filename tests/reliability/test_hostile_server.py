"""A hostile server (issue 12): redirects, bombs, deep JSON, endless pages, dripped headers.

Every case runs over a real loopback socket against ``RawServer`` (which counts the requests it
receives), with the sync and the async client.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import zlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from brevo_loyalty import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncRewards,
    BrevoLoyaltyError,
    InternalServerError,
    NotFoundError,
    PaginationError,
    RateLimitError,
    ResponseParseError,
    ResponseTooLargeError,
    RetryPolicy,
    Rewards,
)

from ._calls import API_KEY, OPERATIONS, PROGRAM_ID, REWARD_ID, run_call
from ._servers import Connection, RawServer

KINDS = ["sync", "async"]
ALL_OPS = sorted(OPERATIONS)
Serve = Callable[..., RawServer]


def _answer_every_request(respond: Callable[[Connection], None]) -> Callable[[Connection], None]:
    def handler(conn: Connection) -> None:
        while conn.read_request() is not None:
            respond(conn)

    return handler


# -- 1. redirects are never followed, even by a caller's client that follows them ------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("operation", ["get_reward", "create_voucher"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_following_http_client_still_never_follows_a_redirect(
    kind: str, operation: str, status: int, serve: Serve
) -> None:
    elsewhere = serve(_answer_every_request(lambda conn: conn.respond(200, {"id": "stolen"})))
    origin = serve(
        _answer_every_request(
            lambda conn: conn.respond(
                status, b"", headers={"Location": f"{elsewhere.base_url}/steal"}
            )
        )
    )
    http: httpx.Client | httpx.AsyncClient = (
        httpx.Client(follow_redirects=True)
        if kind == "sync"
        else httpx.AsyncClient(follow_redirects=True)
    )
    try:
        outcome = run_call(kind, origin.base_url, operation, client_options={"http_client": http})
    finally:
        if isinstance(http, httpx.Client):
            http.close()
        else:
            asyncio.run(http.aclose())
    assert isinstance(outcome.error, APIStatusError), outcome.error
    assert outcome.error.status_code == status
    assert len(origin.requests) == 1  # a create is sent once, and only to its own host
    assert elsewhere.requests == []  # the key never reaches the other host


# -- 2. decompression bombs ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 1 MiB of gzip that inflates to 1 GiB of zeros (built incrementally, never in full)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(1024)]
    parts.append(packer.flush())
    return b"".join(parts)


@pytest.mark.parametrize("status", [200, 404, 500])
@pytest.mark.parametrize("kind", KINDS)
def test_a_decompression_bomb_is_a_typed_error_not_memory_exhaustion(
    kind: str, status: int, gzip_bomb: bytes, serve: Serve
) -> None:
    assert len(gzip_bomb) < 1.1 * 1024 * 1024
    server = serve(
        _answer_every_request(
            lambda conn: conn.respond(status, gzip_bomb, headers={"Content-Encoding": "gzip"})
        )
    )
    outcome = run_call(kind, server.base_url, "get_reward", client_options={"max_retries": 0})
    assert isinstance(outcome.error, ResponseTooLargeError), outcome.error
    assert outcome.error.status_code == status
    assert outcome.error.limit == Rewards.max_response_bytes == 32 * 1024 * 1024
    assert outcome.error.headers["content-encoding"] == "gzip"
    assert len(server.requests) == 1  # a bomb is an answer, not a transient failure


@pytest.mark.parametrize("kind", KINDS)
def test_the_body_limit_applies_to_plain_bodies_and_can_be_set(kind: str, serve: Serve) -> None:
    body = b'{"id": "' + b"x" * 5000 + b'"}'
    server = serve(_answer_every_request(lambda conn: conn.respond(200, body)))

    class Small(Rewards):
        max_response_bytes = 4096

    class AsyncSmall(AsyncRewards):
        max_response_bytes = 4096

    if kind == "sync":
        with (
            Small(api_key=API_KEY, base_url=server.base_url) as client,
            pytest.raises(ResponseTooLargeError) as caught,
        ):
            client.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID)
    else:

        async def main() -> None:
            async with AsyncSmall(api_key=API_KEY, base_url=server.base_url) as client:
                await client.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID)

        with pytest.raises(ResponseTooLargeError) as caught:
            asyncio.run(main())
    assert caught.value.limit == 4096


@pytest.mark.parametrize("kind", KINDS)
def test_a_gzipped_body_below_the_limit_is_decoded_once(kind: str, serve: Serve) -> None:
    document = b'{"id": "6f1c2d3e-4a5b-4c6d-8e7f-901234567890", "name": "' + b"n" * 3000 + b'"}'
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    packed = packer.compress(document) + packer.flush()
    server = serve(
        _answer_every_request(
            lambda conn: conn.respond(200, packed, headers={"Content-Encoding": "gzip"})
        )
    )
    outcome = run_call(kind, server.base_url, "get_reward")
    assert outcome.error is None, outcome.error
    assert outcome.result.name == "n" * 3000


def _endless_chunked_body(conn: Connection) -> None:
    # A body that never ends, sent as fast as the client reads it (until the client hangs up).
    if conn.read_request() is None:
        return
    conn.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    try:
        while not conn.server.stopping.is_set():
            conn.sock.sendall(chunk)
    except OSError:
        return


@pytest.mark.parametrize("kind", KINDS)
def test_an_endless_body_stops_at_the_limit(kind: str, serve: Serve) -> None:
    server = serve(_endless_chunked_body)
    outcome = run_call(kind, server.base_url, "get_reward", client_options={"max_retries": 0})
    assert isinstance(outcome.error, ResponseTooLargeError), outcome.error
    assert outcome.error.limit == 32 * 1024 * 1024


@pytest.mark.parametrize("kind", KINDS)
def test_a_megabyte_of_response_headers_is_a_connection_error(kind: str, serve: Serve) -> None:
    def huge_head(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.respond(200, {"id": "x"}, headers={"X-Padding": "p" * (1024 * 1024)})

    server = serve(huge_head)
    outcome = run_call(kind, server.base_url, "get_reward", client_options={"max_retries": 0})
    # h11 refuses a head above 64 KiB: a protocol error, typed, with nothing read past it.
    assert isinstance(outcome.error, APIConnectionError), outcome.error


# -- 3. deep JSON ----------------------------------------------------------------------------------

DEEP = b"[" * 50_000 + b"]" * 50_000


@pytest.mark.parametrize("status", [200, 404, 429, 500])
@pytest.mark.parametrize("operation", ALL_OPS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_50000_deep_body_never_lets_recursion_error_escape(
    kind: str, operation: str, status: int, serve: Serve
) -> None:
    server = serve(_answer_every_request(lambda conn: conn.respond(status, DEEP)))
    outcome = run_call(kind, server.base_url, operation, client_options={"max_retries": 0})
    if status == 200 and operation == "revoke_vouchers":
        assert outcome.error is None  # revoke ignores any 200 body (the spec says it is empty)
        return
    expected = {200: ResponseParseError, 404: NotFoundError, 429: RateLimitError}
    assert isinstance(outcome.error, expected.get(status, InternalServerError)), outcome.error
    if status == 200:
        assert isinstance(outcome.error, ResponseParseError)
        assert outcome.error.body == DEEP
        assert "nested too deeply" in str(outcome.error)
    else:
        assert isinstance(outcome.error, APIStatusError)
        assert outcome.error.body == DEEP.decode()  # kept raw, as any non-JSON body is


@pytest.mark.parametrize("kind", KINDS)
def test_a_rule_tree_nested_past_the_decoder_limit_is_a_parse_error(
    kind: str, serve: Serve
) -> None:
    # A realistic shape: rule conditions 3,000 `and` levels deep (6,000 JSON levels). Python 3.11's
    # decoder gives up first; on 3.12+ the decoder's C-stack limit is higher and the generated
    # models' from_dict recursion gives up instead: both must end in ResponseParseError.
    # Encoded by hand: json.dumps would recurse as deep.
    depth = 3000
    body = (
        f'{{"id": "{REWARD_ID}", "name": "deep", "rule": {{"condition": '.encode()
        + b'{"and": [' * depth
        + b"{}"
        + b"]}" * depth
        + b"}}"
    )
    server = serve(_answer_every_request(lambda conn: conn.respond(200, body)))
    # Python's default limit: hypothesis raises it while its tests run and may leave it raised,
    # which would let this body parse (correctly) instead of exercising the limit.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        outcome = run_call(kind, server.base_url, "get_reward")
    finally:
        sys.setrecursionlimit(limit)
    assert isinstance(outcome.error, ResponseParseError), outcome.error
    assert "nested too deeply" in str(outcome.error)


# -- 5. runaway pagination -------------------------------------------------------------------------


def _iterate(kind: str, base_url: str, iterator: str, limit: int = 50) -> tuple[list[Any], Any]:
    """Consume up to ``limit`` items of ``iterator``; returns the items and the error raised."""
    items: list[Any] = []
    arguments: dict[str, Any] = {"program_id": PROGRAM_ID, "page_size": 2}
    if iterator == "iter_contact_vouchers":
        arguments["contact_id"] = 42
    if kind == "sync":
        with Rewards(api_key=API_KEY, base_url=base_url) as client:
            try:
                for item in getattr(client, iterator)(**arguments):
                    items.append(item)
                    if len(items) >= limit:
                        break
            except BrevoLoyaltyError as exc:
                return items, exc
        return items, None

    async def main() -> Any:
        async with AsyncRewards(api_key=API_KEY, base_url=base_url) as client:
            try:
                async for item in getattr(client, iterator)(**arguments):
                    items.append(item)
                    if len(items) >= limit:
                        break
            except BrevoLoyaltyError as exc:
                return exc
        return None

    return items, asyncio.run(main())


def _same_page(iterator: str, total: int) -> dict[str, Any]:
    if iterator == "iter_rewards":
        return {"items": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "totalCount": total}
    return {"contactRewards": [{"id": "a", "code": "A"}, {"id": "b", "code": "B"}], "count": total}


@pytest.mark.parametrize("total", [10**9, 2**62])
@pytest.mark.parametrize("iterator", ["iter_rewards", "iter_contact_vouchers"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_same_full_page_for_every_offset_stops_with_a_pagination_error(
    kind: str, iterator: str, total: int, serve: Serve
) -> None:
    page = _same_page(iterator, total)
    server = serve(_answer_every_request(lambda conn: conn.respond(200, page, keep_alive=True)))
    items, error = _iterate(kind, server.base_url, iterator)
    assert isinstance(error, PaginationError), error
    assert error.offset == 2
    assert len(items) == 2  # the first page was yielded, the repeat was not
    assert len(server.requests) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_pages_that_cycle_are_caught_too(kind: str, serve: Serve) -> None:
    pages = [
        {"items": [{"id": f"{n}a", "name": "A"}, {"id": f"{n}b", "name": "B"}], "totalCount": 10**9}
        for n in range(3)
    ]
    served = iter(range(10**6))
    server = serve(
        _answer_every_request(
            lambda conn: conn.respond(200, pages[next(served) % 3], keep_alive=True)
        )
    )
    items, error = _iterate(kind, server.base_url, "iter_rewards")
    assert isinstance(error, PaginationError), error
    assert len(items) == 6
    assert len(server.requests) == 4


@pytest.mark.parametrize("kind", KINDS)
def test_distinct_pages_still_iterate_to_the_end(kind: str, serve: Serve) -> None:
    def respond(conn: Connection) -> None:
        offset = int(conn.server.requests[-1].target.split("offset=")[1].split("&")[0])
        ids = [{"id": f"r{offset + n}", "name": "R"} for n in range(2) if offset + n < 7]
        conn.respond(200, {"items": ids, "totalCount": 7}, keep_alive=True)

    server = serve(_answer_every_request(respond))
    items, error = _iterate(kind, server.base_url, "iter_rewards", limit=100)
    assert error is None
    assert [item.id for item in items] == [f"r{n}" for n in range(7)]


# -- 8. status line and headers dripped by the server ----------------------------------------------


def _header_drip(finished: threading.Event) -> Callable[[Connection], None]:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + b"p" * 80

    def handler(conn: Connection) -> None:
        if conn.read_request() is None:
            return
        for byte in head:  # one byte every 0.1 s: each read is well within the read timeout
            if conn.server.stopping.wait(0.1):
                return
            conn.send(bytes([byte]))
        finished.set()

    return handler


def _body_drip(finished: threading.Event, framing: str) -> Callable[[Connection], None]:
    # A complete head, then a small JSON body one byte every 0.1 s (about 5 s in all).
    body = b'{"id": "6f1c2d3e-4a5b-4c6d-8e7f-901234567890", "name": "dripped"}'
    if framing == "length":
        head = f"Content-Length: {len(body)}"
    else:
        head = "Transfer-Encoding: chunked"
        body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)

    def handler(conn: Connection) -> None:
        if conn.read_request() is None:
            return
        conn.send(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n%s\r\n\r\n" % head.encode()
        )
        for byte in body:
            if conn.server.stopping.wait(0.1):
                return
            conn.send(bytes([byte]))
        finished.set()

    return handler


DRIPS: dict[str, Callable[[threading.Event], Callable[[Connection], None]]] = {
    "head": _header_drip,
    "body-of-declared-length": lambda finished: _body_drip(finished, "length"),
    "chunked-body": lambda finished: _body_drip(finished, "chunked"),
}


@pytest.mark.parametrize("drip", sorted(DRIPS))
@pytest.mark.parametrize("own_client", [False, True], ids=["client-made", "caller-given"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_dripping_server_cannot_outlive_the_timeout(
    kind: str, own_client: bool, drip: str, serve: Serve
) -> None:
    # The head on its own, or a body after a complete head: a body of declared length is read
    # by httpx itself on the client's own pool (its sockets carry the attempt deadline); any
    # other body by the client, which checks the deadline between chunks.
    finished = threading.Event()
    server = serve(DRIPS[drip](finished))
    options: dict[str, Any] = {"timeout": 0.5, "max_retries": 0}
    http: httpx.Client | httpx.AsyncClient | None = None
    if own_client:
        http = httpx.Client() if kind == "sync" else httpx.AsyncClient()
        options["http_client"] = http
    try:
        outcome = run_call(kind, server.base_url, "get_reward", client_options=options)
    finally:
        if isinstance(http, httpx.Client):
            http.close()
        elif http is not None:
            asyncio.run(http.aclose())
    assert isinstance(outcome.error, APITimeoutError), outcome.error
    # The server needs 5 to 10 s to finish; the client gave up long before.
    assert not finished.is_set()


@pytest.mark.parametrize("kind", KINDS)
def test_a_content_length_beside_chunked_framing_does_not_lift_the_limit(
    kind: str, serve: Serve
) -> None:
    # HTTP/1.1 frames such a body by its chunks: the small Content-Length says nothing of its
    # size, so the body is still read chunk by chunk against the limit.
    def lying_length(conn: Connection) -> None:
        if conn.read_request() is None:
            return
        conn.send(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
        try:
            while not conn.server.stopping.is_set():
                conn.sock.sendall(chunk)
        except OSError:
            return

    server = serve(lying_length)
    outcome = run_call(kind, server.base_url, "get_reward", client_options={"max_retries": 0})
    assert isinstance(outcome.error, ResponseTooLargeError), outcome.error


# -- 9. Retry-After values that would mean "retry at once, forever" --------------------------------


@pytest.mark.parametrize("value", ["-5", "NaN", "nan", "inf", "-inf", "1e400", "-0.5"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_malformed_retry_after_is_ignored_for_the_normal_backoff(
    kind: str, value: str, serve: Serve
) -> None:
    server = serve(
        _answer_every_request(
            lambda conn: conn.respond(429, {"code": "rate"}, headers={"Retry-After": value})
        )
    )
    policy = RetryPolicy(initial_delay=0.25, max_delay=1.0, random=lambda: 1.0)
    outcome = run_call(
        kind,
        server.base_url,
        "get_reward",
        client_options={"max_retries": 2, "retry_policy": policy},
    )
    assert isinstance(outcome.error, RateLimitError), outcome.error
    assert outcome.sleeps == [0.25, 0.5]  # the exponential backoff, never 0
    assert len(server.requests) == 3


# -- 9. redeem(): a malformed transaction id from the server ---------------------------------------


@pytest.mark.parametrize("bad_id", ["", "..", "x" * 100_000, 12, None])
@pytest.mark.parametrize("kind", KINDS)
def test_redeem_with_a_malformed_transaction_id_from_the_server_is_an_api_error(
    kind: str, bad_id: Any, serve: Serve
) -> None:
    server = serve(_answer_every_request(lambda conn: conn.respond(200, {"id": bad_id})))
    outcome = run_call(
        kind, server.base_url, "redeem", arguments={"contact_id": 42, "code": "CODE-1"}
    )
    assert isinstance(outcome.error, ResponseParseError), outcome.error
    assert not isinstance(outcome.error, ValueError)
    assert len(server.requests) == 1  # the completion was never sent


def test_the_deadline_wrapper_is_installed_once_and_only_where_it_can_be() -> None:
    from brevo_loyalty import _deadline

    proxied = httpx.Client(mounts={"http://proxied.test": httpx.HTTPTransport()})
    mocked = httpx.Client(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json={"count": 3}))
    )
    try:
        assert _deadline.install(proxied) == 2  # the default transport and the mount
        backend = proxied._transport._pool._network_backend  # type: ignore[attr-defined]
        assert _deadline.install(proxied) == 2  # idempotent: not wrapped twice
        assert proxied._transport._pool._network_backend is backend  # type: ignore[attr-defined]
        assert _deadline.install(mocked) == 0  # a custom transport is left alone
        with Rewards(api_key=API_KEY, http_client=mocked) as client:  # and still works
            assert client.get_code_count(program_id=PROGRAM_ID, code_pool_id="p").count == 3
    finally:
        proxied.close()
        mocked.close()
