"""What the sync and async clients share that is not I/O.

Configuration, credentials, request building, the retry decision, response parsing and logging.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, NamedTuple, Self, TypeVar, cast

import httpx

from . import _validation as check
from ._body import DEFAULT_MAX_RESPONSE_BYTES, JSONNestingError, loads
from ._credentials import (
    ENV_API_KEY,
    ENV_PARTNER_KEY,
    AuthHeaders,
    from_environment,
    raise_detached,
)
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    CredentialsError,
    ResponseParseError,
    status_error,
)
from ._operation import EncodedRequest, Operation
from ._response import APIResponse
from ._retry import RetryPolicy
from ._version import __version__

T = TypeVar("T")

logger = logging.getLogger("brevo_loyalty")

DEFAULT_BASE_URL = "https://api.brevo.com/v3"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
ENV_BASE_URL = "BREVO_BASE_URL"
USER_AGENT = (
    f"brevo-loyalty/{__version__} python/{'.'.join(map(str, sys.version_info[:3]))} "
    f"httpx/{httpx.__version__}"
)

TokenProvider = Callable[[], "str | Awaitable[str]"]


class Prepared(NamedTuple):
    """A call's request, encoded once, and its checked per-call options."""

    operation: Operation[Any]
    request: EncodedRequest
    extra_headers: dict[str, str]
    timeout: httpx.Timeout
    retries: int


class NotGiven:
    """Sentinel for "use the client's default" in per-call options (``None`` means "no timeout")."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
TimeoutTypes = float | httpx.Timeout | None


MAX_TIMEOUT = 24 * 3600.0  # a larger value is a unit mistake, not a timeout


def _as_timeout(name: str, value: TimeoutTypes) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        return httpx.Timeout(None)
    seconds = check.number(name, value)
    if not 0 < seconds <= MAX_TIMEOUT:
        raise ValueError(f"{name} must be > 0 and <= {MAX_TIMEOUT:.0f} seconds, got {value!r}")
    return httpx.Timeout(seconds)


def attempt_budget(request: httpx.Request) -> float | None:
    """The longest one attempt may take, from sending to the last body byte: the read timeout.

    httpx's timeouts bound each network operation; a server dripping a byte at a time would keep
    an attempt alive forever without this overall bound.
    """
    timeouts = request.extensions.get("timeout") or {}
    budget = timeouts.get("read")
    return float(budget) if isinstance(budget, int | float) else None


def attempt_timed_out(request: httpx.Request) -> httpx.ReadTimeout:
    """The error for an attempt that ran past its budget (handled like any read timeout)."""
    return httpx.ReadTimeout("the response took longer than the timeout", request=request)


def _checked_base_url(value: object) -> str:
    return check.base_url("base_url", value)


def _checked_policy(value: object) -> RetryPolicy:
    if not isinstance(value, RetryPolicy):
        raise TypeError(f"retry_policy must be a RetryPolicy, got {type(value).__name__}")
    return value


def _merged_headers(headers: httpx.Headers, extra: Mapping[str, str] | None) -> httpx.Headers:
    """``headers`` (mutated) with ``extra`` checked and added, replacing case-insensitively."""
    if extra is not None and not isinstance(extra, Mapping):
        raise TypeError("default_headers must be a mapping of header names to values")
    for name, value in (extra or {}).items():
        headers[check.header_name("default_headers key", name)] = check.header_value(
            f"default_headers[{name!r}]", value
        )
    return headers


class BaseClient:
    """Shared state and logic of ``Rewards`` and ``AsyncRewards``."""

    def __init__(
        self,
        *,
        api_key: str | None,
        partner_key: str | None,
        bearer_token: str | TokenProvider | None,
        base_url: str | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int,
        retry_policy: RetryPolicy | None,
        default_headers: Mapping[str, str] | None,
    ) -> None:
        # The environment is read only when no credential at all is given (see _credentials).
        api_key, partner_key = from_environment(api_key, partner_key, bearer_token)
        if api_key is None and partner_key is None and bearer_token is None:
            raise CredentialsError(
                "no credentials: pass api_key=, partner_key= or bearer_token=, "
                f"or set {ENV_API_KEY} (or {ENV_PARTNER_KEY})"
            )
        self._static_auth = AuthHeaders()
        try:
            if api_key is not None:
                checked = check.header_value("api_key", api_key)
                self._static_auth = self._static_auth.with_header("api-key", checked)
            if partner_key is not None:
                checked = check.header_value("partner_key", partner_key)
                self._static_auth = self._static_auth.with_header("partner-key", checked)
            if isinstance(bearer_token, str):
                checked = check.header_value("bearer_token", bearer_token)
                self._static_auth = self._static_auth.with_header(
                    "Authorization", f"Bearer {checked}"
                )
        except (TypeError, ValueError) as exc:
            raise CredentialsError(str(exc)) from None
        if not (bearer_token is None or isinstance(bearer_token, str) or callable(bearer_token)):
            raise CredentialsError("bearer_token must be a str or a callable returning one")
        self._token_provider = None if isinstance(bearer_token, str) else bearer_token
        self._auth_kind = "+".join(
            name
            for name, present in (
                ("api-key", api_key is not None),
                ("partner-key", partner_key is not None),
                ("bearer", bearer_token is not None),
            )
            if present
        )
        if base_url is None and os.environ.get(ENV_BASE_URL):
            try:
                base_url = _checked_base_url(os.environ[ENV_BASE_URL])
            except ValueError as exc:
                raise ValueError(f"${ENV_BASE_URL}: {exc}") from None
        self.base_url = _checked_base_url(base_url if base_url is not None else DEFAULT_BASE_URL)
        self.timeout = (
            DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else _as_timeout("timeout", timeout)
        )
        self.max_retries = check.integer("max_retries", max_retries, minimum=0)
        self.retry_policy = _checked_policy(retry_policy or RetryPolicy())
        self._headers = _merged_headers(
            httpx.Headers({"User-Agent": USER_AGENT, "Accept": "application/json"}),
            default_headers,
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={self.base_url!r} auth={self._auth_kind}>"

    # Set by the subclasses; a copy made by with_options never owns the pool it shares.
    _owns_http = False

    # The largest response body read, once decoded (a decompression bomb stops there with
    # ResponseTooLargeError). A class attribute: set it on a subclass or an instance to change it.
    max_response_bytes = DEFAULT_MAX_RESPONSE_BYTES

    def with_options(
        self,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A client with some settings changed, sharing this one's credentials and connection pool.

        >>> fast = client.with_options(timeout=2.0, max_retries=0)  # doctest: +SKIP

        Args:
            base_url: another API root.
            timeout: seconds (or an ``httpx.Timeout``) per attempt; ``None`` for no timeout.
            max_retries: retries of a failed attempt, where safe.
            retry_policy: backoff settings.
            default_headers: headers added to (or replacing) this client's default headers.

        Settings not given are this client's. Credentials are not among them: a client for other
        credentials is a new client. Closing the copy leaves the pool open; closing this client
        closes it for both.

        Raises:
            ValueError, TypeError: an invalid setting, named, before anything is changed.
        """
        import copy  # only needed here; keeps `import brevo_loyalty` cheap

        clone = copy.copy(self)
        if base_url is not None:
            clone.base_url = _checked_base_url(base_url)
        if not isinstance(timeout, NotGiven):
            clone.timeout = _as_timeout("timeout", timeout)
        if max_retries is not None:
            clone.max_retries = check.integer("max_retries", max_retries, minimum=0)
        if retry_policy is not None:
            clone.retry_policy = _checked_policy(retry_policy)
        clone._headers = _merged_headers(httpx.Headers(self._headers), default_headers)
        clone._auth_headers = None
        clone._owns_http = False
        return clone

    # -- request building -------------------------------------------------------------------

    def _prepare(
        self,
        operation: Operation[Any],
        values: tuple[object, ...],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> Prepared:
        """Check the per-call options and encode the request, once for all attempts."""
        if extra_headers is not None and not isinstance(extra_headers, Mapping):
            raise TypeError("extra_headers must be a mapping of header names to values")
        extra = {
            check.header_name("extra_headers key", name): check.header_value(
                f"extra_headers[{name!r}]", value
            )
            for name, value in (extra_headers or {}).items()
        }
        retries = (
            self.max_retries
            if max_retries is None
            else check.integer("max_retries", max_retries, minimum=0)
        )
        effective = (
            self.timeout if isinstance(timeout, NotGiven) else _as_timeout("timeout", timeout)
        )
        # Method, path, query and JSON body, checked and encoded as the spec describes them.
        encoded = operation.encode(values)
        check.url_length(self.base_url + encoded.path, encoded.query, names=operation.python_names)
        return Prepared(operation, encoded, extra, effective, retries)

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        prepared: Prepared,
        auth: AuthHeaders,
    ) -> httpx.Request:
        """One attempt's request (auth is fetched per attempt: a token may have been refreshed)."""
        encoded = prepared.request
        headers = self._headers_with(auth)
        if prepared.extra_headers:
            # httpx.Headers merges case-insensitively: an override replaces, never duplicates.
            headers = httpx.Headers(headers)
            headers.update(prepared.extra_headers)
        return http.build_request(
            encoded.method,
            self.base_url + encoded.path,
            params=encoded.query or None,  # an empty mapping would cost httpx a second URL parse
            json=encoded.body,
            headers=headers,
            timeout=prepared.timeout,
        )

    _auth_headers: tuple[AuthHeaders, httpx.Headers] | None = None

    def _headers_with(self, auth: AuthHeaders) -> httpx.Headers:
        """The default headers plus ``auth``, merged once per credential (httpx copies them)."""
        cached = self._auth_headers
        if cached is not None and cached[0] is auth:
            return cached[1]
        headers = httpx.Headers(self._headers)
        headers.update(auth.pairs())
        self._auth_headers = (auth, headers)
        return headers

    def _with_token(self, token: object) -> AuthHeaders:
        """The auth headers with a bearer token fresh from the token provider."""
        if not isinstance(token, str):
            raise TypeError("bearer_token callable must return a str")
        token = check.header_value("bearer_token", token)
        return self._static_auth.with_header("Authorization", f"Bearer {token}")

    def _raw_copy(self) -> Self:
        """A copy whose calls return an ``APIResponse`` (same settings and pool)."""
        raw = self.with_options()
        raw._raw = True
        return raw

    _raw = False

    # -- retry decision ---------------------------------------------------------------------

    def _retry_delay(
        self,
        operation: Operation[Any],
        attempt: int,
        retries: int,
        waited: float,
        *,
        error: httpx.HTTPError | None = None,
        response: httpx.Response | None = None,
    ) -> float | None:
        """Seconds to sleep before another attempt, or None when the failure is final."""
        if attempt > retries:
            return None
        policy = self.retry_policy
        if error is not None:
            if not policy.may_retry_error(error, idempotent=operation.idempotent):
                return None
        elif response is None or not policy.may_retry_status(
            response.status_code, idempotent=operation.idempotent
        ):
            return None
        delay = policy.delay(attempt, response)
        if delay is None or waited + delay > policy.total_budget:
            return None
        return delay

    def _done(self, request: httpx.Request, response: httpx.Response, started: float) -> bool:
        """Log an attempt's answer; True when it is a success (the call is over)."""
        self._log_response(request, response.status_code, started)
        return response.is_success

    def _retry_after_error(
        self,
        prepared: Prepared,
        error: httpx.HTTPError,
        request: httpx.Request,
        attempt: int,
        waited: float,
    ) -> float:
        """The wait before retrying an attempt that got no response; raises when it is final."""
        delay = self._retry_delay(
            prepared.operation, attempt, prepared.retries, waited, error=error
        )
        if delay is None:
            # no context: the httpx error holds the request, whose headers hold the key
            raise_detached(self._connection_error(error, request))
        self._log_retry(request, attempt, prepared.retries, delay, type(error).__name__)
        return delay

    def _retry_after_status(
        self,
        prepared: Prepared,
        response: httpx.Response,
        request: httpx.Request,
        attempt: int,
        waited: float,
    ) -> float:
        """The wait before retrying an error status; raises the typed error when it is final."""
        delay = self._retry_delay(
            prepared.operation, attempt, prepared.retries, waited, response=response
        )
        if delay is None:
            raise status_error(response)
        reason = f"HTTP {response.status_code}"
        self._log_retry(request, attempt, prepared.retries, delay, reason)
        return delay

    def _log_retry(
        self, request: httpx.Request, attempt: int, retries: int, delay: float, reason: str
    ) -> None:
        logger.info(
            "retrying %s %s in %.2fs after %s (retry %d of %d)",
            request.method,
            request.url.path,
            delay,
            reason,
            attempt,
            retries,
        )

    def _log_response(self, request: httpx.Request, status: int, started: float) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return  # every attempt passes here: skip building the arguments
        logger.debug(
            "%s %s -> %d in %.1f ms",
            request.method,
            request.url.path,
            status,
            (time.perf_counter() - started) * 1000,
        )

    # -- results ------------------------------------------------------------------------------

    def _connection_error(self, exc: httpx.HTTPError, request: httpx.Request) -> APIConnectionError:
        cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        what = "timed out" if cls is APITimeoutError else "connection failed"
        return cls(
            f"{request.method} {request.url.path} {what}: {type(exc).__name__}: {exc}",
            method=request.method,
            url=str(request.url),
        )

    def _result(self, operation: Operation[T], response: httpx.Response, retries_taken: int) -> T:
        """The call's result: the parsed model, or (``with_raw_response``) an ``APIResponse``."""
        if self._raw:
            parser = functools.partial(self._parse, operation)
            return cast(T, APIResponse(response, parser, retries_taken))
        return self._parse(operation, response)

    def _parse(self, operation: Operation[T], response: httpx.Response) -> T:
        """The typed model of a success response; ResponseParseError if the body doesn't fit."""
        if response.status_code >= 400:
            raise status_error(response)
        if operation.result is None:
            # The spec lets the operation answer without content (revoke: 204, or a 200 whose
            # body carries no information): the call returns nothing.
            return None  # type: ignore[return-value]
        model = operation.result.resolve()
        # Every success status of an operation carries the same schema, so the body goes straight
        # to the generated model (one JSON decode, no status dispatch).
        try:
            data = loads(response.content)
        except JSONNestingError as exc:
            raise self._parse_error(response, str(exc)) from None
        except ValueError as exc:
            raise self._parse_error(response, f"the body is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise self._parse_error(
                response, f"expected a {model.__name__} object, got {type(data).__name__}"
            )
        try:
            parsed: T = model.from_dict(data)  # type: ignore[attr-defined]
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise self._parse_error(response, f"{type(exc).__name__}: {exc}") from exc
        except RecursionError:
            # A document the decoder could still read but the models nest too deeply to build.
            raise self._parse_error(response, "the body is nested too deeply") from None
        return parsed

    def _parse_error(self, response: httpx.Response, reason: str) -> ResponseParseError:
        request = response.request
        return ResponseParseError(
            f"{request.method} {request.url.path}: the {response.status_code} response does not "
            f"match the spec ({reason})",
            method=request.method,
            url=str(request.url),
            status_code=response.status_code,
            headers=response.headers,
            body=response.content,
        )
