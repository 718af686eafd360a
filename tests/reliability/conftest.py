"""Fixtures of the reliability suite: misbehaving loopback servers, always shut down."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ._servers import Handler, RawServer


@pytest.fixture
def serve() -> Iterator[Callable[..., RawServer]]:
    """Start a RawServer per call; every one is closed (and its threads joined) at teardown."""
    servers: list[RawServer] = []

    def start(handler: Handler, port: int = 0) -> RawServer:
        server = RawServer(handler, port)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
