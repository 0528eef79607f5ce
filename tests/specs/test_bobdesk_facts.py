"""Documented Bob! Desk facts that the spec must keep (sources: https://dev.bob-desk.com/ and its linked pages)."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.spec import iter_operations
from tests.helpers import lookup, spec_of

SPEC = spec_of("bobdesk")
JSON = "application/json"
TICKETS = "/tickets"
BY_NUMBER = "/tickets/get-id-from-number"
CANCEL = "/tickets/{ticket_id}/cancel"
FINISH = "/tickets/{ticket_id}/finish"
CLOSE = "/tickets/{ticket_id}/close"
OPEN = "/tickets/{ticket_id}/open"
NOTES = "/tickets/{ticket_id}/notes"
DATES = "/tickets/{ticket_id}/dates"

LIST_QUERY = ("paths", TICKETS, "get", "parameters")
TICKET = ("paths", TICKETS, "get", "responses", "200", "content", JSON, "schema", "properties", "tickets", "items",
          "properties")
CREATE_BODY = ("paths", TICKETS, "post", "requestBody", "content", JSON, "schema")
NOTE_BODY = ("paths", NOTES, "post", "requestBody", "content", JSON, "schema")
DATE_BODY = ("paths", DATES, "post", "requestBody", "content", JSON, "schema")

STATUSES = [
    "draft", "opened", "waiting", "proposed", "toreplan", "toplan", "waitingplan", "waiting_contractor",
    "assigned", "visit", "visit_devis", "validation", "validated", "dropped", "intervention",
    "intervention_finish", "finished", "closed", "canceled", "declined", "removed",
]

FACTS: list[tuple[str, tuple[str | int, ...], Any]] = [
    ("S3 production base URL", ("servers", 0, "url"), "https://api.bob-desk.com/api/v3.0"),
    ("S3 list is secured by a bearer token", ("paths", TICKETS, "get", "security"), [{"bearerAuth": []}]),
    ("S3 ticket_number is a query string", ("paths", BY_NUMBER, "get", "parameters", "name=ticket_number", "in"),
     "query"),
    ("S3 ticket_number type string",
     ("paths", BY_NUMBER, "get", "parameters", "name=ticket_number", "schema", "type"), "string"),
    ("S3 number lookup returns ticket_id",
     ("paths", BY_NUMBER, "get", "responses", "200", "content", JSON, "schema", "required"), ["ticket_id"]),
    ("S3 PAG created_after is a string", (*LIST_QUERY, "name=created_after", "schema", "type"), "string"),
    ("S3 created_before is a string", (*LIST_QUERY, "name=created_before", "schema", "type"), "string"),
    ("S3 updated_after is a string", (*LIST_QUERY, "name=updated_after", "schema", "type"), "string"),
    ("S3 assigned_after is a string", (*LIST_QUERY, "name=assigned_after", "schema", "type"), "string"),
    ("S3 PAG cursor is a query parameter", (*LIST_QUERY, "name=cursor", "in"), "query"),
    ("S3 client_id is an optional query parameter", (*LIST_QUERY, "name=client_id", "required"), False),
    ("S3 interventions accepts true/false", (*LIST_QUERY, "name=interventions", "schema", "enum"), ["true", "false"]),
    ("S3 maintenances accepts true/false", (*LIST_QUERY, "name=maintenances", "schema", "enum"), ["true", "false"]),
    ("S3 PAG list body has cursor and tickets",
     ("paths", TICKETS, "get", "responses", "200", "content", JSON, "schema", "required"), ["cursor", "tickets"]),
    ("INV page size of 50 applied to tickets",
     ("paths", TICKETS, "get", "responses", "200", "content", JSON, "schema", "properties", "tickets", "maxItems"), 50),
    ("S3 ticket status has the 21 documented values", (*TICKET, "status", "enum"), STATUSES),
    ("S3 ticket number is a string", (*TICKET, "number", "type"), "string"),
    ("S3 ticket _id is server-generated", (*TICKET, "_id", "readOnly"), True),
    ("S3 from_public_interface is boolean", (*TICKET, "from_public_interface", "type"), "boolean"),
    ("S3 intervention_scheduled_at holds ISO dates",
     (*TICKET, "intervention_scheduled_at", "items", "format"), "date-time"),
    ("S3 intervention_occured_at holds ISO dates (vendor spelling)",
     (*TICKET, "intervention_occured_at", "items", "format"), "date-time"),
    ("S3 created_at is an ISO date", (*TICKET, "created_at", "format"), "date-time"),
    ("S3 quote validated is boolean", (*TICKET, "quotes", "items", "properties", "validated", "type"), "boolean"),
    ("S3 quote price is a string", (*TICKET, "quotes", "items", "properties", "price", "type"), "string"),
    ("S3 invoice price is a string", (*TICKET, "invoices", "items", "properties", "price", "type"), "string"),
    ("S3 location parent_id is null in the sample",
     (*TICKET, "locations", "items", "properties", "parent_id", "nullable"), True),
    ("S3 create body is JSON and required", ("paths", TICKETS, "post", "requestBody", "required"), True),
    ("S3 create requires only title", (*CREATE_BODY, "required"), ["title"]),
    ("S3 create priority enum", (*CREATE_BODY, "properties", "priority", "enum"), ["none", "low", "medium", "high"]),
    ("S3 create price_threshold is a number", (*CREATE_BODY, "properties", "price_threshold", "type"), "number"),
    ("S3 create location_ids is an array", (*CREATE_BODY, "properties", "location_ids", "type"), "array"),
    ("S3 create manager_ids is an array", (*CREATE_BODY, "properties", "manager_ids", "type"), "array"),
    ("S3 create answers with ticket_id",
     ("paths", TICKETS, "post", "responses", "200", "content", JSON, "schema", "properties", "ticket_id", "type"),
     "string"),
    ("S3 ticket_id route param is an ObjectID",
     ("paths", CANCEL, "parameters", "name=ticket_id", "schema", "pattern"), "^[0-9a-fA-F]{24}$"),
    ("S3 cancel body is optional", ("paths", CANCEL, "put", "requestBody", "required"), False),
    ("S3 cancel reason_cancel is a string",
     ("paths", CANCEL, "put", "requestBody", "content", JSON, "schema", "properties", "reason_cancel", "type"),
     "string"),
    ("S3 finish reserve is boolean",
     ("paths", FINISH, "put", "requestBody", "content", JSON, "schema", "properties", "reserve", "type"), "boolean"),
    ("S3 close reserve is boolean",
     ("paths", CLOSE, "put", "requestBody", "content", JSON, "schema", "properties", "reserve", "type"), "boolean"),
    ("S3 reopen is a POST", ("paths", OPEN, "post", "operationId"), "reopenTicket"),
    ("S3 notes list body has notes",
     ("paths", NOTES, "get", "responses", "200", "content", JSON, "schema", "properties", "notes", "type"), "array"),
    ("S3 note requires note and type", (*NOTE_BODY, "required"), ["note", "type"]),
    ("S3 note type enum", (*NOTE_BODY, "properties", "type", "enum"), ["internal", "managers", "public"]),
    ("S3 note content is a string", (*NOTE_BODY, "properties", "note", "type"), "string"),
    ("S3 dates list has visit_dates",
     ("paths", DATES, "get", "responses", "200", "content", JSON, "schema", "properties", "visit_dates", "type"),
     "array"),
    ("S3 dates list has intervention_dates",
     ("paths", DATES, "get", "responses", "200", "content", JSON, "schema", "properties", "intervention_dates",
      "type"), "array"),
    ("S3 date requires start, end and type", (*DATE_BODY, "required"), ["start", "end", "type"]),
    ("S3 date type enum", (*DATE_BODY, "properties", "type", "enum"), ["planned", "actual"]),
    ("S3 date start is an ISODate", (*DATE_BODY, "properties", "start", "oneOf", 0),
     {"type": "string", "format": "date-time"}),
    ("S3 date start or a timestamp", (*DATE_BODY, "properties", "start", "oneOf", 1, "type"), "integer"),
    ("S3 date end is an ISODate", (*DATE_BODY, "properties", "end", "oneOf", 0),
     {"type": "string", "format": "date-time"}),
    ("S3 date end or a timestamp", (*DATE_BODY, "properties", "end", "oneOf", 1, "type"), "integer"),
]


@pytest.mark.parametrize(("fact", "keys", "expected"), FACTS, ids=[f[0] for f in FACTS])
def test_documented_fact(fact: str, keys: tuple[str | int, ...], expected: Any) -> None:
    assert lookup(SPEC, *keys) == expected


def test_s3_documented_operations_exist() -> None:
    """[S3] The Tickets page's endpoints, and no undocumented ones (no get-one, no update, no upload)."""
    operations = {(method, path): op["operationId"] for path, method, op in iter_operations(SPEC)}
    assert operations == {
        ("get", TICKETS): "listTickets",
        ("get", BY_NUMBER): "getTicketIdFromNumber",
        ("post", TICKETS): "createTicket",
        ("put", CANCEL): "cancelTicket",
        ("put", FINISH): "finishTicket",
        ("put", CLOSE): "closeTicket",
        ("post", OPEN): "reopenTicket",
        ("get", NOTES): "listTicketNotes",
        ("post", NOTES): "createTicketNote",
        ("get", DATES): "listTicketDates",
        ("post", DATES): "appendTicketDate",
    }


def test_s3_every_operation_sends_a_bearer_token() -> None:
    """[S3][PAG][DOCS][INV][FIELDS] Every example sends `Authorization: Bearer {token}`."""
    for _, _, op in iter_operations(SPEC):
        assert op["security"] == [{"bearerAuth": []}]
    scheme = lookup(SPEC, "components", "securitySchemes", "bearerAuth")
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")


def test_s3_ticket_carries_every_documented_field() -> None:
    """[S3] The property table's fields, under the sample response's wire names `_id` and `domain`."""
    documented = {
        "_id", "from_public_interface", "intervention_scheduled_at", "intervention_occured_at", "created_at",
        "closed_at", "updated_at", "assigned_at", "url", "number", "status", "title", "description",
        "priority_label", "client", "contractors", "locations", "equipments", "jobs", "domain", "maintenance",
        "quotes", "invoices",
    }
    assert set(lookup(SPEC, *TICKET)) == documented


def test_s3_sub_objects_carry_their_documented_fields() -> None:
    """[S3] client {_id,name}; contractors {_id,name,type}; locations {_id,name,parent_id,reference}; ..."""
    expected = {
        "client": ("properties",),
        "contractors": ("items", "properties"),
        "locations": ("items", "properties"),
        "equipments": ("items", "properties"),
        "jobs": ("items", "properties"),
        "domain": ("items", "properties"),
        "quotes": ("items", "properties"),
        "invoices": ("items", "properties"),
    }
    fields = {name: set(lookup(SPEC, *TICKET, name, *where)) for name, where in expected.items()}
    assert fields == {
        "client": {"_id", "name"},
        "contractors": {"_id", "name", "type"},
        "locations": {"_id", "name", "parent_id", "reference"},
        "equipments": {"_id", "name", "parent_id"},
        "jobs": {"_id", "name"},
        "domain": {"_id", "name", "parent_id"},
        "quotes": {"reference", "_id", "validated", "price"},
        "invoices": {"reference", "_id", "price"},
    }


def test_s3_create_body_carries_every_documented_field() -> None:
    """[S3] Create ticket: title (required), client_id (contractors), and the optional fields."""
    assert set(lookup(SPEC, *CREATE_BODY, "properties")) == {
        "title", "client_id", "description", "priority", "location_ids", "equipment_ids", "job_ids",
        "manager_ids", "price_threshold",
    }


def test_s3_list_filters_are_all_optional() -> None:
    """[S3] "optional parameters": every list filter may be left out."""
    params = lookup(SPEC, *LIST_QUERY)
    assert {p["name"] for p in params} == {
        "created_after", "created_before", "updated_after", "assigned_after", "cursor", "client_id",
        "interventions", "maintenances",
    }
    for name in ("created_after", "created_before", "updated_after", "assigned_after", "cursor", "client_id",
                 "interventions", "maintenances"):
        assert lookup(SPEC, *LIST_QUERY, f"name={name}", "in") == "query"
        assert lookup(SPEC, *LIST_QUERY, f"name={name}", "required") is False


def test_s3_reopen_takes_no_body() -> None:
    """[S3] ReOpen ticket: the curl example sends no data."""
    assert "requestBody" not in lookup(SPEC, "paths", OPEN, "post")


def test_s3_dates_list_path_is_marked_inferred() -> None:
    """[S3] The Dates-list curl shows /notes (a doc error): the /dates path is our reading, and says so."""
    op = lookup(SPEC, "paths", DATES, "get")
    assert op["x-provenance"] == "inferred"
    assert "Inferred:" in op["description"]
    inferred_ops = {op["operationId"] for _, _, op in iter_operations(SPEC) if op.get("x-provenance")}
    assert inferred_ops == {"listTicketDates"}
