"""An async batch job, written the way a user would: no casts, no asserts, no Unset checks.

Type-checked by tests/typing/test_typing.py with mypy --strict and pyright (strict); run by it too.
"""

from __future__ import annotations

import asyncio
from uuid import UUID

from brevo_loyalty import APIResponse, AsyncRewards, NotFoundError
from brevo_loyalty.models import RewardPage, Voucher
from brevo_loyalty.sandbox import DEFAULT_API_KEY, Sandbox


async def attribute_all(
    client: AsyncRewards, program_id: UUID, reward_id: str, contacts: list[int]
) -> list[Voucher]:
    """One voucher per contact, concurrently."""
    return list(
        await asyncio.gather(
            *(
                client.create_voucher(program_id=program_id, reward_id=reward_id, contact_id=c)
                for c in contacts
            )
        )
    )


async def first_page(client: AsyncRewards, program_id: UUID) -> APIResponse[RewardPage]:
    """The first page, raw: status and headers as well as the parsed page."""
    return await client.with_raw_response.list_rewards(program_id=program_id, limit=10)


async def revoke_unused(client: AsyncRewards, program_id: UUID, vouchers: list[Voucher]) -> int:
    """Revoke every voucher; return how many."""
    await client.revoke_vouchers(
        program_id=program_id, attributed_reward_ids=[voucher.id for voucher in vouchers]
    )
    return len(vouchers)


async def main() -> None:
    """Run the batch against the sandbox."""
    sandbox = Sandbox(seed=12)
    program_id = UUID(sandbox.create_program())
    async with AsyncRewards(
        api_key=DEFAULT_API_KEY,
        base_url="http://sandbox/v3",
        transport=sandbox.async_transport(),
    ) as client:
        created = await client.create_reward(program_id=program_id, name="Spring gift")
        sandbox.configure_reward(str(program_id), created.id)
        vouchers = await attribute_all(client, program_id, created.id, [1, 2, 3])
        print(sorted(voucher.code for voucher in vouchers))
        raw = await first_page(client, program_id)
        page = raw.parse()
        print(raw.status_code, raw.headers.get("content-type"), page.total_count)
        print([item.name for item in page.items])
        async for item in client.iter_rewards(program_id=program_id, state="active"):
            print(item.id, item.state)
        print("revoked", await revoke_unused(client, program_id, vouchers))
        try:
            await client.get_reward(program_id=program_id, reward_id=UUID(int=0))
        except NotFoundError as error:
            print("missing:", error.status_code, error.message)


if __name__ == "__main__":
    asyncio.run(main())
