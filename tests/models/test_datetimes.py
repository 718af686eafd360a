"""Date-times: parsed fast and leniently, and never sent without a timezone.

Decision (templates/README.md, spec/DECISIONS.md): ``to_dict()`` refuses a naive datetime with a
ValueError naming ``Model.field``. RFC 3339 requires an offset, and assuming one (UTC? the local
zone?) could move a time by hours. A response timestamp without an offset is not RFC 3339 either:
it is kept as the string that arrived, so a parsed model never holds a naive datetime.
"""

from __future__ import annotations

import datetime

import pytest
from brevo_loyalty_api.models import Order, Reward, Voucher

UTC = datetime.UTC
PARIS_SUMMER = datetime.timezone(datetime.timedelta(hours=2))


def test_a_naive_datetime_is_refused_by_name() -> None:
    order = Order(created_at=datetime.datetime(2030, 1, 1, 12, 0))
    with pytest.raises(
        ValueError, match=r"^Order\.createdAt: the datetime 2030-01-01T12:00:00 has no"
    ):
        order.to_dict()


def test_a_naive_datetime_in_a_nested_model_is_refused_by_name() -> None:
    from brevo_loyalty_api.models import CreateRedeemRequest

    request = CreateRedeemRequest(
        contact_id=7, order=Order(updated_at=datetime.datetime(2030, 1, 1))
    )
    with pytest.raises(ValueError, match=r"^Order\.updatedAt"):
        request.to_dict()


def test_an_aware_datetime_is_sent_with_its_offset() -> None:
    order = Order(
        created_at=datetime.datetime(2030, 1, 1, 12, 0, tzinfo=UTC),
        updated_at=datetime.datetime(2030, 6, 1, 9, 30, tzinfo=PARIS_SUMMER),
    )
    assert order.to_dict() == {
        "createdAt": "2030-01-01T12:00:00+00:00",
        "updatedAt": "2030-06-01T09:30:00+02:00",
    }


def test_a_naive_datetime_set_on_a_timestamp_field_is_refused_too() -> None:
    reward = Reward(id="r", name="n", end_date=datetime.datetime(2030, 1, 1))
    with pytest.raises(ValueError, match=r"^Reward\.endDate"):
        reward.to_dict()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-15T09:30:00Z", datetime.datetime(2024, 1, 15, 9, 30, tzinfo=UTC)),
        ("2024-01-15T11:30:00+02:00", datetime.datetime(2024, 1, 15, 11, 30, tzinfo=PARIS_SUMMER)),
        ("2024-01-15T09:30:00.1234567Z", datetime.datetime(2024, 1, 15, 9, 30, 0, 123456, UTC)),
        # fromisoformat refuses this one (hour 24); the dateutil fallback reads it.
        ("2024-01-15T24:00:00Z", datetime.datetime(2024, 1, 16, 0, 0, tzinfo=UTC)),
    ],
)
def test_timestamps_with_an_offset_become_aware_datetimes(
    text: str, expected: datetime.datetime
) -> None:
    voucher = Voucher.from_dict({"id": "v", "code": "C", "createdAt": text})
    assert voucher.created_at == expected
    assert isinstance(voucher.created_at, datetime.datetime)
    assert voucher.created_at.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", ["2024-01-15T09:30:00", "2024-01-15", "yesterday", ""])
def test_a_timestamp_without_offset_is_kept_as_its_string(text: str) -> None:
    voucher = Voucher.from_dict({"id": "v", "code": "C", "createdAt": text})
    assert voucher.created_at == text
    # ... and goes back unchanged: a parsed model never holds a naive datetime.
    assert voucher.to_dict()["createdAt"] == text


def test_a_strict_date_time_field_reads_with_the_fallback_and_refuses_garbage() -> None:
    # Order.createdAt is `format: date-time` (not the lenient Timestamp).
    parsed = Order.from_dict({"createdAt": "2024-01-15T24:00:00Z"})
    assert parsed.created_at == datetime.datetime(2024, 1, 16, tzinfo=UTC)
    with pytest.raises(ValueError, match=r"^Order\.createdAt: not a date-time: 'yesterday'"):
        Order.from_dict({"createdAt": "yesterday"})
