"""Errors survive pickle, deepcopy and worker processes; none of them carries a key (issue 12).

The classes are enumerated from ``BrevoLoyaltyError.__subclasses__()``, recursively: a new error
class is covered (or fails here, naming the constructor argument this file cannot fill) without
anyone remembering to add it.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import multiprocessing
import pickle
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import brevo_loyalty
import httpx
import pytest
from brevo_loyalty import (
    APIConnectionError,
    APIStatusError,
    AsyncRewards,
    BrevoLoyaltyError,
    Rewards,
)
from brevo_loyalty_api.models import RedeemTransaction

from ._calls import PROGRAM_ID, REWARD_ID
from ._servers import Connection, RawServer, free_port

SECRET = "xkeysib-0123456789abcdef-TRAVELLINGsecret"


def _all_error_classes() -> list[type[BrevoLoyaltyError]]:
    found: list[type[BrevoLoyaltyError]] = []
    pending: list[type[BrevoLoyaltyError]] = [BrevoLoyaltyError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return sorted(found, key=lambda cls: cls.__name__)


ERROR_CLASSES = _all_error_classes()

# A value for every constructor argument any error class takes.
SAMPLE_ARGUMENTS: dict[str, Any] = {
    "message": "something failed",
    "method": "GET",
    "url": f"https://api.brevo.com/v3/loyalty/offer/programs/{PROGRAM_ID}/offers",
    "status_code": 404,
    "code": "not_found",
    "body": {"code": "not_found", "message": "no such reward", "nested": [1, {"a": None}]},
    "headers": httpx.Headers({"content-type": "application/json", "x-request-id": "r-1"}),
    "limit": 4096,
    "offset": 200,
    "transaction": RedeemTransaction.from_dict({"id": "tx-1", "status": "pending"}),
}


def make_error(cls: type[BrevoLoyaltyError]) -> BrevoLoyaltyError:
    """An instance of ``cls`` with every constructor argument filled in."""
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for parameter in parameters:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            if cls.__init__ is BaseException.__init__ or parameter.name == "args":
                positional.append(SAMPLE_ARGUMENTS["message"])
            continue
        if parameter.name not in SAMPLE_ARGUMENTS:
            raise AssertionError(f"{cls.__name__}: add a sample for {parameter.name!r}")
        value = SAMPLE_ARGUMENTS[parameter.name]
        if parameter.kind == parameter.KEYWORD_ONLY:
            keywords[parameter.name] = value
        else:
            positional.append(value)
    return cls(*positional, **keywords)


def _state(error: BaseException) -> tuple[Any, ...]:
    def plain(value: Any) -> Any:
        if isinstance(value, httpx.Headers):
            return sorted(value.multi_items())
        if hasattr(value, "to_dict"):
            return value.to_dict()
        return value

    return (
        type(error),
        error.args,
        str(error),
        repr(error),
        {name: plain(value) for name, value in vars(error).items()},
    )


def test_the_hierarchy_is_enumerated_not_listed() -> None:
    names = {cls.__name__ for cls in ERROR_CLASSES}
    exported = {
        name
        for name in brevo_loyalty.__all__
        if isinstance(getattr(brevo_loyalty, name), type)
        and issubclass(getattr(brevo_loyalty, name), BrevoLoyaltyError)
    }
    assert exported <= names
    assert {"NotFoundError", "PaginationError", "ResponseTooLargeError"} <= names
    assert len(names) >= 20


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_class_survives_pickle_and_deepcopy(cls: type[BrevoLoyaltyError]) -> None:
    error = make_error(cls)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert _state(pickle.loads(pickle.dumps(error, protocol))) == _state(error)
    assert _state(copy.deepcopy(error)) == _state(error)
    assert _state(copy.copy(error)) == _state(error)


def _raise_in_worker(name: str) -> None:
    raise make_error(getattr(brevo_loyalty, name))


def _exported_error_names() -> list[str]:
    return [
        cls.__name__
        for cls in ERROR_CLASSES
        if getattr(brevo_loyalty, cls.__name__, None) is cls  # importable by the worker
    ]


def test_every_error_raised_in_a_worker_process_reaches_the_caller_intact() -> None:
    names = _exported_error_names()
    assert len(names) == len(ERROR_CLASSES)  # every class is public, so a worker can raise it
    context = multiprocessing.get_context("spawn")  # no fork of a threaded test process
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        futures = {name: pool.submit(_raise_in_worker, name) for name in names}
        for name, future in futures.items():
            error = future.exception(timeout=60)
            cls: type[BrevoLoyaltyError] = getattr(brevo_loyalty, name)
            assert type(error) is cls  # not BrokenProcessPool
            assert isinstance(error, BrevoLoyaltyError)
            assert _state(error) == _state(make_error(cls))


# -- 6. no key in the context chain or in the frames' locals ---------------------------------------


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend([current.__context__, current.__cause__])


def _call(kind: str, base_url: str, credential: dict[str, Any]) -> BaseException:
    if kind == "sync":
        with Rewards(base_url=base_url, max_retries=0, timeout=2.0, **credential) as client:
            try:
                client.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID)
            except BrevoLoyaltyError as exc:
                return exc
        raise AssertionError("no error")

    async def main() -> BaseException:
        async with AsyncRewards(base_url=base_url, max_retries=0, timeout=2.0, **credential) as c:
            try:
                await c.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID)
            except BrevoLoyaltyError as exc:
                return exc
        raise AssertionError("no error")

    return asyncio.run(main())


CREDENTIALS: dict[str, dict[str, Any]] = {
    "api_key": {"api_key": SECRET},
    "partner_key": {"partner_key": SECRET},
    "bearer": {"bearer_token": SECRET},
    "bearer-callable": {"bearer_token": lambda: SECRET},
}


@pytest.mark.parametrize("credential", sorted(CREDENTIALS))
@pytest.mark.parametrize("failure", ["refused", "reset", "401"])
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_no_key_in_the_context_chain_or_in_a_traceback_with_locals(
    kind: str, failure: str, credential: str, serve: Any
) -> None:
    def handler(conn: Connection) -> None:
        request = conn.read_request()
        if request is None:
            return
        if failure == "reset":
            conn.reset()
        else:
            conn.respond(401, {"code": "unauthorized", "message": "bad key"})

    if failure == "refused":
        base_url = f"http://127.0.0.1:{free_port()}/v3"
        server: RawServer | None = None
    else:
        server = serve(handler)
        base_url = server.base_url
    error = _call(kind, base_url, CREDENTIALS[credential])
    expected = APIStatusError if failure == "401" else APIConnectionError
    assert isinstance(error, expected), error
    if server is not None:  # the server really got the secret: the check below is not vacuous
        values = " ".join(server.requests[0].headers.values())
        assert SECRET in values
    # No httpx exception anywhere in the chain (its request holds the auth headers).
    for link in _chain(error):
        assert not isinstance(link, httpx.HTTPError), f"{link!r} is in the chain of {error!r}"
    assert error.__context__ is None or not isinstance(error.__context__, httpx.HTTPError)
    # A traceback printed with every frame's locals (pytest --showlocals, rich, Sentry...),
    # from the library's first frame on (the test's own frame holds the key it passed).
    assert error.__traceback__ is not None
    library_frames = error.__traceback__.tb_next
    rendered = "".join(
        traceback.TracebackException(
            type(error), error, library_frames, capture_locals=True
        ).format()
    )
    assert "self = <" in rendered  # the frames' locals were really rendered
    assert SECRET not in rendered
    for link in _chain(error):
        assert SECRET not in repr(vars(link))


def test_auth_headers_hide_their_values_and_refuse_to_travel() -> None:
    from brevo_loyalty._credentials import AuthHeaders

    auth = AuthHeaders({"api-key": SECRET}).with_header("Authorization", f"Bearer {SECRET}")
    assert SECRET not in repr(auth)
    assert SECRET not in str(auth)
    assert repr(auth) == "<AuthHeaders api-key Authorization>"
    assert auth.pairs() == [("api-key", SECRET), ("Authorization", f"Bearer {SECRET}")]
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(auth)
    client = Rewards(api_key=SECRET, base_url="http://127.0.0.1:9/v3")
    try:
        assert SECRET not in repr(vars(client))
    finally:
        client.close()


# -- 4. explicit credentials: the environment is not read ------------------------------------------

ENV_KEY = "xkeysib-FROM-THE-ENVIRONMENT"
ENV_PARTNER = "partner-FROM-THE-ENVIRONMENT"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"bearer_token": "token-1"}, {"authorization": "Bearer token-1"}),
        ({"bearer_token": lambda: "token-2"}, {"authorization": "Bearer token-2"}),
        ({"partner_key": "partner-1"}, {"partner-key": "partner-1"}),
        ({"api_key": "key-1"}, {"api-key": "key-1"}),
        ({}, {"api-key": ENV_KEY, "partner-key": ENV_PARTNER}),
    ],
    ids=["bearer", "bearer-callable", "partner_key", "api_key", "none-given"],
)
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_an_explicit_credential_keeps_the_environment_out(
    kind: str,
    given: dict[str, Any],
    expected: dict[str, str],
    serve: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BREVO_API_KEY", ENV_KEY)
    monkeypatch.setenv("BREVO_PARTNER_KEY", ENV_PARTNER)

    def handler(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.respond(200, {"id": str(REWARD_ID), "name": "Gift"})

    server = serve(handler)
    if kind == "sync":
        with Rewards(base_url=server.base_url, **given) as client:
            client.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID)
    else:

        async def main() -> None:
            async with AsyncRewards(base_url=server.base_url, **given) as client:
                await client.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID)

        asyncio.run(main())
    sent = server.requests[0].headers
    auth = {
        name: sent[name] for name in ("api-key", "partner-key", "authorization") if name in sent
    }
    assert auth == expected
