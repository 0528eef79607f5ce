"""The vendors' pagination styles as pure functions over already filtered and sorted records."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Generic, TypeVar

from mockserver.errors import InvalidInput

T = TypeVar("T")


def offset_page(items: Sequence[T], *, limit: int, offset: int) -> list[T]:
    """`limit` items starting at `offset` (Jifeline)."""
    return list(items[offset : offset + limit])


def numbered_page(items: Sequence[T], *, page_number: int, page_size: int) -> list[T]:
    """Page `page_number` (1-based) of `page_size` items (Flow Retail, Bloxs)."""
    start = (page_number - 1) * page_size
    return list(items[start : start + page_size])


def page_count(total: int, page_size: int) -> int:
    return (total + page_size - 1) // page_size if page_size else 0


def after_cursor(items: Sequence[T], *, key: Callable[[T], Any], cursor: Any, size: int) -> list[T]:
    """The `size` items after the one whose key is `cursor` (Bob! Desk: cursor = last `_id`).

    Items must be sorted ascending by `key`; the cursor need not exist any more (the next page
    starts after where it would be), so deleting the last seen record does not break paging.
    """
    start = 0 if cursor is None else next((i for i, item in enumerate(items) if key(item) > cursor), len(items))
    return list(items[start : start + size])


def encode_token(position: Sequence[Any]) -> str:
    """An opaque page token holding the sort position of the last record returned."""
    raw = json.dumps(list(position), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str, *, parameter: str = "nextPageToken") -> list[Any]:
    try:
        position = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except ValueError:
        position = None
    if not isinstance(position, list):
        raise InvalidInput.of(parameter, f"{token!r} is not a page token this server issued; "
                                         "omit it to start from the first page")
    return position


def token_page(items: Sequence[T], *, position: Callable[[T], list[Any]], token: str | None,
               limit: int, descending: bool = False) -> tuple[list[T], str | None]:
    """Keyset pagination (Spacebring): items sorted by `position`, token = position of the last one.

    Records inserted while a client pages do not shift the pages it has not read yet.
    """
    start = 0
    if token is not None:
        last = decode_token(token)
        if descending:
            start = next((i for i, item in enumerate(items) if position(item) < last), len(items))
        else:
            start = next((i for i, item in enumerate(items) if position(item) > last), len(items))
    page = list(items[start : start + limit])
    more = start + limit < len(items)
    return page, (encode_token(position(page[-1])) if more and page else None)


def sort_key(value: Any) -> tuple[int, Any]:
    """Sort any JSON scalar; None sorts first, mixed types by type name."""
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (2, value)
    return (3, str(value))


@dataclass(frozen=True, slots=True)
class Candidates(Generic[T]):
    """The records one filter (or the list's scope) narrows a list to, as an index gives them.

    `count` is how many there are (O(1) from a store Order); `walk(n)` yields them from the n-th on
    (O(log n) to start); `ordered` says whether that walk follows the list's order (else the records
    are sorted after collecting them); `test` tells whether a record is one of them, for when another
    set is walked instead (None: the set holds every record the other sources hold, like a list's
    scope whose filters' indexes are scoped too).
    """

    count: int
    walk: Callable[[int], Iterator[T]]
    ordered: bool = True
    test: Callable[[T], bool] | None = None


def select(sources: Sequence[Candidates[T]], *, offset: int, size: int, keep: Callable[[T], bool] | None = None,
           arrange: Callable[[list[T]], list[T]] | None = None) -> tuple[list[T], int]:
    """One page (`size` records from `offset`) of the records that are in every source and that `keep`
    accepts, in the list's order, and how many such records there are in all.

    The smallest source is walked and the others are tested on the way, as a database plans a query.
    An ordered source with nothing else to test costs O(log n + page) with the total from its count;
    with other tests the whole of the smallest source is walked to count it (O(smallest)). An unordered
    smallest source is collected and sorted with `arrange`, unless walking an ordered source and testing
    it is cheaper while the total is still exact (a single filter on a list kept in another order).
    """
    if not sources:
        raise ValueError("select() needs at least one source: the list's scope")
    chosen = min(sources, key=lambda source: (source.count, not source.ordered))
    # No page reaches past the smallest set: bounded, a client's huge offset stays a valid islice index.
    offset, size = min(offset, chosen.count), min(size, chosen.count)
    tests = [source.test for source in sources if source is not chosen and source.test is not None]
    tests += [keep] if keep is not None else []

    def passes(record: T) -> bool:
        return all(test(record) for test in tests)

    if chosen.ordered:
        if not tests:
            return list(islice(chosen.walk(offset), size)), chosen.count
        return _counted(filter(passes, chosen.walk(0)), offset, size)
    walked = min((s for s in sources if s.ordered), key=lambda source: source.count, default=None)
    if walked is not None and not tests and chosen.test is not None:
        # The total is exact (chosen.count): walk the ordered source, keep chosen's records, stop at the
        # page's end. Expected cost (offset + size) * walked / chosen against sorting chosen's records.
        density = max(chosen.count, 1) / max(walked.count, 1)
        if (offset + size) / density < chosen.count * math.log2(chosen.count + 2):
            member = chosen.test
            return list(islice(filter(member, walked.walk(0)), offset, offset + size)), chosen.count
    if arrange is None:
        raise ValueError("select(): an unordered source needs `arrange` to put its records in the list's order")
    matches = arrange([record for record in chosen.walk(0) if passes(record)])
    return matches[offset : offset + size], len(matches)


def _counted(records: Iterator[T], offset: int, size: int) -> tuple[list[T], int]:
    """The page of an already filtered walk, and how many records the walk yields in all."""
    page: list[T] = []
    total = 0
    for record in records:
        if offset <= total < offset + size:
            page.append(record)
        total += 1
    return page, total
