"""Bob! Desk behaviour through HTTP: workflow table, notes, dates, cursor paging, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.vendors.bobdesk import WORKFLOW
from tests.helpers import auth_for, make_client

BASE = "/bobdesk/api/v3.0"
AUTH = auth_for("bobdesk", "listTickets")
MAIN = "69085cd7673a0fc7bdbbd659"
LOCATION = "64103ca1673a0fc7bdbbf826"


def state(client: Any) -> dict[str, Any]:
    return client.get("/_ticketmock/apis/bobdesk/state").json()


def all_tickets(client: Any, **params: str) -> list[dict[str, Any]]:
    tickets, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{BASE}/tickets", headers=AUTH, params=query).json()
        if not page["tickets"]:
            return tickets
        tickets += page["tickets"]
        cursor = page["cursor"]


def create(client: Any, **body: Any) -> str:
    response = client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "Néon de vitrine", **body})
    assert response.status_code == 200, response.text
    return str(response.json()["ticket_id"])


def test_end_to_end_create_list_act_read_reset() -> None:
    client = make_client("bobdesk")
    before = state(client)
    ticket_id = create(client, priority="medium", location_ids=[LOCATION], description="Tube qui clignote")
    listed = {t["_id"]: t for t in all_tickets(client)}[ticket_id]
    assert listed["status"] == "opened" and listed["priority_label"] == "medium"
    assert listed["locations"][0]["reference"] == "LYO-CR-04"
    assert listed["number"] == "104635"  # one past the fixtures' highest number
    assert client.post(f"{BASE}/tickets/{ticket_id}/notes", headers=AUTH,
                       json={"note": "Passage jeudi", "type": "public"}).status_code == 200
    assert client.put(f"{BASE}/tickets/{ticket_id}/cancel", headers=AUTH,
                      json={"reason_cancel": "Réparé par le client"}).json() == {"message": "ok"}
    read = {t["_id"]: t for t in all_tickets(client)}[ticket_id]
    assert read["status"] == "canceled" and read["updated_at"] == "2026-11-20T09:30:00.000Z"
    stored = next(t for t in state(client)["collections"]["tickets"] if t["_id"] == ticket_id)
    assert stored["$reason_cancel"] == "Réparé par le client"
    client.post("/_ticketmock/apis/bobdesk/reset")
    assert state(client) == before


def test_workflow_table_matches_the_documented_rules() -> None:
    rows = {action: (sources, target) for action, sources, target in WORKFLOW.rows()}
    assert rows["close"] == (["finished", "intervention_finish"], "closed")
    assert rows["reopen"] == (["canceled", "closed", "declined", "finished"], "opened")
    assert rows["finish"][1] == "finished" and "opened" not in rows["finish"][0]
    assert "closed" not in rows["cancel"][0] and "draft" in rows["cancel"][0]


@pytest.mark.parametrize(("status", "action", "path", "method", "allowed"), [
    ("opened", "close", "close", "put", False),
    ("opened", "finish", "finish", "put", False),
    ("opened", "cancel", "cancel", "put", True),
    ("closed", "cancel", "cancel", "put", False),
    ("closed", "reopen", "open", "post", True),
    ("intervention", "finish", "finish", "put", True),
    ("finished", "close", "close", "put", True),
])
def test_actions_follow_the_workflow(status: str, action: str, path: str, method: str, allowed: bool) -> None:
    client = make_client("bobdesk")
    ticket = next(t for t in state(client)["collections"]["tickets"] if t["status"] == status)
    before = state(client)
    response = getattr(client, method)(f"{BASE}/tickets/{ticket['_id']}/{path}", headers=AUTH)
    if allowed:
        assert response.status_code == 200
        after = next(t for t in all_tickets(client) if t["_id"] == ticket["_id"])
        assert after["status"] == WORKFLOW.next_state(status, action)
    else:
        assert response.status_code == 409
        assert response.json()["code"] == "transition_not_allowed"
        assert f"its status is '{status}'" in response.json()["message"]
        assert state(client) == before


def test_close_sets_closed_at_and_reopen_clears_it() -> None:
    client = make_client("bobdesk")
    finished = next(t for t in state(client)["collections"]["tickets"] if t["status"] == "finished")
    client.put(f"{BASE}/tickets/{finished['_id']}/close", headers=AUTH, json={"reserve": False})
    closed = next(t for t in all_tickets(client) if t["_id"] == finished["_id"])
    assert closed["closed_at"] == "2026-11-20T09:30:00.000Z"
    client.post(f"{BASE}/tickets/{finished['_id']}/open", headers=AUTH)
    reopened = next(t for t in all_tickets(client) if t["_id"] == finished["_id"])
    assert reopened["status"] == "opened" and reopened["closed_at"] is None


def test_notes_are_appended_and_listed_in_order() -> None:
    client = make_client("bobdesk")
    created = client.post(f"{BASE}/tickets/{MAIN}/notes", headers=AUTH,
                          json={"note": "Pièce commandée", "type": "managers"}).json()
    assert created["author"] == {"_id": "64103b16673a0fc7bdbc1b03", "name": "Camille Rousseau"}
    notes = client.get(f"{BASE}/tickets/{MAIN}/notes", headers=AUTH).json()["notes"]
    assert [n["note"] for n in notes][-1] == "Pièce commandée" and len(notes) == 3
    assert notes[-1]["_id"] == created["_id"]


def test_dates_accept_iso_and_epoch_and_update_the_ticket() -> None:
    client = make_client("bobdesk")
    response = client.post(f"{BASE}/tickets/{MAIN}/dates", headers=AUTH,
                           json={"start": 1767603600000, "end": "2026-01-05T11:00:00Z", "type": "actual"})
    assert response.json() == {"message": "ok"}
    dates = client.get(f"{BASE}/tickets/{MAIN}/dates", headers=AUTH).json()
    assert dates["visit_dates"] == [{"start": "2025-11-03T13:30:00.000Z", "end": "2025-11-03T14:15:00.000Z",
                                     "type": "actual"}]
    assert {"start": "2026-01-05T09:00:00.000Z", "end": "2026-01-05T11:00:00.000Z",
            "type": "actual"} in dates["intervention_dates"]
    ticket = next(t for t in all_tickets(client) if t["_id"] == MAIN)
    assert ticket["intervention_occured_at"] == ["2026-01-05T09:00:00.000Z"]


def test_unparseable_date_is_refused_without_change() -> None:
    client = make_client("bobdesk")
    before = state(client)
    response = client.post(f"{BASE}/tickets/{MAIN}/dates", headers=AUTH,
                           json={"start": "next tuesday", "end": "2026-01-05T09:00:00Z", "type": "planned"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "start"
    assert state(client) == before


def test_get_id_from_number() -> None:
    client = make_client("bobdesk")
    assert client.get(f"{BASE}/tickets/get-id-from-number", headers=AUTH,
                      params={"ticket_number": "104582"}).json() == {"ticket_id": MAIN}
    missing = client.get(f"{BASE}/tickets/get-id-from-number", headers=AUTH, params={"ticket_number": "9"})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_cursor_paging_walks_everything_once_and_ignores_later_inserts() -> None:
    client = make_client("bobdesk")
    for n in range(45):  # 30 fixtures + 45 = 75 tickets: two pages of 50 and 25
        create(client, title=f"Ampoule {n}")
    first = client.get(f"{BASE}/tickets", headers=AUTH).json()
    assert len(first["tickets"]) == 50 and first["cursor"] == first["tickets"][-1]["_id"]
    create(client, title="Arrivé pendant la lecture")
    rest = all_tickets(client)
    ids = [t["_id"] for t in rest]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 76
    assert ids[:50] == [t["_id"] for t in first["tickets"]]


def test_list_filters() -> None:
    client = make_client("bobdesk")
    maintenance = all_tickets(client, maintenances="true")
    assert maintenance and all("maintenance" in t for t in maintenance)
    assert all("maintenance" not in t for t in all_tickets(client, interventions="true"))
    pharmacy = all_tickets(client, client_id="64103ae2673a0fc7bdbbea31")
    assert pharmacy and {t["client"]["name"] for t in pharmacy} == {"Pharmacies Berthier"}
    # seconds and milliseconds both work for the timestamp filters
    assert all_tickets(client, created_after="1762155735") == all_tickets(client, created_after="1762155735000")
    after_main = all_tickets(client, created_after="1762155735000")
    assert after_main[0]["_id"] == MAIN


def test_unknown_referenced_ids_are_404_and_create_nothing() -> None:
    client = make_client("bobdesk")
    before = state(client)
    response = client.post(f"{BASE}/tickets", headers=AUTH,
                           json={"title": "x", "equipment_ids": ["0123456789abcdef01234567"]})
    assert response.status_code == 404
    assert response.json() == {"message": "equipment '0123456789abcdef01234567' does not exist", "code": "not_found"}
    assert state(client) == before


@pytest.mark.parametrize(("label", "request_kwargs", "status", "code"), [
    ("malformed JSON", {"content": b'{"title": ', "headers": {"content-type": "application/json"}}, 400,
     "malformed_request"),
    ("wrong content type", {"content": b"title=x", "headers": {"content-type": "application/x-www-form-urlencoded"}},
     415, "unsupported_media_type"),
    ("invalid UTF-8", {"content": b'{"title": "\xff"}', "headers": {"content-type": "application/json"}}, 400,
     "malformed_request"),
    ("schema violation", {"json": {"title": 5, "priority": "urgent"}}, 400, "validation_failed"),
    ("missing body", {"headers": {"content-type": "application/json"}}, 400, "validation_failed"),
])
def test_bad_input_on_create(label: str, request_kwargs: dict[str, Any], status: int, code: str) -> None:
    client = make_client("bobdesk")
    before = state(client)
    headers = {**AUTH, **request_kwargs.pop("headers", {})}
    response = client.post(f"{BASE}/tickets", headers=headers, **request_kwargs)
    assert response.status_code == status, label
    assert response.json()["code"] == code and response.json()["message"]
    assert state(client) == before


def test_oversized_body_is_413() -> None:
    client = make_client("bobdesk", max_body_bytes=2048)
    before = state(client)
    response = client.post(f"{BASE}/tickets/{MAIN}/notes", headers=AUTH, json={"note": "é" * 2000, "type": "public"})
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"
    assert state(client) == before


def test_path_ids_of_the_wrong_shape_and_unknown_ids() -> None:
    client = make_client("bobdesk")
    wrong = client.put(f"{BASE}/tickets/not-an-object-id/cancel", headers=AUTH)
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "ticket_id"
    unknown = client.put(f"{BASE}/tickets/0123456789abcdef01234567/cancel", headers=AUTH)
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "ticket '0123456789abcdef01234567' does not exist"


def test_schema_errors_list_every_field() -> None:
    client = make_client("bobdesk")
    response = client.post(f"{BASE}/tickets/{MAIN}/notes", headers=AUTH, json={"type": "secret"})
    assert response.status_code == 400
    assert sorted(e["field"] for e in response.json()["errors"]) == ["note", "type"]


def test_security() -> None:
    client = make_client("bobdesk")
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Basic Zm9vOmJhcg=="}):
        response = client.get(f"{BASE}/tickets", headers=headers)
        assert response.status_code == 401 and response.json()["code"] == "unauthorized"
        assert response.headers["www-authenticate"].startswith('Bearer realm="bobdesk"')
