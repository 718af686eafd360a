"""Where credentials come from, and how they are held so that nothing prints them.

- **Explicit wins, entirely.** When any credential is passed (``api_key``, ``partner_key`` or
  ``bearer_token``), the environment is not read at all: a caller who chose a bearer token does not
  also send ``$BREVO_API_KEY`` (the server may then answer for another account). Only a client
  given no credential at all falls back to ``$BREVO_API_KEY`` and ``$BREVO_PARTNER_KEY``.
- **Held opaquely.** The auth headers live in an ``AuthHeaders`` object whose ``repr`` names the
  schemes, never the values, and which is not a ``Mapping``: a traceback printed with its locals
  (``pytest --showlocals``, rich, Sentry) shows ``<AuthHeaders api-key>``, not the key.
- **Detached errors.** ``raise_detached`` raises an error with no ``__context__``: an httpx error
  keeps the request, whose headers hold the key, and ``raise ... from None`` only hides the
  context from the default traceback printer while keeping it reachable.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import NoReturn

__all__ = ["ENV_API_KEY", "ENV_PARTNER_KEY", "AuthHeaders", "from_environment", "raise_detached"]

ENV_API_KEY = "BREVO_API_KEY"
ENV_PARTNER_KEY = "BREVO_PARTNER_KEY"


def from_environment(
    api_key: str | None, partner_key: str | None, bearer_token: object
) -> tuple[str | None, str | None]:
    """The ``(api_key, partner_key)`` to use: the arguments, or the environment's if none was given.

    An empty environment variable counts as unset.
    """
    if api_key is not None or partner_key is not None or bearer_token is not None:
        return api_key, partner_key
    return os.environ.get(ENV_API_KEY) or None, os.environ.get(ENV_PARTNER_KEY) or None


class AuthHeaders:
    """Authentication headers whose values never appear in a ``repr`` or ``str``."""

    __slots__ = ("_pairs",)

    def __init__(self, headers: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        self._pairs: tuple[tuple[str, str], ...] = tuple(pairs)

    def pairs(self) -> list[tuple[str, str]]:
        """The headers as ``(name, value)`` pairs, for ``httpx.Headers.update``."""
        return list(self._pairs)

    def names(self) -> list[str]:
        """The header names (safe to show)."""
        return [name for name, _ in self._pairs]

    def with_header(self, name: str, value: str) -> AuthHeaders:
        """A copy with ``name`` set to ``value`` (replacing it, case-insensitively)."""
        kept = [(n, v) for n, v in self._pairs if n.lower() != name.lower()]
        return AuthHeaders([*kept, (name, value)])

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in (n.lower() for n in self.names())

    def __len__(self) -> int:
        return len(self._pairs)

    def __repr__(self) -> str:
        return f"<AuthHeaders {' '.join(self.names()) or '(none)'}>"

    def __reduce__(self) -> NoReturn:
        # A credential must not travel by accident (pickled into a task queue, a cache...).
        raise TypeError("AuthHeaders (credentials) cannot be pickled")


def raise_detached(error: BaseException) -> NoReturn:
    """Raise ``error`` with no ``__context__``, even from inside an ``except`` block.

    Python sets ``__context__`` when the ``raise`` runs; clearing it as the error leaves this
    frame removes the handled exception (and whatever it references) from the chain for good.
    """
    try:
        raise error
    finally:
        error.__context__ = None
        error.__cause__ = None
        error.__suppress_context__ = True
