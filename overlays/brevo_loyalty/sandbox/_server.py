"""Serve a sandbox over real HTTP on the loopback interface, from a background thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ._app import BASE_PATH
from ._sandbox import Sandbox


class _Server(ThreadingHTTPServer):
    sandbox: Sandbox


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, so clients reuse their connections
    timeout = 30  # an idle keep-alive connection frees its thread after this many seconds
    # Headers and body go out in separate writes: with Nagle's algorithm on, the body waits for
    # the client's delayed ACK (~40 ms per request on a keep-alive connection).
    disable_nagle_algorithm = True

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.server.sandbox.handle(self.command, self.path, headers, body)
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("content-length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = _answer

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: tests and the demo own stdout/stderr."""


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
