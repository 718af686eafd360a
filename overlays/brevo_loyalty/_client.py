"""``Rewards`` and ``AsyncRewards``: the clients users import.

Their operation methods (one per spec operation, plus ``iter_*`` for the paged ones) are generated
from the spec into ``brevo_loyalty_api._surface``; their I/O is ``_engine``. What is written here is
what no spec says: the redeem flow, which chains two operations.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Unpack

import httpx
from brevo_loyalty_api._surface import (
    COMPLETE_REDEEM_REQUEST,
    AsyncRewardsOperations,
    RewardsOperations,
)

from ._base_client import NOT_GIVEN, NotGiven, TimeoutTypes
from ._exceptions import RedeemAborted, ResponseParseError

if TYPE_CHECKING:
    from brevo_loyalty_api._surface import CreateRedeemRequestArguments
    from brevo_loyalty_api.models import RedeemTransaction

__all__ = ["AsyncRewards", "Rewards"]


def _check_before_complete(before_complete: object) -> None:
    # Checked before the redeem request is created, so a bad argument leaves nothing pending.
    if before_complete is not None and not callable(before_complete):
        raise TypeError("before_complete must be a callable taking the pending transaction")


def _transaction_id(pending: RedeemTransaction) -> str:
    """The id to complete ``pending`` with; a server answer without a usable one is its fault."""
    param = COMPLETE_REDEEM_REQUEST.param("transaction_id")
    try:
        return str(param.check(param.python_name, pending.id))
    except (TypeError, ValueError) as exc:
        raise ResponseParseError(
            f"the redeem request was created but its id cannot be completed ({exc})",
            method="POST",
            url="",
            status_code=200,
            headers=httpx.Headers(),
            body=b"",
        ) from None


class Rewards(RewardsOperations):
    """Synchronous client of the Brevo Loyalty Reward API.

    >>> from brevo_loyalty import Rewards
    >>> with Rewards(api_key="xkeysib-...") as client:  # doctest: +SKIP
    ...     reward = client.get_reward(program_id=pid, reward_id=rid)

    Constructor options (all keyword-only):

    - ``api_key``: account API key. With no credential given at all, ``$BREVO_API_KEY`` (or
      ``$BREVO_PARTNER_KEY``) is read instead.
    - ``partner_key``: partner key, the alternative scheme.
    - ``bearer_token``: an OAuth access token, or a callable returning a fresh one (called for every
      attempt, never logged).
    - ``base_url``: API root; ``$BREVO_BASE_URL``, else ``https://api.brevo.com/v3``.
    - ``timeout``: seconds (or an ``httpx.Timeout``) per attempt; 30 s (5 s to connect) by
      default.
    - ``max_retries``: retries of a failed attempt, where safe (see README, "Retries"); 2 by
      default.
    - ``retry_policy``: backoff settings.
    - ``default_headers``: headers sent with every request.
    - ``http_client``: an ``httpx.Client`` to use (not closed by this client).
    - ``transport``: an httpx transport for the client this one creates (e.g. the sandbox's).
    - ``sleep``: how to wait between attempts (tests inject a fake).

    Raises:
        CredentialsError: no credential given or found in the environment, or one is malformed.
    """

    def redeem(
        self,
        *,
        before_complete: Callable[[RedeemTransaction], bool | None] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        **arguments: Unpack[CreateRedeemRequestArguments],
    ) -> RedeemTransaction:
        """Redeem a voucher in one call: create the redeem request, then complete it.

        ``before_complete(pending)`` runs between the two steps: return ``False`` to stop
        (``RedeemAborted`` is raised, carrying the pending transaction, which expires after its
        ttl); anything else continues. The other arguments are those of ``create_redeem_request``.

        Returns:
            The completed ``RedeemTransaction``.

        Raises:
            RedeemAborted: ``before_complete`` returned False.
            APIError: what ``create_redeem_request`` or ``complete_redeem_request`` raise.
        """
        _check_before_complete(before_complete)
        pending = self.create_redeem_request(
            **arguments, timeout=timeout, max_retries=max_retries, extra_headers=extra_headers
        )
        if before_complete is not None:
            verdict = before_complete(pending)
            if isinstance(verdict, Awaitable):
                # An async check can't be awaited here; completing regardless would ignore a veto.
                if isinstance(verdict, Coroutine):
                    verdict.close()
                raise TypeError(
                    "before_complete returned an awaitable; use AsyncRewards.redeem for it"
                )
            if verdict is False:
                raise RedeemAborted(pending)
        return self.complete_redeem_request(
            program_id=arguments["program_id"],
            transaction_id=_transaction_id(pending),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )


class AsyncRewards(AsyncRewardsOperations):
    """Asynchronous client of the Brevo Loyalty Reward API: the methods of ``Rewards``, awaited.

    >>> async with AsyncRewards(api_key="xkeysib-...") as client:  # doctest: +SKIP
    ...     reward = await client.get_reward(program_id=pid, reward_id=rid)

    Arguments are those of ``Rewards``, except that ``http_client`` is an ``httpx.AsyncClient``,
    ``transport`` an async transport, ``sleep`` a coroutine function, and ``bearer_token`` may be
    a callable returning an awaitable.
    """

    async def redeem(
        self,
        *,
        before_complete: Callable[[RedeemTransaction], bool | Awaitable[bool | None] | None]
        | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        **arguments: Unpack[CreateRedeemRequestArguments],
    ) -> RedeemTransaction:
        """Redeem a voucher in one call: ``Rewards.redeem``, awaited.

        ``before_complete`` may be a coroutine function; it is awaited.
        """
        _check_before_complete(before_complete)
        pending = await self.create_redeem_request(
            **arguments, timeout=timeout, max_retries=max_retries, extra_headers=extra_headers
        )
        if before_complete is not None:
            verdict = before_complete(pending)
            if isinstance(verdict, Awaitable):
                verdict = await verdict
            if verdict is False:
                raise RedeemAborted(pending)
        return await self.complete_redeem_request(
            program_id=arguments["program_id"],
            transaction_id=_transaction_id(pending),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
