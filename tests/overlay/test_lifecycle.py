"""Closing what the client owns (and only that), repr without secrets, and logging."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from brevo_loyalty import AsyncRewards, AuthenticationError, RetryPolicy, Rewards

from ._loopback import (
    API_KEY,
    COUNT,
    PROGRAM,
    LoopbackServer,
    Reply,
    call,
    recording_async_sleep,
    recording_sleep,
    run_async,
)


def test_sync_context_manager_closes_its_http_client(server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}))
    # No transport injected: the client builds its own httpx.Client, as users get it.
    with Rewards(api_key=API_KEY, base_url=server.base_url) as client:
        assert client.get_code_count(**COUNT).count == 1
        assert not client._http.is_closed
    assert client._http.is_closed


def test_sync_close(server: LoopbackServer) -> None:
    client = Rewards(api_key=API_KEY, base_url=server.base_url)
    client.close()
    assert client._http.is_closed


def test_async_context_manager_closes_its_http_client(server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}))

    async def main() -> AsyncRewards:
        async with AsyncRewards(api_key=API_KEY, base_url=server.base_url) as client:
            assert (await client.get_code_count(**COUNT)).count == 1
            assert not client._http.is_closed
        return client

    assert run_async(main)._http.is_closed


def test_async_aclose(server: LoopbackServer) -> None:
    async def main() -> AsyncRewards:
        client = AsyncRewards(api_key=API_KEY, base_url=server.base_url)
        await client.aclose()
        return client

    assert run_async(main)._http.is_closed


def test_injected_http_client_is_used_and_not_closed(server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}), Reply.json({"count": 2}))
    with httpx.Client(headers={"X-Injected": "yes"}) as http:
        with Rewards(api_key=API_KEY, base_url=server.base_url, http_client=http) as client:
            client.get_code_count(**COUNT)
        assert not http.is_closed
        # Still usable by its owner after the Rewards client is closed.
        assert http.get(f"{server.base_url}{PROGRAM.removeprefix('/v3')}/x").status_code == 200
    assert server.requests[0].headers["x-injected"] == "yes"
    assert server.requests[0].headers["api-key"] == API_KEY


def test_injected_async_http_client_is_used_and_not_closed(server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}))

    async def main() -> bool:
        async with httpx.AsyncClient(headers={"X-Injected": "async"}) as http:
            async with AsyncRewards(
                api_key=API_KEY, base_url=server.base_url, http_client=http
            ) as client:
                await client.get_code_count(**COUNT)
            return http.is_closed

    assert run_async(main) is False
    assert server.requests[0].headers["x-injected"] == "async"


def test_http_client_and_transport_together_are_refused() -> None:
    with httpx.Client(verify=False) as http, pytest.raises(ValueError, match="http_client"):
        Rewards(api_key=API_KEY, http_client=http, transport=httpx.HTTPTransport(verify=False))


@pytest.mark.parametrize("cls", [Rewards, AsyncRewards])
@pytest.mark.parametrize(
    ("credentials", "auth"),
    [
        ({"api_key": API_KEY}, "auth=api-key"),
        ({"partner_key": API_KEY}, "auth=partner-key"),
        ({"bearer_token": API_KEY}, "auth=bearer"),
        ({"api_key": API_KEY, "partner_key": API_KEY + "p"}, "auth=api-key+partner-key"),
    ],
)
def test_repr_shows_base_url_and_auth_kind_never_the_key(
    cls: type[Rewards] | type[AsyncRewards], credentials: dict[str, str], auth: str
) -> None:
    client = cls(base_url="http://127.0.0.1:9/v3/", **credentials)  # type: ignore[arg-type]
    text = repr(client)
    assert "http://127.0.0.1:9/v3" in text
    assert auth in text
    assert API_KEY not in text
    assert API_KEY not in repr(client.with_raw_response)


def test_sync_logging_records_requests_and_retries_without_the_key(
    server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="brevo_loyalty")
    server.enqueue(Reply(503), Reply.json({"count": 1}))
    path = f"{PROGRAM}/code-pools/pool/codes-count"

    with Rewards(
        api_key=API_KEY,
        base_url=server.base_url,
        transport=httpx.HTTPTransport(verify=False),
        sleep=recording_sleep([]),
        retry_policy=RetryPolicy(random=lambda: 0.5),
    ) as client:
        client.get_code_count(**COUNT)

    records = [r for r in caplog.records if r.name == "brevo_loyalty"]
    messages = [r.getMessage() for r in records]
    assert any(m.startswith(f"GET {path} -> 503") for m in messages), messages
    assert any(m.startswith(f"GET {path} -> 200") for m in messages), messages
    retry = [m for m in messages if m.startswith("retrying")]
    assert len(retry) == 1
    assert f"GET {path}" in retry[0]
    assert "0.38s" in retry[0] or "0.37s" in retry[0]
    assert "503" in retry[0]
    assert API_KEY not in caplog.text
    assert all(API_KEY not in m for m in messages)


def test_async_logging_never_contains_the_key_or_token(
    server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    server.enqueue(Reply(502), Reply.json({"count": 1}))

    async def main() -> None:
        async with AsyncRewards(
            api_key=API_KEY,
            bearer_token=lambda: "TOKEN-SECRET-77",
            base_url=server.base_url,
            transport=httpx.AsyncHTTPTransport(verify=False),
            sleep=recording_async_sleep([]),
        ) as client:
            await client.get_code_count(**COUNT)

    run_async(main)

    ours = [r.getMessage() for r in caplog.records if r.name == "brevo_loyalty"]
    assert any("-> 502" in m for m in ours)
    assert any(m.startswith("retrying GET") for m in ours)
    assert API_KEY not in caplog.text
    assert "TOKEN-SECRET-77" not in caplog.text


def test_exceptions_never_carry_the_key(server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"message": "bad key"}, status=401))
    with pytest.raises(AuthenticationError) as info:
        call("sync", server.base_url, "get_code_count", COUNT)
    exc = info.value
    for text in (str(exc), repr(exc), repr(vars(exc))):
        assert API_KEY not in text


def test_base_url_trailing_slash_is_ignored(server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}))
    call("sync", server.base_url + "/", "get_code_count", COUNT)
    assert server.requests[0].path == f"{PROGRAM}/code-pools/pool/codes-count"


@pytest.mark.parametrize("base_url", ["127.0.0.1:8000/v3", "ftp://example.com", ""])
def test_base_url_must_be_http(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        Rewards(api_key=API_KEY, base_url=base_url)


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_read_response_is_freed_without_the_cyclic_collector(
    server: LoopbackServer, kind: str, encoding: str
) -> None:
    # httpx binds each response to a stream that refers back to it. The client drops that
    # binding once the body is read, so a response and its body go as soon as they are unused
    # (a long walk of pages would otherwise hold every body until the next full collection).
    # Both ways of reading a body: by httpx (declared length), and by the client (gzip).
    import gc
    import gzip

    def reply(count: int) -> Reply:
        body = json.dumps({"count": count}).encode()
        if encoding == "identity":
            return Reply(200, body, {"Content-Type": "application/json"})
        headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        return Reply(200, gzip.compress(body), headers)

    def responses() -> int:
        return sum(isinstance(o, httpx.Response) for o in gc.get_objects())

    server.enqueue(reply(1))
    server.enqueue(reply(2))
    if kind == "sync":
        with Rewards(api_key=API_KEY, base_url=server.base_url) as client:
            client.get_code_count(**COUNT)  # warm: the connection and the lazy imports
            gc.collect()
            gc.disable()
            try:
                before = responses()
                assert client.get_code_count(**COUNT).count == 2
                after = responses()
            finally:
                gc.enable()
    else:

        async def main() -> tuple[int, int]:
            async with AsyncRewards(api_key=API_KEY, base_url=server.base_url) as client:
                await client.get_code_count(**COUNT)
                gc.collect()
                gc.disable()
                try:
                    before = responses()
                    assert (await client.get_code_count(**COUNT)).count == 2
                    return before, responses()
                finally:
                    gc.enable()

        before, after = run_async(main)
    assert after == before


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_an_in_memory_response_is_freed_without_the_cyclic_collector(kind: str) -> None:
    # A transport that answers in memory (the sandbox's, a test's MockTransport) hands over a body
    # already read; httpx binds that response to its stream all the same.
    import gc

    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"count": 3}))

    def responses() -> int:
        return sum(isinstance(o, httpx.Response) for o in gc.get_objects())

    if kind == "sync":
        with Rewards(api_key=API_KEY, transport=transport) as client:
            client.get_code_count(**COUNT)
            gc.collect()
            gc.disable()
            try:
                before = responses()
                assert client.get_code_count(**COUNT).count == 3
                after = responses()
            finally:
                gc.enable()
    else:

        async def main() -> tuple[int, int]:
            async with AsyncRewards(api_key=API_KEY, transport=transport) as client:
                await client.get_code_count(**COUNT)
                gc.collect()
                gc.disable()
                try:
                    before = responses()
                    assert (await client.get_code_count(**COUNT)).count == 3
                    return before, responses()
                finally:
                    gc.enable()

        before, after = run_async(main)
    assert after == before
