"""Hostile arguments never crash in an undocumented way and never escape the intended URL.

For every public method and every argument, each value of a table of bad inputs either raises
ValueError/TypeError naming the parameter before anything is sent (the loopback server counts no
new request), or is sent safely encoded: the request stays under /v3/loyalty/offer/programs/<pid>/
on the intended host, an id travels as exactly one path segment, a query value as exactly one
query value, and no header can be injected.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, unquote

import pytest
from brevo_loyalty import AsyncRewards, CredentialsError, Rewards
from hypothesis import given, settings
from hypothesis import strategies as st

from ._calls import API_KEY, OPERATIONS, PATH_PREFIX, PROGRAM_ID, valid_body
from ._servers import Connection, RawServer

Serve = Callable[..., RawServer]

BASELINE: dict[str, dict[str, Any]] = {
    **{name: args for name, (args, _) in OPERATIONS.items()},
    "iter_rewards": {},
    "iter_contact_vouchers": {"contact_id": 42},
    "redeem": {"contact_id": 42, "code": "CODE-1"},
}

BAD_VALUES: list[Any] = [
    None,
    "",
    " ",
    0,
    -1,
    2**70,
    -(2**70),
    1.5,
    float("nan"),
    float("inf"),
    True,
    [],
    {},
    b"bytes",
    object(),
    "x" * 10_000,
    "é✓🙂 ünïcödé",
    "a\r\nX-Injected: 1",
    "\x00\x01\x7f",
    "../../../etc/passwd",
    "..",
    ".",
    "?admin=1",
    "#fragment",
    "%2F..%2F",
    "a/b",
    "a&b=c",
    " leading",
    "\u202e\u200b",
]

# Where a free-form string argument lands in the request, to check it arrived intact.
PATH_ARGS = {  # method -> (argument, path template after the prefix)
    "get_code_count": ("code_pool_id", "code-pools/{}/codes-count"),
    "complete_redeem_request": ("transaction_id", "rewards/redeem/{}/complete"),
}
QUERY_ARGS = {  # (method, argument) -> query parameter
    ("list_contact_vouchers", "metadata_value"): "metadata_key_value",
    ("list_contact_vouchers", "reward_id"): "rewardId",
    ("iter_contact_vouchers", "metadata_value"): "metadata_key_value",
    ("iter_contact_vouchers", "reward_id"): "rewardId",
}


def _answer_everything(conn: Connection) -> None:
    while conn.read_request() is not None:
        conn.respond(200, valid_body(id="tx-1"), keep_alive=True)


# Covered by their own tests below (each guards a fixed overlay bug, see docs/reliability.md).
SEPARATELY_TESTED = {"timeout", "before_complete", "page_size"}


def _parameters(method: str) -> list[str]:
    signature = inspect.signature(getattr(Rewards, method))
    return [n for n in signature.parameters if n != "self" and n not in SEPARATELY_TESTED]


def _invoke(client: Rewards, method: str, args: dict[str, Any]) -> Any:
    result = getattr(client, method)(**args)
    if isinstance(result, Iterator):
        return list(result)
    return result


def _check_requests(server: RawServer, new: int, what: str) -> list[str]:
    problems = []
    for request in server.requests[-new:] if new else []:
        if not request.target.startswith(PATH_PREFIX):
            problems.append(f"{what}: left the prefix: {request.target[:200]!r}")
        if request.headers.get("host") != f"127.0.0.1:{server.port}":
            problems.append(f"{what}: wrong host {request.headers.get('host')!r}")
        if "x-injected" in request.headers:
            problems.append(f"{what}: header injected")
        if "#" in request.target:
            problems.append(f"{what}: raw '#' in the target")
    return problems


def _check_landing(request_target: str, method: str, name: str, value: Any) -> list[str]:
    """An id or query value must arrive as exactly one segment/value, equal to what was given."""
    if not isinstance(value, str):
        return []
    path, _, query = request_target.partition("?")
    if PATH_ARGS.get(method, ("",))[0] == name:
        template = PATH_ARGS[method][1]
        segments = path.removeprefix(PATH_PREFIX).split("/")
        if len(segments) != template.count("/") + 1:
            return [f"{method}.{name}={value[:40]!r}: path has {len(segments)} segments"]
        index = template.split("/").index("{}")
        if unquote(segments[index]) != value:
            return [f"{method}.{name}: segment {segments[index][:60]!r} != given value"]
    param = QUERY_ARGS.get((method, name))
    if param is not None:
        values = parse_qs(query, keep_blank_values=True).get(param)
        if values != [value]:
            return [f"{method}.{name}={value[:40]!r}: query carried {values!r}"]
    return []


async def _ainvoke(client: AsyncRewards, method: str, args: dict[str, Any]) -> Any:
    result = getattr(client, method)(**args)
    if isinstance(result, AsyncIterator):
        return [item async for item in result]
    return await result


@contextlib.contextmanager
def _caller(kind: str, base_url: str) -> Iterator[Callable[[str, dict[str, Any]], Any]]:
    """A function running one method call on a shared sync or async client."""
    if kind == "sync":
        with Rewards(api_key=API_KEY, base_url=base_url, max_retries=0) as client:
            yield lambda method, args: _invoke(client, method, args)
        return
    # One loop for the whole table: the async client (and its pool) lives across calls.
    loop = asyncio.new_event_loop()
    try:
        aclient = loop.run_until_complete(_make_async(base_url))
        yield lambda method, args: loop.run_until_complete(_ainvoke(aclient, method, args))
        loop.run_until_complete(aclient.aclose())
    finally:
        loop.close()


async def _make_async(base_url: str) -> AsyncRewards:
    return AsyncRewards(api_key=API_KEY, base_url=base_url, max_retries=0)


@pytest.mark.parametrize("method", sorted(BASELINE))
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_bad_arguments_fail_early_or_are_sent_safely(kind: str, method: str, serve: Serve) -> None:
    server = serve(_answer_everything)
    problems: list[str] = []
    outcomes = {"rejected": 0, "sent": 0}
    with _caller(kind, server.base_url) as call:
        # The baseline call works, so a rejection below is due to the one bad argument.
        call(method, {"program_id": PROGRAM_ID, **BASELINE[method]})
        for name in _parameters(method):
            for bad in BAD_VALUES:
                args = {"program_id": PROGRAM_ID, **BASELINE[method], name: bad}
                before = len(server.requests)
                what = f"{method}({name}={bad!r:.60})"
                try:
                    call(method, args)
                except (ValueError, TypeError) as exc:
                    outcomes["rejected"] += 1
                    if len(server.requests) != before:
                        problems.append(f"{what}: {type(exc).__name__} after a request was sent")
                    if name not in str(exc):
                        problems.append(f"{what}: message does not name it: {exc}")
                    continue
                except Exception as exc:
                    problems.append(f"{what}: undocumented {type(exc).__name__}: {exc!s:.200}")
                    continue
                outcomes["sent"] += 1
                new = len(server.requests) - before
                if new == 0:
                    problems.append(f"{what}: accepted but nothing was sent")
                problems += _check_requests(server, new, what)
                if new:
                    problems += _check_landing(server.requests[-1].target, method, name, bad)
    assert not problems, "\n".join(problems)
    # program_id alone is a UUID: every bad value of it must have been refused.
    assert outcomes["rejected"] >= len(BAD_VALUES)
    assert outcomes["sent"] > 0


def test_bad_client_settings_fail_early_or_still_send_safely(serve: Serve) -> None:
    # with_options is public too: each bad setting is refused by name, or the copy still sends
    # every request to the intended host and prefix, with no injected header.
    server = serve(_answer_everything)
    problems: list[str] = []
    refused = 0
    with Rewards(api_key=API_KEY, base_url=server.base_url, max_retries=0) as client:
        names = [n for n in inspect.signature(client.with_options).parameters]
        assert names == ["base_url", "timeout", "max_retries", "retry_policy", "default_headers"]
        for name in names:
            for bad in [*BAD_VALUES, {"X-Injected": "1\r\nX-Injected: 2"}, {"a b": "1"}]:
                what = f"with_options({name}={bad!r:.60})"
                before = len(server.requests)
                try:
                    copy = client.with_options(**{name: bad})
                    _invoke(
                        copy, "get_reward", {"program_id": PROGRAM_ID, **BASELINE["get_reward"]}
                    )
                except (ValueError, TypeError) as exc:
                    refused += 1
                    if len(server.requests) != before:
                        problems.append(f"{what}: {type(exc).__name__} after a request was sent")
                    if name not in str(exc):
                        problems.append(f"{what}: message does not name it: {exc}")
                    continue
                except Exception as exc:
                    problems.append(f"{what}: undocumented {type(exc).__name__}: {exc!s:.200}")
                    continue
                problems += _check_requests(server, len(server.requests) - before, what)
    assert not problems, "\n".join(problems)
    assert refused >= 4 * len(BAD_VALUES)  # nearly every value is wrong for every setting


def test_any_string_id_stays_one_path_segment(serve: Serve) -> None:
    server = serve(_answer_everything)
    client = Rewards(api_key=API_KEY, base_url=server.base_url, max_retries=0)

    # One server and client for all examples (a function-scoped fixture cannot be used by
    # @given directly, and a server per example would dominate the run time).
    @settings(max_examples=300, deadline=None)
    @given(value=st.text(max_size=60))
    def check(value: str) -> None:
        for method, (name, _) in PATH_ARGS.items():
            before = len(server.requests)
            try:
                _invoke(client, method, {"program_id": PROGRAM_ID, name: value})
            except ValueError:
                # Only ids that cannot be a path segment are refused.
                assert value.strip() in {"", ".", ".."}, value
                assert len(server.requests) == before
                continue
            assert len(server.requests) == before + 1
            assert _check_requests(server, 1, method) == []
            assert _check_landing(server.requests[-1].target, method, name, value) == []

    with client:
        check()


# Every method shares the client's option handling: one read and one create are enough.
@pytest.mark.parametrize("method", ["get_reward", "create_voucher"])
@pytest.mark.parametrize("timeout", [-1, 0, 2**70, float("nan"), "10", True])
def test_out_of_range_timeout_is_rejected_naming_it(
    method: str, timeout: Any, serve: Serve
) -> None:
    server = serve(_answer_everything)
    with Rewards(api_key=API_KEY, base_url=server.base_url, max_retries=0) as client:
        args = {"program_id": PROGRAM_ID, **BASELINE[method], "timeout": timeout}
        with pytest.raises((ValueError, TypeError), match="timeout"):
            _invoke(client, method, args)
    assert server.requests == []


@pytest.mark.parametrize(
    ("method", "name"),
    [*((m, arg) for m, (arg, _) in PATH_ARGS.items()), *QUERY_ARGS],
)
def test_overlong_string_is_rejected_before_sending(method: str, name: str, serve: Serve) -> None:
    # 100,000 characters overflow httpx's URL limit (65,536): this must be a ValueError naming
    # the argument, not an httpx.InvalidURL escaping from the client.
    server = serve(_answer_everything)
    with Rewards(api_key=API_KEY, base_url=server.base_url, max_retries=0) as client:
        args = {"program_id": PROGRAM_ID, **BASELINE[method], name: "x" * 100_000}
        with pytest.raises(ValueError, match=name):
            _invoke(client, method, args)
    assert server.requests == []


@pytest.mark.parametrize("method", ["iter_rewards", "iter_contact_vouchers"])
@pytest.mark.parametrize("page_size", [0, -1, 101, 1.5, "10", None])
def test_page_size_errors_name_page_size(method: str, page_size: Any, serve: Serve) -> None:
    server = serve(_answer_everything)
    with Rewards(api_key=API_KEY, base_url=server.base_url) as client:
        args = {"program_id": PROGRAM_ID, **BASELINE[method], "page_size": page_size}
        with pytest.raises((ValueError, TypeError), match="page_size"):
            _invoke(client, method, args)
    assert server.requests == []


@pytest.mark.parametrize("before_complete", ["yes", 1, object()], ids=["str", "int", "object"])
def test_redeem_checks_before_complete_before_creating_anything(
    before_complete: Any, serve: Serve
) -> None:
    # Otherwise the redeem request is created and left pending before the TypeError.
    server = serve(_answer_everything)
    with Rewards(api_key=API_KEY, base_url=server.base_url) as client:
        args = {"program_id": PROGRAM_ID, **BASELINE["redeem"], "before_complete": before_complete}
        with pytest.raises(TypeError, match="before_complete"):
            client.redeem(**args)
    assert server.requests == []


@pytest.mark.parametrize("credential", ["api_key", "partner_key", "bearer_token"])
@pytest.mark.parametrize(
    "value",
    ["key\r\nX-Injected: 1", "key\n", "key\rx", "\x00key", "", " key", "xkeysib-clé-X-Injected"],
    ids=repr,
)
@pytest.mark.parametrize("cls", [Rewards, AsyncRewards])
def test_malformed_credential_is_rejected_at_construction(
    cls: type[Rewards] | type[AsyncRewards], credential: str, value: str
) -> None:
    options: dict[str, Any] = {credential: value, "base_url": "http://127.0.0.1:9/v3"}
    with pytest.raises(CredentialsError) as info:
        cls(**options)
    assert isinstance(info.value, ValueError)
    assert credential in str(info.value)
    assert "X-Injected" not in str(info.value)


@pytest.mark.parametrize("value", ["ok\r\nX-Injected: 1", "a\nb", "\x00", "café", "日本"])
def test_header_injection_via_extra_headers_is_refused_before_sending(
    value: str, serve: Serve
) -> None:
    server = serve(_answer_everything)
    with Rewards(api_key=API_KEY, base_url=server.base_url) as client:
        with pytest.raises(ValueError, match="extra_headers"):
            client.get_reward(
                program_id=PROGRAM_ID, reward_id=uuid.uuid4(), extra_headers={"X-Trace": value}
            )
        with pytest.raises(ValueError, match="extra_headers"):
            client.get_reward(
                program_id=PROGRAM_ID, reward_id=uuid.uuid4(), extra_headers={value: "v"}
            )
    assert server.requests == []


@pytest.mark.parametrize("header", ["a b", "X:Y", "X-Trace ", "", "(x)", "x/y", 'x"y', "é"])
def test_a_header_name_that_is_not_a_token_is_refused_by_name(header: str, serve: Serve) -> None:
    # httpx would send "a b" or "X:Y" as given: a malformed request some servers answer 400 and
    # some proxies split into two headers.
    server = serve(_answer_everything)
    with pytest.raises(ValueError, match="default_headers"):
        Rewards(api_key=API_KEY, base_url=server.base_url, default_headers={header: "1"})
    with Rewards(api_key=API_KEY, base_url=server.base_url) as client:
        with pytest.raises(ValueError, match="extra_headers"):
            client.get_reward(
                program_id=PROGRAM_ID, reward_id=uuid.uuid4(), extra_headers={header: "1"}
            )
        with pytest.raises(ValueError, match="default_headers"):
            client.with_options(default_headers={header: "1"})
    assert server.requests == []
