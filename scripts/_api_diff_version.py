"""The SemVer bump a set of changes asks for, and whether a version satisfies it.

- any breaking change asks for **major**; a new feature (something added or deprecated) or a
  change a human must review for **minor**; anything else for **patch**;
- while the version is 0.x, SemVer lets the minor number play the role of the major one
  (0.y.z: "anything may change"), so everything moves one place right: breaking asks for
  **minor**, a feature for **patch** (the convention of Cargo and most 0.x Python packages).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scripts._api_diff_entries import Entry
from scripts._api_diff_rules import Classification

LEVELS = ("patch", "minor", "major")
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)")
_ASSIGNMENT = re.compile(r"""^__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""", re.MULTILINE)


def parse(version: str) -> tuple[int, int, int]:
    """``"1.2.3"`` (a pre-release or build suffix is ignored) -> ``(1, 2, 3)``."""
    match = _VERSION.match(version.strip().removeprefix("v"))
    if match is None:
        raise ValueError(f"not a SemVer version: {version!r}")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def read_version(source: str) -> str | None:
    """The ``__version__ = "..."`` of a Python source, or None."""
    match = _ASSIGNMENT.search(source)
    return match[1] if match else None


def required(entries: Iterable[Entry]) -> str | None:
    """The bump the changes ask for, ignoring 0.x; None when nothing changed."""
    entries = list(entries)
    if not entries:
        return None
    if any(e.classification is Classification.BREAKING for e in entries):
        return "major"
    if any(
        e.section in ("Added", "Deprecated") or e.classification is Classification.REVIEW
        for e in entries
    ):
        return "minor"
    return "patch"


def effective(level: str, version: str) -> str:
    """``level`` for a project at ``version``: one place lower while it is 0.x."""
    if parse(version)[0] == 0 and level != "patch":
        return LEVELS[LEVELS.index(level) - 1]
    return level


def bump(version: str, level: str) -> str:
    """``version`` bumped by ``level`` (after the 0.x rule): ``0.1.0`` + major -> ``0.2.0``."""
    major, minor, patch = parse(version)
    level = effective(level, version)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def satisfies(released: str, current: str, level: str) -> bool:
    """Whether ``current`` is at least ``released`` bumped by ``level``."""
    return parse(current) >= parse(bump(released, level))
