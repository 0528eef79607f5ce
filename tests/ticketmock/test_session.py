"""Session: what a test does with its session, through the plugin's own `ticketmock` fixture."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mockserver.client import ControlClient, ControlError
from ticketmock.network import NetworkRefused
from ticketmock.session import Session, iso_duration

AMSTERDAM = "67b3f389-2f02-4083-a642-3dcea78018ce"
FLOW_ORDERS = "/tenants/tn_g3GZGwEVRpqenUV8HJ0d1n/stores/st_tKg5kVrNp6Tq6wGg3sCka8/serviceorders"
# One read per API that needs its credentials, and the collection it lists.
READS = {
    "bobdesk": ("GET", "/tickets", {}, None),
    "jifeline": ("GET", "/v2/tickets/in-progress-tickets", {}, None),
    "bloxs": ("POST", "/api/v1/maintenance/servicetickets/filter", {}, {}),
    "spacebring": ("GET", "/support/tickets/v1", {"locationRef": AMSTERDAM}, None),
    "flowretail": ("GET", FLOW_ORDERS, {}, None),
}


@pytest.mark.parametrize("slug", sorted(READS))
def test_every_apis_client_carries_credentials_the_session_accepts(ticketmock: Session, slug: str) -> None:
    method, path, params, body = READS[slug]
    client = ticketmock.client(slug)
    response = client.request(method, path, params=params, json=body)
    assert response.status_code == 200, response.text
    assert str(client.base_url).rstrip("/") == ticketmock.base_url(slug)
    assert ticketmock.base_url(slug).startswith(f"{ticketmock.url}/_session/{ticketmock.name}/{slug}")
    exchanged = [e["operationId"] for e in ticketmock.journal(api=slug)][:-1]
    assert exchanged == {"jifeline": ["createAccessToken"], "bloxs": ["createAuthorizationToken"]}.get(slug, [])


@pytest.mark.ticketmock(strict_auth=True)
def test_a_strict_session_takes_the_clients_credentials_and_nothing_else(ticketmock: Session) -> None:
    assert ticketmock.client("jifeline").get("/v2/customers").status_code == 200
    assert ticketmock.client("bobdesk").get("/tickets").status_code == 200
    foreign = ticketmock.client("bobdesk", headers={"Authorization": "Bearer someone-else"})
    assert foreign.get("/tickets").status_code == 401


def test_a_token_endpoint_failure_is_the_answer_the_code_sees(ticketmock: Session) -> None:
    ticketmock.fault("jifeline", "createAccessToken", status=503)
    answer = ticketmock.client("jifeline").get("/v2/customers")
    assert answer.status_code == 503 and answer.request.url.path.endswith("/oauth2/token")
    assert ticketmock.client("jifeline").get("/v2/customers").status_code == 200  # the fault fired once


@pytest.mark.anyio
async def test_the_async_client_works_like_the_sync_one(ticketmock: Session) -> None:
    async with ticketmock.async_client("jifeline") as client:
        assert (await client.get("/v2/system/events", params={"limit": 1})).status_code == 200
    async with ticketmock.async_client("bobdesk") as client:
        assert (await client.post("/tickets", json={"title": "Async"})).status_code == 200
    ticketmock.assert_called("createTicket", times=1)


def test_clients_refuse_a_mock_elsewhere_unless_allowed() -> None:
    remote = Session(ControlClient("http://mock.ci.example:8000", session="s"), {"bobdesk": "/bobdesk/api/v3.0"})
    with pytest.raises(NetworkRefused, match=r"^ticketmock: refusing to send requests to http://mock\.ci\.example.*"
                                             r"allow_remote=True .*--ticketmock-allow-remote"):
        remote.client("bobdesk")
    with pytest.raises(NetworkRefused):
        remote.async_client("bobdesk")
    allowed = remote.client("bobdesk", allow_remote=True)  # nothing is sent until asked
    assert str(allowed.base_url) == "http://mock.ci.example:8000/_session/s/bobdesk/api/v3.0/"
    remote.close()
    assert allowed.is_closed
    with pytest.raises(ValueError, match="this mock does not serve 'jifeline'; it serves: bobdesk"):
        remote.base_url("jifeline")


def test_state_records_and_load_from_a_mapping_or_a_file(ticketmock: Session, tmp_path: Path) -> None:
    assert len(ticketmock.records("bobdesk", "tickets")) == 30
    state = ticketmock.state("bobdesk")
    kept = state["collections"]["tickets"][:2]
    assert ticketmock.load("bobdesk", {"tickets": kept})["tickets"] == 2
    assert ticketmock.records("bobdesk", "tickets") == kept
    assert len(ticketmock.records("bobdesk", "clients")) == 2  # not named: the fixtures
    fixture_file = tmp_path / "bobdesk.yaml"
    fixture_file.write_text("tickets: []\nnotes: []\ndates: []\n")
    assert ticketmock.load("bobdesk", fixture_file)["tickets"] == 0
    with pytest.raises(ControlError, match=r"tickets\[0\] .*field 'status'") as refused:
        ticketmock.load("bobdesk", {"tickets": [{**kept[0], "status": "exploded"}]})
    assert refused.value.status == 400
    assert ticketmock.records("bobdesk", "tickets") == []  # unchanged by the refused load
    with pytest.raises(ValueError, match="bobdesk has no collection 'ticket'"):
        ticketmock.records("bobdesk", "ticket")
    ticketmock.reset("bobdesk")
    assert len(ticketmock.records("bobdesk", "tickets")) == 30


def test_snapshot_and_restore(ticketmock: Session) -> None:
    saved = ticketmock.snapshot()
    ticketmock.client("bobdesk").post("/tickets", json={"title": "Gone after the restore"})
    assert len(ticketmock.records("bobdesk", "tickets")) == 31
    ticketmock.restore(saved)
    assert len(ticketmock.records("bobdesk", "tickets")) == 30


def test_journal_filters(ticketmock: Session) -> None:
    client = ticketmock.client("bobdesk")
    client.get("/tickets")
    client.post("/tickets", json={"title": "One"})
    ticketmock.client("spacebring").get("/support/tickets/v1", params={"locationRef": AMSTERDAM})
    assert [e["operationId"] for e in ticketmock.journal()] == ["listTickets", "createTicket", "getSupportTickets"]
    assert [e["operationId"] for e in ticketmock.journal(api="bobdesk")] == ["listTickets", "createTicket"]
    assert [e["status"] for e in ticketmock.journal(operation_id="createTicket")] == [200]


def test_assert_called_counts_matching_requests_and_says_what_was_called_instead(ticketmock: Session) -> None:
    client = ticketmock.client("bobdesk")
    client.post("/tickets", json={"title": "Good"})
    client.post("/tickets", json={})
    client.get("/tickets", params={"cursor": "nope"})
    assert len(ticketmock.assert_called("createTicket")) == 2
    ticketmock.assert_called("createTicket", times=1, status=400, method="POST")
    ticketmock.assert_called("createTicket", times=1, validation=re.compile("'title' is a required"))
    ticketmock.assert_called("listTickets", times=1, status=lambda status: status >= 400, query="cursor=nope")
    ticketmock.assert_not_called("cancelTicket")
    with pytest.raises(AssertionError) as failed:
        ticketmock.assert_called("createTicket", times=3, status=200)
    assert str(failed.value) == (
        f"createTicket (status=200) was called once, expected 3 times (createTicket was called 2 times in all), "
        f"in ticketmock session {ticketmock.name!r}. Requests in the session, oldest first:\n"
        "  POST /bobdesk/api/v3.0/tickets -> 200 createTicket\n"
        "  POST /bobdesk/api/v3.0/tickets -> 400 createTicket  request: invalid body field title: 'title' is a "
        "required property\n"
        "  GET /bobdesk/api/v3.0/tickets?cursor=nope -> 400 listTickets  request: invalid parameter cursor: 'nope' "
        "does not match '^[0-9a-fA-F]{24}$'")
    with pytest.raises(AssertionError, match=r"^closeTicket was called once, expected 0 times"):
        client.put("/tickets/69085cd7673a0fc7bdbbd659/close")
        ticketmock.assert_not_called("closeTicket")
    with pytest.raises(AssertionError, match=r"^finishTicket was called 0 times, expected at least once"):
        ticketmock.assert_called("finishTicket")
    with pytest.raises(TypeError, match="cannot match on body: a journal entry can be matched on api, method"):
        ticketmock.assert_called("createTicket", body={})


def test_faults_once_and_until_cleared(ticketmock: Session) -> None:
    client = ticketmock.client("bobdesk")
    fault = ticketmock.fault("bobdesk", "listTickets", status=502)
    assert fault["mode"] == "once"
    assert [client.get("/tickets").status_code for _ in range(2)] == [502, 200]
    ticketmock.fault("bobdesk", "listTickets", status=500, once=False)
    assert [client.get("/tickets").status_code for _ in range(2)] == [500, 500]
    ticketmock.clear_faults()
    assert client.get("/tickets").status_code == 200
    with pytest.raises(ControlError, match="bobdesk has: appendTicketDate"):
        ticketmock.fault("bobdesk", "noSuchOperation", status=500)


def test_the_clock_freezes_advances_and_resumes(ticketmock: Session) -> None:
    frozen = ticketmock.freeze(datetime(2026, 3, 1, 9, 0))
    assert frozen == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert ticketmock.advance(timedelta(hours=2)) == datetime(2026, 3, 1, 11, 0, tzinfo=UTC)
    assert ticketmock.advance("P1D") == datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    assert ticketmock.advance(90) == ticketmock.now() == datetime(2026, 3, 2, 11, 1, 30, tzinfo=UTC)
    ticketmock.client("bobdesk").post("/tickets", json={"title": "Stamped"})
    assert ticketmock.records("bobdesk", "tickets")[-1]["created_at"] == "2026-03-02T11:01:30.000Z"
    assert ticketmock.resume() >= datetime(2026, 3, 2, 11, 1, 30, tzinfo=UTC)
    with pytest.raises(ControlError, match="answered 400: invalid body field freeze: 'yesterday' is not a 'date-time'"):
        ticketmock.freeze("yesterday")


@pytest.mark.parametrize(("given", "sent"), [
    (timedelta(hours=2), "PT7200S"), (90, "PT90S"), (0.25, "PT0.25S"), (-30, "-PT30S"), ("P1DT2H", "P1DT2H"),
    (timedelta(days=400), "PT34560000S"),
])
def test_durations_are_sent_as_iso_8601(given: timedelta | float | str, sent: str) -> None:
    assert iso_duration(given) == sent


def test_sessions_do_not_see_each_others_data(ticketmock: Session, ticketmock_server: object) -> None:
    from ticketmock.mock import Mock

    assert isinstance(ticketmock_server, Mock)
    with ticketmock_server.session() as other:
        other.client("bobdesk").post("/tickets", json={"title": "Only in the other session"})
        assert len(other.records("bobdesk", "tickets")) == 31
        assert len(ticketmock.records("bobdesk", "tickets")) == 30
        name = other.name
    with ControlClient(ticketmock.url) as control:
        assert name not in {s["name"] for s in control.sessions()}

