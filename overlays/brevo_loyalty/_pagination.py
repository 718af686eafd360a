"""Lazy limit/offset iteration over a paged list, one page in memory at a time.

Both paged operations answer with their items and a total count. Iteration stops at the first empty
or short page, or once the offset reaches the total of the latest page (the total may change while
iterating: the latest answer wins). The offset advances by the number of items actually received,
so no item is skipped or fetched twice while the list itself does not change.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

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


def iterate(fetch: Callable[[int], P], read: PageReader[P, I], page_size: int) -> Iterator[I]:
    """Yield every item of the pages ``fetch(offset)`` returns."""
    offset: int | None = 0
    while offset is not None:
        items, total = read(fetch(offset))
        received = len(items)
        yield from items
        del items  # release this page before the next one is fetched
        offset = _next_offset(offset, received, page_size, total)


async def aiterate(
    fetch: Callable[[int], Awaitable[P]], read: PageReader[P, I], page_size: int
) -> AsyncIterator[I]:
    """Async twin of ``iterate``."""
    offset: int | None = 0
    while offset is not None:
        items, total = read(await fetch(offset))
        received = len(items)
        for item in items:
            yield item
        del items  # release this page before the next one is fetched
        offset = _next_offset(offset, received, page_size, total)
