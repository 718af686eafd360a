"""Domain objects to the generated response models (the App sends their ``to_dict()``).

Building the generated models, rather than dicts of wire names, means the spec spells every field
once: a field renamed or removed in the spec fails here, under ``mypy`` and at run time, naming it.
A field left ``None`` is not sent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from brevo_loyalty_api import models

from ._rule import default_rule
from ._state import Definition, Program, Reward, Transaction, Voucher


def timestamp(moment: datetime | None) -> str | None:
    """Format ``moment`` as RFC 3339 UTC to the second (``2025-01-01T09:30:00Z``)."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _meta(model: Any, values: dict[str, Any] | None) -> Any:
    return model.from_dict(dict(values or {}))


def reward_page_item(reward: Reward, shown: Definition, state: str) -> models.RewardPageItem:
    """Build a ``RewardPageItem``."""
    return models.RewardPageItem(
        id=reward.id,
        loyalty_program_id=reward.program_id,
        name=shown.name,
        public_image=shown.public_image,
        state=state,
        start_date=timestamp(shown.start_date),
        end_date=timestamp(shown.end_date),
        created_at=timestamp(reward.created_at),
        updated_at=timestamp(shown.updated_at),
    )


def created_reward(reward: Reward) -> models.CreatedReward:
    """Build the ``CreatedReward`` answer of createReward."""
    draft = reward.draft
    return models.CreatedReward(
        id=reward.id,
        loyalty_program_id=reward.program_id,
        name=draft.name,
        public_description=draft.public_description,
        public_image=draft.public_image,
        public_name=draft.public_name,
        created_at=timestamp(reward.created_at),
        updated_at=timestamp(draft.updated_at),
    )


def _limits(reward: Reward, shown: Definition) -> list[models.RewardLimit]:
    configured = {
        "attributionPerConsumer": shown.attribution_per_consumer,
        "redeemPerConsumer": shown.redeem_per_consumer,
        "totalAttribution": shown.total_attribution,
        "totalRedeem": shown.total_redeem,
    }
    return [
        models.RewardLimit(
            reward_limit_id=f"{reward.id}:{kind}",
            type_=kind,
            limit_value=value,
            sliding_schedule=False,
            created_at=timestamp(reward.created_at),
            updated_at=timestamp(shown.updated_at),
        )
        for kind, value in configured.items()
        if value is not None
    ]


def full_reward(program: Program, reward: Reward, shown: Definition) -> models.Reward:
    """Build the full ``Reward`` of getReward, rule included."""
    created = timestamp(reward.created_at)
    rule = shown.rule or default_rule(
        rule_id=reward.rule_id,
        program_id=program.id,
        reward_id=reward.id,
        timestamp=created or "",
    )
    codes = "pool" if shown.code_pool_id else "generator"
    return models.Reward(
        id=reward.id,
        loyalty_program_id=program.id,
        name=shown.name,
        public_description=shown.public_description,
        public_image=shown.public_image,
        public_name=shown.public_name,
        attribution_per_consumer=shown.attribution_per_consumer,
        redeem_per_consumer=shown.redeem_per_consumer,
        total_attribution=shown.total_attribution,
        total_redeem=shown.total_redeem,
        limits=_limits(reward, shown),
        code_count=sum(v.reward_id == reward.id for v in program.vouchers.values()),
        code_pool_id=shown.code_pool_id,
        code_generator_id=program.generator_id,
        generator=models.CodeGenerator(
            id=program.generator_id,
            name="sandbox",
            description="Ten characters, no look-alike letters or digits.",
            pattern="XXXXXXXXXX",
            created_at=timestamp(program.created_at),
            updated_at=timestamp(program.created_at),
        ),
        config="voucher",
        reward_configs=models.RewardConfigs(attribution="api", code=codes, value="fixed"),
        expiration_value=shown.expiration_value,
        expiration_unit=shown.expiration_unit,
        expiration_modifier=models.ExpirationModifier(shown.expiration_modifier),
        start_date=timestamp(shown.start_date),
        end_date=timestamp(shown.end_date),
        disabled_at=timestamp(reward.disabled_at),
        value=shown.value,
        value_type="fixed" if shown.value is not None else None,
        unit=shown.unit,
        meta=_meta(models.RewardMeta, {}),
        products=[
            models.RewardProduct(
                product_id=product_id,
                value=value,
                image_ref=f"https://images.sandbox.invalid/{product_id}.png",
                created_at=timestamp(shown.updated_at),
            )
            for product_id, value in shown.products.items()
        ],
        redeem_rules=[],
        subtract_total_balance=False,
        rule=models.Rule.from_dict(rule),
        trigger_id=rule.get("ruleId"),
        created_at=created,
        updated_at=timestamp(shown.updated_at),
    )


def attributed_voucher(program: Program, voucher: Voucher) -> models.Voucher:
    """Build the ``Voucher`` answer of createVoucher."""
    return models.Voucher(
        id=voucher.id,
        loyalty_program_id=program.id,
        reward_id=voucher.reward_id,
        contact_id=voucher.contact_id,
        code=voucher.code,
        value=voucher.value,
        meta=_meta(models.VoucherMeta, voucher.meta),
        expiration_date=timestamp(voucher.expiration_date),
        consumed_at=timestamp(voucher.consumed_at),
        created_at=timestamp(voucher.created_at),
        updated_at=timestamp(voucher.updated_at),
    )


def contact_voucher(voucher: Voucher) -> models.ContactVoucher:
    """Build one ``ContactVoucher`` of listContactVouchers."""
    return models.ContactVoucher(
        id=voucher.id,
        reward_id=voucher.reward_id,
        code=voucher.code,
        value=voucher.value,
        unit=voucher.unit,
        meta=_meta(models.ContactVoucherMeta, voucher.meta),
        expiration_date=timestamp(voucher.expiration_date),
        consumed_at=timestamp(voucher.consumed_at),
        created_at=timestamp(voucher.created_at),
        updated_at=timestamp(voucher.updated_at),
    )


def redeem_transaction(program: Program, transaction: Transaction) -> models.RedeemTransaction:
    """Build a ``RedeemTransaction``."""
    return models.RedeemTransaction(
        id=transaction.id,
        loyalty_program_id=program.id,
        reward_attribution_id=transaction.voucher_id,
        contact_id=transaction.contact_id,
        status=transaction.status,
        meta=_meta(models.RedeemTransactionMeta, transaction.meta),
        expires_at=timestamp(transaction.expires_at),
        completed_at=timestamp(transaction.completed_at),
        cancelled_at=timestamp(transaction.cancelled_at),
        rejected_at=timestamp(transaction.rejected_at),
        reject_reason=transaction.reject_reason,
        created_at=timestamp(transaction.created_at),
        updated_at=timestamp(transaction.updated_at),
    )
