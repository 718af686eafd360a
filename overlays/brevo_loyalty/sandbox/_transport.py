"""httpx transports that answer requests from a sandbox in memory, with no socket involved."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import httpx

from ._app import Reply

Handle = Callable[[str, str, Mapping[str, str], bytes], Reply]


def _headers(request: httpx.Request) -> dict[str, str]:
    return {name.lower(): value for name, value in request.headers.items()}


def _target(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii")


def _response(reply: Reply, request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        reply.status, headers=list(reply.headers), content=reply.body, request=request
    )


class SandboxTransport(httpx.BaseTransport):
    """A synchronous httpx transport backed by a sandbox (any host; routes under ``/v3``)."""

    def __init__(self, handle: Handle) -> None:
        self._handle = handle

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` from the sandbox."""
        body = request.read()
        reply = self._handle(request.method, _target(request), _headers(request), body)
        return _response(reply, request)


class AsyncSandboxTransport(httpx.AsyncBaseTransport):
    """An asynchronous httpx transport backed by a sandbox (any host; routes under ``/v3``)."""

    def __init__(self, handle: Handle) -> None:
        self._handle = handle

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` from the sandbox (in-memory, so it never blocks for long)."""
        body = await request.aread()
        reply = self._handle(request.method, _target(request), _headers(request), body)
        return _response(reply, request)
