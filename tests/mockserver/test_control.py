"""The control API: reset, state, journal, faults."""

from __future__ import annotations

from tests.helpers import auth_for, control, make_app, make_client

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
