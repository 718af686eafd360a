"""Guards around the recordings (slow: they regenerate code or re-record from the sandbox).

The regeneration guard: the spec is copied, changed, and rendered with scripts/regenerate into a
temporary package, which then shadows the installed one (PYTHONPATH) while
test_replay_generated.py replays its cassettes; a breaking change must make them fail.

The recording guard: scripts/record-cassettes, run into a temporary directory, reproduces the
committed cassettes byte for byte (so they are current, and re-recording gives no diff).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

pytestmark = pytest.mark.slow

Spec = dict[str, Any]


def _unchanged(spec: Spec) -> None:
    """Leave the spec as it is (the control case)."""


def _rename_limit(spec: Spec) -> None:
    """Rename listRewards' ``limit`` query parameter to ``pageSize``."""
    parameters = spec["paths"]["/loyalty/offer/programs/{pid}/offers"]["get"]["parameters"]
    (limit,) = [p for p in parameters if p.get("name") == "limit"]
    limit["name"] = "pageSize"
    # The paging description follows the rename, as a maintainer would have to (else
    # regeneration refuses the spec, naming x-pagination).
    spec["paths"]["/loyalty/offer/programs/{pid}/offers"]["get"]["x-pagination"]["limit"] = (
        "pageSize"
    )


def _rename_total_count(spec: Spec) -> None:
    """Rename RewardPage's ``totalCount`` response field to ``total``."""
    properties = spec["components"]["schemas"]["RewardPage"]["properties"]
    properties["total"] = properties.pop("totalCount")
    required = spec["components"]["schemas"]["RewardPage"].get("required", [])
    spec["components"]["schemas"]["RewardPage"]["required"] = [
        "total" if name == "totalCount" else name for name in required
    ]
    spec["paths"]["/loyalty/offer/programs/{pid}/offers"]["get"]["x-pagination"]["total"] = "total"


def _render(change: Callable[[Spec], None], workdir: Path) -> Path:
    """Change a copy of the spec and regenerate it; return the directory holding the package."""
    spec_dir = workdir / "spec"
    shutil.copytree(ROOT / "spec", spec_dir)
    spec_file = spec_dir / "reward-api.yaml"
    spec = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    change(spec)
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    package_root = workdir / "pkg"
    regenerate = [str(ROOT / "scripts" / "regenerate"), "--spec", str(spec_file)]
    regenerate += ["--output", str(package_root / "brevo_loyalty_api")]
    subprocess.run(
        regenerate, check=True, capture_output=True, env={**os.environ, "PYTHON": sys.executable}
    )
    return package_root


def _replay(package_root: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREVO_REPLAY_")}
    env["PYTHONPATH"] = str(package_root)
    where = [sys.executable, "-c", "import brevo_loyalty_api; print(brevo_loyalty_api.__file__)"]
    imported = subprocess.run(where, env=env, capture_output=True, text=True, check=True)
    assert imported.stdout.startswith(str(package_root)), "the regenerated package must shadow"
    tests = ROOT / "tests" / "replay" / "test_replay_generated.py"
    command = [sys.executable, "-m", "pytest", str(tests), "-p", "no:cacheprovider", "-q"]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("change", "symptom"),
    [
        (_unchanged, None),
        (_rename_limit, "unexpected keyword argument 'limit'"),
        (_rename_total_count, "RewardPage.total is required but is missing or null"),
    ],
    ids=["unchanged-passes", "renamed-limit-fails", "renamed-totalCount-fails"],
)
def test_regenerated_client_against_cassettes(
    change: Callable[[Spec], None], symptom: str | None, tmp_path: Path
) -> None:
    result = _replay(_render(change, tmp_path))
    output = result.stdout + result.stderr
    if symptom is None:
        assert result.returncode == 0, output
        assert "3 passed" in output
    else:
        assert result.returncode == 1, output
        assert symptom in output


def test_rerecording_reproduces_the_committed_cassettes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREVO_")}
    command = [str(ROOT / "scripts" / "record-cassettes"), "--output", str(tmp_path)]
    result = subprocess.run(
        command, env={**env, "PYTHON": sys.executable}, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    committed = ROOT / "tests" / "cassettes"
    names = sorted(p.name for p in committed.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    for name in names:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name
