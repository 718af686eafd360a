"""The business rule behind each operation the sandbox knows: checked arguments in, a model out.

Arguments arrive checked by the spec (``_app.read_arguments``) and typed by the generated
``<Operation>Received`` dicts; rules only add what the spec cannot say (which voucher a code
designates, limits, expiry, state). An operation absent from :data:`RULES` still answers (the
smallest schema-valid body).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brevo_loyalty_api import _surface as surface
from brevo_loyalty_api import models

from . import _wire
from ._state import Program, World

PROGRAM = "program_id"
"""The argument naming the loyalty program every operation works in."""

Rule = Callable[[World, Program, Any], Any]


def get_code_count(
    world: World, program: Program, args: surface.GetCodeCountReceived
) -> models.CodeCount:
    """How many codes the pool still holds."""
    return models.CodeCount(count=world.code_count(program.id, args["code_pool_id"]))


def list_rewards(
    world: World, program: Program, args: surface.ListRewardsReceived
) -> models.RewardPage:
    """One page of the program's rewards."""
    rows, total = world.list_rewards(
        program.id,
        limit=args["limit"],
        offset=args["offset"],
        state=args["state"],
        version=args["version"],
    )
    items = [_wire.reward_page_item(reward, shown, state) for reward, shown, state in rows]
    return models.RewardPage(items=items, total_count=total)


def create_reward(
    world: World, program: Program, args: surface.CreateRewardReceived
) -> models.CreatedReward:
    """A new, unpublished reward."""
    reward = world.create_reward(
        program.id,
        name=args["name"],
        public_description=args.get("public_description"),
        public_image=args.get("public_image"),
        public_name=args.get("public_name"),
    )
    return _wire.created_reward(reward)


def create_voucher(
    world: World, program: Program, args: surface.CreateVoucherReceived
) -> models.Voucher:
    """A voucher attributed to a contact or subscription."""
    voucher = world.attribute(
        program.id,
        reward_id=args["reward_id"],
        contact_id=args.get("contact_id"),
        subscription_id=args.get("loyalty_subscription_id"),
        code=args.get("code"),
        expiration_date=args.get("expiration_date"),
        meta=args.get("meta"),
        value=args.get("value"),
    )
    return _wire.attributed_voucher(program, voucher)


def create_redeem_request(
    world: World, program: Program, args: surface.CreateRedeemRequestReceived
) -> models.RedeemTransaction:
    """A pending redeem request for the designated voucher."""
    transaction = world.request_redeem(
        program.id,
        contact_id=args.get("contact_id"),
        subscription_id=args.get("loyalty_subscription_id"),
        attributed_reward_id=args.get("attributed_reward_id"),
        code=args.get("code"),
        reward_id=args.get("reward_id"),
        ttl=args.get("ttl"),
        meta=args.get("meta"),
        order=args.get("order"),
    )
    return _wire.redeem_transaction(program, transaction)


def complete_redeem_request(
    world: World, program: Program, args: surface.CompleteRedeemRequestReceived
) -> models.RedeemTransaction:
    """The redeem request, completed."""
    transaction = world.complete_redeem(program.id, args["transaction_id"])
    return _wire.redeem_transaction(program, transaction)


def revoke_vouchers(world: World, program: Program, args: surface.RevokeVouchersReceived) -> None:
    """Revoke the vouchers (all or none)."""
    world.revoke(program.id, list(dict.fromkeys(args["attributed_reward_ids"])))


def get_reward(world: World, program: Program, args: surface.GetRewardReceived) -> models.Reward:
    """One version of a reward, in full."""
    shown = world.get_reward(program.id, args["reward_id"], version=args["version"])
    return _wire.full_reward(program, program.rewards[args["reward_id"]], shown)


def validate_reward(
    world: World, program: Program, args: surface.ValidateRewardReceived
) -> models.RewardValidation:
    """Whether the designated voucher may be redeemed now."""
    authorized = world.validate(
        program.id,
        contact_id=args.get("contact_id"),
        subscription_id=args.get("loyalty_subscription_id"),
        attributed_reward_id=args.get("attributed_reward_id"),
        code=args.get("code"),
        reward_id=args.get("reward_id"),
    )
    return models.RewardValidation(authorize=authorized)


def list_contact_vouchers(
    world: World, program: Program, args: surface.ListContactVouchersReceived
) -> models.ContactVouchers:
    """One page of a contact's vouchers."""
    contact_id = args["contact_id"]
    vouchers, total, subscription_id = world.contact_vouchers(
        program.id,
        contact_id=contact_id,
        limit=args["limit"],
        offset=args["offset"],
        sort=args["sort"],
        sort_field=args["sort_field"],
        metadata_value=args.get("metadata_value"),
        reward_id=args.get("reward_id"),
    )
    return models.ContactVouchers(
        contact_id=contact_id,
        loyalty_program_id=program.id,
        loyalty_subscription_id=subscription_id,
        contact_rewards=[_wire.contact_voucher(v) for v in vouchers],
        count=total,
    )


RULES: dict[str, Rule] = {
    surface.GET_CODE_COUNT.name: get_code_count,
    surface.LIST_REWARDS.name: list_rewards,
    surface.CREATE_REWARD.name: create_reward,
    surface.CREATE_VOUCHER.name: create_voucher,
    surface.CREATE_REDEEM_REQUEST.name: create_redeem_request,
    surface.COMPLETE_REDEEM_REQUEST.name: complete_redeem_request,
    surface.REVOKE_VOUCHERS.name: revoke_vouchers,
    surface.GET_REWARD.name: get_reward,
    surface.VALIDATE_REWARD.name: validate_reward,
    surface.LIST_CONTACT_VOUCHERS.name: list_contact_vouchers,
}
"""Operation name -> its rule (keyed by the generated constants: a renamed operation fails here)."""
