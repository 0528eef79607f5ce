"""A Jifeline Partner API integration, written from the vendor's pages, run against a real `ticketmock serve`.

The flow follows the newer authentication page (client credentials at /oauth2/token, then only
`Authorization: Bearer`) and what a ticket-processing integration does next: read the tickets being
worked on, one ticket with its customer and vehicle model, complete it through the in-progress
transition, find its `tickets.ticket.closed` event in the feed and read it back as closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers import running_server

CLIENT_ID = "4t7g2fa4bnctelul26e5me2cu3"
CLIENT_SECRET = "1q9v0k3d7m2s8e5r4b6n0p1c7x3z9w2a5y8u4t6h0j3l7g1f"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running_server("--api", "jifeline") as origin:
        yield f"{origin}/jifeline"  # the production base URL would be https://partner-api-001.prd.jifeline.cloud


def access_token(base_url: str) -> str:
    """POST /oauth2/token, form-encoded client credentials (the authentication page's curl, in Python)."""
    answer = httpx.post(f"{base_url}/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    answer.raise_for_status()
    token = answer.json()
    assert token["token_type"] == "Bearer" and 0 < token["expires_in"] <= 3600  # a cached token: what is left
    access: str = token["access_token"]
    return access


def closed_events_after(api: httpx.Client, after_id: str | None) -> Iterator[dict[str, Any]]:
    """Poll GET /v2/system/events?type=tickets.ticket.closed, page by page with after_id."""
    while True:
        params: dict[str, Any] = {"type": "tickets.ticket.closed", "limit": 10}
        if after_id:
            params["after_id"] = after_id
        page = api.get("/v2/system/events", params=params)
        page.raise_for_status()
        body = page.json()
        if not body["result"]:
            return
        yield from body["result"]
        after_id = body["after_id"]


def newest_event_id(api: httpx.Client) -> str | None:
    newest = None
    for event in closed_events_after(api, None):
        newest = event["id"]
    return newest


def test_a_ticket_is_completed_and_its_closed_event_is_found(base_url: str) -> None:
    token = access_token(base_url)
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}) as api:
        assert "x-api-key" not in api.headers
        checkpoint = newest_event_id(api)

        # the tickets operators are working on
        in_progress = api.get("/v2/tickets/in-progress-tickets", params={"limit": 100})
        in_progress.raise_for_status()
        listing = in_progress.json()
        assert listing["total"] == len(listing["result"]) > 0
        chosen = listing["result"][0]

        # one ticket, its customer and its vehicle model
        ticket = api.get(f"/v2/tickets/in-progress-tickets/{chosen['id']}").json()
        assert ticket == chosen
        customer = api.get(f"/v2/customers/{ticket['customer_id']}").json()
        assert customer["id"] == ticket["customer_id"] and customer["company_name"]
        model = api.get(f"/v2/vehicles/models/{ticket['vehicle_model_id']}").json()
        make = api.get(f"/v2/vehicles/makes/{model['make_id']}").json()
        assert model["id"] == ticket["vehicle_model_id"] and make["name"]

        # complete it: 303 to where the ticket lives now
        done = api.patch(f"/v2/tickets/in-progress-tickets/{ticket['id']}", json={"transition": {"type": "complete"}})
        assert done.status_code == 303
        assert done.headers["Location"].endswith(f"/v2/tickets/closed-tickets/{ticket['id']}")
        gone = api.get(f"/v2/tickets/in-progress-tickets/{ticket['id']}")
        assert gone.status_code == 404 and gone.headers["content-type"] == "application/problem+json"

        # the closed event, polled from where this integration stopped last time
        event = next(e for e in closed_events_after(api, checkpoint) if e["payload"]["ticket"]["id"] == ticket["id"])
        assert event["type"] == "tickets.ticket.closed"
        assert event["payload"]["ticket"]["state"] == "closed" and event["payload"]["ticket"]["finished_at"]
        assert event["payload"]["customer"] == customer
        assert event["payload"]["vehicle"]["model"] == model and event["payload"]["vehicle"]["vin"] == ticket["vin"]

        # read back through the generic tickets resource: closed, with its finish time
        closed = api.get(f"/v2/tickets/tickets/{ticket['id']}").json()
        assert closed["state"] == "closed" and closed["finished_at"] == event["payload"]["ticket"]["finished_at"]
        assert closed["ticket_number"] == ticket["ticket_number"] and closed["externally_processed"] is False
        todo = api.get("/v2/tickets/tickets", params={"state": "closed", "externally_processed": "false",
                                                      "limit": 1000}).json()
        assert ticket["id"] in [t["id"] for t in todo["result"]]


def test_the_older_pages_api_key_header_still_works(base_url: str) -> None:
    """Integrations written against the older authentication page also send x-api-key."""
    token = access_token(base_url)
    answer = httpx.get(f"{base_url}/v2/system/locales",
                       headers={"Authorization": f"Bearer {token}", "x-api-key": "partner-portal-api-key"})
    assert answer.status_code == 200 and any(locale["code"] == "nl-NL" for locale in answer.json()["result"])
    refused = httpx.get(f"{base_url}/v2/system/locales", headers={"x-api-key": "partner-portal-api-key"})
    assert refused.status_code == 401
