"""Issue 12 cases fixed by the spec-driven sandbox and the spec itself (issue 10's files).

These tests describe behaviour owned by ``sandbox/_app.py`` and ``spec/reward-api.yaml``, which
were being rewritten when issue 12 was done: they are expected to fail until that work (and the
YAML given in the issue 12 report) is merged, and are not skipped so that the gap stays visible.

- valid 19-digit int64 query values are accepted (not 422);
- an int64 ``ttl`` the sandbox cannot turn into a date is answered 4xx (not 500);
- every authentication header the client can send is declared by a security scheme of the spec.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from brevo_loyalty import Rewards
from brevo_loyalty.sandbox import Sandbox

INT64_MAX = 2**63 - 1
SPEC = Path(__file__).resolve().parents[2] / "spec" / "reward-api.yaml"


def _reward(http: httpx.Client, sandbox: Sandbox, program_id: str) -> str:
    reward_id: str = http.post("offers", json={"name": "Reward"}).json()["id"]
    sandbox.configure_reward(program_id, reward_id)
    return reward_id


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("offers", {"offset": INT64_MAX}),
        ("offers", {"offset": 10**18}),
        ("vouchers", {"contactId": INT64_MAX}),
        ("vouchers", {"contactId": 42, "offset": INT64_MAX}),
    ],
)
def test_a_valid_19_digit_int64_query_value_is_accepted(
    http: httpx.Client, path: str, params: dict[str, int]
) -> None:
    response = http.get(path, params=params)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("path", "params"),
    [("offers", {"offset": INT64_MAX + 1}), ("vouchers", {"contactId": 2**64})],
)
def test_a_query_value_beyond_int64_is_a_4xx(
    http: httpx.Client, path: str, params: dict[str, int]
) -> None:
    response = http.get(path, params=params)
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize("ttl", [10**12, INT64_MAX])
def test_a_huge_ttl_is_answered_without_a_500(
    http: httpx.Client, sandbox: Sandbox, program_id: str, ttl: int
) -> None:
    reward_id = _reward(http, sandbox, program_id)
    voucher = http.post("rewards/attribute", json={"rewardId": reward_id, "contactId": 1}).json()
    response = http.post(
        "rewards/redeem", json={"contactId": 1, "code": voucher["code"], "ttl": ttl}
    )
    assert response.status_code < 500, response.text


def _auth_headers_sent(credentials: dict[str, Any]) -> set[str]:
    """The auth header names the client puts on a request made with ``credentials``."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"count": 1})

    with Rewards(transport=httpx.MockTransport(record), **credentials) as client:
        client.get_code_count(program_id="6f1c2d3e-4a5b-4c6d-8e7f-901234567890", code_pool_id="p")
    plain = {"accept", "accept-encoding", "connection", "host", "user-agent"}
    return {name.lower() for name in seen[0].headers} - plain


def _declared(spec: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Header names the spec's schemes put on a request, and the schemes the API accepts."""
    schemes = spec["components"]["securitySchemes"]
    headers = set()
    for scheme in schemes.values():
        if scheme["type"] == "apiKey" and scheme["in"] == "header":
            headers.add(scheme["name"].lower())
        elif scheme["type"] == "http" or scheme["type"] == "oauth2":
            headers.add("authorization")
    accepted = {name for requirement in spec.get("security", []) for name in requirement}
    return headers, accepted


def test_every_auth_header_the_client_sends_is_declared_by_the_spec() -> None:
    spec = yaml.safe_load(SPEC.read_text())
    declared, accepted = _declared(spec)
    schemes = spec["components"]["securitySchemes"]
    assert accepted <= set(schemes)
    for credentials in (
        {"api_key": "k"},
        {"partner_key": "p"},
        {"bearer_token": "t"},
        {"bearer_token": lambda: "t"},
    ):
        sent = _auth_headers_sent(credentials)
        assert sent, credentials
        assert sent <= declared, f"{credentials}: {sent - declared} is not in the spec"
    bearer = [
        name
        for name, scheme in schemes.items()
        if scheme["type"] == "http" and scheme.get("scheme", "").lower() == "bearer"
    ]
    assert bearer, "the spec declares no http bearer scheme"
    assert set(bearer) & accepted, "the bearer scheme is not among the top-level security"
