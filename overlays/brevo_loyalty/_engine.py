"""The I/O half of the clients: connection pools, the send loop with retries, pagination.

``SyncEngine`` and ``AsyncEngine`` run any :class:`~brevo_loyalty._operation.Operation`; they know
no operation by name. The generated ``RewardsOperations`` / ``AsyncRewardsOperations`` (one method
per spec operation) subclass them, and ``Rewards`` / ``AsyncRewards`` subclass those. Everything
that is not I/O (settings, credentials, request building, the retry decision, parsing) is shared
in ``BaseClient``; the two engines differ only where one blocks and the other awaits.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from types import TracebackType
from typing import Any, ParamSpec, Self, TypeVar, cast

import httpx

from . import _body, _deadline, _pagination
from . import _validation as check
from ._base_client import (
    DEFAULT_MAX_RETRIES,
    NOT_GIVEN,
    BaseClient,
    NotGiven,
    Prepared,
    TimeoutTypes,
    TokenProvider,
    attempt_budget,
    attempt_timed_out,
)
from ._credentials import AuthHeaders
from ._loop import LoopGuard
from ._operation import Operation
from ._response import APIResponse
from ._retry import RetryPolicy

__all__ = [
    "NOT_GIVEN",
    "AsyncEngine",
    "NotGiven",
    "SyncEngine",
    "TimeoutTypes",
    "async_raw_response",
    "raw_response",
]

T = TypeVar("T")
P = ParamSpec("P")


def raw_response(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Type a raw-response client's bound method: same parameters, an ``APIResponse`` back."""
    return cast("Callable[P, APIResponse[T]]", method)


def async_raw_response(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[APIResponse[T]]]:
    """Type a raw-response async client's bound method: same parameters, an ``APIResponse``."""
    return cast("Callable[P, Awaitable[APIResponse[T]]]", method)


def _page_reader(operation: Operation[Any]) -> Callable[[Any], tuple[list[Any], int | None]]:
    paging = operation.pagination
    assert paging is not None  # only paged operations are iterated (the generator ensures it)

    def read(page: Any) -> tuple[list[Any], int | None]:
        items = getattr(page, paging.items, None)
        total = getattr(page, paging.total, None)
        return (
            items if isinstance(items, list) else [],
            total if isinstance(total, int) else None,
        )

    return read


def _page_values(
    operation: Operation[Any], values: tuple[object, ...], page_size: object
) -> Callable[[int], tuple[object, ...]]:
    """The call values of each page, checked once now (a bad argument fails before iterating)."""
    paging = operation.pagination
    assert paging is not None
    check.integer("page_size", page_size, minimum=1, maximum=paging.max_page_size)
    limit, offset = operation.position(paging.limit), operation.position(paging.offset)

    def at(position: int) -> tuple[object, ...]:
        page = list(values)
        page[limit], page[offset] = page_size, position
        return tuple(page)

    operation.encode(at(0))
    return at


async def _asyncio_sleep(seconds: float) -> None:
    # asyncio is imported here, not at module level: it costs more to import than httpx itself.
    import asyncio

    await asyncio.sleep(seconds)


class SyncEngine(BaseClient):
    """Blocking I/O for ``Rewards``: an ``httpx.Client``, the send loop, page iteration."""

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
        # The attempt deadline bounds every socket operation, status line and headers included.
        # On a pool of our own every connection is opened after this, so then the deadline holds
        # for the whole body too and the body reader need not check it between chunks.
        wrapped = _deadline.install(self._http)
        self._sockets_bounded = self._owns_http and wrapped > 0
        self._sleep = sleep

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
            return _body.read(
                response,
                limit=self.max_response_bytes,
                deadline=None if self._sockets_bounded else deadline,
            )

    def _send(self, prepared: Prepared) -> tuple[httpx.Response, int]:
        """Send until a success, a final failure, or the retries run out."""
        attempt, waited = 0, 0.0
        while True:
            request = self._build_request(self._http, prepared, self._auth())
            started = time.perf_counter()
            try:
                response = self._receive(request)
            except httpx.HTTPError as exc:
                attempt += 1
                delay = self._retry_after_error(prepared, exc, request, attempt, waited)
            else:
                if self._done(request, response, started):
                    return response, attempt
                attempt += 1
                delay = self._retry_after_status(prepared, response, request, attempt, waited)
            self._sleep(delay)
            waited += delay

    def _request(
        self,
        operation: Operation[T],
        values: tuple[object, ...],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> T:
        """Check, send and parse one call of ``operation``."""
        prepared = self._prepare(operation, values, timeout, max_retries, extra_headers)
        response, retries_taken = self._send(prepared)
        return self._result(operation, response, retries_taken)

    def _paginate(
        self,
        operation: Operation[Any],
        values: tuple[object, ...],
        page_size: int,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> Iterator[Any]:
        """Iterate over every item of a paged operation (arguments checked now, pages later)."""
        at = _page_values(operation, values, page_size)

        def fetch(offset: int) -> Any:
            return self._request(operation, at(offset), timeout, max_retries, extra_headers)

        return _pagination.iterate(fetch, _page_reader(operation), page_size)


class AsyncEngine(BaseClient):
    """Non-blocking I/O for ``AsyncRewards``: an ``httpx.AsyncClient``, the send loop, pages."""

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
                # Never follow redirects (see SyncEngine._receive); read the body bounded in size.
                response = await self._http.send(request, stream=True, follow_redirects=False)
                return await _body.aread(response, limit=self.max_response_bytes)
        except TimeoutError:
            raise attempt_timed_out(request) from None

    async def _send(self, prepared: Prepared) -> tuple[httpx.Response, int]:
        """Send until a success, a final failure, or the retries run out."""
        self._loop_guard.check()
        attempt, waited = 0, 0.0
        while True:
            request = self._build_request(self._http, prepared, await self._auth())
            started = time.perf_counter()
            try:
                response = await self._receive(request)
            except httpx.HTTPError as exc:
                attempt += 1
                delay = self._retry_after_error(prepared, exc, request, attempt, waited)
            else:
                if self._done(request, response, started):
                    return response, attempt
                attempt += 1
                delay = self._retry_after_status(prepared, response, request, attempt, waited)
            await self._sleep(delay)
            waited += delay

    async def _request(
        self,
        operation: Operation[T],
        values: tuple[object, ...],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> T:
        """Check, send and parse one call of ``operation``."""
        prepared = self._prepare(operation, values, timeout, max_retries, extra_headers)
        response, retries_taken = await self._send(prepared)
        return self._result(operation, response, retries_taken)

    def _paginate(
        self,
        operation: Operation[Any],
        values: tuple[object, ...],
        page_size: int,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> AsyncIterator[Any]:
        """Iterate over every item of a paged operation (arguments checked now, pages later)."""
        at = _page_values(operation, values, page_size)

        async def fetch(offset: int) -> Any:
            return await self._request(operation, at(offset), timeout, max_retries, extra_headers)

        return _pagination.aiterate(fetch, _page_reader(operation), page_size)
