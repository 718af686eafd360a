"""The public operations with valid arguments, and one way to run them sync or async."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from brevo_loyalty import AsyncRewards, Rewards

API_KEY = "xkeysib-0123456789abcdef-SECRETsecret"
PROGRAM_ID = uuid.UUID("6f1c2d3e-4a5b-4c6d-8e7f-901234567890")
REWARD_ID = uuid.UUID("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d")
PATH_PREFIX = f"/v3/loyalty/offer/programs/{PROGRAM_ID}/"

# operation -> (valid arguments, idempotent per the README's retry policy, returns a body)
OPERATIONS: dict[str, tuple[dict[str, Any], bool]] = {
    "get_code_count": ({"code_pool_id": "pool-1"}, True),
    "list_rewards": ({}, True),
    "create_reward": ({"name": "Gift"}, False),
    "create_voucher": ({"reward_id": REWARD_ID, "contact_id": 42}, False),
    "create_redeem_request": ({"contact_id": 42, "code": "CODE-1"}, False),
    "complete_redeem_request": ({"transaction_id": "tx-1"}, False),
    "revoke_vouchers": ({"attributed_reward_ids": [REWARD_ID]}, True),
    "get_reward": ({"reward_id": REWARD_ID}, True),
    "validate_reward": ({"contact_id": 42, "code": "CODE-1"}, True),
    "list_contact_vouchers": ({"contact_id": 42}, True),
}
# A success body every operation parses: it carries the fields each response schema requires
# (the extra ones land in additional_properties of the others).
VALID_FOR_EVERY_OPERATION: dict[str, Any] = {
    "id": "x-1",
    "name": "n",
    "code": "C-1",
    "count": 0,
    "items": [],
    "totalCount": 0,
    "contactRewards": [],
}


def valid_body(**fields: Any) -> dict[str, Any]:
    """``VALID_FOR_EVERY_OPERATION`` with ``fields`` set on top."""
    return {**VALID_FOR_EVERY_OPERATION, **fields}


IDEMPOTENT = sorted(name for name, (_, idem) in OPERATIONS.items() if idem)
NON_IDEMPOTENT = sorted(name for name, (_, idem) in OPERATIONS.items() if not idem)
WITH_BODY = sorted(set(OPERATIONS) - {"revoke_vouchers"})


@dataclass
class Outcome:
    """What one call produced: its result or its exception, and the sleeps it asked for."""

    result: Any = None
    error: BaseException | None = None
    sleeps: list[float] = field(default_factory=list)


def run_call(
    kind: str,
    base_url: str,
    operation: str,
    *,
    arguments: Mapping[str, Any] | None = None,
    client_options: Mapping[str, Any] | None = None,
    on_sleep: Callable[[float], None] | None = None,
) -> Outcome:
    """Call ``operation`` on a fresh ``Rewards`` (kind "sync") or ``AsyncRewards`` ("async").

    The backoff sleep is injected: it records the delay (and runs ``on_sleep``) without waiting.
    """
    outcome = Outcome()
    defaults = OPERATIONS[operation][0] if operation in OPERATIONS else {}
    args = {"program_id": PROGRAM_ID, **defaults, **(arguments or {})}
    options: dict[str, Any] = {"api_key": API_KEY, "base_url": base_url, **(client_options or {})}

    def record(delay: float) -> None:
        outcome.sleeps.append(delay)
        if on_sleep is not None:
            on_sleep(delay)

    if kind == "sync":
        with Rewards(sleep=record, **options) as client:
            try:
                outcome.result = getattr(client, operation)(**args)
            except Exception as exc:
                outcome.error = exc
        return outcome

    async def async_record(delay: float) -> None:
        record(delay)

    async def main() -> None:
        async with AsyncRewards(sleep=async_record, **options) as client:
            try:
                outcome.result = await getattr(client, operation)(**args)
            except Exception as exc:
                outcome.error = exc

    asyncio.run(main())
    return outcome
