"""What users receive type-checks in their strict code, and their mistakes are caught.

The README's Quickstart and two user programs (written as a user would: no casts, asserts,
``Unset`` checks or ``brevo_loyalty_api`` imports) must pass ``mypy --strict`` and pyright in
strict mode with no error; every line of ``mistakes.py`` marked ``expect-error`` must be flagged
by both, and no other line.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROGRAMS = [HERE / "program_loyalty_desk.py", HERE / "program_async_batch.py"]
MISTAKES = HERE / "mistakes.py"
BIN = Path(sys.executable).parent


def _quickstart(tmp_path: Path) -> Path:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)[0]
    path = tmp_path / "readme_quickstart.py"
    path.write_text(block, encoding="utf-8")
    return path


def _mypy(paths: list[Path], cwd: Path) -> tuple[int, str]:
    command = [str(BIN / "mypy"), "--strict", "--no-incremental", "--python-version", "3.11"]
    command += ["--config-file", "/dev/null", *map(str, paths)]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr


def _pyright(paths: list[Path], cwd: Path) -> list[dict[str, object]]:
    config = cwd / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
    command = [str(BIN / "pyright"), "--outputjson", "--pythonpath", sys.executable]
    command += ["--project", str(config), *map(str, paths)]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    report = json.loads(result.stdout)
    diagnostics: list[dict[str, object]] = report["generalDiagnostics"]
    return [d for d in diagnostics if d.get("severity") == "error"]


def test_user_programs_and_quickstart_are_strict_clean(tmp_path: Path) -> None:
    files = [*PROGRAMS, _quickstart(tmp_path)]
    status, output = _mypy(files, tmp_path)
    assert status == 0, output
    errors = _pyright(files, tmp_path)
    assert errors == [], json.dumps(errors, indent=1)


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_user_programs_run(program: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(program)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def _expected_lines() -> set[int]:
    lines = MISTAKES.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, 1) if line.endswith("# expect-error")}


def test_mypy_flags_every_mistake(tmp_path: Path) -> None:
    status, output = _mypy([MISTAKES], tmp_path)
    assert status == 1, output
    flagged = {int(m) for m in re.findall(r"mistakes\.py:(\d+): error", output)}
    assert flagged == _expected_lines(), output


def test_pyright_flags_every_mistake(tmp_path: Path) -> None:
    errors = _pyright([MISTAKES], tmp_path)
    flagged = {int(e["range"]["start"]["line"]) + 1 for e in errors}  # type: ignore[index]
    assert flagged == _expected_lines(), json.dumps(errors, indent=1)
