"""Compare the public Python surface of one package at two places on disk, with griffe.

Breaking changes come from ``griffe.find_breaking_changes``; griffe does not report additions, so
new public objects and new optional parameters are collected here (they make the changelog).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

import griffe

from scripts._api_diff_rules import Classification, classify

# Unresolvable imports (httpx, attrs) are expected in a static load: keep the output clean.
logging.getLogger("griffe").setLevel(logging.ERROR)


@dataclass(frozen=True, order=True)
class SurfaceChange:
    """One change of a package's public Python API."""

    package: str
    path: str
    rule: str
    detail: str

    @property
    def classification(self) -> Classification:
        """The rule's classification."""
        return classify(self.rule)

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {
            "package": self.package,
            "path": self.path,
            "rule": self.rule,
            "classification": self.classification.value,
            "detail": self.detail,
        }


def load(package: str, search_path: Path) -> Any:
    """Load ``package`` statically from ``search_path`` only (no import, no sys.path)."""
    return griffe.load(
        package,
        search_paths=[str(search_path)],
        allow_inspection=False,
        store_source=False,
        resolve_aliases=False,
    )


def _show(value: Any) -> str:
    if isinstance(value, griffe.Parameter):
        return value.name if value.default is None else f"{value.name}={value.default}"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, griffe.Object | griffe.Alias):
        return value.kind.value
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _describe(breakage: Any) -> str:
    old, new = breakage.old_value, breakage.new_value
    parts = [f"`{_show(v)}`" for v in (old, new) if v is not None and v != ""]
    change = " → ".join(parts)
    detail: str = breakage.kind.value.lower() + (f": {change}" if change else "")
    return f"{detail} ({breakage.details})" if breakage.details else detail


def _rule(kind: griffe.BreakageKind) -> str:
    return "python-" + kind.name.lower().replace("_", "-")


def _target(obj: Any) -> Any:
    """``obj`` with aliases (re-exports) followed; None when they lead outside the package."""
    try:
        return obj.final_target if obj.is_alias else obj
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _additions(old: Any, new: Any, path: str, seen: set[str]) -> Iterator[tuple[str, str, str]]:
    """(path, rule, detail) of public objects and optional parameters only ``new`` has.

    Re-exports are followed (the overlay defines its API in private modules and exports it), and
    each object is walked once, under the first public path that reaches it.
    """
    for name, member in new.members.items():
        target = _target(member) if member.is_public else None
        if target is None or target.path in seen:
            continue
        seen.add(target.path)
        before = _target(old.members[name]) if name in old.members else None
        where = f"{path}.{name}"
        if name not in old.members:
            yield where, "python-object-added", f"{target.kind.value} added"
        elif before is None or before.kind != target.kind:
            continue  # griffe reports kind changes
        elif target.is_function:
            known = {p.name for p in before.parameters}
            for param in target.parameters:
                if param.name not in known and not param.required:
                    yield where, "python-parameter-added", f"parameter `{_show(param)}` added"
        elif target.is_module or target.is_class:
            yield from _additions(before, target, where, seen)


def _lookup(root: Any, path: str) -> Any:
    """The object at dotted ``path`` (package name first), following re-exports; None if absent."""
    obj = root
    for name in path.split(".")[1:]:
        member = obj.members.get(name)
        obj = None if member is None else _target(member)
        if obj is None:
            return None
    return obj


def _shape(obj: Any) -> tuple[str, ...] | None:
    """What must match for a removed and an added object to be the same one renamed."""
    if obj is None:
        return None
    if obj.is_function:
        params = [f"{p.kind.value} {p.name}={p.default} {p.annotation}" for p in obj.parameters]
        return ("function", *params, f"-> {obj.returns}")
    if obj.is_class:
        return ("class", *sorted(name for name, m in obj.members.items() if m.is_public))
    return None


def _with_rename_hints(changes: set[SurfaceChange], old: Any, new: Any) -> set[SurfaceChange]:
    """Pair a removal with an addition under the same parent when exactly one has its shape.

    griffe reports a rename as a removal; the pair stays (the old name is gone, which breaks
    callers), each entry naming the other so that a reviewer reads one rename, not two changes.
    """

    def shapes(rule: str, root: Any) -> dict[SurfaceChange, tuple[Any, ...]]:
        found = {}
        for change in changes:
            obj = _lookup(root, change.path) if change.rule == rule else None
            shape = _shape(obj)
            if obj is not None and shape is not None:
                # The canonical parent: the overlay's classes live in private modules, and a
                # removal and an addition may be reported under different (re-exported) paths.
                found[change] = (obj.parent.path, *shape)
        return found

    removed, added = shapes("python-object-removed", old), shapes("python-object-added", new)
    hinted = set(changes)
    for gone, key in removed.items():
        twins = [c for c, k in added.items() if k == key]
        if len(twins) != 1 or list(removed.values()).count(key) != 1:
            continue  # ambiguous: say nothing rather than guess
        (twin,) = twins
        old_name, new_name = gone.path.rpartition(".")[2], twin.path.rpartition(".")[2]
        hinted -= {gone, twin}
        same = "same signature" if key[1] == "function" else "same public members"
        hinted.add(replace(gone, detail=f"{gone.detail} (renamed to `{new_name}`? {same})"))
        hinted.add(replace(twin, detail=f"{twin.detail} (renamed from `{old_name}`? {same})"))
    return hinted


def diff_package(package: str, old_root: Path, new_root: Path) -> list[SurfaceChange]:
    """Changes of ``package`` from the copy under ``old_root`` to the one under ``new_root``."""
    old, new = load(package, old_root), load(package, new_root)
    changes = {
        SurfaceChange(package, b.obj.path, _rule(b.kind), _describe(b))
        for b in griffe.find_breaking_changes(old, new)
    }
    changes.update(SurfaceChange(package, *a) for a in _additions(old, new, package, set()))
    changes = _with_rename_hints(changes, old, new)
    return sorted(changes, key=lambda c: (-c.classification.severity, c))
