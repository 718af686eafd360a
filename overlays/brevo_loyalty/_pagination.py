"""Lazy limit/offset iteration over a paged list, one page in memory at a time.

Both paged operations answer with their items and a total count. Iteration stops at the first empty
or short page, or once the offset reaches the total of the latest page (the total may change while
iterating: the latest answer wins). The offset advances by the number of items actually received,
so no item is skipped or fetched twice while the list itself does not change.

A hostile or broken server can make that loop endless: the same full page for every offset, with
a total that never ends it. Every page is fingerprinted (its size and the ``repr`` of its first
and last items); a page seen before at another offset means no progress, and iteration stops with
``PaginationError`` (an ``APIError``) after the items already yielded. A list that really holds the
same items at two offsets would have to be rewritten under the iterator by exactly whole pages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

from ._exceptions import PaginationError

P = TypeVar("P")
I = TypeVar("I")  # noqa: E741

PageReader = Callable[[P], tuple[list[I], int | None]]


def _next_offset(offset: int, received: int, page_size: int, total: int | None) -> int | None:
    """The offset of the next page, or None when the previous page was the last one."""
    if received == 0 or received < page_size:
        return None
    offset += received
    if total is not None and offset >= total:
        return None
    return offset


class _Progress:
    """The fingerprints of the pages received so far, to detect a page served twice."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        # Only the hash of each fingerprint is kept: a walk of 1,000 pages then holds ~100 KB,
        # not a thousand reprs of whole items (the peak memory of a long walk stays flat).
        self._seen: dict[int, int] = {}

    def check(self, offset: int, items: list[I]) -> None:
        if not items:
            return
        fingerprint = hash((len(items), repr(items[0]), repr(items[-1])))
        first = self._seen.setdefault(fingerprint, offset)
        if first != offset:
            raise PaginationError(
                f"the server answered offset {offset} with the same page as offset {first}: "
                "the pages make no progress, iteration stopped",
                method="GET",
                url="",
                offset=offset,
            )


def iterate(fetch: Callable[[int], P], read: PageReader[P, I], page_size: int) -> Iterator[I]:
    """Yield every item of the pages ``fetch(offset)`` returns."""
    progress = _Progress()
    offset: int | None = 0
    while offset is not None:
        items, total = read(fetch(offset))
        progress.check(offset, items)
        received = len(items)
        yield from items
        del items  # release this page before the next one is fetched
        offset = _next_offset(offset, received, page_size, total)


async def aiterate(
    fetch: Callable[[int], Awaitable[P]], read: PageReader[P, I], page_size: int
) -> AsyncIterator[I]:
    """Async twin of ``iterate``."""
    progress = _Progress()
    offset: int | None = 0
    while offset is not None:
        items, total = read(await fetch(offset))
        progress.check(offset, items)
        received = len(items)
        for item in items:
            yield item
        del items  # release this page before the next one is fetched
        offset = _next_offset(offset, received, page_size, total)
