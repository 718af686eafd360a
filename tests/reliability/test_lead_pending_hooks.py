"""Issue 12 cases fixed by a hook in files issue 10 was rewriting (_response.py, _calls.py).

Expected to fail until the lead applies the hooks listed in the issue 12 report; not skipped, so
that the gap stays visible:

- ``APIResponse.json()`` decodes with ``_body.loads`` (a 50,000-deep body raises
  ``JSONNestingError``, a ``ValueError``, not ``RecursionError``);
- an ``Order`` *model* passed as ``order=`` is checked as JSON like a mapping is (NaN refused by
  name before sending).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable

import pytest
from brevo_loyalty import APIResponse, AsyncRewards, Rewards
from brevo_loyalty_api.models import Order, Reward

from ._calls import API_KEY, PROGRAM_ID, REWARD_ID, run_call
from ._servers import Connection, RawServer

KINDS = ["sync", "async"]
Serve = Callable[..., RawServer]
DEEP = b"[" * 50_000 + b"]" * 50_000


@pytest.mark.parametrize("kind", KINDS)
def test_raw_response_json_of_a_deep_body_is_a_value_error(kind: str, serve: Serve) -> None:
    def handler(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.respond(200, DEEP)

    server = serve(handler)
    if kind == "sync":
        with Rewards(api_key=API_KEY, base_url=server.base_url) as client:
            raw = client.with_raw_response.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID)
    else:

        async def main() -> APIResponse[Reward]:
            async with AsyncRewards(api_key=API_KEY, base_url=server.base_url) as client:
                view = client.with_raw_response
                return await view.get_reward(program_id=PROGRAM_ID, reward_id=REWARD_ID)

        raw = asyncio.run(main())
    with pytest.raises(ValueError, match="nested too deeply"):
        raw.json()


@pytest.mark.parametrize("kind", KINDS)
def test_an_order_model_holding_nan_is_refused_by_name(kind: str, serve: Serve) -> None:
    def handler(conn: Connection) -> None:
        while conn.read_request() is not None:
            conn.respond(200, {"id": "tx"})

    server = serve(handler)
    order = Order(amount=math.nan)
    outcome = run_call(
        kind,
        server.base_url,
        "create_redeem_request",
        arguments={"order": order, "contact_id": 42, "code": "CODE-1"},
    )
    assert isinstance(outcome.error, ValueError), outcome.error
    assert "order" in str(outcome.error)
    assert server.requests == []
