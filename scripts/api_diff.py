"""Show what changed in the HTTP API and the Python surface between two revisions.

    scripts/api-diff                       # merge-base with main -> working tree, Markdown
    scripts/api-diff origin/main HEAD      # two revisions
    scripts/api-diff --format json         # machine-readable
    scripts/api-diff --fail-on review      # exit 1 on breaking or review (default: breaking)
    scripts/api-diff --changelog [--write] # draft the next CHANGELOG.md entry since the last tag

The HTTP side compares spec/reward-api.yaml (scripts/_api_diff_http.py); the Python side loads
overlays/brevo_loyalty and generated/brevo_loyalty_api of each revision together with griffe
(scripts/_api_diff_python.py); both are classified by one rule table (scripts/_api_diff_rules.py)
and merged into one entry per user-visible change (scripts/_api_diff_entries.py), which give the
SemVer bump (scripts/_api_diff_version.py) and the changelog draft. scripts/api_diff_gate.py is
the CI gate built on it. All of it is documented in docs/api-diff.md.
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

from scripts._api_diff_entries import build as build_entries
from scripts._api_diff_http import diff_specs
from scripts._api_diff_python import Surface, SurfaceChange, diff_surfaces, load, surface
from scripts._api_diff_render import (
    Report,
    as_json,
    changelog,
    insert_unreleased,
    markdown,
)
from scripts._api_diff_rules import Classification
from scripts._api_diff_version import read_version

ROOT = Path(__file__).resolve().parent.parent
SPEC = "spec/reward-api.yaml"
FOLDERS = ["overlays/brevo_loyalty", "generated/brevo_loyalty_api"]
"""The packages whose public Python surface is compared; an object reachable from both is shown
under its path in the first (``brevo_loyalty``, the package users import)."""
PACKAGES = {folder: folder.rsplit("/", 1)[1] for folder in FOLDERS}
VERSION = "overlays/brevo_loyalty/_version.py"
"""Where the package version is (``__version__ = "x.y.z"``)."""
WORKTREE = "working tree"
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def git(*args: str, binary: bool = False) -> Any:
    """The output of ``git *args`` run at the repository root; exits on a git error."""
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=not binary)
    if result.returncode != 0:
        error = result.stderr.decode() if binary else result.stderr
        raise SystemExit(f"git {' '.join(args)} failed: {error.strip()}")
    return result.stdout


def try_git(*args: str) -> str | None:
    """The stripped output of ``git *args``, or None when it fails or prints nothing."""
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else None


def default_base() -> str:
    """``git merge-base HEAD main``, or HEAD when there is no main branch to compare with."""
    return try_git("merge-base", "HEAD", "main") or "HEAD"


RELEASE_TAGS = "v[0-9]*"
"""Tags that mark a release (``v1.2.0``)."""


def last_release() -> str | None:
    """The newest release tag reachable from HEAD, or None."""
    return try_git("describe", "--tags", "--abbrev=0", "--match", RELEASE_TAGS)


def root_commit() -> str:
    """The first commit of HEAD's history."""
    return str(git("rev-list", "--max-parents=0", "HEAD").split()[-1])


def last_tag_or_root() -> str:
    """The last release tag reachable from HEAD, else the root commit."""
    return last_release() or root_commit()


def _read_spec(rev: str | None) -> dict[str, Any]:
    if rev is None:
        path = ROOT / SPEC
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    else:
        text = try_git("show", f"{rev}:{SPEC}") or ""
    document = yaml.load(text, Loader=_Loader) if text else None
    return document if isinstance(document, dict) else {}


def _trees(rev: str) -> dict[str, str]:
    """The git tree id of each package folder present at ``rev``."""
    listing = git("ls-tree", "-d", rev, "--", *FOLDERS)
    return {line.split("\t")[1]: line.split()[2] for line in listing.splitlines()}


def _export(rev: str, paths: list[str], target: Path) -> None:
    """Extract ``paths`` (folders) of ``rev`` into ``target``."""
    if paths:
        archive = git("archive", "--format=tar", rev, "--", *paths, binary=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")


def _sources(folder: Path) -> dict[Path, bytes]:
    """The Python sources under ``folder`` (what griffe reads), by relative path."""
    files = (p for p in folder.rglob("*") if p.suffix in (".py", ".pyi") and p.is_file())
    return {p.relative_to(folder): p.read_bytes() for p in files}


def _surface(
    base: str, head: str | None, notes: list[str], methods: dict[str, list[str]] | None
) -> list[SurfaceChange]:
    """Python changes of the packages; a side is loaded only when needed.

    Both packages of a side are loaded together (the overlay's classes inherit generated ones),
    so a change in either loads both. With no package changed, nothing is compared, and the
    head is loaded only when ``methods`` asks for the client's method names.
    """
    old_trees = _trees(base)
    new_trees = _trees(head) if head else {f: "" for f in FOLDERS if (ROOT / f).is_dir()}
    for folder in FOLDERS:
        sides = (("base", old_trees), ("head", new_trees))
        missing = [side for side, trees in sides if folder not in trees]
        if missing:
            notes.append(f"`{folder}` is absent at {' and '.join(missing)}.")
    with tempfile.TemporaryDirectory(prefix="api-diff-") as tmp:
        old_root = Path(tmp) / "base"
        new_root = Path(tmp) / "head" if head else ROOT
        changed = old_trees != new_trees
        if head and (changed or methods is not None):
            _export(head, sorted(new_trees), new_root)
        if changed or head is None:
            _export(base, sorted(old_trees), old_root)
        if head is None:
            changed = any(
                (old_root / f).is_dir() != (ROOT / f).is_dir()
                or ((ROOT / f).is_dir() and _sources(old_root / f) != _sources(ROOT / f))
                for f in FOLDERS
            )
        new = None
        if changed or methods is not None:
            new = surface(load(*_packages(new_root, new_trees)))
            if methods is not None:
                _methods(new, methods)
        if not changed or new is None:
            return []
        old = surface(load(*_packages(old_root, old_trees)))
        if methods is not None:
            _methods(old, methods)
        return diff_surfaces(old, new)


def _packages(root: Path, trees: dict[str, str]) -> tuple[list[str], list[Path]]:
    """The package names present and the folders to find them in, the overlay first."""
    present = [f for f in FOLDERS if f in trees]
    return [PACKAGES[f] for f in present], [root / f.split("/")[0] for f in present]


def compare(base: str, head: str | None) -> Report:
    """The report from revision ``base`` to revision ``head`` (None: the working tree)."""
    notes: list[str] = []
    old_spec, new_spec = _read_spec(base), _read_spec(head)
    http = diff_specs(old_spec, new_spec)
    methods: dict[str, list[str]] = {}
    python = _surface(base, head, notes, methods if http else None)
    entries = build_entries(http, python, [new_spec, old_spec], methods)
    versions = (
        read_version(read_at(base, VERSION) or ""),
        read_version(read_at(head, VERSION) or ""),
    )
    return Report(
        label(base),
        label(head) if head else WORKTREE,
        http,
        python,
        notes,
        entries,
        (versions[0], versions[1]),
    )


def read_at(rev: str | None, path: str) -> str | None:
    """The text of ``path`` at ``rev`` (None: the working tree); None when it does not exist."""
    if rev is None:
        file = ROOT / path
        return file.read_text(encoding="utf-8") if file.exists() else None
    return try_git("show", f"{rev}:{path}")


def _methods(found: Surface, into: dict[str, list[str]]) -> None:
    """Public methods of the overlay's classes by name (they name HTTP-only entries)."""
    for path, facts in found.items():
        parent = path.rpartition(".")[0]
        if (
            facts.kind == "function"
            and facts.package == PACKAGES[FOLDERS[0]]
            and found.get(parent, facts).kind == "class"
        ):
            names = into.setdefault(path.rpartition(".")[2], [])
            if path not in names:
                names.append(path)


def label(rev: str) -> str:
    """``rev`` for display: commit ids shortened, names such as ``origin/main`` kept."""
    short = try_git("rev-parse", "--short", rev)
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
