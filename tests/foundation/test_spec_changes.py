"""A spec change reaches users with no hand edit, or fails naming what lags.

Each scenario changes a copy of ``spec/reward-api.yaml`` the way a maintainer would (adds,
removals, renames, required-ness, enums, formats, limits, a new operation), regenerates it with
``scripts/regenerate`` into a temporary package, and runs its probe
(``tests/foundation/_spec_probes.py``) against that package in a fresh interpreter: the change
must be reachable and correct through ``Rewards``, ``AsyncRewards`` and the sandbox, with zero
edits to ``overlays/``. One scenario (a renamed response field) must instead fail, naming the
field, where the sandbox's business rule still spells it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ._helpers import REPO_ROOT, SPEC_PATH
from ._spec_probes import PROBES

Spec = dict[str, Any]
OFFERS = "/loyalty/offer/programs/{pid}/offers"
VOUCHERS = "/loyalty/offer/programs/{pid}/vouchers"
CODES = "/loyalty/offer/programs/{pid}/code-pools/{cpid}/codes-count"


def _param(spec: Spec, path: str, method: str, name: str) -> dict[str, Any]:
    (found,) = [p for p in spec["paths"][path][method]["parameters"] if p.get("name") == name]
    assert isinstance(found, dict)
    return found


def add_query_parameter(spec: Spec) -> None:
    spec["paths"][OFFERS]["get"]["parameters"].append(
        {
            "name": "name",
            "in": "query",
            "description": "Only rewards with this name.",
            "schema": {"type": "string", "maxLength": 64},
        }
    )


def add_defaulted_boolean(spec: Spec) -> None:
    spec["paths"][OFFERS]["get"]["parameters"].append(
        {
            "name": "includeDeleted",
            "in": "query",
            "description": "Deleted ones too.",
            "schema": {"type": "boolean", "default": False},
        }
    )


def add_request_enum_value(spec: Spec) -> None:
    spec["components"]["schemas"]["RewardStateFilter"]["enum"].append("archived")


def rename_response_field(spec: Spec) -> None:
    properties = spec["components"]["schemas"]["RewardPageItem"]["properties"]
    properties["publicImageUrl"] = properties.pop("publicImage")


def remove_query_parameter(spec: Spec) -> None:
    parameters = spec["paths"][VOUCHERS]["get"]["parameters"]
    parameters.remove(_param(spec, VOUCHERS, "get", "rewardId"))


def add_operation(spec: Spec) -> None:
    spec["paths"]["/loyalty/offer/programs/{pid}/offers/{rid}"] = {
        "delete": {
            "operationId": "deleteReward",
            "tags": ["rewards"],
            "summary": "Delete a reward",
            "parameters": [
                {"$ref": "#/components/parameters/ProgramId"},
                {
                    "name": "rid",
                    "in": "path",
                    "required": True,
                    "x-python-name": "reward_id",
                    "schema": {"type": "string", "format": "uuid"},
                },
            ],
            "responses": {
                "204": {"description": "Deleted."},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        }
    }


def path_parameter_uuid(spec: Spec) -> None:
    _param(spec, CODES, "get", "cpid")["schema"] = {"type": "string", "format": "uuid"}


def make_body_field_required(spec: Spec) -> None:
    spec["components"]["schemas"]["CreateRewardRequest"]["required"].append("publicName")


def tighten_max_length(spec: Spec) -> None:
    spec["components"]["schemas"]["CreateRewardRequest"]["properties"]["name"]["maxLength"] = 64


def lower_page_maximum(spec: Spec) -> None:
    _param(spec, OFFERS, "get", "limit")["schema"]["maximum"] = 50


def rename_python_name(spec: Spec) -> None:
    _param(spec, VOUCHERS, "get", "metadata_key_value")["x-python-name"] = "metadata_filter"


def add_body_field(spec: Spec) -> None:
    properties = spec["components"]["schemas"]["CreateVoucherRequest"]["properties"]
    properties["channel"] = {"type": "string", "description": "Where the voucher was given."}


def change_description(spec: Spec) -> None:
    spec["paths"][OFFERS]["get"]["description"] = "Brand-new words about pages."


def make_create_idempotent(spec: Spec) -> None:
    spec["paths"]["/loyalty/offer/programs/{pid}/rewards/attribute"]["post"]["x-idempotent"] = True


def remove_request_enum_value(spec: Spec) -> None:
    spec["components"]["schemas"]["SortOrder"]["enum"].remove("asc")


def add_response_field(spec: Spec) -> None:
    properties = spec["components"]["schemas"]["RewardPage"]["properties"]
    properties["nextCursor"] = {"type": "string"}


CHANGES: list[Callable[[Spec], None]] = [
    add_query_parameter,
    add_defaulted_boolean,
    add_request_enum_value,
    rename_response_field,
    remove_query_parameter,
    add_operation,
    path_parameter_uuid,
    make_body_field_required,
    tighten_max_length,
    lower_page_maximum,
    rename_python_name,
    add_body_field,
    change_description,
    make_create_idempotent,
    remove_request_enum_value,
    add_response_field,
]


def test_every_change_has_a_probe() -> None:
    assert {change.__name__ for change in CHANGES} == set(PROBES)
    assert len(CHANGES) >= 12


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_spec_change_reaches_users(change: Callable[[Spec], None], tmp_path: Path) -> None:
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    change(spec)
    changed = tmp_path / "spec" / "reward-api.yaml"
    changed.parent.mkdir()
    changed.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    package = tmp_path / "generated" / "brevo_loyalty_api"
    env = {**os.environ, "PYTHON": sys.executable}
    regenerate = [sys.executable, str(REPO_ROOT / "scripts" / "regenerate.py")]
    regenerate += ["--spec", str(changed), "--output", str(package)]
    result = subprocess.run(regenerate, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    env["PYTHONPATH"] = os.pathsep.join([str(package.parent), str(REPO_ROOT)])
    probe = [sys.executable, "-m", "tests.foundation._spec_probes", change.__name__]
    result = subprocess.run(
        probe, env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "probe passed" in result.stdout
