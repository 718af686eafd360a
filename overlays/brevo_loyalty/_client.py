"""``Rewards`` and ``AsyncRewards``: one method per operation, plus pagination and flows.

Both clients share every check and encoding (``_calls``) and all non-I/O logic
(``_base_client``); only sending and sleeping differ.
"""

from __future__ import annotations

import functools
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Iterator,
    Mapping,
    Sequence,
)
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

import httpx

from . import _body, _calls, _deadline, _pagination
from . import _validation as check
from ._base_client import (
    DEFAULT_MAX_RETRIES,
    NOT_GIVEN,
    BaseClient,
    NotGiven,
    TimeoutTypes,
    TokenProvider,
    attempt_budget,
    attempt_timed_out,
)
from ._calls import Call
from ._credentials import AuthHeaders, raise_detached
from ._exceptions import RedeemAborted, ResponseParseError, status_error
from ._loop import LoopGuard
from ._response import OPERATIONS, APIResponse
from ._retry import RetryPolicy

if TYPE_CHECKING:
    from datetime import datetime
    from uuid import UUID

    from brevo_loyalty_api.models import (
        CodeCount,
        ContactVoucher,
        ContactVouchers,
        CreatedReward,
        Order,
        RedeemTransaction,
        Reward,
        RewardPage,
        RewardPageItem,
        RewardValidation,
        Voucher,
    )

T = TypeVar("T")

__all__ = ["AsyncRewards", "Rewards"]


def _reward_page(page: RewardPage) -> tuple[list[RewardPageItem], int | None]:
    items = page.items if isinstance(page.items, list) else []
    return items, page.total_count if isinstance(page.total_count, int) else None


def _voucher_page(page: ContactVouchers) -> tuple[list[ContactVoucher], int | None]:
    items = page.contact_rewards if isinstance(page.contact_rewards, list) else []
    return items, page.count if isinstance(page.count, int) else None


def _check_page_size(page_size: object) -> None:
    check.integer("page_size", page_size, minimum=1, maximum=_calls.MAX_PAGE_SIZE)


def _check_before_complete(before_complete: object) -> None:
    # Checked before the redeem request is created, so a bad argument leaves nothing pending.
    if before_complete is not None and not callable(before_complete):
        raise TypeError("before_complete must be a callable taking the pending transaction")


def _transaction_id(pending: RedeemTransaction) -> str:
    # The id comes from the server: one that our own argument check would refuse (empty, "..",
    # 100,000 characters...) is the server's fault, so an APIError, not the caller's ValueError.
    try:
        return check.identifier("transaction_id", pending.id)
    except (TypeError, ValueError) as exc:
        raise ResponseParseError(
            f"the redeem request was created but its response has no usable id to complete: {exc}",
            method="POST",
            url="",
            status_code=200,
            headers=httpx.Headers(),
            body=b"",
        ) from None


async def _asyncio_sleep(seconds: float) -> None:
    # asyncio is imported here, not at module level: it costs more to import than httpx itself.
    import asyncio

    await asyncio.sleep(seconds)


class Rewards(BaseClient):
    """Synchronous client of the Brevo Loyalty Reward API.

    >>> from brevo_loyalty import Rewards
    >>> with Rewards(api_key="xkeysib-...") as client:  # doctest: +SKIP
    ...     reward = client.get_reward(program_id=pid, reward_id=rid)

    Args:
        api_key: account API key; defaults to ``$BREVO_API_KEY``.
        partner_key: partner key, the alternative scheme; defaults to ``$BREVO_PARTNER_KEY``.
        bearer_token: an OAuth access token, or a callable returning a fresh one (called for every
            attempt, never logged).
        base_url: API root, ``https://api.brevo.com/v3`` by default.
        timeout: seconds (or an ``httpx.Timeout``) per attempt; 30 s (5 s to connect) by default.
        max_retries: retries of a failed attempt, where safe (see README, "Retries"); 2 by default.
        retry_policy: backoff settings.
        default_headers: headers sent with every request.
        http_client: an ``httpx.Client`` to use (not closed by this client).
        transport: an httpx transport for the client this one creates (e.g. the sandbox's).
        sleep: how to wait between attempts (tests inject a fake).

    Raises:
        CredentialsError: no credential given or found in the environment, or one is malformed.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        partner_key: str | None = None,
        bearer_token: str | Callable[[], str] | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            api_key=api_key,
            partner_key=partner_key,
            bearer_token=bearer_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            default_headers=default_headers,
        )
        if http_client is not None and transport is not None:
            raise ValueError("give http_client or transport, not both")
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(transport=transport, timeout=self.timeout)
        _deadline.install(self._http)  # the attempt deadline also bounds status line and headers
        self._sleep = sleep

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool (unless the httpx client was given by the caller)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- sending ------------------------------------------------------------------------------

    def _auth(self) -> AuthHeaders:
        if self._token_provider is None:
            return self._static_auth
        return self._with_token(self._token_provider())

    def _receive(self, request: httpx.Request) -> httpx.Response:
        """Send one attempt and read its body within the attempt's overall time budget."""
        budget = attempt_budget(request)
        deadline = None if budget is None else time.monotonic() + budget
        with _deadline.bounded(deadline):
            # follow_redirects=False even when the caller's http_client follows them: a 3xx is an
            # answer (APIStatusError), never a reason to send credentials or a create elsewhere.
            response = self._http.send(request, stream=True, follow_redirects=False)
            return _body.read(response, limit=self.max_response_bytes, deadline=deadline)

    def _send(
        self,
        call: Call[Any],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> tuple[httpx.Response, int]:
        prepared = self._prepare(call, timeout, max_retries, extra_headers)
        retries = prepared.retries
        attempt, waited = 0, 0.0
        while True:
            request = self._build_request(self._http, prepared, self._auth())
            started = time.perf_counter()
            try:
                response = self._receive(request)
            except httpx.HTTPError as exc:
                attempt += 1
                delay = self._retry_delay(call, attempt, retries, waited, error=exc)
                if delay is None:
                    # no context: the httpx error holds the request, whose headers hold the key
                    raise_detached(self._connection_error(exc, request))
                self._log_retry(request, attempt, retries, delay, type(exc).__name__)
            else:
                self._log_response(request, response.status_code, started)
                if response.is_success:
                    return response, attempt
                attempt += 1
                delay = self._retry_delay(call, attempt, retries, waited, response=response)
                if delay is None:
                    raise status_error(response)
                self._log_retry(request, attempt, retries, delay, f"HTTP {response.status_code}")
            self._sleep(delay)
            waited += delay

    def _run(
        self,
        call: Call[T],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> T:
        response, retries_taken = self._send(call, timeout, max_retries, extra_headers)
        if self._raw:
            parser = functools.partial(self._parse, call)
            return cast(T, APIResponse(response, parser, retries_taken))
        return self._parse(call, response)

    # -- operations ---------------------------------------------------------------------------

    def get_code_count(
        self,
        *,
        program_id: UUID | str,
        code_pool_id: str,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> CodeCount:
        """Count the codes of a code pool (GET .../code-pools/{cpid}/codes-count).

        Args:
            program_id: loyalty program (UUID).
            code_pool_id: code pool id.
            timeout, max_retries, extra_headers: per-call overrides of the client's settings.

        Returns:
            ``CodeCount`` with ``count``.

        Raises:
            ValueError, TypeError: an argument is invalid (no request is sent).
            APIStatusError: a subclass per status (400, 401, 403, 404, 422, 5xx...).
            APIConnectionError, APITimeoutError, ResponseParseError.
        """
        call = _calls.get_code_count(program_id=program_id, code_pool_id=code_pool_id)
        return self._run(call, timeout, max_retries, extra_headers)

    def list_rewards(
        self,
        *,
        program_id: UUID | str,
        limit: int = 25,
        offset: int = 0,
        state: str | None = None,
        version: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RewardPage:
        """Fetch one page of the program's rewards (GET .../offers). See also ``iter_rewards``.

        Args:
            program_id: loyalty program (UUID).
            limit: page size, 1 to 100.
            offset: number of rewards to skip, >= 0.
            state: ``all``, ``active``, ``pending``, ``disabled`` or ``expired`` (default: all).
            version: ``active`` or ``draft`` (server default: draft).
            timeout, max_retries, extra_headers: per-call overrides of the client's settings.

        Returns:
            ``RewardPage`` with ``items`` and ``total_count``.

        Raises:
            ValueError, TypeError: an argument is invalid (no request is sent).
            APIStatusError subclasses, APIConnectionError, APITimeoutError, ResponseParseError.
        """
        call = _calls.list_rewards(
            program_id=program_id, limit=limit, offset=offset, state=state, version=version
        )
        return self._run(call, timeout, max_retries, extra_headers)

    def create_reward(
        self,
        *,
        program_id: UUID | str,
        name: str,
        public_description: str | None = None,
        public_image: str | None = None,
        public_name: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> CreatedReward:
        """Create a reward in the program (POST .../offers). Never retried once sent.

        Args:
            program_id: loyalty program (UUID).
            name: internal name, 1 to 128 characters.
            public_description: customer-facing description, at most 128 characters.
            public_image: URL of the public image.
            public_name: customer-facing name, at most 128 characters.
            timeout, max_retries, extra_headers: per-call overrides of the client's settings.

        Returns:
            ``CreatedReward`` (its ``id`` is the new reward's id).

        Raises:
            ValueError, TypeError: an argument is invalid (no request is sent).
            APIStatusError subclasses, APIConnectionError, APITimeoutError, ResponseParseError.
        """
        call = _calls.create_reward(
            program_id=program_id,
            name=name,
            public_description=public_description,
            public_image=public_image,
            public_name=public_name,
        )
        return self._run(call, timeout, max_retries, extra_headers)

    def create_voucher(
        self,
        *,
        program_id: UUID | str,
        reward_id: UUID | str,
        contact_id: int | None = None,
        loyalty_subscription_id: str | None = None,
        code: str | None = None,
        expiration_date: datetime | str | None = None,
        meta: Mapping[str, Any] | None = None,
        value: float | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Voucher:
        """Attribute a voucher of a reward to a contact (POST .../rewards/attribute).

        Never retried once sent. Give ``contact_id`` or ``loyalty_subscription_id``.

        Args:
            program_id: loyalty program (UUID).
            reward_id: reward to attribute (UUID).
            contact_id: receiving contact, >= 1.
            loyalty_subscription_id: receiving membership.
            code: code to assign (at most 128 characters); otherwise the reward's pool provides one.
            expiration_date: voucher expiry (a ``datetime`` is sent as RFC 3339).
            meta: free key/value metadata.
            value: value for the reward's configured metric.
            timeout, max_retries, extra_headers: per-call overrides of the client's settings.

        Returns:
            ``Voucher`` (the attributed reward).

        Raises:
            ValueError, TypeError: an argument is invalid (no request is sent).
            PreconditionFailedError: an attribution limit is exceeded, or the reward is not valid.
            APIStatusError subclasses, APIConnectionError, APITimeoutError, ResponseParseError.
        """
        call = _calls.create_voucher(
            program_id=program_id,
            reward_id=reward_id,
            contact_id=contact_id,
            loyalty_subscription_id=loyalty_subscription_id,
            code=code,
            expiration_date=expiration_date,
            meta=meta,
            value=value,
        )
        return self._run(call, timeout, max_retries, extra_headers)

    def create_redeem_request(
        self,
        *,
        program_id: UUID | str,
        contact_id: int | None = None,
        loyalty_subscription_id: str | None = None,
        attributed_reward_id: UUID | str | None = None,
        code: str | None = None,
        reward_id: str | None = None,
        ttl: int | None = None,
        meta: Mapping[str, Any] | None = None,
        order: Order | Mapping[str, Any] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RedeemTransaction:
        """Open a pending redeem request for a voucher (POST .../rewards/redeem). See ``redeem``.

        Never retried once sent. Give ``contact_id`` or ``loyalty_subscription_id``, and the voucher
        by ``attributed_reward_id`` or ``code``.

        Args:
            program_id: loyalty program (UUID).
            contact_id: redeeming contact, >= 1.
            loyalty_subscription_id: redeeming membership.
            attributed_reward_id: voucher to redeem (UUID).
            code: voucher code to redeem.
            reward_id: reward definition.
            ttl: seconds before the pending request expires, >= 0.
            meta: free key/value metadata.
            order: the order (an ``Order`` model or a mapping in wire form).
            timeout, max_retries, extra_headers: per-call overrides of the client's settings.

        Returns:
            The pending ``RedeemTransaction``; its ``id`` completes it.

        Raises:
            ValueError, TypeError: an argument is invalid (no request is sent).
            PreconditionFailedError: the code is invalid, expired or consumed, or a limit is hit.
            APIStatusError subclasses, APIConnectionError, APITimeoutError, ResponseParseError.
        """
        call = _calls.create_redeem_request(
            program_id=program_id,
            contact_id=contact_id,
            loyalty_subscription_id=loyalty_subscription_id,
            attributed_reward_id=attributed_reward_id,
            code=code,
            reward_id=reward_id,
            ttl=ttl,
            meta=meta,
            order=order,
        )
        return self._run(call, timeout, max_retries, extra_headers)

    def complete_redeem_request(
        self,
        *,
        program_id: UUID | str,
        transaction_id: str,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RedeemTransaction:
        """Complete a pending redeem request, consuming the voucher (POST .../{tid}/complete).

        Never retried once sent.

        Args:
            program_id: loyalty program (UUID).
            transaction_id: the ``id`` of the pending ``RedeemTransaction``.
            timeout, max_retries, extra_headers: per-call overrides of the client's settings.

        Returns:
            The completed ``RedeemTransaction``.

        Raises:
            ValueError, TypeError: an argument is invalid (no request is sent).
            ExpectationFailedError: the request expired or was already completed.
            APIStatusError subclasses, APIConnectionError, APITimeoutError, ResponseParseError.
        """
        call = _calls.complete_redeem_request(program_id=program_id, transaction_id=transaction_id)
        return self._run(call, timeout, max_retries, extra_headers)

    def revoke_vouchers(
        self,
        *,
        program_id: UUID | str,
        attributed_reward_ids: Sequence[UUID | str],
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        """Revoke vouchers (DELETE .../rewards/revoke?attributedRewardIds=a,b).

        Args:
            program_id: loyalty program (UUID).
            attributed_reward_ids: the vouchers to revoke (a non-empty list of UUIDs).
            timeout, max_retries, extra_headers: per-call overrides of the client's settings.

        Raises:
            ValueError, TypeError: an argument is invalid (no request is sent).
            NotFoundError: unknown program or voucher.
            APIStatusError subclasses, APIConnectionError, APITimeoutError.
        """
        call = _calls.revoke_vouchers(
            program_id=program_id, attributed_reward_ids=attributed_reward_ids
        )
        return self._run(call, timeout, max_retries, extra_headers)

    def get_reward(
        self,
        *,
        program_id: UUID | str,
        reward_id: UUID | str,
        version: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Reward:
        """Read one reward with its limits, products, config and rule (GET .../rewards/{rid}).

        Args:
            program_id: loyalty program (UUID).
            reward_id: reward (UUID).
            version: ``active`` or ``draft`` (server default: draft).
            timeout, max_retries, extra_headers: per-call overrides of the client's settings.

        Returns:
            ``Reward``, with ``rule`` typed to the leaves.

        Raises:
            ValueError, TypeError: an argument is invalid (no request is sent).
            NotFoundError: unknown program or reward.
            APIStatusError subclasses, APIConnectionError, APITimeoutError, ResponseParseError.
        """
        call = _calls.get_reward(program_id=program_id, reward_id=reward_id, version=version)
        return self._run(call, timeout, max_retries, extra_headers)

    def validate_reward(
        self,
        *,
        program_id: UUID | str,
        contact_id: int | None = None,
        loyalty_subscription_id: str | None = None,
        attributed_reward_id: UUID | str | None = None,
        code: str | None = None,
        point_of_sell_id: str | None = None,
        reward_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RewardValidation:
        """Check whether a voucher or reward may be used now (POST .../rewards/validate).

        Read-only, so retried like a GET. Give at least one of ``contact_id``,
        ``loyalty_subscription_id``, ``code`` or ``attributed_reward_id``.

        Args:
            program_id: loyalty program (UUID).
            contact_id: contact, >= 1.
            loyalty_subscription_id: membership.
            attributed_reward_id: voucher (UUID).
            code: voucher code.
            point_of_sell_id: point of sale.
            reward_id: reward definition.
            timeout, max_retries, extra_headers: per-call overrides of the client's settings.

        Returns:
            ``RewardValidation`` with ``authorize``.

        Raises:
            ValueError, TypeError: an argument is invalid (no request is sent).
            APIStatusError subclasses, APIConnectionError, APITimeoutError, ResponseParseError.
        """
        call = _calls.validate_reward(
            program_id=program_id,
            contact_id=contact_id,
            loyalty_subscription_id=loyalty_subscription_id,
            attributed_reward_id=attributed_reward_id,
            code=code,
            point_of_sell_id=point_of_sell_id,
            reward_id=reward_id,
        )
        return self._run(call, timeout, max_retries, extra_headers)

    def list_contact_vouchers(
        self,
        *,
        program_id: UUID | str,
        contact_id: int,
        limit: int = 25,
        offset: int = 0,
        sort: str | None = None,
        sort_field: str | None = None,
        metadata_value: str | None = None,
        reward_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ContactVouchers:
        """Fetch one page of a contact's vouchers (GET .../vouchers). See ``iter_contact_vouchers``.

        Args:
            program_id: loyalty program (UUID).
            contact_id: contact, >= 1.
            limit: page size, 1 to 100.
            offset: number of vouchers to skip, >= 0.
            sort: ``asc`` or ``desc`` (server default: desc).
            sort_field: ``updatedAt`` or ``createdAt`` (server default: updatedAt).
            metadata_value: only vouchers whose metadata holds this value.
            reward_id: only vouchers of this reward.
            timeout, max_retries, extra_headers: per-call overrides of the client's settings.

        Returns:
            ``ContactVouchers`` with ``contact_rewards`` and ``count``.

        Raises:
            ValueError, TypeError: an argument is invalid (no request is sent).
            APIStatusError subclasses, APIConnectionError, APITimeoutError, ResponseParseError.
        """
        call = _calls.list_contact_vouchers(
            program_id=program_id,
            contact_id=contact_id,
            limit=limit,
            offset=offset,
            sort=sort,
            sort_field=sort_field,
            metadata_value=metadata_value,
            reward_id=reward_id,
        )
        return self._run(call, timeout, max_retries, extra_headers)

    # -- pagination and flows -------------------------------------------------------------------

    def iter_rewards(
        self,
        *,
        program_id: UUID | str,
        page_size: int = _calls.MAX_PAGE_SIZE,
        state: str | None = None,
        version: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Iterator[RewardPageItem]:
        """Iterate over every reward of the program, fetching pages lazily (limit/offset).

        Arguments are checked now; pages are fetched as the iterator advances, one at a time. The
        other arguments are those of ``list_rewards``.
        """
        _check_page_size(page_size)
        _calls.list_rewards(
            program_id=program_id, limit=page_size, offset=0, state=state, version=version
        )

        def fetch(offset: int) -> RewardPage:
            return self.list_rewards(
                program_id=program_id,
                limit=page_size,
                offset=offset,
                state=state,
                version=version,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )

        return _pagination.iterate(fetch, _reward_page, page_size)

    def iter_contact_vouchers(
        self,
        *,
        program_id: UUID | str,
        contact_id: int,
        page_size: int = _calls.MAX_PAGE_SIZE,
        sort: str | None = None,
        sort_field: str | None = None,
        metadata_value: str | None = None,
        reward_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Iterator[ContactVoucher]:
        """Iterate over every voucher of a contact, fetching pages lazily (limit/offset).

        Arguments are checked now; pages are fetched as the iterator advances, one at a time. The
        other arguments are those of ``list_contact_vouchers``.
        """
        options: dict[str, Any] = {
            "program_id": program_id,
            "contact_id": contact_id,
            "sort": sort,
            "sort_field": sort_field,
            "metadata_value": metadata_value,
            "reward_id": reward_id,
        }
        _check_page_size(page_size)
        _calls.list_contact_vouchers(limit=page_size, offset=0, **options)

        def fetch(offset: int) -> ContactVouchers:
            return self.list_contact_vouchers(
                limit=page_size,
                offset=offset,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
                **options,
            )

        return _pagination.iterate(fetch, _voucher_page, page_size)

    def redeem(
        self,
        *,
        program_id: UUID | str,
        contact_id: int | None = None,
        loyalty_subscription_id: str | None = None,
        attributed_reward_id: UUID | str | None = None,
        code: str | None = None,
        reward_id: str | None = None,
        ttl: int | None = None,
        meta: Mapping[str, Any] | None = None,
        order: Order | Mapping[str, Any] | None = None,
        before_complete: Callable[[RedeemTransaction], bool | None] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RedeemTransaction:
        """Redeem a voucher in one call: create the redeem request, then complete it.

        ``before_complete(pending)`` runs between the two steps: return ``False`` to stop
        (``RedeemAborted`` is raised, carrying the pending transaction, which expires after its
        ttl); anything else continues. The other arguments are those of ``create_redeem_request``.

        Returns:
            The completed ``RedeemTransaction``.

        Raises:
            RedeemAborted: ``before_complete`` returned False.
            the exceptions of ``create_redeem_request`` and ``complete_redeem_request``.
        """
        _check_before_complete(before_complete)
        pending = self.create_redeem_request(
            program_id=program_id,
            contact_id=contact_id,
            loyalty_subscription_id=loyalty_subscription_id,
            attributed_reward_id=attributed_reward_id,
            code=code,
            reward_id=reward_id,
            ttl=ttl,
            meta=meta,
            order=order,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
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
            program_id=program_id,
            transaction_id=_transaction_id(pending),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )


class AsyncRewards(BaseClient):
    """Asynchronous client of the Brevo Loyalty Reward API: the methods of ``Rewards``, awaited.

    >>> async with AsyncRewards(api_key="xkeysib-...") as client:  # doctest: +SKIP
    ...     reward = await client.get_reward(program_id=pid, reward_id=rid)

    Arguments are those of ``Rewards``, except that ``http_client`` is an ``httpx.AsyncClient``,
    ``transport`` an async transport, ``sleep`` a coroutine function, and ``bearer_token`` may be
    a callable returning an awaitable.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        partner_key: str | None = None,
        bearer_token: str | TokenProvider | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            partner_key=partner_key,
            bearer_token=bearer_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            default_headers=default_headers,
        )
        if http_client is not None and transport is not None:
            raise ValueError("give http_client or transport, not both")
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(transport=transport, timeout=self.timeout)
        self._loop_guard = LoopGuard(self._http)  # shared by with_options copies, as the pool is
        self._sleep = sleep or _asyncio_sleep

    async def aclose(self) -> None:
        """Close the connection pool (unless the httpx client was given by the caller)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _auth(self) -> AuthHeaders:
        if self._token_provider is None:
            return self._static_auth
        token = self._token_provider()
        if isinstance(token, Awaitable):
            token = await token
        return self._with_token(token)

    async def _receive(self, request: httpx.Request) -> httpx.Response:
        """Send one attempt, bounded as a whole by the attempt's time budget."""
        import asyncio  # already loaded by the running event loop

        try:
            async with asyncio.timeout(attempt_budget(request)):
                # Never follow redirects (see Rewards._receive); read the body bounded in size.
                response = await self._http.send(request, stream=True, follow_redirects=False)
                return await _body.aread(response, limit=self.max_response_bytes)
        except TimeoutError:
            raise attempt_timed_out(request) from None

    async def _send(
        self,
        call: Call[Any],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> tuple[httpx.Response, int]:
        prepared = self._prepare(call, timeout, max_retries, extra_headers)
        self._loop_guard.check()
        retries = prepared.retries
        attempt, waited = 0, 0.0
        while True:
            auth = await self._auth()
            request = self._build_request(self._http, prepared, auth)
            started = time.perf_counter()
            try:
                response = await self._receive(request)
            except httpx.HTTPError as exc:
                attempt += 1
                delay = self._retry_delay(call, attempt, retries, waited, error=exc)
                if delay is None:
                    # no context: the httpx error holds the request, whose headers hold the key
                    raise_detached(self._connection_error(exc, request))
                self._log_retry(request, attempt, retries, delay, type(exc).__name__)
            else:
                self._log_response(request, response.status_code, started)
                if response.is_success:
                    return response, attempt
                attempt += 1
                delay = self._retry_delay(call, attempt, retries, waited, response=response)
                if delay is None:
                    raise status_error(response)
                self._log_retry(request, attempt, retries, delay, f"HTTP {response.status_code}")
            await self._sleep(delay)
            waited += delay

    async def _run(
        self,
        call: Call[T],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> T:
        response, retries_taken = await self._send(call, timeout, max_retries, extra_headers)
        if self._raw:
            parser = functools.partial(self._parse, call)
            return cast(T, APIResponse(response, parser, retries_taken))
        return self._parse(call, response)

    async def get_code_count(
        self,
        *,
        program_id: UUID | str,
        code_pool_id: str,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> CodeCount:
        call = _calls.get_code_count(program_id=program_id, code_pool_id=code_pool_id)
        return await self._run(call, timeout, max_retries, extra_headers)

    async def list_rewards(
        self,
        *,
        program_id: UUID | str,
        limit: int = 25,
        offset: int = 0,
        state: str | None = None,
        version: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RewardPage:
        call = _calls.list_rewards(
            program_id=program_id, limit=limit, offset=offset, state=state, version=version
        )
        return await self._run(call, timeout, max_retries, extra_headers)

    async def create_reward(
        self,
        *,
        program_id: UUID | str,
        name: str,
        public_description: str | None = None,
        public_image: str | None = None,
        public_name: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> CreatedReward:
        call = _calls.create_reward(
            program_id=program_id,
            name=name,
            public_description=public_description,
            public_image=public_image,
            public_name=public_name,
        )
        return await self._run(call, timeout, max_retries, extra_headers)

    async def create_voucher(
        self,
        *,
        program_id: UUID | str,
        reward_id: UUID | str,
        contact_id: int | None = None,
        loyalty_subscription_id: str | None = None,
        code: str | None = None,
        expiration_date: datetime | str | None = None,
        meta: Mapping[str, Any] | None = None,
        value: float | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Voucher:
        call = _calls.create_voucher(
            program_id=program_id,
            reward_id=reward_id,
            contact_id=contact_id,
            loyalty_subscription_id=loyalty_subscription_id,
            code=code,
            expiration_date=expiration_date,
            meta=meta,
            value=value,
        )
        return await self._run(call, timeout, max_retries, extra_headers)

    async def create_redeem_request(
        self,
        *,
        program_id: UUID | str,
        contact_id: int | None = None,
        loyalty_subscription_id: str | None = None,
        attributed_reward_id: UUID | str | None = None,
        code: str | None = None,
        reward_id: str | None = None,
        ttl: int | None = None,
        meta: Mapping[str, Any] | None = None,
        order: Order | Mapping[str, Any] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RedeemTransaction:
        call = _calls.create_redeem_request(
            program_id=program_id,
            contact_id=contact_id,
            loyalty_subscription_id=loyalty_subscription_id,
            attributed_reward_id=attributed_reward_id,
            code=code,
            reward_id=reward_id,
            ttl=ttl,
            meta=meta,
            order=order,
        )
        return await self._run(call, timeout, max_retries, extra_headers)

    async def complete_redeem_request(
        self,
        *,
        program_id: UUID | str,
        transaction_id: str,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RedeemTransaction:
        call = _calls.complete_redeem_request(program_id=program_id, transaction_id=transaction_id)
        return await self._run(call, timeout, max_retries, extra_headers)

    async def revoke_vouchers(
        self,
        *,
        program_id: UUID | str,
        attributed_reward_ids: Sequence[UUID | str],
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        call = _calls.revoke_vouchers(
            program_id=program_id, attributed_reward_ids=attributed_reward_ids
        )
        return await self._run(call, timeout, max_retries, extra_headers)

    async def get_reward(
        self,
        *,
        program_id: UUID | str,
        reward_id: UUID | str,
        version: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Reward:
        call = _calls.get_reward(program_id=program_id, reward_id=reward_id, version=version)
        return await self._run(call, timeout, max_retries, extra_headers)

    async def validate_reward(
        self,
        *,
        program_id: UUID | str,
        contact_id: int | None = None,
        loyalty_subscription_id: str | None = None,
        attributed_reward_id: UUID | str | None = None,
        code: str | None = None,
        point_of_sell_id: str | None = None,
        reward_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RewardValidation:
        call = _calls.validate_reward(
            program_id=program_id,
            contact_id=contact_id,
            loyalty_subscription_id=loyalty_subscription_id,
            attributed_reward_id=attributed_reward_id,
            code=code,
            point_of_sell_id=point_of_sell_id,
            reward_id=reward_id,
        )
        return await self._run(call, timeout, max_retries, extra_headers)

    async def list_contact_vouchers(
        self,
        *,
        program_id: UUID | str,
        contact_id: int,
        limit: int = 25,
        offset: int = 0,
        sort: str | None = None,
        sort_field: str | None = None,
        metadata_value: str | None = None,
        reward_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ContactVouchers:
        call = _calls.list_contact_vouchers(
            program_id=program_id,
            contact_id=contact_id,
            limit=limit,
            offset=offset,
            sort=sort,
            sort_field=sort_field,
            metadata_value=metadata_value,
            reward_id=reward_id,
        )
        return await self._run(call, timeout, max_retries, extra_headers)

    def iter_rewards(
        self,
        *,
        program_id: UUID | str,
        page_size: int = _calls.MAX_PAGE_SIZE,
        state: str | None = None,
        version: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncIterator[RewardPageItem]:
        _check_page_size(page_size)
        _calls.list_rewards(
            program_id=program_id, limit=page_size, offset=0, state=state, version=version
        )

        async def fetch(offset: int) -> RewardPage:
            return await self.list_rewards(
                program_id=program_id,
                limit=page_size,
                offset=offset,
                state=state,
                version=version,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
            )

        return _pagination.aiterate(fetch, _reward_page, page_size)

    def iter_contact_vouchers(
        self,
        *,
        program_id: UUID | str,
        contact_id: int,
        page_size: int = _calls.MAX_PAGE_SIZE,
        sort: str | None = None,
        sort_field: str | None = None,
        metadata_value: str | None = None,
        reward_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncIterator[ContactVoucher]:
        options: dict[str, Any] = {
            "program_id": program_id,
            "contact_id": contact_id,
            "sort": sort,
            "sort_field": sort_field,
            "metadata_value": metadata_value,
            "reward_id": reward_id,
        }
        _check_page_size(page_size)
        _calls.list_contact_vouchers(limit=page_size, offset=0, **options)

        async def fetch(offset: int) -> ContactVouchers:
            return await self.list_contact_vouchers(
                limit=page_size,
                offset=offset,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
                **options,
            )

        return _pagination.aiterate(fetch, _voucher_page, page_size)

    async def redeem(
        self,
        *,
        program_id: UUID | str,
        contact_id: int | None = None,
        loyalty_subscription_id: str | None = None,
        attributed_reward_id: UUID | str | None = None,
        code: str | None = None,
        reward_id: str | None = None,
        ttl: int | None = None,
        meta: Mapping[str, Any] | None = None,
        order: Order | Mapping[str, Any] | None = None,
        before_complete: Callable[[RedeemTransaction], bool | Awaitable[bool | None] | None]
        | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> RedeemTransaction:
        _check_before_complete(before_complete)
        pending = await self.create_redeem_request(
            program_id=program_id,
            contact_id=contact_id,
            loyalty_subscription_id=loyalty_subscription_id,
            attributed_reward_id=attributed_reward_id,
            code=code,
            reward_id=reward_id,
            ttl=ttl,
            meta=meta,
            order=order,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
        if before_complete is not None:
            verdict = before_complete(pending)
            if isinstance(verdict, Awaitable):
                verdict = await verdict
            if verdict is False:
                raise RedeemAborted(pending)
        return await self.complete_redeem_request(
            program_id=program_id,
            transaction_id=_transaction_id(pending),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )


# The async methods mirror the sync ones argument for argument: share their documentation.
for _name in (*OPERATIONS, "iter_rewards", "iter_contact_vouchers", "redeem"):
    _sync_doc = getattr(Rewards, _name).__doc__
    getattr(AsyncRewards, _name).__doc__ = f"Async version of ``Rewards.{_name}``.\n\n{_sync_doc}"
