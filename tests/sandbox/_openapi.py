"""Validate raw HTTP exchanges against spec/reward-api.yaml with openapi-core.

The adapters take plain values (method, URL, headers, body), so the same check serves live httpx
traffic and recorded cassette interactions. Whatever host a request went to, it is validated as if
sent to the spec's server (``https://api.brevo.com``); the path must start with ``/v3``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = Path(__file__).resolve().parents[2] / "spec" / "reward-api.yaml"
SPEC_HOST = "https://api.brevo.com"


@cache
def spec() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH))


class SpecRequest:
    def __init__(self, method: str, url: str, headers: Mapping[str, str], body: bytes | None):
        parts = urlsplit(url)
        self.host_url = SPEC_HOST
        self.path = parts.path
        self.method = method.lower()
        self.body = body or None
        header = Headers(list(headers.items()))
        self.content_type = header.get("content-type", "application/json")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(parts.query, keep_blank_values=True)),
            header=header,
            cookie=ImmutableMultiDict(),
        )


@dataclass
class SpecResponse:
    status_code: int
    headers: Headers
    data: bytes | None

    @property
    def content_type(self) -> str:
        return str(self.headers.get("content-type", ""))


def check_exchange(
    method: str,
    url: str,
    request_headers: Mapping[str, str],
    request_body: bytes | None,
    status: int,
    response_headers: Mapping[str, str],
    response_body: bytes | None,
    *,
    request_valid: bool | None = True,
) -> None:
    """Raise unless the response conforms, and the request does iff ``request_valid``.

    ``request_valid=None`` leaves the request unchecked (for recordings whose validity is not
    known from the outside).
    """
    request = SpecRequest(method, url, request_headers, request_body)
    response = SpecResponse(status, Headers(list(response_headers.items())), response_body or None)
    spec().validate_response(request, response)
    if request_valid is None:
        return
    if request_valid:
        spec().validate_request(request)
    else:
        try:
            spec().validate_request(request)
        except Exception:
            return
        raise AssertionError(f"{method} {url} {request_body!r} was expected to break the spec")


def check_httpx(response: httpx.Response, *, request_valid: bool = True) -> None:
    """Validate an httpx exchange (request and response) against the spec."""
    request = response.request
    check_exchange(
        request.method,
        str(request.url),
        dict(request.headers),
        request.content,
        response.status_code,
        dict(response.headers),
        response.content,
        request_valid=request_valid,
    )
