"""Markdown, JSON and changelog rendering of a report."""

from __future__ import annotations

import json

import pytest

from scripts._api_diff_http import Change
from scripts._api_diff_python import SurfaceChange
from scripts._api_diff_render import Report, as_json, changelog, insert_unreleased, markdown

BREAKING = Change("listRewards", "parameter-removed", "query parameter state", "`a|b` removed")
REVIEW = Change("getReward", "request-default-changed", "query parameter version", "default")
ADDED = Change("getReward", "response-field-added", "Reward.tier", "`tier` added")
PY = SurfaceChange("brevo_loyalty", "brevo_loyalty.Rewards.get", "python-object-removed", "gone")


def test_empty_report() -> None:
    report = Report("a", "b", [], [])
    assert markdown(report) == "## API diff: `a` → `b`\n\nNo API changes.\n"
    assert changelog(report) == ""
    assert report.worst() is None


def test_markdown_orders_breaking_first_and_escapes_pipes() -> None:
    text = markdown(Report("a", "b", [ADDED, BREAKING, REVIEW], [PY]))
    lines = text.splitlines()
    assert lines[2] == (
        "**2 breaking change(s)**. HTTP API: 1 breaking, 1 review, 1 non-breaking. "
        "Python surface: 1 breaking, 0 review, 0 non-breaking."
    )
    assert (
        "| `listRewards` | parameter-removed | query parameter state | `a\\|b` removed |" in lines
    )
    headings = [line for line in lines if line.startswith("#")]
    assert headings == [
        "## API diff: `a` → `b`",
        "### Breaking HTTP changes",
        "### Other HTTP changes",
        "#### `getReward`",
        "### Python surface",
    ]
    review_row = lines.index(
        "| review | request-default-changed | query parameter version | default |"
    )
    assert review_row < lines.index(
        "| non-breaking | response-field-added | Reward.tier | `tier` added |"
    )


def test_json_carries_every_change_with_its_classification() -> None:
    data = json.loads(as_json(Report("a", "b", [BREAKING], [PY], ["note"])))
    assert data["worst"] == "breaking"
    assert data["http"] == [
        {
            "operation": "listRewards",
            "rule": "parameter-removed",
            "classification": "breaking",
            "location": "query parameter state",
            "detail": "`a|b` removed",
        }
    ]
    assert data["python"][0]["classification"] == "breaking"
    assert data["notes"] == ["note"]


def test_changelog_sections() -> None:
    entry = changelog(Report("a", "b", [ADDED, BREAKING, REVIEW], []))
    # A report without entries (no spec at hand) still drafts one line per HTTP change.
    assert entry == (
        "### Added\n\n- `getReward`: Reward.tier: `tier` added\n\n"
        "### Changed\n\n- `getReward`: query parameter version: default\n\n"
        "### Removed\n\n- **Breaking:** `listRewards`: query parameter state: `a|b` removed\n"
    )


def test_insert_unreleased() -> None:
    text = "# Changelog\n\n## [Unreleased]\n\n- old\n\n## 1.0.0\n"
    assert insert_unreleased(text, "### Added\n\n- new\n") == (
        "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- new\n\n- old\n\n## 1.0.0\n"
    )
    with pytest.raises(ValueError, match="Unreleased"):
        insert_unreleased("# Changelog\n", "x")
