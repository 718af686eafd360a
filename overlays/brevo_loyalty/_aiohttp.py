"""An aiohttp backend for ``AsyncRewards``: ``pip install 'brevo-loyalty[aiohttp]'``.

httpx's own connection pool makes many concurrent requests through one ``httpx.AsyncClient``
slow (1000 concurrent calls cost several times 1000 sequential ones; see bench/README.md).
:class:`DefaultAioHttpClient` is an ``httpx.AsyncClient`` whose requests go through aiohttp
(via the ``httpx-aiohttp`` package), so ``AsyncRewards`` keeps its whole behaviour — timeouts,
retries, errors — while aiohttp moves the bytes::

    from brevo_loyalty import AsyncRewards, DefaultAioHttpClient

    async with DefaultAioHttpClient() as http, AsyncRewards(http_client=http) as client:
        reward = await client.get_reward(program_id=..., reward_id=...)
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport, HttpxAiohttpClient

from ._base_client import DEFAULT_TIMEOUT

__all__ = ["DefaultAioHttpClient"]

CertTypes = str | tuple[str, str] | tuple[str, str, str]
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


def _remapped(exc: httpx.TransportError, request: httpx.Request) -> httpx.TransportError:
    """The httpx error that says what really happened to the request.

    httpx-aiohttp maps every ``aiohttp.ClientConnectionError`` — a server that closed the
    connection after reading the request included — to ``httpx.ConnectTimeout``, which
    means "never sent". The client retries such errors even for requests that create
    something, so a create could be sent twice. Only a failure to connect (or to get a
    pooled connection in time) keeps a connect error here; anything later is a read error.
    """
    cause = exc.__cause__
    if not isinstance(cause, aiohttp.ClientError):
        return exc
    message = str(cause) or type(cause).__name__
    if isinstance(cause, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message, request=request)
    if isinstance(cause, aiohttp.ClientConnectorError):
        return httpx.ConnectError(message, request=request)
    if isinstance(cause, aiohttp.SocketTimeoutError):
        return httpx.ReadTimeout(message, request=request)
    if isinstance(cause, aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout(message, request=request)
    if isinstance(cause, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError(message, request=request)
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError):
        # Any other connection error happened after connecting: the request may have arrived.
        return httpx.ReadError(message, request=request)
    return exc


@contextmanager
def _errors_remapped(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except httpx.TransportError as exc:
        better = _remapped(exc, request)
        if better is exc:
            raise
        raise better from exc.__cause__


class _ResponseStream(httpx.AsyncByteStream):
    """The body stream, with the same error mapping while the body is read."""

    def __init__(self, inner: httpx.AsyncByteStream, request: httpx.Request) -> None:
        self._inner = inner
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _errors_remapped(self._request):
            async for chunk in self._inner:
                yield chunk

    async def aclose(self) -> None:
        with _errors_remapped(self._request):
            await self._inner.aclose()


class _Transport(AiohttpTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        with _errors_remapped(request):
            response = await super().handle_async_request(request)
        stream = response.stream
        if not isinstance(stream, httpx.AsyncByteStream):  # not what httpx-aiohttp returns
            return response
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers.raw,
            stream=_ResponseStream(stream, request),
            request=request,
            extensions=response.extensions,
        )


class DefaultAioHttpClient(HttpxAiohttpClient):
    """An ``httpx.AsyncClient`` that sends its requests with aiohttp, for ``AsyncRewards``.

    Pass it as ``http_client=``; it takes the arguments of ``httpx.AsyncClient`` (``timeout``
    defaults to the client's 30 s, 5 s to connect; ``limits`` caps the connections). Close it
    yourself, e.g. with ``async with``: ``AsyncRewards`` never closes an HTTP client it was
    given. Needs the ``aiohttp`` extra: ``pip install 'brevo-loyalty[aiohttp]'``.

    Example:
        >>> async with DefaultAioHttpClient() as http:  # doctest: +SKIP
        ...     async with AsyncRewards(api_key=..., http_client=http) as client:
        ...         await client.get_reward(program_id=..., reward_id=...)
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        super().__init__(**kwargs)

    # httpx.AsyncClient builds its transports through these two hooks; ours remap errors.
    def _init_transport(
        self,
        verify: ssl.SSLContext | str | bool = True,
        cert: CertTypes | None = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = DEFAULT_LIMITS,
        transport: httpx.AsyncBaseTransport | None = None,
        **kwargs: Any,
    ) -> httpx.AsyncBaseTransport:
        if transport is not None:
            return transport
        return _Transport(
            verify=verify, cert=cert, trust_env=trust_env, http1=http1, http2=http2, limits=limits
        )

    def _init_proxy_transport(
        self,
        proxy: httpx.Proxy,
        verify: ssl.SSLContext | str | bool = True,
        cert: CertTypes | None = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = DEFAULT_LIMITS,
        **kwargs: Any,
    ) -> httpx.AsyncBaseTransport:
        return _Transport(
            verify=verify,
            cert=cert,
            trust_env=trust_env,
            http1=http1,
            http2=http2,
            limits=limits,
            proxy=proxy,
        )
