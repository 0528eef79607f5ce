"""The control API: reset, state (read and loaded), journal, faults."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver import statefile
from tests.helpers import auth_for, control, make_app, make_client, state_hash

BASE = "/bobdesk/api/v3.0"
AUTH = auth_for("bobdesk", "createTicket")


def test_reset_restores_the_fixtures() -> None:
    client = make_client("bobdesk")
    before = client.get("/_ticketmock/apis/bobdesk/state").json()
    client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "Vitrine cassée"})
    assert client.get("/_ticketmock/apis/bobdesk/state").json() != before
    assert client.post("/_ticketmock/apis/bobdesk/reset").json() == {"reset": ["bobdesk"]}
    assert client.get("/_ticketmock/apis/bobdesk/state").json() == before
    assert client.post("/_ticketmock/reset").json() == {"reset": ["bobdesk"]}


def test_seeded_ids_repeat_after_reset() -> None:
    client = make_client("bobdesk", seed=42)
    first = client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "a"}).json()["ticket_id"]
    client.post("/_ticketmock/reset")
    assert client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "a"}).json()["ticket_id"] == first


def test_unknown_api_is_a_problem_with_did_you_mean() -> None:
    response = make_client("bobdesk").get("/_ticketmock/apis/bobdsk/state")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "did you mean 'bobdesk'?" in response.json()["detail"]


def test_journal_records_status_operation_and_validation_and_can_be_cleared() -> None:
    client = make_client("bobdesk")
    client.get(f"{BASE}/tickets", headers=AUTH)
    client.get(f"{BASE}/tickets", headers=AUTH, params={"cursor": "nope"})
    entries = client.get("/_ticketmock/journal", params={"api": "bobdesk"}).json()["entries"]
    assert [(e["method"], e["status"], e["operationId"]) for e in entries] == [
        ("GET", 200, "listTickets"), ("GET", 400, "listTickets")]
    assert entries[0]["validation"] == "ok"
    assert entries[1]["validation"].startswith("request: invalid parameter cursor")
    assert client.delete("/_ticketmock/journal").json() == {"cleared": 2}
    assert client.get("/_ticketmock/journal").json() == {"entries": []}


def test_one_shot_fault_fires_once_in_the_vendor_envelope() -> None:
    client = make_client("bobdesk")
    armed = client.post("/_ticketmock/faults", json={"api": "bobdesk", "operationId": "listTickets",
                                                      "status": 503, "mode": "once"})
    assert armed.status_code == 201
    first = client.get(f"{BASE}/tickets", headers=AUTH)
    assert first.status_code == 503 and first.json()["code"] == "injected_fault"
    assert client.get(f"{BASE}/tickets", headers=AUTH).status_code == 200
    assert client.get("/_ticketmock/faults").json() == {"faults": []}


def test_lasting_fault_until_cleared_and_latency_fault() -> None:
    client = make_client("bobdesk")
    fault = client.post("/_ticketmock/faults", json={"api": "bobdesk", "operationId": "createTicket",
                                                      "status": 500}).json()
    for _ in range(2):
        assert client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "t"}).status_code == 500
    assert client.get("/_ticketmock/faults").json()["faults"][0]["hits"] == 2
    assert client.delete(f"/_ticketmock/faults/{fault['id']}").status_code == 204
    assert client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "t"}).status_code == 200
    assert client.delete(f"/_ticketmock/faults/{fault['id']}").status_code == 404


def test_fault_requests_are_checked() -> None:
    client = make_client("bobdesk")
    unknown_op = client.post("/_ticketmock/faults", json={"api": "bobdesk", "operationId": "nope", "status": 500})
    assert unknown_op.status_code == 404 and "bobdesk has: appendTicketDate" in unknown_op.json()["detail"]
    nothing = client.post("/_ticketmock/faults", json={"api": "bobdesk", "operationId": "listTickets"})
    assert nothing.status_code == 400
    bad_status = client.post("/_ticketmock/faults", json={"api": "bobdesk", "operationId": "listTickets",
                                                           "status": 200})
    assert bad_status.status_code == 400


def test_list_apis() -> None:
    apis = make_client("bobdesk").get("/_ticketmock/apis").json()["apis"]
    assert [a["slug"] for a in apis] == ["bobdesk"]
    assert apis[0]["basePath"] == BASE and apis[0]["operations"] == 11
    assert apis[0]["records"]["tickets"] == 30


def test_a_large_state_dump_lets_other_requests_through_while_it_is_written() -> None:
    import asyncio
    import copy

    import httpx

    app = make_app("bobdesk", validate_responses=False)
    client = make_client("bobdesk")
    snapshot = control(app, "GET", "/snapshot")
    tickets = snapshot["apis"]["bobdesk"]["collections"]["tickets"]
    template = tickets[0]
    for n in range(3000):
        clone = copy.deepcopy(template)
        clone["_id"], clone["number"] = f"6a{n:022x}", str(500000 + n)
        tickets.append(clone)
    assert client is not None
    control(app, "PUT", "/snapshot", json=snapshot)
    finished: list[str] = []

    async def race() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as http:
            async def dump() -> None:
                body = (await http.get("/_ticketmock/apis/bobdesk/state")).json()
                assert len(body["collections"]["tickets"]) == len(tickets)
                finished.append("dump")

            async def read() -> None:
                await asyncio.sleep(0)  # the dump starts first
                assert (await http.get(f"{BASE}/tickets", headers=AUTH)).status_code == 200
                finished.append("read")

            await asyncio.gather(dump(), read())

    asyncio.run(race())
    assert finished == ["read", "dump"]  # the small read did not wait for the whole dump


# --- PUT /_ticketmock/apis/{slug}/state: records of your own in place of the fixtures -----------------

def one_ticket(**changes: Any) -> dict[str, Any]:
    """A Bob! Desk ticket record as the state holds it (the first of control.yaml's examples)."""
    record: dict[str, Any] = {
        "_id": "6a1f00000000000000000001", "number": "200001", "title": "Porte d'entrée bloquée",
        "status": "opened", "from_public_interface": False, "created_at": "2026-03-01T09:00:00.000Z",
        "updated_at": "2026-03-01T09:00:00.000Z", "assigned_at": None, "closed_at": None,
        "intervention_scheduled_at": [], "intervention_occured_at": [],
        "url": "https://bob-desk.com/tickets/6a1f00000000000000000001",
        "client": {"_id": "64103a88673a0fc7bdbbe910", "name": "Boulangeries Maison Vernier"}}
    return {**record, **changes}


def state_of(client: Any, slug: str = "bobdesk", session: str = "default") -> Any:
    return client.get(f"/_ticketmock/apis/{slug}/state", headers={"X-Ticketmock-Session": session}).json()


def test_put_state_replaces_the_collections_given_and_keeps_the_fixtures_of_the_others() -> None:
    client = make_client("bobdesk")
    fixtures = state_of(client)
    client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "Written before the load"})
    answer = client.put("/_ticketmock/apis/bobdesk/state",
                        json={"collections": {"tickets": [one_ticket()], "notes": [], "dates": []}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["loaded"] == ["dates", "notes", "tickets"]
    assert answer.json()["records"] == {**{name: len(rows) for name, rows in fixtures["collections"].items()},
                                        "tickets": 1, "notes": 0, "dates": 0}
    state = state_of(client)
    assert state["collections"]["tickets"] == [one_ticket()]
    assert state["collections"]["clients"] == fixtures["collections"]["clients"]
    listed = client.get(f"{BASE}/tickets", headers=AUTH).json()["tickets"]
    assert [t["_id"] for t in listed] == ["6a1f00000000000000000001"]
    # the loaded ticket lives like any other: it can be cancelled, and a new one gets the next number
    assert client.put(f"{BASE}/tickets/6a1f00000000000000000001/cancel", headers=AUTH).status_code == 200
    made = client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "After the load"}).json()["ticket_id"]
    numbers = {t["_id"]: t["number"] for t in state_of(client)["collections"]["tickets"]}
    assert int(numbers[made]) > 200001


def test_put_state_raises_counters_and_takes_back_what_get_gave() -> None:
    client = make_client("bobdesk")
    client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "Kept"})
    written = state_of(client)
    client.post("/_ticketmock/reset")
    assert client.put("/_ticketmock/apis/bobdesk/state", json=written).status_code == 200
    assert state_of(client) == written
    client.put("/_ticketmock/apis/bobdesk/state", json={"collections": {"tickets": []},
                                                         "counters": {"ticket_number": 500000}})
    assert state_of(client)["counters"] == {"ticket_number": 500000}
    made = client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "t"}).json()["ticket_id"]
    assert [t["number"] for t in state_of(client)["collections"]["tickets"] if t["_id"] == made] == ["500001"]


def test_put_state_acts_on_one_session_and_issued_tokens_stay_valid() -> None:
    client = make_client("jifeline")
    alice = {"X-Ticketmock-Session": "alice"}
    token = client.post("/jifeline/oauth2/token", headers=alice, data={
        "grant_type": "client_credentials", "client_id": "c", "client_secret": "s"}).json()["access_token"]
    fixtures = state_of(client, "jifeline")
    answer = client.put("/_ticketmock/apis/jifeline/state", headers=alice, json={"collections": {"events": []}})
    assert answer.status_code == 200 and answer.json()["records"]["events"] == 0
    feed = client.get("/jifeline/v2/system/events", headers={**alice, "Authorization": f"Bearer {token}"})
    assert feed.status_code == 200 and feed.json()["result"] == []
    assert state_of(client, "jifeline") == fixtures  # default untouched


@pytest.mark.parametrize(("body", "named"), [
    ({"collections": {"tickets": [one_ticket(status="exploded")]}},
     "tickets[0] (_id '6a1f00000000000000000001'): field 'status': 'exploded' is not one of"),
    ({"collections": {"tickets": [one_ticket(), one_ticket()]}}, "tickets[1] (_id '6a1f00000000000000000001'): "
                                                                  "duplicate _id"),
    ({"collections": {"tickets": [one_ticket(client=None)]}}, "field 'client'"),
    ({"collections": {"ticket": []}}, "collections.ticket: bobdesk has no collection 'ticket'; it has: tickets"),
    ({"collections": {"tickets": [1]}}, "collections.tickets[0]"),
    ({"collections": {}, "counters": {"ticket_number": -1}}, "counters.ticket_number"),
    ({"api": "bloxs", "collections": {}}, "PUT it to /_ticketmock/apis/bloxs/state"),
    ({"tickets": []}, "'tickets' was unexpected"),
])
def test_an_invalid_state_is_400_naming_the_problem_and_changes_nothing(body: dict[str, Any], named: str) -> None:
    client = make_client("bobdesk")
    client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "Before"})
    before = state_hash(client, ["bobdesk"])
    answer = client.put("/_ticketmock/apis/bobdesk/state", json=body)
    assert answer.status_code == 400 and named in answer.json()["detail"], answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert state_hash(client, ["bobdesk"]) == before


def test_a_reference_to_a_missing_record_is_400_naming_it() -> None:
    client = make_client("jifeline")
    tickets = state_of(client, "jifeline")["collections"]["tickets"][:1]
    tickets[0]["customer_id"] = "00000000-0000-4000-8000-000000000000"
    answer = client.put("/_ticketmock/apis/jifeline/state", json={"collections": {"tickets": tickets}})
    assert answer.status_code == 400
    assert "customer_id '00000000-0000-4000-8000-000000000000' is not in customers" in answer.json()["detail"]
    assert client.put("/_ticketmock/apis/jifeline/stat", json={}).status_code in (404, 405)
    assert client.put("/_ticketmock/apis/jifelin/state", json={"collections": {}}).status_code == 404


def test_loaded_states_and_snapshots_are_kept_by_the_state_file(tmp_path: Path) -> None:
    """What PUT state or PUT snapshot put in place is not the fixtures: a state file must keep it."""
    app = make_app("bobdesk", "jifeline")
    client = TestClient(app)
    client.put("/_ticketmock/apis/bobdesk/state", json={"collections": {"tickets": [one_ticket()]}})
    snapshot = client.get("/_ticketmock/snapshot").json()
    client.put("/_ticketmock/snapshot", json=snapshot, headers={"X-Ticketmock-Session": "copy"})
    path = tmp_path / "state.json"
    asyncio.run(statefile.save(app.runtime, path))
    saved = {s["name"]: s for s in json.loads(path.read_text())["sessions"]}
    assert [t["_id"] for t in saved["default"]["apis"]["bobdesk"]["collections"]["tickets"]] == [one_ticket()["_id"]]
    assert sorted(saved["copy"]["apis"]) == ["bobdesk", "jifeline"]
