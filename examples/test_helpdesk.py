"""The application's tests, against the vendors' mock: each test gets a fresh session of its own.

The counts are exact (the shipped fixtures hold 30 Bob! Desk tickets and 75 Jifeline events), so a
record leaking in from another test, also one running at the same time under `pytest -n 2`, fails them.
"""

from __future__ import annotations

import re

import httpx
import pytest
from helpdesk import Helpdesk, VendorError

from ticketmock import Session

TICKETS = 30  # Bob! Desk tickets in the shipped fixtures
EVENTS = 75  # Jifeline events in the shipped fixtures
IN_PROGRESS = ["5b7f7c35-cde5-467f-b2e0-f9515a35c56c", "02df2f25-2d4f-42e9-a922-5e043a43548b"]  # Jifeline tickets
IN_INTERVENTION = "69085cd7673a0fc7bdbbd659"  # a Bob! Desk ticket a technician is working on


@pytest.fixture
def helpdesk(ticketmock: Session) -> Helpdesk:
    return Helpdesk(ticketmock.client("bobdesk"), ticketmock.client("jifeline"))


def test_opening_a_ticket_adds_exactly_one(helpdesk: Helpdesk, ticketmock: Session) -> None:
    ticket_id = helpdesk.open_ticket("Porte d'entrée bloquée", priority="high")
    assert len(helpdesk.tickets()) == TICKETS + 1
    assert helpdesk.ticket(ticket_id)["status"] == "opened"
    ticketmock.assert_called("createTicket", times=1, status=200)


def test_two_tickets_get_consecutive_numbers(helpdesk: Helpdesk, ticketmock: Session) -> None:
    first, second = helpdesk.open_ticket("Vitrine fêlée"), helpdesk.open_ticket("Néon grésillant")
    numbers = {t["_id"]: int(t["number"]) for t in ticketmock.records("bobdesk", "tickets")}
    assert len(numbers) == TICKETS + 2
    assert numbers[second] == numbers[first] + 1


def test_cancelling_a_ticket(helpdesk: Helpdesk, ticketmock: Session) -> None:
    ticket_id = helpdesk.open_ticket("Fuite sous l'évier")
    helpdesk.cancel_ticket(ticket_id, "Réparé par le gérant")
    statuses = [t["status"] for t in ticketmock.records("bobdesk", "tickets")]
    assert statuses.count("canceled") == 3  # the two of the fixtures and this one
    assert len(statuses) == TICKETS + 1


def test_closing_a_ticket_in_intervention_finishes_it_first(helpdesk: Helpdesk, ticketmock: Session) -> None:
    helpdesk.close_ticket(IN_INTERVENTION)
    assert helpdesk.ticket(IN_INTERVENTION)["status"] == "closed"
    ticketmock.assert_called("finishTicket", times=1, status=200)
    ticketmock.assert_called("closeTicket", times=1, path=re.compile(IN_INTERVENTION))


def test_an_opened_ticket_cannot_be_closed(helpdesk: Helpdesk, ticketmock: Session) -> None:
    ticket_id = helpdesk.open_ticket("Store électrique bloqué")
    with pytest.raises(VendorError) as refused:
        helpdesk.close_ticket(ticket_id)
    assert refused.value.status == 409
    ticketmock.assert_not_called("closeTicket")
    assert helpdesk.ticket(ticket_id)["status"] == "opened"


def test_a_failed_create_is_retried_once(helpdesk: Helpdesk, ticketmock: Session) -> None:
    ticketmock.fault("bobdesk", "createTicket", status=503)  # the next create only
    helpdesk.open_ticket("Climatisation en panne")
    ticketmock.assert_called("createTicket", times=2)
    ticketmock.assert_called("createTicket", times=1, status=503)
    assert len(helpdesk.tickets()) == TICKETS + 1


def test_an_outage_is_reported_and_creates_nothing(helpdesk: Helpdesk, ticketmock: Session) -> None:
    ticketmock.fault("bobdesk", "createTicket", status=503, once=False)
    with pytest.raises(VendorError, match="answered 503"):
        helpdesk.open_ticket("Ascenseur bloqué")
    assert len(ticketmock.records("bobdesk", "tickets")) == TICKETS


def test_the_first_poll_reads_the_whole_feed_and_the_next_nothing(helpdesk: Helpdesk) -> None:
    assert len(helpdesk.poll_events()) == EVENTS
    assert helpdesk.poll_events() == []


def test_a_completed_diagnostics_ticket_opens_one_follow_up(helpdesk: Helpdesk, ticketmock: Session) -> None:
    helpdesk.poll_events()
    helpdesk.complete_jifeline_ticket(IN_PROGRESS[0])
    opened = helpdesk.sync()
    assert len(opened) == 1
    assert helpdesk.ticket(opened[0])["title"].startswith("Follow-up of diagnostics ticket ")
    assert len(ticketmock.records("jifeline", "events")) == EVENTS + 1
    assert len(helpdesk.tickets()) == TICKETS + 1


def test_two_completed_tickets_two_follow_ups_and_a_second_sync_none(helpdesk: Helpdesk,
                                                                      ticketmock: Session) -> None:
    helpdesk.poll_events()
    for ticket_id in IN_PROGRESS:
        helpdesk.complete_jifeline_ticket(ticket_id)
    assert len(helpdesk.sync()) == 2
    assert helpdesk.sync() == []
    assert len(helpdesk.tickets()) == TICKETS + 2


def test_an_expired_jifeline_token_is_exchanged_again(helpdesk: Helpdesk, ticketmock: Session) -> None:
    helpdesk.poll_events()
    ticketmock.advance("PT2H")  # Jifeline tokens live one hour
    assert helpdesk.poll_events() == []
    ticketmock.assert_called("createAccessToken", times=2)
    ticketmock.assert_called("listEvents", times=1, status=401)


@pytest.mark.ticketmock(fixtures={"bobdesk": {"tickets": [], "notes": [], "dates": []}})
def test_starting_from_no_tickets_at_all(helpdesk: Helpdesk) -> None:
    assert helpdesk.tickets() == []
    helpdesk.open_ticket("Premier ticket")
    assert [t["title"] for t in helpdesk.tickets()] == ["Premier ticket"]


@pytest.mark.ticketmock(seed=7, freeze_time="2026-03-02T08:00:00Z")
def test_timestamps_follow_the_frozen_clock(helpdesk: Helpdesk, ticketmock: Session) -> None:
    ticket_id = helpdesk.open_ticket("Horloge arrêtée")
    assert helpdesk.ticket(ticket_id)["created_at"] == "2026-03-02T08:00:00.000Z"
    ticketmock.advance("P1D")
    helpdesk.cancel_ticket(ticket_id, "Doublon")
    assert helpdesk.ticket(ticket_id)["updated_at"] == "2026-03-03T08:00:00.000Z"


@pytest.mark.ticketmock(strict_auth=True)
def test_a_client_with_the_wrong_token_is_refused(ticketmock: Session) -> None:
    stranger = httpx.Client(base_url=ticketmock.base_url("bobdesk"), headers={"Authorization": "Bearer guessed"})
    with stranger, pytest.raises(VendorError) as refused:
        Helpdesk(stranger, ticketmock.client("jifeline")).open_ticket("Intrus")
    assert refused.value.status == 401
    assert len(ticketmock.records("bobdesk", "tickets")) == TICKETS


def test_a_snapshot_puts_everything_back(helpdesk: Helpdesk, ticketmock: Session) -> None:
    before = ticketmock.snapshot()
    helpdesk.open_ticket("À annuler")
    helpdesk.close_ticket(IN_INTERVENTION)
    ticketmock.restore(before)
    assert len(helpdesk.tickets()) == TICKETS
    assert helpdesk.ticket(IN_INTERVENTION)["status"] == "intervention"
