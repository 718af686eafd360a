"""Show what changed in the HTTP API and the Python surface between two revisions.

    scripts/api-diff                       # merge-base with main -> working tree, Markdown
    scripts/api-diff origin/main HEAD      # two revisions
    scripts/api-diff --format json         # machine-readable
    scripts/api-diff --fail-on review      # exit 1 on breaking or review (default: breaking)
    scripts/api-diff --changelog [--write] # draft the next CHANGELOG.md entry since the last tag

The HTTP side compares spec/reward-api.yaml (rules: scripts/_api_diff_rules.py, documented in
docs/api-diff.md); the Python side runs griffe on generated/brevo_loyalty_api and
overlays/brevo_loyalty exported from each revision.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a file: make the sibling modules importable as ``scripts._api_diff_*``.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from scripts._api_diff_http import diff_specs
from scripts._api_diff_python import SurfaceChange, diff_package
from scripts._api_diff_render import (
    Report,
    as_json,
    changelog,
    insert_unreleased,
    markdown,
)
from scripts._api_diff_rules import Classification

ROOT = Path(__file__).resolve().parent.parent
SPEC = "spec/reward-api.yaml"
FOLDERS = ["generated/brevo_loyalty_api", "overlays/brevo_loyalty"]
"""The packages whose public Python surface is compared."""
WORKTREE = "working tree"
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _git(*args: str, binary: bool = False) -> Any:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=not binary)
    if result.returncode != 0:
        error = result.stderr.decode() if binary else result.stderr
        raise SystemExit(f"git {' '.join(args)} failed: {error.strip()}")
    return result.stdout


def _try_git(*args: str) -> str | None:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else None


def default_base() -> str:
    """``git merge-base HEAD main``, or HEAD when there is no main branch to compare with."""
    return _try_git("merge-base", "HEAD", "main") or "HEAD"


def last_tag_or_root() -> str:
    """The most recent tag reachable from HEAD, else the root commit."""
    tag = _try_git("describe", "--tags", "--abbrev=0")
    if tag:
        return tag
    roots = _git("rev-list", "--max-parents=0", "HEAD").split()
    return str(roots[-1])


def _read_spec(rev: str | None) -> dict[str, Any]:
    if rev is None:
        path = ROOT / SPEC
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    else:
        text = _try_git("show", f"{rev}:{SPEC}") or ""
    document = yaml.load(text, Loader=_Loader) if text else None
    return document if isinstance(document, dict) else {}


def _trees(rev: str) -> dict[str, str]:
    """The git tree id of each package folder present at ``rev``."""
    listing = _git("ls-tree", "-d", rev, "--", *FOLDERS)
    return {line.split("\t")[1]: line.split()[2] for line in listing.splitlines()}


def _export(rev: str, paths: list[str], target: Path) -> None:
    """Extract ``paths`` (folders) of ``rev`` into ``target``."""
    if paths:
        archive = _git("archive", "--format=tar", rev, "--", *paths, binary=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")


def _sources(folder: Path) -> dict[Path, bytes]:
    """The Python sources under ``folder`` (what griffe reads), by relative path."""
    files = (p for p in folder.rglob("*") if p.suffix in (".py", ".pyi") and p.is_file())
    return {p.relative_to(folder): p.read_bytes() for p in files}


def _surface(base: str, head: str | None, notes: list[str]) -> list[SurfaceChange]:
    """Python changes of every package; one unchanged between the revisions is not loaded."""
    old_trees = _trees(base)
    new_trees = _trees(head) if head else {f: "" for f in FOLDERS if (ROOT / f).is_dir()}
    compared = []
    for folder in FOLDERS:
        sides = (("base", old_trees), ("head", new_trees))
        missing = [side for side, trees in sides if folder not in trees]
        if missing:
            notes.append(f"`{folder}` is absent at {' and '.join(missing)}: not compared.")
        elif old_trees[folder] != new_trees[folder]:  # equal tree ids: identical contents
            compared.append(folder)
    changes: list[SurfaceChange] = []
    with tempfile.TemporaryDirectory(prefix="api-diff-") as tmp:
        old_root = Path(tmp) / "base"
        new_root = Path(tmp) / "head" if head else ROOT
        _export(base, compared, old_root)
        if head:
            _export(head, compared, new_root)
        for folder in compared:
            old, new = old_root / folder, new_root / folder
            if head is None and _sources(old) == _sources(new):
                continue
            changes += diff_package(new.name, old.parent, new.parent)
    return changes


def compare(base: str, head: str | None) -> Report:
    """The report from revision ``base`` to revision ``head`` (None: the working tree)."""
    notes: list[str] = []
    http = diff_specs(_read_spec(base), _read_spec(head))
    python = _surface(base, head, notes)
    return Report(_label(base), _label(head) if head else WORKTREE, http, python, notes)


def _label(rev: str) -> str:
    """``rev`` for display: commit ids shortened, names such as ``origin/main`` kept."""
    short = _try_git("rev-parse", "--short", rev)
    return rev if short is None or not all(c in "0123456789abcdef" for c in rev) else short


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", nargs="?", help="base revision (default: merge-base with main)")
    parser.add_argument("head", nargs="?", help="head revision (default: the working tree)")
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
    parser.add_argument(
        "--fail-on",
        choices=["breaking", "review", "never"],
        default="breaking",
        help="exit 1 when changes this severe (or worse) exist",
    )
    parser.add_argument(
        "--changelog",
        action="store_true",
        help="draft the next CHANGELOG.md entry: last tag (or root commit) -> working tree",
    )
    parser.add_argument(
        "--write", action="store_true", help="with --changelog: insert it under ## Unreleased"
    )
    args = parser.parse_args(argv)
    if args.write and not args.changelog:
        parser.error("--write needs --changelog")

    if args.changelog:
        report = compare(args.base or last_tag_or_root(), args.head)
        entry = changelog(report)
        if not entry:
            print(f"No API changes since {report.base}.")
            return 0
        print(entry, end="")
        if args.write:
            path = ROOT / "CHANGELOG.md"
            path.write_text(
                insert_unreleased(path.read_text(encoding="utf-8"), entry), encoding="utf-8"
            )
            print(f"(inserted under ## Unreleased in {path.name})", file=sys.stderr)
        return 0

    base = args.base or default_base()
    report = compare(base, args.head)
    print(as_json(report) if args.format == "json" else markdown(report).rstrip("\n"))
    worst = report.worst()
    if args.fail_on == "never" or worst is None:
        return 0
    return 1 if worst.severity >= Classification(args.fail_on).severity else 0


if __name__ == "__main__":
    raise SystemExit(main())
