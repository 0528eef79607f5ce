"""Jifeline's generic tickets resource: every ticket in one shape, a second view of the state collections' store."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.vendors.jifeline.states import STATES, TICKET_FIELDS
from tests.helpers import make_client

SLUG = "jifeline"
BASE = "/jifeline/v2/tickets"
TICKETS = f"{BASE}/tickets"
STATE_URL = "/_ticketmock/apis/jifeline/state"
BEARER = {"Authorization": "Bearer mock-token"}  # the newer authentication page: nothing else
NOW = "2026-11-20T09:30:00Z"
PROBLEM = "application/problem+json"

IN_PROGRESS_EXAMPLE = "f2c4cf2d-c633-466b-b161-c01ab5bf66f0"  # ticket 7179072
CUSTOMER_EXAMPLE = "5d0c3a8e-7f2b-4c61-9a4e-2b8f1e6d7c90"
OPERATOR_RUBEN = "c8e2d5f1-9a3b-4d7e-a6c4-1f0b2e9d8a36"
OUTSOURCE = {"transition": {"type": "outsource", "product_ids": ["7c2e9a14-0b5d-4f38-a6e1-93d8c4b07f52"],
                            "provider_id": "e3a9c7d2-6b14-4f05-8d3e-5c2b9a0f7e61"}}


@pytest.fixture
def client() -> Any:
    return make_client(SLUG)


def stored(client: Any) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in client.get(STATE_URL).json()["collections"]["tickets"]}


def listed(client: Any, **query: Any) -> dict[str, Any]:
    answer = client.get(TICKETS, params={"limit": 1000, **query}, headers=BEARER)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def one(client: Any, ticket_id: str) -> dict[str, Any]:
    answer = client.get(f"{TICKETS}/{ticket_id}", headers=BEARER)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def transition(client: Any, ticket_id: str, body: dict[str, Any]) -> None:
    answer = client.patch(f"{BASE}/in-progress-tickets/{ticket_id}", json=body, headers=BEARER,
                          follow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_every_ticket_in_every_state_in_one_shape_that_carries_its_state(client: Any) -> None:
    tickets = stored(client)
    page = listed(client)
    assert page["total"] == len(tickets) == len(page["result"]) and page["query"] == {"limit": 1000, "offset": 0}
    for ticket in page["result"]:
        assert list(ticket) == list(TICKET_FIELDS)
        assert ticket["state"] == tickets[ticket["id"]]["$state"]
        assert one(client, ticket["id"]) == ticket
    assert {t["state"] for t in page["result"]} == set(STATES)
    numbers = [t["ticket_number"] for t in page["result"]]
    assert numbers == sorted(numbers)


def test_lifecycle_fields_follow_the_state(client: Any) -> None:
    for ticket in listed(client)["result"]:
        state = ticket["state"]
        assert (ticket["finished_at"] is not None) is (state in ("closed", "cancelled")), ticket
        assert (ticket["cancel_reason_id"] is not None) is (state == "cancelled"), ticket
        assert (ticket["customer_channel_id"] is None) is (state == "prepared"), ticket
        if state in ("in_progress", "outsourced", "closed"):
            assert ticket["assigned_at"] is not None and ticket["operator_id"] is not None
        if state in ("prepared", "pending"):
            assert ticket["assigned_at"] is None and ticket["operator_id"] is None
        assert ticket["created_at"] <= ticket["updated_at"]


@pytest.mark.parametrize("state", list(STATES))
def test_the_state_filter_lists_exactly_that_states_collection(client: Any, state: str) -> None:
    generic = listed(client, state=state)
    assert generic["query"] == {"limit": 1000, "offset": 0, "state": state}
    segment = STATES[state].segment
    collection = client.get(f"{BASE}/{segment}", params={"limit": 1000}, headers=BEARER).json()["result"]
    assert [t["id"] for t in generic["result"]] == [t["id"] for t in collection]
    for wide, narrow in zip(generic["result"], collection, strict=True):
        assert {k: v for k, v in wide.items() if k in narrow} == {k: v for k, v in narrow.items() if k in wide}


def test_filters_combine_and_are_echoed(client: Any) -> None:
    everything = listed(client)["result"]
    mine = listed(client, customer_id=CUSTOMER_EXAMPLE)
    assert mine["query"] == {"limit": 1000, "offset": 0, "customer_id": CUSTOMER_EXAMPLE}
    assert [t["id"] for t in mine["result"]] == [t["id"] for t in everything if t["customer_id"] == CUSTOMER_EXAMPLE]

    todo = listed(client, state="closed", externally_processed="false")
    assert todo["query"] == {"limit": 1000, "offset": 0, "state": "closed", "externally_processed": False}
    expected = [t["id"] for t in everything if t["state"] == "closed" and not t["externally_processed"]]
    assert [t["id"] for t in todo["result"]] == expected and len(expected) == 3

    by_number = listed(client, ticket_number=7179072)
    assert [t["id"] for t in by_number["result"]] == [IN_PROGRESS_EXAMPLE]
    assert by_number["query"]["ticket_number"] == 7179072
    assert listed(client, ticket_number=7179072, state="closed")["total"] == 0


def test_paging_walks_every_ticket_once(client: Any) -> None:
    seen: list[str] = []
    for offset in range(0, 40, 7):
        page = client.get(TICKETS, params={"limit": 7, "offset": offset}, headers=BEARER).json()
        seen += [t["id"] for t in page["result"]]
    assert len(seen) == len(set(seen)) == len(stored(client))


def test_a_ticket_completed_through_the_in_progress_patch_is_closed_here_at_once(client: Any) -> None:
    before = one(client, IN_PROGRESS_EXAMPLE)
    assert before["state"] == "in_progress" and before["finished_at"] is None
    transition(client, IN_PROGRESS_EXAMPLE, {"transition": {"type": "complete"}})
    after = one(client, IN_PROGRESS_EXAMPLE)
    assert after == {**before, "state": "closed", "finished_at": NOW, "updated_at": NOW}
    assert IN_PROGRESS_EXAMPLE in [t["id"] for t in listed(client, state="closed")["result"]]
    assert IN_PROGRESS_EXAMPLE not in [t["id"] for t in listed(client, state="in_progress")["result"]]


def test_cancel_and_outsource_show_up_in_the_generic_view(client: Any) -> None:
    in_progress = listed(client, state="in_progress")["result"]
    cancelled, outsourced = in_progress[0]["id"], in_progress[1]["id"]
    transition(client, cancelled, {"transition": {"type": "cancel", "cancel_reason_id": 4}})
    transition(client, outsourced, OUTSOURCE)
    assert one(client, cancelled) == {**in_progress[0], "state": "cancelled", "finished_at": NOW,
                                      "cancel_reason_id": 4, "updated_at": NOW}
    assert one(client, outsourced) == {**in_progress[1], "state": "outsourced", "updated_at": NOW}


def test_reassigning_updates_the_operator_and_updated_at(client: Any) -> None:
    before = one(client, IN_PROGRESS_EXAMPLE)
    answer = client.put(f"{BASE}/in-progress-tickets/{IN_PROGRESS_EXAMPLE}", json={"operator_id": OPERATOR_RUBEN},
                        headers=BEARER)
    assert answer.status_code == 200
    assert one(client, IN_PROGRESS_EXAMPLE) == {**before, "operator_id": OPERATOR_RUBEN, "updated_at": NOW}


def test_unknown_ids_and_bad_filters_are_problems_and_change_nothing(client: Any) -> None:
    before = client.get(STATE_URL).content
    unknown = client.get(f"{TICKETS}/3c0a1f7e-9d42-4b68-a5e1-7f2c8d0b6e94", headers=BEARER)
    assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM
    assert "3c0a1f7e-9d42-4b68-a5e1-7f2c8d0b6e94" in unknown.json()["detail"]
    for query, needle in [({"state": "open"}, "state"), ({"externally_processed": "maybe"}, "externally_processed"),
                          ({"customer_id": "garage-1"}, "customer_id"), ({"limit": 1001}, "limit")]:
        answer = client.get(TICKETS, params=query, headers=BEARER)
        assert answer.status_code == 400 and needle in answer.json()["detail"], query
    assert client.get(f"{TICKETS}/7179072", headers=BEARER).status_code == 400
    assert client.get(STATE_URL).content == before
