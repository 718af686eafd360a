"""The rule table in code and the one in docs/api-diff.md are the same table."""

from __future__ import annotations

import re
from pathlib import Path

from scripts._api_diff_rules import RULES, Classification

DOC = Path(__file__).resolve().parents[2] / "docs" / "api-diff.md"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
ROW = re.compile(r"^\| `(?P<rule>[a-z-]+)` \| (?P<classification>[a-z-]+) \| (?P<why>.+) \|$")


def _doc_rules() -> dict[str, str]:
    rows = [ROW.match(line) for line in DOC.read_text(encoding="utf-8").splitlines()]
    return {m["rule"]: m["classification"] for m in rows if m}


def test_every_rule_in_code_is_in_the_doc_table_with_its_classification() -> None:
    expected = {rule: r.classification.value for rule, r in RULES.items()}
    assert _doc_rules() == expected


def test_every_rule_the_python_differ_emits_is_in_the_table_and_used() -> None:
    # Rules are written out in full in the differ (some are built from a verdict: widened,
    # narrowed, changed); each of the table's python-* rules must be reachable from it.
    source = (SCRIPTS / "_api_diff_python.py").read_text(encoding="utf-8")
    literal = set(re.findall(r'"(python-[a-z-]+)"', source))
    built = {f"python-parameter-type-{v}" for v in ("widened", "narrowed", "changed")}
    built |= {
        f"python-{s}-type-{v}" for s in ("return", "attribute") for v in ("widened", "narrowed")
    }
    built |= {"python-return-changed-type"}
    python_rules = {rule for rule in RULES if rule.startswith("python-")}
    assert literal <= python_rules
    assert python_rules == (literal | built) & python_rules


def test_severity_orders_classifications() -> None:
    ordered = sorted(Classification, key=lambda c: c.severity)
    assert ordered == [
        Classification.NON_BREAKING,
        Classification.REVIEW,
        Classification.BREAKING,
    ]
