"""A guided tour of the reward lifecycle: ``python -m brevo_loyalty.demo`` (or brevo-loyalty-demo).

By default it runs against an embedded sandbox, so it needs no API key and no network: it creates
a reward, configures it through the sandbox's seeding helpers (code pool, expiry, limits),
attributes a voucher, lists the contact's vouchers, validates, redeems (request + complete),
revokes, and counts the pool's codes, printing each step.

``--base-url URL --program-id ID`` (with ``BREVO_API_KEY`` set) runs the same calls against a real
server instead; the reward it creates there must be configured and published in Brevo before
vouchers can be attributed, so expect the attribution step to be refused until it is.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import APIStatusError, Rewards
from .sandbox import DEFAULT_API_KEY, Sandbox

CONTACT_ID = 42
OTHER_CONTACT_ID = 43
SANDBOX_URL = "http://sandbox.local/v3"


@dataclass
class _Setup:
    client: Rewards
    program_id: str
    code_pool_id: str | None
    sandbox: Sandbox | None


def _say(text: str = "") -> None:
    print(text, flush=True)


def _connect(args: argparse.Namespace) -> _Setup:
    """Open a client on the embedded sandbox, or on the server named on the command line."""
    if args.base_url is None:
        sandbox = Sandbox(seed=args.seed)
        program_id = sandbox.create_program()
        pool_id = sandbox.add_code_pool(program_id, size=12)
        client = Rewards(
            api_key=DEFAULT_API_KEY, base_url=SANDBOX_URL, transport=sandbox.transport()
        )
        _say("Brevo Loyalty demo: embedded sandbox (no API key, no network)")
        return _Setup(client, program_id, pool_id, sandbox)
    key = os.environ.get("BREVO_API_KEY")
    if not key or not args.program_id:
        raise SystemExit("--base-url needs --program-id and BREVO_API_KEY in the environment")
    client = Rewards(api_key=key, base_url=args.base_url)
    _say(f"Brevo Loyalty demo: {args.base_url}")
    return _Setup(client, args.program_id, args.code_pool_id, None)


def _field(value: Any) -> str:
    """Show an optional model field (``None`` when the server left it out)."""
    if isinstance(value, datetime):
        return value.isoformat()
    return value if isinstance(value, str) else "-"


def _tour(setup: _Setup) -> None:
    client, pid, pool_id = setup.client, setup.program_id, setup.code_pool_id
    _say(f"Loyalty program {pid}")
    codes_before = client.get_code_count(program_id=pid, code_pool_id=pool_id) if pool_id else None

    reward = client.create_reward(
        program_id=pid,
        name="Free coffee",
        public_name="A coffee on us",
        public_description="One free coffee in any shop.",
    )
    reward_id = _field(reward.id)
    _say(f"1. Created reward {reward.name!r} ({reward_id})")

    if setup.sandbox is not None:
        setup.sandbox.configure_reward(
            pid,
            reward_id,
            code_pool_id=pool_id,
            expiration_value=1,
            expiration_unit="month",
            expiration_modifier="endOfPeriod",
            attribution_per_consumer=1,
            redeem_per_consumer=1,
        )
        _say(
            "2. Configured and published it: codes from the pool, vouchers expire at the end of"
            " next month, one voucher and one redemption per customer"
        )
    else:
        _say("2. Configure and publish the reward in Brevo (limits, codes, expiry)")

    voucher = client.create_voucher(
        program_id=pid, reward_id=reward_id, contact_id=CONTACT_ID, meta={"source": "demo"}
    )
    code = _field(voucher.code)
    _say(
        f"3. Attributed voucher {code} to contact {CONTACT_ID}"
        f" (expires {_field(voucher.expiration_date)})"
    )
    try:
        client.create_voucher(program_id=pid, reward_id=reward_id, contact_id=CONTACT_ID)
        _say("   A second voucher for the same contact was accepted")
    except APIStatusError as refused:
        _say(f"   A second voucher was refused: {refused.status_code} {refused.message}")

    held = client.list_contact_vouchers(program_id=pid, contact_id=CONTACT_ID)
    codes = ", ".join(_field(v.code) for v in held.contact_rewards or [])
    _say(f"4. Contact {CONTACT_ID} holds {held.count} voucher(s): {codes}")

    check = client.validate_reward(program_id=pid, contact_id=CONTACT_ID, code=code)
    _say(f"5. Validating {code}: {'authorized' if check.authorize else 'refused'}")

    def announce(pending: Any) -> bool:
        _say(f"6. Redeem request {_field(pending.id)} is {pending.status}; completing it")
        return True

    done = client.redeem(
        program_id=pid, contact_id=CONTACT_ID, code=code, ttl=120, before_complete=announce
    )
    _say(f"   Redeemed: the request is {done.status}")
    again = client.validate_reward(program_id=pid, contact_id=CONTACT_ID, code=code)
    _say(f"   Validating {code} again: {'authorized' if again.authorize else 'refused'}")

    spare = client.create_voucher(program_id=pid, reward_id=reward_id, contact_id=OTHER_CONTACT_ID)
    client.revoke_vouchers(program_id=pid, attributed_reward_ids=[_field(spare.id)])
    left = client.list_contact_vouchers(program_id=pid, contact_id=OTHER_CONTACT_ID)
    _say(
        f"7. Attributed voucher {_field(spare.code)} to contact {OTHER_CONTACT_ID} and revoked"
        f" it: the contact now holds {left.count} voucher(s)"
    )

    if pool_id is not None and codes_before is not None:
        codes_after = client.get_code_count(program_id=pid, code_pool_id=pool_id)
        _say(f"8. Code pool {pool_id}: {codes_after.count} codes left (of {codes_before.count})")
    _say("Done.")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tour; return 0, or 1 if the server refused a step."""
    parser = argparse.ArgumentParser(prog="brevo-loyalty-demo", description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", help="a real server's base URL (default: embedded sandbox)")
    parser.add_argument("--program-id", help="with --base-url: your loyalty program id")
    parser.add_argument("--code-pool-id", help="with --base-url: a code pool to count")
    parser.add_argument("--seed", type=int, help="sandbox seed, for reproducible ids and codes")
    args = parser.parse_args(argv)
    setup = _connect(args)
    with setup.client:
        try:
            _tour(setup)
        except APIStatusError as error:
            print(f"The server refused a step: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
