"""The second rendering step of ``scripts/regenerate``: the per-operation client surface.

openapi-python-client renders the models and the plain ``api/`` functions. This step reads the same
spec and renders ``brevo_loyalty_api/_surface.py`` from ``templates/brevo/surface.py.jinja``: the
operation table the engine and the sandbox run on, and the ``Rewards`` / ``AsyncRewards`` operation
methods with their signatures, argument checks and docstrings, sync and async from one template.

Everything per operation comes from the spec: names (``x-python-name`` renames a parameter),
types, constraints, defaults, descriptions, success and error statuses, idempotency (by method:
GET, HEAD, PUT and DELETE are; ``x-idempotent`` overrides), pagination (``x-pagination``),
"give one of" rules (``x-require-one-of``), list arguments sent as CSV (``x-python-csv``) and
string fields that take a ``datetime`` (``x-python-datetime``). A spec construct this step does
not know fails the regeneration with a message naming the operation and parameter.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from openapi_python_client.strings import pascal_case, snake_case

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
IDEMPOTENT_METHODS = frozenset({"get", "head", "put", "delete", "options", "trace"})
TEMPLATE = "brevo/surface.py.jinja"


class SurfaceError(Exception):
    """The spec uses something the surface renderer cannot express."""


@dataclass
class Param:
    """One argument of a rendered method."""

    python_name: str
    wire_name: str
    location: str
    required: bool
    check: str  # Python source of the check, e.g. ``Integer(minimum=1, maximum=100)``
    annotation: str  # the argument's type in the client's signature
    received: str  # the type the sandbox hands its handler
    description: str
    default: Any = None
    maximum: int | None = None
    models: list[str] = field(default_factory=list)  # generated classes the annotation names
    notes: list[str] = field(default_factory=list)  # what the spec constrains, for the docstring

    @property
    def doc(self) -> str:
        """The ``Args:`` line's text: description, then what the spec constrains."""
        parts = [self.description.strip().rstrip(".") or self.python_name.replace("_", " ")]
        parts.extend(self.notes)
        return ". ".join(parts) + "."


@dataclass
class Pagination:
    """How a paged operation is iterated (``x-pagination``)."""

    iterator: str
    limit: str
    offset: str
    items: str
    total: str
    item_model: str
    max_page_size: int


@dataclass
class Operation:
    """One operation, ready for the template."""

    name: str
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    params: list[Param]
    idempotent: bool
    result: str | None  # model class name, or None when the call returns nothing
    result_description: str
    success_statuses: list[int]
    errors: list[tuple[int, str]]
    one_of: list[list[str]]
    pagination: Pagination | None
    example: Any = None  # the smallest schema-valid success body (the sandbox's fallback answer)

    @property
    def constant(self) -> str:
        """The name of the operation's table entry (``LIST_REWARDS``)."""
        return self.name.upper()

    @property
    def class_prefix(self) -> str:
        """``ListRewards``, for the per-operation typed dicts."""
        return pascal_case(self.operation_id)


class _Spec:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Any:
        seen: set[str] = set()
        while isinstance(node, Mapping) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
                raise SurfaceError(f"unsupported reference {ref!r}")
            seen.add(ref)
            target: Any = self.document
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def ref_name(self, node: Any) -> str | None:
        """The component schema name a ``$ref`` points to, if it is one."""
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref: str = node["$ref"]
            if ref.startswith("#/components/schemas/"):
                return ref.rsplit("/", 1)[1]
        return None


def _python_name(node: Mapping[str, Any], wire_name: str, where: str) -> str:
    name = node.get("x-python-name") or snake_case(wire_name)
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise SurfaceError(f"{where}: {name!r} is not a usable Python name (set x-python-name)")
    return str(name)


def _literal(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def _param(
    spec: _Spec,
    where: str,
    wire_name: str,
    location: str,
    schema_node: Any,
    node: Mapping[str, Any],
) -> Param:
    """Build a parameter from its (unresolved) schema, choosing check and types from the spec."""
    python_name = _python_name(node, wire_name, where)
    schema = spec.resolve(schema_node)
    ref = spec.ref_name(schema_node)
    description = str(node.get("description") or schema.get("description") or "")
    notes: list[str] = []
    models: list[str] = []
    kind = schema.get("type")
    fmt = schema.get("format")
    csv = node.get("x-python-csv")
    if csv is not None:
        if kind != "string" or not isinstance(csv, Mapping) or csv.get("format") != "uuid":
            raise SurfaceError(f"{where}: x-python-csv supports lists of uuid strings only")
        check, annotation, received = "CsvList(Uuid())", "Sequence[UUID | str]", "list[str]"
        notes.append("A non-empty list of UUIDs, sent comma-separated")
    elif "enum" in schema:
        values = list(schema["enum"])
        literal = f"Literal[{_literal(values)}]"
        annotation = f"{literal} | {pascal_case(ref)}" if ref else literal
        models = [pascal_case(ref)] if ref else []
        check, received = f"Choice(({_literal(values)},))", literal
        notes.append("One of " + ", ".join(f"``{v}``" for v in values))
    elif kind == "string" and fmt == "uuid":
        check, annotation, received = "Uuid()", "UUID | str", "str"
        notes.append("A UUID")
    elif kind == "string":
        limits = []
        if "minLength" in schema:
            limits.append(f"min_length={int(schema['minLength'])}")
        if "maxLength" in schema:
            limits.append(f"max_length={int(schema['maxLength'])}")
            notes.append(f"At most {int(schema['maxLength'])} characters")
        if location == "path":
            limits.append("in_path=True")
        if node.get("x-python-datetime") or fmt == "date-time":
            check, annotation = f"DateTimeText({', '.join(limits)})", "datetime | str"
            received = "datetime"  # the sandbox reads it as an aware datetime
            notes.append("A timezone-aware ``datetime`` is sent as RFC 3339")
        else:
            check, annotation, received = f"Text({', '.join(limits)})", "str", "str"
    elif kind == "integer":
        limits = [f"format={fmt!r}"] if fmt in ("int32", "int64") else []
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None:
            limits.append(f"minimum={int(low)}")
        if high is not None:
            limits.append(f"maximum={int(high)}")
        if low is not None and high is not None:
            notes.append(f"{int(low)} to {int(high)}")
        elif low is not None:
            notes.append(f">= {int(low)}")
        check, annotation, received = f"Integer({', '.join(limits)})", "int", "int"
    elif kind == "number":
        check, annotation, received = "Number()", "float", "float"
    elif kind == "boolean":
        check, annotation, received = "Boolean()", "bool", "bool"
    elif kind == "object" and ref is None:
        check, annotation, received = "JsonObject()", "Mapping[str, object]", "dict[str, Any]"
        notes.append("A JSON object")
    elif kind == "object" and ref is not None:
        model = pascal_case(ref)
        module = snake_case(ref)
        check = f'ModelObject(ModelRef("brevo_loyalty_api.models.{module}", "{model}"))'
        annotation, received = f"{model} | Mapping[str, object]", "dict[str, Any]"
        models = [model]
        notes.append(f"A ``{model}``, or a mapping in its wire form")
    else:
        raise SurfaceError(f"{where}: parameter {wire_name!r} has a type the surface cannot send")
    default = schema.get("default")
    if default is not None:
        notes.append(f"The server's default: ``{default}``")
    return Param(
        python_name=python_name,
        wire_name=wire_name,
        location=location,
        required=bool(node.get("required", False)),
        check=check,
        annotation=annotation,
        received=received,
        description=description,
        default=default,
        maximum=int(schema["maximum"]) if "maximum" in schema else None,
        models=models,
        notes=notes,
    )


def _operations(spec: _Spec, statuses_to_errors: Mapping[int, str]) -> Iterator[Operation]:
    for path, item in spec.document["paths"].items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            node = item[method]
            operation_id = node.get("operationId")
            if not operation_id:
                raise SurfaceError(f"{method.upper()} {path} has no operationId")
            where = f"{operation_id}"
            params: list[Param] = []
            for raw in [*item.get("parameters", []), *node.get("parameters", [])]:
                param = spec.resolve(raw)
                if param["in"] not in ("path", "query"):
                    raise SurfaceError(f"{where}: {param['in']} parameters are not supported")
                params.append(
                    _param(
                        spec,
                        f"{where} parameter {param['name']!r}",
                        param["name"],
                        param["in"],
                        param.get("schema", {}),
                        param,
                    )
                )
            if "requestBody" in node:
                body = spec.resolve(node["requestBody"])
                media = body.get("content", {}).get("application/json")
                if media is None:
                    raise SurfaceError(f"{where}: only JSON request bodies are supported")
                schema = spec.resolve(media["schema"])
                required = set(schema.get("required", [])) if body.get("required") else set()
                for wire_name, prop in schema.get("properties", {}).items():
                    resolved = spec.resolve(prop)
                    field_node = {
                        **resolved,
                        **{k: v for k, v in prop.items() if k != "$ref"},
                        "required": wire_name in required,
                    }
                    params.append(
                        _param(
                            spec,
                            f"{where} body field {wire_name!r}",
                            wire_name,
                            "body",
                            prop,
                            field_node,
                        )
                    )
            names = [p.python_name for p in params]
            clashes = {n for n in names if names.count(n) > 1}
            if clashes:
                raise SurfaceError(f"{where}: two parameters are both called {sorted(clashes)}")
            wire_to_python = {p.wire_name: p.python_name for p in params}
            one_of = [
                [wire_to_python[wire] for wire in group]
                for group in node.get("x-require-one-of", [])
            ]
            responses = node.get("responses", {})
            success = sorted(int(s) for s in responses if str(s).startswith("2"))
            result, result_description = None, ""
            empty = any("content" not in spec.resolve(responses[str(s)]) for s in success)
            example = None
            if not empty:
                names_seen = set()
                for status in success:
                    response = spec.resolve(responses[str(status)])
                    schema_node = response["content"]["application/json"]["schema"]
                    names_seen.add(spec.ref_name(schema_node))
                    result_description = str(response.get("description", ""))
                if len(names_seen) != 1 or None in names_seen:
                    raise SurfaceError(f"{where}: success responses must share one model schema")
                name = names_seen.pop()
                assert name is not None
                result = pascal_case(name)
                example = _example(spec, schema_node)
            errors = [
                (int(s), statuses_to_errors.get(int(s), "APIStatusError"))
                for s in sorted(responses, key=int)
                if int(s) >= 400
            ]
            pagination = None
            paging = node.get("x-pagination")
            if paging is not None:
                pagination = _pagination(spec, where, paging, params, result, success, responses)
            idempotent = node.get("x-idempotent", method in IDEMPOTENT_METHODS)
            yield Operation(
                name=snake_case(operation_id),
                operation_id=operation_id,
                method=method.upper(),
                path=path,
                summary=str(node.get("summary", "")),
                description=str(node.get("description", "")),
                params=params,
                idempotent=bool(idempotent),
                result=result,
                result_description=result_description,
                success_statuses=success,
                errors=errors,
                one_of=one_of,
                pagination=pagination,
                example=example,
            )


def _example(spec: _Spec, node: Any, depth: int = 0) -> Any:
    """The smallest value ``node``'s schema accepts: required properties only, lists empty."""
    schema = spec.resolve(node)
    if depth > 20:
        raise SurfaceError("a required property recurses without end")
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return _example(spec, schema[key][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {
            name: _example(spec, properties[name], depth + 1) for name in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return max(0, schema.get("minimum", 0))
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    formats = {"uuid": "00000000-0000-4000-8000-000000000000", "date-time": "2025-01-01T00:00:00Z"}
    return formats.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))


def _pagination(
    spec: _Spec,
    where: str,
    paging: Mapping[str, Any],
    params: list[Param],
    result: str | None,
    success: list[int],
    responses: Mapping[str, Any],
) -> Pagination:
    by_wire = {p.wire_name: p for p in params}
    limit = by_wire.get(paging.get("limit", "limit"))
    offset = by_wire.get(paging.get("offset", "offset"))
    if limit is None or offset is None or result is None:
        raise SurfaceError(f"{where}: x-pagination needs limit and offset parameters and a model")
    response = spec.resolve(responses[str(success[0])])
    page = spec.resolve(response["content"]["application/json"]["schema"])
    items_node = page.get("properties", {}).get(paging["items"])
    if items_node is None or paging["total"] not in page.get("properties", {}):
        raise SurfaceError(f"{where}: x-pagination names fields the page does not have")
    item_ref = spec.ref_name(spec.resolve(items_node).get("items"))
    if item_ref is None:
        raise SurfaceError(f"{where}: the page's items must be a list of a model")
    return Pagination(
        iterator=snake_case(paging["iterator"]),
        limit=limit.python_name,
        offset=offset.python_name,
        items=snake_case(paging["items"]),
        total=snake_case(paging["total"]),
        item_model=pascal_case(item_ref),
        max_page_size=limit.maximum or 100,
    )


def render(
    document: Mapping[str, Any], templates: Path, statuses_to_errors: Mapping[int, str]
) -> str:
    """The source of ``surface.py`` for ``document``."""
    spec = _Spec(document)
    operations = list(_operations(spec, statuses_to_errors))
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    models = sorted(
        {op.result for op in operations if op.result}
        | {op.pagination.item_model for op in operations if op.pagination}
        | {model for op in operations for p in op.params for model in p.models}
    )
    return environment.get_template(TEMPLATE).render(
        operations=operations, models=models, title=document.get("info", {}).get("title", "")
    )
