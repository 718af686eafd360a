"""One ``AsyncRewards`` per event loop: a clear error instead of httpx's bare ``RuntimeError``.

httpx's network pool keeps connections whose sockets belong to the event loop that opened them.
Reused from another loop (typically a second ``asyncio.run()``), a pooled connection fails deep in
asyncio with ``RuntimeError: Event loop is closed`` or "attached to a different loop", after the
request may have been written. ``LoopGuard.check`` runs before anything is sent and raises
``EventLoopMismatchError`` instead.

Only loop-bound transports are guarded: httpx's own ``AsyncHTTPTransport`` (default transport and
mounts, found through httpx's private ``_transport``/``_mounts``). An in-memory transport such as
the sandbox's works from any loop and is left alone.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import httpx

from ._exceptions import EventLoopMismatchError

if TYPE_CHECKING:
    import asyncio

__all__ = ["LoopGuard"]


def _loop_bound(http: httpx.AsyncClient) -> bool:
    transports = [getattr(http, "_transport", None), *getattr(http, "_mounts", {}).values()]
    return any(isinstance(transport, httpx.AsyncHTTPTransport) for transport in transports)


class LoopGuard:
    """Remembers the first event loop a client ran in, and refuses any other one."""

    __slots__ = ("_bound", "_loop")

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._bound = _loop_bound(http)
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None

    def check(self) -> None:
        """Raise ``EventLoopMismatchError`` if called from another loop than the first one."""
        if not self._bound:
            return
        import asyncio  # already loaded by the running loop; too costly for `import brevo_loyalty`

        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = weakref.ref(loop)
            return
        if self._loop() is not loop:
            raise EventLoopMismatchError(
                "this AsyncRewards was first used in another event loop, and its connection pool "
                "belongs to that loop (e.g. a previous asyncio.run()); create one AsyncRewards per "
                "event loop, e.g. `async with AsyncRewards(...) as client:` inside the coroutine "
                "asyncio.run() runs"
            )
