"""A tiny application that works with two vendors, the kind of code the mock is for.

It opens, cancels and closes facility tickets on Bob! Desk, follows Jifeline's event feed, and for
every vehicle-diagnostics ticket that Jifeline closes opens a follow-up ticket on Bob! Desk. It
knows nothing of ticketmock: it gets two httpx clients pointed at the vendors (or at the mock).
"""

from __future__ import annotations

from typing import Any

import httpx

CLOSED = "tickets.ticket.closed"


class VendorError(Exception):
    """A vendor refused a call; the message says which call and what the vendor answered."""

    def __init__(self, response: httpx.Response) -> None:
        request = response.request
        super().__init__(f"{request.method} {request.url.path} answered {response.status_code}: {response.text[:300]}")
        self.status = response.status_code


def checked(response: httpx.Response) -> httpx.Response:
    if response.status_code >= 400:
        raise VendorError(response)
    return response


class Helpdesk:
    """Bob! Desk tickets and the Jifeline feed. `retries`: how often a 5xx is retried before giving up."""

    def __init__(self, bobdesk: httpx.Client, jifeline: httpx.Client, *, retries: int = 1) -> None:
        self.bobdesk = bobdesk
        self.jifeline = jifeline
        self.retries = retries
        self.after_id: str | None = None  # how far the Jifeline feed has been read

    # --- Bob! Desk ---------------------------------------------------------------------------------

    def open_ticket(self, title: str, *, description: str = "", priority: str = "medium") -> str:
        """Open a ticket; returns its id."""
        body = {"title": title, "description": description, "priority": priority}
        for attempt in range(self.retries + 1):
            response = self.bobdesk.post("/tickets", json=body)
            if response.status_code < 500 or attempt == self.retries:
                break
        ticket_id: str = checked(response).json()["ticket_id"]
        return ticket_id

    def tickets(self) -> list[dict[str, Any]]:
        """Every ticket, following Bob! Desk's cursor from page to page."""
        found: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            page = checked(self.bobdesk.get("/tickets", params={"cursor": cursor} if cursor else {})).json()
            found += page["tickets"]
            if not page["tickets"] or page["cursor"] in (None, cursor):
                return found
            cursor = page["cursor"]

    def ticket(self, ticket_id: str) -> dict[str, Any]:
        return next(t for t in self.tickets() if t["_id"] == ticket_id)

    def cancel_ticket(self, ticket_id: str, reason: str) -> None:
        checked(self.bobdesk.put(f"/tickets/{ticket_id}/cancel", json={"reason_cancel": reason}))

    def close_ticket(self, ticket_id: str) -> None:
        """Finish the ticket if it is not finished yet, then close it."""
        if self.ticket(ticket_id)["status"] not in ("finished", "intervention_finish"):
            checked(self.bobdesk.put(f"/tickets/{ticket_id}/finish"))
        checked(self.bobdesk.put(f"/tickets/{ticket_id}/close"))

    # --- Jifeline ----------------------------------------------------------------------------------

    def poll_events(self) -> list[dict[str, Any]]:
        """The Jifeline events since the last poll (all of them the first time), oldest first."""
        events: list[dict[str, Any]] = []
        while True:
            params: dict[str, Any] = {"limit": 100}
            if self.after_id:
                params["after_id"] = self.after_id
            page = checked(self.jifeline.get("/v2/system/events", params=params)).json()
            events += page["result"]
            if not page["result"]:
                return events
            self.after_id = page["after_id"]

    def complete_jifeline_ticket(self, ticket_id: str) -> None:
        response = self.jifeline.patch(f"/v2/tickets/in-progress-tickets/{ticket_id}",
                                       json={"transition": {"type": "complete"}})
        if response.status_code != 303:
            raise VendorError(response)

    def sync(self) -> list[str]:
        """Open a Bob! Desk follow-up for every Jifeline ticket closed since the last poll; their ids."""
        opened = []
        for event in self.poll_events():
            if event["type"] == CLOSED:
                ticket = event["payload"]["ticket"]
                opened.append(self.open_ticket(f"Follow-up of diagnostics ticket {ticket['ticket_number']}",
                                               description=f"VIN {ticket['vin']}"))
        return opened
