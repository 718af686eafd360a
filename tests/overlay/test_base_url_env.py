"""``BREVO_BASE_URL`` sets the API root beside ``BREVO_API_KEY`` (issue 13).

The variable is read in overlays/brevo_loyalty/_base_client.py.
"""

from __future__ import annotations

import asyncio

import pytest
from brevo_loyalty import AsyncRewards, Rewards

from ._loopback import API_KEY, COUNT, LoopbackServer, Reply

ENV = "BREVO_BASE_URL"


def test_the_variable_is_the_default_base_url(
    monkeypatch: pytest.MonkeyPatch, server: LoopbackServer
) -> None:
    monkeypatch.setenv(ENV, server.base_url)
    server.enqueue(Reply.json({"count": 3}))
    with Rewards(api_key=API_KEY) as client:
        assert client.base_url == server.base_url
        assert client.get_code_count(**COUNT).count == 3
    assert server.requests[0].path.startswith("/v3/loyalty/offer/programs/")


def test_the_async_client_reads_it_too(
    monkeypatch: pytest.MonkeyPatch, server: LoopbackServer
) -> None:
    monkeypatch.setenv(ENV, server.base_url + "/")  # a trailing slash is dropped, as for base_url=
    server.enqueue(Reply.json({"count": 4}))

    async def main() -> int:
        async with AsyncRewards(api_key=API_KEY) as client:
            assert client.base_url == server.base_url
            count = (await client.get_code_count(**COUNT)).count
            assert isinstance(count, int)
            return count

    assert asyncio.run(main()) == 4


def test_the_argument_wins_over_the_variable(
    monkeypatch: pytest.MonkeyPatch, server: LoopbackServer
) -> None:
    monkeypatch.setenv(ENV, "http://127.0.0.1:9/v3")  # nothing listens there
    server.enqueue(Reply.json({"count": 5}))
    with Rewards(api_key=API_KEY, base_url=server.base_url) as client:
        assert client.get_code_count(**COUNT).count == 5


def test_an_invalid_value_fails_at_construction_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV, "api.brevo.com/v3")  # no scheme
    with pytest.raises(ValueError, match=ENV):
        Rewards(api_key=API_KEY)


def test_an_empty_variable_means_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "")
    assert Rewards(api_key=API_KEY).base_url == "https://api.brevo.com/v3"
    monkeypatch.setenv(ENV, "http://localhost:8080/v3")
    assert Rewards(api_key=API_KEY).base_url == "http://localhost:8080/v3"
