"""scripts/api_diff_gate.py in throwaway git repositories holding the miniature packages.

A breaking change since the last release tag must come with the SemVer bump (minor while 0.x)
and a CHANGELOG entry naming it, or an acknowledgement (commit trailer, environment).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .surface_fixture import FILES, edited, write
from .test_api_diff_entries import SPEC

ROOT = Path(__file__).resolve().parents[2]
CLIENT = "overlays/brevo_loyalty/_client.py"
CLOSE = '    def close(self) -> None:\n        """Close the connections."""\n'
VERSION = "overlays/brevo_loyalty/_version.py"
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-11-30\n\n- First release.\n"


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _gate(repo: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "API_BREAK_ACKNOWLEDGED"}
    return subprocess.run(
        [sys.executable, "scripts/api_diff_gate.py"],
        cwd=repo,
        env={**env, **environment},
        capture_output=True,
        text=True,
        check=False,
    )


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


def _repo(tmp_path: Path, *, tag: bool = True) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(
        ROOT / "scripts", repo / "scripts", ignore=shutil.ignore_patterns("__pycache__")
    )
    write(repo, dict(FILES))
    (repo / "spec").mkdir()
    (repo / "spec" / "reward-api.yaml").write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    (repo / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "test@example.invalid")
    _git(repo, "config", "user.name", "test")
    _commit(repo, "first release")
    if tag:
        _git(repo, "tag", "v0.1.0")
    return repo


def _change(repo: Path, edits: list[tuple[str, str, str | None]], message: str = "change") -> None:
    for name, source in edited(edits).items():
        if source != FILES.get(name):
            if source is None:
                (repo / name).unlink()
            else:
                write(repo, {name: source})
    _commit(repo, message)


def _bump(repo: Path, version: str) -> None:
    (repo / VERSION).write_text(f'__version__ = "{version}"\n', encoding="utf-8")


def _changelog(repo: Path, line: str) -> None:
    text = CHANGELOG.replace("## [Unreleased]\n", f"## [Unreleased]\n\n### Removed\n\n{line}\n")
    (repo / "CHANGELOG.md").write_text(text, encoding="utf-8")


def test_no_breaking_change_passes(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _change(repo, [(CLIENT, CLOSE, CLOSE + "\n    def flush(self) -> None:\n        pass\n")])
    result = _gate(repo)
    assert result.returncode == 0, result.stderr
    assert "v0.1.0 (last release)" in result.stdout
    assert "PASS: no breaking change." in result.stdout
    assert "SemVer asks for a **patch** bump (a minor change, while the version is 0.x)" in (
        result.stdout
    )


def test_a_breaking_change_without_bump_or_changelog_fails_with_both_reasons(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path)
    _change(repo, [(CLIENT, CLOSE, "")])
    result = _gate(repo)
    assert result.returncode == 1
    assert "need version 0.2.0 or later (SemVer; minor while 0.x): __version__ is 0.1.0" in (
        result.stderr
    )
    assert "not in CHANGELOG.md's Unreleased section" in result.stderr
    assert "  - **Breaking:** `Rewards.close`: function removed" in result.stderr


def test_bumped_but_not_in_the_changelog_fails(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _bump(repo, "0.2.0")
    _change(repo, [(CLIENT, CLOSE, "")])
    result = _gate(repo)
    assert result.returncode == 1
    assert "need version" not in result.stderr
    assert "`Rewards.close`" in result.stderr


def test_bumped_and_in_the_changelog_passes(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _bump(repo, "0.2.0")
    _changelog(repo, "- `Rewards.close()` is gone: use the client as a context manager.")
    _change(repo, [(CLIENT, CLOSE, "")])
    result = _gate(repo)
    assert result.returncode == 0, result.stderr
    assert "PASS: 1 breaking change(s), bumped and in CHANGELOG.md." in result.stdout


def test_a_changelog_entry_of_the_released_section_does_not_count(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _bump(repo, "0.2.0")
    text = CHANGELOG.replace("- First release.", "- First release (`close()` will go).")
    (repo / "CHANGELOG.md").write_text(text, encoding="utf-8")
    _change(repo, [(CLIENT, CLOSE, "")])
    assert _gate(repo).returncode == 1


def test_a_commit_trailer_acknowledges_instead_of_the_changelog(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _bump(repo, "0.2.0")
    message = "Drop close()\n\nAPI-Break-Acknowledged: nobody calls it (checked with users)\n"
    _change(repo, [(CLIENT, CLOSE, "")], message)
    result = _gate(repo)
    assert result.returncode == 0, result.stderr
    assert "acknowledged: nobody calls it (checked with users)" in result.stdout


def test_the_environment_acknowledges_but_never_replaces_the_bump(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _change(repo, [(CLIENT, CLOSE, "")])
    label = {"API_BREAK_ACKNOWLEDGED": "label api-break-acknowledged"}
    result = _gate(repo, **label)
    assert result.returncode == 1
    assert "need version 0.2.0" in result.stderr
    assert "CHANGELOG" not in result.stderr
    _bump(repo, "0.2.0")
    _commit(repo, "bump")
    assert _gate(repo, **label).returncode == 0


def test_without_a_release_tag_the_root_commit_is_the_base_and_no_bump_is_needed(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path, tag=False)
    _change(repo, [(CLIENT, CLOSE, "")])
    result = _gate(repo)
    assert result.returncode == 1
    assert "need version" not in result.stderr  # nothing was released: 0.1.0 is the first
    assert "`Rewards.close`" in result.stderr
    _changelog(repo, "- `Rewards.close` removed.")
    assert _gate(repo).returncode == 0  # the working tree's CHANGELOG counts


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_shallow_clone_fails_instead_of_passing_blindly(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _change(repo, [(CLIENT, CLOSE, "")])
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    result = _gate(clone)
    assert result.returncode == 1
    assert "shallow" in result.stderr
