"""Schemathesis against the loopback sandbox server: every check, bounded, reproducible.

The spec (``spec/reward-api.yaml``) drives schemathesis 4 (pinned in pyproject's dev list): for
each of the 10 operations it generates up to ``MAX_EXAMPLES`` requests, positive and negative,
sends them over a real loopback socket to ``brevo_loyalty.sandbox.serve`` started by this module,
and runs every registered check on each answer (server errors, status codes, content types,
headers and bodies against the spec, negative data rejected, positive data accepted, auth not
ignored...). ``derandomize=True`` fixes the seed: the same examples on every run and machine.

The path ids are ones the sandbox knows — a program, a code pool, an active reward — since random
ids would only ever exercise the 404 branch (covered elsewhere); the redeem transaction id stays
random (404). The API key is the sandbox's default.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from brevo_loyalty import Rewards
from brevo_loyalty.sandbox import DEFAULT_API_KEY, Sandbox, serve
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, CheckFunction, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode

SPEC = Path(__file__).resolve().parents[2] / "spec" / "reward-api.yaml"
MAX_EXAMPLES = 50

# A schema-valid request may still break a business rule the API answers with a documented
# status: 412 (limit exceeded; code invalid, expired or consumed), 417 (redeem request no longer
# pending), 424 (no code pool). Those are accepted answers to valid data, on top of the defaults.
POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "412", "417", "424", "429", "5xx"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_STATUSES}},
        # No crash cache (.schemathesis/): replaying earlier failures first would make a run
        # depend on the machine's history instead of on the fixed seed alone.
        "cache": {"enabled": False},
    }
)


def _with_one_of_rules(document: dict[str, Any]) -> dict[str, Any]:
    """The spec, with each ``x-require-one-of`` also said in JSON Schema (``anyOf`` of required).

    The spec keeps these rules as an extension (an ``anyOf`` in the spec itself would make the
    generator emit union request models); schemathesis must know them to generate valid bodies.
    """
    for item in document["paths"].values():
        for operation in item.values():
            groups = operation.get("x-require-one-of") if isinstance(operation, dict) else None
            if not groups:
                continue
            media = operation["requestBody"]["content"]["application/json"]
            rules = [{"anyOf": [{"required": [name]} for name in group]} for group in groups]
            media["schema"] = {"allOf": [media["schema"], *rules]}
    return document


schema = schemathesis.openapi.from_dict(
    _with_one_of_rules(yaml.safe_load(SPEC.read_text(encoding="utf-8"))), config=CONFIG
)
load_all_checks()
# Every check schemathesis registers (14 in 4.32.5), not only the default selection.
ALL_CHECKS: list[CheckFunction] = [
    check for check in CHECKS.get_all() if not isinstance(check, type)
]


@pytest.fixture(scope="module")
def api() -> Iterator[tuple[str, dict[str, str]]]:
    """A served sandbox with some data: (base URL, a real value for each path parameter)."""
    sandbox = Sandbox(seed=12)
    program_id = sandbox.create_program()
    code_pool_id = sandbox.add_code_pool(program_id, size=1000)
    with Rewards(api_key=DEFAULT_API_KEY, transport=sandbox.transport()) as client:
        reward = client.create_reward(program_id=program_id, name="Schemathesis reward")
        sandbox.configure_reward(program_id, str(reward.id), code_pool_id=code_pool_id)
    # No real redeem request id: completing one consumes it, after which every valid-looking
    # completion is a (documented) 417 that schemathesis would read as valid data rejected.
    ids = {"pid": program_id, "cpid": code_pool_id, "rid": str(reward.id)}
    with serve(sandbox) as running:
        yield running.base_url, ids


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_sandbox_server_conforms_to_the_spec(
    case: schemathesis.Case[Any], api: tuple[str, dict[str, str]]
) -> None:
    base_url, ids = api
    # A component generated invalid on purpose keeps its invalid values: putting a real id or a
    # valid key into it would turn a negative case into a valid request "wrongly accepted".
    negative = {
        location
        for location, info in (case.meta.components if case.meta else {}).items()
        if info.mode == GenerationMode.NEGATIVE
    }
    if ParameterLocation.PATH not in negative:
        for name in case.path_parameters or {}:
            if name in ids:
                case.path_parameters[name] = ids[name]
    headers = {} if ParameterLocation.HEADER in negative else {"api-key": DEFAULT_API_KEY}
    case.call_and_validate(base_url=base_url, headers=headers, checks=ALL_CHECKS, timeout=10)
