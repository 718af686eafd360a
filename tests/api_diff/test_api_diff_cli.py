"""End to end: scripts/api-diff in a throwaway git repository holding a copy of the project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COPIED = ["spec", "generated", "overlays", "scripts", "templates", "generator-config.yaml"]
LIMIT = "        - name: limit\n"  # listRewards' is the first one in the file
REWARD_PAGE = (
    "    RewardPage:\n      type: object\n      required: [items, totalCount]\n      properties:\n"
)


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON": sys.executable}
    return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)


def _git(repo: Path, *args: str) -> str:
    result = _run(repo, "git", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main: the project as it is; branch feature: limit -> pageSize, RewardPage.nextCursor."""
    repo = tmp_path_factory.mktemp("repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore)
        else:
            shutil.copy2(source, repo / name)
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## Unreleased\n\n- Initial release.\n")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "test@example.invalid")
    _git(repo, "config", "user.name", "test")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "tag", "v1.0.0")
    _git(repo, "checkout", "-q", "-b", "feature")
    spec = repo / "spec" / "reward-api.yaml"
    text = spec.read_text(encoding="utf-8")
    assert LIMIT in text
    assert REWARD_PAGE in text
    text = text.replace(LIMIT, "        - name: pageSize\n", 1)
    text = text.replace(
        REWARD_PAGE, REWARD_PAGE + "        nextCursor:\n          type: string\n", 1
    )
    spec.write_text(text, encoding="utf-8")
    regenerated = _run(repo, str(repo / "scripts" / "regenerate"))
    assert regenerated.returncode == 0, regenerated.stderr
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "rename limit, add nextCursor")
    return repo


def _sections(markdown: str) -> dict[str, list[list[str]]]:
    """Table rows (as cells) under each ``###`` heading; the header and separator rows dropped."""
    sections: dict[str, list[list[str]]] = {}
    current = ""
    for line in markdown.splitlines():
        if line.startswith("### "):
            current = line[4:]
            sections[current] = []
        elif line.startswith("| ") and current:
            sections[current].append([cell.strip() for cell in line.strip("|").split(" | ")])
    return {name: rows[1:] for name, rows in sections.items()}


def test_markdown_shows_one_breaking_rename_and_one_addition(repo: Path) -> None:
    result = _run(repo, "scripts/api-diff", "main", "HEAD")
    assert result.returncode == 1, result.stderr
    sections = _sections(result.stdout)
    assert sections["Breaking HTTP changes"] == [
        ["`listRewards`", "parameter-renamed", "query parameter pageSize",
         "renamed `limit` → `pageSize`"],
    ]  # fmt: skip
    assert sections["Other HTTP changes"] == [
        ["non-breaking", "response-field-added", "RewardPage.nextCursor", "`nextCursor` added"],
    ]
    assert "#### `listRewards`" in result.stdout
    python = sections["Python surface"]
    assert ["breaking", "`brevo_loyalty_api.api.rewards.list_rewards.sync`",
            "python-parameter-removed", "parameter was removed: `limit=25`"] in python  # fmt: skip
    added = [row for row in python if row[2] == "python-object-added"]
    assert ["non-breaking", "`brevo_loyalty_api.models.RewardPage.next_cursor`",
            "python-object-added", "attribute added"] in added  # fmt: skip
    assert result.stdout.splitlines()[2].startswith("**")  # the summary line


def test_defaults_compare_merge_base_with_the_working_tree(repo: Path) -> None:
    result = _run(repo, "scripts/api-diff", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["head"] == "working tree"
    assert report["base"] == _git(repo, "rev-parse", "--short", "main").strip()
    assert [(c["rule"], c["classification"]) for c in report["http"]] == [
        ("parameter-renamed", "breaking"),
        ("response-field-added", "non-breaking"),
    ]
    assert report["worst"] == "breaking"


def test_working_tree_edits_of_the_overlay_are_compared(repo: Path) -> None:
    init = repo / "overlays" / "brevo_loyalty" / "__init__.py"
    original = init.read_text(encoding="utf-8")
    addition = '\n\ndef ping() -> None:\n    """Ping."""\n\n\n__all__ += ["ping"]\n'
    try:
        init.write_text(original + addition, encoding="utf-8")
        result = _run(repo, "scripts/api-diff", "HEAD", "--format", "json")
    finally:
        init.write_text(original, encoding="utf-8")
    report = json.loads(result.stdout)
    assert report["http"] == []
    assert [(c["rule"], c["path"]) for c in report["python"]] == [
        ("python-object-added", "brevo_loyalty.ping")
    ]
    assert result.returncode == 0


def test_fail_on_controls_the_exit_status(repo: Path) -> None:
    assert _run(repo, "scripts/api-diff", "main", "HEAD", "--fail-on", "never").returncode == 0
    assert _run(repo, "scripts/api-diff", "main", "HEAD", "--fail-on", "review").returncode == 1
    same = _run(repo, "scripts/api-diff", "main", "main")
    assert (same.returncode, same.stdout.splitlines()[2]) == (0, "No API changes.")


def test_changelog_is_drafted_since_the_last_tag_and_written_under_unreleased(repo: Path) -> None:
    result = _run(repo, "scripts/api-diff", "--changelog", "--write")
    assert result.returncode == 0, result.stderr
    entry = result.stdout
    added, changed, removed = (
        entry.index(f"### {name}\n") for name in ("Added", "Changed", "Removed")
    )
    assert added < changed < removed
    assert "- `listRewards` RewardPage.nextCursor: `nextCursor` added\n" in entry[added:changed]
    rename = (
        "- **Breaking:** `listRewards` query parameter pageSize: renamed `limit` → `pageSize`\n"
    )
    assert entry[changed:removed] == f"### Changed\n\n{rename}\n"
    assert "list_rewards.sync`: parameter was removed: `limit=25`" in entry[removed:]
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    head, _, rest = changelog.partition("## Unreleased\n\n")
    assert head == "# Changelog\n\n"
    assert rest == entry + "\n- Initial release.\n"
