"""generated/ is what scripts/regenerate makes of spec/, reproducibly, and the check guards it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ._helpers import GENERATED_PACKAGE, GENERATED_STAMP, REPO_ROOT

# What scripts/regenerate reads or writes; nothing else of the repo is needed to run it.
REGENERATE_INPUTS = (
    "spec",
    "generated",
    "templates",
    "generator-config.yaml",
    "scripts",
    "overlays",  # the generated docstrings name the exceptions overlays/_exceptions.py raises
)


def _env() -> dict[str, str]:
    # scripts/regenerate runs $PYTHON: the interpreter running the tests, which has the pinned
    # generator and ruff beside it (the project venv when run as documented).
    return {**os.environ, "PYTHON": sys.executable}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120, check=False
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_committed_generated_tree_is_current() -> None:
    result = _run([str(REPO_ROOT / "scripts" / "regenerate"), "--check"], cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in REGENERATE_INPUTS:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    return copy


def _check_copy(copy: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, str(copy / "scripts" / "regenerate.py"), "--check"], cwd=copy)


def test_check_passes_on_an_untouched_copy(repo_copy: Path) -> None:
    # The control for the failure cases below: they fail because of the edit, not the copy.
    result = _check_copy(repo_copy)
    assert result.returncode == 0, result.stdout + result.stderr


def _edit_generated_file(copy: Path) -> str:
    target = copy / "generated" / "brevo_loyalty_api" / "models" / "reward.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n# hand edit\n", encoding="utf-8")
    return "differs: models/reward.py"


def _add_generated_file(copy: Path) -> str:
    (copy / "generated" / "brevo_loyalty_api" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    return "only in committed: extra.py"


def _delete_generated_file(copy: Path) -> str:
    (copy / "generated" / "brevo_loyalty_api" / "models" / "error.py").unlink()
    return "only in regenerated: models/error.py"


def _edit_spec(copy: Path) -> str:
    spec = copy / "spec" / "reward-api.yaml"
    text = spec.read_text(encoding="utf-8")
    old = "summary: Get code count"
    assert old in text
    spec.write_text(text.replace(old, "summary: Count the codes of a pool"), encoding="utf-8")
    # The summary is the first docstring line of every function of get_code_count.
    return "differs: api/rewards/get_code_count.py"


def _assert_check_fails_naming(copy: Path, expected_lines: list[str]) -> None:
    result = _check_copy(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "scripts/regenerate" in result.stderr
    # The message names each drifted file, so the reader knows what to look at.
    reported = [line.strip() for line in result.stderr.splitlines()]
    for line in expected_lines:
        assert line in reported, result.stderr


def test_check_fails_on_hand_edits_and_says_what_to_run(repo_copy: Path) -> None:
    # One run covers the three kinds of drift the check distinguishes.
    changes = [_edit_generated_file, _add_generated_file, _delete_generated_file]
    _assert_check_fails_naming(repo_copy, [change(repo_copy) for change in changes])


def test_check_fails_when_only_the_spec_changed(repo_copy: Path) -> None:
    _assert_check_fails_naming(repo_copy, [_edit_spec(repo_copy)])


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    # Two renders from different working directories into different places: the script claims
    # the output depends on neither.
    first, second = tmp_path / "a" / "brevo_loyalty_api", tmp_path / "b" / "pkg"
    (tmp_path / "elsewhere").mkdir()
    script = str(REPO_ROOT / "scripts" / "regenerate.py")
    for output, cwd in ((first, REPO_ROOT), (second, tmp_path / "elsewhere")):
        result = _run([sys.executable, script, "--output", str(output)], cwd=cwd)
        assert result.returncode == 0, result.stdout + result.stderr
    first_tree, second_tree = _tree(first), _tree(second)
    assert len(first_tree) > 10
    assert sorted(first_tree) == sorted(second_tree)
    assert [name for name in first_tree if first_tree[name] != second_tree[name]] == []
    # And the render is what is committed (the same comparison --check makes, done here
    # independently of the script's own diff code).
    committed = _tree(GENERATED_PACKAGE)
    assert sorted(committed) == sorted(first_tree)
    assert [name for name in committed if committed[name] != first_tree[name]] == []


def test_every_generated_module_carries_the_stamp() -> None:
    modules = sorted(GENERATED_PACKAGE.rglob("*.py"))
    assert len(modules) > 10
    unstamped = [
        path.relative_to(GENERATED_PACKAGE).as_posix()
        for path in modules
        if not path.read_text(encoding="utf-8").startswith(GENERATED_STAMP)
    ]
    assert unstamped == []
    assert (GENERATED_PACKAGE / "py.typed").is_file()
