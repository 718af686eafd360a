"""Serve a sandbox over real HTTP on the loopback interface, from a background thread.

The server treats every request as hostile and always answers in the API's JSON error shape
(``{"code", "message"}``) rather than dropping the connection or hanging:

- ``Content-Length`` must be a plain decimal number (``abc``, ``-1``, ``+5``, two different values:
  400); a body above ``MAX_BODY_BYTES`` is refused with 413 before it is read.
- ``Transfer-Encoding: chunked`` bodies are decoded (bounded by the same limit), so their framing
  is never read as a second request; any other transfer coding, or both headers at once (the
  request-smuggling shape), is refused with 400.
- A JSON body nested too deeply for Python's decoder is refused with 400 before the app sees it.
- Every method reaches the app, which answers one it does not route (``TRACE``, ``OPTIONS``,
  ``CONNECT``, anything else) with a JSON 405 whose ``Allow`` lists the path's methods; errors found
  by ``http.server`` itself (bad request line, headers too long...) get JSON bodies too, not its
  HTML page.

After a refused request whose body was not read, the connection is closed (``Connection: close``):
what follows on it cannot be told apart from the unread body.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ._app import BASE_PATH
from ._sandbox import Sandbox

__all__ = ["MAX_BODY_BYTES", "RunningServer", "serve"]

# The API's largest request (a redeem request with its order and metadata) is a few KiB.
MAX_BODY_BYTES = 1024 * 1024
_DIGITS = re.compile(r"[0-9]{1,20}")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(;[^\r\n]*)?\r?\n")
_MAX_LINE = 8192


class _Refused(Exception):
    """A request the server answers itself, with ``status`` and a JSON error body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class _Server(ThreadingHTTPServer):
    sandbox: Sandbox


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, so clients reuse their connections
    timeout = 30  # an idle keep-alive connection frees its thread after this many seconds
    # Headers and body go out in separate writes: with Nagle's algorithm on, the body waits for
    # the client's delayed ACK (~40 ms per request on a keep-alive connection).
    disable_nagle_algorithm = True

    # -- framing ------------------------------------------------------------------------------

    def _content_length(self) -> int | None:
        values = self.headers.get_all("content-length") or []
        if not values:
            return None
        # "5, 5" folded into one header or repeated headers: all must be the same plain number.
        parts = {part.strip() for value in values for part in value.split(",")}
        if len(parts) != 1 or not _DIGITS.fullmatch(next(iter(parts))):
            raise _Refused(400, "bad_request", "Content-Length must be one decimal number")
        length = int(next(iter(parts)))
        if length > MAX_BODY_BYTES:
            raise _Refused(
                413, "payload_too_large", f"the body may be at most {MAX_BODY_BYTES} bytes"
            )
        return length

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            line = self.rfile.readline(_MAX_LINE + 1)
            match = _CHUNK_SIZE.fullmatch(line)
            if match is None:
                raise _Refused(400, "bad_request", "malformed chunked body")
            size = int(match.group(1), 16)
            if size == 0:
                break
            if len(body) + size > MAX_BODY_BYTES:
                raise _Refused(
                    413, "payload_too_large", f"the body may be at most {MAX_BODY_BYTES} bytes"
                )
            chunk = self.rfile.read(size)
            if len(chunk) != size or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                raise _Refused(400, "bad_request", "malformed chunked body")
            body += chunk
        for _ in range(100):  # trailer fields, ignored, up to the empty line
            line = self.rfile.readline(_MAX_LINE + 1)
            if line in (b"\r\n", b"\n", b""):
                return bytes(body)
            if len(line) > _MAX_LINE:
                break
        raise _Refused(400, "bad_request", "malformed chunked trailer")

    def _read_body(self) -> bytes:
        encodings = self.headers.get_all("transfer-encoding") or []
        length = self._content_length()
        if encodings:
            if length is not None:
                raise _Refused(
                    400, "bad_request", "Content-Length and Transfer-Encoding are exclusive"
                )
            codings = [c.strip().lower() for value in encodings for c in value.split(",")]
            if codings != ["chunked"]:
                raise _Refused(400, "bad_request", "only Transfer-Encoding: chunked is supported")
            return self._read_chunked()
        if not length:
            return b""
        body = self.rfile.read(length)
        if len(body) != length:
            raise _Refused(400, "bad_request", "the body is shorter than its Content-Length")
        return body

    # -- answering ----------------------------------------------------------------------------

    def _reply(
        self, status: int, body: bytes, headers: tuple[tuple[str, str], ...] | list[tuple[str, str]]
    ) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("connection", "close")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, refusal: _Refused, *extra: tuple[str, str]) -> None:
        # The rest of the connection cannot be trusted to start at a request boundary.
        self.close_connection = True
        body = json.dumps({"code": refusal.code, "message": refusal.message}).encode()
        self._reply(refusal.status, body, [("content-type", "application/json"), *extra])

    def _answer(self) -> None:
        try:
            body = self._read_body()
            _check_nesting(body)
        except _Refused as refusal:
            self._refuse(refusal)
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            reply = self.server.sandbox.handle(self.command, self.path, headers, body)
        except Exception:  # the app answers its own bugs with 500; this is the last resort
            self._refuse(_Refused(500, "internal_error", "internal server error"))
            return
        self._reply(reply.status, reply.body, reply.headers)

    def __getattr__(self, name: str) -> Any:
        # http.server dispatches a request to `do_<METHOD>` and answers a missing one with an HTML
        # 501. Every method goes to the app instead, which answers an unsupported one with a JSON
        # 405 whose Allow lists the path's own methods (or 404 for an unknown path).
        if name.startswith("do_"):
            return self._answer
        raise AttributeError(name)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found by ``http.server`` itself, answered as JSON instead of its HTML page."""
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "error"
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # an unparseable request line: answer as 1.1
            self.request_version = "HTTP/1.1"
        body = json.dumps({"code": phrase.lower().replace(" ", "_"), "message": message or phrase})
        self.send_response(code, message)
        self.send_header("content-type", "application/json")
        self.send_header("connection", "close")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: tests and the demo own stdout/stderr."""


def _check_nesting(body: bytes) -> None:
    """Refuse a JSON body too deeply nested to decode (any other body is the app's business).

    Whatever its Content-Type: the app decodes any body as JSON.
    """
    if not body:
        return
    try:
        json.loads(body)
    except RecursionError:
        raise _Refused(400, "bad_request", "the JSON body is nested too deeply") from None
    except ValueError:
        return  # not JSON: the app answers that in its own words


@dataclass(frozen=True)
class RunningServer:
    """A sandbox being served: where to reach it."""

    sandbox: Sandbox
    host: str
    port: int

    @property
    def base_url(self) -> str:
        """The API base URL, e.g. ``http://127.0.0.1:8080/v3``."""
        return f"http://{self.host}:{self.port}{BASE_PATH}"


@contextmanager
def serve(sandbox: Sandbox, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[RunningServer]:
    """Serve ``sandbox`` on ``host:port`` (0 picks a free port) for the ``with`` block."""
    server = _Server((host, port), _Handler)
    server.sandbox = sandbox
    thread = threading.Thread(target=server.serve_forever, name="brevo-sandbox", daemon=True)
    thread.start()
    try:
        yield RunningServer(sandbox, host, server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
