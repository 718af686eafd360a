"""Voucher expiry: value/unit arithmetic and the start/end-of-period modifiers."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from brevo_loyalty.sandbox import Sandbox, expiration

# A Friday, mid-month, with a time of day, so every snap moves the value.
START = datetime(2025, 1, 31, 15, 45, 10, tzinfo=UTC)


def _end(year: int, month: int, day: int) -> datetime:
    """The last microsecond of a day."""
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "unit", "modifier", "expected"),
    [
        (2, "day", "noModification", datetime(2025, 2, 2, 15, 45, 10, tzinfo=UTC)),
        (2, "day", "startOfPeriod", datetime(2025, 2, 2, tzinfo=UTC)),
        (2, "day", "endOfPeriod", _end(2025, 2, 2)),
        (1, "week", "noModification", datetime(2025, 2, 7, 15, 45, 10, tzinfo=UTC)),
        # 2025-02-07 is a Friday: its week runs Monday 3rd to Sunday 9th.
        (1, "week", "startOfPeriod", datetime(2025, 2, 3, tzinfo=UTC)),
        (1, "week", "endOfPeriod", _end(2025, 2, 9)),
        # Calendar months: Jan 31 + 1 month is Feb 28 (2025 is not a leap year).
        (1, "month", "noModification", datetime(2025, 2, 28, 15, 45, 10, tzinfo=UTC)),
        (1, "month", "startOfPeriod", datetime(2025, 2, 1, tzinfo=UTC)),
        (1, "month", "endOfPeriod", _end(2025, 2, 28)),
        (3, "month", "endOfPeriod", _end(2025, 4, 30)),
        (1, "year", "noModification", datetime(2026, 1, 31, 15, 45, 10, tzinfo=UTC)),
        (1, "year", "startOfPeriod", datetime(2026, 1, 1, tzinfo=UTC)),
        (1, "year", "endOfPeriod", _end(2026, 12, 31)),
    ],
)
def test_expiration(value: int, unit: str, modifier: str, expected: datetime) -> None:
    assert expiration(START, value, unit, modifier) == expected


def test_leap_year_month_end() -> None:
    start = datetime(2024, 1, 31, tzinfo=UTC)
    assert expiration(start, 1, "month") == datetime(2024, 2, 29, tzinfo=UTC)


@pytest.mark.parametrize(("unit", "modifier"), [("fortnight", "noModification"), ("day", "x")])
def test_unknown_unit_or_modifier_is_refused(unit: str, modifier: str) -> None:
    with pytest.raises(ValueError, match="must be one of"):
        expiration(START, 1, unit, modifier)


def test_attributed_voucher_carries_the_computed_expiry(
    sandbox: Sandbox, program_id: str, http: httpx.Client
) -> None:
    rid = http.post("offers", json={"name": "Weekly"}).json()["id"]
    sandbox.configure_reward(
        program_id,
        rid,
        expiration_value=1,
        expiration_unit="week",
        expiration_modifier="startOfPeriod",
    )
    voucher = http.post("rewards/attribute", json={"rewardId": rid, "contactId": 1}).json()
    # The clock fixture starts on Friday 2025-03-14: a week later is Friday 21st, whose week
    # starts on Monday 17th.
    assert voucher["expirationDate"] == "2025-03-17T00:00:00Z"
    explicit = {"rewardId": rid, "contactId": 2, "expirationDate": "2030-01-02T03:04:05+01:00"}
    assert http.post("rewards/attribute", json=explicit).json()["expirationDate"] == (
        "2030-01-02T02:04:05Z"
    )
