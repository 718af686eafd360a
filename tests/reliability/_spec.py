"""Turn the response schemas of spec/reward-api.yaml into self-contained JSON Schemas.

hypothesis-jsonschema cannot follow ``$ref`` cycles, so every ``#/components/schemas/...`` reference
is inlined, and the recursive ones (RuleCondition, RuleValue, RuleNode) are unrolled a bounded
number of times; past that depth the reference becomes the ``false`` schema, which forbids the
property (or drops that ``anyOf`` branch) instead of generating an unbounded tree.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

SPEC_PATH = Path(__file__).resolve().parents[2] / "spec" / "reward-api.yaml"
REF_PREFIX = "#/components/schemas/"
# Marks the inlined Timestamp schema so that the round-trip comparison knows where a date-time may
# legitimately change notation (hypothesis-jsonschema ignores unknown keywords).
TIMESTAMP_MARK = "x-reliability-timestamp"
INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
MAX_ITEMS = 5
# Values for undeclared keys: any JSON, kept small.
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@cache
def load_spec() -> dict[str, Any]:
    """The parsed OpenAPI document (cached: it never changes during a run)."""
    with SPEC_PATH.open(encoding="utf-8") as fh:
        spec: dict[str, Any] = yaml.safe_load(fh)
    return spec


def component_schemas() -> dict[str, Any]:
    """``components.schemas`` of the spec."""
    schemas: dict[str, Any] = load_spec()["components"]["schemas"]
    return schemas


def recursive_schema_names() -> frozenset[str]:
    """Names of the schemas that (directly or indirectly) reference themselves."""
    schemas = component_schemas()

    def refs_of(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(REF_PREFIX):
                yield ref.removeprefix(REF_PREFIX)
            for value in node.values():
                yield from refs_of(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs_of(value)

    graph = {name: set(refs_of(body)) for name, body in schemas.items()}
    cyclic = set()
    for start in graph:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            name = todo.pop()
            if name == start:
                cyclic.add(start)
                break
            if name not in seen:
                seen.add(name)
                todo.extend(graph.get(name, ()))
    return frozenset(cyclic)


def response_schema_names() -> dict[str, set[str]]:
    """Map each operationId to the component schema names of its response bodies."""
    spec = load_spec()
    shared_responses = spec["components"]["responses"]
    out: dict[str, set[str]] = {}
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            names = out.setdefault(operation["operationId"], set())
            for response in operation["responses"].values():
                ref = response.get("$ref")
                if ref is not None:
                    response = shared_responses[ref.rsplit("/", 1)[1]]
                for media in response.get("content", {}).values():
                    names.add(media["schema"]["$ref"].removeprefix(REF_PREFIX))
    return out


def self_contained(name: str, max_depth: int = 2) -> dict[str, Any]:
    """The component schema ``name`` with every reference inlined.

    ``max_depth`` is how many times one recursive schema may appear on a path from the root.
    """
    schemas = component_schemas()
    recursive = recursive_schema_names()

    def resolve(node: Any, stack: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [resolve(item, stack) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = ref.removeprefix(REF_PREFIX)
            if target in recursive and stack.count(target) >= max_depth:
                return False
            resolved = resolve(copy.deepcopy(schemas[target]), (*stack, target))
            if target == "Timestamp":
                resolved[TIMESTAMP_MARK] = True
            return resolved
        out = {key: resolve(value, stack) for key, value in node.items()}
        # OpenAPI formats carry the integer width; JSON Schema does not, so make it explicit to
        # generate only values a real server could send.
        if out.get("type") == "integer" and out.get("format") in INT_RANGES:
            low, high = INT_RANGES[out["format"]]
            out.setdefault("minimum", low)
            out.setdefault("maximum", high)
        return out

    result = resolve(schemas[name], (name,))
    assert isinstance(result, dict)
    return result


def _branch_for(schema: Any, value: Any) -> dict[str, Any]:
    """The sub-schema of ``schema`` that describes ``value`` (picks the matching ``anyOf`` arm)."""
    if not isinstance(schema, dict):
        return {}
    if "anyOf" in schema:
        wanted = "object" if isinstance(value, dict) else "array" if isinstance(value, list) else ""
        for arm in schema["anyOf"]:
            if isinstance(arm, dict) and arm.get("type") == wanted:
                return arm
        return {}
    return schema


def _parse_timestamp(value: str) -> tuple[datetime.datetime, datetime.timedelta | None]:
    parsed = datetime.datetime.fromisoformat(value)
    return parsed, parsed.utcoffset()


def assert_json_equivalent(schema: Any, sent: Any, back: Any, path: str = "$") -> None:
    """Assert ``back`` equals ``sent`` as JSON, allowing a Timestamp to change notation only.

    A date-time the model parsed is re-serialised with ``isoformat()``, so ``Z`` may become
    ``+00:00``; such a pair must still denote the same instant with the same UTC offset.
    """
    if (
        isinstance(schema, dict)
        and schema.get(TIMESTAMP_MARK)
        and isinstance(sent, str)
        and isinstance(back, str)
        and sent != back
    ):
        assert _parse_timestamp(sent) == _parse_timestamp(back), (path, sent, back)
        return
    branch = _branch_for(schema, sent)
    if isinstance(sent, dict):
        assert isinstance(back, dict), (path, sent, back)
        # A declared field that is null reads as None, and to_dict() leaves None fields out (it
        # never sends null); an undeclared (additional) property is kept as it arrived.
        props = branch.get("properties", {})
        present = {key for key, value in sent.items() if value is not None or key not in props}
        assert present == back.keys(), (path, sorted(present), sorted(back))
        for key in present:
            assert_json_equivalent(props.get(key, {}), sent[key], back[key], f"{path}.{key}")
    elif isinstance(sent, list):
        assert isinstance(back, list), (path, sent, back)
        assert len(sent) == len(back), (path, sent, back)
        items = branch.get("items", {})
        for index, (one, other) in enumerate(zip(sent, back, strict=True)):
            assert_json_equivalent(items, one, other, f"{path}[{index}]")
    else:
        # type() as well: True == 1 and 1 == 1.0 in Python, but not on the wire.
        assert type(sent) is type(back), (path, sent, back)
        assert sent == back, (path, sent, back)


def body_strategy(schema: Any) -> st.SearchStrategy[Any]:
    """A strategy for JSON documents valid against a ``self_contained`` schema.

    Leaves (strings, date-times, numbers, free-form objects, type unions) come from
    hypothesis-jsonschema. Objects with declared properties, arrays and ``anyOf`` are composed
    here, once: hypothesis-jsonschema rebuilds the strategy of every property on every draw, which
    made the nested Reward/RewardPage schemas cost seconds per hundred examples. As the spec
    leaves such objects open, each may also carry a few undeclared keys.
    """
    if schema is False:
        return st.nothing()
    if isinstance(schema, dict):
        if "anyOf" in schema and any(
            isinstance(arm, dict) and "properties" in arm for arm in schema["anyOf"]
        ):
            return st.one_of([body_strategy(arm) for arm in schema["anyOf"] if arm is not False])
        if schema.get("type") == "object" and "properties" in schema:
            assert "additionalProperties" not in schema, "composes open objects only"
            required = set(schema.get("required", ()))
            props = {k: v for k, v in schema["properties"].items() if v is not False}
            declared = st.fixed_dictionaries(
                {key: body_strategy(props[key]) for key in sorted(required)},
                optional={k: body_strategy(v) for k, v in props.items() if k not in required},
            )
            undeclared = st.dictionaries(
                st.text(max_size=10).filter(lambda key: key not in schema["properties"]),
                JSON_VALUES,
                max_size=2,
            )
            return st.builds(lambda known, extra: {**extra, **known}, declared, undeclared)
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            return st.lists(
                body_strategy(schema["items"]),
                min_size=schema.get("minItems", 0),
                max_size=schema.get("maxItems", MAX_ITEMS),
            )
    return from_schema(schema)
