"""Domain objects to JSON bodies shaped like ``spec/reward-api.yaml``'s response schemas.

Unset values are left out rather than sent as ``null``: every response property is optional in
the spec, and most of them are not nullable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ._rule import default_rule
from ._state import ApiProblem, Definition, Program, Reward, Transaction, Voucher

Json = dict[str, Any]


def timestamp(moment: datetime | None) -> str | None:
    """Format ``moment`` as RFC 3339 UTC to the second (``2025-01-01T09:30:00Z``)."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _present(**fields: Any) -> Json:
    return {name: value for name, value in fields.items() if value is not None}


def error(problem: ApiProblem) -> Json:
    """Build the ``Error`` body of a refused request."""
    return {"code": problem.code, "message": problem.message}


def reward_page_item(reward: Reward, shown: Definition, state: str) -> Json:
    """Build a ``RewardPageItem``."""
    return _present(
        id=reward.id,
        loyaltyProgramId=reward.program_id,
        name=shown.name,
        publicImage=shown.public_image,
        state=state,
        startDate=timestamp(shown.start_date),
        endDate=timestamp(shown.end_date),
        createdAt=timestamp(reward.created_at),
        updatedAt=timestamp(shown.updated_at),
    )


def created_reward(reward: Reward) -> Json:
    """Build the ``CreatedReward`` answer of createReward."""
    draft = reward.draft
    return _present(
        id=reward.id,
        loyaltyProgramId=reward.program_id,
        name=draft.name,
        publicDescription=draft.public_description,
        publicImage=draft.public_image,
        publicName=draft.public_name,
        createdAt=timestamp(reward.created_at),
        updatedAt=timestamp(draft.updated_at),
    )


def _limits(reward: Reward, shown: Definition) -> list[Json]:
    configured = {
        "attributionPerConsumer": shown.attribution_per_consumer,
        "redeemPerConsumer": shown.redeem_per_consumer,
        "totalAttribution": shown.total_attribution,
        "totalRedeem": shown.total_redeem,
    }
    return [
        _present(
            rewardLimitId=f"{reward.id}:{kind}",
            type=kind,
            limitValue=value,
            slidingSchedule=False,
            createdAt=timestamp(reward.created_at),
            updatedAt=timestamp(shown.updated_at),
        )
        for kind, value in configured.items()
        if value is not None
    ]


def full_reward(program: Program, reward: Reward, shown: Definition) -> Json:
    """Build the full ``Reward`` of getReward, rule included."""
    created = timestamp(reward.created_at)
    rule = shown.rule or default_rule(
        rule_id=reward.rule_id,
        program_id=program.id,
        reward_id=reward.id,
        timestamp=created or "",
    )
    codes = "pool" if shown.code_pool_id else "generator"
    return _present(
        id=reward.id,
        loyaltyProgramId=program.id,
        name=shown.name,
        publicDescription=shown.public_description,
        publicImage=shown.public_image,
        publicName=shown.public_name,
        attributionPerConsumer=shown.attribution_per_consumer,
        redeemPerConsumer=shown.redeem_per_consumer,
        totalAttribution=shown.total_attribution,
        totalRedeem=shown.total_redeem,
        limits=_limits(reward, shown),
        codeCount=sum(v.reward_id == reward.id for v in program.vouchers.values()),
        codePoolId=shown.code_pool_id,
        codeGeneratorId=program.generator_id,
        generator=_present(
            id=program.generator_id,
            name="sandbox",
            description="Ten characters, no look-alike letters or digits.",
            pattern="XXXXXXXXXX",
            createdAt=timestamp(program.created_at),
            updatedAt=timestamp(program.created_at),
        ),
        config="voucher",
        rewardConfigs={"attribution": "api", "code": codes, "value": "fixed"},
        expirationValue=shown.expiration_value,
        expirationUnit=shown.expiration_unit,
        expirationModifier=shown.expiration_modifier,
        startDate=timestamp(shown.start_date),
        endDate=timestamp(shown.end_date),
        disabledAt=timestamp(reward.disabled_at),
        value=shown.value,
        valueType="fixed" if shown.value is not None else None,
        unit=shown.unit,
        meta={},
        products=[],
        redeemRules=[],
        subtractTotalBalance=False,
        rule=rule,
        triggerId=rule.get("ruleId"),
        createdAt=created,
        updatedAt=timestamp(shown.updated_at),
    )


def attributed_voucher(program: Program, voucher: Voucher) -> Json:
    """Build the ``Voucher`` answer of createVoucher."""
    return _present(
        id=voucher.id,
        loyaltyProgramId=program.id,
        rewardId=voucher.reward_id,
        contactId=voucher.contact_id,
        code=voucher.code,
        value=voucher.value,
        meta=voucher.meta,
        expirationDate=timestamp(voucher.expiration_date),
        consumedAt=timestamp(voucher.consumed_at),
        createdAt=timestamp(voucher.created_at),
        updatedAt=timestamp(voucher.updated_at),
    )


def contact_voucher(voucher: Voucher) -> Json:
    """Build one ``ContactVoucher`` of listContactVouchers."""
    return _present(
        id=voucher.id,
        rewardId=voucher.reward_id,
        code=voucher.code,
        value=voucher.value,
        unit=voucher.unit,
        meta=voucher.meta,
        expirationDate=timestamp(voucher.expiration_date),
        consumedAt=timestamp(voucher.consumed_at),
        createdAt=timestamp(voucher.created_at),
        updatedAt=timestamp(voucher.updated_at),
    )


def redeem_transaction(program: Program, transaction: Transaction) -> Json:
    """Build a ``RedeemTransaction``."""
    return _present(
        id=transaction.id,
        loyaltyProgramId=program.id,
        rewardAttributionId=transaction.voucher_id,
        contactId=transaction.contact_id,
        status=transaction.status,
        meta=transaction.meta,
        expiresAt=timestamp(transaction.expires_at),
        completedAt=timestamp(transaction.completed_at),
        cancelledAt=timestamp(transaction.cancelled_at),
        rejectedAt=timestamp(transaction.rejected_at),
        rejectReason=transaction.reject_reason,
        createdAt=timestamp(transaction.created_at),
        updatedAt=timestamp(transaction.updated_at),
    )
