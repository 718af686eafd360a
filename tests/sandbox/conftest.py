from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from brevo_loyalty.sandbox import DEFAULT_API_KEY, ManualClock, Sandbox

START = datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def sandbox(clock: ManualClock) -> Sandbox:
    return Sandbox(seed=7, clock=clock)


@pytest.fixture
def program_id(sandbox: Sandbox) -> str:
    return sandbox.create_program()


@pytest.fixture
def http(sandbox: Sandbox, program_id: str) -> Iterator[httpx.Client]:
    """A raw httpx client on the in-memory transport, rooted at the program's URL."""
    with httpx.Client(
        transport=sandbox.transport(),
        base_url=f"http://sandbox.test/v3/loyalty/offer/programs/{program_id}",
        headers={"api-key": DEFAULT_API_KEY},
    ) as client:
        yield client
