"""Voucher expiry: ``expirationValue`` units after attribution, optionally snapped to a period."""

from __future__ import annotations

from datetime import datetime, timedelta

from brevo_loyalty_api.models.expiration_modifier import ExpirationModifier
from dateutil.relativedelta import MO, relativedelta

UNITS = ("day", "week", "month", "year")
MODIFIERS = tuple(modifier.value for modifier in ExpirationModifier)  # the spec's enum


def _units(unit: str, count: int) -> relativedelta:
    if unit == "day":
        return relativedelta(days=count)
    if unit == "week":
        return relativedelta(weeks=count)
    if unit == "month":
        return relativedelta(months=count)
    if unit == "year":
        return relativedelta(years=count)
    raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")


def start_of_period(moment: datetime, unit: str) -> datetime:
    """Return the first instant of the day/week (Monday)/month/year holding ``moment``."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        return day
    if unit == "week":
        return day + relativedelta(weekday=MO(-1))
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")


def end_of_period(moment: datetime, unit: str) -> datetime:
    """Return the last instant (to the microsecond) of the period holding ``moment``."""
    following = start_of_period(moment, unit) + _units(unit, 1)
    return following - timedelta(microseconds=1)


def expiration(
    start: datetime, value: int, unit: str, modifier: str = "noModification"
) -> datetime:
    """Return when a voucher attributed at ``start`` expires.

    ``value`` units are added with calendar arithmetic (one month after Jan 31 is Feb 28/29), then
    the result snaps to the start or end of its own ``unit`` period when ``modifier`` says so.
    """
    if modifier not in MODIFIERS:
        raise ValueError(f"modifier must be one of {', '.join(MODIFIERS)}, not {modifier!r}")
    moment = start + _units(unit, value)
    if modifier == "startOfPeriod":
        return start_of_period(moment, unit)
    if modifier == "endOfPeriod":
        return end_of_period(moment, unit)
    return moment
