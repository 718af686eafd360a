"""One entry per user-visible change: HTTP and Python changes of one origin, merged.

A spec change shows in several places of the Python surface: the ``Rewards`` method and its
``AsyncRewards`` twin, the four generated functions of the operation (``sync``, ``sync_detailed``,
``asyncio``, ``asyncio_detailed``), the generated model (attribute and constructor argument).
Users read one entry, named by what they call (the client method first), with the spec's
description of the parameter or field and the HTTP change it comes from beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scripts._api_diff_http import GLOBAL, Change, _Resolver, _view
from scripts._api_diff_python import SurfaceChange
from scripts._api_diff_rules import Classification

OVERLAY = "brevo_loyalty"
"""The package users import: its paths are shown without the package name."""
_GENERATED_FUNCTION = re.compile(
    r"^(?P<module>[\w.]+\.api\.\w+\.(?P<op>\w+))\.(?P<fn>sync|sync_detailed|asyncio|asyncio_detailed)$"
)
_FLAVOURS = ("sync", "sync_detailed", "asyncio", "asyncio_detailed")
_ASYNC_MEMBER = re.compile(r"^(?P<prefix>(?:[\w]+\.)*)Async(?P<cls>\w+)\.(?P<member>\w+)$")
_PARAMETER_LOCATION = re.compile(r"^(?:path|query|header|cookie) parameter (?P<name>.+)$")
SECTIONS = ("Added", "Changed", "Deprecated", "Removed", "Fixed")
"""Keep-a-Changelog sections, in their order (Fixed is for humans: a diff cannot see fixes)."""


def snake(name: str) -> str:
    """``publicImageUrl`` -> ``public_image_url`` (openapi-python-client's naming)."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return name.strip("_").lower()


def section(rule: str) -> str:
    """The Keep-a-Changelog section a rule's changes belong to."""
    if rule.endswith("-deprecated"):
        return "Deprecated"
    if rule.endswith(("-added", "-added-required", "-added-optional")):
        return "Added"
    if rule.endswith("-removed") and "base" not in rule:
        return "Removed"
    return "Changed"


@dataclass
class Entry:
    """One user-visible change."""

    subjects: list[str]
    """What users call, e.g. ``Rewards.list_rewards`` and ``AsyncRewards.list_rewards``."""
    change: str
    """What changed, e.g. "new keyword `name`"."""
    classification: Classification
    section: str
    description: str = ""
    """The spec's description of the parameter/field/operation (else the docstring)."""
    http: list[Change] = field(default_factory=list)
    python: list[SurfaceChange] = field(default_factory=list)
    also: list[str] = field(default_factory=list)
    """Other places of the Python surface with the same change (generated functions, models)."""
    operation: str = ""

    @property
    def title(self) -> str:
        """``Rewards.list_rewards` / `AsyncRewards.list_rewards``, in backticks."""
        return " / ".join(f"`{s}`" for s in self.subjects)

    @property
    def names(self) -> set[str]:
        """Words a CHANGELOG entry about this change would contain (used by the CI gate)."""
        # ``pkg.api.rewards.list_rewards.{sync, ...}`` is named by ``list_rewards``.
        found = {s.split(".{", 1)[0].rsplit(".", 1)[-1] for s in [*self.subjects, *self.also]}
        if self.operation:
            found.add(self.operation)
        return {n for n in found if n}

    def http_text(self) -> str:
        """The HTTP change(s) this entry comes from, in one phrase.

        Only the operation when the entry is the HTTP change itself.
        """
        if not self.python:
            return ", ".join(dict.fromkeys(f"`{c.operation}`" for c in self.http))
        return "; ".join(f"`{c.operation}` {c.location}: {c.detail}" for c in self.http)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "subjects": self.subjects,
            "change": self.change,
            "classification": self.classification.value,
            "section": self.section,
            "description": self.description,
            "operation": self.operation,
            "http": [c.as_dict() for c in self.http],
            "also": self.also,
        }


def shown(path: str) -> str:
    """A public path as users write it: ``brevo_loyalty.Rewards.x`` -> ``Rewards.x``."""
    return path.removeprefix(OVERLAY + ".")


# -- spec lookups -------------------------------------------------------------------------------


@dataclass
class _Spec:
    """Operation names and descriptions of one or two spec documents (new first)."""

    documents: list[dict[str, Any]]
    _operations: dict[str, tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] | None = None

    def operations(self) -> dict[str, tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]]:
        """Operations by operationId: (python name, operation node, path item, document)."""
        if self._operations is not None:
            return self._operations
        found: dict[str, tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = {}
        for document in reversed(self.documents):  # the new document wins
            for item in (document.get("paths") or {}).values():
                if not isinstance(item, Mapping):
                    continue
                for node in item.values():
                    if isinstance(node, Mapping) and isinstance(node.get("operationId"), str):
                        key = node["operationId"]
                        python = node.get("x-python-name") or snake(key)
                        found[key] = (str(python), dict(node), dict(item), document)
        self._operations = found
        return found

    def parameter(self, operation: str, name: str) -> tuple[str, str]:
        """(python name, description) of a parameter of ``operation``."""
        entry = self.operations().get(operation)
        if entry is None:
            return snake(name), ""
        _, node, item, document = entry
        resolver = _Resolver(document)
        for raw in [*(item.get("parameters") or []), *(node.get("parameters") or [])]:
            parameter, _ = resolver.deref(raw)
            if parameter.get("name") == name:
                python = parameter.get("x-python-name") or snake(name)
                return str(python), _one_line(parameter.get("description"))
        return snake(name), ""

    def field(self, location: str) -> str:
        """The description of the field at ``location`` (``Schema.a.b[].c``), else ''."""
        parts = location.replace("[]", "").split(".")
        for document in self.documents:
            resolver = _Resolver(document)
            schemas = (document.get("components") or {}).get("schemas") or {}
            node: Any = schemas.get(parts[0])
            description = ""
            for part in parts[1:]:
                if node is None:
                    break
                view = _view(resolver, node)
                items = view.schema.get("items")
                if items is not None and "properties" not in view.schema:
                    view = _view(resolver, items)
                node = (view.schema.get("properties") or {}).get(part)
                if isinstance(node, Mapping):
                    description = _one_line(node.get("description")) or _one_line(
                        _view(resolver, node).schema.get("description")
                    )
            if node is not None and description:
                return description
        return ""

    def operation(self, operation: str) -> str:
        entry = self.operations().get(operation)
        if entry is None:
            return ""
        _, node, _, _ = entry
        return _one_line(node.get("description") or node.get("summary"))


def _one_line(text: object) -> str:
    return " ".join(str(text).split()) if text else ""


# -- grouping -----------------------------------------------------------------------------------


@dataclass
class _Group:
    """Python changes of one rule and member on a family of paths (sync/async, 4 functions)."""

    key: str
    rule: str
    member: str
    changes: list[SurfaceChange]
    operation: str = ""
    http: list[Change] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return sorted({c.path for c in self.changes})

    @property
    def generated_functions(self) -> bool:
        return bool(_GENERATED_FUNCTION.match(self.changes[0].path))

    @property
    def is_model(self) -> bool:
        return ".models." in self.key or self.key.startswith("models.")

    def subjects(self) -> list[str]:
        if self.generated_functions:
            found = {m["fn"] for c in self.changes if (m := _GENERATED_FUNCTION.match(c.path))}
            flavours = [f for f in _FLAVOURS if f in found]
            return [f"{self.key}.{{{', '.join(flavours)}}}" if len(flavours) > 1 else self.paths[0]]
        sync = [shown(p) for p in self.paths if not _ASYNC_MEMBER.match(shown(p))]
        return sync + [shown(p) for p in self.paths if _ASYNC_MEMBER.match(shown(p))]

    def detail(self) -> str:
        details = list(dict.fromkeys(c.detail for c in self.changes))
        return "; ".join(details)


def _family(path: str) -> str:
    """The path that names a family: ``AsyncRewards.x`` -> ``Rewards.x``; 4 functions -> module."""
    match = _GENERATED_FUNCTION.match(path)
    if match:
        return match["module"]
    match = _ASYNC_MEMBER.match(path)
    if match:
        return f"{match['prefix']}{match['cls']}.{match['member']}"
    return path


def _groups(python: Iterable[SurfaceChange], operations: Mapping[str, str]) -> list[_Group]:
    groups: dict[tuple[str, str, str], _Group] = {}
    for change in python:
        key = _family(change.path)
        group = groups.setdefault(
            (key, change.rule, change.member), _Group(key, change.rule, change.member, [])
        )
        group.changes.append(change)
    for group in groups.values():
        match = _GENERATED_FUNCTION.match(group.changes[0].path)
        if match:
            group.operation = operations.get(match["op"], "")
        elif not group.is_model:
            # A client method (Rewards.list_rewards) or an operation module of the generated
            # package: named after the operation.
            name = group.key.rsplit(".", 1)[-1]
            group.operation = operations.get(name, "")
    return list(groups.values())


def _field_name(location: str) -> tuple[str, str]:
    """(root, last field) of a body location such as ``RewardPage.items[].name``."""
    parts = location.replace("[]", "").split(".")
    return parts[0], parts[-1] if len(parts) > 1 else ""


def _link(change: Change, groups: list[_Group], spec: _Spec) -> list[_Group]:
    """The Python groups an HTTP change shows up as."""
    if change.rule.startswith("operation-"):
        family = "added" if change.rule.endswith("added") else "removed"
        return [
            g
            for g in groups
            if g.operation == change.operation
            and g.rule.startswith("python-object-")
            and g.rule.endswith(family)
        ]
    match = _PARAMETER_LOCATION.match(change.location)
    names: set[str] = set()
    models: set[str] = set()
    if match:
        python, _ = spec.parameter(change.operation, match["name"])
        names = {python, snake(match["name"])}
        if change.rule == "parameter-renamed":
            old = re.search(r"renamed `([^`]+)`", change.detail)
            if old:
                names.add(snake(old[1]))
    elif change.location.startswith(("request body", "response ")):
        return []
    else:
        root, last = _field_name(change.location)
        if not last:
            return []
        names, models = {snake(last)}, {root}
        if change.rule.endswith("-renamed"):
            old = re.search(r"renamed `([^`]+)`", change.detail)
            if old:
                names.add(snake(old[1]))
    linked = []
    for group in groups:
        member = group.member or group.key.rsplit(".", 1)[-1]
        if member not in names:
            continue
        if group.is_model:
            model = group.key.split(".models.", 1)[-1].split(".")[0]
            if models and model in models:
                linked.append(group)
        elif group.operation == change.operation:
            linked.append(group)
    if models and not any(g.is_model for g in linked):
        # A nested object (RewardPage.items[].name) is its own model (RewardPageItem): link
        # the one model field of that name, when there is exactly one.
        candidates = [
            g for g in groups if g.is_model and (g.member or g.key.rsplit(".", 1)[-1]) in names
        ]
        if len({g.key.rsplit(".", 1)[0] for g in candidates}) == 1:
            linked += candidates
    return linked


def _worst(classifications: Iterable[Classification]) -> Classification:
    return max(classifications, key=lambda c: c.severity)


def _primary(groups: list[_Group]) -> _Group:
    """The group that names the entry: client methods, then models, then generated functions."""

    def rank(group: _Group) -> tuple[int, int, str]:
        where = 2 if group.generated_functions else (1 if group.is_model else 0)
        severity = -max(c.classification.severity for c in group.changes)
        return (where, severity, group.key)

    return min(groups, key=rank)


def build(
    http: list[Change],
    python: list[SurfaceChange],
    documents: list[dict[str, Any]],
    methods: Mapping[str, list[str]] | None = None,
) -> list[Entry]:
    """The entries of a report.

    ``documents`` are the new spec then the old one; ``methods`` the public client methods by
    name (``list_rewards`` -> ``brevo_loyalty.Rewards.list_rewards``, its async twin), which
    name the entries of HTTP changes that change no Python signature.
    """
    spec = _Spec(documents)
    operations = {python_name: key for key, (python_name, *_) in spec.operations().items()}
    groups = _groups(python, operations)
    # Connect groups that come from one HTTP change, or one spec parameter/field (union-find).
    parent = {id(g): id(g) for g in groups}

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    lonely: list[Change] = []
    for change in http:
        linked = _link(change, groups, spec)
        if not linked:
            lonely.append(change)
            continue
        linked[0].http.append(change)
        for group in linked[1:]:
            parent[find(id(group))] = find(id(linked[0]))
    # The overlay method and the generated functions of one operation changed the same way
    # (same rule, same member): one change.
    # So did the attribute and the constructor argument of one model field.
    for group in groups:
        for other in groups:
            same_operation = bool(group.operation) and (
                other.operation == group.operation
                and other.rule == group.rule
                and other.member == group.member
            )
            same_member = bool(group.member) and (
                other.key == group.key and other.member == group.member
            )
            if other is not group and (same_operation or same_member):
                parent[find(id(other))] = find(id(group))
    clusters: dict[int, list[_Group]] = {}
    for group in groups:
        clusters.setdefault(find(id(group)), []).append(group)
    entries = _merged([_entry(members, spec) for members in clusters.values()])
    entries += [_http_entry(change, spec, methods or {}) for change in lonely]
    return sorted(entries, key=lambda e: (-e.classification.severity, SECTIONS.index(e.section),
                                          e.subjects))  # fmt: skip


_NAMED = re.compile(r"^(?P<prefix>constructor argument )?`(?P<name>[^`]+)` (?P<rest>.+)$")
_PLURAL = (("was ", "were "), ("is now ", "are now "), ("accepts ", "accept "))


def _merged(entries: list[Entry]) -> list[Entry]:
    """Python-only entries of one subject and verdict as one: "`a`, `b` are now keyword-only"."""
    found: dict[tuple[object, ...], list[Entry]] = {}
    result = []
    for entry in entries:
        key = (tuple(entry.subjects), entry.classification, entry.section)
        if entry.http:
            result.append(entry)
        elif key in found:
            found[key].append(entry)
        else:
            found[key] = [entry]
            result.append(entry)
    for same in found.values():
        first, rest = same[0], same[1:]
        if rest:
            first.python = [c for e in same for c in e.python]
            first.change = _join([d for e in same for d in e.change.split("; ")])
            first.description = next((e.description for e in same if e.description), "")
    return result


def _join(details: list[str]) -> str:
    """Details that differ only by the name they start with, said once for all the names."""
    by_rest: dict[tuple[str, str], list[str]] = {}
    for detail in details:
        match = _NAMED.match(detail)
        if match:
            key = (match["prefix"] or "", match["rest"])
            by_rest.setdefault(key, []).append(match["name"])
        else:
            by_rest.setdefault(("", detail), []).append("")
    parts = []
    for (prefix, rest), names in by_rest.items():
        if len(names) == 1 or "" in names:
            parts += [f"{prefix}`{n}` {rest}" if n else rest for n in names]
            continue
        for one, many in _PLURAL:
            if rest.startswith(one):
                rest = many + rest[len(one) :]
        prefix = prefix.replace("argument ", "arguments ")
        parts.append(prefix + ", ".join(f"`{n}`" for n in names) + f" {rest}")
    return "; ".join(parts)


def _entry(groups: list[_Group], spec: _Spec) -> Entry:
    primary = _primary(groups)
    http = sorted({c for g in groups for c in g.http})
    changes = [c for g in groups for c in g.changes]
    classification = _worst(
        [*(c.classification for c in changes), *(c.classification for c in http)]
    )
    also = []
    for group in groups:
        for subject in group.subjects():
            if subject not in primary.subjects() and subject not in also:
                also.append(subject)
    description = ""
    for change in http:
        match = _PARAMETER_LOCATION.match(change.location)
        if match:
            description = spec.parameter(change.operation, match["name"])[1]
        elif change.rule.startswith("operation-"):
            description = spec.operation(change.operation)
        else:
            description = spec.field(change.location)
        if description:
            break
    if not description:
        description = next((c.description for c in changes if c.description), "")
    worst_rule = max(changes, key=lambda c: c.classification.severity).rule
    # Every change of the named subjects, additions first, then the worst. What follows from
    # another change is left out: a narrowed read (non-breaking) beside a breaking change, and
    # "accepts X | Unset -> X" beside "is now required".
    required = {g.member for g in groups if g.rule == "python-parameter-changed-required"}
    worst = _worst(c.classification for c in changes)

    def said(group: _Group) -> bool:
        if group.rule == "python-parameter-type-narrowed" and group.member in required:
            return False
        severity = max(c.classification.severity for c in group.changes)
        return not (
            worst is Classification.BREAKING and severity == 0 and section(group.rule) != "Added"
        )

    details = [
        g.detail()
        for g in sorted(
            groups,
            key=lambda g: (
                section(g.rule) != "Added",
                -max(c.classification.severity for c in g.changes),
                g.rule,
            ),
        )
        if g.subjects() == primary.subjects() and said(g)
    ]
    sections = {section(c.rule) for c in changes} | {section(c.rule) for c in http}
    return Entry(
        subjects=primary.subjects(),
        change="; ".join(dict.fromkeys(details)),
        classification=classification,
        # A removal and an addition together (a rename, a moved field) change one thing.
        # Else the section of the spec change it comes from (a new field that also shifts a
        # model's positional order was added), else of its worst Python change.
        section="Changed"
        if {"Added", "Removed"} <= sections
        else section(http[0].rule)
        if http
        else section(worst_rule),
        description=description,
        http=http,
        python=changes,
        also=also,
        operation=primary.operation or (http[0].operation if http else ""),
    )


def _http_entry(change: Change, spec: _Spec, methods: Mapping[str, list[str]]) -> Entry:
    """An HTTP change with no Python counterpart, named by the client method of its operation."""
    entry = spec.operations().get(change.operation)
    subjects = ["HTTP API"] if change.operation == GLOBAL else [change.operation]
    if entry is not None:
        found = methods.get(entry[0], [])
        sync = [m for m in found if not _ASYNC_MEMBER.match(shown(m))]
        subjects = sync + [m for m in found if m not in sync] or subjects
    match = _PARAMETER_LOCATION.match(change.location)
    if match:
        description = spec.parameter(change.operation, match["name"])[1]
    elif change.rule.startswith("operation-"):
        description = spec.operation(change.operation)
    else:
        description = spec.field(change.location)
    return Entry(
        subjects=[shown(s) for s in subjects],
        change=f"{change.location}: {change.detail}",
        classification=change.classification,
        section=section(change.rule),
        description=description,
        http=[change],
        operation=change.operation,
    )
