"""Pagination styles as pure functions."""

from __future__ import annotations

import pytest

from mockserver.errors import InvalidInput
from mockserver.pagination import (
    after_cursor,
    decode_token,
    encode_token,
    numbered_page,
    offset_page,
    page_count,
    sort_key,
    token_page,
)

ITEMS = list(range(1, 11))


def test_offset_and_numbered_pages() -> None:
    assert offset_page(ITEMS, limit=3, offset=8) == [9, 10]
    assert offset_page(ITEMS, limit=0, offset=0) == []
    assert numbered_page(ITEMS, page_number=2, page_size=4) == [5, 6, 7, 8]
    assert numbered_page(ITEMS, page_number=4, page_size=4) == []
    assert page_count(10, 4) == 3 and page_count(0, 4) == 0


def test_cursor_pages_start_after_the_cursor_even_if_it_was_deleted() -> None:
    assert after_cursor(ITEMS, key=lambda i: i, cursor=None, size=3) == [1, 2, 3]
    assert after_cursor(ITEMS, key=lambda i: i, cursor=3, size=3) == [4, 5, 6]
    assert after_cursor([1, 2, 4, 5], key=lambda i: i, cursor=3, size=3) == [4, 5]


def test_token_pages_walk_everything_once_and_survive_inserts() -> None:
    items = [{"at": f"2026-01-{d:02d}", "id": str(d)} for d in range(1, 8)]
    newest_first = sorted(items, key=lambda i: (i["at"], i["id"]), reverse=True)

    def position(item: dict[str, str]) -> list[str]:
        return [item["at"], item["id"]]

    page1, token = token_page(newest_first, position=position, token=None, limit=3, descending=True)
    assert [i["id"] for i in page1] == ["7", "6", "5"]
    # A newer record arrives between page requests: the next page does not shift.
    newest_first.insert(0, {"at": "2026-01-09", "id": "9"})
    page2, token = token_page(newest_first, position=position, token=token, limit=3, descending=True)
    page3, last = token_page(newest_first, position=position, token=token, limit=3, descending=True)
    assert [i["id"] for i in page2] == ["4", "3", "2"]
    assert [i["id"] for i in page3] == ["1"] and last is None


def test_tokens_round_trip_and_garbage_is_a_clear_400() -> None:
    assert decode_token(encode_token(["2026-01-01", "x"])) == ["2026-01-01", "x"]
    with pytest.raises(InvalidInput, match="nextPageToken: 'not-a-token' is not a page token"):
        decode_token("not-a-token")


def test_sort_key_orders_mixed_json_values() -> None:
    assert sorted([3, None, "b", True, 1.5], key=sort_key) == [None, True, 1.5, 3, "b"]
