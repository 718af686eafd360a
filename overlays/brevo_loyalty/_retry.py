"""When to retry a failed attempt, and how long to wait first.

Which operations are idempotent is the spec's to say (by method: GET, HEAD, PUT and DELETE are;
``x-idempotent`` overrides, e.g. the read-only POST validateReward); the generated operation
table carries it (``Operation.idempotent``), and the README's table is checked against it.

- **Idempotent** operations are retried on connection errors, timeouts and the statuses 429,
  500, 502, 503 and 504.
- **Non-idempotent** operations (the creates, and completing a redeem request) are retried
  **only** when the connection could not be opened (the request cannot have reached the
  server). Once a byte may have been sent, a failure is raised, never retried: a duplicate
  voucher or a double redemption is worse than an error.

The delay honours ``Retry-After`` (seconds or an HTTP-date; a negative, NaN or infinite value is
ignored as malformed) and otherwise grows exponentially, with
jitter, capped; retries stop at ``max_retries`` or when the next wait would overrun the
policy's total time budget.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

__all__ = ["RETRYABLE_STATUSES", "RetryPolicy"]


def _seconds(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
    return float(value)


RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

# Exceptions raised before the request could leave the machine: safe to retry for any operation.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RetryPolicy:
    """Backoff settings. The defaults suit the public API; tests shrink them or inject ``random``.

    Args:
        initial_delay: the first backoff, in seconds, before jitter.
        max_delay: the cap on one backoff.
        max_retry_after: the longest ``Retry-After`` honoured; a longer one ends the retries.
        total_budget: the longest time, in seconds, one call may spend waiting between attempts.
        random: source of jitter in [0, 1).
        clock: wall clock used to read an HTTP-date ``Retry-After``.
    """

    # A plain class rather than a dataclass: dataclasses pulls in `inspect` at import time.
    __slots__ = ("clock", "initial_delay", "max_delay", "max_retry_after", "random", "total_budget")

    def __init__(
        self,
        *,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_retry_after: float = 60.0,
        total_budget: float = 60.0,
        random: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.initial_delay = _seconds("initial_delay", initial_delay)
        self.max_delay = _seconds("max_delay", max_delay)
        self.max_retry_after = _seconds("max_retry_after", max_retry_after)
        self.total_budget = _seconds("total_budget", total_budget)
        self.random = random
        self.clock = clock

    def __repr__(self) -> str:
        return (
            f"RetryPolicy(initial_delay={self.initial_delay}, max_delay={self.max_delay}, "
            f"max_retry_after={self.max_retry_after}, total_budget={self.total_budget})"
        )

    def may_retry_error(self, error: httpx.HTTPError, *, idempotent: bool) -> bool:
        """Whether a transport error leaves the operation safe to retry."""
        if isinstance(error, _NOT_SENT):
            return True
        return idempotent and isinstance(error, httpx.TransportError)

    def may_retry_status(self, status_code: int, *, idempotent: bool) -> bool:
        """Whether an error status is worth another attempt of this operation."""
        return idempotent and status_code in RETRYABLE_STATUSES

    def delay(self, attempt: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before retry number ``attempt`` (1-based), or None to stop retrying."""
        if response is not None:
            retry_after = self._retry_after(response.headers.get("retry-after"))
            if retry_after is not None:
                return retry_after if retry_after <= self.max_retry_after else None
        backoff = min(self.max_delay, self.initial_delay * 2.0 ** (attempt - 1))
        # Jitter (half to full backoff) spreads the retries of many clients hit by one outage.
        jitter: float = self.random()
        return backoff * (0.5 + jitter / 2)

    def _retry_after(self, value: str | None) -> float | None:
        if not value:
            return None
        value = value.strip()
        try:
            seconds = float(value)
        except ValueError:
            pass
        else:
            # RFC 9110 allows only a non-negative integer. A negative, NaN or infinite value is
            # treated as absent (normal backoff), never as "retry at once".
            return seconds if math.isfinite(seconds) and seconds >= 0 else None
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        now = datetime.fromtimestamp(self.clock(), tz=UTC)
        return max(0.0, (when - now).total_seconds())
