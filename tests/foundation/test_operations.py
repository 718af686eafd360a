"""Each spec operation is a generated module whose functions take exactly the spec's parameters."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from types import ModuleType
from typing import Any

import brevo_loyalty_api.api.rewards as rewards_package
import pytest
from brevo_loyalty_api import models
from brevo_loyalty_api.types import UNSET

from ._helpers import Operation, iter_operations, load_spec, resolve, snake_case

FUNCTIONS = ("sync", "sync_detailed", "asyncio", "asyncio_detailed")
OPERATIONS = sorted(iter_operations(load_spec()), key=lambda op: op.operation_id)
OPERATION_IDS = [op.operation_id for op in OPERATIONS]


def _module(op: Operation) -> ModuleType:
    return importlib.import_module(f"{rewards_package.__name__}.{snake_case(op.operation_id)}")


def _functions(op: Operation) -> list[tuple[str, Callable[..., Any]]]:
    module = _module(op)
    return [(name, getattr(module, name)) for name in FUNCTIONS]


def test_rewards_package_holds_exactly_the_spec_operations() -> None:
    modules = {info.name for info in pkgutil.iter_modules(rewards_package.__path__)}
    assert modules == {snake_case(op.operation_id) for op in OPERATIONS}


@pytest.mark.parametrize("op", OPERATIONS, ids=OPERATION_IDS)
def test_operation_has_sync_and_async_entry_points(op: Operation) -> None:
    module = _module(op)
    for name in FUNCTIONS:
        assert callable(getattr(module, name, None)), f"{module.__name__}.{name} is missing"
    assert not inspect.iscoroutinefunction(module.sync)
    assert not inspect.iscoroutinefunction(module.sync_detailed)
    assert inspect.iscoroutinefunction(module.asyncio)
    assert inspect.iscoroutinefunction(module.asyncio_detailed)


def _expected_parameters(op: Operation) -> dict[str, bool]:
    """Python parameter name -> required, read off the spec."""
    spec = load_spec()
    expected = {"client": True}
    for param in op.parameters(spec):
        assert param["in"] in {"path", "query"}, "header/cookie parameters are not expected"
        expected[snake_case(param["name"])] = bool(param.get("required", False))
    if "requestBody" in op.node:
        expected["body"] = bool(resolve(spec, op.node["requestBody"]).get("required", False))
    return expected


@pytest.mark.parametrize("op", OPERATIONS, ids=OPERATION_IDS)
def test_signature_has_exactly_the_spec_parameters(op: Operation) -> None:
    expected = _expected_parameters(op)
    for name, function in _functions(op):
        parameters = inspect.signature(function).parameters
        assert set(parameters) == set(expected), name
        for param_name, required in expected.items():
            param = parameters[param_name]
            has_default = param.default is not inspect.Parameter.empty
            assert has_default != required, f"{name}({param_name}): required={required}"
            assert param.kind is not inspect.Parameter.VAR_KEYWORD
        # The client is keyword-only, so positional arguments can only ever be path params.
        assert parameters["client"].kind is inspect.Parameter.KEYWORD_ONLY, name


@pytest.mark.parametrize("op", OPERATIONS, ids=OPERATION_IDS)
def test_query_defaults_match_the_spec(op: Operation) -> None:
    spec = load_spec()
    checked_inline = 0
    for param in op.parameters(spec):
        if param["in"] != "query" or param.get("required"):
            continue
        name = snake_case(param["name"])
        schema = param["schema"]
        for function_name, function in _functions(op):
            default = inspect.signature(function).parameters[name].default
            if "default" in schema:
                # An inline default is applied by the generator: the client sends it.
                assert default == schema["default"], f"{function_name}({name})"
                assert type(default) is type(schema["default"]), f"{function_name}({name})"
                checked_inline += 1
            elif "default" in resolve(spec, schema):
                # A default on a referenced (enum) schema is left to the server: the generator
                # leaves the parameter unset. Should it ever apply it, it must be the same value.
                wanted = resolve(spec, schema)["default"]
                assert default is UNSET or getattr(default, "value", default) == wanted
            else:
                assert default is UNSET, f"{function_name}({name})"
    inline_in_spec = sum(
        1
        for p in op.parameters(spec)
        if p["in"] == "query" and not p.get("required") and "default" in p["schema"]
    )
    assert checked_inline == inline_in_spec * len(FUNCTIONS)


@pytest.mark.parametrize(
    "op", [op for op in OPERATIONS if "requestBody" in op.node], ids=lambda op: op.operation_id
)
def test_body_is_the_request_schema_model(op: Operation) -> None:
    content = resolve(load_spec(), op.node["requestBody"])["content"]
    schema_name = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    model = getattr(models, schema_name)
    for name, function in _functions(op):
        assert inspect.signature(function).parameters["body"].annotation is model, name
