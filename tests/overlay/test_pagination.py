"""iter_rewards / iter_contact_vouchers: lazy limit/offset paging over a scripted list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from brevo_loyalty import AsyncRewards, ResponseParseError, Rewards

from ._loopback import (
    KINDS,
    PID,
    PROGRAM,
    Kind,
    LoopbackServer,
    Recorded,
    Reply,
    client_options,
    run_async,
)


@dataclass(frozen=True)
class Paged:
    """One paginated operation: its iterator, its path and how a page is written."""

    name: str
    iterator: str
    path: str
    arguments: dict[str, Any]

    def page(self, items: list[dict[str, Any]], total: int | None) -> dict[str, Any]:
        if self.name == "rewards":
            return {"items": items, **({} if total is None else {"totalCount": total})}
        return {
            "contactId": 7,
            "contactRewards": items,
            **({} if total is None else {"count": total}),
        }


PAGED = [
    Paged("rewards", "iter_rewards", f"{PROGRAM}/offers", {"program_id": PID}),
    Paged(
        "vouchers",
        "iter_contact_vouchers",
        f"{PROGRAM}/vouchers",
        {"program_id": PID, "contact_id": 7},
    ),
]


def serve_list(
    server: LoopbackServer,
    paged: Paged,
    count: int,
    total: Callable[[int], int | None] | None = None,
) -> None:
    """Serve ``count`` items (ids ``it-0``...) by limit/offset; ``total(offset)`` may lie."""
    items = [{"id": f"it-{n}", "code": f"C{n}", "name": f"N{n}"} for n in range(count)]

    def respond(request: Recorded) -> Reply:
        query = request.flat_query
        offset, limit = int(query["offset"]), int(query["limit"])
        reported = count if total is None else total(offset)
        return Reply.json(paged.page(items[offset : offset + limit], reported))

    server.route("GET", paged.path, respond)


def collect(kind: Kind, server: LoopbackServer, paged: Paged, **arguments: Any) -> list[str]:
    """The ids yielded by the iterator, driving it to the end."""
    options = client_options(kind, server.base_url, None, {})
    if kind == "sync":
        with Rewards(**options) as client:
            return [
                item.id for item in getattr(client, paged.iterator)(**paged.arguments, **arguments)
            ]

    async def main() -> list[str]:
        async with AsyncRewards(**options) as client:
            return [
                item.id
                async for item in getattr(client, paged.iterator)(**paged.arguments, **arguments)
            ]

    return run_async(main)


def offsets(server: LoopbackServer) -> list[int]:
    return [int(request.flat_query["offset"]) for request in server.requests]


def limits(server: LoopbackServer) -> set[int]:
    return {int(request.flat_query["limit"]) for request in server.requests}


def ids(count: int) -> Sequence[str]:
    return [f"it-{n}" for n in range(count)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("paged", PAGED, ids=[p.name for p in PAGED])
def test_empty_list(kind: Kind, paged: Paged, server: LoopbackServer) -> None:
    serve_list(server, paged, 0)
    assert collect(kind, server, paged, page_size=3) == []
    assert offsets(server) == [0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("paged", PAGED, ids=[p.name for p in PAGED])
def test_exact_multiple_of_page_size(kind: Kind, paged: Paged, server: LoopbackServer) -> None:
    serve_list(server, paged, 6)
    assert collect(kind, server, paged, page_size=3) == ids(6)
    # The total says 6: no request for offset 6, which could only be empty.
    assert offsets(server) == [0, 3]
    assert limits(server) == {3}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("paged", PAGED, ids=[p.name for p in PAGED])
def test_short_last_page(kind: Kind, paged: Paged, server: LoopbackServer) -> None:
    serve_list(server, paged, 7)
    assert collect(kind, server, paged, page_size=3) == ids(7)
    assert offsets(server) == [0, 3, 6]


@pytest.mark.parametrize("paged", PAGED, ids=[p.name for p in PAGED])
def test_a_page_without_its_total_is_refused(paged: Paged, server: LoopbackServer) -> None:
    # The total is required in the spec (spec/DECISIONS.md): a page without one does not match.
    serve_list(server, paged, 4, total=lambda offset: None)
    field = "RewardPage.totalCount" if paged.name == "rewards" else "ContactVouchers.count"
    with pytest.raises(ResponseParseError, match=rf"{field} is required"):
        collect("sync", server, paged, page_size=2)
    assert offsets(server) == [0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("paged", PAGED, ids=[p.name for p in PAGED])
def test_growing_total_is_followed(kind: Kind, paged: Paged, server: LoopbackServer) -> None:
    # Page 1 says 4 items in all, page 2 says 6: iteration goes on to the latest total.
    serve_list(server, paged, 6, total=lambda offset: 4 if offset == 0 else 6)
    assert collect(kind, server, paged, page_size=2) == ids(6)
    assert offsets(server) == [0, 2, 4]


@pytest.mark.parametrize("paged", PAGED, ids=[p.name for p in PAGED])
def test_shrinking_total_is_followed(paged: Paged, server: LoopbackServer) -> None:
    serve_list(server, paged, 8, total=lambda offset: 8 if offset == 0 else 4)
    assert collect("sync", server, paged, page_size=2) == ids(4)
    assert offsets(server) == [0, 2]


@pytest.mark.parametrize("kind", KINDS)
def test_default_page_size_is_the_maximum(kind: Kind, server: LoopbackServer) -> None:
    serve_list(server, PAGED[0], 150)
    assert collect(kind, server, PAGED[0]) == ids(150)
    assert offsets(server) == [0, 100]
    assert limits(server) == {100}


def test_filters_are_sent_with_every_page(server: LoopbackServer) -> None:
    paged = PAGED[1]
    serve_list(server, paged, 3)
    collect("sync", server, paged, page_size=2, sort="asc", sort_field="createdAt", reward_id="r1")
    assert server.count == 2
    for request in server.requests:
        assert request.flat_query["sort"] == "asc"
        assert request.flat_query["sortField"] == "createdAt"
        assert request.flat_query["rewardId"] == "r1"
        assert request.flat_query["contactId"] == "7"


def test_pages_are_fetched_lazily(server: LoopbackServer) -> None:
    serve_list(server, PAGED[0], 5)
    with Rewards(**client_options("sync", server.base_url, None, {})) as client:
        iterator = client.iter_rewards(program_id=PID, page_size=2)
        assert server.count == 0
        assert next(iterator).id == "it-0"
        assert server.count == 1
        assert next(iterator).id == "it-1"
        assert server.count == 1
        assert next(iterator).id == "it-2"
        assert server.count == 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("paged", PAGED, ids=[p.name for p in PAGED])
@pytest.mark.parametrize("page_size", [0, 101, -1])
def test_invalid_page_size_fails_at_the_call(
    kind: Kind, paged: Paged, page_size: int, server: LoopbackServer
) -> None:
    options = client_options(kind, server.base_url, None, {})
    if kind == "sync":
        with Rewards(**options) as client, pytest.raises(ValueError, match="page_size"):
            getattr(client, paged.iterator)(**paged.arguments, page_size=page_size)
    else:

        async def main() -> None:
            async with AsyncRewards(**options) as client:
                # Not iterated, not awaited: the call itself must refuse.
                getattr(client, paged.iterator)(**paged.arguments, page_size=page_size)

        with pytest.raises(ValueError, match="page_size"):
            run_async(main)
    assert server.count == 0


@pytest.mark.parametrize("kind", KINDS)
def test_invalid_iterator_arguments_fail_at_the_call(kind: Kind, server: LoopbackServer) -> None:
    options = client_options(kind, server.base_url, None, {})
    if kind == "sync":
        with Rewards(**options) as client:
            with pytest.raises(ValueError, match="contact_id"):
                client.iter_contact_vouchers(program_id=PID, contact_id=0)
            with pytest.raises(ValueError, match="state"):
                client.iter_rewards(program_id=PID, state="foo")  # type: ignore[arg-type]
    else:

        async def main() -> None:
            async with AsyncRewards(**options) as client:
                with pytest.raises(ValueError, match="contact_id"):
                    client.iter_contact_vouchers(program_id=PID, contact_id=0)
                with pytest.raises(ValueError, match="program_id"):
                    client.iter_rewards(program_id="nope")

        run_async(main)
    assert server.count == 0
