"""Credentials: arguments, environment, partner key, bearer tokens, and refusing bad input."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from brevo_loyalty import AsyncRewards, CredentialsError, Rewards

from ._loopback import (
    COUNT,
    KINDS,
    Kind,
    LoopbackServer,
    Reply,
    call,
    recording_sleep,
    run_async,
)

SECRET = "xkeysib-TOPSECRET-42"


def _auth_headers(server: LoopbackServer) -> dict[str, list[str]]:
    headers = server.requests[-1].headers
    return {
        name: headers.get_list(name)
        for name in ("api-key", "partner-key", "authorization")
        if name in headers
    }


@pytest.mark.parametrize("kind", KINDS)
def test_api_key_argument(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}))
    call(kind, server.base_url, "get_code_count", COUNT, api_key="arg-key")
    assert _auth_headers(server) == {"api-key": ["arg-key"]}


@pytest.mark.parametrize("kind", KINDS)
def test_api_key_from_environment(
    kind: Kind, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BREVO_API_KEY", "env-key")
    server.enqueue(Reply.json({"count": 1}))
    # No credential argument at all: base_url and sleep only.
    if kind == "sync":
        with Rewards(base_url=server.base_url) as client:
            client.get_code_count(**COUNT)
    else:

        async def main() -> None:
            async with AsyncRewards(base_url=server.base_url) as client:
                await client.get_code_count(**COUNT)

        run_async(main)
    assert _auth_headers(server) == {"api-key": ["env-key"]}


def test_argument_wins_over_environment(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BREVO_API_KEY", "env-key")
    server.enqueue(Reply.json({"count": 1}))
    call("sync", server.base_url, "get_code_count", COUNT, api_key="arg-key")
    assert _auth_headers(server) == {"api-key": ["arg-key"]}


@pytest.mark.parametrize("kind", KINDS)
def test_partner_key_argument(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}))
    call(kind, server.base_url, "get_code_count", COUNT, partner_key="partner-1")
    assert _auth_headers(server) == {"partner-key": ["partner-1"]}


def test_partner_key_from_environment(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BREVO_PARTNER_KEY", "env-partner")
    server.enqueue(Reply.json({"count": 1}))
    with Rewards(base_url=server.base_url) as client:
        client.get_code_count(**COUNT)
    assert _auth_headers(server) == {"partner-key": ["env-partner"]}


@pytest.mark.parametrize("kind", KINDS)
def test_api_key_and_partner_key_together(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}))
    call(kind, server.base_url, "get_code_count", COUNT, api_key="k1", partner_key="p1")
    assert _auth_headers(server) == {"api-key": ["k1"], "partner-key": ["p1"]}


@pytest.mark.parametrize("kind", KINDS)
def test_bearer_token_string(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}))
    call(kind, server.base_url, "get_code_count", COUNT, bearer_token="tok-abc")
    assert _auth_headers(server) == {"authorization": ["Bearer tok-abc"]}


def test_bearer_token_callable_is_called_for_every_attempt(server: LoopbackServer) -> None:
    counter = itertools.count(1)
    calls: list[str] = []

    def provider() -> str:
        token = f"tok-{next(counter)}"
        calls.append(token)
        return token

    server.enqueue(Reply(503), Reply(503), Reply.json({"count": 1}))
    sleeps: list[float] = []
    with Rewards(
        base_url=server.base_url, bearer_token=provider, sleep=recording_sleep(sleeps)
    ) as client:
        assert client.get_code_count(**COUNT).count == 1
    assert calls == ["tok-1", "tok-2", "tok-3"]
    assert [r.headers["authorization"] for r in server.requests] == [
        "Bearer tok-1",
        "Bearer tok-2",
        "Bearer tok-3",
    ]
    assert len(sleeps) == 2


def test_async_awaitable_token_provider_is_awaited_for_every_attempt(
    server: LoopbackServer,
) -> None:
    calls: list[int] = []

    async def provider() -> str:
        calls.append(1)
        return f"async-tok-{len(calls)}"

    server.enqueue(Reply(502), Reply.json({"count": 3}))
    sleeps: list[float] = []
    result = call(
        "async", server.base_url, "get_code_count", COUNT, bearer_token=provider, sleeps=sleeps
    )
    assert result.count == 3
    assert len(calls) == 2
    assert [r.headers["authorization"] for r in server.requests] == [
        "Bearer async-tok-1",
        "Bearer async-tok-2",
    ]


def test_async_client_accepts_a_plain_callable_token(server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"count": 1}))
    call("async", server.base_url, "get_code_count", COUNT, bearer_token=lambda: "plain")
    assert _auth_headers(server) == {"authorization": ["Bearer plain"]}


@pytest.mark.parametrize("kind", KINDS)
def test_token_provider_returning_crlf_sends_nothing(kind: Kind, server: LoopbackServer) -> None:
    with pytest.raises(ValueError, match="bearer_token") as info:
        call(
            kind,
            server.base_url,
            "get_code_count",
            COUNT,
            bearer_token=lambda: f"{SECRET}\r\nX-Injected: 1",
        )
    assert SECRET not in str(info.value)
    assert server.count == 0


@pytest.mark.parametrize("cls", [Rewards, AsyncRewards])
@pytest.mark.parametrize("env_value", [None, ""])
def test_no_credentials_is_a_credentials_error(
    cls: type[Rewards] | type[AsyncRewards],
    env_value: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if env_value is not None:
        monkeypatch.setenv("BREVO_API_KEY", env_value)
    with pytest.raises(CredentialsError) as info:
        cls()
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert "api_key" in message
    assert "BREVO_API_KEY" in message


@pytest.mark.parametrize("cls", [Rewards, AsyncRewards])
@pytest.mark.parametrize("argument", ["api_key", "partner_key", "bearer_token"])
@pytest.mark.parametrize("bad", [f"{SECRET}\r\nX-Evil: 1", f"{SECRET}\n", f"\r{SECRET}"])
def test_control_characters_in_a_credential_are_refused_without_echo(
    cls: type[Rewards] | type[AsyncRewards], argument: str, bad: str
) -> None:
    kwargs: dict[str, Any] = {argument: bad}
    with pytest.raises(CredentialsError) as info:
        cls(**kwargs)
    assert SECRET not in str(info.value)
    assert SECRET not in repr(info.value)
    assert argument in str(info.value)


def test_control_characters_in_env_key_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BREVO_API_KEY", f"{SECRET}\r\nX-Evil: 1")
    with pytest.raises(CredentialsError) as info:
        Rewards()
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("cls", [Rewards, AsyncRewards])
@pytest.mark.parametrize(
    "credentials",
    [{"bearer_token": 123}, {"api_key": " padded"}, {"api_key": 42}],
    ids=["token-int", "key-padded", "key-int"],
)
def test_malformed_credential_is_a_credentials_error(
    cls: type[Rewards] | type[AsyncRewards], credentials: dict[str, Any]
) -> None:
    with pytest.raises(CredentialsError):
        cls(**credentials)
