"""Clocks for the sandbox: the system clock, and a manual one that tests move by hand."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the sandbox the current time (an aware UTC datetime)."""

    def now(self) -> datetime:
        """Return the current time."""
        ...


class SystemClock:
    """The real wall clock, in UTC."""

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to, so time-dependent rules are testable without sleeping.

    ``step`` optionally advances the clock after every reading. The sandbox reads the clock once
    per operation, so a non-zero step gives each request its own, still deterministic, timestamp,
    which lets a scenario driven only over HTTP see redeem requests expire.
    """

    def __init__(
        self,
        start: datetime | None = None,
        *,
        step: timedelta = timedelta(0),
    ) -> None:
        start = start or datetime(2025, 1, 1, tzinfo=UTC)
        # A naive start is taken as UTC: the sandbox only ever deals in UTC.
        self._now = start if start.tzinfo else start.replace(tzinfo=UTC)
        self._step = step
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Return the current manual time, then advance it by ``step``."""
        with self._lock:
            current = self._now
            self._now = current + self._step
            return current

    def advance(self, delta: timedelta | None = None, /, **units: float) -> datetime:
        """Move the clock forward by ``delta`` or by ``timedelta(**units)``; return the new time."""
        amount = delta if delta is not None else timedelta(**units)
        if amount < timedelta(0):
            raise ValueError("advance: a clock cannot go backwards")
        with self._lock:
            self._now += amount
            return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (aware, or naive meaning UTC); it must not be in the past."""
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        with self._lock:
            if when < self._now:
                raise ValueError("set: a clock cannot go backwards")
            self._now = when
