"""ControlClient: the control API from Python, one session per client, connections shared."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from mockserver.client import SESSION_HEADER, ControlClient, ControlError, instant
from mockserver.sessions import HEADER
from tests.helpers import make_app


def control_of(app: object) -> ControlClient:
    return ControlClient("http://testserver", http=TestClient(app))


def test_the_session_header_is_the_servers() -> None:
    assert SESSION_HEADER.lower() == HEADER


def test_clients_of_other_sessions_share_the_connections_and_act_on_their_own_session() -> None:
    control = control_of(make_app("bobdesk"))
    alice = control.in_session("alice")
    assert alice._http is control._http and alice.session == "alice"
    created = control.create_session("bob", seed=3, freeze_time="2026-03-01T09:00:00Z", strict_auth=True,
                                     tokens=["t"], ttl_seconds=60)
    assert created["settings"] == {"seed": 3, "freezeTime": "2026-03-01T09:00:00Z", "strictAuth": True, "tokens": 1,
                                   "ttlSeconds": 60.0}
    bob = control.in_session("bob")
    assert bob.load_state("bobdesk", {"tickets": []})["records"]["tickets"] == 0
    assert len(bob.state("bobdesk")["collections"]["tickets"]) == 0
    assert len(alice.state("bobdesk")["collections"]["tickets"]) == 30
    assert bob.clock()["now"] == "2026-03-01T09:00:00.000Z"
    assert bob.set_clock(advance="PT1H")["now"] == "2026-03-01T10:00:00.000Z"
    fault = bob.arm_fault("bobdesk", "listTickets", status=503, once=False)
    assert fault["mode"] == "until-cleared" and [f["id"] for f in bob.faults()] == [fault["id"]]
    assert alice.faults() == []
    bob.clear_faults(fault["id"])
    assert bob.faults() == [] and bob.journal() == [] and bob.clear_journal() == 0
    assert bob.reset("bobdesk") == ["bobdesk"] and bob.reset() == ["bobdesk"]
    assert {s["name"] for s in control.sessions()} >= {"default", "alice", "bob"}
    assert [api["slug"] for api in control.apis()] == ["bobdesk"]
    assert control.delete_session("bob") is True and control.delete_session("bob") is False
    alice.close()
    assert not control._http.is_closed  # a client made by in_session leaves the connections to its maker


def test_refusals_are_control_errors_with_the_status() -> None:
    control = control_of(make_app("bobdesk"))
    with pytest.raises(ControlError, match=r"^POST http://testserver/_ticketmock/sessions answered 409: session "
                                           r"'default' already exists") as refused:
        control.create_session("default")
    assert refused.value.status == 409
    with pytest.raises(ControlError, match="did you mean 'bobdesk'") as missing:
        control.state("bobdsk")
    assert missing.value.status == 404


def test_instants_are_rfc_3339() -> None:
    from datetime import UTC, datetime

    assert instant(datetime(2026, 3, 1, 9, 0)) == "2026-03-01T09:00:00Z"
    assert instant(datetime(2026, 3, 1, 9, 0, tzinfo=UTC)) == "2026-03-01T09:00:00+00:00"
    assert instant("2026-03-01T09:00:00Z") == "2026-03-01T09:00:00Z"
