"""The public :class:`Sandbox`: the in-memory world plus the ways to reach it over HTTP."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._app import App, Reply
from ._clock import Clock
from ._state import World, failure
from ._transport import AsyncSandboxTransport, SandboxTransport

DEFAULT_API_KEY = "xkeysib-sandbox-0000000000000000"
"""The ``api-key`` a sandbox accepts unless told otherwise."""

DEFAULT_PARTNER_KEY = "partner-sandbox-0000000000000000"
"""The ``partner-key`` a sandbox accepts unless told otherwise."""


class Sandbox(World):
    """A stateful, in-memory stand-in for Brevo's Loyalty Reward API.

    Requests need an ``api-key`` in ``api_keys``, a ``partner-key`` in ``partner_keys`` or an
    ``Authorization: Bearer`` token in ``bearer_tokens``. ``seed`` and ``clock`` (a
    :class:`ManualClock`) make ids, codes and timestamps reproducible. The seeding helpers
    (:meth:`create_program`, :meth:`add_code_pool`, :meth:`add_subscription`,
    :meth:`configure_reward`) create what the ten operations cannot.
    """

    def __init__(
        self,
        *,
        seed: int | str | None = None,
        clock: Clock | None = None,
        api_keys: Iterable[str] = (DEFAULT_API_KEY,),
        partner_keys: Iterable[str] = (DEFAULT_PARTNER_KEY,),
        bearer_tokens: Iterable[str] = (),
    ) -> None:
        super().__init__(seed=seed, clock=clock)
        self._app = App(
            self, frozenset(api_keys), frozenset(partner_keys), frozenset(bearer_tokens)
        )

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one raw HTTP request (``target`` = path and query; header names lower-case)."""
        return self._app.handle(method, target, headers, body)

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        message: str = "injected failure",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Fail the next ``count`` requests with ``status`` (for testing retries).

        The error body is the usual ``{code, message}``; ``headers`` (e.g. ``Retry-After``) are
        added to the response. Statuses the spec does not declare, such as 429 or 503, make
        responses the spec does not describe: use them only to exercise client resilience.
        """
        if count < 1:
            raise ValueError("fail_next needs count >= 1")
        self._app.fail_next(count, failure(status, message), (headers or {}).items())

    def transport(self) -> SandboxTransport:
        """Return an ``httpx.BaseTransport`` answering from this sandbox (any host, ``/v3``)."""
        return SandboxTransport(self.handle)

    def async_transport(self) -> AsyncSandboxTransport:
        """Return an ``httpx.AsyncBaseTransport`` answering from this sandbox."""
        return AsyncSandboxTransport(self.handle)
