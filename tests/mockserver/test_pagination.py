"""Pagination styles as pure functions."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from mockserver.errors import InvalidInput
from mockserver.pagination import (
    Candidates,
    after_cursor,
    decode_token,
    encode_token,
    numbered_page,
    offset_page,
    page_count,
    select,
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


class Walked:
    """A source over a sorted list that remembers how many records its walks handed out."""

    def __init__(self, records: list[int], *, ordered: bool = True,
                 test: Callable[[int], bool] | None = None) -> None:
        self.records, self.steps = records, 0
        self.source = Candidates(len(records), self.walk, ordered=ordered, test=test)

    def walk(self, start: int) -> Iterator[int]:
        for record in self.records[start:]:
            self.steps += 1
            yield record


NUMBERS = list(range(1, 1001))


def test_select_pages_an_ordered_source_from_its_offset_with_the_count_as_total() -> None:
    every = Walked(NUMBERS)
    assert select([every.source], offset=500, size=3) == ([501, 502, 503], 1000)
    assert every.steps == 3  # started at the offset: nothing before it was walked
    assert select([every.source], offset=999, size=3) == ([1000], 1000)
    assert select([every.source], offset=2000, size=3) == ([], 1000)


def test_select_walks_the_smallest_source_and_tests_the_others() -> None:
    every = Walked(NUMBERS, test=lambda n: True)
    sevens = Walked([n for n in NUMBERS if n % 7 == 0], test=lambda n: n % 7 == 0)
    odd = Walked([n for n in NUMBERS if n % 2], test=lambda n: n % 2 == 1)
    page, total = select([every.source, odd.source, sevens.source], offset=2, size=3)
    assert (page, total) == ([35, 49, 63], 71)
    assert every.steps == odd.steps == 0 and sevens.steps == 142  # the whole smallest source, to count it
    assert select([every.source, sevens.source], offset=0, size=2, keep=lambda n: n > 990) == ([994], 1)


def test_select_sorts_an_unordered_smallest_source_with_arrange() -> None:
    every = Walked(NUMBERS)
    shuffled = Walked([30, 10, 20], ordered=False, test=lambda n: n in (10, 20, 30))
    page, total = select([every.source, shuffled.source], offset=1, size=5, arrange=sorted)
    assert (page, total) == ([20, 30], 3) and every.steps == 0
    with pytest.raises(ValueError, match="needs `arrange`"):
        select([every.source, shuffled.source], offset=0, size=5)


def test_select_walks_the_list_order_for_one_large_unordered_filter_when_that_is_cheaper() -> None:
    every = Walked(NUMBERS)
    evens = Walked([n for n in NUMBERS if n % 2 == 0][::-1], ordered=False, test=lambda n: n % 2 == 0)
    page, total = select([every.source, evens.source], offset=4, size=2, arrange=sorted)
    assert (page, total) == ([10, 12], 500)
    assert evens.steps == 0 and every.steps == 12  # up to the end of the page, total from the count


def test_select_takes_offsets_and_sizes_beyond_any_index() -> None:
    huge = 10**30  # over sys.maxsize, which islice() refuses
    every = Walked(NUMBERS)
    evens = Walked([n for n in NUMBERS if n % 2 == 0], ordered=False, test=lambda n: n % 2 == 0)
    assert select([every.source], offset=huge, size=huge) == ([], 1000)
    assert select([every.source], offset=998, size=huge) == ([999, 1000], 1000)
    assert select([every.source, evens.source], offset=huge, size=5, arrange=sorted) == ([], 500)
    assert select([every.source, evens.source], offset=huge, size=5, keep=lambda n: n > 10, arrange=sorted) == \
        ([], 495)


def test_select_needs_a_source() -> None:
    with pytest.raises(ValueError, match="at least one source"):
        select([], offset=0, size=1)
