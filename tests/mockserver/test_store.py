"""Store and Collection: insertion order, unique indexes, copy-on-write updates, dumps."""

from __future__ import annotations

import pytest

from mockserver.errors import Conflict, NotFound
from mockserver.store import Collection, Store, public


def make_tickets() -> Collection:
    tickets = Collection("tickets", "id", unique=("number",))
    tickets.insert({"id": "a", "number": 1, "status": "new"})
    tickets.insert({"id": "b", "number": 2, "status": "open"})
    return tickets


def test_records_come_back_in_insertion_order() -> None:
    tickets = make_tickets()
    tickets.insert({"id": "0", "number": 3})
    assert [t["id"] for t in tickets] == ["a", "b", "0"]


def test_get_unknown_key_raises_not_found_naming_the_resource() -> None:
    with pytest.raises(NotFound, match="ticket 'zz' does not exist"):
        make_tickets().get("zz", resource="ticket")


def test_insert_rejects_duplicate_key_and_duplicate_unique_value() -> None:
    tickets = make_tickets()
    with pytest.raises(Conflict, match="id 'a' already exists"):
        tickets.insert({"id": "a", "number": 9})
    with pytest.raises(Conflict, match="number 2 is already used by 'b'"):
        tickets.insert({"id": "c", "number": 2})
    assert len(tickets) == 2


def test_update_stores_a_new_dict_and_keeps_the_index_right() -> None:
    tickets = make_tickets()
    before = tickets.get("a")
    after = tickets.update("a", {"number": 7, "status": "done"})
    assert before == {"id": "a", "number": 1, "status": "new"}
    assert after == {"id": "a", "number": 7, "status": "done"}
    assert tickets.find_by("number", 7)["id"] == "a"
    assert tickets.find_by("number", 1) is None


def test_delete_removes_record_and_index_entry() -> None:
    tickets = make_tickets()
    tickets.delete("b")
    assert "b" not in tickets and tickets.find_by("number", 2) is None
    with pytest.raises(NotFound):
        tickets.delete("b")


def test_counters_only_grow_from_the_fixture_maximum() -> None:
    store = Store()
    store.raise_counter("number", 41)
    store.raise_counter("number", 10)
    assert [store.next_number("number"), store.next_number("number")] == [42, 43]


def test_dump_is_a_deep_copy() -> None:
    store = Store()
    store.add(make_tickets())
    dump = store.dump()
    dump["collections"]["tickets"][0]["status"] = "tampered"
    assert store["tickets"].get("a")["status"] == "new"
    assert dump["counters"] == {}


def test_public_strips_bookkeeping_fields() -> None:
    assert public({"id": "a", "$ticket_id": "x", "name": "n"}) == {"id": "a", "name": "n"}


def test_group_index_lists_records_by_value_in_insertion_order() -> None:
    notes = Collection("notes", "id", groups=("ticket",))
    for n, ticket in enumerate(["a", "b", "a", "a"]):
        notes.insert({"id": n, "ticket": ticket, "text": f"note {n}"})
    assert [n["id"] for n in notes.group("ticket", "a")] == [0, 2, 3]
    notes.update(2, {"text": "edited"})  # stays in place within its group
    assert [n["id"] for n in notes.group("ticket", "a")] == [0, 2, 3]
    assert notes.group("ticket", "a")[1]["text"] == "edited"
    notes.update(0, {"ticket": "b"})  # moves to the other group
    assert [n["id"] for n in notes.group("ticket", "b")] == [1, 0]
    notes.delete(3)
    assert [n["id"] for n in notes.group("ticket", "a")] == [2]
    assert notes.group("ticket", "zzz") == []
    notes.clear()
    assert notes.group("ticket", "b") == []
