"""Compare two parsed OpenAPI documents and list the HTTP changes, each tied to a rule.

Operations are matched by operationId, then by method and path. Schemas are compared after
resolving ``$ref`` (local references only), nested objects and arrays included, with locations
such as ``RewardPage.items[].name``. A schema that refers to itself (RuleCondition, RuleNode) is
compared once: when a reference comes back on the current path, only its type is compared.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scripts._api_diff_rules import Classification, classify

JSON = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
GLOBAL = "*"
"""The ``operation`` of document-wide changes (security schemes)."""

# Lower bounds grow when tightened, upper bounds shrink.
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


@dataclass(frozen=True, order=True)
class Change:
    """One HTTP change: which operation, which rule, where, and what exactly."""

    operation: str
    rule: str
    location: str
    detail: str

    @property
    def classification(self) -> Classification:
        """The rule's classification."""
        return classify(self.rule)

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {
            "operation": self.operation,
            "rule": self.rule,
            "classification": self.classification.value,
            "location": self.location,
            "detail": self.detail,
        }


def _code(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return f"`{text}`"


class _Resolver:
    """Follows local ``$ref`` pointers of one document."""

    def __init__(self, document: JSON) -> None:
        self.document = document

    def deref(self, node: Any) -> tuple[JSON, list[str]]:
        """``node`` with its ``$ref`` chain followed, and the names of the references passed."""
        names: list[str] = []
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#/") or ref in names:
                return {}, names  # external or circular pointer: nothing to compare
            names.append(ref)
            target: Any = self.document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part) if isinstance(target, Mapping) else None
            node = target
        return (dict(node) if isinstance(node, Mapping) else {}), names


@dataclass
class _View:
    """A schema with references followed, nullability split off and allOf merged."""

    schema: JSON
    nullable: bool
    refs: list[str] = field(default_factory=list)
    variants: list[JSON] = field(default_factory=list)
    """The non-null variants of an anyOf/oneOf that has several (compared by type only)."""

    @property
    def name(self) -> str | None:
        """The name of the last component reference followed, if any."""
        return self.refs[-1].rsplit("/", 1)[-1] if self.refs else None


def _view(resolver: _Resolver, node: Any) -> _View:
    schema, refs = resolver.deref(node)
    nullable = bool(schema.get("nullable"))  # OpenAPI 3.0 spelling
    while True:
        types = schema.get("type")
        if isinstance(types, list) and "null" in types:
            nullable = True
            rest = [t for t in types if t != "null"]
            schema = {**schema, "type": rest[0] if len(rest) == 1 else rest}
        union = schema.get("anyOf") or schema.get("oneOf")
        if not isinstance(union, list):
            break
        variants = []
        for variant in union:
            resolved, more = resolver.deref(variant)
            if resolved.get("type") == "null":
                nullable = True
            else:
                variants.append((resolved, more))
        if len(variants) != 1:
            return _View(schema, nullable, refs, [v for v, _ in variants])
        schema, more = variants[0]
        refs = refs + more
    if isinstance(schema.get("allOf"), list):
        schema = _merge_all_of(resolver, schema)
    return _View(schema, nullable, refs)


def _merge_all_of(resolver: _Resolver, schema: JSON) -> JSON:
    merged: JSON = {k: v for k, v in schema.items() if k != "allOf"}
    properties: JSON = dict(merged.get("properties") or {})
    required: list[str] = list(merged.get("required") or [])
    for part in schema["allOf"]:
        resolved, _ = resolver.deref(part)
        properties.update(resolved.get("properties") or {})
        required += resolved.get("required") or []
        for key, value in resolved.items():
            merged.setdefault(key, value)
    merged["properties"], merged["required"] = properties, required
    return merged


def _types(view: _View, resolver: _Resolver) -> frozenset[str]:
    if view.variants:
        return frozenset().union(*(_types(_view(resolver, v), resolver) for v in view.variants))
    kind = view.schema.get("type")
    if isinstance(kind, str):
        return frozenset({kind})
    if isinstance(kind, list):
        return frozenset(kind)
    if "properties" in view.schema:
        return frozenset({"object"})
    if "items" in view.schema:
        return frozenset({"array"})
    return frozenset()


def _formats(view: _View, resolver: _Resolver) -> frozenset[str]:
    if view.variants:
        return frozenset().union(*(_formats(_view(resolver, v), resolver) for v in view.variants))
    fmt = view.schema.get("format")
    return frozenset({fmt}) if isinstance(fmt, str) else frozenset()


def _show(values: Iterable[str]) -> str:
    return " | ".join(sorted(values)) or "any"


class _Differ:
    def __init__(self, old: JSON, new: JSON) -> None:
        self.old, self.new = _Resolver(old), _Resolver(new)
        self.changes: set[Change] = set()
        self.operation = GLOBAL

    def emit(self, rule: str, location: str, detail: str) -> None:
        # A set: one schema reached from several statuses of an operation is reported once.
        self.changes.add(Change(self.operation, rule, location, detail))

    def signature(self, resolver: _Resolver, node: Any) -> tuple[object, ...]:
        """What must stay equal for a remove + add to count as a rename."""
        view = _view(resolver, node)
        return (_types(view, resolver), _formats(view, resolver), view.name)

    # -- operations ---------------------------------------------------------------------------

    def run(self) -> list[Change]:
        old_ops, new_ops = _operations(self.old.document), _operations(self.new.document)
        pairs = [(old_ops.pop(k), new_ops.pop(k)) for k in sorted(old_ops.keys() & new_ops.keys())]
        by_route = {(op.method, op.path): key for key, op in new_ops.items()}
        for key in sorted(old_ops):
            new_key = by_route.get((old_ops[key].method, old_ops[key].path))
            if new_key is not None and new_key in new_ops:
                pairs.append((old_ops.pop(key), new_ops.pop(new_key)))
        for old_op, new_op in pairs:
            self.operation = new_op.key
            self.diff_operation(old_op, new_op)
        for op in old_ops.values():
            self.operation = op.key
            self.emit("operation-removed", "operation", f"`{op.route}` removed")
        for op in new_ops.values():
            self.operation = op.key
            self.emit("operation-added", "operation", f"`{op.route}` added")
        self.operation = GLOBAL
        self.diff_security_schemes()
        return sorted(self.changes)

    def diff_operation(self, old: _Operation, new: _Operation) -> None:
        if old.key != new.key:
            self.emit("operation-id-changed", "operation", f"{_code(old.key)} → {_code(new.key)}")
        if old.path != new.path:
            self.emit("operation-path-changed", "path", f"{_code(old.path)} → {_code(new.path)}")
        if old.method != new.method:
            detail = f"{_code(old.method.upper())} → {_code(new.method.upper())}"
            self.emit("operation-method-changed", "method", detail)
        self.diff_parameters(old.parameters(self.old), new.parameters(self.new))
        self.diff_request_body(old.node.get("requestBody"), new.node.get("requestBody"))
        self.diff_responses(old.node.get("responses") or {}, new.node.get("responses") or {})
        self.diff_security(old.security(self.old), new.security(self.new))

    # -- parameters ---------------------------------------------------------------------------

    def diff_parameters(
        self, old: dict[tuple[str, str], JSON], new: dict[tuple[str, str], JSON]
    ) -> None:
        removed = sorted(old.keys() - new.keys())
        added = sorted(new.keys() - old.keys())
        pairs = [(key, key) for key in sorted(old.keys() & new.keys())]
        for key in removed:
            sig = self.signature(self.old, old[key].get("schema"))
            twin = next(
                (
                    a
                    for a in added
                    if a[0] == key[0] and self.signature(self.new, new[a].get("schema")) == sig
                ),
                None,
            )
            if twin is None:
                self.emit(
                    "parameter-removed", f"{key[0]} parameter {key[1]}", f"`{key[1]}` removed"
                )
                continue
            added.remove(twin)
            pairs.append((key, twin))
            detail = f"renamed `{key[1]}` → `{twin[1]}`"
            self.emit("parameter-renamed", f"{key[0]} parameter {twin[1]}", detail)
        for key in added:
            rule = (
                "parameter-added-required"
                if new[key].get("required")
                else "parameter-added-optional"
            )
            self.emit(rule, f"{key[0]} parameter {key[1]}", f"`{key[1]}` added")
        for old_key, new_key in pairs:
            location = f"{new_key[0]} parameter {new_key[1]}"
            was, now = bool(old[old_key].get("required")), bool(new[new_key].get("required"))
            if was != now:
                rule = "parameter-became-required" if now else "parameter-became-optional"
                self.emit(
                    rule, location, f"`{new_key[1]}` is now {'required' if now else 'optional'}"
                )
            self.diff_schema(
                "request", location, old[old_key].get("schema"), new[new_key].get("schema"), (), ()
            )

    # -- bodies -------------------------------------------------------------------------------

    def diff_request_body(self, old_node: Any, new_node: Any) -> None:
        if old_node is None and new_node is None:
            return
        old, _ = self.old.deref(old_node)
        new, _ = self.new.deref(new_node)
        if old_node is None or new_node is None:
            if new_node is None:
                self.emit("request-body-removed", "request body", "request body removed")
            else:
                required = bool(new.get("required"))
                rule = "request-body-added-required" if required else "request-body-added-optional"
                self.emit(rule, "request body", "request body added")
            return
        was, now = bool(old.get("required")), bool(new.get("required"))
        if was != now:
            rule = "request-body-became-required" if now else "request-body-became-optional"
            self.emit(
                rule, "request body", f"request body is now {'required' if now else 'optional'}"
            )
        self.diff_content("request", "request body", old.get("content"), new.get("content"))

    def diff_responses(self, old: JSON, new: JSON) -> None:
        for status in sorted(old.keys() - new.keys()):
            self.emit("response-status-removed", f"response {status}", f"status `{status}` removed")
        for status in sorted(new.keys() - old.keys()):
            success = str(status).startswith("2")
            rule = "response-success-status-added" if success else "response-error-status-added"
            self.emit(rule, f"response {status}", f"status `{status}` added")
        for status in sorted(old.keys() & new.keys()):
            old_response, _ = self.old.deref(old[status])
            new_response, _ = self.new.deref(new[status])
            location = f"response {status}"
            self.diff_content(
                "response", location, old_response.get("content"), new_response.get("content")
            )

    def diff_content(self, side: str, location: str, old: Any, new: Any) -> None:
        old, new = old or {}, new or {}
        for media in sorted(old.keys() - new.keys()):
            self.emit(f"{side}-media-type-removed", location, f"`{media}` removed")
        for media in sorted(new.keys() - old.keys()):
            self.emit(f"{side}-media-type-added", location, f"`{media}` added")
        for media in sorted(old.keys() & new.keys()):
            old_schema = (old[media] or {}).get("schema")
            new_schema = (new[media] or {}).get("schema")
            # A body named after its component reads better (RewardPage.items[]) than by status.
            root = _view(self.new, new_schema).name or _view(self.old, old_schema).name or location
            self.diff_schema(side, root, old_schema, new_schema, (), ())

    # -- schemas ------------------------------------------------------------------------------

    def diff_schema(
        self,
        side: str,
        location: str,
        old_node: Any,
        new_node: Any,
        old_stack: tuple[str, ...],
        new_stack: tuple[str, ...],
    ) -> None:
        if old_node is None and new_node is None:
            return
        old, new = _view(self.old, old_node), _view(self.new, new_node)
        if old.nullable != new.nullable:
            rule = f"{side}-became-nullable" if new.nullable else f"{side}-became-non-nullable"
            self.emit(rule, location, "now nullable" if new.nullable else "no longer nullable")
        old_types, new_types = _types(old, self.old), _types(new, self.new)
        if old_types != new_types:
            detail = f"type `{_show(old_types)}` → `{_show(new_types)}`"
            self.emit(f"{side}-type-changed", location, detail)
            return
        old_formats, new_formats = _formats(old, self.old), _formats(new, self.new)
        if old_formats != new_formats:
            detail = f"format `{_show(old_formats)}` → `{_show(new_formats)}`"
            self.emit(f"{side}-format-changed", location, detail)
        self.diff_keywords(side, location, old.schema, new.schema)
        if any(ref in old_stack for ref in old.refs) or any(ref in new_stack for ref in new.refs):
            return  # a recursive schema came back: its members were compared one level up
        old_stack, new_stack = old_stack + tuple(old.refs), new_stack + tuple(new.refs)
        if old.variants or new.variants:
            return
        if "items" in old.schema and "items" in new.schema:
            self.diff_schema(
                side,
                f"{location}[]",
                old.schema["items"],
                new.schema["items"],
                old_stack,
                new_stack,
            )
        self.diff_properties(side, location, old.schema, new.schema, old_stack, new_stack)

    def diff_keywords(self, side: str, location: str, old: JSON, new: JSON) -> None:
        old_enum, new_enum = old.get("enum"), new.get("enum")
        if isinstance(old_enum, list) and isinstance(new_enum, list):
            gone = [v for v in old_enum if v not in new_enum]
            came = [v for v in new_enum if v not in old_enum]
            if gone:
                values = ", ".join(map(_code, gone))
                self.emit(f"{side}-enum-value-removed", location, f"{values} removed")
            if came:
                values = ", ".join(map(_code, came))
                self.emit(f"{side}-enum-value-added", location, f"{values} added")
        if old.get("default") != new.get("default"):
            detail = f"default {_code(old.get('default'))} → {_code(new.get('default'))}"
            self.emit(f"{side}-default-changed", location, detail)
        for keyword in _LOWER_BOUNDS + _UPPER_BOUNDS:
            before, after = old.get(keyword), new.get(keyword)
            if before == after or isinstance(before, bool) or isinstance(after, bool):
                continue  # booleans are OpenAPI 3.0's exclusiveMinimum flags, not bounds
            if before is None or after is None:
                tighter = before is None
            else:
                tighter = (after > before) == (keyword in _LOWER_BOUNDS)
            rule = f"{side}-constraint-{'tightened' if tighter else 'loosened'}"
            self.emit(rule, location, f"`{keyword}` {_code(before)} → {_code(after)}")
        if old.get("pattern") != new.get("pattern"):
            detail = f"pattern {_code(old.get('pattern'))} → {_code(new.get('pattern'))}"
            self.emit(f"{side}-pattern-changed", location, detail)

    def diff_properties(
        self,
        side: str,
        location: str,
        old: JSON,
        new: JSON,
        old_stack: tuple[str, ...],
        new_stack: tuple[str, ...],
    ) -> None:
        old_props: JSON = old.get("properties") or {}
        new_props: JSON = new.get("properties") or {}
        old_required = set(old.get("required") or [])
        new_required = set(new.get("required") or [])
        added = sorted(new_props.keys() - old_props.keys())
        pairs = [(name, name) for name in sorted(old_props.keys() & new_props.keys())]
        for name in sorted(old_props.keys() - new_props.keys()):
            sig = self.signature(self.old, old_props[name])
            twin = next((a for a in added if self.signature(self.new, new_props[a]) == sig), None)
            if twin is None:
                self.emit(f"{side}-field-removed", f"{location}.{name}", f"`{name}` removed")
                continue
            added.remove(twin)
            pairs.append((name, twin))
            self.emit(f"{side}-field-renamed", f"{location}.{twin}", f"renamed `{name}` → `{twin}`")
        for name in added:
            rule = f"{side}-field-added"
            if side == "request":
                rule += "-required" if name in new_required else "-optional"
            self.emit(rule, f"{location}.{name}", f"`{name}` added")
        for old_name, new_name in pairs:
            was, now = old_name in old_required, new_name in new_required
            if was != now:
                rule = f"{side}-field-became-{'required' if now else 'optional'}"
                detail = f"`{new_name}` is now {'required' if now else 'optional'}"
                self.emit(rule, f"{location}.{new_name}", detail)
            self.diff_schema(
                side,
                f"{location}.{new_name}",
                old_props[old_name],
                new_props[new_name],
                old_stack,
                new_stack,
            )

    # -- security -----------------------------------------------------------------------------

    def diff_security(self, old: set[str], new: set[str]) -> None:
        for requirement in sorted(old - new):
            self.emit("security-requirement-removed", "security", f"`{requirement}` removed")
        for requirement in sorted(new - old):
            self.emit("security-requirement-added", "security", f"`{requirement}` added")

    def diff_security_schemes(self) -> None:
        old = (self.old.document.get("components") or {}).get("securitySchemes") or {}
        new = (self.new.document.get("components") or {}).get("securitySchemes") or {}
        for name in sorted(old.keys() - new.keys()):
            self.emit("security-scheme-removed", f"security scheme {name}", f"`{name}` removed")
        for name in sorted(new.keys() - old.keys()):
            self.emit("security-scheme-added", f"security scheme {name}", f"`{name}` added")
        for name in sorted(old.keys() & new.keys()):
            before, _ = self.old.deref(old[name])
            after, _ = self.new.deref(new[name])
            before.pop("description", None)
            after.pop("description", None)
            if before != after:
                changed = sorted(
                    k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
                )
                detail = ", ".join(
                    f"`{k}` {_code(before.get(k))} → {_code(after.get(k))}" for k in changed
                )
                self.emit("security-scheme-changed", f"security scheme {name}", detail)


@dataclass
class _Operation:
    key: str
    method: str
    path: str
    node: JSON
    path_item: JSON
    document: JSON

    @property
    def route(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def parameters(self, resolver: _Resolver) -> dict[tuple[str, str], JSON]:
        """Effective parameters keyed by (location, name); operation ones override path ones."""
        found: dict[tuple[str, str], JSON] = {}
        for node in [
            *(self.path_item.get("parameters") or []),
            *(self.node.get("parameters") or []),
        ]:
            parameter, _ = resolver.deref(node)
            where, name = parameter.get("in", "?"), parameter.get("name", "?")
            found[(where, name)] = parameter
        return found

    def security(self, resolver: _Resolver) -> set[str]:
        """Effective security alternatives, each as ``scheme+scheme``; ``anonymous`` for ``{}``."""
        requirements = self.node.get("security", self.document.get("security"))
        if not requirements:
            return {"anonymous"}
        return {"+".join(sorted(r)) or "anonymous" for r in requirements if isinstance(r, Mapping)}


def _operations(document: JSON) -> dict[str, _Operation]:
    found: dict[str, _Operation] = {}
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        for method in METHODS:
            node = item.get(method)
            if isinstance(node, Mapping):
                key = node.get("operationId") or f"{method.upper()} {path}"
                found[key] = _Operation(key, method, path, dict(node), dict(item), document)
    return found


def diff_specs(old: JSON, new: JSON) -> list[Change]:
    """Every HTTP change from the ``old`` document to the ``new`` one, sorted by operation."""
    return _Differ(old, new).run()
