"""Loopback HTTP/1.1 server for the benchmarks: canned Reward API bodies, keep-alive, TCP_NODELAY.

It runs in its own process (``python bench/server.py``; it prints the port it bound on its first
stdout line) so that serving never competes with the measured client for the GIL. It is a bare
asyncio protocol rather than ``http.server``: every body except voucher pages is rendered once at
start-up, so a response costs one dict lookup and one ``write``.

Routes (under ``/v3/loyalty/offer/programs/{pid}``):

* ``GET .../rewards/{rid}`` -> ``spec/sources/seed-reward-example.json`` (the deep recursive rule);
* ``GET .../offers`` -> a page of ``--page-items`` reward summaries (1000 by default; the query is
  ignored so every client gets the same body);
* ``GET .../vouchers?contactId=N&limit=L&offset=O`` -> contact ``N`` holds exactly ``N`` vouchers;
  the page is rendered on demand from the offset, so memory stays flat however large ``N`` is.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import sys
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
SEED_REWARD = ROOT / "spec" / "sources" / "seed-reward-example.json"
PREFIX = "/v3/loyalty/offer/programs/"

_VOUCHER = (
    '{{"code":"CODE-{i:08d}","consumedAt":"","createdAt":"2024-01-15T09:30:00.000Z",'
    '"expirationDate":"2025-01-15T09:30:00.000Z","id":"0b6e3b1e-0000-4000-8000-{i:012d}",'
    '"meta":{{"channel":"bench"}},"rewardId":"7d6a1c0e-5f6b-4e38-9d8e-2b9c0f1a2b3c",'
    '"unit":"points","updatedAt":"2024-01-16T10:00:00.000Z","value":5.0}}'
)


def reward_page(items: int) -> bytes:
    """A RewardPage body with ``items`` summaries, each with four RFC 3339 timestamps."""
    rows = [
        {
            "createdAt": "2024-01-15T09:30:00Z",
            "endDate": "2025-12-31T23:59:59Z",
            "id": f"7d6a1c0e-5f6b-4e38-9d8e-{i:012d}",
            "loyaltyProgramId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "name": f"Reward {i}",
            "publicImage": f"https://img.example.com/{i}.png",
            "startDate": "2024-02-01T00:00:00Z",
            "state": "active",
            "updatedAt": "2024-03-01T12:00:00Z",
        }
        for i in range(items)
    ]
    return json.dumps({"items": rows, "totalCount": items}, separators=(",", ":")).encode()


def voucher_page(contact_id: int, limit: int, offset: int) -> bytes:
    """One ContactVouchers page of the ``contact_id`` vouchers that contact holds."""
    stop = min(contact_id, offset + limit)
    rewards = ",".join([_VOUCHER.format(i=i) for i in range(offset, stop)])
    return (
        f'{{"contactId":{contact_id},"contactRewards":[{rewards}],"count":{contact_id},'
        f'"loyaltyProgramId":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}}'
    ).encode()


def _response(status: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode("ascii") + body


class Routes:
    """Pre-rendered responses, keyed by the route's last path segment kind."""

    def __init__(self, page_items: int) -> None:
        seed = json.loads(SEED_REWARD.read_bytes())
        self.reward = _response("200 OK", json.dumps(seed, separators=(",", ":")).encode())
        self.offers = _response("200 OK", reward_page(page_items))
        self.not_found = _response("404 Not Found", b'{"code":"not_found","message":"no route"}')

    def answer(self, target: str) -> bytes:
        """The full response for request target ``target`` (path and query)."""
        path, _, query = target.partition("?")
        if not path.startswith(PREFIX):
            return self.not_found
        parts = path[len(PREFIX) :].split("/")
        if len(parts) == 2 and parts[1] == "offers":
            return self.offers
        if len(parts) == 3 and parts[1] == "rewards":
            return self.reward
        if len(parts) == 2 and parts[1] == "vouchers":
            q = parse_qs(query)
            page = voucher_page(
                int(q.get("contactId", ["0"])[0]),
                int(q.get("limit", ["25"])[0]),
                int(q.get("offset", ["0"])[0]),
            )
            return _response("200 OK", page)
        return self.not_found


class HttpProtocol(asyncio.Protocol):
    """Minimal HTTP/1.1: pipelining-safe, keep-alive, skips any request body by Content-Length."""

    def __init__(self, routes: Routes) -> None:
        self.routes = routes
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        out: list[bytes] = []
        close = False
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = self.buffer[:end].decode("latin-1")
            lines = head.split("\r\n")
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                lname = name.strip().lower()
                if lname == "content-length":
                    length = int(value.strip())
                elif lname == "connection" and value.strip().lower() == "close":
                    close = True
            if len(self.buffer) < end + 4 + length:
                break
            self.buffer = self.buffer[end + 4 + length :]
            _method, target, _version = lines[0].split(" ", 2)
            out.append(self.routes.answer(target))
        if out and self.transport is not None:
            self.transport.write(b"".join(out))
            if close:
                self.transport.close()


async def serve(port: int, page_items: int) -> None:
    """Serve forever on 127.0.0.1:``port``; print the bound port once listening."""
    routes = Routes(page_items)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: HttpProtocol(routes), "127.0.0.1", port, backlog=2048, reuse_address=True
    )
    bound = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"{bound}\n")
    sys.stdout.flush()
    async with server:
        await server.serve_forever()


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--page-items", type=int, default=1000)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.page_items))


if __name__ == "__main__":
    main()
