"""A scripted HTTP/1.0 server on 127.0.0.1 (real sockets) and helpers to drive both clients.

``LoopbackServer`` answers each request with the first matching route, else the next queued
``Reply``, else a 599 that names the unexpected request; every request is recorded as it arrived
on the wire (method, raw path and query, headers, body).
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx
from brevo_loyalty import AsyncRewards, Rewards

T = TypeVar("T")
Kind = Literal["sync", "async"]
KINDS: tuple[Kind, ...] = ("sync", "async")

API_KEY = "xkeysib-overlay-test-SECRET-0123456789"
PID = "6b3a1c1e-2f4d-4a5b-9c8d-7e6f5a4b3c2d"
RID = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
ATTR1 = "11111111-2222-4333-8444-555555555555"
ATTR2 = "66666666-7777-4888-9999-aaaaaaaaaaaa"
PROGRAM = f"/v3/loyalty/offer/programs/{PID}"
# Arguments of the simplest call (get_code_count), for tests about the transport, not the operation.
COUNT: dict[str, Any] = {"program_id": PID, "code_pool_id": "pool"}


@dataclass(frozen=True)
class Reply:
    """One scripted response. ``delay`` waits (interruptibly) before answering."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        return cls(
            status,
            json.dumps(data).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )


@dataclass(frozen=True)
class Recorded:
    """A request as the server received it."""

    method: str
    target: str  # raw path + query, exactly as on the request line
    headers: httpx.Headers
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        """The URL-decoded query."""
        return parse_qs(urlsplit(self.target).query, keep_blank_values=True)

    @property
    def flat_query(self) -> dict[str, str]:
        query = self.query
        assert all(len(values) == 1 for values in query.values()), query
        return {name: values[0] for name, values in query.items()}

    def json(self) -> Any:
        return json.loads(self.body)


Responder = Reply | Callable[[Recorded], Reply]


class _HTTPServer(ThreadingHTTPServer):
    owner: LoopbackServer
    daemon_threads = False  # so that server_close() joins every handler thread

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected in some tests; keep stderr quiet.
        pass


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        recorded = Recorded(
            method=self.command,
            target=self.path,
            headers=httpx.Headers(list(self.headers.items())),
            body=body,
        )
        owner = self.server.owner
        reply = owner._record(recorded)
        if reply.delay and owner._stopping.wait(reply.delay):
            return
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.status not in (204, 304):
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.status not in (204, 304):
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LoopbackServer:
    """A real HTTP server on 127.0.0.1:<ephemeral port>, answering from a script."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._queue: deque[Reply] = deque()
        self._routes: list[tuple[str, re.Pattern[str], Responder]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        port: int = self._httpd.server_address[1]
        return port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v3"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()  # joins the handler threads
        self._thread.join(timeout=5)
        assert not self._thread.is_alive()

    def enqueue(self, *replies: Reply) -> None:
        """Answer the next requests (that no route matches) with these replies, in order."""
        with self._lock:
            self._queue.extend(replies)

    def route(self, method: str, path_pattern: str, responder: Responder) -> None:
        """Answer every ``method`` request whose path fully matches ``path_pattern``."""
        with self._lock:
            self._routes.append((method.upper(), re.compile(path_pattern), responder))

    @property
    def count(self) -> int:
        return len(self.requests)

    def _record(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            for method, pattern, responder in self._routes:
                if method == request.method and pattern.fullmatch(request.path):
                    return responder(request) if callable(responder) else responder
            if self._queue:
                return self._queue.popleft()
        return Reply(
            599, f"loopback: no scripted reply for {request.method} {request.target}".encode()
        )


@contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port with a bound but not listening socket: connecting is refused at once."""
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


# -- sleeps -------------------------------------------------------------------------------------


def recording_sleep(delays: list[float]) -> Callable[[float], None]:
    def sleep(delay: float) -> None:
        delays.append(delay)

    return sleep


def recording_async_sleep(delays: list[float]) -> Callable[[float], Awaitable[None]]:
    async def sleep(delay: float) -> None:
        delays.append(delay)

    return sleep


def _unexpected_sleep(delay: float) -> None:
    raise AssertionError(f"unexpected retry sleep({delay})")


async def _unexpected_async_sleep(delay: float) -> None:
    raise AssertionError(f"unexpected retry sleep({delay})")


# -- driving either client ------------------------------------------------------------------------


def run_async(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(factory())


def client_options(
    kind: Kind, base_url: str, sleeps: list[float] | None, options: Mapping[str, Any]
) -> dict[str, Any]:
    """Constructor arguments: the test key, the base URL and a sleep that never really sleeps."""
    result: dict[str, Any] = {"base_url": base_url}
    if not {"api_key", "partner_key", "bearer_token"} & set(options):
        result["api_key"] = API_KEY
    if sleeps is None:
        result["sleep"] = _unexpected_sleep if kind == "sync" else _unexpected_async_sleep
    else:
        result["sleep"] = (
            recording_sleep(sleeps) if kind == "sync" else recording_async_sleep(sleeps)
        )
    if "http_client" not in options and "transport" not in options:
        # Plain-http loopback needs no certificates: skipping the CA bundle load keeps each client
        # construction ~0.1 s cheaper. The client still builds and owns its httpx client.
        result["transport"] = fast_transport(kind)
    result.update(options)
    return result


def fast_transport(kind: Kind) -> httpx.HTTPTransport | httpx.AsyncHTTPTransport:
    if kind == "sync":
        return httpx.HTTPTransport(verify=False)
    return httpx.AsyncHTTPTransport(verify=False)


def call(
    kind: Kind,
    base_url: str,
    operation: str,
    arguments: Mapping[str, Any],
    *,
    sleeps: list[float] | None = None,
    raw: bool = False,
    **options: Any,
) -> Any:
    """Build a client of ``kind``, call ``operation(**arguments)`` once, close the client."""
    kwargs = client_options(kind, base_url, sleeps, options)
    if kind == "sync":
        with Rewards(**kwargs) as client:
            target = client.with_raw_response if raw else client
            return getattr(target, operation)(**arguments)

    async def main() -> Any:
        async with AsyncRewards(**kwargs) as client:
            target = client.with_raw_response if raw else client
            return await getattr(target, operation)(**arguments)

    return run_async(main)
