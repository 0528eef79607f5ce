"""A Bob! Desk integration, written from the vendor's API v3.0 reference, against a real `ticketmock serve`.

A bakery chain's maintenance tool opens an intervention for a broken oven, finds it back by its
number, plans a visit and leaves a note for the technician; it finishes and closes an intervention
the contractor has completed, and syncs the ticket list with the `cursor` paging the reference describes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers import running_server

CROIX_ROUSSE = "64103ca1673a0fc7bdbbf826"
OVEN = "64182f8b673a0fc7bdbbfff5"
REPAIR_JOB = "629754c8673a0fc7bdbc0611"
MANAGER = "64103b16673a0fc7bdbc1b03"


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    with running_server("--api", "bobdesk") as origin:  # production: https://api.bob-desk.com/api/v3.0
        with httpx.Client(base_url=f"{origin}/bobdesk/api/v3.0",
                          headers={"Authorization": "Bearer bobdesk-api-token"}) as client:
            yield client


def every_ticket(api: httpx.Client) -> list[dict[str, Any]]:
    """GET /tickets page by page: each next page starts after the `cursor` (the last _id) of the previous one."""
    tickets: list[dict[str, Any]] = []
    params: dict[str, Any] = {}
    while True:
        page = api.get("/tickets", params=params)
        page.raise_for_status()
        body = page.json()
        if not body["tickets"]:
            return tickets
        tickets += body["tickets"]
        params["cursor"] = body["cursor"]


def test_interventions_are_opened_planned_finished_and_closed(api: httpx.Client) -> None:
    known = {t["_id"] for t in every_ticket(api)}
    opened = api.post("/tickets", json={
        "title": "Four à sole en panne", "priority": "high",
        "description": "Le four n°2 ne chauffe plus au-dessus de 180 °C.",
        "location_ids": [CROIX_ROUSSE], "equipment_ids": [OVEN], "job_ids": [REPAIR_JOB], "manager_ids": [MANAGER]})
    assert opened.status_code == 200, opened.text
    ticket_id = opened.json()["ticket_id"]

    [ticket] = [t for t in every_ticket(api) if t["_id"] not in known]
    assert ticket["_id"] == ticket_id and ticket["status"] == "opened"
    assert api.get("/tickets/get-id-from-number", params={"ticket_number": ticket["number"]}).json() == {
        "ticket_id": ticket_id}

    planned = api.post(f"/tickets/{ticket_id}/dates", json={"start": "2026-03-17T06:30:00.000Z",
                                                              "end": "2026-03-17T09:00:00.000Z", "type": "planned"})
    assert planned.status_code == 200, planned.text
    note = api.post(f"/tickets/{ticket_id}/notes", json={"note": "Prévenir la responsable 30 minutes avant.",
                                                         "type": "internal"})
    assert note.status_code == 200, note.text
    notes = api.get(f"/tickets/{ticket_id}/notes").json()["notes"]
    assert note.json()["_id"] in [n["_id"] for n in notes]

    # an opened intervention cannot be finished yet (a contractor has to take it on first) ...
    early = api.put(f"/tickets/{ticket_id}/finish", json={"reserve": False})
    assert early.status_code == 409 and "opened" in early.json()["message"]

    # ... one the contractor is working on can: finish it, then close it
    ongoing = next(t for t in every_ticket(api) if t["status"] == "intervention")
    assert api.put(f"/tickets/{ongoing['_id']}/finish", json={"reserve": False}).json() == {"message": "ok"}
    assert api.put(f"/tickets/{ongoing['_id']}/close", json={"reserve": False}).json() == {"message": "ok"}
    closed = next(t for t in every_ticket(api) if t["_id"] == ongoing["_id"])
    assert closed["status"] == "closed" and closed["closed_at"]
    again = api.put(f"/tickets/{ongoing['_id']}/close", json={"reserve": False})
    assert again.status_code == 409, again.text  # a closed intervention only reopens


def test_an_unknown_number_is_not_found(api: httpx.Client) -> None:
    assert api.get("/tickets/get-id-from-number", params={"ticket_number": 999999}).status_code == 404
