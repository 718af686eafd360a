"""The exceptions brevo-loyalty raises.

Every failure of a call ends in one of these; catch ``BrevoLoyaltyError`` for all of them::

    BrevoLoyaltyError
    ├── CredentialsError (also a ValueError)     no usable key at construction
    ├── RedeemAborted                             redeem(): before_complete said no
    ├── EventLoopMismatchError (also a RuntimeError)  an AsyncRewards used from a second loop
    └── APIError
        ├── APIConnectionError                    the request got no HTTP response
        │   └── APITimeoutError                   ... because a timeout expired
        ├── ResponseParseError                    a 2xx whose body does not match the spec
        ├── ResponseTooLargeError                 a body larger than the limit, once decoded
        ├── PaginationError                       the server's pages make no progress
        └── APIStatusError                        the server answered 4xx/5xx
            ├── BadRequestError                   400
            ├── AuthenticationError               401
            ├── PermissionDeniedError             403
            ├── NotFoundError                     404
            ├── PreconditionFailedError           412  (limits, invalid/expired/consumed code)
            ├── ExpectationFailedError            417
            ├── UnprocessableEntityError          422
            ├── FailedDependencyError             424
            ├── RateLimitError                    429
            └── InternalServerError               5xx

Invalid arguments are caught before any request and raise the built-in ``ValueError`` or
``TypeError``, naming the parameter. No exception ever carries an API key: they keep the response
status, headers and body, never the request headers, and they survive ``pickle`` and
``copy.deepcopy`` (an error raised in a worker process reaches its caller intact).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx
    from brevo_loyalty_api.models import RedeemTransaction

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BrevoLoyaltyError",
    "CredentialsError",
    "EventLoopMismatchError",
    "ExpectationFailedError",
    "FailedDependencyError",
    "InternalServerError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "RedeemAborted",
    "ResponseParseError",
    "ResponseTooLargeError",
    "UnprocessableEntityError",
]


def _rebuild(cls: type[BrevoLoyaltyError], args: tuple[Any, ...]) -> BrevoLoyaltyError:
    """Recreate an error without calling its ``__init__`` (the state follows from ``__dict__``)."""
    error = cls.__new__(cls)
    error.args = args
    return error


def _rebuild_aborted(
    cls: type[RedeemAborted], args: tuple[Any, ...], transaction: dict[str, Any]
) -> RedeemAborted:
    from brevo_loyalty_api.models import RedeemTransaction

    error = cls.__new__(cls)
    error.args = args
    error.transaction = RedeemTransaction.from_dict(transaction)
    return error


class BrevoLoyaltyError(Exception):
    """Base class of every exception raised by brevo-loyalty."""

    def __reduce__(self) -> tuple[Any, ...]:
        # BaseException pickles as ``cls(*self.args)``, which fails for every class whose
        # __init__ takes keyword-only arguments: a worker process (ProcessPoolExecutor, Celery...)
        # could then not send the error back. Rebuild from args and the instance dict instead.
        return (_rebuild, (type(self), self.args), self.__dict__)


class CredentialsError(BrevoLoyaltyError, ValueError):
    """No usable credential was given (argument or environment), or one is malformed."""


class RedeemAborted(BrevoLoyaltyError):
    """``redeem()`` created the redeem request but ``before_complete`` declined to complete it.

    The pending transaction is in ``transaction``; it expires on the server after its ttl.
    """

    def __init__(self, transaction: RedeemTransaction) -> None:
        super().__init__(f"redeem request {transaction.id!s} was not completed (aborted)")
        self.transaction = transaction

    def __reduce__(self) -> tuple[Any, ...]:
        # The transaction travels as its JSON form: the generated models' UNSET sentinel is not
        # a pickle-stable singleton, so a pickled model would come back with "unset" fields set.
        state = {k: v for k, v in self.__dict__.items() if k != "transaction"}
        return (_rebuild_aborted, (type(self), self.args, self.transaction.to_dict()), state)


class EventLoopMismatchError(BrevoLoyaltyError, RuntimeError):
    """An ``AsyncRewards`` was used from an event loop other than the one it first ran in.

    Its connection pool belongs to the first loop (e.g. a previous ``asyncio.run``); create one
    client per event loop instead.
    """


class APIError(BrevoLoyaltyError):
    """A call to the API failed. ``method`` and ``url`` say which request."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url


class APIConnectionError(APIError):
    """The request got no HTTP response (refused, reset, DNS, TLS, protocol error)."""


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired."""


class ResponseParseError(APIError):
    """A success response whose body does not match the spec. The raw body is kept in ``body``."""

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        headers: httpx.Headers,
        body: bytes,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.headers = headers
        self.body = body


class ResponseTooLargeError(APIError):
    """A response body exceeded the size limit once decoded (e.g. a decompression bomb).

    Nothing past the limit was kept; ``status_code`` and ``headers`` say what the server sent.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        headers: httpx.Headers,
        limit: int,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.headers = headers
        self.limit = limit


class PaginationError(APIError):
    """An iterator stopped because the server's pages made no progress.

    For example the same page answered for every offset: iterating on would never end.
    ``offset`` is where the repeated page was received.
    """

    def __init__(self, message: str, *, method: str, url: str, offset: int) -> None:
        super().__init__(message, method=method, url=url)
        self.offset = offset


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status.

    Attributes:
        status_code: the HTTP status.
        code: the error code from the body (``code``), when there is one.
        message: the error text from the body (``message`` or ``error``), else the reason phrase.
        body: the parsed JSON body, or the raw text when it is not JSON (``""`` when empty).
        headers: the response headers.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        code: str | None,
        body: Any,
        headers: httpx.Headers,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.code = code
        self.body = body
        self.headers = headers

    def __str__(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        return f"{self.status_code}{code} {self.message} ({self.method} {self.url})"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, code={self.code!r}, "
            f"message={self.message!r})"
        )


class BadRequestError(APIStatusError):
    """400: the request could not be parsed."""


class AuthenticationError(APIStatusError):
    """401: the key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not use this loyalty program."""


class NotFoundError(APIStatusError):
    """404: unknown program, reward, transaction, code pool or subscription."""


class PreconditionFailedError(APIStatusError):
    """412: a reward condition failed (limit exceeded; code invalid, expired or consumed)."""


class ExpectationFailedError(APIStatusError):
    """417: the redeem request cannot proceed (e.g. it expired or was already completed)."""


class UnprocessableEntityError(APIStatusError):
    """422: the input is invalid."""


class FailedDependencyError(APIStatusError):
    """424: something the operation depends on is missing (e.g. the code pool)."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``headers["retry-after"]`` may say when to come back."""


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    412: PreconditionFailedError,
    417: ExpectationFailedError,
    422: UnprocessableEntityError,
    424: FailedDependencyError,
    429: RateLimitError,
}


def status_error_classes() -> dict[int, type[APIStatusError]]:
    """The exception raised for each error status a spec declares (5xx: InternalServerError)."""
    return {**_STATUS_ERRORS, **dict.fromkeys(range(500, 600), InternalServerError)}


def status_error(response: httpx.Response) -> APIStatusError:
    """Build the typed exception for an error response, whatever its body (JSON, HTML, empty)."""
    from ._body import loads  # _body imports this module

    raw = response.content
    body: Any = ""
    code: str | None = None
    message: str | None = None
    if raw:
        try:
            body = loads(raw)
        except ValueError:  # not JSON, or nested too deeply to decode: kept as text
            body = raw.decode("utf-8", errors="replace")
    if isinstance(body, dict):
        if isinstance(body.get("code"), str | int):
            code = str(body["code"])
        for key in ("message", "error"):
            if isinstance(body.get(key), str) and body[key]:
                message = body[key]
                break
    status = response.status_code
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    return cls(
        message or response.reason_phrase or f"HTTP {status}",
        method=response.request.method,
        url=str(response.request.url),
        status_code=status,
        code=code,
        body=body,
        headers=response.headers,
    )
