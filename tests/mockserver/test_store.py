"""Store and Collection: insertion order, unique indexes, copy-on-write updates, dumps."""

from __future__ import annotations

import pytest

from mockserver.errors import Conflict, NotFound
from mockserver.store import EVERY, Collection, Order, Store, public


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


def ordered_tickets() -> Collection:
    orders = {"by_number": Order(lambda r: r["number"]),
              "by_client": Order(lambda r: r["number"], group=lambda r: r["client"])}
    tickets = Collection("tickets", "id", orders=orders)
    for number, client in ((5, "a"), (1, "b"), (3, "a"), (3, "b"), (9, "a")):
        tickets.insert({"id": f"t{number}{client}", "number": number, "client": client})
    return tickets


def test_orders_page_from_a_position_and_follow_every_write() -> None:
    tickets = ordered_tickets()
    assert [t["id"] for t in tickets.ordered("by_number")] == ["t1b", "t3a", "t3b", "t5a", "t9a"]
    assert [t["id"] for t in tickets.ordered("by_number", after=3)] == ["t5a", "t9a"]
    assert [t["id"] for t in tickets.ordered("by_number", after=3, reverse=True)] == ["t1b"]
    assert [t["id"] for t in tickets.ordered("by_number", start=3)] == ["t5a", "t9a"]
    assert [t["id"] for t in tickets.ordered("by_number", start=3, reverse=True)] == ["t3a", "t1b"]
    assert list(tickets.ordered("by_number", start=7, reverse=True)) == []  # past the end, backwards too
    assert list(tickets.ordered("by_number", start=7)) == []
    assert [t["id"] for t in tickets.ordered("by_client", group="a")] == ["t3a", "t5a", "t9a"]
    assert tickets.count("by_client", group="a") == 3 and tickets.count("by_client", group="zzz") == 0
    tickets.update("t5a", {"number": 0, "client": "b"})
    tickets.delete("t9a")
    assert [t["id"] for t in tickets.ordered("by_number")] == ["t5a", "t1b", "t3a", "t3b"]
    assert [t["id"] for t in tickets.ordered("by_client", group="b")] == ["t5a", "t1b", "t3b"]
    assert [t["id"] for t in tickets.ordered("by_client", group="a")] == ["t3a"]


def test_orders_are_copied_on_write_and_restored_on_rollback() -> None:
    base = Store()
    base.add(ordered_tickets())
    fork = base.fork()
    fork["tickets"].insert({"id": "t7c", "number": 7, "client": "c"})
    assert [t["id"] for t in base["tickets"].ordered("by_number", after=5)] == ["t9a"]
    assert [t["id"] for t in fork["tickets"].ordered("by_number", after=5)] == ["t7c", "t9a"]
    with pytest.raises(RuntimeError), fork.transaction():
        fork["tickets"].delete("t1b")
        fork["tickets"].update("t3a", {"number": 100})
        raise RuntimeError("the handler failed")
    assert [t["id"] for t in fork["tickets"].ordered("by_number")] == ["t1b", "t3a", "t3b", "t5a", "t7c", "t9a"]


def test_a_fork_copies_its_orders_without_sorting_them_again_and_both_stay_sorted() -> None:
    base = Store()
    tickets = base.add(Collection("tickets", "id", orders={"by_number": Order(lambda r: r["number"])}))
    for number in range(5000, 0, -1):  # enough entries for several of SortedList's internal lists
        tickets.insert({"id": f"t{number}", "number": number})
    fork = base.fork()
    fork["tickets"].insert({"id": "t2500.5", "number": 2500.5})
    fork["tickets"].delete("t1")
    assert [t["number"] for t in fork["tickets"].ordered("by_number", start=2498)][:3] == [2500, 2500.5, 2501]
    assert [t["number"] for t in base["tickets"].ordered("by_number", start=2498)][:3] == [2499, 2500, 2501]
    for store in (base, fork):
        entries = store["tickets"]._orders["by_number"].lists[EVERY]
        entries._check()  # sortedcontainers' own invariants (maxes, positional index) hold for both
    assert fork["tickets"].count("by_number") == base["tickets"].count("by_number") == 5000
