"""Replay tests: scenarios recorded from the sandbox (scripts/record-cassettes), replayed offline.

By default every test replays its cassette (``record_mode=none``) against ``REPLAY_BASE_URL``;
a request that differs in method, path, query or body from the recording fails the test. The
recorder sets ``BREVO_REPLAY_URL`` (and ``BREVO_REPLAY_KEY``, and ``BREVO_REPLAY_PROGRAM_ID`` in
live mode) and passes ``--record-mode=rewrite``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from brevo_loyalty.sandbox import DEFAULT_API_KEY

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "tests" / "cassettes"
# Where the scenarios read world.json and record to; the recorder may point it elsewhere.
RECORDING_DIR = Path(os.environ.get("BREVO_REPLAY_CASSETTES", CASSETTES))
REPLAY_BASE_URL = "http://sandbox.local/v3"
SECRET_HEADERS = ["api-key", "partner-key", "authorization"]
# Volatile or machine-specific headers (the host names the recording port): dropped so that
# re-recording gives identical files.
VOLATILE_REQUEST_HEADERS = ["user-agent", "host"]
VOLATILE_RESPONSE_HEADERS = {"date", "server"}


@dataclass(frozen=True)
class Target:
    """Where a scenario runs: the recording server, or the cassette (replay)."""

    base_url: str
    api_key: str
    program_id: str
    world: dict[str, Any]
    live: bool

    def need(self, name: str) -> Any:
        """The seeded resource ``name`` from world.json (live recording skips what it lacks)."""
        if self.live:
            pytest.skip(f"{name} only exists in the seeded sandbox")
        return self.world[name]


def _world() -> dict[str, Any]:
    world: dict[str, Any] = json.loads((RECORDING_DIR / "world.json").read_text(encoding="utf-8"))
    return world


@pytest.fixture(autouse=True)
def _announce_scenario(request: pytest.FixtureRequest) -> None:
    """While recording, tell the recorder which scenario runs (it restarts the world for each)."""
    scenario_file = os.environ.get("BREVO_REPLAY_SCENARIO_FILE")
    if scenario_file:
        Path(scenario_file).write_text(request.node.name, encoding="utf-8")


@pytest.fixture(scope="session")
def target() -> Target:
    world = _world()
    recording_url = os.environ.get("BREVO_REPLAY_URL")
    live_program = os.environ.get("BREVO_REPLAY_PROGRAM_ID")
    return Target(
        base_url=recording_url or REPLAY_BASE_URL,
        api_key=os.environ.get("BREVO_REPLAY_KEY", DEFAULT_API_KEY),
        program_id=live_program or world["program_id"],
        world=world,
        live=live_program is not None,
    )


def _normalized(text: str) -> str:
    """Rewrite the recording server (and a live program id) to what replays use."""
    recording_url = os.environ.get("BREVO_REPLAY_URL")
    if recording_url:
        text = text.replace(recording_url, REPLAY_BASE_URL)
    live_program = os.environ.get("BREVO_REPLAY_PROGRAM_ID")
    if live_program:
        text = text.replace(live_program, _world()["program_id"])
    return text


def _before_record_request(request: Any) -> Any:
    request.uri = _normalized(request.uri)
    return request


def _before_record_response(response: dict[str, Any]) -> dict[str, Any]:
    # The reason phrase a server sends depends on the Python that runs it (3.13 calls 422
    # "Unprocessable Content"): store httpx's fixed phrase, so recordings are the same everywhere.
    status = response["status"]
    status["message"] = httpx.codes.get_reason_phrase(status["code"])
    response["headers"] = {
        name: value
        for name, value in response["headers"].items()
        if name.lower() not in VOLATILE_RESPONSE_HEADERS
    }
    body = response.get("body", {}).get("string")
    if isinstance(body, bytes) and os.environ.get("BREVO_REPLAY_PROGRAM_ID"):
        response["body"]["string"] = _normalized(body.decode("utf-8")).encode("utf-8")
    return response


@pytest.fixture
def vcr_config(record_mode: str) -> dict[str, Any]:
    """Replay only, unless the recorder asked for ``--record-mode=rewrite``."""
    return {
        "record_mode": record_mode,
        "match_on": ["method", "path", "query", "body"],
        "filter_headers": SECRET_HEADERS + VOLATILE_REQUEST_HEADERS,
        "before_record_request": _before_record_request,
        "before_record_response": _before_record_response,
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(RECORDING_DIR)
