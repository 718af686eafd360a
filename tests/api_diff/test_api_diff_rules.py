"""The rule table in code and the one in docs/api-diff.md are the same table."""

from __future__ import annotations

import re
from pathlib import Path

import griffe

from scripts._api_diff_rules import RULES, Classification

DOC = Path(__file__).resolve().parents[2] / "docs" / "api-diff.md"
ROW = re.compile(r"^\| `(?P<rule>[a-z-]+)` \| (?P<classification>[a-z-]+) \| (?P<why>.+) \|$")


def _doc_rules() -> dict[str, str]:
    rows = [ROW.match(line) for line in DOC.read_text(encoding="utf-8").splitlines()]
    return {m["rule"]: m["classification"] for m in rows if m}


def test_every_rule_in_code_is_in_the_doc_table_with_its_classification() -> None:
    expected = {rule: r.classification.value for rule, r in RULES.items()}
    assert _doc_rules() == expected


def test_every_griffe_breakage_kind_has_a_rule() -> None:
    for kind in griffe.BreakageKind:
        assert "python-" + kind.name.lower().replace("_", "-") in RULES


def test_severity_orders_classifications() -> None:
    ordered = sorted(Classification, key=lambda c: c.severity)
    assert ordered == [
        Classification.NON_BREAKING,
        Classification.REVIEW,
        Classification.BREAKING,
    ]
