"""The Python-surface differ (griffe) on two versions of a small one-module package.

The mutations of a package shaped like the project's are in test_api_diff_mutations.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from scripts._api_diff_python import SurfaceChange, diff_package
from scripts._api_diff_rules import Classification

OLD = '''
"""Client."""


class Rewards:
    """Rewards."""

    def list(self, pid: str, *, limit: int = 25, state: str | None = None) -> list[str]:
        """List."""
        return []

    def get(self, pid: str, rid: str) -> str:
        """Get."""
        return rid

    def revoke(self, pid: str, ids: str, reason: str = "") -> None:
        """Revoke."""


def _private(x: int) -> int:
    return x
'''

NEW = '''
"""Client."""


class Rewards:
    """Rewards."""

    def list(self, pid: str, *, limit: int = 50, state: str | None = None) -> list[str]:
        """List."""
        return []

    def fetch(self, pid: str, rid: str) -> str:
        """Get (renamed)."""
        return rid

    def revoke(self, pid: str, ids: str, *, dry_run: bool = False) -> None:
        """Revoke."""


def _private(y: int) -> int:
    return y
'''


def _write(root: Path, source: str) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return root


def _diff(tmp_path: Path, old: str, new: str) -> list[SurfaceChange]:
    return diff_package("pkg", _write(tmp_path / "old", old), _write(tmp_path / "new", new))


def _by_rule(changes: list[SurfaceChange]) -> set[tuple[str, str]]:
    return {(c.rule, c.path) for c in changes}


def test_renamed_method_is_removed_plus_added(tmp_path: Path) -> None:
    changes = _diff(tmp_path, OLD, NEW)
    found = _by_rule(changes)
    assert ("python-object-removed", "pkg.Rewards.get") in found
    assert ("python-object-added", "pkg.Rewards.fetch") in found
    # Still breaking (the old name is gone), but each side names the other.
    details = {c.path: c.detail for c in changes}
    assert details["pkg.Rewards.get"].endswith("(renamed to `fetch`? same signature)")
    assert details["pkg.Rewards.fetch"].endswith("(renamed from `get`? same signature)")


def test_renamed_class_is_hinted_by_its_public_members(tmp_path: Path) -> None:
    old = "class Rewards:\n    def get(self) -> None: ...\n    def put(self) -> None: ...\n"
    new = old.replace("class Rewards", "class RewardsClient")
    details = {c.path: c.detail for c in _diff(tmp_path, old, new)}
    assert "renamed to `RewardsClient`? same public members" in details["pkg.Rewards"]
    assert "renamed from `Rewards`? same public members" in details["pkg.RewardsClient"]


def test_no_rename_hint_when_the_shapes_differ_or_are_ambiguous(tmp_path: Path) -> None:
    old = "def a(x: int) -> int:\n    return x\n\n\ndef b(x: int) -> int:\n    return x\n"
    # Two removals with one shape and two additions with it: any pairing would be a guess.
    new = old.replace("def a", "def c").replace("def b", "def d")
    # And an addition whose signature differs is not a rename.
    other = "def c(x: str) -> int:\n    return 0\n"
    for target, case in ((new, "ambiguous"), (other, "different")):
        changes = _diff(tmp_path / case, old, target)
        assert changes, case
        assert all("renamed" not in c.detail for c in changes), (case, changes)


def test_removed_parameter_is_breaking(tmp_path: Path) -> None:
    changes = _diff(tmp_path, OLD, NEW)
    (removed,) = [c for c in changes if c.rule == "python-parameter-removed"]
    assert removed.path == "pkg.Rewards.revoke"
    assert removed.detail == "parameter `reason` removed"
    assert removed.member == "reason"
    assert removed.classification is Classification.BREAKING


def test_changed_default_needs_review(tmp_path: Path) -> None:
    changes = _diff(tmp_path, OLD, NEW)
    (changed,) = [c for c in changes if c.rule == "python-parameter-changed-default"]
    assert changed.path == "pkg.Rewards.list"
    assert changed.detail == "`limit` default `25` → `50`"
    assert changed.classification is Classification.REVIEW


def test_new_optional_parameter_is_non_breaking(tmp_path: Path) -> None:
    changes = _diff(tmp_path, OLD, NEW)
    (added,) = [c for c in changes if c.rule == "python-parameter-added"]
    assert (added.path, added.classification) == ("pkg.Rewards.revoke", Classification.NON_BREAKING)


def test_private_objects_and_identical_packages_report_nothing(tmp_path: Path) -> None:
    changes = _diff(tmp_path, OLD, NEW)
    assert not [c for c in changes if "_private" in c.path]
    assert diff_package("pkg", tmp_path / "old", tmp_path / "old") == []


def test_breaking_changes_come_first(tmp_path: Path) -> None:
    severities = [c.classification.severity for c in _diff(tmp_path, OLD, NEW)]
    assert severities == sorted(severities, reverse=True)
    assert len(severities) == 5


def test_reexported_objects_are_followed_into_private_modules(tmp_path: Path) -> None:
    init = '"""P."""\n\nfrom ._impl import Rewards\n\n__all__ = ["Rewards"]\n'
    old_impl = 'class Rewards:\n    """R."""\n\n    def get(self) -> None:\n        """G."""\n'
    new_impl = old_impl + '\n    def list(self, limit: int = 25) -> None:\n        """L."""\n'
    for side, impl in (("old", old_impl), ("new", new_impl)):
        (tmp_path / side / "pkg").mkdir(parents=True)
        (tmp_path / side / "pkg" / "__init__.py").write_text(init, encoding="utf-8")
        (tmp_path / side / "pkg" / "_impl.py").write_text(impl, encoding="utf-8")
    changes = diff_package("pkg", tmp_path / "old", tmp_path / "new")
    assert [(c.rule, c.path) for c in changes] == [("python-object-added", "pkg.Rewards.list")]
