"""Bloxs mock behaviour through HTTP: tickets, identification, options, done, notes, filter and tokens."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver.vendors.bloxs import VENDOR
from mockserver.vendors.bloxs.handlers import KINDS, TICKET_FIELDS, UPDATE_FIELDS, WORKFLOW
from tests.helpers import FROZEN_NOW, auth_for, lookup, make_client, spec_of

SPEC = spec_of("bloxs")
TICKETS = "/bloxs/api/v1/maintenance/servicetickets"
FILTER, NOTES, DONE = f"{TICKETS}/filter", f"{TICKETS}/notes", f"{TICKETS}/done"
STATE, RESET = "/_ticketmock/apis/bloxs/state", "/_ticketmock/apis/bloxs/reset"
AUTH = auth_for("bloxs", "getServiceTicket")
FIXTURES = yaml.safe_load(VENDOR.fixtures_path.read_text(encoding="utf-8"))
NOW = datetime.fromisoformat(FROZEN_NOW)


@pytest.fixture
def client() -> Iterator[Any]:
    with make_client("bloxs") as test_client:
        yield test_client


def request_example(path: str, method: str) -> Any:
    body = lookup(SPEC, "paths", path, method, "requestBody")
    return copy.deepcopy(body["content"]["application/json"]["example"])


def response_example(path: str, method: str) -> Any:
    return lookup(SPEC, "paths", path, method, "responses", "200", "content", "application/json", "example")


def state(client: Any) -> dict[str, Any]:
    return client.get(STATE).json()


def stored_ticket(client: Any, reference: str) -> dict[str, Any]:
    return next(t for t in state(client)["collections"]["tickets"] if t["reference"] == reference)


def get_ticket(client: Any, **params: str) -> Any:
    return client.get(TICKETS, params=params, headers=AUTH)


def new_ticket(**overrides: Any) -> dict[str, Any]:
    body = {"reportingDate": "2026-03-05", "stateName": "Active", "priority": 2,
            "description": "Brievenbus van Oudegracht 214 is geforceerd.", "realEstateObjectReference": "OBJ-0318",
            "reporterReference": "REL-004512"}
    return {**body, **overrides}


def filter_refs(client: Any, body: dict[str, Any]) -> list[str]:
    reply = client.post(FILTER, json=body, headers=AUTH)
    assert reply.status_code == 200, reply.text
    return [t["reference"] for t in reply.json()["items"]]


# --- the whole story ---------------------------------------------------------------------------

def test_create_list_update_transition_read_and_reset(client: Any) -> None:
    fixtures_dump = client.get(STATE).content

    created = client.post(TICKETS, json=new_ticket(externalIdentifier="WO-2026-00900"), headers=AUTH)
    assert created.status_code == 200, created.text
    reference = created.json()["reference"]
    assert reference == "100246"

    listed = client.post(FILTER, json={"externalIdentifier": "WO-2026-00900"}, headers=AUTH).json()
    assert [t["reference"] for t in listed["items"]] == [reference]
    assert listed["paging"] == {"pageNumber": 1, "pageSize": 100, "totalItems": 1, "totalPages": 1}

    update = {"reference": reference, "externalIdentifier": "WO-2026-00900", "stateName": "Waiting for quote",
              "priority": 3, "description": "Brievenbus geforceerd; slot en klep vervangen.",
              "problemCategoryName": "Doors and locks", "supplierReference": "REL-002112", "expectedCosts": 95.5}
    updated = client.put(TICKETS, json=update, headers=AUTH)
    assert updated.status_code == 200, updated.text
    assert updated.json()["stateName"] == "Waiting for quote"
    assert updated.json()["supplierReference"] == "REL-002112"

    note = client.post(NOTES, json={"externalIdentifier": "WO-2026-00900", "message": "Offerte gevraagd."},
                       headers=AUTH)
    assert note.status_code == 200, note.text
    done = client.post(DONE, json={"reference": reference}, headers=AUTH)
    assert done.status_code == 200, done.text

    read = get_ticket(client, reference=reference).json()
    assert read["stateName"] == "Done"
    assert read["priority"] == 3
    assert read["description"] == "Brievenbus geforceerd; slot en klep vervangen."
    assert read["reportingDate"] == "2026-03-05"
    assert stored_ticket(client, reference)["$closingDate"] == "2026-11-20T09:30:00Z"

    assert client.post(RESET).status_code == 200
    assert client.get(STATE).content == fixtures_dump
    assert get_ticket(client, reference=reference).status_code == 404
    again = client.post(TICKETS, json=new_ticket(), headers=AUTH)
    assert again.json()["reference"] == "100246"  # the counter is back at the fixtures' highest


# --- create ------------------------------------------------------------------------------------

def test_create_answers_the_next_reference_after_the_fixtures_highest(client: Any) -> None:
    highest = max(int(t["reference"]) for t in FIXTURES["tickets"])
    first = client.post(TICKETS, json=new_ticket(), headers=AUTH).json()["reference"]
    second = client.post(TICKETS, json=new_ticket(), headers=AUTH).json()["reference"]
    assert (int(first), int(second)) == (highest + 1, highest + 2)
    assert state(client)["counters"]["reference"] == highest + 2


def test_create_with_the_spec_example_answers_the_spec_example(client: Any) -> None:
    path = "/api/v1/maintenance/servicetickets"
    reply = client.post(TICKETS, json=request_example(path, "post"), headers=AUTH)
    assert reply.status_code == 200
    assert reply.json() == response_example(path, "post")


def test_create_fills_left_out_fields_with_defaults(client: Any) -> None:
    ticket = client.post(TICKETS, json=new_ticket(), headers=AUTH).json()
    assert list(ticket) == list(TICKET_FIELDS)
    assert ticket["costsAreForTenant"] is False and ticket["handledBySupplier"] is False
    assert ticket["externalIdentifier"] is None and ticket["supplierReference"] is None
    assert ticket["reporterContactPersonType"] == 0
    external = client.post(TICKETS, json=new_ticket(reporterExternalContactPersonName="Karel Dekker"),
                           headers=AUTH).json()
    assert external["reporterContactPersonType"] == 1


def test_create_in_the_done_state_records_a_closing_date(client: Any) -> None:
    reference = client.post(TICKETS, json=new_ticket(stateName="Done"), headers=AUTH).json()["reference"]
    assert stored_ticket(client, reference)["$closingDate"] == "2026-11-20T09:30:00Z"
    other = client.post(TICKETS, json=new_ticket(), headers=AUTH).json()["reference"]
    assert stored_ticket(client, other)["$closingDate"] is None


def test_create_refuses_an_external_identifier_that_is_already_used(client: Any) -> None:
    before = client.get(STATE).content
    reply = client.post(TICKETS, json=new_ticket(externalIdentifier="WO-2026-00871"), headers=AUTH)
    assert reply.status_code == 400
    assert "100245" in reply.json()["errors"]["externalIdentifier"][0]
    assert client.get(STATE).content == before


@pytest.mark.parametrize(("field", "value"), [
    ("realEstateObjectReference", "OBJ-9999"),
    ("reporterReference", "REL-000001"),
    ("reporterContactPersonReference", "REL-000002"),
    ("supplierReference", "REL-000003"),
])
def test_create_refuses_unknown_objects_and_relations(client: Any, field: str, value: str) -> None:
    before = client.get(STATE).content
    reply = client.post(TICKETS, json=new_ticket(**{field: value}), headers=AUTH)
    assert reply.status_code == 400
    assert list(reply.json()["errors"]) == [field]
    assert value in reply.json()["errors"][field][0]
    assert client.get(STATE).content == before


# --- option lists ------------------------------------------------------------------------------

@pytest.mark.parametrize(("operation", "field", "value"), [
    ("post", "stateName", "Closed"),
    ("post", "problemCategoryName", "Elevator"),
    ("post", "costCategoryName", "Owner charges"),
    ("post", "supplierReference", "REL-999999"),
    ("put", "stateName", "active"),
    ("put", "problemCategoryName", ""),
    ("put", "costCategoryName", "Repairs"),
    ("put", "supplierReference", "REL-004512X"),
])
def test_names_must_come_from_their_lists(client: Any, operation: str, field: str, value: str) -> None:
    before = client.get(STATE).content
    if operation == "post":
        body = new_ticket(**{field: value})
    else:
        body = {"reference": "100245", "stateName": "On hold", "priority": 2, "description": "x", field: value}
    reply = client.request(operation.upper(), TICKETS, json=body, headers=AUTH)
    assert reply.status_code == 400
    problem = reply.json()
    assert problem["title"] == "One or more validation errors occurred."
    assert list(problem["errors"]) == [field]
    assert f"'{value}'" in problem["errors"][field][0]
    assert client.get(STATE).content == before


def test_every_invalid_name_is_reported_at_once(client: Any) -> None:
    body = {"reference": "100245", "stateName": "Gesloten", "priority": 1, "description": "x",
            "problemCategoryName": "Dak", "costCategoryName": "Eigenaar", "supplierReference": "REL-123456"}
    errors = client.put(TICKETS, json=body, headers=AUTH).json()["errors"]
    assert set(errors) == {"stateName", "problemCategoryName", "costCategoryName", "supplierReference"}
    assert "Active, On hold, Signed off, Done, Waiting for quote" in errors["stateName"][0]


def test_option_lists_come_from_the_fixtures(client: Any) -> None:
    states = client.get(f"{TICKETS}/states", headers=AUTH).json()
    assert states == FIXTURES["states"]
    assert {"name": "Waiting for quote", "systemState": None} in states
    assert client.get(f"{TICKETS}/costscategories", headers=AUTH).json() == FIXTURES["cost_categories"]
    problems = client.get(f"{TICKETS}/problemcategories", headers=AUTH).json()
    assert [p["name"] for p in problems][:5] == ["Electrical", "Windows", "Heating", "Plumbing", "Doors and locks"]


# --- update ------------------------------------------------------------------------------------

def test_update_with_the_spec_example_answers_the_spec_example(client: Any) -> None:
    path = "/api/v1/maintenance/servicetickets"
    reply = client.put(TICKETS, json=request_example(path, "put"), headers=AUTH)
    assert reply.status_code == 200
    assert reply.json() == response_example(path, "put")


def test_update_overwrites_the_whole_update_body_and_keeps_the_rest(client: Any) -> None:
    before = get_ticket(client, reference="100245").json()
    body = {"reference": "100245", "stateName": "On hold", "priority": 1, "description": "Wacht op onderdeel.",
            # not in the update body: ignored, these fields keep their values
            "reportingDate": "2020-01-01", "mandateAmount": 1.0, "realEstateObjectReference": "OBJ-0301"}
    after = client.put(TICKETS, json=body, headers=AUTH).json()
    assert after["stateName"] == "On hold" and after["priority"] == 1 and after["description"] == "Wacht op onderdeel."
    for field in set(UPDATE_FIELDS) - {"stateName", "priority", "description"}:
        expected = False if field in ("costsAreForTenant", "handledBySupplier") else None
        assert after[field] is expected, field
    kept = set(TICKET_FIELDS) - set(UPDATE_FIELDS)
    assert {f: after[f] for f in kept} == {f: before[f] for f in kept}
    assert after["reportingDate"] == "2026-02-27" and after["mandateAmount"] == 500.0
    assert get_ticket(client, reference="100245").json() == after


def test_moving_out_of_done_and_back_manages_the_closing_date(client: Any) -> None:
    done = client.post(DONE, json={"reference": "100244", "closingDate": "2026-03-01T12:00:00+01:00"}, headers=AUTH)
    assert done.json()["stateName"] == "Done"
    assert stored_ticket(client, "100244")["$closingDate"] == "2026-03-01T11:00:00Z"
    body = {"reference": "100244", "stateName": "Done", "priority": 2, "description": "Daklicht gerepareerd."}
    client.put(TICKETS, json=body, headers=AUTH)
    assert stored_ticket(client, "100244")["$closingDate"] == "2026-03-01T11:00:00Z"  # still Done: kept
    client.put(TICKETS, json={**body, "stateName": "Active"}, headers=AUTH)
    assert stored_ticket(client, "100244")["$closingDate"] is None  # reopened
    client.put(TICKETS, json=body, headers=AUTH)
    assert stored_ticket(client, "100244")["$closingDate"] == "2026-11-20T09:30:00Z"


# --- identification ----------------------------------------------------------------------------

def call_with(client: Any, operation: str, ids: dict[str, Any]) -> Any:
    """One operation that identifies a ticket, with the given identifiers."""
    if operation == "get":
        return client.get(TICKETS, params={k: v for k, v in ids.items() if v is not None}, headers=AUTH)
    if operation == "put":
        return client.put(TICKETS, json={**ids, "stateName": "On hold", "priority": 2, "description": "x"},
                          headers=AUTH)
    if operation == "note":
        return client.post(NOTES, json={**ids, "message": "Bewoner belt terug."}, headers=AUTH)
    return client.post(DONE, json=ids, headers=AUTH)


OPERATIONS = ("get", "put", "note", "done")


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("ids", [
    {"reference": "100245"},
    {"externalIdentifier": "WO-2026-00871"},
    {"reference": "100245", "externalIdentifier": "WO-2026-00871"},
], ids=["reference", "externalIdentifier", "both"])
def test_a_ticket_is_identified_by_reference_external_identifier_or_both(
        client: Any, operation: str, ids: dict[str, str]) -> None:
    reply = call_with(client, operation, ids)
    assert reply.status_code == 200, reply.text
    if operation == "note":
        assert reply.json() == {"reference": ids.get("reference"), "externalIdentifier": ids.get("externalIdentifier"),
                                "message": "Bewoner belt terug."}
        assert state(client)["collections"]["notes"][-1]["$ticket_reference"] == "100245"
    else:
        assert reply.json()["reference"] == "100245"


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(("ids", "status", "fields"), [
    ({}, 400, {"reference", "externalIdentifier"}),
    ({"reference": "", "externalIdentifier": None}, 400, {"reference", "externalIdentifier"}),
    ({"reference": "999999"}, 404, None),
    ({"externalIdentifier": "WO-1999-00001"}, 404, None),
    ({"reference": "100245", "externalIdentifier": "WO-1999-00001"}, 404, None),
    ({"reference": "999999", "externalIdentifier": "WO-2026-00871"}, 404, None),
    ({"reference": "100245", "externalIdentifier": "WO-2026-00842"}, 400, {"reference", "externalIdentifier"}),
], ids=["neither", "empty", "unknown-reference", "unknown-external", "known-and-unknown", "unknown-and-known",
        "mismatch"])
def test_identification_errors_change_nothing(client: Any, operation: str, ids: dict[str, Any], status: int,
                                              fields: set[str] | None) -> None:
    before = client.get(STATE).content
    reply = call_with(client, operation, ids)
    assert reply.status_code == status
    problem = reply.json()
    assert problem["status"] == status
    if fields is None:
        assert "errors" not in problem
        assert "does not exist" in problem["detail"]
    else:
        assert set(problem["errors"]) == fields
    if ids.get("externalIdentifier") == "WO-2026-00842":
        assert "100244" in problem["errors"]["reference"][0]  # names the ticket the other identifier is
    assert client.get(STATE).content == before


# --- done and notes ----------------------------------------------------------------------------

def test_done_with_the_spec_example_answers_the_spec_example(client: Any) -> None:
    path = "/api/v1/maintenance/servicetickets/done"
    reply = client.post(DONE, json=request_example(path, "post"), headers=AUTH)
    assert reply.json() == response_example(path, "post")
    assert stored_ticket(client, "100245")["$closingDate"] == "2026-03-12T15:45:00Z"


@pytest.mark.parametrize("start", ["Active", "On hold", "Signed off", "Done", "Waiting for quote"])
def test_done_closes_from_every_state_and_defaults_the_closing_date_to_now(client: Any, start: str) -> None:
    reference = next(t["reference"] for t in FIXTURES["tickets"] if t["stateName"] == start)
    reply = client.post(DONE, json={"reference": reference, "closingDate": None}, headers=AUTH)
    assert reply.status_code == 200
    assert reply.json()["stateName"] == "Done"
    assert stored_ticket(client, reference)["$closingDate"] == "2026-11-20T09:30:00Z"


def test_done_moves_to_the_state_whose_system_state_is_4(tmp_path: Path) -> None:
    data = copy.deepcopy(FIXTURES)
    for entry in data["states"]:
        if entry["systemState"] == 4:
            entry["name"] = "Afgehandeld"
    for ticket in data["tickets"]:
        ticket["stateName"] = "Afgehandeld" if ticket["stateName"] == "Done" else ticket["stateName"]
    (tmp_path / "bloxs.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with make_client("bloxs", fixtures_dir=tmp_path) as custom:
        assert custom.post(DONE, json={"reference": "100245"}, headers=AUTH).json()["stateName"] == "Afgehandeld"


def test_a_states_list_without_done_is_refused_at_startup(tmp_path: Path) -> None:
    data = copy.deepcopy(FIXTURES)
    data["states"] = [s for s in data["states"] if s["systemState"] != 4]
    data["tickets"] = [t for t in data["tickets"] if t["stateName"] != "Done"]
    data["notes"] = []
    (tmp_path / "bloxs.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(Exception, match="systemState 4"):
        make_client("bloxs", fixtures_dir=tmp_path)


def test_notes_are_stored_with_the_ticket_reference(client: Any) -> None:
    count = len(state(client)["collections"]["notes"])
    path = "/api/v1/maintenance/servicetickets/notes"
    reply = client.post(NOTES, json=request_example(path, "post"), headers=AUTH)
    assert reply.json() == response_example(path, "post")
    client.post(NOTES, json={"externalIdentifier": "WO-2026-00842", "message": "Dakdekker komt maandag."}, headers=AUTH)
    notes = state(client)["collections"]["notes"]
    assert len(notes) == count + 2
    first, second = notes[-2:]
    assert first["$ticket_reference"] == "100245" and first["$created_at"] == "2026-11-20T09:30:00Z"
    assert second["$ticket_reference"] == "100244" and second["reference"] is None
    assert second["message"] == "Dakdekker komt maandag."
    assert first["$note_id"] != second["$note_id"]


def test_the_workflow_allows_every_change_bloxs_allows() -> None:
    kinds = sorted(KINDS.values())
    assert ("done", kinds, "done") in WORKFLOW.rows()
    for kind in kinds:
        assert (f"set {kind}", kinds, kind) in WORKFLOW.rows()


# --- filter ------------------------------------------------------------------------------------

def test_filter_of_everything_uses_the_default_page_and_reference_order(client: Any) -> None:
    page = client.post(FILTER, json={}, headers=AUTH).json()
    assert page["paging"] == {"pageNumber": 1, "pageSize": 100, "totalItems": 30, "totalPages": 1}
    assert [t["reference"] for t in page["items"]] == [str(n) for n in range(100216, 100246)]


def test_filter_with_the_spec_example_answers_the_spec_example(client: Any) -> None:
    body = lookup(SPEC, "components", "requestBodies", "ServiceTicketFilter", "content", "application/json", "example")
    reply = client.post(FILTER, json=body, headers=AUTH)
    assert reply.json() == response_example("/api/v1/maintenance/servicetickets/filter", "post")


@pytest.mark.parametrize(("field", "value"), [
    ("reference", "100230"), ("externalIdentifier", "WO-2026-00807"), ("reportingDate", "2026-01-12"),
    ("stateName", "On hold"), ("priority", 1), ("problemCategoryName", "Heating"), ("costCategoryName", "Repair"),
    ("realEstateObjectReference", "OBJ-0318"), ("supplierReference", "REL-002087"),
])
def test_filter_fields_match_exactly(client: Any, field: str, value: Any) -> None:
    expected = [t["reference"] for t in FIXTURES["tickets"] if t[field] == value]
    assert expected
    assert filter_refs(client, {field: value}) == expected


def test_filter_fields_combine_and_ignore_null_and_empty(client: Any) -> None:
    expected = [t["reference"] for t in FIXTURES["tickets"] if t["stateName"] == "Done" and t["priority"] == 2]
    assert filter_refs(client, {"stateName": "Done", "priority": 2, "reference": None, "supplierReference": ""}) \
        == expected
    assert filter_refs(client, {"stateName": "Gesloten"}) == []


@pytest.mark.parametrize(("sorting", "key"), [
    ({"columnName": "reportingDate", "order": "desc"}, lambda t: t["reportingDate"]),
    ({"columnName": "priority", "order": "asc"}, lambda t: t["priority"]),
    ({"columnName": "Priority", "order": "desc"}, lambda t: t["priority"]),
    ({"columnName": "expectedCosts"}, lambda t: (t["expectedCosts"] is not None, t["expectedCosts"] or 0)),
    ({"columnName": "reference", "order": "desc"}, lambda t: int(t["reference"])),
])
def test_filter_sorts_on_a_column_with_ties_in_reference_order(client: Any, sorting: dict[str, str], key: Any) -> None:
    tickets = sorted(FIXTURES["tickets"], key=lambda t: int(t["reference"]))
    expected = [t["reference"] for t in sorted(tickets, key=key, reverse=sorting.get("order") == "desc")]
    assert filter_refs(client, {"sorting": sorting}) == expected


def test_filter_refuses_an_unknown_sort_column(client: Any) -> None:
    reply = client.post(FILTER, json={"sorting": {"columnName": "name", "order": "asc"}}, headers=AUTH)
    assert reply.status_code == 400
    assert "'name' is not a field of a service ticket" in reply.json()["errors"]["sorting.columnName"][0]


@pytest.mark.parametrize(("paging", "field"), [
    ({"pageSize": 1001}, "paging.pageSize"), ({"pageSize": 0}, "paging.pageSize"),
    ({"pageNumber": 0}, "paging.pageNumber"),
])
def test_filter_refuses_paging_out_of_range(client: Any, paging: dict[str, int], field: str) -> None:
    reply = client.post(FILTER, json={"paging": paging}, headers=AUTH)
    assert reply.status_code == 400
    assert list(reply.json()["errors"]) == [field]


def test_a_page_beyond_the_last_is_empty(client: Any) -> None:
    page = client.post(FILTER, json={"paging": {"pageNumber": 4, "pageSize": 10}}, headers=AUTH).json()
    assert page == {"items": [], "paging": {"pageNumber": 4, "pageSize": 10, "totalItems": 30, "totalPages": 3}}


def test_walking_all_pages_finds_every_ticket_once(client: Any) -> None:
    seen: list[str] = []
    number = 1
    while True:
        page = client.post(FILTER, json={"paging": {"pageNumber": number, "pageSize": 7}}, headers=AUTH).json()
        assert page["paging"]["totalPages"] == 5
        if not page["items"]:
            break
        seen += [t["reference"] for t in page["items"]]
        number += 1
    assert number == 6
    assert sorted(seen) == sorted(t["reference"] for t in FIXTURES["tickets"])
    assert len(seen) == len(set(seen)) == 30


def test_pages_handed_out_do_not_shift_when_tickets_are_created(client: Any) -> None:
    def page(number: int) -> list[str]:
        return filter_refs(client, {"paging": {"pageNumber": number, "pageSize": 8}})

    first, second = page(1), page(2)
    created = [client.post(TICKETS, json=new_ticket(), headers=AUTH).json()["reference"] for _ in range(3)]
    assert page(1) == first and page(2) == second
    rest = page(3) + page(4) + page(5)
    assert first + second + rest == [str(n) for n in range(100216, 100246)] + created


# --- authorization -----------------------------------------------------------------------------

def test_the_token_endpoint_issues_a_token_valid_for_24_hours() -> None:
    with make_client("bloxs", tokens=["configured-token"]) as client:
        refused = client.get(f"{TICKETS}/states", headers={"Authorization": "Bearer mock-token"})
        assert refused.status_code == 401
        issued = client.post("/bloxs/Authorization", json={"apiKey": "7c1e4b2a", "apiSecret": "3f9a6d1c"})
        assert issued.status_code == 200
        token = issued.json()["token"]
        assert issued.json()["expiration"] == "2026-11-21T09:30:00Z"
        assert token.count(".") == 2  # shaped like the JWT Bloxs issues
        bearer = {"Authorization": f"Bearer {token}"}
        assert client.get(f"{TICKETS}/states", headers=bearer).status_code == 200
        client.app.runtime.clock.advance(timedelta(hours=24).total_seconds() - 1)
        assert client.get(f"{TICKETS}/states", headers=bearer).status_code == 200
        client.app.runtime.clock.advance(1)
        expired = client.get(f"{TICKETS}/states", headers=bearer)
        assert expired.status_code == 401
        assert "expired at 2026-11-21T09:30:00Z" in expired.json()["detail"]


def test_the_token_endpoint_refuses_credentials_the_mock_does_not_accept() -> None:
    with make_client("bloxs", basic=["my-key:my-secret"]) as client:
        good = client.post("/bloxs/Authorization", json={"apiKey": "my-key", "apiSecret": "my-secret"})
        assert good.status_code == 200
        bad = client.post("/bloxs/Authorization", json={"apiKey": "my-key", "apiSecret": "wrong"})
        assert bad.status_code == 400
        assert bad.headers["content-type"] == "application/problem+json"
        assert bad.json()["title"] == "One or more validation errors occurred."
        assert "not valid" in bad.json()["errors"]["apiSecret"][0]
    with make_client("bloxs") as client:
        empty = client.post("/bloxs/Authorization", json={"apiKey": "", "apiSecret": "s"})
        assert empty.status_code == 400 and list(empty.json()["errors"]) == ["apiKey"]
        tokens = {client.post("/bloxs/Authorization", json={"apiKey": "k", "apiSecret": "s"}).json()["token"]
                  for _ in range(2)}
        assert len(tokens) == 2


# --- fixtures ----------------------------------------------------------------------------------

def test_fixtures_are_coherent() -> None:
    states = {s["name"] for s in FIXTURES["states"]}
    costs = {c["name"] for c in FIXTURES["cost_categories"]}
    problems = {p["name"] for p in FIXTURES["problem_categories"]}
    relations = {r["reference"]: r for r in FIXTURES["relations"]}
    objects = {o["reference"] for o in FIXTURES["real_estate_objects"]}
    tickets = FIXTURES["tickets"]
    assert len(tickets) >= 25
    assert {t["stateName"] for t in tickets} == states
    assert {t["priority"] for t in tickets} == {1, 2, 3}
    externals = [t["externalIdentifier"] for t in tickets if t["externalIdentifier"]]
    assert len(externals) == len(set(externals))
    for ticket in tickets:
        assert ticket["problemCategoryName"] in problems and ticket["costCategoryName"] in costs
        assert ticket["realEstateObjectReference"] in objects
        for field in ("reporterReference", "reporterContactPersonReference", "supplierReference"):
            assert ticket[field] is None or ticket[field] in relations, (ticket["reference"], field)
        if ticket["supplierReference"]:
            assert relations[ticket["supplierReference"]]["type"] == "supplier"
        assert (ticket["$closingDate"] is not None) == (ticket["stateName"] == "Done"), ticket["reference"]
    references = {t["reference"] for t in tickets}
    assert all(note["$ticket_reference"] in references for note in FIXTURES["notes"])
    # what the spec's examples refer to
    assert {"REL-004512", "REL-004513", "REL-002087"} <= set(relations) and "OBJ-0318" in objects
    assert max(int(r) for r in references) == 100245
    assert not any(t["externalIdentifier"] == "WO-2026-00884" for t in tickets)
    assert datetime.fromisoformat(max(t["reportingDate"] for t in tickets)).replace(tzinfo=UTC) < NOW
