"""The vendors' pagination styles as pure functions over already filtered and sorted records."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

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
