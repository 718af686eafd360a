"""The credential never shows up in logs, errors, reprs or cassettes.

Every operation runs, successfully and through the error paths (401, a 503 storm with retries,
connection refused, a read timeout, an unparseable body), with DEBUG logging on for every logger
(brevo_loyalty, httpx, httpcore), for each kind of credential and both clients.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from brevo_loyalty import APIStatusError, AsyncRewards, Rewards

from ._calls import OPERATIONS, run_call, valid_body
from ._servers import Connection, RawServer, free_port

SECRET = "xkeysib-reliability-0123456789abcdef-TOPSECRET"
CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
AUTH_HEADERS = {"api-key", "partner-key", "authorization"}
KEY_PATTERN = re.compile(r"x(?:keysib|smtpsib)-[0-9a-f]{20,}")


def _scenario(status: int, body: bytes) -> Callable[[Connection], None]:
    def handler(conn: Connection) -> None:
        request = conn.read_request()
        if request is None:
            return
        # The server sees the key (it must be sent), which proves the check below is not vacuous.
        assert SECRET in request.raw_head.decode("latin-1")
        conn.respond(status, body)

    return handler


def _hang(conn: Connection) -> None:
    if conn.read_request() is not None:
        conn.hang()


def _texts_of(error: BaseException | None) -> list[str]:
    if error is None:
        return []
    return [
        str(error),
        repr(error),
        "".join(traceback.format_exception(error)),
        # Everything the exception keeps (headers, body, url...), not only what str() shows.
        repr({k: v for k, v in vars(error).items()}),
    ]


@pytest.mark.parametrize("credential", ["api_key", "partner_key", "bearer_token"])
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_secret_never_leaks(
    kind: str,
    credential: str,
    serve: Callable[..., RawServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: httpx and httpcore included
    for name in ("brevo_loyalty", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    options: dict[str, Any] = {credential: SECRET, "api_key": None}
    if credential == "api_key":
        options = {"api_key": SECRET}
    options["max_retries"] = 1
    texts: list[str] = []
    servers = {
        "ok": serve(_scenario(200, json.dumps(valid_body()).encode())),
        "401": serve(_scenario(401, b'{"code": "unauthorized", "message": "Key not found"}')),
        "503": serve(_scenario(503, b"<html>down</html>")),
        "garbage": serve(_scenario(200, b"{not json")),
        "hang": serve(_hang),
    }
    urls = {name: server.base_url for name, server in servers.items()}
    urls["refused"] = f"http://127.0.0.1:{free_port()}/v3"
    failed: dict[str, list[str]] = {name: [] for name in urls}
    for name, url in urls.items():
        # Only the silent server needs a short timeout; a loaded CI machine must not turn a slow
        # but successful answer into a timeout elsewhere.
        timeout = 0.05 if name == "hang" else 10.0
        for operation in OPERATIONS:
            outcome = run_call(kind, url, operation, client_options={**options, "timeout": timeout})
            if outcome.error is not None:
                failed[name].append(operation)
            texts += _texts_of(outcome.error)
            texts.append(repr(outcome.result))
    for cls in (Rewards, AsyncRewards):
        client = cls(**options, base_url=urls["ok"])
        texts += [repr(client), str(client)]
    records = caplog.records
    texts += [caplog.text]
    texts += [record.getMessage() + repr(record.args) for record in records]

    # Every error scenario failed for every operation (revoke alone ignores a 200 body).
    everything = sorted(OPERATIONS)
    assert {name: sorted(ops) for name, ops in failed.items()} == {
        "ok": [],
        "401": everything,
        "503": everything,
        "garbage": [op for op in everything if op != "revoke_vouchers"],
        "hang": everything,
        "refused": everything,
    }
    assert any(r.name.startswith(("httpx", "httpcore")) for r in records)
    assert any(r.name == "brevo_loyalty" for r in records)
    leaks = [text for text in texts if SECRET in text]
    assert leaks == []


def test_cassettes_hold_no_credentials() -> None:
    files = sorted(CASSETTES.rglob("*.yaml")) if CASSETTES.is_dir() else []
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not KEY_PATTERN.search(text), path
        assert SECRET not in text
        for interaction in (yaml.safe_load(text) or {}).get("interactions", []):
            headers = {h.lower() for h in interaction["request"].get("headers", {})}
            assert not headers & AUTH_HEADERS, (path, headers & AUTH_HEADERS)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("operation", ["get_reward", "create_voucher"])
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_redirect_elsewhere_is_never_followed(
    kind: str, operation: str, status: int, serve: Callable[..., RawServer]
) -> None:
    # Following a redirect would resend the key to whatever host the Location names.
    def answer(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.respond(200, valid_body(id="stolen"))

    elsewhere = serve(answer)

    def redirect(conn: Connection) -> None:
        if conn.read_request() is not None:
            conn.respond(status, b"", headers={"Location": f"{elsewhere.base_url}/steal"})

    origin = serve(redirect)
    outcome = run_call(kind, origin.base_url, operation, client_options={"api_key": SECRET})
    assert isinstance(outcome.error, APIStatusError), outcome.error
    assert outcome.error.status_code == status
    assert len(origin.requests) == 1
    assert elsewhere.requests == []
