"""brevo-loyalty: a typed, fault-safe client for Brevo's Loyalty Reward API.

    >>> from brevo_loyalty import Rewards
    >>> client = Rewards(api_key="xkeysib-...")  # or set BREVO_API_KEY

The models returned are the generated ones (``brevo_loyalty_api.models``), re-exported lazily
here; ``brevo_loyalty.sandbox`` is an in-memory Reward API for tests and demos.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._client import AsyncRewards, Rewards
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


def __getattr__(name: str) -> Any:
    # The generated models are imported on first use: `import brevo_loyalty` stays cheap.
    if name == "models":
        return importlib.import_module("brevo_loyalty_api.models")
    raise AttributeError(f"module 'brevo_loyalty' has no attribute {name!r}")
