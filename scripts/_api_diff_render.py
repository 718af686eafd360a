"""Render an api-diff report as Markdown (a PR comment), JSON, or a CHANGELOG.md entry."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby

from scripts import _api_diff_version as semver
from scripts._api_diff_entries import SECTIONS, Entry, section
from scripts._api_diff_http import Change
from scripts._api_diff_python import SurfaceChange
from scripts._api_diff_rules import Classification

_ORDER = sorted(Classification, key=lambda c: -c.severity)


@dataclass
class Report:
    """Everything that changed from ``base`` to ``head``."""

    base: str
    head: str
    http: list[Change]
    python: list[SurfaceChange]
    notes: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    """One per user-visible change (scripts/_api_diff_entries.py)."""
    versions: tuple[str | None, str | None] = (None, None)
    """The package version at base and at head (None: unknown)."""

    def changes(self) -> list[Change | SurfaceChange]:
        """HTTP and Python changes together."""
        return [*self.http, *self.python]

    def bump(self) -> str | None:
        """The SemVer bump the changes ask for (0.x rule applied to the base version)."""
        level = semver.required(self.entries)
        version = self.versions[0] or self.versions[1]
        return semver.effective(level, version) if level and version else level

    def worst(self) -> Classification | None:
        """The most severe classification present, or None when nothing changed."""
        found = [c.classification for c in self.changes()]
        return max(found, key=lambda c: c.severity) if found else None


def _counts(changes: Sequence[Change | SurfaceChange]) -> str:
    counts = Counter(c.classification for c in changes)
    return ", ".join(f"{counts[c]} {c.value}" for c in _ORDER)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def summary(report: Report) -> str:
    """The one-line summary that opens the Markdown."""
    if not report.changes():
        return "No API changes."
    # Counted as users see them (one entry per change) when the entries are known.
    counted = report.entries or report.changes()
    breaking = sum(c.classification is Classification.BREAKING for c in counted)
    verdict = f"**{breaking} breaking change(s)**" if breaking else "**No breaking changes**"
    text = f"{verdict}. HTTP API: {_counts(report.http)}. Python surface: {_counts(report.python)}."
    return f"{text}\n\n{bump_line(report)}" if report.entries else text


def bump_line(report: Report) -> str:
    """The bump SemVer asks for, e.g. "a minor bump (0.1.0 → 0.2.0)", from the entries."""
    level = semver.required(report.entries)
    if level is None:
        return "No version bump needed."
    base, head = report.versions
    version = base or head
    if version is None:
        return f"SemVer asks for a **{level}** bump."
    effective = semver.effective(level, version)
    why = f" (a {level} change, while the version is 0.x)" if effective != level else ""
    text = f"SemVer asks for a **{effective}** bump{why}: {version} → {semver.bump(version, level)}"
    if head and base and head != base:
        text += f"; the version is {head}"
    return text + "."


def entry_line(entry: Entry, *, mark_breaking: bool = True) -> str:
    """One Markdown bullet: what users call, what changed, the spec's words, the HTTP origin."""
    prefix = (
        "**Breaking:** "
        if mark_breaking and entry.classification is Classification.BREAKING
        else ""
    )
    text = f"{prefix}{entry.title}: {entry.change}"
    if entry.description:
        text += f" — {entry.description.rstrip('.')}."
    extras = []
    if entry.http:
        extras.append(f"HTTP: {entry.http_text()}")
    if entry.also:
        extras.append("also " + ", ".join(f"`{a}`" for a in entry.also))
    if extras:
        text += f" ({'; '.join(extras)})"
    return text


def markdown(report: Report) -> str:
    """The PR-comment form: summary and bump, one row per user-visible change, then the details.

    The details (every HTTP change by rule, every Python change by path) are folded: they are
    for a reviewer of the spec, the entries are what users will see.
    """
    lines = [f"## API diff: `{report.base}` → `{report.head}`", "", summary(report), ""]
    lines += [f"> {note}" for note in report.notes]
    if report.notes:
        lines.append("")
    if report.entries:
        lines += ["### What users see", ""]
        rows = [
            [e.classification.value, e.section, e.title, _what(e), e.http_text() or "—"]
            for e in report.entries
        ]
        header = ["Classification", "Section", "What users call", "Change", "From the HTTP API"]
        lines += [*_table(header, rows), ""]
    details: list[str] = []
    breaking = [c for c in report.http if c.classification is Classification.BREAKING]
    if breaking:
        details += ["### Breaking HTTP changes", ""]
        rows = [[f"`{c.operation}`", c.rule, c.location, c.detail] for c in breaking]
        details += [*_table(["Operation", "Rule", "Location", "Change"], rows), ""]
    rest = [c for c in report.http if c.classification is not Classification.BREAKING]
    if rest:
        details += ["### Other HTTP changes", ""]
        for operation, group in groupby(rest, key=lambda c: c.operation):
            ordered = sorted(group, key=lambda c: (-c.classification.severity, c))
            rows = [[c.classification.value, c.rule, c.location, c.detail] for c in ordered]
            details += [f"#### `{operation}`", ""]
            details += [*_table(["Classification", "Rule", "Location", "Change"], rows), ""]
    if report.python:
        details += ["### Python surface", ""]
        rows = [
            [c.classification.value, f"`{c.path}`", c.rule, c.detail]
            for c in sorted(report.python, key=lambda c: (-c.classification.severity, c))
        ]
        details += [*_table(["Classification", "Object", "Rule", "Change"], rows), ""]
    if details:
        lines += ["<details><summary>Every change, rule by rule</summary>", "", *details]
        lines += ["</details>", ""]
    return "\n".join(lines).rstrip() + "\n"


def _what(entry: Entry) -> str:
    text = entry.change
    if entry.description:
        text += f" — {entry.description}"
    if entry.also:
        text += " (also " + ", ".join(f"`{a}`" for a in entry.also) + ")"
    return text


def as_json(report: Report) -> str:
    """The machine-readable form."""
    worst = report.worst()
    return json.dumps(
        {
            "base": report.base,
            "head": report.head,
            "worst": worst.value if worst else None,
            "http": [c.as_dict() for c in report.http],
            "python": [c.as_dict() for c in report.python],
            "entries": [e.as_dict() for e in report.entries],
            "bump": report.bump(),
            "versions": {"base": report.versions[0], "head": report.versions[1]},
            "notes": report.notes,
        },
        indent=2,
        ensure_ascii=False,
    )


_SUMMARISED = 4
"""From this many additions of one kind under one parent, the changelog lists them on one line."""


def _summarised(entries: list[Entry]) -> tuple[list[str], list[Entry]]:
    """Lines that summarise plain additions (``new class`` x 17), and the entries left."""
    plain: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        if (
            entry.section == "Added"
            and not entry.http
            and len(entry.subjects) == 1
            and all(c.rule == "python-object-added" for c in entry.python)
        ):
            parent = entry.python[0].path.rpartition(".")[0] if entry.python else ""
            kind = entry.change.removeprefix("new ")
            if kind == "class" and entry.subjects[0].endswith(("Error", "Aborted")):
                kind = "exception"
            plain.setdefault((parent, kind), []).append(entry)
    lines, folded = [], set()
    for (parent, kind), group in sorted(plain.items()):
        if len(group) < _SUMMARISED:
            continue
        folded |= {id(e) for e in group}
        names = ", ".join(f"`{e.subjects[0].rpartition('.')[2]}`" for e in group)
        where = f" in `{parent}`" if parent else ""
        plural = "es" if kind.endswith("s") else "s"
        lines.append(f"- {len(group)} new {kind}{plural}{where}: {names}.")
    return lines, [e for e in entries if id(e) not in folded]


def changelog(report: Report) -> str:
    """A draft CHANGELOG.md entry (Keep-a-Changelog subsections), empty when nothing changed.

    One bullet per user-visible change, breaking ones first in each section and marked; many
    plain additions of one kind under one parent (a first release) are summarised in one line.
    """
    entries = report.entries or [_fallback(c) for c in report.http]
    blocks = []
    for name in SECTIONS:
        chosen = [e for e in entries if e.section == name]
        if not chosen:
            continue
        summary_lines, rest = _summarised(chosen)
        rest.sort(key=lambda e: (-e.classification.severity, e.subjects))
        lines = [f"- {entry_line(e)}" for e in rest] + summary_lines
        blocks.append("\n".join([f"### {name}", "", *lines]))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _fallback(change: Change) -> Entry:
    """An entry for an HTTP change of a report built without entries (tests, old callers)."""
    return Entry(
        subjects=[change.operation],
        change=f"{change.location}: {change.detail}",
        classification=change.classification,
        section=section(change.rule),
        operation=change.operation,
    )


def insert_unreleased(changelog_text: str, entry: str) -> str:
    """``changelog_text`` with ``entry`` placed right under its ``## Unreleased`` heading."""
    lines = changelog_text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.strip().lower() in ("## unreleased", "## [unreleased]"):
            return "".join([*lines[: index + 1], "\n", entry, *lines[index + 1 :]])
    raise ValueError("CHANGELOG.md has no '## Unreleased' heading")
