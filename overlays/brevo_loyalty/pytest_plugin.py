"""pytest fixtures for testing your own code against the brevo-loyalty sandbox.

pytest loads this plugin by itself wherever ``brevo-loyalty`` is installed (entry point
``pytest11``); nothing to configure. Every fixture is function-scoped: each test gets a fresh,
seeded sandbox, so tests never see each other's data.

``brevo_sandbox``
    a fresh :class:`~brevo_loyalty.sandbox.Sandbox` (seed from ``brevo_sandbox_seed``, 0 unless
    you override that fixture), with ids and codes the same on every run.
``brevo_program_id``
    the id of a loyalty program created in ``brevo_sandbox``.
``brevo_client``
    a :class:`~brevo_loyalty.Rewards` answered by ``brevo_sandbox`` in memory (no sockets);
    closed after the test.
``brevo_async_client``
    an :class:`~brevo_loyalty.AsyncRewards` answered by ``brevo_sandbox`` in memory. A plain
    (not async) fixture: use it from any async test runner, or from ``asyncio.run(...)``;
    pytest-asyncio is not needed.
``brevo_server``
    ``brevo_sandbox`` served over real HTTP on 127.0.0.1 (a
    :class:`~brevo_loyalty.sandbox.RunningServer`: ``.base_url``), for code that builds its own
    client or runs in another process; stopped after the test.
``brevo_fail_next``
    :meth:`Sandbox.fail_next <brevo_loyalty.sandbox.Sandbox.fail_next>` of ``brevo_sandbox``:
    ``brevo_fail_next(2, status=503)`` fails the next two requests, to test your retries and
    error handling.

Every client uses :data:`~brevo_loyalty.sandbox.DEFAULT_API_KEY`, which the sandbox accepts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ._client import AsyncRewards, Rewards
    from .sandbox import RunningServer, Sandbox

__all__ = [
    "SANDBOX_BASE_URL",
    "brevo_async_client",
    "brevo_client",
    "brevo_fail_next",
    "brevo_program_id",
    "brevo_sandbox",
    "brevo_sandbox_seed",
    "brevo_server",
]

SANDBOX_BASE_URL = "http://sandbox/v3"
"""The base URL of the in-memory clients (any host works; the path must be ``/v3``)."""

# pytest loads this module in every test run of an environment where brevo-loyalty is installed:
# the clients and the sandbox are imported inside the fixtures, when a test first uses one.


@pytest.fixture
def brevo_sandbox_seed() -> int | str | None:
    """The seed of ``brevo_sandbox``; override this fixture to change it (``None``: random)."""
    return 0


@pytest.fixture
def brevo_sandbox(brevo_sandbox_seed: int | str | None) -> Sandbox:
    """A fresh sandbox, seeded with ``brevo_sandbox_seed``, for this test alone."""
    from .sandbox import Sandbox

    return Sandbox(seed=brevo_sandbox_seed)


@pytest.fixture
def brevo_program_id(brevo_sandbox: Sandbox) -> str:
    """A loyalty program created in ``brevo_sandbox``."""
    return brevo_sandbox.create_program()


@pytest.fixture
def brevo_client(brevo_sandbox: Sandbox) -> Iterator[Rewards]:
    """A ``Rewards`` client answered by ``brevo_sandbox`` in memory; closed after the test."""
    from ._client import Rewards
    from .sandbox import DEFAULT_API_KEY

    client = Rewards(
        api_key=DEFAULT_API_KEY, base_url=SANDBOX_BASE_URL, transport=brevo_sandbox.transport()
    )
    with client:
        yield client


@pytest.fixture
def brevo_async_client(brevo_sandbox: Sandbox) -> Iterator[AsyncRewards]:
    """An ``AsyncRewards`` client answered by ``brevo_sandbox`` in memory.

    Building it needs no event loop, so this is a plain fixture that works with any async test
    runner, or with ``asyncio.run`` in a sync test. Its in-memory transport holds no sockets.
    """
    from ._client import AsyncRewards
    from .sandbox import DEFAULT_API_KEY

    client = AsyncRewards(
        api_key=DEFAULT_API_KEY,
        base_url=SANDBOX_BASE_URL,
        transport=brevo_sandbox.async_transport(),
    )
    yield client
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        # No loop is running here (the usual case): close it properly in a loop of its own.
        asyncio.run(client.aclose())
    # Inside a running loop (an async runner tearing down) nothing can be awaited here; the
    # in-memory transport holds nothing that needs closing.


@pytest.fixture
def brevo_server(brevo_sandbox: Sandbox) -> Iterator[RunningServer]:
    """``brevo_sandbox`` served over HTTP on 127.0.0.1 (a free port) for the test's duration."""
    from .sandbox import serve

    with serve(brevo_sandbox) as server:
        yield server


@pytest.fixture
def brevo_fail_next(brevo_sandbox: Sandbox) -> Callable[..., None]:
    """``brevo_sandbox.fail_next``: fail the next requests (``count``, ``status``, ``headers``)."""
    fail_next: Callable[..., None] = brevo_sandbox.fail_next
    return fail_next
