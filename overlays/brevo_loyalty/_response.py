"""``APIResponse``: the raw HTTP response of a call, with the parsed model one ``parse()`` away."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx

from ._body import loads

T = TypeVar("T")

__all__ = ["APIResponse"]


class APIResponse(Generic[T]):
    """What ``client.with_raw_response.<method>(...)`` returns.

    Attributes:
        status_code: the HTTP status of the final attempt.
        headers: the response headers.
        content: the raw body bytes.
        http_response: the underlying ``httpx.Response``.
        retries_taken: how many retries the call needed before this response.
    """

    def __init__(
        self, response: httpx.Response, parser: Callable[[httpx.Response], T], retries_taken: int
    ) -> None:
        self.http_response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.content = response.content
        self.retries_taken = retries_taken
        self._parser = parser
        self._parsed: list[T] = []

    def parse(self) -> T:
        """The typed model, exactly as the plain method would have returned it (cached)."""
        if not self._parsed:
            self._parsed.append(self._parser(self.http_response))
        return self._parsed[0]

    def json(self) -> Any:
        """The body decoded as JSON, without the model."""
        return loads(self.http_response.content)

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<APIResponse [{self.status_code}] {request.method} {request.url}>"
