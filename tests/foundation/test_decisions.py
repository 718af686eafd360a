"""spec/DECISIONS.md keeps in step with the spec and settles every disagreement."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DECISIONS = (ROOT / "spec" / "DECISIONS.md").read_text(encoding="utf-8")
FACTS = ROOT / "spec" / "sources" / "reward-api-facts.md"


def _rows() -> list[list[str]]:
    rows = []
    for line in DECISIONS.splitlines():
        if line.startswith("| `/"):
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def _resolve(document: Any, pointer: str) -> Any:
    node = document
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def test_every_pointer_resolves_in_the_spec() -> None:
    spec = yaml.safe_load((ROOT / "spec" / "reward-api.yaml").read_text(encoding="utf-8"))
    rows = _rows()
    assert len(rows) >= 30
    for row in rows:
        pointer = row[0].strip("`")
        _resolve(spec, pointer)  # raises KeyError/IndexError when the spec moved on


def test_every_disagreement_of_section_14_is_settled() -> None:
    settled: set[int] = set()
    for row in _rows():
        settled.update(int(n) for n in re.findall(r"§14\.(\d+)", row[-1]))
    # Count the facts file's items rather than trust a number.
    section = FACTS.read_text(encoding="utf-8").split("## 14.", 1)[1]
    expected = {int(n) for n in re.findall(r"^(\d+)\. ", section, flags=re.MULTILINE)}
    assert len(expected) >= 41, "could not read the numbered items of section 14"
    assert expected <= settled, f"unsettled items: {sorted(expected - settled)}"


def test_every_row_gives_a_decision_and_a_reason() -> None:
    for row in _rows():
        assert len(row) == 4, row
        assert all(len(cell) > 10 for cell in row[1:3]), row
