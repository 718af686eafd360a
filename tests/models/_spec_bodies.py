"""Full, valid response bodies built from spec/reward-api.yaml, and the places a null can go.

Everything here is derived from the spec, so a field added to a response schema is covered by the
tests of this package without editing them.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "spec" / "reward-api.yaml"
REF_PREFIX = "#/components/schemas/"
# Serialised exactly as the models write it back (isoformat), so that to_dict() round-trips it.
TIMESTAMP = "2024-01-15T09:30:00+00:00"
# How many times one schema may recur inside itself in a full body (the rule tree is recursive).
MAX_RECURSION = 1

Json = Any
# A path into a body: object keys (str) and list indexes (int).
Path_ = tuple[str | int, ...]


@functools.cache
def spec() -> dict[str, Any]:
    """The parsed spec."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def schemas() -> dict[str, Any]:
    """``components.schemas``."""
    found: dict[str, Any] = spec()["components"]["schemas"]
    return found


def response_models() -> list[str]:
    """The object schemas that are the JSON body of some response of some operation."""
    shared = spec()["components"]["responses"]
    names: set[str] = set()
    for path_item in spec()["paths"].values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for response in operation["responses"].values():
                if "$ref" in response:
                    response = shared[response["$ref"].rsplit("/", 1)[1]]
                for media in response.get("content", {}).values():
                    names.add(media["schema"]["$ref"].removeprefix(REF_PREFIX))
    # RevokeResult is a type union (string | object | null), not a model with fields.
    return sorted(name for name in names if schemas()[name].get("type") == "object")


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return None if ref is None else str(ref).removeprefix(REF_PREFIX)


def _non_null_branch(schema: dict[str, Any]) -> dict[str, Any]:
    """The one non-null branch of an ``anyOf: [X, null]`` (rule arrays), else the schema."""
    branches = [b for b in schema.get("anyOf", ()) if b.get("type") != "null"]
    return branches[0] if len(branches) == 1 else schema


def item_admits_null(items: dict[str, Any]) -> bool:
    """Whether an array's item schema allows null."""
    return any(branch.get("type") == "null" for branch in items.get("anyOf", ()))


def full_body(name: str, seen: tuple[str, ...] = ()) -> Json:
    """A body of schema ``name`` with every property set, arrays holding one item."""
    return _value({"$ref": REF_PREFIX + name}, seen)


def _value(schema: dict[str, Any], seen: tuple[str, ...]) -> Json:
    name = _ref_name(schema)
    if name == "Timestamp":
        return TIMESTAMP
    if name is not None:
        return _value(schemas()[name], (*seen, name))
    schema = _non_null_branch(schema)
    if "$ref" in schema:
        return _value(schema, seen)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        if "properties" not in schema:
            return {"key": "value"}  # a free-form map (meta)
        return {
            prop: _value(sub, seen)
            for prop, sub in schema["properties"].items()
            if not _too_deep(sub, seen)
        }
    if kind == "array":
        items = schema["items"]
        return [] if _too_deep(items, seen) else [_value(items, seen)]
    return {"string": "text", "integer": 7, "number": 1.5, "boolean": True}[str(kind)]


def _too_deep(schema: dict[str, Any], seen: tuple[str, ...]) -> bool:
    """Whether ``schema`` (or its items) refers to a schema already used MAX_RECURSION+1 times."""
    names = re.findall(r"'\$ref': '#/components/schemas/(\w+)'", repr(schema))
    return any(seen.count(name) > MAX_RECURSION for name in names)


@dataclass(frozen=True)
class NullSite:
    """One place of a full body where a null can be put."""

    path: Path_
    schema_name: str  # the object schema holding the field (or the list)
    field: str  # its JSON name
    required: bool  # the field is required in schema_name
    is_array: bool  # the field is an array
    item: bool  # the null replaces an item of the array, not the field
    item_admits_null: bool

    @property
    def label(self) -> str:
        """A readable id: ``Reward.rule.condition.and[0]``."""
        out = ""
        for step in self.path:
            out += f"[{step}]" if isinstance(step, int) else f".{step}"
        return out.lstrip(".")


def null_sites(model: str) -> Iterator[NullSite]:
    """Every field at every depth of ``full_body(model)``, and every list item, as a NullSite."""
    yield from _sites(model, full_body(model), ())


def _sites(name: str, body: dict[str, Any], path: Path_) -> Iterator[NullSite]:
    schema = schemas()[name]
    required = set(schema.get("required", ()))
    for prop, value in body.items():
        sub = schema["properties"][prop]
        here = (*path, prop)
        is_array = sub.get("type") == "array"
        yield NullSite(here, name, prop, prop in required, is_array, False, False)
        target = _ref_name(sub)
        if target is not None and isinstance(value, dict) and "properties" in schemas()[target]:
            yield from _sites(target, value, here)
        if is_array and value:
            items = sub["items"]
            nullable = item_admits_null(items)
            yield NullSite((*here, 0), name, prop, prop in required, True, True, nullable)
            item_name = _ref_name(_non_null_branch(items))
            if item_name is not None and "properties" in schemas()[item_name]:
                yield from _sites(item_name, value[0], (*here, 0))


def with_null(body: Json, path: Path_) -> Json:
    """A deep copy of ``body`` with the value at ``path`` replaced by null."""
    out = copy.deepcopy(body)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = None
    return out


def expected_after_null(body: Json, site: NullSite) -> Json:
    """What to_dict() gives back after ``site`` was nulled and parsed (the rest intact)."""
    out = copy.deepcopy(body)
    node = out
    for step in site.path[:-1]:
        node = node[step]
    last = site.path[-1]
    if site.item:
        if site.item_admits_null:
            node[last] = None  # kept in place: a rule argument's position matters
        else:
            del node[last]  # a null item of a list of objects is dropped
    elif site.required and site.is_array:
        node[last] = []  # a required array reads null as empty
    else:
        del node[last]  # None is left out of to_dict(), never sent as null
    return out
