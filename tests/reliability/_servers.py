"""Loopback HTTP/1.1 servers on raw sockets that misbehave on purpose.

Raw sockets rather than http.server so that a test controls every byte: a response can stop
mid-body, a connection can be reset, or held open without an answer. Every loop is bounded (accept
polls a stop flag; reads have a timeout) and ``close()`` joins every thread.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

IO_TIMEOUT = 5.0
JOIN_TIMEOUT = 5.0
MAX_HEADER_BYTES = 1024 * 1024


@dataclass
class Request:
    """One request as received on the wire."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    raw_head: bytes

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)


@dataclass
class Connection:
    """One accepted connection, handed to the server's handler."""

    sock: socket.socket
    server: RawServer
    buffer: bytes = b""

    def read_request(self) -> Request | None:
        """Read one request (head and Content-Length body); None if the client went away."""
        while b"\r\n\r\n" not in self.buffer:
            if len(self.buffer) > MAX_HEADER_BYTES:
                return None
            chunk = self._recv()
            if not chunk:
                return None
            self.buffer += chunk
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = self._recv()
            if not chunk:
                return None
            rest += chunk
        self.buffer = rest[length:]
        request = Request(method, target, headers, rest[:length], head)
        self.server.record(request)
        return request

    def _recv(self) -> bytes:
        try:
            return self.sock.recv(65536)
        except OSError:
            return b""

    def send(self, data: bytes) -> None:
        """Send raw bytes (errors ignored: the client may already have given up)."""
        with contextlib.suppress(OSError):
            self.sock.sendall(data)

    def respond(
        self,
        status: int,
        body: bytes | str | Any = b"",
        *,
        reason: str = "X",
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
        keep_alive: bool = False,
    ) -> None:
        """Send a complete response; non-bytes bodies are JSON-encoded, str sent as UTF-8."""
        if isinstance(body, str):
            payload = body.encode()
        elif isinstance(body, bytes):
            payload = body
        else:
            payload = json.dumps(body).encode()
        head = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(payload)}"]
        if payload:
            head.append(f"Content-Type: {content_type}")
        head.extend(f"{name}: {value}" for name, value in (headers or {}).items())
        if not keep_alive:
            # One request per connection keeps the per-attempt accounting exact.
            head.append("Connection: close")
        self.send(("\r\n".join(head) + "\r\n\r\n").encode() + payload)

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0), as a crashed peer would."""
        with contextlib.suppress(OSError):
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def hang(self) -> None:
        """Keep the connection open without answering until the server is closed."""
        self.server.stopping.wait(JOIN_TIMEOUT * 2)


Handler = Callable[[Connection], None]


@dataclass
class RawServer:
    """A threaded TCP server on 127.0.0.1 running ``handler`` once per accepted connection."""

    handler: Handler
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    connections: int = 0
    errors: list[BaseException] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port), backlog=128)
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._socks: list[socket.socket] = []
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    @property
    def base_url(self) -> str:
        """The API root to give the client."""
        return f"http://127.0.0.1:{self.port}/v3"

    def record(self, request: Request) -> None:
        """Count a request that reached the server."""
        with self._lock:
            self.requests.append(request)

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(IO_TIMEOUT)
            with self._lock:
                self.connections += 1
                self._socks.append(sock)
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            self.handler(Connection(sock, self))
        except Exception as exc:  # surfaced by close(): a broken handler must fail the test
            self.errors.append(exc)
        finally:
            with contextlib.suppress(OSError):
                sock.close()

    def close(self) -> None:
        """Stop accepting, drop every connection and join every thread."""
        self.stopping.set()
        self._acceptor.join(JOIN_TIMEOUT)
        self._listener.close()
        with self._lock:
            socks = list(self._socks)
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(JOIN_TIMEOUT)
        alive = [t for t in [self._acceptor, *self._threads] if t.is_alive()]
        assert not alive, f"server threads still running: {alive}"
        assert not self.errors, f"server handler failed: {self.errors!r}"


def free_port() -> int:
    """A loopback port with nothing listening on it (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
