"""Jifeline's event feed: the fixtures' history, events of the mock's own changes, after_id paging, ULIDs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.ids import IdFactory
from mockserver.vendors.jifeline.events import successor
from tests.helpers import make_client

SLUG = "jifeline"
BASE = "/jifeline/v2/tickets"
EVENTS = "/jifeline/v2/system/events"
STATE_URL = "/_ticketmock/apis/jifeline/state"
BEARER = {"Authorization": "Bearer mock-token"}
NOW = "2026-11-20T09:30:00Z"
ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")

IN_PROGRESS_EXAMPLE = "f2c4cf2d-c633-466b-b161-c01ab5bf66f0"
CUSTOMER_EXAMPLE = "5d0c3a8e-7f2b-4c61-9a4e-2b8f1e6d7c90"
OPERATOR_RUBEN = "c8e2d5f1-9a3b-4d7e-a6c4-1f0b2e9d8a36"
CLOSED_EXAMPLE = "1f8d4c2e-7a9b-4e36-b0d5-8c3f6a2e9d74"
OUTSOURCE = {"transition": {"type": "outsource", "product_ids": ["7c2e9a14-0b5d-4f38-a6e1-93d8c4b07f52"],
                            "provider_id": "e3a9c7d2-6b14-4f05-8d3e-5c2b9a0f7e61"}}


@pytest.fixture
def client() -> Any:
    return make_client(SLUG)


def feed(client: Any, **query: Any) -> dict[str, Any]:
    answer = client.get(EVENTS, params=query, headers=BEARER)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert set(body) == {"result", "after_id"}
    return body


def everything(client: Any, **query: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = feed(client, limit=1000, **query)["result"]
    return result


def ticket(client: Any, ticket_id: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"{BASE}/tickets/{ticket_id}", headers=BEARER).json()
    return body


def transition(client: Any, ticket_id: str, body: dict[str, Any]) -> Any:
    return client.patch(f"{BASE}/in-progress-tickets/{ticket_id}", json=body, headers=BEARER, follow_redirects=False)


# --- the fixtures' history ---------------------------------------------------------------------

def test_the_history_is_ordered_by_ulid_and_time(client: Any) -> None:
    events = everything(client)
    assert len(events) >= 60
    ids = [e["id"] for e in events]
    assert all(ULID.match(i) for i in ids) and ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [e["occurred_at"] for e in events] == sorted(e["occurred_at"] for e in events)


def test_every_ticket_has_its_history_and_the_last_event_is_its_current_state(client: Any) -> None:
    events = everything(client)
    tickets = client.get(f"{BASE}/tickets", params={"limit": 1000}, headers=BEARER).json()["result"]
    for current in tickets:
        mine = [e for e in events if e["payload"]["ticket"]["id"] == current["id"]]
        assert mine[0]["type"] == "tickets.ticket.created" and mine[0]["occurred_at"] == current["created_at"]
        assert mine[-1]["payload"]["ticket"] == current, current["ticket_number"]
        assert mine[-1]["occurred_at"] == current["updated_at"]
        final = {"closed": "tickets.ticket.closed", "cancelled": "tickets.ticket.cancelled",
                 "outsourced": "tickets.ticket.outsourced"}.get(current["state"])
        if final:
            assert mine[-1]["type"] == final
        if current["assigned_at"]:
            joined = next(e for e in mine if e["type"] == "tickets.ticket.updated")
            assert joined["occurred_at"] == current["assigned_at"]
            assert joined["payload"]["ticket"]["state"] == "in_progress"


def test_payloads_carry_the_customer_and_the_vehicle(client: Any) -> None:
    [event] = [e for e in everything(client, type="tickets.ticket.closed")
               if e["payload"]["ticket"]["id"] == CLOSED_EXAMPLE]
    payload = event["payload"]
    assert payload["customer"] == client.get(f"/jifeline/v2/customers/{CUSTOMER_EXAMPLE}", headers=BEARER).json()
    model = client.get("/jifeline/v2/vehicles/models/47365", headers=BEARER).json()
    make = client.get(f"/jifeline/v2/vehicles/makes/{model['make_id']}", headers=BEARER).json()
    assert payload["vehicle"] == {"vin": "TMBJJ7NE8L0123457", "model": model, "make": make}
    assert make["name"] == "Skoda"


# --- events of the mock's own changes ----------------------------------------------------------

@pytest.mark.parametrize(("body", "kind", "state"), [
    ({"transition": {"type": "complete"}}, "tickets.ticket.closed", "closed"),
    ({"transition": {"type": "cancel", "cancel_reason_id": 3}}, "tickets.ticket.cancelled", "cancelled"),
    (OUTSOURCE, "tickets.ticket.outsourced", "outsourced"),
], ids=["complete", "cancel", "outsource"])
def test_a_transition_records_its_event(client: Any, body: dict[str, Any], kind: str, state: str) -> None:
    newest = feed(client, limit=1000)["after_id"]
    assert transition(client, IN_PROGRESS_EXAMPLE, body).status_code == 303
    new = feed(client, after_id=newest)
    [event] = new["result"]
    assert new["after_id"] == event["id"] > newest
    assert event["type"] == kind and event["occurred_at"] == NOW
    assert event["payload"]["ticket"] == ticket(client, IN_PROGRESS_EXAMPLE)
    assert event["payload"]["ticket"]["state"] == state
    assert event["payload"]["customer"]["id"] == CUSTOMER_EXAMPLE
    assert event["payload"]["vehicle"]["vin"] == "WVWZZZAUZLP041732"
    assert event["payload"]["vehicle"]["model"]["id"] == 48213


def test_reassigning_records_an_update(client: Any) -> None:
    newest = feed(client, limit=1000)["after_id"]
    client.put(f"{BASE}/in-progress-tickets/{IN_PROGRESS_EXAMPLE}", json={"operator_id": OPERATOR_RUBEN},
               headers=BEARER)
    [event] = feed(client, after_id=newest)["result"]
    assert event["type"] == "tickets.ticket.updated"
    assert event["payload"]["ticket"]["operator_id"] == OPERATOR_RUBEN


def test_refused_changes_record_nothing(client: Any) -> None:
    before = everything(client)
    assert transition(client, CLOSED_EXAMPLE, {"transition": {"type": "complete"}}).status_code == 409
    assert transition(client, IN_PROGRESS_EXAMPLE, {"transition": {"type": "cancel", "cancel_reason_id": 5}}
                      ).status_code == 400
    assert everything(client) == before


def test_changes_in_the_same_millisecond_still_get_growing_ids(client: Any) -> None:
    """The test clock is frozen: every event has the same time, and the ids must still keep their order."""
    newest = feed(client, limit=1000)["after_id"]
    in_progress = client.get(f"{BASE}/in-progress-tickets", params={"limit": 1000}, headers=BEARER).json()["result"]
    for item in in_progress:
        assert transition(client, item["id"], {"transition": {"type": "complete"}}).status_code == 303
    seen, after = [], newest
    while True:
        page = feed(client, after_id=after, limit=3)
        if not page["result"]:
            assert page["after_id"] == after  # a poller keeps its place
            break
        seen += page["result"]
        after = page["after_id"]
    assert [e["payload"]["ticket"]["id"] for e in seen] == [t["id"] for t in in_progress]
    assert all(e["occurred_at"] == NOW for e in seen)


def test_reset_forgets_the_new_events(client: Any) -> None:
    before = everything(client)
    transition(client, IN_PROGRESS_EXAMPLE, {"transition": {"type": "complete"}})
    assert len(everything(client)) == len(before) + 1
    assert client.post("/_ticketmock/apis/jifeline/reset").status_code == 200
    assert everything(client) == before


# --- reading the feed ----------------------------------------------------------------------------

def test_after_id_paging_reads_every_event_once(client: Any) -> None:
    events = everything(client)
    seen: list[str] = []
    after = None
    while True:
        page = feed(client, limit=7, **({"after_id": after} if after else {}))
        if not page["result"]:
            break
        seen += [e["id"] for e in page["result"]]
        assert page["after_id"] == page["result"][-1]["id"]
        after = page["after_id"]
    assert seen == [e["id"] for e in events]


def test_the_type_filter_and_its_paging(client: Any) -> None:
    closed = everything(client, type="tickets.ticket.closed")
    assert closed and all(e["type"] == "tickets.ticket.closed" for e in closed)
    assert len(closed) == sum(1 for e in everything(client) if e["type"] == "tickets.ticket.closed")
    second = feed(client, type="tickets.ticket.closed", after_id=closed[0]["id"], limit=1)
    assert second["result"] == [closed[1]]
    assert feed(client, type="tickets.ticket.reopened") == {"result": [], "after_id": None}


def test_an_after_id_that_names_no_event_still_pages_by_time(client: Any) -> None:
    events = everything(client)
    between = successor(events[9]["id"])  # after the tenth event, before the eleventh
    assert between not in {e["id"] for e in events}
    assert feed(client, after_id=between, limit=1)["result"] == [events[10]]
    assert feed(client, after_id="7ZZZZZZZZZZZZZZZZZZZZZZZZZ") == {"result": [],
                                                                   "after_id": "7ZZZZZZZZZZZZZZZZZZZZZZZZZ"}


def test_limit_zero_answers_no_events_and_keeps_the_place(client: Any) -> None:
    assert feed(client, limit=0) == {"result": [], "after_id": None}
    first = everything(client)[0]["id"]
    assert feed(client, limit=0, after_id=first) == {"result": [], "after_id": first}


@pytest.mark.parametrize("query", [{"after_id": "01kkc8be00n80khaq108xth4ts"}, {"after_id": "1"},
                                   {"limit": -1}, {"type": ""}])
def test_bad_feed_parameters_are_400(client: Any, query: dict[str, Any]) -> None:
    answer = client.get(EVENTS, params=query, headers=BEARER)
    assert answer.status_code == 400 and list(query)[0] in answer.json()["detail"]


# --- ULIDs ---------------------------------------------------------------------------------------

def test_ulids_encode_the_millisecond_first() -> None:
    ids = IdFactory(seed=7)
    at = datetime(2026, 3, 10, 16, 12, 48, 123000, tzinfo=UTC)
    made = [ids.ulid(at) for _ in range(50)]
    assert all(ULID.match(u) for u in made) and len(set(made)) == 50
    assert {u[:10] for u in made} == {"01KKC8BE3V"}  # 1773159168123 ms in Crockford base32
    assert ids.ulid(datetime(2026, 3, 10, 16, 12, 48, 124000, tzinfo=UTC)) > max(made)
    assert IdFactory(seed=7).ulid(at) == made[0]


def test_the_successor_of_a_ulid_is_the_next_value() -> None:
    assert successor("01KKC8BE3V0000000000000000") == "01KKC8BE3V0000000000000001"
    assert successor("01KKC8BE3VZZZZZZZZZZZZZZZZ") == "01KKC8BE3W0000000000000000"
