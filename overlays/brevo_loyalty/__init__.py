"""brevo-loyalty: a typed, fault-safe client for Brevo's Loyalty Reward API.

    >>> from brevo_loyalty import Rewards
    >>> client = Rewards(api_key="xkeysib-...")  # or set BREVO_API_KEY

The models returned are in ``brevo_loyalty.models`` (imported on first use);
``brevo_loyalty.sandbox`` is an in-memory Reward API for tests and demos.
``DefaultAioHttpClient`` (with ``pip install 'brevo-loyalty[aiohttp]'``) is an aiohttp backend
for ``AsyncRewards``: ``AsyncRewards(http_client=DefaultAioHttpClient())``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BrevoLoyaltyError,
    CredentialsError,
    EventLoopMismatchError,
    ExpectationFailedError,
    FailedDependencyError,
    InternalServerError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    RedeemAborted,
    ResponseParseError,
    ResponseTooLargeError,
    UnprocessableEntityError,
)
from ._response import APIResponse
from ._retry import RetryPolicy
from ._version import __version__

if TYPE_CHECKING:
    from ._aiohttp import DefaultAioHttpClient as DefaultAioHttpClient
    from ._client import AsyncRewards, Rewards

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncRewards",
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
    "RetryPolicy",
    "Rewards",
    "UnprocessableEntityError",
    "__version__",
    "models",
]


if TYPE_CHECKING:
    # Type checkers see the real module; at run time it is imported on first use (below).
    from . import models as models


def __getattr__(name: str) -> Any:
    # The clients are imported on first use: their operation methods are generated into
    # brevo_loyalty_api._surface, which itself builds on this package's engine, so importing them
    # here eagerly would be circular when the surface is imported first.
    if name in ("Rewards", "AsyncRewards"):
        return getattr(importlib.import_module("brevo_loyalty._client"), name)
    # The models are imported on first use: `import brevo_loyalty` stays cheap.
    if name == "models":
        return importlib.import_module(".models", __name__)
    if name == "DefaultAioHttpClient":
        # Optional: it needs aiohttp, which only the `aiohttp` extra installs.
        try:
            from ._aiohttp import DefaultAioHttpClient
        except ImportError as exc:
            raise ImportError(
                "DefaultAioHttpClient needs the aiohttp extra: pip install 'brevo-loyalty[aiohttp]'"
            ) from exc
        return DefaultAioHttpClient
    raise AttributeError(f"module 'brevo_loyalty' has no attribute {name!r}")
