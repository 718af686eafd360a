"""A shop's loyalty desk, written the way a user would: no casts, no asserts, no Unset checks.

Type-checked by tests/typing/test_typing.py with mypy --strict and pyright (strict); run by it too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from brevo_loyalty import PreconditionFailedError, Rewards
from brevo_loyalty.models import ContactVoucher, RedeemTransaction, Reward, RuleCondition
from brevo_loyalty.sandbox import DEFAULT_API_KEY, Sandbox


def launch_reward(client: Rewards, program_id: str, name: str) -> str:
    """Create a reward and return its id."""
    created = client.create_reward(program_id=program_id, name=name, public_name=name)
    return created.id


def welcome(client: Rewards, program_id: str, reward_id: str, contact_id: int) -> str:
    """Give a contact a voucher that expires in a month; return its code."""
    voucher = client.create_voucher(
        program_id=program_id,
        reward_id=reward_id,
        contact_id=contact_id,
        expiration_date=datetime.now(UTC) + timedelta(days=30),
        meta={"source": "desk"},
    )
    return voucher.code


def wallet(client: Rewards, program_id: str, contact_id: int) -> list[ContactVoucher]:
    """Every voucher a contact holds, newest first."""
    return list(
        client.iter_contact_vouchers(
            program_id=program_id, contact_id=contact_id, sort="desc", sort_field="createdAt"
        )
    )


def checkout(client: Rewards, program_id: str, contact_id: int, code: str) -> RedeemTransaction:
    """Redeem a code at the till, with a look at the pending request first."""
    pending = client.create_redeem_request(
        program_id=program_id, contact_id=contact_id, code=code, ttl=120
    )
    print("pending", pending.id, pending.status or "unknown")
    return client.complete_redeem_request(program_id=program_id, transaction_id=pending.id)


def conditions(reward: Reward) -> list[str]:
    """The comparison operators at the top of the reward's rule."""
    rule = reward.rule
    if rule is None or rule.condition is None:
        return []
    branches: list[RuleCondition | None] = list(rule.condition.or_ or [])
    return [branch.op or "?" for branch in branches if branch is not None]


def names(client: Rewards, program_id: str) -> list[str]:
    """The names of the program's active rewards."""
    return [item.name or "(unnamed)" for item in client.iter_rewards(program_id=program_id)]


def main() -> None:
    """Run the desk against the sandbox."""
    sandbox = Sandbox(seed=11)
    program_id = sandbox.create_program()
    pool_id = sandbox.add_code_pool(program_id, size=5)
    with Rewards(
        api_key=DEFAULT_API_KEY, base_url="http://sandbox/v3", transport=sandbox.transport()
    ) as client:
        reward_id = launch_reward(client, program_id, "Free tea")
        sandbox.configure_reward(program_id, reward_id, code_pool_id=pool_id)
        code = welcome(client, program_id, reward_id, contact_id=7)
        print([voucher.code for voucher in wallet(client, program_id, 7)])
        done = checkout(client, program_id, 7, code)
        print("redeemed", done.status, done.completed_at)
        try:
            checkout(client, program_id, 7, code)
        except PreconditionFailedError as error:
            print("refused:", error.code, error.message)
        reward = client.get_reward(program_id=program_id, reward_id=reward_id)
        print(names(client, program_id), conditions(reward))
        left = client.get_code_count(program_id=program_id, code_pool_id=pool_id)
        print("codes left:", left.count)


if __name__ == "__main__":
    main()
