"""Fixtures of the overlay tests: a scripted loopback HTTP server and a clean environment."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from ._loopback import LoopbackServer


@pytest.fixture(autouse=True)
def _no_credentials_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A key exported in the developer's shell must not leak into (or satisfy) these tests.
    monkeypatch.delenv("BREVO_API_KEY", raising=False)
    monkeypatch.delenv("BREVO_PARTNER_KEY", raising=False)
    monkeypatch.delenv("BREVO_BASE_URL", raising=False)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A started ``LoopbackServer``; stopped (all threads joined) after the test."""
    loopback = LoopbackServer()
    loopback.start()
    try:
        yield loopback
    finally:
        loopback.stop()


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """Every thread a test starts (server loop, request handlers, executors) is gone after it."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    # A generous wait (paid only by a thread still running): a loaded CI machine may take a while
    # to schedule a handler that is already on its way out.
    for thread in leaked:
        thread.join(timeout=10)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"threads left running: {still}"
