"""A Bloxs maintenance integration, written from the vendor's API pages, against a real `ticketmock serve`.

A property manager's portal exchanges its API key and secret for a 24-hour token, reads the state
and category lists, reports a ticket under its own work-order number, finds it back by that number,
puts it on hold, adds a note, marks it done and finds it among the finished tickets.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers import running_server

TICKETS = "/api/v1/maintenance/servicetickets"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running_server("--api", "bloxs") as origin:
        yield f"{origin}/bloxs"  # production: the client's own Bloxs environment


@pytest.fixture(scope="module")
def api(base_url: str) -> Iterator[httpx.Client]:
    answer = httpx.post(f"{base_url}/Authorization", json={"apiKey": "7c1e4b2a-93d5-4f0e-a8b6-5d2c91f03e47",
                                                           "apiSecret": "3f9a6d1c-0b7e-4c25-9e84-a1d6f2b5c8e0"})
    answer.raise_for_status()
    token = answer.json()
    assert token["expiration"].endswith("Z")
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token['token']}"}) as client:
        yield client


def filtered(api: httpx.Client, **criteria: Any) -> list[dict[str, Any]]:
    """POST .../filter, every page."""
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = api.post(f"{TICKETS}/filter", json={"paging": {"pageNumber": page, "pageSize": 10}, **criteria})
        answer.raise_for_status()
        body = answer.json()
        found += body["items"]
        if page >= body["paging"]["totalPages"]:
            return found
        page += 1


def test_a_reported_ticket_goes_on_hold_gets_a_note_and_is_done(api: httpx.Client) -> None:
    states = {s["name"]: s["systemState"] for s in api.get(f"{TICKETS}/states").json()}
    problems = [c["name"] for c in api.get(f"{TICKETS}/problemcategories").json()]
    costs = [c["name"] for c in api.get(f"{TICKETS}/costscategories").json()]
    assert "Active" in states and "On hold" in states and 4 in states.values()

    reported = api.post(TICKETS, json={
        "externalIdentifier": "WO-2026-01107", "externalLink": "https://portaal.example.nl/meldingen/WO-2026-01107",
        "reportingDate": "2026-03-16", "stateName": "Active", "priority": 2, "problemCategoryName": problems[0],
        "costsAreForTenant": False, "costCategoryName": costs[0],
        "description": "Buitenlamp boven de entree brandt niet meer; de trap is 's avonds onverlicht.",
        "realEstateObjectReference": "OBJ-0318", "reporterReference": "REL-004512",
        "reporterContactPersonType": 1, "reporterExternalContactPersonName": "Pieter Janssens",
        "reporterExternalContactPersonEmail": "pieter.janssens@degracht-koffie.nl"})
    assert reported.status_code == 200, reported.text

    ticket = api.get(TICKETS, params={"externalIdentifier": "WO-2026-01107"}).json()
    reference = ticket["reference"]
    assert ticket["stateName"] == "Active" and api.get(TICKETS, params={"reference": reference}).json() == ticket

    held = api.put(TICKETS, json={**{k: v for k, v in ticket.items() if k != "reference"}, "reference": reference,
                                  "stateName": "On hold", "expectedCosts": 180.0})
    assert held.status_code == 200, held.text
    assert held.json()["stateName"] == "On hold" and held.json()["expectedCosts"] == 180.0

    note = api.post(f"{TICKETS}/notes", json={"reference": reference, "message": "Elektricien komt dinsdag."})
    assert note.status_code == 200 and note.json()["reference"] == reference

    done = api.post(f"{TICKETS}/done", json={"reference": reference, "closingDate": "2026-03-18T10:15:00Z"})
    assert done.status_code == 200 and states[done.json()["stateName"]] == 4

    finished = filtered(api, stateName=done.json()["stateName"])
    assert reference in [t["reference"] for t in finished]
    assert all(t["stateName"] == done.json()["stateName"] for t in finished)


def test_without_a_token_nothing_is_read(base_url: str) -> None:
    assert httpx.get(f"{base_url}{TICKETS}/states").status_code == 401
