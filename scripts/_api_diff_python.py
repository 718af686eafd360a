"""Compare the public Python surface of packages at two places on disk, with griffe.

Each side is loaded statically (no import) into ONE griffe collection, so that a class of one
package inheriting from a class of the other (``brevo_loyalty.Rewards`` from a generated
``brevo_loyalty_api._surface.RewardsOperations``) has its inherited members. The surface is then
flattened into :class:`Facts` by public path:

- every public path is walked (``__all__`` when a module has one, else not underscored and not
  imported), re-exports followed, so an object reachable several ways has several paths; it is
  *shown* under one, the one users import: the first package given wins (``brevo_loyalty`` over
  ``brevo_loyalty_api``), then the shortest path (``models.Reward`` over
  ``models.reward.Reward``); a private path (``brevo_loyalty._client.Rewards``) is never shown;
- a class's members include what it inherits (``all_members``), each seen as a member of the class
  (``Rewards.with_options``), whatever class defines it;
- functions carry their signature (parameters with kind, order, default, annotation; the return
  annotation; async or not); classes their constructor (``__init__``, or the one attrs and
  dataclasses generate from annotated class attributes) and their public ancestors; attributes
  their annotation and value; modules their ``__all__``.

Annotations are compared as sets of union members (``X | None``, ``Optional[X]``, ``Union``,
``Literal`` values): a parameter accepting more is widened (non-breaking), accepting less is
narrowed (breaking); for what callers *read* (returns, attributes) it is the other way round.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import griffe

from scripts._api_diff_rules import Classification, classify

# Unresolvable imports (httpx, attrs) are expected in a static load: keep the output clean.
logging.getLogger("griffe").setLevel(logging.ERROR)

_MAX_DEPTH = 8
"""Public paths deeper than this are not walked (a guard against alias cycles)."""
_DATACLASS_DECORATORS = {
    "attrs.define",
    "attrs.frozen",
    "attrs.mutable",
    "attr.s",
    "attr.attrs",
    "attr.define",
    "attr.frozen",
    "attr.mutable",
    "dataclasses.dataclass",
}
"""Decorators whose class gets an ``__init__`` made of its annotated class attributes."""
_FIELD_FUNCTIONS = {"attrs.field", "attr.ib", "attr.attrib", "attr.field", "dataclasses.field"}
_DEPRECATED = {"typing_extensions.deprecated", "warnings.deprecated", "deprecated.deprecated"}
_IGNORED_VALUES = {"__version__"}
"""Attributes whose value changes with every release: a new value is not an API change."""
_INPUT, _OUTPUT = "input", "output"


@dataclass(frozen=True, order=True)
class SurfaceChange:
    """One change of the public Python API.

    ``path`` is the public path of the object (the one users import); ``member`` names the
    parameter or field concerned, when there is one (it ties the change to the HTTP one).
    """

    package: str
    path: str
    rule: str
    detail: str
    member: str = ""
    description: str = field(default="", compare=False)
    """What the object or parameter is, from its docstring (empty when unknown)."""

    @property
    def classification(self) -> Classification:
        """The rule's classification."""
        return classify(self.rule)

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {
            "package": self.package,
            "path": self.path,
            "member": self.member,
            "rule": self.rule,
            "classification": self.classification.value,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Param:
    """One parameter of a signature, as callers see it."""

    name: str
    kind: str
    """A ``griffe.ParameterKind`` value: ``positional-only``, ``keyword-only``..."""
    default: str | None
    """The default as written; None when the parameter is required."""
    annotation: str | None
    doc: str = field(default="", compare=False)

    @property
    def required(self) -> bool:
        """Whether callers must pass it."""
        return self.default is None and self.kind not in (_VAR_POSITIONAL, _VAR_KEYWORD)

    def show(self) -> str:
        """``name: annotation = default`` as in a signature."""
        text = self.name if self.annotation is None else f"{self.name}: {self.annotation}"
        return text if self.default is None else f"{text} = {self.default}"


_VAR_POSITIONAL = griffe.ParameterKind.var_positional.value
_VAR_KEYWORD = griffe.ParameterKind.var_keyword.value
_KEYWORD_ONLY = griffe.ParameterKind.keyword_only.value
_POSITIONAL_ONLY = griffe.ParameterKind.positional_only.value
_POSITIONAL_OR_KEYWORD = griffe.ParameterKind.positional_or_keyword.value


@dataclass(frozen=True)
class Facts:
    """What users can rely on about one public object."""

    kind: str
    """``module``, ``class``, ``function`` or ``attribute`` (a property is an attribute)."""
    canonical: str
    """The object's identity: where it is defined, a class member as ``Class.member``."""
    package: str
    params: tuple[Param, ...] | None = None
    """A function's parameters, or a class's constructor ones (None: unknown, not compared)."""
    returns: str | None = None
    is_async: bool = False
    ancestors: frozenset[str] = frozenset()
    """A class's public base classes, direct or not (``except`` clauses catch by these)."""
    annotation: str | None = None
    value: str | None = None
    exports: tuple[str, ...] | None = None
    deprecated: bool = False
    doc: str = field(default="", compare=False)
    is_exception: bool = False
    fields: bool = False
    """A class whose constructor is made of its fields (attrs, dataclasses)."""
    defined: frozenset[str] = frozenset()
    """A module's names, public or not (a name dropped from ``__all__`` may still be there)."""


Surface = dict[str, Facts]
"""Every public path of every package of one side, with the object's facts."""


# -- loading and walking ------------------------------------------------------------------------


def load(packages: Sequence[str], search_paths: Sequence[Path]) -> list[Any]:
    """Load ``packages`` statically from ``search_paths`` only, into one collection."""
    loader = griffe.GriffeLoader(
        search_paths=[str(p) for p in search_paths],
        allow_inspection=False,
        store_source=False,
        docstring_parser="google",
    )
    roots = [loader.load(name) for name in packages]
    loader.resolve_aliases(external=False, implicit=False)
    return roots


def _target(obj: Any) -> Any:
    """``obj`` with aliases (re-exports) followed; None when they lead outside the collection."""
    try:
        return obj.final_target if obj.is_alias else obj
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _is_public(name: str, member: Any, parent: Any) -> bool:
    if parent.is_class:
        return not name.startswith("_")
    try:
        return bool(member.is_public)
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return False


def _members(obj: Any) -> Iterator[tuple[str, Any]]:
    """Public members; a class's inherited ones included."""
    members = obj.all_members if obj.is_class else obj.members
    for name, member in sorted(members.items()):
        if _is_public(name, member, obj):
            yield name, member


_PRIVATE_NAME = re.compile(r"(?<![\w.'\"])_(?=[A-Za-z])")


def _text(expr: Any) -> str | None:
    """An annotation as compared.

    Module qualifiers are dropped, and a private class name is read as its public twin
    (``_RawResponseView`` made public is the same type for users).
    """
    if expr is None:
        return None
    return _PRIVATE_NAME.sub("", _strip_modules(str(expr)))


_QUALIFIED = re.compile(r"\b(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)")


def _strip_modules(text: str) -> str:
    # ``datetime.datetime`` and ``datetime`` are the same annotation written two ways.
    return _QUALIFIED.sub(r"\1", text)


def _first_line(docstring: Any) -> str:
    if docstring is None:
        return ""
    return str(docstring.value).strip().split("\n\n")[0].replace("\n", " ").strip()


def _param_docs(function: Any) -> dict[str, str]:
    """Parameter descriptions from a Google-style docstring (``Args:``)."""
    if function.docstring is None:
        return {}
    found: dict[str, str] = {}
    try:
        sections = function.docstring.parse("google")
    except Exception:  # a malformed docstring must not stop the diff
        return {}
    for section in sections:
        if section.kind is griffe.DocstringSectionKind.parameters:
            for item in section.value:
                # "timeout, max_retries: per-call overrides" documents both names.
                for name in str(item.name).split(","):
                    found[name.strip()] = " ".join(str(item.description).split())
    return found


def _signature(function: Any, drop_first: bool) -> tuple[Param, ...]:
    docs = _param_docs(function)
    params = list(function.parameters)
    if drop_first and params and params[0].kind.value != _VAR_POSITIONAL:
        params = params[1:]
    return tuple(
        Param(
            p.name,
            p.kind.value,
            None if p.default is None else _strip_modules(str(p.default)),
            _text(p.annotation),
            docs.get(p.name, ""),
        )
        for p in params
    )


def _canonical(expr: Any) -> str:
    try:
        return str(expr.canonical_path)
    except Exception:  # an expression that is not a name
        return str(expr)


def _is_dataclass_like(cls: Any) -> dict[str, str] | None:
    """The keyword arguments of an attrs/dataclass decorator of ``cls``; None if it has none."""
    for decorator in cls.decorators:
        value = decorator.value
        function = value.function if isinstance(value, griffe.ExprCall) else value
        if _canonical(function) in _DATACLASS_DECORATORS:
            arguments = value.arguments if isinstance(value, griffe.ExprCall) else []
            return {a.name: str(a.value) for a in arguments if isinstance(a, griffe.ExprKeyword)}
    return None


def _field_params(cls: Any, options: dict[str, str]) -> list[Param]:
    """The ``__init__`` parameters attrs or dataclasses make of ``cls``'s own annotated fields."""
    kind = _KEYWORD_ONLY if options.get("kw_only") == "True" else _POSITIONAL_OR_KEYWORD
    params = []
    for name, member in cls.members.items():
        if member.is_alias or not member.is_attribute or member.annotation is None:
            continue
        if "property" in member.labels:
            continue
        annotation = str(member.annotation)
        if "ClassVar" in annotation:
            continue
        default = None if member.value is None else _strip_modules(str(member.value))
        value = member.value
        if isinstance(value, griffe.ExprCall) and _canonical(value.function) in _FIELD_FUNCTIONS:
            keywords = {
                a.name: str(a.value) for a in value.arguments if isinstance(a, griffe.ExprKeyword)
            }
            if keywords.get("init") == "False":
                continue
            if "default" in keywords:
                default = _strip_modules(keywords["default"])
            elif "factory" in keywords or "default_factory" in keywords:
                factory = keywords.get("factory") or keywords["default_factory"]
                default = f"{_strip_modules(factory)}()"
            else:
                default = None
            if keywords.get("kw_only") == "True":
                kind = _KEYWORD_ONLY
        # attrs strips one leading underscore from the argument name of a private field.
        argument = name.removeprefix("_") if options else name
        doc = _first_line(member.docstring)
        params.append(Param(argument, kind, default, _text(member.annotation), doc))
    return params


def _constructor(cls: Any) -> tuple[Param, ...] | None:
    """The constructor parameters of ``cls``; None when they cannot be known statically."""
    chain = [cls, *cls.mro()]
    for klass in chain:
        if "__init__" in klass.members and not klass.members["__init__"].is_alias:
            return _signature(klass.members["__init__"], drop_first=True)
        options = _is_dataclass_like(klass)
        if options is not None:
            # Fields of dataclass-like bases come first, in MRO order from the root.
            params: list[Param] = []
            for base in reversed(chain[chain.index(klass) :]):
                base_options = _is_dataclass_like(base)
                if base_options is not None:
                    own = _field_params(base, base_options)
                    names = {p.name for p in own}
                    params = [p for p in params if p.name not in names] + own
            return tuple(params)
    if not cls.bases or all(str(b) == "object" for b in cls.bases):
        return ()
    return None  # inherited from a class outside the packages (e.g. Exception)


def _ancestors(cls: Any, public: dict[str, str], roots: set[str]) -> frozenset[str]:
    """Public or external (``Exception``) ancestors, by the name users write.

    ``public`` maps canonical paths to shown ones; ``roots`` are the packages compared (a
    base inside them that is not public is an implementation detail, not an ancestor).
    """
    found = set()
    for klass in [cls, *cls.mro()]:
        for base in klass.bases:
            path = _canonical(base)
            resolved = public.get(path)
            if resolved is not None:
                found.add(resolved)
            elif not _is_private_path(path) and path.split(".", 1)[0] not in roots:
                found.add(_strip_modules(str(base)))
    return frozenset(found)


def _is_private_path(path: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in path.split("."))


_EXCEPTION_ROOTS = {"Exception", "BaseException"}


def _is_exception(cls: Any, ancestors: frozenset[str]) -> bool:
    if _EXCEPTION_ROOTS & ancestors or any(a.endswith(("Error", "Exception")) for a in ancestors):
        return True
    return any(str(b) in _EXCEPTION_ROOTS for k in [cls, *cls.mro()] for b in k.bases)


def _exports(module: Any) -> tuple[str, ...] | None:
    exports = module.exports
    return None if exports is None else tuple(sorted(str(e) for e in exports))


def _is_deprecated(obj: Any) -> bool:
    decorators = getattr(obj, "decorators", None) or []
    return any(
        _canonical(d.value.function if isinstance(d.value, griffe.ExprCall) else d.value)
        in _DEPRECATED
        for d in decorators
    )


def _facts(obj: Any, canonical: str, package: str, in_class: bool) -> Facts:
    if obj.is_module:
        return Facts(
            "module",
            canonical,
            package,
            exports=_exports(obj),
            doc=_first_line(obj.docstring),
            defined=frozenset(obj.members),
        )
    if obj.is_class:
        return Facts("class", canonical, package, doc=_first_line(obj.docstring))
    if obj.is_function:
        if "property" in obj.labels:
            return Facts(
                "attribute",
                canonical,
                package,
                annotation=_text(obj.returns),
                doc=_first_line(obj.docstring),
            )
        static = "staticmethod" in obj.labels
        return Facts(
            "function",
            canonical,
            package,
            params=_signature(obj, drop_first=in_class and not static),
            returns=_text(obj.returns),
            is_async="async" in obj.labels,
            deprecated=_is_deprecated(obj),
            doc=_first_line(obj.docstring),
        )
    value = None if obj.value is None or obj.name in _IGNORED_VALUES else str(obj.value)
    if "class-attribute" not in obj.labels and "module-attribute" not in obj.labels:
        value = None  # set in __init__: how it is computed, not a constant users rely on
    if in_class and obj.annotation is not None:
        value = None  # a field's default: compared as the constructor argument's default
    return Facts(
        "attribute",
        canonical,
        package,
        annotation=_text(obj.annotation),
        value=value,
        doc=_first_line(obj.docstring),
    )


def surface(roots: Sequence[Any]) -> Surface:
    """Every public path of ``roots`` (walked breadth-first, in order) with its facts."""
    found: Surface = {}
    classes: dict[str, tuple[Any, str]] = {}
    queue = deque((root, root.path, root.path, root.path, 0) for root in roots)
    # One object reached by several paths (re-exports) is read once.
    known: dict[tuple[int, str, str, bool], Facts] = {}
    while queue:
        obj, path, canonical, package, depth = queue.popleft()
        in_class = "." in path and path.rsplit(".", 1)[0] in classes
        if path not in found:
            key = (id(obj), canonical, package, in_class)
            if key not in known:
                known[key] = _facts(obj, canonical, package, in_class)
            found[path] = known[key]
        if obj.is_class:
            classes[path] = (obj, canonical)
        if depth >= _MAX_DEPTH or not (obj.is_module or obj.is_class):
            continue
        for name, member in _members(obj):
            target = _target(member)
            if target is None or target.is_alias:
                continue
            child = f"{path}.{name}"
            if child in found or f"{canonical}.".startswith(f"{target.path}."):
                continue  # already walked, or an alias of an enclosing module (a cycle)
            # A class member is the class's, wherever it is defined (inherited or not).
            child_canonical = f"{canonical}.{name}" if obj.is_class else target.path
            queue.append((target, child, child_canonical, package, depth + 1))
    _complete_classes(found, classes)
    return found


def _complete_classes(found: Surface, classes: dict[str, tuple[Any, str]]) -> None:
    """Constructors and ancestors, once every public path of a class is known."""
    public = preferred_paths(found)
    roots = {path.split(".", 1)[0] for path in found}
    known: dict[int, dict[str, Any]] = {}
    for path, (cls, _) in classes.items():
        if id(cls) not in known:
            ancestors = _ancestors(cls, public, roots)
            known[id(cls)] = {
                "params": _constructor(cls),
                "fields": any(_is_dataclass_like(k) is not None for k in [cls, *cls.mro()]),
                "ancestors": ancestors,
                "is_exception": _is_exception(cls, ancestors),
                "deprecated": _is_deprecated(cls),
            }
        found[path] = replace(found[path], **known[id(cls)])


def preferred_paths(found: Surface) -> dict[str, str]:
    """The path each object is shown under, by canonical: earliest package, then shortest."""
    order = {f.package: i for i, f in reversed(list(enumerate(found.values())))}
    best: dict[str, str] = {}
    for path, facts in found.items():
        key = (order[facts.package], path.count("."), path)
        current = best.get(facts.canonical)
        if current is None or key < (
            order[found[current].package],
            current.count("."),
            current,
        ):
            best[facts.canonical] = path
    return best


# -- annotations ----------------------------------------------------------------------------------


def _split_top(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside brackets and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            start = index + len(separator)
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def members(annotation: str) -> frozenset[str]:
    """The union members of ``annotation``.

    ``Optional[X]`` is ``{X, None}``; each ``Literal`` value is a member of its own.
    """
    found: set[str] = set()
    for part in _split_top(annotation.strip().strip("'\""), "|"):
        head, _, rest = part.partition("[")
        inner = rest[:-1] if rest.endswith("]") else ""
        if head == "Optional":
            found |= members(inner) | {"None"}
        elif head == "Union":
            for item in _split_top(inner, ","):
                found |= members(item)
        elif head == "Literal":
            found |= {
                f"Literal[{item.replace(chr(34), chr(39))}]" for item in _split_top(inner, ",")
            }
        else:
            found.add(part.replace('"', "'"))
    return frozenset(found)


def compare_types(old: str | None, new: str | None) -> str | None:
    """``widened``, ``narrowed`` or ``changed`` from ``old`` to ``new``; None when equal.

    An absent annotation or ``Any`` accepts everything.
    """
    if old is None or new is None or old == new:
        return None
    before, after = members(old), members(new)
    if before == after:
        return None
    if "Any" in after or (before < after and "Any" not in before):
        return "widened"
    if "Any" in before or after < before:
        return "narrowed"
    return "changed"


# -- comparing ------------------------------------------------------------------------------------


@dataclass
class _Differ:
    old: Surface
    new: Surface
    changes: set[SurfaceChange] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.old_shown = preferred_paths(self.old)
        self.new_shown = preferred_paths(self.new)

    def shown(self, path: str, side: str = "new") -> str:
        surface, shown = (self.new, self.new_shown) if side == "new" else (self.old, self.old_shown)
        return shown[surface[path].canonical]

    def emit(
        self,
        path: str,
        rule: str,
        detail: str,
        member: str = "",
        description: str = "",
        *,
        side: str = "new",
    ) -> None:
        shown = self.shown(path, side)
        # The package is the shown path's: one change reached from both packages is one change.
        package = shown.split(".", 1)[0]
        self.changes.add(SurfaceChange(package, shown, rule, detail, member, description))

    def run(self) -> list[SurfaceChange]:
        for path in sorted(self.old.keys() & self.new.keys()):
            self.compare(path, self.old[path], self.new[path])
        self.removals()
        self.additions()
        self.rename_hints()
        return sorted(self.changes, key=lambda c: (-c.classification.severity, c))

    def shape(self, surface: Surface, path: str) -> tuple[object, ...] | None:
        """What must match for a removed and an added object to be the same one renamed."""
        facts = surface.get(path)
        if facts is None:
            return None
        if facts.kind == "function":
            return ("function", facts.params, facts.returns, facts.is_async)
        if facts.kind == "class":
            prefix = path + "."
            names = sorted(p[len(prefix) :] for p in surface if p.startswith(prefix))
            return ("class", *(n for n in names if "." not in n))
        return None

    def rename_hints(self) -> None:
        """Pair a removal with an addition under the same parent when exactly one has its shape.

        A rename stays a removal (the old name is gone, which breaks callers) and an addition,
        each naming the other, so that a reviewer reads one rename, not two changes.
        """

        def shapes(rule: str, surface: Surface) -> dict[SurfaceChange, tuple[object, ...]]:
            found = {}
            for change in self.changes:
                shape = self.shape(surface, change.path) if change.rule == rule else None
                if shape is not None:
                    found[change] = (change.path.rpartition(".")[0], *shape)
            return found

        removed = shapes("python-object-removed", self.old)
        added = shapes("python-object-added", self.new)
        for gone, key in removed.items():
            twins = [c for c, k in added.items() if k == key]
            if len(twins) != 1 or list(removed.values()).count(key) != 1:
                continue  # ambiguous: say nothing rather than guess
            (twin,) = twins
            old_name, new_name = gone.path.rpartition(".")[2], twin.path.rpartition(".")[2]
            same = "same signature" if key[1] == "function" else "same public members"
            self.changes -= {gone, twin}
            self.changes.add(
                replace(gone, detail=f"{gone.detail} (renamed to `{new_name}`? {same})")
            )
            self.changes.add(
                replace(twin, detail=f"{twin.detail} (renamed from `{old_name}`? {same})")
            )

    # -- presence ---------------------------------------------------------------------------

    def removals(self) -> None:
        gone = sorted(self.old.keys() - self.new.keys(), key=lambda p: (p.count("."), p))
        reported: set[str] = set()
        for path in gone:
            if any(path.startswith(p + ".") for p in reported):
                continue  # inside something already reported removed
            reported.add(path)
            facts = self.old[path]
            if (
                self._field_argument(self.old, path)
                and path.rpartition(".")[0] in self.new
                and not self._field_argument(self.new, path)
            ):
                continue  # reported as a removed field by the constructor's comparison
            others = [
                p
                for p, f in self.old.items()
                if f.canonical == facts.canonical and p != path and p in self.new
            ]
            parent = path.rsplit(".", 1)[0]
            still_there = self._still_defined(path)
            if others:
                shown = min(others, key=lambda p: (p.count("."), p))
                self.emit(
                    path,
                    "python-object-removed",
                    f"no longer importable as `{path}` (still `{shown}`)",
                    side="old",
                )
            elif still_there:
                self.emit(
                    path,
                    "python-object-removed",
                    f"{facts.kind} `{path.rsplit('.', 1)[1]}`"
                    f" no longer in `{parent}.__all__` (no longer public)",
                    side="old",
                )
            else:
                self.emit(path, "python-object-removed", f"{facts.kind} removed", side="old")

    def _still_defined(self, path: str) -> bool:
        """Whether the module of ``path`` still has the name, only no longer exports it."""
        parent, _, name = path.rpartition(".")
        after = self.new.get(parent)
        return after is not None and after.kind == "module" and name in after.defined

    def additions(self) -> None:
        old_canonicals = {f.canonical for f in self.old.values()}
        came = sorted(self.new.keys() - self.old.keys(), key=lambda p: (p.count("."), p))
        reported: set[str] = set()
        for path in came:
            facts = self.new[path]
            if any(path.startswith(p + ".") for p in reported):
                continue  # a member of something new is part of it
            if facts.canonical in old_canonicals and self.shown(path) != path:
                continue  # one more way to import an object that was public already
            if self.shown(path) != path:
                continue  # reported under the path users import
            reported.add(path)
            if self._field_argument(self.new, path) and not self._field_argument(self.old, path):
                continue  # reported as a new field by the constructor's comparison
            owner = self.new.get(path.rpartition(".")[0])
            kind = facts.kind
            if kind == "function" and owner is not None and owner.kind == "class":
                kind = "method"
            self.emit(path, "python-object-added", f"new {kind}", description=facts.doc)

    @staticmethod
    def _field_argument(surface: Surface, path: str) -> bool:
        """Whether ``path`` is a field of a class whose constructor takes it."""
        parent, _, name = path.rpartition(".")
        owner = surface.get(parent)
        return bool(
            owner is not None
            and owner.fields
            and owner.params
            and any(p.name == name for p in owner.params)
        )

    # -- one object ---------------------------------------------------------------------------

    def compare(self, path: str, old: Facts, new: Facts) -> None:
        if old.kind != new.kind:
            self.emit(path, "python-object-changed-kind", f"was {_a(old.kind)}, now {_a(new.kind)}")
            return
        if not old.deprecated and new.deprecated:
            self.emit(path, "python-object-deprecated", "deprecated", description=new.doc)
        if new.kind == "function":
            if old.is_async != new.is_async:
                now = "a coroutine function (await it)" if new.is_async else "no longer async"
                self.emit(path, "python-function-changed-async", f"now {now}")
            self.compare_params(path, old.params, new.params, "")
            self.compare_type(path, old.returns, new.returns, _OUTPUT, "return type", "")
        elif new.kind == "class":
            self.compare_params(path, old.params, new.params, "constructor ", new.fields)
            self.compare_bases(path, old, new)
        elif new.kind == "attribute":
            # A field's type change also shows on its constructor argument: one member, one entry.
            member = path.rpartition(".")[2] if self._field_argument(self.new, path) else ""
            self.compare_type(path, old.annotation, new.annotation, _OUTPUT, "type", member)
            if old.value != new.value and old.value is not None and new.value is not None:
                self.emit(
                    path, "python-attribute-changed-value", f"value `{old.value}` → `{new.value}`"
                )

    def compare_bases(self, path: str, old: Facts, new: Facts) -> None:
        for base in sorted(old.ancestors - new.ancestors):
            base = _short(base)
            self.emit(
                path,
                "python-class-removed-base",
                f"no longer a subclass of `{base}`"
                + (f" (`except {base}` no longer catches it)" if old.is_exception else ""),
            )
        for base in sorted(new.ancestors - old.ancestors):
            base = _short(base)
            if new.is_exception:
                detail = f"now also a subclass of `{base}` (`except {base}` now catches it)"
                self.emit(path, "python-exception-added-base", detail)
            else:
                self.emit(path, "python-class-added-base", f"now also a subclass of `{base}`")

    def compare_type(
        self,
        path: str,
        old: str | None,
        new: str | None,
        side: str,
        what: str,
        member: str,
        doc: str = "",
        who: str = "",
    ) -> None:
        verdict = compare_types(old, new)
        if verdict is None:
            return
        owner = f"{who or f'`{member}`'} " if member else ""
        detail = f"{owner}{what} `{old}` → `{new}`"
        if side == _INPUT:
            rule = f"python-parameter-type-{verdict}"
        else:
            rule = {"changed": "python-attribute-changed-type"}.get(verdict, "")
            rule = rule or f"python-attribute-type-{verdict}"
            if what == "return type":
                rule = rule.replace("attribute", "return")
        self.emit(path, rule, detail, member, doc)

    def compare_params(
        self,
        path: str,
        old: tuple[Param, ...] | None,
        new: tuple[Param, ...] | None,
        where: str,
        fields: bool = False,
    ) -> None:
        """Compare two signatures; ``fields``: the constructor of a class made of its fields.

        A field's constructor argument is reported at the field's path (``Reward.name``), so
        that its attribute and its argument make one entry.
        """
        if old is None or new is None:
            return
        before = {p.name: p for p in old}
        after = {p.name: p for p in new}
        noun = f"{where}argument" if where else "parameter"

        def at(name: str) -> str:
            child = f"{path}.{name}"
            return child if fields and (child in self.new or child in self.old) else path

        for param in old:
            if param.name not in after:
                detail = (
                    f"field `{param.name}` removed"
                    if at(param.name) != path
                    else f"{noun} `{param.name}` removed"
                )
                side = "new" if at(param.name) in self.new else "old"
                self.emit(
                    at(param.name), "python-parameter-removed", detail, param.name, param.doc,
                    side=side,
                )  # fmt: skip
        for param in new:
            if param.name in before:
                continue
            kind = "keyword" if param.kind == _KEYWORD_ONLY else noun
            if at(param.name) != path:
                optional = "required" if param.required else "optional"
                detail = f"new field `{param.name}` ({optional} constructor argument)"
            elif param.required:
                detail = f"new required {kind} `{param.name}`"
            else:
                detail = f"new {'optional ' if kind != 'keyword' else ''}{kind} `{param.name}`"
            rule = "python-parameter-added-required" if param.required else "python-parameter-added"
            self.emit(at(param.name), rule, detail, param.name, param.doc)
        # A positional argument must keep its index, or positional calls pass it to another.
        positional = (_POSITIONAL_ONLY, _POSITIONAL_OR_KEYWORD)
        old_order = [p.name for p in old if p.kind in positional]
        new_order = [p.name for p in new if p.kind in positional]
        if any(
            name in new_order and new_order.index(name) != index
            for index, name in enumerate(old_order)
        ):
            detail = f"positional order ({', '.join(old_order)}) → ({', '.join(new_order)})"
            # The argument inserted, or the one that became required (attrs puts required
            # fields first), is what moved the others: the change is its.
            culprits = [
                n for n in new_order if n not in before or before[n].required != after[n].required
            ]
            member = culprits[0] if len(culprits) == 1 else ""
            # Models are built with keywords (their fields are sorted by the generator, which
            # reorders them on any addition): a shift breaks only positional construction.
            rule = "python-field-order-changed" if fields else "python-parameter-moved"
            self.emit(at(member) if member else path, rule, detail, member)
        for name in sorted(before.keys() & after.keys()):
            self.compare_param(at(name), before[name], after[name], noun)

    def compare_param(self, path: str, old: Param, new: Param, noun: str) -> None:
        name, doc = new.name, new.doc or old.doc
        # A class's constructor argument is named as such, unless reported at its field's path.
        constructor = noun.startswith("constructor") and not path.endswith(f".{name}")
        who = f"constructor argument `{name}`" if constructor else f"`{name}`"
        if old.kind != new.kind:
            widened = (old.kind, new.kind) in (
                (_KEYWORD_ONLY, _POSITIONAL_OR_KEYWORD),
                (_POSITIONAL_ONLY, _POSITIONAL_OR_KEYWORD),
            )
            rule = "python-parameter-kind-widened" if widened else "python-parameter-changed-kind"
            self.emit(path, rule, f"{who} was {old.kind}, now {new.kind}", name, doc)
        if old.required != new.required:
            if new.required:
                self.emit(
                    path,
                    "python-parameter-changed-required",
                    f"{who} is now required (was `{old.show()}`)",
                    name,
                    doc,
                )
            else:
                self.emit(
                    path,
                    "python-parameter-became-optional",
                    f"{who} is now optional (default `{new.default}`)",
                    name,
                    doc,
                )
        elif old.default != new.default and not new.required:
            self.emit(
                path,
                "python-parameter-changed-default",
                f"{who} default `{old.default}` → `{new.default}`",
                name,
                doc,
            )
        self.compare_type(path, old.annotation, new.annotation, _INPUT, "accepts", name, doc, who)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _short(path: str) -> str:
    """A public path as written after ``from package import *``: ``brevo_loyalty.X`` -> ``X``."""
    root, _, rest = path.partition(".")
    return rest if rest and root == "brevo_loyalty" else path


def diff_surfaces(old: Surface, new: Surface) -> list[SurfaceChange]:
    """Changes from one side's surface to the other's, breaking ones first."""
    return _Differ(old, new).run()


def diff_packages(
    packages: Sequence[str], old_paths: Sequence[Path], new_paths: Sequence[Path]
) -> list[SurfaceChange]:
    """Changes of ``packages`` from the copies found in ``old_paths`` to those in ``new_paths``.

    The first package is the one users import: an object reachable from several packages is
    shown under its path there.
    """
    old_roots, new_roots = load(packages, old_paths), load(packages, new_paths)
    return diff_surfaces(surface(old_roots), surface(new_roots))


def diff_package(package: str, old_root: Path, new_root: Path) -> list[SurfaceChange]:
    """Changes of one ``package`` from the copy under ``old_root`` to the one under ``new_root``."""
    return diff_packages([package], [old_root], [new_root])
