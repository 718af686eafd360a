"""Plain generated functions (`brevo_loyalty_api.api.rewards.*`) on error bodies that are not JSON.

Built in by templates/endpoint_module.py.jinja: a documented error status whose body is not the
documented ``Error`` JSON (a proxy's HTML page, an empty body, a JSON array) is handled like an
undocumented status, never as a ``JSONDecodeError`` escaping from the client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import pytest
from brevo_loyalty_api import errors
from brevo_loyalty_api.api.rewards import create_reward, get_code_count, revoke_vouchers
from brevo_loyalty_api.client import Client
from brevo_loyalty_api.models import CreateRewardRequest, Error
from brevo_loyalty_api.types import Response

from ._servers import Connection, RawServer

PID = "6f1c2d3e-4a5b-4c6d-8e7f-901234567890"

# One GET, one POST with a body, and revoke (whose 200 is a union): sync and asyncio variants.
CALLS: dict[str, tuple[Callable[..., Any], Callable[..., Any], dict[str, Any]]] = {
    "get_code_count": (
        get_code_count.sync_detailed,
        get_code_count.asyncio_detailed,
        {"pid": PID, "cpid": "pool-1"},
    ),
    "create_reward": (
        create_reward.sync_detailed,
        create_reward.asyncio_detailed,
        {"pid": PID, "body": CreateRewardRequest(name="Gift")},
    ),
    "revoke_vouchers": (
        revoke_vouchers.sync_detailed,
        revoke_vouchers.asyncio_detailed,
        {"pid": PID, "attributed_reward_ids": "a,b"},
    ),
}
NOT_JSON = [b"<html><h1>500 Internal Server Error</h1></html>", b"", b"[]", b'{"code": "x"']


def _answer(status: int, body: bytes, content_type: str) -> Callable[[Connection], None]:
    def handler(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.respond(status, body, content_type=content_type)

    return handler


def _call(kind: str, operation: str, client: Client) -> Response[Any]:
    sync, asyncio_, arguments = CALLS[operation]
    response: Response[Any]
    if kind == "sync":
        response = sync(client=client, **arguments)
    else:
        response = asyncio.run(asyncio_(client=client, **arguments))
    return response


@pytest.mark.parametrize("body", NOT_JSON, ids=["html", "empty", "array", "truncated"])
@pytest.mark.parametrize("operation", sorted(CALLS))
@pytest.mark.parametrize("kind", ["sync", "asyncio"])
def test_non_json_error_body_is_kept_raw(
    kind: str, operation: str, body: bytes, serve: Callable[..., RawServer]
) -> None:
    server = serve(_answer(500, body, "text/html"))
    response = _call(kind, operation, Client(base_url=server.base_url))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.parsed is None
    assert response.content == body


@pytest.mark.parametrize("operation", sorted(CALLS))
@pytest.mark.parametrize("kind", ["sync", "asyncio"])
def test_non_json_error_body_raises_unexpected_status_when_asked(
    kind: str, operation: str, serve: Callable[..., RawServer]
) -> None:
    server = serve(_answer(404, NOT_JSON[0], "text/html"))
    client = Client(base_url=server.base_url, raise_on_unexpected_status=True)
    with pytest.raises(errors.UnexpectedStatus) as info:
        _call(kind, operation, client)
    assert info.value.status_code == 404
    assert info.value.content == NOT_JSON[0]
    # `from None`: the JSON decoding noise is not chained onto the error users see.
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


@pytest.mark.parametrize("operation", sorted(CALLS))
def test_documented_error_body_still_parses(
    operation: str, serve: Callable[..., RawServer]
) -> None:
    server = serve(
        _answer(404, b'{"code": "not_found", "message": "No such program"}', "application/json")
    )
    response = _call("sync", operation, Client(base_url=server.base_url))
    assert isinstance(response.parsed, Error)
    assert response.parsed.code == "not_found"
    assert response.parsed.message == "No such program"
