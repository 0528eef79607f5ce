"""Documented Bloxs facts that the spec must keep (sources: https://www.bloxs.io/apidocs/ and its linked pages)."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.spec import iter_operations
from tests.helpers import lookup, spec_of

SPEC = spec_of("bloxs")
AUTH = "/Authorization"
TICKETS = "/api/v1/maintenance/servicetickets"
FILTER = f"{TICKETS}/filter"
STATES = f"{TICKETS}/states"
COSTS = f"{TICKETS}/costscategories"
NOTES = f"{TICKETS}/notes"
DONE = f"{TICKETS}/done"
JSON = ("content", "application/json", "schema")
PROBLEM = ("content", "application/problem+json", "schema")


def body(path: str, method: str) -> tuple[str, ...]:
    return ("paths", path, method, "requestBody", *JSON)


def ok(path: str, method: str) -> tuple[str, ...]:
    return ("paths", path, method, "responses", "200", *JSON)


def prop(path: str, method: str, name: str, *rest: str) -> tuple[str, ...]:
    return (*body(path, method), "properties", name, *rest)


def ok_prop(path: str, method: str, name: str, *rest: str) -> tuple[str, ...]:
    return (*ok(path, method), "properties", name, *rest)


FACTS: list[tuple[str, tuple[str | int, ...], Any]] = [
    # [AUTH] token endpoint
    ("AUTH token endpoint is unsecured", ("paths", AUTH, "post", "security"), []),
    ("AUTH apiKey and apiSecret are required", (*body(AUTH, "post"), "required"), ["apiKey", "apiSecret"]),
    ("AUTH apiKey minLength 1", prop(AUTH, "post", "apiKey", "minLength"), 1),
    ("AUTH apiSecret minLength 1", prop(AUTH, "post", "apiSecret", "minLength"), 1),
    ("AUTH token is string|null", ok_prop(AUTH, "post", "token", "nullable"), True),
    ("AUTH expiration is date-time", ok_prop(AUTH, "post", "expiration", "format"), "date-time"),
    ("AUTH bearer scheme is http", ("components", "securitySchemes", "bearerAuth", "type"), "http"),
    ("AUTH bearer scheme is bearer", ("components", "securitySchemes", "bearerAuth", "scheme"), "bearer"),
    # [S0] update body
    ("S0 PUT uses the bearer token", ("paths", TICKETS, "put", "security"), [{"bearerAuth": []}]),
    ("S0 PUT required fields", (*body(TICKETS, "put"), "required"), ["stateName", "priority", "description"]),
    ("S0 PUT priority is 1/2/3", prop(TICKETS, "put", "priority", "enum"), [1, 2, 3]),
    ("S0 PUT priority is int32", prop(TICKETS, "put", "priority", "format"), "int32"),
    ("S0 PUT reference maxLength 100", prop(TICKETS, "put", "reference", "maxLength"), 100),
    ("S0 PUT reference is string|null", prop(TICKETS, "put", "reference", "nullable"), True),
    ("S0 PUT externalLink maxLength 256", prop(TICKETS, "put", "externalLink", "maxLength"), 256),
    ("S0 PUT stateName maxLength 256", prop(TICKETS, "put", "stateName", "maxLength"), 256),
    ("S0 PUT stateName minLength 0", prop(TICKETS, "put", "stateName", "minLength"), 0),
    ("S0 PUT description maxLength 512", prop(TICKETS, "put", "description", "maxLength"), 512),
    ("S0 PUT supplierReference maxLength 100", prop(TICKETS, "put", "supplierReference", "maxLength"), 100),
    ("S0 PUT costsAreForTenant defaults to false", prop(TICKETS, "put", "costsAreForTenant", "default"), False),
    ("S0 PUT handledBySupplier defaults to false", prop(TICKETS, "put", "handledBySupplier", "default"), False),
    ("S0 PUT expectedCosts is double", prop(TICKETS, "put", "expectedCosts", "format"), "double"),
    ("S0 PUT expectedCosts is nullable", prop(TICKETS, "put", "expectedCosts", "nullable"), True),
    # [S0] ticket response
    ("S0 200 reportingDate is a date", ok_prop(TICKETS, "put", "reportingDate", "format"), "date"),
    ("S0 200 reporterContactPersonType is 0/1", ok_prop(TICKETS, "put", "reporterContactPersonType", "enum"), [0, 1]),
    ("S0 200 realEstateObjectReference maxLength 100",
     ok_prop(TICKETS, "put", "realEstateObjectReference", "maxLength"), 100),
    ("S0 200 external contact phone maxLength 512",
     ok_prop(TICKETS, "put", "reporterExternalContactPersonPhoneNumber", "maxLength"), 512),
    ("S0 200 external contact e-mail maxLength 254",
     ok_prop(TICKETS, "put", "reporterExternalContactPersonEmail", "maxLength"), 254),
    ("S0 200 mandateAmount is double", ok_prop(TICKETS, "put", "mandateAmount", "format"), "double"),
    ("S0 200 reference is server-generated", ok_prop(TICKETS, "put", "reference", "readOnly"), True),
    ("S0 400 errors map to arrays of strings",
     ("paths", TICKETS, "put", "responses", "400", *PROBLEM, "properties", "errors", "additionalProperties",
      "items", "type"), "string"),
    ("S0 400 errors is object|null",
     ("paths", TICKETS, "put", "responses", "400", *PROBLEM, "properties", "errors", "nullable"), True),
    # [E400] problem details
    ("E400 status is int32",
     ("paths", TICKETS, "put", "responses", "400", *PROBLEM, "properties", "status", "format"), "int32"),
    ("E400 400 title is fixed",
     ("paths", TICKETS, "put", "responses", "400", "content", "application/problem+json", "example", "title"),
     "One or more validation errors occurred."),
    # [CREATE]
    ("CREATE is POST on the tickets path", ("paths", TICKETS, "post", "operationId"), "createServiceTicket"),
    ("CREATE reportingDate is a date", prop(TICKETS, "post", "reportingDate", "format"), "date"),
    # [FILTER]
    ("FILTER pageSize defaults to 100", prop(FILTER, "post", "paging", "properties", "pageSize", "default"), 100),
    ("FILTER pageSize is at most 1000", prop(FILTER, "post", "paging", "properties", "pageSize", "maximum"), 1000),
    ("FILTER is a POST", ("paths", FILTER, "post", "operationId"), "filterServiceTickets"),
    # [STATES]
    ("STATES systemState is 1..4 or null", ("paths", STATES, "get", "responses", "200", *JSON, "items",
                                            "properties", "systemState", "enum"), [1, 2, 3, 4, None]),
    ("STATES name is string|null", ("paths", STATES, "get", "responses", "200", *JSON, "items",
                                    "properties", "name", "nullable"), True),
    ("STATES returns an array", ("paths", STATES, "get", "responses", "200", *JSON, "type"), "array"),
    # [COSTS]
    ("COSTS name is string|null", ("paths", COSTS, "get", "responses", "200", *JSON, "items",
                                   "properties", "name", "nullable"), True),
    ("COSTS uses the bearer token", ("paths", COSTS, "get", "security"), [{"bearerAuth": []}]),
    # [NOTE]
    ("NOTE message is required", (*body(NOTES, "post"), "required"), ["message"]),
    ("NOTE message minLength 1", prop(NOTES, "post", "message", "minLength"), 1),
    ("NOTE reference is string|null", prop(NOTES, "post", "reference", "nullable"), True),
    ("NOTE 200 message minLength 1", ok_prop(NOTES, "post", "message", "minLength"), 1),
    # [DONE]
    ("DONE closingDate is date-time", prop(DONE, "post", "closingDate", "format"), "date-time"),
    ("DONE closingDate is optional and nullable", prop(DONE, "post", "closingDate", "nullable"), True),
    ("DONE 200 returns the ticket (newer page)", ok_prop(DONE, "post", "reference", "maxLength"), 100),
]


@pytest.mark.parametrize(("fact", "keys", "expected"), FACTS, ids=[f[0] for f in FACTS])
def test_documented_fact(fact: str, keys: tuple[str | int, ...], expected: Any) -> None:
    assert lookup(SPEC, *keys) == expected


def test_documented_operations_exist() -> None:
    """[AUTH] [CREATE] [S0] [FILTER] [STATES] [COSTS] [NOTE] [DONE]: every documented method and path."""
    operations = {(method, path) for path, method, _ in iter_operations(SPEC)}
    assert {
        ("post", AUTH),
        ("post", TICKETS),
        ("put", TICKETS),
        ("post", FILTER),
        ("get", STATES),
        ("get", COSTS),
        ("post", NOTES),
        ("post", DONE),
    } <= operations


def test_put_body_has_exactly_the_documented_fields() -> None:
    """[S0] Body parameters of the update."""
    assert list(lookup(SPEC, *body(TICKETS, "put"), "properties")) == [
        "reference", "externalIdentifier", "externalLink", "stateName", "priority", "problemCategoryName",
        "costsAreForTenant", "costCategoryName", "description", "supplierReference", "handledBySupplier",
        "expectedCosts",
    ]


def test_ticket_response_has_exactly_the_documented_fields() -> None:
    """[S0] 200 of the update; [GET1] and [DONE] return the same object."""
    fields = [
        "externalIdentifier", "externalLink", "reportingDate", "stateName", "priority", "problemCategoryName",
        "costsAreForTenant", "costCategoryName", "description", "realEstateObjectReference", "reporterReference",
        "reporterContactPersonReference", "reporterContactPersonType", "reporterExternalContactPersonName",
        "reporterExternalContactPersonPhoneNumber", "reporterExternalContactPersonMobileNumber",
        "reporterExternalContactPersonEmail", "supplierReference", "handledBySupplier", "expectedCosts",
        "reference", "mandateAmount",
    ]
    for path, method in [(TICKETS, "put"), (TICKETS, "post"), (TICKETS, "get"), (DONE, "post")]:
        assert list(lookup(SPEC, *ok(path, method), "properties")) == fields, (method, path)


def test_create_requires_reporting_date_and_has_no_reference() -> None:
    """[CREATE] an empty reportingDate makes the request invalid; Bloxs generates the reference."""
    create = lookup(SPEC, *body(TICKETS, "post"))
    assert "reportingDate" in create["required"]
    assert "reference" not in create["properties"]


def test_service_ticket_operations_use_the_bearer_token() -> None:
    """[S0] [NOTE] [DONE] [STATES] [COSTS]: Security HTTP, type Bearer."""
    for path, method, operation in iter_operations(SPEC):
        if path != AUTH:
            assert operation["security"] == [{"bearerAuth": []}], (method, path)


def test_note_documents_400_and_404_with_the_problem_shape() -> None:
    """[NOTE] 400 and 404 both carry the validation-problem object."""
    for status in ("400", "404"):
        schema = lookup(SPEC, "paths", NOTES, "post", "responses", status, *PROBLEM)
        assert list(schema["properties"]) == ["type", "title", "traceId", "status", "errors"]
