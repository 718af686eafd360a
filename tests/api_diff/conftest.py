"""Fixtures of the api-diff tests: the real spec, parsed once, and the repo root on sys.path."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    # The tool lives in scripts/ (not an installed package); its modules import as scripts.*.
    sys.path.insert(0, str(ROOT))

_TEXT = (ROOT / "spec" / "reward-api.yaml").read_text(encoding="utf-8")
_SPEC: dict[str, Any] = yaml.load(_TEXT, Loader=yaml.CSafeLoader)


@pytest.fixture
def spec() -> dict[str, Any]:
    """A private deep copy of spec/reward-api.yaml, free to mutate."""
    return copy.deepcopy(_SPEC)
