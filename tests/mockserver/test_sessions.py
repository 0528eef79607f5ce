"""Sessions: isolated worlds chosen by header or path prefix, their lifecycle, clock and policy."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from mockserver.sessions import check_name, control_alias, split_prefix
from tests.helpers import auth_for, make_app, redis_backend

BOBDESK = "/bobdesk/api/v3.0"
BOB_AUTH = auth_for("bobdesk", "createTicket")
SPACEBRING_NETWORK = "626fe777-1d75-4ace-b1e4-32896bcad566"
AMSTERDAM = "67b3f389-2f02-4083-a642-3dcea78018ce"
JIFELINE_TICKET = "f2c4cf2d-c633-466b-b161-c01ab5bf66f0"
FLOW_ORDERS = ("/flowretail/v2/tenants/tn_g3GZGwEVRpqenUV8HJ0d1n/stores/st_tKg5kVrNp6Tq6wGg3sCka8/serviceorders")


def in_session(name: str) -> dict[str, str]:
    return {"X-Ticketmock-Session": name}


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The state backend the session tests run on: the same tests, unchanged, on both."""
    if request.param == "memory":
        return {}
    return {"backend": redis_backend(request.getfixturevalue("redis_server").url)}


@pytest.fixture
def make_client(store: dict[str, Any]) -> Iterator[Callable[..., Any]]:
    """Test clients on fresh mocks with the parametrised backend, started and shut down as a server would."""
    from starlette.testclient import TestClient

    opened: list[Any] = []

    def make(*apis: str, **options: Any) -> Any:
        client = TestClient(make_app(*apis, **store, **options), raise_server_exceptions=False)
        opened.append(client.__enter__())
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


# One write per API, and where its result shows the number the API gave it.
WRITES: dict[str, tuple[str, str, dict[str, Any], dict[str, str]]] = {
    "bobdesk": ("POST", f"{BOBDESK}/tickets", {"title": "Porte bloquée"}, BOB_AUTH),
    "bloxs": ("POST", "/bloxs/api/v1/maintenance/servicetickets",
              {"reportingDate": "2026-03-05", "stateName": "Active", "priority": 2, "description": "Lekkage.",
               "realEstateObjectReference": "OBJ-0318", "reporterReference": "REL-004512"},
              auth_for("bloxs", "createServiceTicket")),
    "spacebring": ("POST", "/spacebring/support/tickets/v1",
                   {"ticket": {"locationRef": AMSTERDAM, "text": "The printer is out of toner.",
                               "type": "repairAndMaintenance"}},
                   {**auth_for("spacebring", "createSupportTicket"), "spacebring-network-id": SPACEBRING_NETWORK}),
    "flowretail": ("POST", FLOW_ORDERS, {"title": "Gear tune-up", "serviceTypeUid": "ty_rc4qa9aSmSM4IWP55Z14zX",
                                         "customerUid": "cu_49vnRp2j7aau6VCN872KuQ"},
                   auth_for("flowretail", "createServiceOrder")),
    "jifeline": ("PATCH", f"/jifeline/v2/tickets/in-progress-tickets/{JIFELINE_TICKET}",
                 {"transition": {"type": "complete"}}, auth_for("jifeline", "listInProgressTickets")),
}


def state_hash(client: Any, slug: str, session: str = "default") -> str:
    body = client.get(f"/_ticketmock/apis/{slug}/state", headers=in_session(session)).content
    return hashlib.sha256(body).hexdigest()


def write(client: Any, slug: str, session: str, *, prefix: bool = False) -> Any:
    method, path, body, headers = WRITES[slug]
    if prefix:
        path, headers = f"/_session/{session}{path}", headers
    else:
        headers = {**headers, **in_session(session)}
    return client.request(method, path, json=body, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("slug", sorted(WRITES))
def test_two_sessions_never_see_each_others_writes(slug: str, make_client: Callable[..., Any]) -> None:
    client = make_client()
    fixtures = state_hash(client, slug)
    first, second = write(client, slug, "alice"), write(client, slug, "bob")
    assert first.status_code < 400 and second.status_code < 400, (first.text, second.text)
    # Both started from the fixtures: the same write gives the same answer (same seed, same counters) ...
    assert first.content == second.content and first.headers.get("location") == second.headers.get("location")
    # ... each session changed, identically, and the default session did not change at all.
    assert state_hash(client, slug, "alice") == state_hash(client, slug, "bob") != fixtures
    assert state_hash(client, slug) == fixtures


def test_lists_ids_and_numbers_are_per_session(make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk")
    mine = client.post(f"{BOBDESK}/tickets", json={"title": "Mine"}, headers={**BOB_AUTH, **in_session("alice")})
    theirs = client.post(f"{BOBDESK}/tickets", json={"title": "Theirs"}, headers={**BOB_AUTH, **in_session("bob")})
    again = client.post(f"{BOBDESK}/tickets", json={"title": "Mine too"}, headers={**BOB_AUTH, **in_session("alice")})

    def titles(session: str) -> set[str]:
        listed = client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session(session)}).json()["tickets"]
        return {t["title"] for t in listed}

    assert {"Mine", "Mine too"} <= titles("alice") and not {"Theirs"} & titles("alice")
    assert "Theirs" in titles("bob") and not {"Mine", "Mine too"} & titles("bob")
    assert not {"Mine", "Mine too", "Theirs"} & titles("default")
    numbers = {}
    for session, answer in (("alice", mine), ("bob", theirs), ("alice", again)):
        ticket_id = answer.json()["ticket_id"]
        ticket = next(t for t in client.get("/_ticketmock/apis/bobdesk/state", headers=in_session(session)).json()
                      ["collections"]["tickets"] if t["_id"] == ticket_id)
        numbers[ticket["title"]] = int(ticket["number"])
    assert numbers["Mine"] == numbers["Theirs"] and numbers["Mine too"] == numbers["Mine"] + 1


def test_the_header_and_the_path_prefix_reach_the_same_session(make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk")
    created = client.post(f"/_session/carol{BOBDESK}/tickets", json={"title": "Via the prefix"}, headers=BOB_AUTH)
    ticket_id = created.json()["ticket_id"]
    by_header = client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session("carol")}).json()["tickets"]
    assert ticket_id in {t["_id"] for t in by_header}
    state = client.get("/_ticketmock/sessions/carol/apis/bobdesk/state").json()
    assert ticket_id in {t["_id"] for t in state["collections"]["tickets"]}
    assert client.get("/_session/carol/_ticketmock/journal").json()["entries"][0]["session"] == "carol"


def test_faults_and_clocks_do_not_leak_between_sessions(make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk")
    armed = client.post("/_ticketmock/faults", headers=in_session("alice"),
                        json={"api": "bobdesk", "operationId": "listTickets", "status": 503})
    assert armed.status_code == 201
    assert client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session("alice")}).status_code == 503
    assert client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session("bob")}).status_code == 200
    assert client.get(f"{BOBDESK}/tickets", headers=BOB_AUTH).status_code == 200
    assert client.get("/_ticketmock/faults").json() == {"faults": []}

    frozen = client.post("/_ticketmock/clock", json={"freeze": "2030-01-02T03:04:05Z"}, headers=in_session("bob"))
    assert frozen.json() == {"now": "2030-01-02T03:04:05.000Z", "frozen": True, "offsetSeconds": 0.0}
    later = client.post("/_ticketmock/clock", json={"advance": "PT2H30M"}, headers=in_session("bob")).json()
    assert later["now"] == "2030-01-02T05:34:05.000Z"
    made = client.post(f"{BOBDESK}/tickets", json={"title": "t"}, headers={**BOB_AUTH, **in_session("bob")}).json()
    ticket = next(t for t in client.get("/_ticketmock/apis/bobdesk/state", headers=in_session("bob")).json()
                  ["collections"]["tickets"] if t["_id"] == made["ticket_id"])
    assert ticket["created_at"] == "2030-01-02T05:34:05.000Z"
    assert client.get("/_ticketmock/clock").json()["now"] != later["now"]  # default still on the server's clock
    resumed = client.post("/_ticketmock/clock", json={"resume": True}, headers=in_session("bob")).json()
    assert resumed["frozen"] is False and resumed["now"] >= "2030-01-02T05:34:05.000Z"


@pytest.mark.parametrize("body", [{}, {"freeze": "yesterday"}, {"advance": "2 hours"}, {"advance": "P1Y"},
                                  {"freeze": "2030-01-01T00:00:00Z", "advance": "PT1H"},
                                  {"advance": "P99999999D"}])
def test_bad_clock_requests_are_400_and_change_nothing(body: dict[str, Any],
                                                      make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk")
    before = client.get("/_ticketmock/clock").json()
    answer = client.post("/_ticketmock/clock", json=body)
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
    assert client.get("/_ticketmock/clock").json() == before


@pytest.mark.parametrize("name", ["", "a" * 65, "has space", "slash/inside", "ümlaut", "semi;colon"])
def test_invalid_session_names_are_400_in_the_vendor_shape_naming_the_rule(
        name: str, make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk")
    answer = client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, "X-Ticketmock-Session": name.encode()})
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "validation_failed" and "1 to 64 characters of A-Z" in body["message"]
    control = client.get("/_ticketmock/journal", headers={"X-Ticketmock-Session": name.encode()})
    assert control.status_code == 400 and "not a valid session name" in control.json()["detail"]


def test_valid_names_and_path_helpers() -> None:
    assert check_name("ci-worker_1.gw0") == "ci-worker_1.gw0" and check_name("a" * 64)
    assert split_prefix("/_session/alice/bobdesk/x") == ("alice", "/bobdesk/x")
    assert split_prefix("/_session/alice") == ("alice", "/")
    assert split_prefix("/bobdesk/x") == (None, "/bobdesk/x")
    assert control_alias("/_ticketmock/sessions/alice/journal") == ("alice", "/_ticketmock/journal")
    assert control_alias("/_ticketmock/sessions/alice") == (None, "/_ticketmock/sessions/alice")


def test_explicit_creation_listing_and_deletion(make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk")
    created = client.post("/_ticketmock/sessions", json={"name": "ci-1", "seed": 7, "ttlSeconds": 60})
    assert created.status_code == 201 and created.headers["location"] == "/_ticketmock/sessions/ci-1"
    body = created.json()
    assert body["name"] == "ci-1" and body["settings"]["seed"] == 7 and body["paths"] == {
        "bobdesk": "/_session/ci-1/bobdesk/api/v3.0"}
    assert client.post("/_ticketmock/sessions", json={"name": "ci-1"}).status_code == 409
    client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session("ci-1")})
    listed = {s["name"]: s for s in client.get("/_ticketmock/sessions").json()["sessions"]}
    assert set(listed) == {"default", "ci-1"} and listed["ci-1"]["requests"] == 1
    assert listed["ci-1"]["records"]["bobdesk"] == listed["default"]["records"]["bobdesk"] > 0
    assert client.delete("/_ticketmock/sessions/ci-1").status_code == 204
    assert client.delete("/_ticketmock/sessions/ci-1").status_code == 404
    assert client.get("/_ticketmock/sessions/ci-1").status_code == 404
    assert [s["name"] for s in client.get("/_ticketmock/sessions").json()["sessions"]] == ["default"]


def test_a_seeded_session_repeats_its_ids(make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk", seed=None)
    ids = []
    for name in ("s1", "s2"):
        client.post("/_ticketmock/sessions", json={"name": name, "seed": 99})
        ids.append(client.post(f"{BOBDESK}/tickets", json={"title": "t"},
                               headers={**BOB_AUTH, **in_session(name)}).json()["ticket_id"])
    other = client.post(f"{BOBDESK}/tickets", json={"title": "t"}, headers={**BOB_AUTH, **in_session("s3")})
    assert ids[0] == ids[1] != other.json()["ticket_id"]


def test_idle_sessions_expire_and_default_never_does(make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk", session_ttl=1)
    client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session("short-lived")})
    client.post("/_ticketmock/sessions", json={"name": "kept", "ttlSeconds": 3600})
    assert {s["name"] for s in client.get("/_ticketmock/sessions").json()["sessions"]} == {
        "default", "short-lived", "kept"}
    time.sleep(1.2)
    assert {s["name"] for s in client.get("/_ticketmock/sessions").json()["sessions"]} == {"default", "kept"}


def test_one_session_too_many_is_429_naming_the_limit_and_the_option(make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk", max_sessions=2)
    for name in ("one", "two"):
        assert client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session(name)}).status_code == 200
    refused = client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session("three")})
    assert refused.status_code == 429
    assert refused.json()["code"] == "limit_reached"
    assert "limit of 2 sessions" in refused.json()["message"] and "--max-sessions" in refused.json()["message"]
    assert client.post("/_ticketmock/sessions", json={"name": "three"}).status_code == 429
    assert client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session("one")}).status_code == 200
    client.delete("/_ticketmock/sessions/one")
    assert client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session("three")}).status_code == 200


def test_a_strict_session_accepts_only_what_it_was_given_or_issued(make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk", "jifeline")
    client.post("/_ticketmock/sessions", json={"name": "strict", "strictAuth": True,
                                               "tokens": ["kit-token", "kit-client:kit-secret"]})
    strict = in_session("strict")
    refused = client.get(f"{BOBDESK}/tickets", headers={"Authorization": "Bearer anything", **strict})
    assert refused.status_code == 401 and "strictAuth" in refused.json()["message"]
    assert client.get(f"{BOBDESK}/tickets", headers={"Authorization": "Bearer kit-token", **strict}).status_code == 200
    assert client.get(f"{BOBDESK}/tickets", headers={"Authorization": "Bearer anything"}).status_code == 200
    token_url = "/jifeline/oauth2/token"
    wrong = client.post(token_url, headers=strict, data={"grant_type": "client_credentials",
                                                         "client_id": "someone", "client_secret": "else"})
    assert wrong.status_code in (400, 401)
    issued = client.post(token_url, headers=strict, data={"grant_type": "client_credentials",
                                                          "client_id": "kit-client", "client_secret": "kit-secret"})
    token = issued.json()["access_token"]
    tickets = "/jifeline/v2/tickets/in-progress-tickets"
    assert client.get(tickets, headers={"Authorization": f"Bearer {token}", "x-api-key": "kit-token",
                                        **strict}).status_code == 200
    # the token lives in the session that issued it: the default session does not know it ...
    other = client.post("/_ticketmock/sessions", json={"name": "strict-2", "strictAuth": True, "tokens": ["k"]})
    assert other.status_code == 201
    assert client.get(tickets, headers={"Authorization": f"Bearer {token}", "x-api-key": "k",
                                        **in_session("strict-2")}).status_code == 401


def test_redirects_swagger_ui_and_openapi_json_stay_in_the_session(make_client: Callable[..., Any]) -> None:
    client = make_client("bobdesk", "jifeline")
    prefix = "/_session/dora"
    moved = client.patch(f"{prefix}/jifeline/v2/tickets/in-progress-tickets/{JIFELINE_TICKET}",
                         json={"transition": {"type": "complete"}}, follow_redirects=False,
                         headers=auth_for("jifeline", "listInProgressTickets"))
    assert moved.status_code == 303
    assert moved.headers["location"] == f"{prefix}/jifeline/v2/tickets/closed-tickets/{JIFELINE_TICKET}"
    served = client.get(f"{prefix}{BOBDESK}/openapi.json").json()
    assert served["servers"][0]["url"].endswith(f"{prefix}{BOBDESK}")
    ui = client.get(f"{prefix}{BOBDESK}/ui/")
    assert ui.status_code == 200 and f"{prefix}{BOBDESK}/openapi.json" in ui.text


def test_journal_entries_and_log_lines_carry_the_session(make_client: Callable[..., Any]) -> None:
    lines: list[str] = []
    client = make_client("bobdesk", log=lines.append)
    client.get(f"{BOBDESK}/tickets", headers=BOB_AUTH)
    client.get(f"{BOBDESK}/tickets", headers={**BOB_AUTH, **in_session("eve")}, params={"cursor": "x"})
    eve = client.get("/_ticketmock/journal", headers=in_session("eve")).json()["entries"]
    assert [(e["session"], e["status"], e["query"]) for e in eve] == [("eve", 400, "cursor=x")]
    assert [e["session"] for e in client.get("/_ticketmock/journal").json()["entries"]] == ["default"]
    api_lines = [line for line in lines if line.startswith("GET /bobdesk")]
    assert not api_lines[0].endswith("]") and "[session" not in api_lines[0]
    assert api_lines[1].startswith("GET /bobdesk/api/v3.0/tickets?cursor=x 400 ")
    assert "validation_failed: " in api_lines[1] and api_lines[1].endswith("[session eve]")


def test_a_thousand_sessions_that_each_read_once_cost_a_few_megabytes(store: dict[str, Any]) -> None:
    app = make_app(validate_responses=False, **store)  # all five APIs: the fixtures a session must not copy
    one = f"{BOBDESK}/tickets/get-id-from-number"

    async def read_in_sessions() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            assert (await client.get(one, params={"ticket_number": "104544"}, headers=BOB_AUTH)).status_code == 200
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            for n in range(1000):
                answer = await client.get(one, params={"ticket_number": "104544"},
                                          headers={**BOB_AUTH, **in_session(f"worker-{n}")})
                assert answer.status_code == 200
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - before
            tracemalloc.stop()
            sessions = len((await client.get("/_ticketmock/sessions")).json()["sessions"])
        await app.runtime.backend.close()
        return grown, sessions

    grown, sessions = asyncio.run(read_in_sessions())
    assert sessions == 1001
    # Each session holds a journal entry and a fork of the API it read: a few KB, never the fixtures.
    assert grown < 8 * 1024 * 1024, f"1,000 sessions added {grown / 1e6:.1f} MB"


def test_snapshot_round_trip_gives_an_identical_state(make_client: Callable[..., Any]) -> None:
    client = make_client()
    for slug in WRITES:
        write(client, slug, "default")
    saved = client.get("/_ticketmock/snapshot")
    assert saved.status_code == 200 and saved.headers["content-type"] == "application/json"
    snapshot = saved.json()
    assert snapshot["format"] == "ticketmock-snapshot" and snapshot["version"] == 1
    dumps = {slug: state_hash(client, slug) for slug in WRITES}
    client.post("/_ticketmock/reset")
    client.post(f"{BOBDESK}/tickets", json={"title": "Written after the snapshot"}, headers=BOB_AUTH)
    assert state_hash(client, "bobdesk") != dumps["bobdesk"]
    loaded = client.put("/_ticketmock/snapshot", json=snapshot)
    assert loaded.status_code == 200, loaded.text
    assert {slug: state_hash(client, slug) for slug in WRITES} == dumps
    # the id sequence came back too: the next write gives what it gave after the snapshot was taken
    assert client.get("/_ticketmock/snapshot").json() == snapshot


def corrupt(snapshot: dict[str, Any], how: str) -> dict[str, Any]:
    broken = json.loads(json.dumps(snapshot))
    tickets = broken["apis"]["bobdesk"]["collections"]["tickets"]
    if how == "field":
        tickets[3]["status"] = "exploded"
    elif how == "reference":
        broken["apis"]["jifeline"]["collections"]["tickets"][0]["customer_id"] = "00000000-0000-4000-8000-000000000000"
    elif how == "duplicate":
        tickets.append(dict(tickets[0]))
    elif how == "collection":
        del broken["apis"]["bobdesk"]["collections"]["notes"]
    elif how == "api":
        broken["apis"]["bob-desk"] = broken["apis"].pop("bobdesk")
    elif how == "version":
        broken["version"] = 99
    elif how == "counter":
        broken["apis"]["bobdesk"]["counters"]["ticket_number"] = -1
    return broken


@pytest.mark.parametrize(("how", "named"), [
    ("field", "tickets[3]"), ("reference", "customer_id"), ("duplicate", "duplicate _id"),
    ("collection", "missing collection(s) notes"), ("api", "did you mean 'bobdesk'"), ("version", "version 99"),
    ("counter", "apis.bobdesk.counters"),
])
def test_an_invalid_snapshot_is_400_naming_the_problem_and_changes_nothing(how: str, named: str,
                                                                           make_client: Callable[..., Any]) -> None:
    client = make_client()
    write(client, "bobdesk", "default")
    snapshot = client.get("/_ticketmock/snapshot").json()
    client.post("/_ticketmock/reset")
    before = {slug: state_hash(client, slug) for slug in WRITES}
    answer = client.put("/_ticketmock/snapshot", json=corrupt(snapshot, how))
    assert answer.status_code == 400 and named in answer.json()["detail"], answer.text
    assert {slug: state_hash(client, slug) for slug in WRITES} == before
