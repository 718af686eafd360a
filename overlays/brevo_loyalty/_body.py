"""Reading a response body safely: bounded in size once decoded, and JSON decoded without crashing.

Two hostile-server shapes are handled here, for the sync and async clients alike:

- a **decompression bomb** (1 MiB of gzip inflating to 1 GiB): the body is read decoded, chunk by
  chunk, and reading stops with ``ResponseTooLargeError`` as soon as the decoded size passes the
  limit. Memory stays bounded by the limit plus one decoded chunk (httpx inflates each network read
  of at most 64 KiB on its own; zlib's worst ratio is about 1:1000, so one chunk stays under
  about 64 MiB).
- a **deeply nested JSON document** (50,000 ``[``): Python's decoder raises ``RecursionError``,
  which ``loads`` turns into a ``ValueError`` like any other undecodable body.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from ._exceptions import ResponseTooLargeError

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "JSONNestingError", "aread", "loads", "read"]

# The API's largest answers (a page of 100 rewards with their rules) are a few hundred KiB: 32 MiB
# is far above any real body and far below what hurts a worker's memory.
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024


class JSONNestingError(ValueError):
    """A JSON document nested too deeply for Python's decoder (a ``ValueError``, as bad JSON is)."""


def loads(raw: bytes | str) -> Any:
    """``json.loads``, except that nesting too deep for the decoder raises ``JSONNestingError``."""
    try:
        return json.loads(raw)
    except RecursionError:
        # Raised outside the handler would keep no deep traceback; the message is all that matters.
        raise JSONNestingError("the JSON document is nested too deeply to decode") from None


def _too_large(response: httpx.Response, limit: int) -> ResponseTooLargeError:
    request = response.request
    return ResponseTooLargeError(
        f"{request.method} {request.url.path}: the {response.status_code} response body is larger "
        f"than {limit} bytes once decoded; reading stopped there",
        method=request.method,
        url=str(request.url),
        status_code=response.status_code,
        headers=response.headers,
        limit=limit,
    )


def _collect(
    response: httpx.Response, chunks: Iterator[bytes], limit: int, deadline: float | None
) -> bytes:
    received: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise _too_large(response, limit)
        received.append(chunk)
        if deadline is not None and time.monotonic() > deadline:
            raise httpx.ReadTimeout(
                "the response took longer than the timeout", request=response.request
            )
    return b"".join(received)


def _decoded(response: httpx.Response, content: bytes) -> httpx.Response:
    """A complete response carrying the already decoded ``content``.

    ``Content-Encoding`` is dropped (and ``Content-Length`` set to the decoded size): the headers
    describe the body the caller gets, and httpx must not decode it a second time.
    """
    headers = response.headers  # httpx.Response copies the headers it is given
    if "content-encoding" in headers:
        headers = httpx.Headers(headers)
        del headers["content-encoding"]
        headers["content-length"] = str(len(content))
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=content,
        request=response.request,
        extensions=response.extensions,
    )


def _declared_within(response: httpx.Response, limit: int) -> bool:
    """Whether the headers fix the body's size, at most ``limit``, before a byte of it is read.

    That is a ``Content-Length`` with neither ``Content-Encoding`` (the decoded size could be
    anything) nor ``Transfer-Encoding`` (which takes precedence over the length in HTTP/1.1).
    httpcore never reads past the declared length, so httpx's own ``read`` is bounded then.
    """
    headers = response.headers
    length = headers.get("content-length")
    return (
        length is not None
        and length.isascii()
        and length.isdigit()
        and int(length) <= limit
        and "content-encoding" not in headers
        and "transfer-encoding" not in headers
    )


def _unbind(response: httpx.Response, content: bytes) -> httpx.Response:
    """``response``, whose body was read (``content``), without the stream httpx bound to it.

    httpx's client binds each response to a stream that refers back to it: a reference cycle,
    which only the cyclic garbage collector frees. Once the body is read the stream has no use,
    so it is replaced by the body itself, and the response (with its body) is freed as soon as
    nothing uses it (walking 100k vouchers otherwise peaks at 3x the memory).
    """
    response.stream = httpx.ByteStream(content)
    return response


def read(
    response: httpx.Response, *, limit: int = DEFAULT_MAX_RESPONSE_BYTES, deadline: float | None
) -> httpx.Response:
    """Read a streamed response's body, decoded, within ``limit`` bytes and before ``deadline``.

    ``deadline`` is a ``time.monotonic()`` instant, checked between chunks; None when nothing is
    to be checked here (no overall deadline, or the sockets enforce it). Returns a complete
    response; the streamed one is closed either way.

    Raises:
        ResponseTooLargeError: the decoded body passed ``limit``.
        httpx.ReadTimeout: the deadline passed while reading (handled as any read timeout).
    """
    if response.is_stream_consumed:  # in-memory transports hand over a body already read
        if len(response.content) > limit:
            raise _too_large(response, limit)
        return _unbind(response, response.content)
    if deadline is None and _declared_within(response, limit):
        # The common case: httpx reads a body of known, bounded length (no second Response).
        return _unbind(response, response.read())  # read() closes the stream
    try:
        content = _collect(response, response.iter_bytes(), limit, deadline)
    finally:
        response.close()
        _unbind(response, b"")  # replaced by the decoded response below
    return _decoded(response, content)


async def aread(
    response: httpx.Response, *, limit: int = DEFAULT_MAX_RESPONSE_BYTES
) -> httpx.Response:
    """Async twin of ``read`` (the caller bounds the time, e.g. with ``asyncio.timeout``)."""
    if response.is_stream_consumed:
        if len(response.content) > limit:
            raise _too_large(response, limit)
        return _unbind(response, response.content)
    if _declared_within(response, limit):  # the caller bounds the time of the whole attempt
        return _unbind(response, await response.aread())
    received: list[bytes] = []
    size = 0
    chunks: AsyncIterator[bytes] = response.aiter_bytes()
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise _too_large(response, limit)
            received.append(chunk)
    finally:
        await response.aclose()
        _unbind(response, b"")
    return _decoded(response, b"".join(received))
