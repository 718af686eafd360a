"""A JSON null anywhere in an answer, through ``Rewards`` and ``AsyncRewards``.

The same generated cases as ``test_nulls.py`` (every field of every response model, at every
depth, and every list item), but served as the answer of each spec operation that returns the
model and read through both clients: the call returns a model with that field ``None`` and the
rest intact, or, for a required field, raises ``ResponseParseError`` naming ``Model.field``.
The operations, their arguments and their result models come from the generated operation table.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from brevo_loyalty import AsyncRewards, ResponseParseError, Rewards
from brevo_loyalty._operation import Operation, Param
from brevo_loyalty._params import (
    Boolean,
    Choice,
    CsvList,
    DateTimeText,
    Integer,
    JsonObject,
    ModelObject,
    Number,
    Uuid,
)
from brevo_loyalty_api._surface import OPERATIONS

from ._spec_bodies import NullSite, expected_after_null, full_body, null_sites, with_null

UUID0 = "00000000-0000-4000-8000-000000000000"


def _sample(param: Param) -> object:
    """A valid value for ``param``, chosen from its check alone."""
    check = param.check
    if isinstance(check, Uuid):
        return UUID0
    if isinstance(check, CsvList):
        return [UUID0]
    if isinstance(check, Integer):
        return max(check.minimum, 1) if check.minimum <= 1 <= check.maximum else check.minimum
    if isinstance(check, Choice):
        return check.values[0]
    if isinstance(check, Number):
        return 1.0
    if isinstance(check, Boolean):
        return True
    if isinstance(check, JsonObject | ModelObject):
        return {}
    if isinstance(check, DateTimeText):
        return "2025-01-01T00:00:00Z"
    return "x"


def _arguments(operation: Operation[Any]) -> dict[str, object]:
    """The required arguments of ``operation``, plus one of each "give one of" group."""
    arguments = {p.python_name: _sample(p) for p in operation.params if p.required}
    for group in operation.one_of:
        if not any(name in arguments for name in group):
            arguments[group[0]] = _sample(operation.param(group[0]))
    return arguments


CASES = [
    (operation, site)
    for operation in OPERATIONS
    if operation.result is not None
    for site in null_sites(operation.result.name)
]


def _call(operation: Operation[Any], body: Any) -> tuple[object, object]:
    """The outcome (a model or an exception) of the call, through each client."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(operation.success_statuses[0], json=body)

    outcomes: list[object] = []
    with Rewards(api_key="k", transport=httpx.MockTransport(answer), max_retries=0) as client:
        try:
            outcomes.append(getattr(client, operation.name)(**_arguments(operation)))
        except ResponseParseError as error:
            outcomes.append(error)

    async def run_async() -> object:
        transport = httpx.MockTransport(answer)
        async with AsyncRewards(api_key="k", transport=transport, max_retries=0) as client:
            try:
                result: object = await getattr(client, operation.name)(**_arguments(operation))
            except ResponseParseError as error:
                return error
            return result

    outcomes.append(asyncio.run(run_async()))
    return outcomes[0], outcomes[1]


def test_every_operation_with_a_model_is_covered() -> None:
    covered = {operation.name for operation, _ in CASES}
    assert covered == {operation.name for operation in OPERATIONS if operation.result is not None}


@pytest.mark.parametrize(
    ("operation", "site"),
    CASES,
    ids=[f"{operation.name}:{site.label}" for operation, site in CASES],
)
def test_a_null_through_the_clients(operation: Operation[Any], site: NullSite) -> None:
    assert operation.result is not None
    body = full_body(operation.result.name)
    for outcome in _call(operation, with_null(body, site.path)):
        if site.required and not site.is_array:
            assert isinstance(outcome, ResponseParseError), outcome
            assert f"{site.schema_name}.{site.field} is required" in str(outcome)
            continue
        assert not isinstance(outcome, BaseException), outcome
        assert type(outcome).__name__ == operation.result.name
        assert outcome.to_dict() == expected_after_null(body, site)  # type: ignore[attr-defined]
