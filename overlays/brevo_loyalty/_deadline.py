"""An overall deadline for one sync attempt, enforced on every socket operation.

httpx's timeouts bound each network operation separately: a server that drips its status line and
headers one byte at a time, each byte within the read timeout, keeps a sync attempt alive forever
(the async client wraps the whole attempt in ``asyncio.timeout`` instead). Python cannot interrupt
a blocking ``recv`` from outside, so the bound has to be applied *inside* each read: this module
wraps httpcore's network backend so that every connect, read and write gets as its timeout the
smaller of its own and the time left before the attempt's deadline, and fails at once once the
deadline has passed.

The deadline is a context variable set around one attempt (``bounded``), so threads sharing a
client each have their own, and a wrapped backend without a deadline behaves exactly as before.

Limits (documented in docs/reliability.md): the wrapper is installed on the pools httpx creates
(``httpx.HTTPTransport`` as the default transport and in mounts) — it reaches into httpx's private
``_transport``/``_mounts``/``_pool`` attributes and is silently skipped where they are absent (a
custom transport, a future httpx). Connections a user-supplied client opened *before* being handed
to ``Rewards`` keep their original stream; every connection opened afterwards is covered.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpcore
    import httpx

__all__ = ["bounded", "install"]

_deadline: ContextVar[float | None] = ContextVar("brevo_loyalty_attempt_deadline", default=None)


@contextmanager
def bounded(deadline: float | None) -> Iterator[None]:
    """Run the block with every socket operation bounded by ``deadline`` (``time.monotonic``)."""
    token = _deadline.set(deadline)
    try:
        yield
    finally:
        _deadline.reset(token)


def _capped(timeout: float | None, error: str) -> float | None:
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        import httpcore  # loaded already: a stream of it is in use

        raise getattr(httpcore, error)("the attempt's deadline passed")
    return remaining if timeout is None else min(timeout, remaining)


# Duck-typed rather than subclasses of httpcore's NetworkStream/NetworkBackend: httpx imports
# httpcore only when a transport is created, and `import brevo_loyalty` should not pay for it.
class _DeadlineStream:
    """A network stream whose every operation respects the current attempt's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _capped(timeout, "ReadTimeout"))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _capped(timeout, "WriteTimeout"))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> _DeadlineStream:
        tls = self._stream.start_tls(
            ssl_context, server_hostname, _capped(timeout, "ConnectTimeout")
        )
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend:
    """Wraps a network backend so that the streams it opens respect the attempt's deadline."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _DeadlineStream:
        stream = self._backend.connect_tcp(
            host, port, _capped(timeout, "ConnectTimeout"), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _DeadlineStream:
        stream = self._backend.connect_unix_socket(
            path, _capped(timeout, "ConnectTimeout"), socket_options
        )
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def install(http: httpx.Client) -> int:
    """Wrap the network backend of every httpcore pool of ``http``; returns how many were wrapped.

    Idempotent (a wrapped backend is not wrapped again); pools it cannot find are left alone.
    """
    import httpcore  # loaded by httpx when it created the client's transport

    transports = [getattr(http, "_transport", None), *getattr(http, "_mounts", {}).values()]
    wrapped = 0
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, _DeadlineBackend):
            wrapped += 1
        elif isinstance(backend, httpcore.NetworkBackend):
            pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
            wrapped += 1
    return wrapped
