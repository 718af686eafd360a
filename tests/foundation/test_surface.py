"""Everything the spec states reaches both clients and the sandbox.

The operation, parameter and field lists here are read from ``spec/reward-api.yaml``, never from
a hand list: an operation, parameter or body field added to the spec and not reachable from
``Rewards``, ``AsyncRewards``, their raw-response views or the sandbox fails here by name.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from brevo_loyalty import AsyncRewards, Rewards
from brevo_loyalty.sandbox import DEFAULT_API_KEY, Sandbox
from brevo_loyalty_api import _surface as surface

from ._helpers import Operation, iter_operations, load_spec, resolve, snake_case

OPTIONS = {"timeout", "max_retries", "extra_headers"}
UUID0 = "00000000-0000-4000-8000-000000000000"
SPEC_OPERATIONS = sorted(iter_operations(load_spec()), key=lambda op: op.operation_id)


def _arguments(op: Operation) -> Iterator[tuple[str, str, bool]]:
    """(Python name, wire name, required) of every parameter and body field, from the spec."""
    spec = load_spec()
    for param in op.parameters(spec):
        yield (
            param.get("x-python-name") or snake_case(param["name"]),
            param["name"],
            bool(param.get("required")),
        )
    if "requestBody" in op.node:
        body = resolve(spec, op.node["requestBody"])
        schema = resolve(spec, body["content"]["application/json"]["schema"])
        for name, prop in schema.get("properties", {}).items():
            python = prop.get("x-python-name") or snake_case(name)
            yield python, name, name in schema.get("required", []) and bool(body.get("required"))


@pytest.mark.parametrize("op", SPEC_OPERATIONS, ids=[op.operation_id for op in SPEC_OPERATIONS])
@pytest.mark.parametrize("client", [Rewards, AsyncRewards], ids=["sync", "async"])
def test_every_parameter_reaches_the_client(op: Operation, client: type[Any]) -> None:
    method = getattr(client, snake_case(op.operation_id), None)
    assert method is not None, f"{client.__name__} has no {snake_case(op.operation_id)}"
    assert inspect.iscoroutinefunction(method) == (client is AsyncRewards)
    signature = inspect.signature(method)
    parameters = {n: p for n, p in signature.parameters.items() if n != "self"}
    expected = {python: required for python, _, required in _arguments(op)}
    assert set(parameters) - OPTIONS == set(expected), op.operation_id
    for name, required in expected.items():
        parameter = parameters[name]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, name
        assert (parameter.default is inspect.Parameter.empty) == required, name
        assert name in (method.__doc__ or ""), f"{op.operation_id}: {name} is not documented"
    summary = op.node.get("summary", "")
    assert summary in (method.__doc__ or ""), op.operation_id


@pytest.mark.parametrize("op", SPEC_OPERATIONS, ids=[op.operation_id for op in SPEC_OPERATIONS])
def test_every_operation_has_a_raw_response_form(op: Operation) -> None:
    name = snake_case(op.operation_id)
    for client in (Rewards(api_key="k"), AsyncRewards(api_key="k")):
        assert callable(getattr(client.with_raw_response, name)), name


PAGED = [op for op in SPEC_OPERATIONS if "x-pagination" in op.node]


@pytest.mark.parametrize("op", PAGED, ids=[op.operation_id for op in PAGED])
def test_paged_operations_have_iterators(op: Operation) -> None:
    paging = op.node["x-pagination"]
    iterator = snake_case(paging["iterator"])
    for client in (Rewards, AsyncRewards):
        parameters = inspect.signature(getattr(client, iterator)).parameters
        assert "page_size" in parameters
        assert "limit" not in parameters
        assert "offset" not in parameters


@pytest.mark.parametrize("op", SPEC_OPERATIONS, ids=[op.operation_id for op in SPEC_OPERATIONS])
def test_sandbox_serves_every_operation(op: Operation) -> None:
    sandbox = Sandbox(seed=3)
    program_id = sandbox.create_program()
    path = op.path.replace("{pid}", program_id)
    for name in ("cpid", "rid", "tid"):
        path = path.replace("{" + name + "}", UUID0)
    reply = sandbox.handle(op.method, "/v3" + path, {"api-key": DEFAULT_API_KEY}, b"{}")
    assert reply.status != 405, op.operation_id
    assert b'"code":"not_found"' not in reply.body, f"no sandbox route for {op.operation_id}"


def test_the_operation_table_is_the_spec() -> None:
    table = {(o.method, o.path): o for o in surface.OPERATIONS}
    spec = {(op.method, op.path): op for op in SPEC_OPERATIONS}
    assert set(table) == set(spec)
    for key, op in spec.items():
        operation = table[key]
        assert operation.name == snake_case(op.operation_id)
        wire = {wire for _, wire, _ in _arguments(op)}
        assert {param.wire_name for param in operation.params} == wire
