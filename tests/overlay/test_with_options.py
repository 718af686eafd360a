"""``with_options``: a client with some settings changed, sharing credentials and the pool."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from brevo_loyalty import (
    APITimeoutError,
    AsyncRewards,
    InternalServerError,
    RetryPolicy,
    Rewards,
)

from ._loopback import (
    API_KEY,
    COUNT,
    LoopbackServer,
    Reply,
    fast_transport,
    recording_async_sleep,
    recording_sleep,
    run_async,
)

FIXED_JITTER = RetryPolicy(random=lambda: 0.5)


def _sync_client(server: LoopbackServer, sleeps: list[float]) -> Rewards:
    return Rewards(
        api_key=API_KEY,
        base_url=server.base_url,
        transport=fast_transport("sync"),  # type: ignore[arg-type]
        sleep=recording_sleep(sleeps),
        retry_policy=FIXED_JITTER,
    )


def test_the_copy_has_the_new_settings_and_the_original_keeps_its_own() -> None:
    client = Rewards(api_key=API_KEY, base_url="http://127.0.0.1:9/v3")
    policy = RetryPolicy(total_budget=5.0)
    copy = client.with_options(
        base_url="http://127.0.0.1:10/v3/",
        timeout=2.5,
        max_retries=7,
        retry_policy=policy,
        default_headers={"X-Team": "loyalty"},
    )
    assert type(copy) is Rewards
    assert (copy.base_url, copy.timeout, copy.max_retries) == (
        "http://127.0.0.1:10/v3",
        httpx.Timeout(2.5),
        7,
    )
    assert copy.retry_policy is policy
    assert (client.base_url, client.max_retries) == ("http://127.0.0.1:9/v3", 2)
    assert client.timeout == httpx.Timeout(30.0, connect=5.0)
    assert client.retry_policy is not policy
    assert API_KEY not in repr(copy)
    client.close()


def test_settings_not_given_are_the_originals() -> None:
    client = Rewards(api_key=API_KEY, base_url="http://127.0.0.1:9/v3", timeout=3.0, max_retries=4)
    copy = client.with_options()
    assert (copy.base_url, copy.timeout, copy.max_retries, copy.retry_policy) == (
        client.base_url,
        client.timeout,
        client.max_retries,
        client.retry_policy,
    )
    client.close()


def test_the_copy_sends_its_headers_and_the_original_does_not(server: LoopbackServer) -> None:
    server.enqueue(*(Reply.json({"count": n}) for n in range(3)))
    with _sync_client(server, []) as client:
        tagged = client.with_options(default_headers={"X-Team": "loyalty", "user-agent": "mine/1"})
        tagged.get_code_count(**COUNT)
        client.get_code_count(**COUNT)
        # Headers accumulate along a chain of copies.
        tagged.with_options(default_headers={"X-Env": "test"}).get_code_count(**COUNT)
    first, second, third = (request.headers for request in server.requests)
    assert first["x-team"] == "loyalty"
    assert first.get_list("user-agent") == ["mine/1"]  # replaced, not sent twice
    assert first["api-key"] == API_KEY  # same credentials
    assert "x-team" not in second
    assert second["user-agent"].startswith("brevo-loyalty/")
    assert (third["x-team"], third["x-env"]) == ("loyalty", "test")


def test_max_retries_of_the_copy_applies(server: LoopbackServer) -> None:
    server.enqueue(*(Reply(503) for _ in range(4)))
    sleeps: list[float] = []
    with _sync_client(server, sleeps) as client:
        with pytest.raises(InternalServerError):
            client.with_options(max_retries=0).get_code_count(**COUNT)
        assert server.count == 1
        assert sleeps == []
        with pytest.raises(InternalServerError):
            client.get_code_count(**COUNT)  # the original still retries twice
    assert server.count == 4
    assert len(sleeps) == 2


def test_timeout_of_the_copy_applies(server: LoopbackServer) -> None:
    server.enqueue(Reply(200, b"{}", {"Content-Type": "application/json"}, delay=5.0))
    with _sync_client(server, []) as client, pytest.raises(APITimeoutError):
        client.with_options(timeout=0.2, max_retries=0).get_code_count(**COUNT)


def test_base_url_of_the_copy_applies(server: LoopbackServer) -> None:
    other = LoopbackServer()
    other.start()
    try:
        other.enqueue(Reply.json({"count": 5}))
        with _sync_client(server, []) as client:
            assert client.with_options(base_url=other.base_url).get_code_count(**COUNT).count == 5
        assert (server.count, other.count) == (0, 1)
    finally:
        other.stop()


def test_raw_responses_of_a_copy(server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 9}, headers={"X-Request-Id": "r-1"}))
    with _sync_client(server, []) as client:
        raw = client.with_options(max_retries=0).with_raw_response.get_code_count(**COUNT)
    assert raw.headers["x-request-id"] == "r-1"
    assert raw.parse().count == 9


def test_the_copy_shares_the_pool_and_closing_it_leaves_the_pool_open(
    server: LoopbackServer,
) -> None:
    server.enqueue(Reply.json({"count": 1}), Reply.json({"count": 2}))
    client = _sync_client(server, [])
    with client.with_options(timeout=9.0) as copy:
        assert copy._http is client._http
        copy.get_code_count(**COUNT)
    assert not client._http.is_closed
    assert client.get_code_count(**COUNT).count == 2
    client.close()
    assert client._http.is_closed


def test_async_copy(server: LoopbackServer) -> None:
    server.enqueue(Reply(503), Reply(503), Reply.json({"count": 3}))
    sleeps: list[float] = []

    async def main() -> tuple[bool, object]:
        async with AsyncRewards(
            api_key=API_KEY,
            base_url=server.base_url,
            transport=fast_transport("async"),  # type: ignore[arg-type]
            sleep=recording_async_sleep(sleeps),
            retry_policy=FIXED_JITTER,
            max_retries=0,
        ) as client:
            copy = client.with_options(max_retries=2, default_headers={"X-Team": "async"})
            assert type(copy) is AsyncRewards
            result = await copy.get_code_count(**COUNT)
            await copy.aclose()
            return client._http.is_closed, result.count

    assert run_async(main) == (False, 3)
    assert len(sleeps) == 2
    assert all(request.headers["x-team"] == "async" for request in server.requests)


@pytest.mark.parametrize(
    ("options", "error", "name"),
    [
        ({"timeout": -1}, ValueError, "timeout"),
        ({"timeout": "fast"}, TypeError, "timeout"),
        ({"max_retries": -1}, ValueError, "max_retries"),
        ({"max_retries": 1.5}, TypeError, "max_retries"),
        ({"base_url": "ftp://example.com"}, ValueError, "base_url"),
        ({"base_url": 42}, TypeError, "base_url"),
        ({"retry_policy": "aggressive"}, TypeError, "retry_policy"),
        ({"default_headers": {"X-Bad": "a\r\nInjected: 1"}}, ValueError, "default_headers"),
        ({"default_headers": [("X-A", "1")]}, TypeError, "default_headers"),
    ],
)
def test_an_invalid_setting_is_refused_by_name(
    options: dict[str, Any], error: type[Exception], name: str
) -> None:
    client = Rewards(api_key=API_KEY, base_url="http://127.0.0.1:9/v3")
    with pytest.raises(error, match=name):
        client.with_options(**options)
    client.close()
