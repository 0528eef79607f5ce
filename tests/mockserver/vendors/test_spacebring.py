"""Spacebring through HTTP: tickets, activities, comments, per-location numbers, list paging and errors."""

from __future__ import annotations

import base64
import json
from collections import Counter
from typing import Any

import pytest

from tests.helpers import FROZEN_NOW, auth_for, lookup, make_client, spec_of

SLUG = "spacebring"
BASE = "/spacebring/support/tickets/v1"
STATE = f"/_ticketmock/apis/{SLUG}/state"
RESET = f"/_ticketmock/apis/{SLUG}/reset"
NOW = "2026-11-20T09:30:00Z"
assert FROZEN_NOW.startswith(NOW[:19])

NETWORK = "626fe777-1d75-4ace-b1e4-32896bcad566"
AMSTERDAM = "67b3f389-2f02-4083-a642-3dcea78018ce"
ROTTERDAM = "cd92da14-81ca-49d5-9f9b-4738194f92ff"
TICKET_42 = "fba60fb6-5431-4827-8f1b-2e2b1b503eb0"
TICKET_41 = "aedeb2d9-9e57-4b7c-937a-d5dbb688f29d"
COMMENT_42 = "63660373-5d83-4e29-b882-64c33d815b09"
STATUS_ACTIVITY_42 = "af6e7813-4443-49da-b7ae-55ce313f6439"
LUCAS = "703e2ec3-fabd-49bc-8473-fef2d1cdbe28"
LUCAS_AMS = "36a0cbba-2d67-4094-8859-4301b20c6187"
SANNE = "9d690d3f-224a-428a-8a1d-73bd21412ed5"
SANNE_AMS = "7392a310-8e3a-4c65-9f64-34ecb0972286"
UNKNOWN = "00000000-0000-4000-8000-000000000000"

BASIC = auth_for(SLUG, "getSupportTickets")
BEARER = {**auth_for(SLUG, "createSupportTicket"), "spacebring-network-id": NETWORK}
SPEC = spec_of(SLUG)


@pytest.fixture
def client() -> Any:
    return make_client(SLUG)


def state(client: Any) -> bytes:
    response = client.get(STATE)
    assert response.status_code == 200
    return response.content


def fixtures(client: Any, collection: str) -> list[dict[str, Any]]:
    return client.get(STATE).json()["collections"][collection]


def by_key(client: Any, collection: str, field: str, value: Any) -> dict[str, Any]:
    return next(r for r in fixtures(client, collection) if r[field] == value)


def user_id(client: Any, name: str) -> str:
    return by_key(client, "users", "name", name)["id"]


def membership(client: Any, location: str, user: str) -> str:
    return next(m["id"] for m in fixtures(client, "memberships")
                if m["locationRef"] == location and m["userRef"] == user)


def create(client: Any, **ticket: Any) -> Any:
    body = {"locationRef": AMSTERDAM, "text": "The coffee machine on the second floor shows error E-12.",
            "type": "repairAndMaintenance", **ticket}
    return client.post(BASE, json={"ticket": body}, headers=BEARER)


def listing(client: Any, headers: dict[str, str] | None = None, **params: Any) -> Any:
    return client.get(BASE, params={"locationRef": AMSTERDAM, **params}, headers=headers or BASIC)


def get(client: Any, ticket_id: str) -> dict[str, Any]:
    response = client.get(f"{BASE}/{ticket_id}", headers=BASIC)
    assert response.status_code == 200, response.text
    return response.json()


def assert_error(response: Any, status: int, kind: str, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "type"} and body["type"] == kind
    for word in words:
        assert word in body["message"], body["message"]
    return body


def example(path: str, method: str, status: str = "200") -> Any:
    return lookup(SPEC, "paths", path, method, "responses", status, "content", "application/json", "example")


# --- end to end -----------------------------------------------------------------------------------

def test_a_ticket_goes_from_creation_through_its_workflow_and_reset_restores_the_fixtures(client: Any) -> None:
    before = state(client)
    created = create(client, userRefRequester=SANNE, type="internet", text="No Wi-Fi in the Havenzaal.")
    assert created.status_code == 201, created.text
    ticket = created.json()["ticket"]

    first = listing(client, limit=1).json()["tickets"]
    assert [t["id"] for t in first] == [ticket["id"]]

    assigned = client.put(f"{BASE}/{ticket['id']}/assignee", json={"ticket": {"userRefAssignee": LUCAS}}, headers=BASIC)
    assert assigned.status_code == 200, assigned.text
    moved = client.put(f"{BASE}/{ticket['id']}/status", json={"ticket": {"status": "inProgress"}}, headers=BASIC)
    assert moved.status_code == 200, moved.text
    solved = client.put(f"{BASE}/{ticket['id']}/status", json={"ticket": {"status": "solved"}}, headers=BASIC)
    assert solved.status_code == 200, solved.text

    read = get(client, ticket["id"])
    assert read["ticket"]["status"] == "solved"
    assert read["ticket"]["userRefAssignee"] == LUCAS and read["ticket"]["userAssignee"]["name"] == "Lucas"
    assert [a["type"] for a in read["activities"]] == ["ticketCreated", "assigneeUpdated", "statusUpdated",
                                                       "statusUpdated"]
    assert [a["data"]["status"] for a in read["activities"][2:]] == ["inProgress", "solved"]

    assert client.post(RESET).status_code == 200
    assert state(client) == before
    assert client.get(f"{BASE}/{ticket['id']}", headers=BASIC).status_code == 404


# --- the vendor's rules -------------------------------------------------------------------------------

def test_create_answers_201_with_the_ticket_and_its_ticket_created_activity(client: Any) -> None:
    response = create(client, userRefRequester=SANNE, type="internet", text="Wi-Fi drops in the Zuid wing.")
    assert response.status_code == 201
    body = response.json()
    ticket, activities = body["ticket"], body["activities"]
    assert ticket["number"] == 43 and ticket["status"] == "new" and ticket["type"] == "internet"
    assert ticket["description"] == "Wi-Fi drops in the Zuid wing."
    assert ticket["createDate"] == ticket["updateDate"] == NOW and "statusUpdateDate" not in ticket
    assert ticket["membershipRefRequester"] == SANNE_AMS and ticket["userRequester"]["id"] == SANNE
    assert ticket["userAssignee"] is None and "userRefAssignee" not in ticket
    assert len(activities) == 1
    activity = activities[0]
    assert activity["type"] == "ticketCreated" and activity["ticketRef"] == ticket["id"]
    assert activity["createDate"] == NOW and "data" not in activity
    assert activity["membership"]["id"] == SANNE_AMS and activity["membership"]["user"]["id"] == SANNE
    assert "about" not in activity["membership"]["user"]  # as in the vendor's examples

    read = get(client, ticket["id"])
    assert read["activities"] == activities
    assert read["ticket"]["membershipRequester"]["id"] == SANNE_AMS


def test_the_requester_defaults_to_the_api_user_of_the_location(client: Any) -> None:
    amsterdam = create(client).json()["ticket"]
    assert amsterdam["membershipRefRequester"] == LUCAS_AMS and amsterdam["userRequester"]["id"] == LUCAS
    daan = user_id(client, "Daan")
    rotterdam = create(client, locationRef=ROTTERDAM).json()["ticket"]
    assert rotterdam["userRequester"]["id"] == daan


def test_ticket_numbers_count_per_location_and_only_grow(client: Any) -> None:
    assert create(client).json()["ticket"]["number"] == 43
    assert create(client, locationRef=ROTTERDAM).json()["ticket"]["number"] == 13
    assert create(client).json()["ticket"]["number"] == 44
    assert create(client, locationRef=ROTTERDAM).json()["ticket"]["number"] == 14
    counters = client.get(STATE).json()["counters"]
    assert counters == {f"ticket_number:{AMSTERDAM}": 44, f"ticket_number:{ROTTERDAM}": 14}
    client.post(RESET)
    assert create(client).json()["ticket"]["number"] == 43


def test_status_change_records_status_updated_with_previous_attributes(client: Any) -> None:
    client.app.runtime.clock.advance(90)
    response = client.put(f"{BASE}/{TICKET_42}/status", json={"ticket": {"status": "solved"}}, headers=BASIC)
    assert response.status_code == 200
    activity, ticket = response.json()["activity"], response.json()["ticket"]
    assert activity["type"] == "statusUpdated" and activity["ticketRef"] == TICKET_42
    assert activity["data"] == {"status": "solved", "previousAttributes": {"status": "inProgress"}}
    assert activity["membership"]["id"] == LUCAS_AMS  # the API user of Amsterdam-Noord
    assert activity["createDate"] == "2026-11-20T09:31:30Z"
    assert ticket["status"] == "solved"
    assert ticket["statusUpdateDate"] == ticket["updateDate"] == "2026-11-20T09:31:30Z"
    assert get(client, TICKET_42)["activities"][-1] == activity


def test_any_status_may_follow_any_status(client: Any) -> None:
    sequence = ["closed", "new", "solved", "inProgress", "inProgress", "closed", "solved", "new"]
    previous = "inProgress"
    for status in sequence:
        response = client.put(f"{BASE}/{TICKET_42}/status", json={"ticket": {"status": status}}, headers=BASIC)
        assert response.status_code == 200, response.text
        assert response.json()["activity"]["data"]["previousAttributes"] == {"status": previous}
        previous = status
    from mockserver.vendors.spacebring import VENDOR

    assert VENDOR.workflow is not None
    everywhere = ("closed", "inProgress", "new", "solved")
    rows = {(action, tuple(sources), target) for action, sources, target in VENDOR.workflow.rows()}
    assert rows == {(status, everywhere, status) for status in everywhere}


def test_assignee_changes_record_assignee_updated_with_previous_attributes(client: Any) -> None:
    noor = user_id(client, "Noor")
    response = client.put(f"{BASE}/{TICKET_42}/assignee", json={"ticket": {"userRefAssignee": noor}}, headers=BASIC)
    assert response.status_code == 200
    activity, ticket = response.json()["activity"], response.json()["ticket"]
    assert activity["type"] == "assigneeUpdated"
    assert activity["data"]["userRefAssignee"] == noor and activity["data"]["userAssignee"]["name"] == "Noor"
    assert activity["data"]["previousAttributes"]["userRefAssignee"] == LUCAS
    assert activity["data"]["previousAttributes"]["userAssignee"]["name"] == "Lucas"
    assert ticket["userRefAssignee"] == noor and ticket["userAssignee"]["id"] == noor
    assert ticket["membershipRefAssignee"] == membership(client, AMSTERDAM, noor)
    assert ticket["updateDate"] == NOW and ticket["statusUpdateDate"] == "2026-02-09T09:06:03Z"

    unassigned = client.put(f"{BASE}/{TICKET_42}/assignee", json={"ticket": {"userRefAssignee": None}}, headers=BASIC)
    assert unassigned.status_code == 200
    data = unassigned.json()["activity"]["data"]
    assert data == {"previousAttributes": {"userRefAssignee": noor, "userAssignee": ticket["userAssignee"]}}
    after = unassigned.json()["ticket"]
    assert after["userAssignee"] is None and "userRefAssignee" not in after and "membershipRefAssignee" not in after

    first = client.put(f"{BASE}/{TICKET_41}/assignee", json={"ticket": {"userRefAssignee": LUCAS}}, headers=BASIC)
    assert "previousAttributes" not in first.json()["activity"]["data"]  # nobody was assigned before


def test_the_deprecated_membership_ref_assignee_still_assigns(client: Any) -> None:
    response = client.put(f"{BASE}/{TICKET_41}/assignee", json={"ticket": {"membershipRefAssignee": LUCAS_AMS}},
                          headers=BASIC)
    assert response.status_code == 200
    assert response.json()["ticket"]["userRefAssignee"] == LUCAS
    both = {"ticket": {"membershipRefAssignee": LUCAS_AMS, "userRefAssignee": LUCAS}}
    assert client.put(f"{BASE}/{TICKET_41}/assignee", json=both, headers=BASIC).status_code == 200


def test_type_change_answers_204_and_records_no_activity(client: Any) -> None:
    before = get(client, TICKET_41)
    client.app.runtime.clock.advance(60)
    response = client.patch(f"{BASE}/{TICKET_41}/type", json={"ticket": {"type": "repairAndMaintenance"}},
                            headers=BASIC)
    assert response.status_code == 204 and response.content == b""
    after = get(client, TICKET_41)
    assert after["ticket"]["type"] == "repairAndMaintenance"
    assert after["ticket"]["updateDate"] == "2026-11-20T09:31:00Z"
    assert after["activities"] == before["activities"]


def test_update_date_moves_on_every_change(client: Any) -> None:
    ticket = create(client).json()["ticket"]
    seen = [ticket["updateDate"]]
    changes = [
        ("put", f"{BASE}/{ticket['id']}/status", {"ticket": {"status": "inProgress"}}),
        ("put", f"{BASE}/{ticket['id']}/assignee", {"ticket": {"userRefAssignee": LUCAS}}),
        ("patch", f"{BASE}/{ticket['id']}/type", {"ticket": {"type": "cleaning"}}),
        ("post", f"{BASE}/comment", {"activity": {"ticketRef": ticket["id"], "text": "On it."}}),
    ]
    for method, url, body in changes:
        client.app.runtime.clock.advance(60)
        response = client.request(method.upper(), url, json=body, headers=BEARER)
        assert response.status_code in (200, 201, 204), response.text
        seen.append(get(client, ticket["id"])["ticket"]["updateDate"])
    comment = get(client, ticket["id"])["activities"][-1]["id"]
    client.app.runtime.clock.advance(60)
    assert client.delete(f"{BASE}/comment/{comment}", headers=BASIC).status_code == 204
    seen.append(get(client, ticket["id"])["ticket"]["updateDate"])
    assert seen == sorted(set(seen)) and len(seen) == 6
    # statusUpdateDate moved only with the status
    assert get(client, ticket["id"])["ticket"]["statusUpdateDate"] == seen[1]


def test_comments_can_be_added_and_deleted(client: Any) -> None:
    response = client.post(f"{BASE}/comment", json={"activity": {"ticketRef": TICKET_42, "text": "Fixed now?"}},
                           headers=BEARER)
    assert response.status_code == 201
    activity = response.json()["activity"]
    assert set(response.json()) == {"activity"}
    assert activity["type"] == "comment" and activity["data"] == {"text": "Fixed now?"}
    assert activity["membership"]["id"] == LUCAS_AMS and activity["ticketRef"] == TICKET_42
    assert get(client, TICKET_42)["activities"][-1] == activity

    deleted = client.delete(f"{BASE}/comment/{activity['id']}", headers=BASIC)
    assert deleted.status_code == 204 and deleted.content == b""
    assert activity["id"] not in [a["id"] for a in get(client, TICKET_42)["activities"]]
    assert_error(client.delete(f"{BASE}/comment/{activity['id']}", headers=BASIC), 404, "notFound", activity["id"])


def test_a_comment_may_be_only_an_attachment(client: Any) -> None:
    key = f"support/{AMSTERDAM}/{TICKET_41}/paper-jam.jpg"
    body = {"activity": {"ticketRef": TICKET_41, "attachments": [{"key": key}]}}
    response = client.post(f"{BASE}/comment", json=body, headers=BEARER)
    assert response.status_code == 201
    attachment = response.json()["activity"]["data"]["attachments"][0]
    assert attachment["key"] == key and attachment["name"] == "paper-jam.jpg" and attachment["mime"] == "image/jpeg"
    assert attachment["url"].endswith(key) and attachment["size"] > 0
    assert "text" not in response.json()["activity"]["data"]


def test_an_empty_comment_is_refused(client: Any) -> None:
    before = state(client)
    for activity in ({"ticketRef": TICKET_42}, {"ticketRef": TICKET_42, "attachments": []}):
        assert_error(client.post(f"{BASE}/comment", json={"activity": activity}, headers=BEARER), 400,
                     "invalidRequest", "text", "attachment")
    assert state(client) == before


def test_deleting_a_non_comment_activity_or_an_unknown_id_is_refused(client: Any) -> None:
    before = state(client)
    assert_error(client.delete(f"{BASE}/comment/{STATUS_ACTIVITY_42}", headers=BASIC), 400, "invalidRequest",
                 "statusUpdated", "not a comment")
    assert_error(client.delete(f"{BASE}/comment/{UNKNOWN}", headers=BASIC), 404, "notFound", UNKNOWN)
    assert state(client) == before


def test_get_returns_the_ticket_with_all_its_activities_in_order(client: Any) -> None:
    assert get(client, TICKET_42) == example("/support/tickets/v1/{id}", "get")
    activities = get(client, by_key(client, "tickets", "number", 17)["id"])["activities"]
    dates = [a["createDate"] for a in activities]
    assert dates == sorted(dates) and len(activities) == 7
    assert [a["type"] for a in activities] == ["ticketCreated", "assigneeUpdated", "statusUpdated", "comment",
                                               "comment", "statusUpdated", "statusUpdated"]


def test_an_answer_of_the_lem_ai_assistant_has_no_membership(client: Any) -> None:
    ticket = next(t for t in fixtures(client, "tickets") if t["locationRef"] == ROTTERDAM and t["number"] == 7)
    lem = get(client, ticket["id"])["activities"][1]
    assert lem["type"] == "comment" and lem["lemAI"]["name"] == "Lem" and "membership" not in lem


def test_the_list_example_of_the_spec_is_what_the_mock_answers(client: Any) -> None:
    body = listing(client, limit=2).json()
    assert body["tickets"] == example("/support/tickets/v1", "get")["tickets"]


def test_a_request_built_from_the_spec_examples_works(client: Any) -> None:
    request = lookup(SPEC, "components", "requestBodies", "createSupportTicket", "content", "application/json",
                     "example")
    response = client.post(BASE, json=request, headers=BEARER)
    assert response.status_code == 201
    expected = example("/support/tickets/v1", "post", "201")
    assert response.json()["ticket"]["description"] == expected["ticket"]["description"]
    assert response.json()["activities"][0]["membership"] == expected["activities"][0]["membership"]
    for name in ("updateSupportTicketStatus", "updateSupportTicketAssignee"):
        body = lookup(SPEC, "components", "requestBodies", name, "content", "application/json", "example")
        path = "status" if "Status" in name else "assignee"
        assert client.put(f"{BASE}/{TICKET_42}/{path}", json=body, headers=BASIC).status_code == 200
    body = lookup(SPEC, "components", "requestBodies", "createSupportTicketComment", "content", "application/json",
                  "example")
    assert client.post(f"{BASE}/comment", json=body, headers=BEARER).status_code == 201
    assert client.delete(f"{BASE}/comment/{COMMENT_42}", headers=BASIC).status_code == 204


# --- references must exist where they are used ------------------------------------------------------

def test_the_location_must_be_known(client: Any) -> None:
    before = state(client)
    assert_error(create(client, locationRef=UNKNOWN), 400, "invalidRequest", "ticket.locationRef", UNKNOWN,
                 AMSTERDAM)
    assert_error(listing(client, locationRef=UNKNOWN), 400, "invalidRequest", "locationRef", UNKNOWN)
    assert state(client) == before


def test_the_requester_must_be_a_known_unblocked_member_of_the_location(client: Any) -> None:
    before = state(client)
    assert_error(create(client, locationRef=ROTTERDAM, userRefRequester=SANNE), 400, "invalidRequest",
                 "ticket.userRefRequester", "Sanne de Vries", "not a member", "Werkplaats Amsterdam-Noord")
    assert_error(create(client, userRefRequester=UNKNOWN), 400, "invalidRequest", "ticket.userRefRequester",
                 "does not exist")
    assert_error(create(client, userRefRequester=user_id(client, "Bram")), 400, "invalidRequest", "blocked")
    assert state(client) == before
    milan = user_id(client, "Milan")  # a member of both locations
    assert create(client, locationRef=ROTTERDAM, userRefRequester=milan).json()["ticket"]["membershipRefRequester"] \
        == membership(client, ROTTERDAM, milan)


def test_the_assignee_must_be_a_member_of_the_ticket_location(client: Any) -> None:
    before = state(client)
    daan = user_id(client, "Daan")
    url = f"{BASE}/{TICKET_42}/assignee"
    assert_error(client.put(url, json={"ticket": {"userRefAssignee": daan}}, headers=BASIC), 400,
                 "invalidRequest", "ticket.userRefAssignee", "not a member")
    assert_error(client.put(url, json={"ticket": {"userRefAssignee": UNKNOWN}}, headers=BASIC), 400,
                 "invalidRequest", "does not exist")
    rotterdam_membership = membership(client, ROTTERDAM, daan)
    assert_error(client.put(url, json={"ticket": {"membershipRefAssignee": rotterdam_membership}}, headers=BASIC),
                 400, "invalidRequest", "ticket.membershipRefAssignee")
    both = {"ticket": {"userRefAssignee": LUCAS, "membershipRefAssignee": SANNE_AMS}}
    assert_error(client.put(url, json=both, headers=BASIC), 400, "invalidRequest", "different assignees")
    assert state(client) == before


def test_list_filters_by_requester_memberships_and_assignees(client: Any) -> None:
    joris = membership(client, AMSTERDAM, user_id(client, "Joris"))
    both = listing(client, membershipRefRequester=f"{SANNE_AMS},{joris}", limit=100).json()["tickets"]
    assert {t["membershipRefRequester"] for t in both} == {SANNE_AMS, joris}
    expected = [t for t in fixtures(client, "tickets")
                if t["locationRef"] == AMSTERDAM and t["membershipRefRequester"] in (SANNE_AMS, joris)]
    assert len(both) == len(expected) == 9

    noor = user_id(client, "Noor")
    assigned = listing(client, userRefAssignee=f"{LUCAS},{noor}", limit=100).json()["tickets"]
    assert {t["userRefAssignee"] for t in assigned} == {LUCAS, noor}
    assert len(assigned) == sum(1 for t in fixtures(client, "tickets") if t.get("userRefAssignee") in (LUCAS, noor))
    assert listing(client, userRefAssignee=UNKNOWN).json() == {"tickets": []}


def test_requester_filters_must_be_memberships_of_the_location(client: Any) -> None:
    rotterdam = membership(client, ROTTERDAM, user_id(client, "Daan"))
    assert_error(listing(client, membershipRefRequester=f"{SANNE_AMS},{rotterdam}"), 400, "invalidRequest",
                 "membershipRefRequester", rotterdam)
    assert_error(listing(client, membershipRefRequester=f"{SANNE_AMS},{SANNE_AMS}"), 400, "invalidRequest",
                 "more than once")
    assert_error(listing(client, membershipRefRequester=f"{SANNE_AMS}, {SANNE_AMS}"), 400, "invalidRequest",
                 "membershipRefRequester")


def test_a_bearer_token_must_name_the_network(client: Any) -> None:
    before = state(client)
    bearer = {"Authorization": "Bearer mock-token"}
    body = assert_error(listing(client, headers=bearer), 400, "invalidRequest", "spacebring-network-id", NETWORK)
    assert "bearer" in body["message"]
    assert_error(client.post(BASE, json={"ticket": {"locationRef": AMSTERDAM, "text": "x", "type": "other"}},
                             headers=bearer), 400, "invalidRequest", "spacebring-network-id")
    assert_error(listing(client, headers={**bearer, "spacebring-network-id": UNKNOWN}), 400, "invalidRequest",
                 "spacebring-network-id", UNKNOWN)
    assert_error(listing(client, headers={**bearer, "spacebring-network-id": "werkplaats"}), 400,
                 "invalidRequest", "spacebring-network-id")
    assert state(client) == before
    assert listing(client, headers=BEARER).status_code == 200
    assert listing(client, headers=BASIC).status_code == 200  # Basic credentials name their network


# --- the list -------------------------------------------------------------------------------------

@pytest.mark.parametrize("order", ["createDate:asc", "createDate:desc", "updateDate:asc", "updateDate:desc"])
def test_walking_every_page_finds_every_ticket_once_in_order(client: Any, order: str) -> None:
    field, direction = order.split(":")
    seen: list[dict[str, Any]] = []
    token = None
    while True:
        params = {"limit": 4, "order": order, **({"nextPageToken": token} if token else {})}
        body = listing(client, **params).json()
        assert len(body["tickets"]) <= 4
        seen += body["tickets"]
        token = body.get("nextPageToken")
        if token is None:
            assert "searchQueryNext" not in body
            break
    expected = {t["id"] for t in fixtures(client, "tickets") if t["locationRef"] == AMSTERDAM}
    assert len(seen) == len(expected) == 26 and {t["id"] for t in seen} == expected
    keys = [(t[field], t["number"]) for t in seen]
    assert keys == sorted(keys, reverse=direction == "desc")


def test_the_default_page_is_25_newest_first_and_limit_is_bounded(client: Any) -> None:
    body = listing(client).json()
    assert len(body["tickets"]) == 25 and [t["number"] for t in body["tickets"]][:3] == [42, 41, 40]
    assert len(listing(client, limit=100).json()["tickets"]) == 26
    for limit in (0, 101, "many"):
        assert_error(listing(client, limit=limit), 400, "invalidRequest", "limit")
    assert_error(listing(client, order="number:asc"), 400, "invalidRequest", "order")
    assert_error(client.get(BASE, headers=BASIC), 400, "invalidRequest", "locationRef")


@pytest.mark.parametrize("order", ["createDate:desc", "createDate:asc", "updateDate:desc"])
def test_inserting_while_paging_does_not_shift_the_pages(client: Any, order: str) -> None:
    everything = [t["id"] for t in listing(client, limit=100, order=order).json()["tickets"]]
    first = listing(client, limit=10, order=order).json()
    created = [create(client).json()["ticket"]["id"] for _ in range(3)]
    seen = [t["id"] for t in first["tickets"]]
    token = first["nextPageToken"]
    while token:
        body = listing(client, limit=10, order=order, nextPageToken=token).json()
        seen += [t["id"] for t in body["tickets"]]
        token = body.get("nextPageToken")
    if order.endswith("desc"):
        assert seen == everything  # new tickets are ahead of the pages already handed out
    else:
        assert seen == everything + created  # and at the end when oldest come first
    assert len(seen) == len(set(seen))


def test_search_query_next_repeats_the_filters_with_the_next_token(client: Any) -> None:
    joris = membership(client, AMSTERDAM, user_id(client, "Joris"))
    params = {"limit": 3, "order": "updateDate:asc", "membershipRefRequester": f"{SANNE_AMS},{joris}"}
    body = listing(client, **params).json()
    query = body["searchQueryNext"]
    assert query == (f"?locationRef={AMSTERDAM}&limit=3&order=updateDate:asc&membershipRefRequester="
                     f"{SANNE_AMS},{joris}&nextPageToken={body['nextPageToken']}")
    following = client.get(BASE + query, headers=BASIC).json()
    assert following == listing(client, **params, nextPageToken=body["nextPageToken"]).json()
    assert {t["membershipRefRequester"] for t in following["tickets"]} <= {SANNE_AMS, joris}


def test_the_documented_offset_token_is_accepted(client: Any) -> None:
    token = "eyJvZmZzZXQiOjI1fQ"
    assert json.loads(base64.urlsafe_b64decode(token + "==")) == {"offset": 25}
    body = listing(client, nextPageToken=token).json()
    assert [t["number"] for t in body["tickets"]] == [17] and "nextPageToken" not in body
    offset = base64.urlsafe_b64encode(b'{"offset":2}').decode().rstrip("=")
    page = listing(client, limit=2, nextPageToken=offset).json()
    assert [t["number"] for t in page["tickets"]] == [40, 39]
    assert [t["number"] for t in listing(client, limit=2, nextPageToken=page["nextPageToken"]).json()["tickets"]] \
        == [38, 37]


@pytest.mark.parametrize("token", ["not a token", "e30", "WzEsMl0", "WyJ4IiwiMSJd", "eyJvZmZzZXQiOi0xfQ",
                                   "eyJvZmZzZXQiOnRydWV9", "%%%", "é"])
def test_a_foreign_page_token_is_refused(client: Any, token: str) -> None:
    assert_error(listing(client, nextPageToken=token), 400, "invalidRequest", "nextPageToken")


# --- bad input: the vendor's error, a 4xx, and no change ---------------------------------------------

BODY_OPERATIONS = [
    ("POST", BASE, {"ticket": {"locationRef": AMSTERDAM, "text": "x", "type": "other"}}),
    ("PUT", f"{BASE}/{TICKET_42}/status", {"ticket": {"status": "solved"}}),
    ("PUT", f"{BASE}/{TICKET_42}/assignee", {"ticket": {"userRefAssignee": LUCAS}}),
    ("PATCH", f"{BASE}/{TICKET_42}/type", {"ticket": {"type": "other"}}),
    ("POST", f"{BASE}/comment", {"activity": {"ticketRef": TICKET_42, "text": "x"}}),
]
IDS = ["create", "status", "assignee", "type", "comment"]


@pytest.mark.parametrize(("method", "url", "valid"), BODY_OPERATIONS, ids=IDS)
def test_bad_bodies_are_refused_without_changing_anything(method: str, url: str, valid: dict[str, Any]) -> None:
    client = make_client(SLUG, max_body_bytes=2048)
    before = state(client)
    json_headers = {**BEARER, "Content-Type": "application/json"}
    cases = [
        (b'{"ticket": ', json_headers, 400, "invalidRequest", "not valid JSON"),
        (json.dumps(valid).encode(), {**BEARER, "Content-Type": "text/plain"}, 415, "unsupportedMediaType",
         "text/plain"),
        (json.dumps({**valid, "padding": "x" * 3000}).encode(), json_headers, 413, "payloadTooLarge", "2048"),
        (b'{"ticket": {"text": "\xff\xfe"}}', json_headers, 400, "invalidRequest", "UTF-8"),
        (b"[]", json_headers, 400, "invalidRequest", ""),
        (b"", json_headers, 400, "invalidRequest", "required"),
    ]
    for content, headers, status, kind, word in cases:
        assert_error(client.request(method, url, content=content, headers=headers), status, kind, word)
    assert state(client) == before


@pytest.mark.parametrize(("method", "url", "valid"), BODY_OPERATIONS, ids=IDS)
def test_members_the_vendor_does_not_describe_are_accepted_and_ignored(method: str, url: str,
                                                                      valid: dict[str, Any]) -> None:
    """The vendor's request bodies are open: extra members change nothing, at the top or inside."""
    plain, extended = make_client(SLUG), make_client(SLUG)
    padded = {"clientRequestId": "7f1c", **{key: {**value, "priority": "high", "tags": ["wifi"]}
                                             for key, value in valid.items()}}
    expected = plain.request(method, url, json=valid, headers=BEARER)
    answer = extended.request(method, url, json=padded, headers=BEARER)
    assert answer.status_code == expected.status_code < 300, answer.text
    assert answer.content == expected.content
    assert state(extended) == state(plain)


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/{id}"), ("PUT", "/{id}/status"), ("PUT", "/{id}/assignee"), ("PATCH", "/{id}/type"),
    ("DELETE", "/comment/{id}"),
])
def test_path_ids_of_the_wrong_shape_or_unknown_are_refused(client: Any, method: str, path: str) -> None:
    before = state(client)
    body = {"PUT": {"ticket": {"status": "new"} if "status" in path else {"userRefAssignee": None}},
            "PATCH": {"ticket": {"type": "other"}}}.get(method)
    for ticket_id, status, kind in (("42", 400, "invalidRequest"), ("fba60fb6-5431-4827-8f1b", 400, "invalidRequest"),
                                    (UNKNOWN, 404, "notFound")):
        response = client.request(method, BASE + path.format(id=ticket_id), json=body, headers=BASIC)
        assert_error(response, status, kind, ticket_id if status == 404 else "id")
    assert state(client) == before


def test_comments_on_unknown_tickets_are_not_found(client: Any) -> None:
    before = state(client)
    response = client.post(f"{BASE}/comment", json={"activity": {"ticketRef": UNKNOWN, "text": "Hello"}},
                           headers=BEARER)
    assert_error(response, 404, "notFound", "ticket", UNKNOWN)
    assert state(client) == before


def test_upper_case_ids_name_the_same_records(client: Any) -> None:
    assert get(client, TICKET_42.upper())["ticket"]["id"] == TICKET_42
    assert listing(client, locationRef=AMSTERDAM.upper(), limit=1).json()["tickets"][0]["number"] == 42


# --- security ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "url"), [
    ("GET", f"{BASE}?locationRef={AMSTERDAM}"), ("POST", BASE), ("GET", f"{BASE}/{TICKET_42}"),
    ("PUT", f"{BASE}/{TICKET_42}/status"), ("PUT", f"{BASE}/{TICKET_42}/assignee"),
    ("PATCH", f"{BASE}/{TICKET_42}/type"), ("POST", f"{BASE}/comment"), ("DELETE", f"{BASE}/comment/{COMMENT_42}"),
])
def test_requests_without_credentials_are_unauthorized(client: Any, method: str, url: str) -> None:
    before = state(client)
    response = client.request(method, url, json={})
    assert_error(response, 401, "unauthorized", "Authorization")
    assert "Bearer" in response.headers["www-authenticate"]
    assert state(client) == before


@pytest.mark.parametrize("authorization", ["Bearer", "Bearer a b", "Bearer <token>", "Basic !!!", "Basic bm9jb2xvbg==",
                                           "Token abc"])
def test_malformed_credentials_are_unauthorized(client: Any, authorization: str) -> None:
    response = listing(client, headers={"Authorization": authorization, "spacebring-network-id": NETWORK})
    assert_error(response, 401, "unauthorized")
    assert "realm=" in response.headers["www-authenticate"]


def test_creating_needs_oauth_basic_is_not_accepted(client: Any) -> None:
    before = state(client)
    response = client.post(BASE, json={"ticket": {"locationRef": AMSTERDAM, "text": "x", "type": "other"}},
                           headers=BASIC)
    assert_error(response, 401, "unauthorized", "Bearer")
    response = client.post(f"{BASE}/comment", json={"activity": {"ticketRef": TICKET_42, "text": "x"}}, headers=BASIC)
    assert_error(response, 401, "unauthorized", "Bearer")
    assert state(client) == before


def test_only_configured_credentials_are_accepted_when_the_mock_is_restricted() -> None:
    client = make_client(SLUG, tokens=["partner-token"], basic=["client-id:client-secret"])
    good_basic = {"Authorization": "Basic " + base64.b64encode(b"client-id:client-secret").decode()}
    assert listing(client, headers=good_basic).status_code == 200
    assert listing(client, headers={"Authorization": "Bearer partner-token", "spacebring-network-id": NETWORK}) \
        .status_code == 200
    assert_error(listing(client, headers=BASIC), 401, "unauthorized")
    assert_error(listing(client, headers=BEARER), 401, "unauthorized")


# --- fixtures and the envelope ---------------------------------------------------------------------------

def test_the_fixtures_cover_every_status_and_many_types(client: Any) -> None:
    tickets = fixtures(client, "tickets")
    assert len(tickets) >= 25
    assert set(Counter(t["status"] for t in tickets)) == {"new", "inProgress", "solved", "closed"}
    assert len({t["type"] for t in tickets}) == 14
    assert {a["type"] for a in fixtures(client, "activities")} == {"ticketCreated", "statusUpdated",
                                                                   "assigneeUpdated", "comment"}
    roles = Counter((m["locationRef"], m["roleType"]) for m in fixtures(client, "memberships"))
    assert all(roles[(location, "admin")] >= 2 and roles[(location, "member")] >= 4
               for location in (AMSTERDAM, ROTTERDAM))


def test_unknown_routes_and_methods_answer_in_the_vendor_envelope(client: Any) -> None:
    assert_error(client.get("/spacebring/support/tickets/v2", headers=BASIC), 404, "notFound")
    response = client.delete(f"{BASE}/{TICKET_42}", headers=BASIC)
    assert_error(response, 405, "methodNotAllowed")
    assert response.headers["allow"] == "GET, HEAD"
