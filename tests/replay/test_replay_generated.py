"""Recorded scenarios through the plain generated functions (``<operation>.sync_detailed``).

These are the cassettes the regeneration guard (test_replay_guard.py) replays against a package
regenerated from a changed spec: they must break when the wire contract breaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from http import HTTPStatus
from uuid import UUID

import pytest
from brevo_loyalty_api.api.rewards import (
    complete_redeem_request,
    create_redeem_request,
    create_reward,
    create_voucher,
    get_code_count,
    get_reward,
    list_contact_vouchers,
    list_rewards,
    revoke_vouchers,
    validate_reward,
)
from brevo_loyalty_api.client import AuthenticatedClient
from brevo_loyalty_api.models import (
    CodeCount,
    ContactVouchers,
    CreatedReward,
    CreateRedeemRequest,
    CreateRewardRequest,
    CreateVoucherRequest,
    Error,
    RedeemTransaction,
    Reward,
    RewardPage,
    RewardValidation,
    ValidateRewardRequest,
    Voucher,
)

from .conftest import Target

pytestmark = pytest.mark.vcr

UNKNOWN = UUID("00000000-0000-4000-8000-000000000000")


def _client(target: Target, key: str | None = None) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=target.base_url,
        token=key or target.api_key,
        prefix="",
        auth_header_name="api-key",
    )


@pytest.fixture
def api(target: Target) -> Iterator[AuthenticatedClient]:
    with _client(target) as client:
        yield client


def test_generated_every_operation(api: AuthenticatedClient, target: Target) -> None:
    pid = UUID(target.program_id)
    coffee = UUID(target.need("coffee_reward_id"))
    pool = target.need("code_pool_id")

    count = get_code_count.sync_detailed(pid, pool, client=api).parsed
    assert isinstance(count, CodeCount)
    assert isinstance(count.count, int)
    body = CreateRewardRequest(name="Generated reward", public_description="From the generator")
    created = create_reward.sync_detailed(pid, client=api, body=body)
    assert created.status_code == HTTPStatus.OK
    assert isinstance(created.parsed, CreatedReward)
    assert created.parsed.public_description == "From the generator"
    page = list_rewards.sync_detailed(pid, client=api, limit=3, offset=0).parsed
    assert isinstance(page, RewardPage)
    assert len(page.items or []) == 3
    assert isinstance(page.total_count, int)
    assert page.total_count >= 8
    reward = get_reward.sync_detailed(pid, coffee, client=api).parsed
    assert isinstance(reward, Reward)
    assert reward.code_pool_id == pool
    voucher = create_voucher.sync_detailed(
        pid, client=api, body=CreateVoucherRequest(reward_id=coffee, contact_id=201)
    ).parsed
    assert isinstance(voucher, Voucher)
    assert voucher.reward_id == str(coffee)
    assert isinstance(voucher.id, str)
    vouchers = list_contact_vouchers.sync_detailed(pid, client=api, contact_id=201).parsed
    assert isinstance(vouchers, ContactVouchers)
    assert vouchers.count == 1
    check = ValidateRewardRequest(contact_id=201, attributed_reward_id=UUID(voucher.id))
    validation = validate_reward.sync_detailed(pid, client=api, body=check).parsed
    assert isinstance(validation, RewardValidation)
    assert validation.authorize is True
    request = CreateRedeemRequest(contact_id=201, attributed_reward_id=UUID(voucher.id), ttl=120)
    pending = create_redeem_request.sync_detailed(pid, client=api, body=request).parsed
    assert isinstance(pending, RedeemTransaction)
    assert isinstance(pending.id, str)
    done = complete_redeem_request.sync_detailed(pid, pending.id, client=api).parsed
    assert isinstance(done, RedeemTransaction)
    assert done.status == "completed"
    spare = create_voucher.sync_detailed(
        pid, client=api, body=CreateVoucherRequest(reward_id=coffee, contact_id=201)
    ).parsed
    assert isinstance(spare, Voucher)
    assert isinstance(spare.id, str)
    revoked = revoke_vouchers.sync_detailed(pid, client=api, attributed_reward_ids=spare.id)
    assert revoked.status_code == HTTPStatus.NO_CONTENT
    after = get_code_count.sync_detailed(pid, pool, client=api).parsed
    assert isinstance(after, CodeCount)
    assert after.count == count.count - 2


def test_generated_pagination(api: AuthenticatedClient, target: Target) -> None:
    pid = UUID(target.program_id)
    seen: list[str] = []
    pages = 0
    while True:
        page = list_rewards.sync_detailed(pid, client=api, limit=2, offset=len(seen)).parsed
        assert isinstance(page, RewardPage)
        pages += 1
        seen += [str(item.id) for item in page.items or []]
        assert isinstance(page.total_count, int)
        if len(seen) >= page.total_count:
            break
    assert pages >= 3
    assert len(set(seen)) == len(seen) == page.total_count
    contact = target.need("paging_contact_id")
    voucher_ids: list[str] = []
    for offset in (0, 2, 4):
        vouchers = list_contact_vouchers.sync_detailed(
            pid, client=api, contact_id=contact, limit=2, offset=offset
        ).parsed
        assert isinstance(vouchers, ContactVouchers)
        assert vouchers.count == 5
        voucher_ids += [str(v.id) for v in vouchers.contact_rewards or []]
    assert len(set(voucher_ids)) == 5


def test_generated_error_statuses(api: AuthenticatedClient, target: Target) -> None:
    pid = UUID(target.program_id)
    limited = UUID(target.need("limited_reward_id"))

    def error(response_parsed: object, message: str) -> None:
        assert isinstance(response_parsed, Error)
        assert response_parsed.message == message

    bad_json = api.get_httpx_client().post(f"/loyalty/offer/programs/{pid}/offers", content=b"{")
    assert bad_json.status_code == 400
    with _client(target, key="not-a-key") as intruder:
        denied = list_rewards.sync_detailed(pid, client=intruder)
    assert denied.status_code == 401
    error(denied.parsed, "Request authentication failed")
    locked = list_rewards.sync_detailed(UUID(target.need("locked_program_id")), client=api)
    assert locked.status_code == 403
    missing = get_reward.sync_detailed(pid, UNKNOWN, client=api)
    assert missing.status_code == 404
    error(missing.parsed, "reward not found")
    for expected in (200, 412):
        attempt = create_voucher.sync_detailed(
            pid, client=api, body=CreateVoucherRequest(reward_id=limited, contact_id=202)
        )
        assert attempt.status_code == expected
    error(attempt.parsed, "attribute limit per customer exceeded")
    out_of_range = list_rewards.sync_detailed(pid, client=api, limit=0)
    assert out_of_range.status_code == 422
    error(out_of_range.parsed, "limit must be >= 1, got 0")
    anonymous = create_voucher.sync_detailed(
        pid, client=api, body=CreateVoucherRequest(reward_id=limited)
    )
    assert anonymous.status_code == 422
    sold_out = UUID(target.need("empty_pool_reward_id"))
    empty = create_voucher.sync_detailed(
        pid, client=api, body=CreateVoucherRequest(reward_id=sold_out, contact_id=202)
    )
    assert empty.status_code == 424
    voucher = create_voucher.sync_detailed(
        pid,
        client=api,
        body=CreateVoucherRequest(reward_id=UUID(target.need("coffee_reward_id")), contact_id=202),
    ).parsed
    assert isinstance(voucher, Voucher)
    request = CreateRedeemRequest(contact_id=202, attributed_reward_id=UUID(str(voucher.id)))
    pending = create_redeem_request.sync_detailed(pid, client=api, body=request).parsed
    assert isinstance(pending, RedeemTransaction)
    tid = str(pending.id)
    assert complete_redeem_request.sync_detailed(pid, tid, client=api).status_code == 200
    twice = complete_redeem_request.sync_detailed(pid, tid, client=api)
    assert twice.status_code == 417
    error(twice.parsed, "redeem request is completed")
    broken = get_code_count.sync_detailed(UUID(target.need("broken_program_id")), "x", client=api)
    assert broken.status_code == 500
