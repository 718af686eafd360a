"""Failures become typed exceptions carrying what the server said (or why nothing was said)."""

from __future__ import annotations

from typing import Any

import pytest
from brevo_loyalty import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ExpectationFailedError,
    FailedDependencyError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    ResponseParseError,
    UnprocessableEntityError,
)

from ._loopback import (
    COUNT,
    KINDS,
    PID,
    PROGRAM,
    RID,
    Kind,
    LoopbackServer,
    Reply,
    call,
    refused_port,
)

STATUS_ERRORS: list[tuple[int, type[APIStatusError]]] = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (412, PreconditionFailedError),
    (417, ExpectationFailedError),
    (422, UnprocessableEntityError),
    (424, FailedDependencyError),
    (429, RateLimitError),
    (418, APIStatusError),
    (409, APIStatusError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("status", "expected"), STATUS_ERRORS)
def test_status_maps_to_its_exception(
    kind: Kind, status: int, expected: type[APIStatusError], server: LoopbackServer
) -> None:
    body = {"code": "some_code", "message": f"it failed with {status}"}
    server.enqueue(Reply.json(body, status=status, headers={"X-Request-Id": "req-1"}))

    with pytest.raises(APIStatusError) as info:
        call(kind, server.base_url, "get_code_count", {**COUNT, "max_retries": 0})

    exc = info.value
    assert type(exc) is expected
    assert exc.status_code == status
    assert exc.code == "some_code"
    assert exc.message == f"it failed with {status}"
    assert exc.body == body
    assert exc.headers["x-request-id"] == "req-1"
    assert exc.method == "GET"
    assert exc.url == f"{server.base_url}{PROGRAM.removeprefix('/v3')}/code-pools/pool/codes-count"
    assert str(status) in str(exc)
    assert server.count == 1


@pytest.mark.parametrize("kind", KINDS)
def test_older_error_form_gives_the_message(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"error": "Reward not found"}, status=404))

    with pytest.raises(NotFoundError) as info:
        call(kind, server.base_url, "get_reward", {"program_id": PID, "reward_id": RID})

    assert info.value.message == "Reward not found"
    assert info.value.code is None
    assert info.value.body == {"error": "Reward not found"}


@pytest.mark.parametrize("kind", KINDS)
def test_html_error_page_still_gives_typed_exception(kind: Kind, server: LoopbackServer) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    server.enqueue(Reply(502, page.encode(), {"Content-Type": "text/html"}))

    with pytest.raises(InternalServerError) as info:
        call(kind, server.base_url, "get_code_count", {**COUNT, "max_retries": 0})

    assert info.value.status_code == 502
    assert info.value.body == page
    assert info.value.code is None
    assert info.value.message == "Bad Gateway"  # the reason phrase


@pytest.mark.parametrize("kind", KINDS)
def test_empty_error_body_still_gives_typed_exception(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply(404))

    with pytest.raises(NotFoundError) as info:
        call(kind, server.base_url, "get_code_count", COUNT)

    assert info.value.status_code == 404
    assert info.value.body == ""
    assert info.value.message == "Not Found"


def test_error_carries_a_json_body_that_is_not_an_object(server: LoopbackServer) -> None:
    server.enqueue(Reply.json(["bad", "things"], status=422))
    with pytest.raises(UnprocessableEntityError) as info:
        call("sync", server.base_url, "get_code_count", COUNT)
    assert info.value.body == ["bad", "things"]
    assert info.value.code is None


BAD_BODIES: list[tuple[str, str, dict[str, Any], bytes]] = [
    ("list", "get_reward", {"program_id": PID, "reward_id": RID}, b"[]"),
    ("list-of-pairs", "get_reward", {"program_id": PID, "reward_id": RID}, b'[["name", "x"]]'),
    ("list-of-numbers", "get_reward", {"program_id": PID, "reward_id": RID}, b"[1, 2]"),
    ("string", "get_reward", {"program_id": PID, "reward_id": RID}, b'"a string"'),
    ("number", "get_code_count", COUNT, b"42"),
    ("invalid-json", "get_reward", {"program_id": PID, "reward_id": RID}, b'{"name": '),
    ("empty", "get_code_count", COUNT, b""),
    ("items-not-a-list", "list_rewards", {"program_id": PID}, b'{"items": "nope"}'),
    # Nested values go through the generated from_dict, which starts with dict(value): a nested
    # number or string fails, but a nested [] or list of pairs would be read as an object (known,
    # documented leniency of the generator; the top level is checked by the overlay).
    ("item-not-an-object", "list_rewards", {"program_id": PID}, b'{"items": [5]}'),
    (
        "voucher-list",
        "create_voucher",
        {"program_id": PID, "reward_id": RID, "contact_id": 1},
        b"[]",
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("operation", "arguments", "raw"),
    [case[1:] for case in BAD_BODIES],
    ids=[case[0] for case in BAD_BODIES],
)
def test_success_body_that_does_not_match_is_a_parse_error(
    kind: Kind,
    operation: str,
    arguments: dict[str, Any],
    raw: bytes,
    server: LoopbackServer,
) -> None:
    server.enqueue(Reply(200, raw, {"Content-Type": "application/json"}))

    with pytest.raises(ResponseParseError) as info:
        call(kind, server.base_url, operation, arguments)

    assert info.value.body == raw
    assert info.value.status_code == 200
    assert info.value.headers["content-type"] == "application/json"
    assert server.count == 1  # a parse error is never retried


def test_undocumented_success_status_parses_like_the_documented_one(server: LoopbackServer) -> None:
    # Every success status of an operation shares one schema: a 202 that matches it is accepted
    # (forward compatible), and one that doesn't is still a parse error.
    server.enqueue(Reply.json({"count": 1}, status=202))
    assert call("sync", server.base_url, "get_code_count", COUNT).count == 1
    server.enqueue(Reply(202, b"[1]", {"Content-Type": "application/json"}))
    with pytest.raises(ResponseParseError) as info:
        call("sync", server.base_url, "get_code_count", COUNT)
    assert info.value.status_code == 202
    assert info.value.body == b"[1]"


@pytest.mark.parametrize("kind", KINDS)
def test_connection_refused_is_a_connection_error(kind: Kind) -> None:
    with refused_port() as port, pytest.raises(APIConnectionError) as info:
        call(kind, f"http://127.0.0.1:{port}/v3", "get_code_count", {**COUNT, "max_retries": 0})
    assert type(info.value) is APIConnectionError
    assert info.value.method == "GET"
    assert str(port) in info.value.url


@pytest.mark.parametrize("kind", KINDS)
def test_read_timeout_is_a_timeout_error(kind: Kind, server: LoopbackServer) -> None:
    # The server would answer after 5 s (interrupted at teardown); the per-call timeout is 0.2 s.
    server.enqueue(Reply(200, b"{}", {"Content-Type": "application/json"}, delay=5.0))

    with pytest.raises(APITimeoutError) as info:
        call(kind, server.base_url, "get_code_count", {**COUNT, "timeout": 0.2, "max_retries": 0})

    assert isinstance(info.value, APIConnectionError)
    assert server.count == 1


def test_read_timeout_of_create_voucher_is_not_retried(server: LoopbackServer) -> None:
    # The request reached the server: a second attempt could attribute a second voucher.
    server.enqueue(Reply(200, b"{}", {}, delay=5.0))
    sleeps: list[float] = []

    with pytest.raises(APITimeoutError):
        call(
            "sync",
            server.base_url,
            "create_voucher",
            {"program_id": PID, "reward_id": RID, "contact_id": 1, "timeout": 0.2},
            sleeps=sleeps,
        )

    assert server.count == 1
    assert sleeps == []


def test_numeric_error_code_is_kept_as_text(server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"code": 1234, "message": "limit"}, status=412))
    with pytest.raises(PreconditionFailedError) as info:
        call("sync", server.base_url, "get_code_count", COUNT)
    assert info.value.code == "1234"
    assert "[1234]" in str(info.value)


@pytest.mark.parametrize("kind", KINDS)
def test_raw_response_still_raises_on_error_status(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(Reply.json({"message": "nope"}, status=404))
    with pytest.raises(NotFoundError):
        call(kind, server.base_url, "get_code_count", COUNT, raw=True)


def test_raw_response_defers_the_parse_error_to_parse(server: LoopbackServer) -> None:
    server.enqueue(Reply(200, b"not json", {"Content-Type": "application/json"}))
    response = call("sync", server.base_url, "get_code_count", COUNT, raw=True)
    assert response.content == b"not json"
    with pytest.raises(ResponseParseError):
        response.parse()


@pytest.mark.parametrize("kind", KINDS)
def test_read_timeout_of_a_get_is_retried(kind: Kind, server: LoopbackServer) -> None:
    server.enqueue(
        Reply(200, b"{}", {"Content-Type": "application/json"}, delay=5.0),
        Reply.json({"count": 8}),
    )
    sleeps: list[float] = []

    # The timeout must cut the 5 s hang yet leave a loaded CI machine time for the real answer.
    result = call(kind, server.base_url, "get_code_count", {**COUNT, "timeout": 1.0}, sleeps=sleeps)

    assert result.count == 8
    assert server.count == 2
    assert len(sleeps) == 1
