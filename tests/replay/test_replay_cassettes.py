"""The cassettes themselves: complete, secret-free, spec-conformant, and strict on replay."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest
import vcr
import yaml
from brevo_loyalty.sandbox import DEFAULT_API_KEY, DEFAULT_PARTNER_KEY
from vcr.errors import CannotOverwriteExistingCassetteException

from tests.sandbox._openapi import check_exchange

from .conftest import CASSETTES, REPLAY_BASE_URL, SECRET_HEADERS

CASSETTE_FILES = sorted(CASSETTES.glob("*.yaml"))
# Statuses with which the sandbox answers requests that may break the spec (bad JSON, bad
# parameters, no credentials): only those requests are exempt from request validation.
INVALID_INPUT_STATUSES = {400, 401, 422}
ROUTE_WORDS = {"offers", "rewards", "attribute", "redeem", "complete", "revoke", "validate"}
ROUTE_WORDS |= {"vouchers", "code-pools", "codes-count"}


def _interactions(path: Path) -> list[dict[str, Any]]:
    interactions: list[dict[str, Any]] = yaml.safe_load(path.read_text())["interactions"]
    return interactions


def _flat(headers: dict[str, list[str]]) -> dict[str, str]:
    return {name: values[0] for name, values in headers.items()}


def test_every_scenario_has_a_cassette() -> None:
    names = {path.stem for path in CASSETTE_FILES}
    tests = {
        name
        for module in Path(__file__).parent.glob("test_replay_*.py")
        for name in _test_names(module)
        if name.startswith(("test_overlay_", "test_generated_"))
    }
    assert tests
    assert tests == names


def _test_names(module: Path) -> list[str]:
    return [
        line.split("(")[0].removeprefix("def ")
        for line in module.read_text().splitlines()
        if line.startswith("def test_")
    ]


def test_no_secret_in_any_cassette() -> None:
    secrets = [DEFAULT_API_KEY, DEFAULT_PARTNER_KEY]
    if os.environ.get("BREVO_API_KEY"):
        secrets.append(os.environ["BREVO_API_KEY"])
    for path in CASSETTE_FILES:
        text = path.read_text()
        assert not any(secret in text for secret in secrets), path.name
        for interaction in _interactions(path):
            sent = {name.lower() for name in interaction["request"]["headers"]}
            assert not sent & set(SECRET_HEADERS), path.name


def test_cassettes_cover_every_operation_and_status() -> None:
    statuses = set()
    routes = set()
    for path in CASSETTE_FILES:
        for interaction in _interactions(path):
            request = interaction["request"]
            assert request["uri"].startswith(REPLAY_BASE_URL + "/")
            statuses.add(interaction["response"]["status"]["code"])
            segments = request["uri"].split("?")[0].split("/")[8:]
            template = "/".join(s if s in ROUTE_WORDS else "{id}" for s in segments)
            routes.add(f"{request['method']} {template}")
    assert statuses == {200, 204, 400, 401, 403, 404, 412, 417, 422, 424, 500}
    assert routes == {
        "GET code-pools/{id}/codes-count",
        "GET offers",
        "POST offers",
        "POST rewards/attribute",
        "POST rewards/redeem",
        "POST rewards/redeem/{id}/complete",
        "DELETE rewards/revoke",
        "GET rewards/{id}",
        "POST rewards/validate",
        "GET vouchers",
    }


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.stem)
def test_every_interaction_conforms_to_the_spec(path: Path) -> None:
    for interaction in _interactions(path):
        request, response = interaction["request"], interaction["response"]
        headers = _flat(request["headers"])
        # The credentials were filtered out on purpose; the spec requires one to be present.
        headers.setdefault("api-key", "redacted")
        body = request["body"]
        status = response["status"]["code"]
        check_exchange(
            request["method"],
            request["uri"],
            headers,
            body.encode() if isinstance(body, str) else body,
            status,
            _flat(response["headers"]),
            response["body"]["string"].encode(),
            request_valid=None if status in INVALID_INPUT_STATUSES else True,
        )


def test_replay_refuses_a_request_that_was_not_recorded() -> None:
    cassette = CASSETTES / "test_overlay_iter_rewards_pages.yaml"
    recorded = _interactions(cassette)[0]["request"]["uri"]
    strict = vcr.VCR(record_mode="none", match_on=["method", "path", "query", "body"])
    with strict.use_cassette(str(cassette)), httpx.Client() as client:
        assert client.get(recorded).status_code == 200
        with pytest.raises(CannotOverwriteExistingCassetteException):
            client.get(recorded.replace("limit=100", "limit=99"))
