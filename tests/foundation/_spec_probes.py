"""Probes run against a package regenerated from a changed spec (see test_spec_changes.py).

``python -m tests.foundation._spec_probes <scenario>`` runs with the regenerated
``brevo_loyalty_api`` first on ``sys.path``. Each probe checks that the change reached ``Rewards``,
``AsyncRewards`` and the sandbox, or that the first thing to lag fails with a message naming the
field. Calls go through ``getattr``: the names they use exist only in the changed spec.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import sys
from collections.abc import Callable
from typing import Any

import httpx
from brevo_loyalty import AsyncRewards, Rewards
from brevo_loyalty.sandbox import DEFAULT_API_KEY, Sandbox

BASE = "http://sandbox/v3"
PROBES: dict[str, Callable[[], None]] = {}


def probe(function: Callable[[], None]) -> Callable[[], None]:
    """Register ``function`` as the probe of the scenario of the same name."""
    PROBES[function.__name__] = function
    return function


UUID0 = "00000000-0000-4000-8000-000000000000"


def member(owner: object, name: str) -> Any:
    """``owner.<name>``, for names that exist only in the changed spec."""
    return getattr(owner, name)


def _signature_names(method_name: str) -> tuple[set[str], set[str]]:
    sync = set(inspect.signature(getattr(Rewards, method_name)).parameters)
    async_ = set(inspect.signature(getattr(AsyncRewards, method_name)).parameters)
    return sync, async_


def both_have(method_name: str, parameter: str) -> None:
    """Both clients' ``method_name`` take ``parameter``."""
    sync, async_ = _signature_names(method_name)
    assert parameter in sync, f"Rewards.{method_name} lacks {parameter}"
    assert parameter in async_, f"AsyncRewards.{method_name} lacks {parameter}"


def neither_has(method_name: str, parameter: str) -> None:
    """Neither client's ``method_name`` takes ``parameter``."""
    sync, async_ = _signature_names(method_name)
    assert parameter not in sync, parameter
    assert parameter not in async_, parameter


def _smallest_answer(request: httpx.Request) -> httpx.Response:
    """The smallest answer the (changed) spec allows for ``request``'s operation."""
    from brevo_loyalty_api._surface import OPERATIONS

    for operation in OPERATIONS:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(operation.path))
        if operation.method == request.method and re.search(pattern + "$", request.url.path):
            if operation.result is None:
                return httpx.Response(204)
            return httpx.Response(operation.success_statuses[0], json=operation.example)
    raise AssertionError(f"no operation for {request.method} {request.url.path}")


def sent(method_name: str, **arguments: Any) -> httpx.Request:
    """The request ``Rewards.<method_name>(**arguments)`` sends (answered by a mock)."""
    captured: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        return _smallest_answer(request)

    with Rewards(api_key="k", base_url=BASE, transport=httpx.MockTransport(answer)) as client:
        getattr(client, method_name)(**arguments)

    async def run_async() -> None:
        transport = httpx.MockTransport(answer)
        async with AsyncRewards(api_key="k", base_url=BASE, transport=transport) as client:
            await getattr(client, method_name)(**arguments)

    asyncio.run(run_async())
    assert len(captured) == 2
    first, second = captured
    assert (first.method, first.url, first.content) == (second.method, second.url, second.content)
    return first


def refused(method_name: str, expected: type[Exception], naming: str, **arguments: Any) -> None:
    """``Rewards.<method_name>(**arguments)`` fails before sending, naming ``naming``."""

    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"sent {request.method} {request.url}")

    with Rewards(api_key="k", base_url=BASE, transport=httpx.MockTransport(never)) as client:
        try:
            getattr(client, method_name)(**arguments)
        except expected as error:
            message = str(error)
        else:
            raise AssertionError(f"{method_name}({arguments}) was accepted")
    assert naming in message, message


def sandbox() -> tuple[Sandbox, str, Rewards]:
    """A sandbox with a program, and a client bound to it."""
    world = Sandbox(seed=1)
    program_id = world.create_program()
    client = Rewards(api_key=DEFAULT_API_KEY, base_url=BASE, transport=world.transport())
    return world, program_id, client


def raw(world: Sandbox, method: str, target: str, body: object = None) -> tuple[int, Any]:
    """Send a raw request to the sandbox; its status and JSON body."""
    payload = b"" if body is None else json.dumps(body).encode()
    reply = world.handle(method, "/v3" + target, {"api-key": DEFAULT_API_KEY}, payload)
    return reply.status, json.loads(reply.body) if reply.body else None


@probe
def add_query_parameter() -> None:
    both_have("list_rewards", "name")
    assert sent("list_rewards", program_id=UUID0, name="coffee").url.params["name"] == "coffee"
    world, pid, _ = sandbox()
    assert raw(world, "GET", f"/loyalty/offer/programs/{pid}/offers?name=x")[0] == 200
    status, body = raw(world, "GET", f"/loyalty/offer/programs/{pid}/offers?name={'x' * 65}")
    assert status == 422, body
    assert "name" in body["message"], body


@probe
def add_defaulted_boolean() -> None:
    both_have("list_rewards", "include_deleted")
    assert "includeDeleted" not in sent("list_rewards", program_id=UUID0).url.params
    request = sent("list_rewards", program_id=UUID0, include_deleted=True)
    assert request.url.params["includeDeleted"] == "true"
    refused("list_rewards", TypeError, "include_deleted", program_id=UUID0, include_deleted="y")
    world, pid, _ = sandbox()
    assert raw(world, "GET", f"/loyalty/offer/programs/{pid}/offers?includeDeleted=true")[0] == 200
    status, body = raw(world, "GET", f"/loyalty/offer/programs/{pid}/offers?includeDeleted=2")
    assert status == 422, body
    assert "includeDeleted" in body["message"], body


@probe
def add_request_enum_value() -> None:
    assert (
        sent("list_rewards", program_id=UUID0, state="archived").url.params["state"] == "archived"
    )
    _, pid, client = sandbox()
    assert member(client, "list_rewards")(program_id=pid, state="archived").total_count == 0


@probe
def rename_response_field() -> None:
    # The sandbox builds the generated model: it is the first to lag, and says which field.
    from brevo_loyalty.sandbox import _wire

    world, pid, client = sandbox()
    created = client.create_reward(program_id=pid, name="Coffee")
    status, body = raw(world, "GET", f"/loyalty/offer/programs/{pid}/offers")
    assert status == 500, body  # the sandbox's rule still spells the old name...
    reward = world.programs[pid].rewards[str(created.id)]
    try:
        _wire.reward_page_item(reward, reward.draft, "active")
    except TypeError as error:  # ... and says which (so does mypy, on the same line)
        message = str(error)
    else:
        raise AssertionError("the sandbox still builds RewardPageItem with public_image")
    assert "public_image" in message, message


@probe
def remove_query_parameter() -> None:
    neither_has("list_contact_vouchers", "reward_id")
    neither_has("iter_contact_vouchers", "reward_id")
    refused(
        "list_contact_vouchers",
        TypeError,
        "reward_id",
        program_id=UUID0,
        contact_id=1,
        reward_id="r",
    )
    _, pid, client = sandbox()
    assert client.list_contact_vouchers(program_id=pid, contact_id=1).count == 0


@probe
def add_operation() -> None:
    both_have("delete_reward", "reward_id")
    request = sent("delete_reward", program_id=UUID0, reward_id=UUID0)
    assert request.method == "DELETE"
    assert request.url.path.endswith(f"/offers/{UUID0}")
    assert callable(member(Rewards(api_key="k").with_raw_response, "delete_reward"))
    world, pid, client = sandbox()
    assert member(client, "delete_reward")(program_id=pid, reward_id=UUID0) is None
    assert raw(world, "DELETE", f"/loyalty/offer/programs/{pid}/offers/{UUID0}")[0] == 204


@probe
def path_parameter_uuid() -> None:
    refused("get_code_count", ValueError, "code_pool_id", program_id=UUID0, code_pool_id="pool-1")
    assert sent("get_code_count", program_id=UUID0, code_pool_id=UUID0).url.path.endswith(
        f"/code-pools/{UUID0}/codes-count"
    )
    world, pid, _ = sandbox()
    status, body = raw(world, "GET", f"/loyalty/offer/programs/{pid}/code-pools/pool-1/codes-count")
    assert status == 422, body
    assert "cpid" in body["message"], body


@probe
def make_body_field_required() -> None:
    refused("create_reward", TypeError, "public_name", program_id=UUID0, name="Coffee")
    world, pid, _ = sandbox()
    status, body = raw(world, "POST", f"/loyalty/offer/programs/{pid}/offers", {"name": "x"})
    assert status == 422, body
    assert "publicName" in body["message"], body


@probe
def tighten_max_length() -> None:
    refused("create_reward", ValueError, "name", program_id=UUID0, name="x" * 65)
    assert json.loads(sent("create_reward", program_id=UUID0, name="x" * 64).content)
    world, pid, _ = sandbox()
    status, body = raw(world, "POST", f"/loyalty/offer/programs/{pid}/offers", {"name": "x" * 65})
    assert status == 422, body
    assert "name" in body["message"], body


@probe
def lower_page_maximum() -> None:
    refused("list_rewards", ValueError, "limit", program_id=UUID0, limit=51)
    page_size = inspect.signature(Rewards.iter_rewards).parameters["page_size"].default
    assert page_size == 50, page_size
    world, pid, _ = sandbox()
    status, body = raw(world, "GET", f"/loyalty/offer/programs/{pid}/offers?limit=51")
    assert status == 422, body
    assert "limit" in body["message"], body


@probe
def rename_python_name() -> None:
    both_have("list_contact_vouchers", "metadata_filter")
    neither_has("list_contact_vouchers", "metadata_value")
    request = sent("list_contact_vouchers", program_id=UUID0, contact_id=1, metadata_filter="x")
    assert request.url.params["metadata_key_value"] == "x"


@probe
def add_body_field() -> None:
    both_have("create_voucher", "channel")
    request = sent(
        "create_voucher", program_id=UUID0, reward_id=UUID0, contact_id=1, channel="shop"
    )
    assert json.loads(request.content)["channel"] == "shop"
    refused(
        "create_voucher",
        TypeError,
        "channel",
        program_id=UUID0,
        reward_id=UUID0,
        contact_id=1,
        channel=3,
    )


@probe
def change_description() -> None:
    for client in (Rewards, AsyncRewards):
        assert "Brand-new words about pages." in (client.list_rewards.__doc__ or "")


@probe
def make_create_idempotent() -> None:
    from brevo_loyalty_api._surface import CREATE_VOUCHER

    assert CREATE_VOUCHER.idempotent
    assert "Idempotent: retried" in (Rewards.create_voucher.__doc__ or "")


@probe
def remove_request_enum_value() -> None:
    refused("list_contact_vouchers", ValueError, "sort", program_id=UUID0, contact_id=1, sort="asc")
    world, pid, _ = sandbox()
    status, body = raw(world, "GET", f"/loyalty/offer/programs/{pid}/vouchers?contactId=1&sort=asc")
    assert status == 422, body
    assert "sort" in body["message"], body


@probe
def add_response_field() -> None:
    from brevo_loyalty_api.models import RewardPage

    page = RewardPage.from_dict({"items": [], "totalCount": 0, "nextCursor": "abc"})
    field = "next_cursor"  # only in the changed spec's model
    assert getattr(page, field) == "abc"


if __name__ == "__main__":
    PROBES[sys.argv[1]]()
    print("probe passed")
