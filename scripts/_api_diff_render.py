"""Render an api-diff report as Markdown (a PR comment), JSON, or a CHANGELOG.md entry."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby

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

    def changes(self) -> list[Change | SurfaceChange]:
        """HTTP and Python changes together."""
        return [*self.http, *self.python]

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
    breaking = sum(c.classification is Classification.BREAKING for c in report.changes())
    verdict = f"**{breaking} breaking change(s)**" if breaking else "**No breaking changes**"
    return f"{verdict}. HTTP API: {_counts(report.http)}. Python surface: {_counts(report.python)}."


def markdown(report: Report) -> str:
    """The PR-comment form: summary, breaking HTTP changes, other HTTP changes, Python surface."""
    lines = [f"## API diff: `{report.base}` → `{report.head}`", "", summary(report), ""]
    lines += [f"> {note}" for note in report.notes]
    breaking = [c for c in report.http if c.classification is Classification.BREAKING]
    if breaking:
        lines += ["### Breaking HTTP changes", ""]
        rows = [[f"`{c.operation}`", c.rule, c.location, c.detail] for c in breaking]
        lines += [*_table(["Operation", "Rule", "Location", "Change"], rows), ""]
    rest = [c for c in report.http if c.classification is not Classification.BREAKING]
    if rest:
        lines += ["### Other HTTP changes", ""]
        for operation, group in groupby(rest, key=lambda c: c.operation):
            ordered = sorted(group, key=lambda c: (-c.classification.severity, c))
            rows = [[c.classification.value, c.rule, c.location, c.detail] for c in ordered]
            lines += [f"#### `{operation}`", ""]
            lines += [*_table(["Classification", "Rule", "Location", "Change"], rows), ""]
    if report.python:
        lines += ["### Python surface", ""]
        rows = [
            [c.classification.value, f"`{c.path}`", c.rule, c.detail]
            for c in sorted(report.python, key=lambda c: (-c.classification.severity, c))
        ]
        lines += [*_table(["Classification", "Object", "Rule", "Change"], rows), ""]
    return "\n".join(lines).rstrip() + "\n"


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
            "notes": report.notes,
        },
        indent=2,
        ensure_ascii=False,
    )


def _section(rule: str) -> str:
    """The Keep-a-Changelog section a rule's changes belong to."""
    if rule.endswith(("-added", "-added-required", "-added-optional")):
        return "Added"
    if rule.endswith("-removed"):
        return "Removed"
    return "Changed"


def changelog(report: Report) -> str:
    """A draft CHANGELOG.md entry (Keep-a-Changelog subsections), empty when nothing changed."""
    entries: dict[str, list[str]] = {"Added": [], "Changed": [], "Removed": []}
    items: list[tuple[str, Classification, str]] = [
        (c.rule, c.classification, f"`{c.operation}` {c.location}: {c.detail}") for c in report.http
    ]
    items += [(c.rule, c.classification, f"Python `{c.path}`: {c.detail}") for c in report.python]
    for rule, classification, text in items:
        prefix = "**Breaking:** " if classification is Classification.BREAKING else ""
        entries[_section(rule)].append(f"- {prefix}{text}")
    blocks = [
        "\n".join([f"### {name}", "", *sorted(lines, key=lambda line: "Breaking" not in line)])
        for name, lines in entries.items()
        if lines
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def insert_unreleased(changelog_text: str, entry: str) -> str:
    """``changelog_text`` with ``entry`` placed right under its ``## Unreleased`` heading."""
    lines = changelog_text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.strip().lower() in ("## unreleased", "## [unreleased]"):
            return "".join([*lines[: index + 1], "\n", entry, *lines[index + 1 :]])
    raise ValueError("CHANGELOG.md has no '## Unreleased' heading")
