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
PAGING = "      x-pagination:\n"  # listRewards' is the first one in the file
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
    # listRewards' paging names its page-size parameter too (else regeneration refuses it).
    text = text.replace(PAGING, PAGING + "        limit: pageSize\n", 1)
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


GENERATED = (
    "brevo_loyalty_api.api.rewards.list_rewards.{sync, sync_detailed, asyncio, asyncio_detailed}"
)


def _models(repo: Path) -> str:
    """How the models are shown: through ``brevo_loyalty.models`` once the overlay has it."""
    overlay = repo / "overlays" / "brevo_loyalty"
    has_models = (overlay / "models.py").exists() or (overlay / "models").is_dir()
    return "models." if has_models else "brevo_loyalty_api.models."


def test_markdown_shows_one_entry_per_change_then_every_change(repo: Path) -> None:
    result = _run(repo, "scripts/api-diff", "main", "HEAD")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2].startswith("**1 breaking change(s)**. HTTP API: 1 breaking")
    assert lines[4] == (
        "SemVer asks for a **minor** bump (a major change, while the version is 0.x): "
        "0.1.0 → 0.2.0."
    )
    sections = _sections(result.stdout)
    # One rename of a spec parameter: one entry (the four generated functions, and the client
    # methods if they follow the spec), with the spec's description and the HTTP change.
    rename, field = sections["What users see"]
    assert rename[:2] == ["breaking", "Changed"]
    assert "`page_size`" in rename[3]
    assert "`limit` removed — Page size." in rename[3]
    assert GENERATED in rename[2] + rename[3]
    assert rename[4] == "`listRewards` query parameter pageSize: renamed `limit` → `pageSize`"
    # Required fields come first: a new optional one goes last, shifting nothing.
    assert field == [
        "non-breaking", "Added", f"`{_models(repo)}RewardPage.next_cursor`",
        "new field `next_cursor` (optional constructor argument)",
        "`listRewards` RewardPage.nextCursor: `nextCursor` added",
    ]  # fmt: skip
    # The details, rule by rule, follow in a folded block.
    assert sections["Breaking HTTP changes"] == [
        ["`listRewards`", "parameter-renamed", "query parameter pageSize",
         "renamed `limit` → `pageSize`"],
    ]  # fmt: skip
    assert sections["Other HTTP changes"] == [
        ["non-breaking", "response-field-added", "RewardPage.nextCursor", "`nextCursor` added"],
    ]
    python = sections["Python surface"]
    assert ["breaking", "`brevo_loyalty_api.api.rewards.list_rewards.sync`",
            "python-parameter-removed", "parameter `limit` removed"] in python  # fmt: skip
    assert ["non-breaking", "`brevo_loyalty.models.RewardPage.next_cursor`",
            "python-parameter-added", "new field `next_cursor` (optional constructor argument)",
            ] in python  # fmt: skip
    assert all("._" not in row[1] and ".reward_page." not in row[1] for row in python)


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


CPID = (
    "        - name: cpid\n          in: path\n          required: true\n"
    "          description: Code pool ID.\n          x-python-name: code_pool_id\n"
    "          schema:\n            type: string\n            minLength: 1\n"
)


def test_an_http_only_change_is_named_by_the_client_methods_of_its_operation(repo: Path) -> None:
    spec = repo / "spec" / "reward-api.yaml"
    original = spec.read_text(encoding="utf-8")
    assert CPID in original
    try:
        spec.write_text(original.replace(CPID, CPID.replace("minLength: 1", "minLength: 2")))
        result = _run(repo, "scripts/api-diff", "HEAD", "--format", "json")
    finally:
        spec.write_text(original, encoding="utf-8")
    report = json.loads(result.stdout)
    assert report["python"] == []  # a constraint changes no generated signature
    (entry,) = report["entries"]
    assert entry["subjects"] == ["Rewards.get_code_count", "AsyncRewards.get_code_count"]
    assert entry["change"] == "path parameter cpid: `minLength` `1` → `2`"
    assert (entry["classification"], entry["description"]) == ("breaking", "Code pool ID.")
    assert report["bump"] == "minor"  # breaking, while the version is 0.x
    assert result.returncode == 1


def test_fail_on_controls_the_exit_status(repo: Path) -> None:
    assert _run(repo, "scripts/api-diff", "main", "HEAD", "--fail-on", "never").returncode == 0
    assert _run(repo, "scripts/api-diff", "main", "HEAD", "--fail-on", "review").returncode == 1
    same = _run(repo, "scripts/api-diff", "main", "main")
    assert (same.returncode, same.stdout.splitlines()[2]) == (0, "No API changes.")


def test_changelog_is_drafted_since_the_last_tag_and_written_under_unreleased(repo: Path) -> None:
    result = _run(repo, "scripts/api-diff", "--changelog", "--write")
    assert result.returncode == 0, result.stderr
    entry = result.stdout
    added, changed = entry.index("### Added\n\n- "), entry.index("### Changed\n\n- ")
    assert added < changed
    assert entry[added:changed] == (
        f"### Added\n\n- `{_models(repo)}RewardPage.next_cursor`: new field `next_cursor` "
        "(optional constructor argument) (HTTP: `listRewards` RewardPage.nextCursor: "
        "`nextCursor` added)\n\n"
    )
    (rename,) = entry[changed:].splitlines()[2:]
    assert rename.startswith("- **Breaking:** `")
    assert "`limit` removed — Page size. (HTTP: `listRewards` query parameter pageSize: " in rename
    assert "renamed `limit` → `pageSize`" in rename
    assert rename.startswith("- **Breaking:** `Rewards.list_rewards` / `AsyncRewards.list_rewards`")
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    head, _, rest = changelog.partition("## Unreleased\n\n")
    assert head == "# Changelog\n\n"
    assert rest == entry + "\n- Initial release.\n"
