"""Recorded scenarios through the overlay client (``brevo_loyalty.Rewards``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from brevo_loyalty import (
    AuthenticationError,
    ExpectationFailedError,
    FailedDependencyError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RedeemAborted,
    Rewards,
)
from brevo_loyalty_api.models import RedeemTransaction, Rule, RuleCondition

from .conftest import Target

pytestmark = pytest.mark.vcr

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def _text(value: object) -> str:
    """A string field of a parsed model (its type admits Unset; here it must be set)."""
    assert isinstance(value, str)
    return value


@pytest.fixture
def client(target: Target) -> Iterator[Rewards]:
    with Rewards(api_key=target.api_key, base_url=target.base_url, max_retries=0) as rewards:
        yield rewards


def test_overlay_every_operation(client: Rewards, target: Target) -> None:
    pid, coffee, pool = (
        target.program_id,
        target.need("coffee_reward_id"),
        target.need("code_pool_id"),
    )
    codes_before = client.get_code_count(program_id=pid, code_pool_id=pool).count
    created = client.create_reward(
        program_id=pid,
        name="Replay reward",
        public_name="Replay",
        public_image="https://images.sandbox.invalid/replay.png",
    )
    assert created.name == "Replay reward"
    assert created.public_name == "Replay"
    assert created.public_image == "https://images.sandbox.invalid/replay.png"
    reward = client.get_reward(program_id=pid, reward_id=coffee, version="active")
    assert reward.name == "Free coffee"
    assert reward.expiration_unit == "month"
    assert reward.products is not None
    assert [p.product_id for p in reward.products] == ["espresso", "latte"]
    retired = client.get_reward(program_id=pid, reward_id=target.need("retired_reward_id"))
    assert retired.disabled_at is not None
    assert isinstance(reward.rule, Rule)
    assert isinstance(reward.rule.condition, RuleCondition)
    voucher = client.create_voucher(
        program_id=pid, reward_id=coffee, contact_id=101, meta={"channel": "replay"}
    )
    assert voucher.contact_id == 101
    assert voucher.value == 1.0
    spare = client.create_voucher(program_id=pid, reward_id=coffee, contact_id=101)
    listed = client.list_contact_vouchers(program_id=pid, contact_id=101, sort="asc")
    assert [v.id for v in listed.contact_rewards or []] == [voucher.id, spare.id]
    assert listed.count == 2
    valid = client.validate_reward(program_id=pid, contact_id=101, code=_text(voucher.code))
    assert valid.authorize is True
    pending = client.create_redeem_request(
        program_id=pid, contact_id=101, attributed_reward_id=_text(voucher.id), ttl=60
    )
    assert pending.status == "pending"
    assert pending.reward_attribution_id == voucher.id
    done = client.complete_redeem_request(program_id=pid, transaction_id=str(pending.id))
    assert done.status == "completed"
    client.revoke_vouchers(program_id=pid, attributed_reward_ids=[_text(spare.id)])
    remaining = client.list_contact_vouchers(program_id=pid, contact_id=101)
    assert [v.id for v in remaining.contact_rewards or []] == [voucher.id]
    codes_after = client.get_code_count(program_id=pid, code_pool_id=pool).count
    assert isinstance(codes_before, int)
    assert codes_after == codes_before - 2
    page = client.list_rewards(program_id=pid, limit=3, state="active", version="active")
    assert len(page.items or []) == 3
    raw = client.with_raw_response.get_reward(program_id=pid, reward_id=coffee)
    assert raw.status_code == 200
    assert raw.parse().id == coffee


def test_overlay_redeem_flow(client: Rewards, target: Target) -> None:
    pid, coffee = target.program_id, target.need("coffee_reward_id")
    voucher = client.create_voucher(program_id=pid, reward_id=coffee, contact_id=102)
    seen: list[RedeemTransaction] = []
    done = client.redeem(
        program_id=pid,
        contact_id=102,
        code=_text(voucher.code),
        ttl=30,
        order={"id": "order-1", "amount": 12.5, "contact_id": 102},
        before_complete=seen.append,
    )
    assert seen[0].status == "pending"
    assert done.id == seen[0].id
    assert done.status == "completed"
    other = client.create_voucher(program_id=pid, reward_id=coffee, contact_id=102)
    with pytest.raises(RedeemAborted):
        client.redeem(
            program_id=pid,
            contact_id=102,
            attributed_reward_id=_text(other.id),
            before_complete=lambda pending: False,
        )
    # The aborted request was never completed, so the voucher is still usable.
    again = client.validate_reward(
        program_id=pid, contact_id=102, attributed_reward_id=_text(other.id)
    )
    assert again.authorize is True


def test_overlay_iter_rewards_pages(client: Rewards, target: Target) -> None:
    pid = target.program_id
    everything = client.list_rewards(program_id=pid, limit=100)
    ids = [item.id for item in client.iter_rewards(program_id=pid, page_size=2)]
    assert len(ids) >= 5  # three pages or more
    assert ids == [item.id for item in everything.items or []]
    assert len(ids) == everything.total_count


def test_overlay_iter_contact_vouchers_pages(client: Rewards, target: Target) -> None:
    pid, contact = target.program_id, target.need("paging_contact_id")
    vouchers = list(
        client.iter_contact_vouchers(
            program_id=pid, contact_id=contact, page_size=2, sort="asc", sort_field="createdAt"
        )
    )
    assert len(vouchers) == 5
    assert len({v.id for v in vouchers}) == 5
    created = [_text(v.created_at) for v in vouchers]
    assert created == sorted(created)


def test_overlay_error_statuses(client: Rewards, target: Target) -> None:
    pid = target.program_id
    limited = target.need("limited_reward_id")
    intruder = Rewards(api_key="not-a-key", base_url=target.base_url, max_retries=0)
    with intruder, pytest.raises(AuthenticationError) as unauthorized:
        intruder.list_rewards(program_id=pid)
    assert unauthorized.value.status_code == 401
    with pytest.raises(PermissionDeniedError):
        client.list_rewards(program_id=target.need("locked_program_id"))
    with pytest.raises(NotFoundError) as missing:
        client.get_reward(program_id=pid, reward_id=UNKNOWN)
    assert missing.value.message == "reward not found"
    client.create_voucher(program_id=pid, reward_id=limited, contact_id=103)
    with pytest.raises(PreconditionFailedError) as limit:
        client.create_voucher(program_id=pid, reward_id=limited, contact_id=103)
    assert limit.value.message == "attribute limit per customer exceeded"
    with pytest.raises(PreconditionFailedError, match="reward attribution not valid"):
        client.create_voucher(
            program_id=pid, reward_id=target.need("draft_reward_id"), contact_id=103
        )
    with pytest.raises(ValueError, match="attributed_reward_id, code, reward_id"):
        client.create_redeem_request(program_id=pid, contact_id=103)  # refused before sending
    with pytest.raises(FailedDependencyError):
        client.create_voucher(
            program_id=pid, reward_id=target.need("empty_pool_reward_id"), contact_id=103
        )
    voucher = client.create_voucher(
        program_id=pid, reward_id=target.need("coffee_reward_id"), contact_id=103
    )
    # ttl=0: the recording clock moves one second per operation, so it has expired on completion.
    stale = client.create_redeem_request(
        program_id=pid, contact_id=103, attributed_reward_id=_text(voucher.id), ttl=0
    )
    with pytest.raises(ExpectationFailedError, match="expired"):
        client.complete_redeem_request(program_id=pid, transaction_id=str(stale.id))
    with pytest.raises(InternalServerError) as broken:
        client.get_code_count(program_id=target.need("broken_program_id"), code_pool_id="any")
    assert broken.value.status_code == 500
