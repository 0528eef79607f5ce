"""Documented Jifeline facts that the spec must keep.

Sources: https://partner-api-001.redoc.ly/ and https://docs.openobd.com/latest/integrations/partner_api.
"""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.spec import iter_operations
from tests.helpers import lookup, spec_of

SPEC = spec_of("jifeline")
TOKEN = "/oauth2/token"
IN_PROGRESS = "/v2/tickets/in-progress-tickets"
IN_PROGRESS_ONE = "/v2/tickets/in-progress-tickets/{in-progress-ticket-id}"
PENDING = "/v2/tickets/pending-tickets"
PREPARED = "/v2/tickets/prepared-tickets"
OUTSOURCED_ONE = "/v2/tickets/outsourced-tickets/{outsourced-ticket-id}"
CLOSED_ONE = "/v2/tickets/closed-tickets/{closed-ticket-id}"
CANCELLED_ONE = "/v2/tickets/cancelled-tickets/{cancelled-ticket-id}"
CANCEL_REASONS = "/v2/tickets/cancel-reasons"
OUTSOURCES_ONE = "/v2/tickets/outsources/{outsource-id}"
TICKETS = "/v2/tickets/tickets"
TICKETS_ONE = "/v2/tickets/tickets/{ticket-id}"
LOCALES = "/v2/system/locales"

JSON = "application/json"
PROBLEM = "application/problem+json"
LIST_PARAMS = ("paths", IN_PROGRESS, "get", "parameters")
TICKET = ("paths", IN_PROGRESS_ONE, "get", "responses", "200", "content", JSON, "schema", "properties")
UPDATE = ("paths", IN_PROGRESS_ONE, "put", "requestBody", "content", JSON, "schema")
TRANSITION = ("paths", IN_PROGRESS_ONE, "patch")
OUTSOURCE = (*TRANSITION, "requestBody", "content", JSON, "schema", "properties", "transition", "oneOf", 0)
PREPARED_TICKET = ("paths", PREPARED, "get", "responses", "200", "content", JSON, "schema", "properties", "result",
                   "items", "properties")
OUTSOURCED_TICKET = ("paths", OUTSOURCED_ONE, "get", "responses", "200", "content", JSON, "schema", "properties")
CLOSED_TICKET = ("paths", CLOSED_ONE, "get", "responses", "200", "content", JSON, "schema", "properties")
CANCELLED_TICKET = ("paths", CANCELLED_ONE, "get", "responses", "200", "content", JSON, "schema", "properties")
CANCEL_REASON = ("paths", CANCEL_REASONS, "get", "responses", "200", "content", JSON, "schema", "properties", "result",
                 "items", "properties")
OUTSOURCE_RECORD = ("paths", OUTSOURCES_ONE, "get", "responses", "200", "content", JSON, "schema", "properties")
GENERIC = ("paths", TICKETS_ONE, "get", "responses", "200", "content", JSON, "schema", "properties")
TOKEN_FORM = ("paths", TOKEN, "post", "requestBody", "content", "application/x-www-form-urlencoded", "schema")
# [AUTH-B] the bearer token alone: the newer authentication page wins over [AUTH-A]/[S1]'s "OAuth2 and ApiKey".
BEARER = [{"OAuth2": []}]

FACTS: list[tuple[str, tuple[str | int, ...], Any]] = [
    ("CONC production base URL", ("servers", 0, "url"), "https://partner-api-001.prd.jifeline.cloud"),
    ("S1 limit is int32", (*LIST_PARAMS, "name=limit", "schema", "format"), "int32"),
    ("S1 limit minimum is 0", (*LIST_PARAMS, "name=limit", "schema", "minimum"), 0),
    ("S1 limit maximum is 1000", (*LIST_PARAMS, "name=limit", "schema", "maximum"), 1000),
    ("S1 limit default is 25", (*LIST_PARAMS, "name=limit", "schema", "default"), 25),
    ("S1 offset is int64", (*LIST_PARAMS, "name=offset", "schema", "format"), "int64"),
    ("S1 offset minimum is 0", (*LIST_PARAMS, "name=offset", "schema", "minimum"), 0),
    ("S1 offset default is 0", (*LIST_PARAMS, "name=offset", "schema", "default"), 0),
    ("S1 ticket_number filter is a number", (*LIST_PARAMS, "name=ticket_number", "schema", "type"), "number"),
    ("S1 ticket_number filter is int64", (*LIST_PARAMS, "name=ticket_number", "schema", "format"), "int64"),
    ("S1 ticket_number filter example", (*LIST_PARAMS, "name=ticket_number", "example"), 7179072),
    ("S1 list total is int64", ("paths", IN_PROGRESS, "get", "responses", "200", "content", JSON, "schema",
                                "properties", "total", "format"), "int64"),
    ("S1 query envelope allows extra members", ("paths", IN_PROGRESS, "get", "responses", "200", "content", JSON,
                                                "schema", "properties", "query", "additionalProperties"), True),
    ("AUTH-B list needs the bearer token only (not S1's OAuth2 and ApiKey)", ("paths", IN_PROGRESS, "get",
                                                                                 "security"), BEARER),
    ("S1 path id is a uuid", ("paths", IN_PROGRESS_ONE, "parameters", "name=in-progress-ticket-id", "schema",
                              "format"), "uuid"),
    ("S1 path id is required", ("paths", IN_PROGRESS_ONE, "parameters", "name=in-progress-ticket-id", "required"),
     True),
    ("S1 ticket id is a uuid", (*TICKET, "id", "format"), "uuid"),
    ("S1 ticket_number is int64", (*TICKET, "ticket_number", "format"), "int64"),
    ("S1 vehicle_model_id is int64", (*TICKET, "vehicle_model_id", "format"), "int64"),
    ("S1 vin is at least 17 characters", (*TICKET, "vin", "minLength"), 17),
    ("S1 vin is at most 17 characters", (*TICKET, "vin", "maxLength"), 17),
    ("S1 service_started_at is date-time", (*TICKET, "service_started_at", "format"), "date-time"),
    ("S1 voucher_code is nullable", (*TICKET, "voucher_code", "nullable"), True),
    ("S1 voucher_code min length 4", (*TICKET, "voucher_code", "minLength"), 4),
    ("S1 voucher_code max length 8", (*TICKET, "voucher_code", "maxLength"), 8),
    ("S1 voucher_code pattern", (*TICKET, "voucher_code", "pattern"), "[A-Z0-9]"),
    ("S1 outsourced is boolean", (*TICKET, "outsourced", "type"), "boolean"),
    ("S1 connection_id is nullable", (*TICKET, "connection_id", "nullable"), True),
    ("S1 update requires only operator_id", (*UPDATE, "required"), ["operator_id"]),
    ("S1 update operator_id is a uuid", (*UPDATE, "properties", "operator_id", "format"), "uuid"),
    ("S1 update body is required", ("paths", IN_PROGRESS_ONE, "put", "requestBody", "required"), True),
    ("S1 transition wrapper requires transition", (*TRANSITION, "requestBody", "content", JSON, "schema",
                                                   "required"), ["transition"]),
    ("S1 outsource type value", (*OUTSOURCE, "properties", "type", "enum"), ["outsource"]),
    ("S1 outsource required fields", (*OUTSOURCE, "required"), ["type", "product_ids", "provider_id"]),
    ("S1 outsource product_ids non-empty", (*OUTSOURCE, "properties", "product_ids", "minItems"), 1),
    ("S1 outsource product_ids are uuids", (*OUTSOURCE, "properties", "product_ids", "items", "format"), "uuid"),
    ("S1 outsource provider_id is a uuid", (*OUTSOURCE, "properties", "provider_id", "format"), "uuid"),
    ("S1 303 Location is a uri-reference", (*TRANSITION, "responses", "303", "headers", "Location", "schema",
                                            "format"), "uri-reference"),
    ("S1 303 Location example", (*TRANSITION, "responses", "303", "headers", "Location", "example"),
     "/v2/tickets/outsourced-tickets/f2c4cf2d-c633-466b-b161-c01ab5bf66f0"),
    ("S1 400 problem example type", (*TRANSITION, "responses", "400", "content", PROBLEM, "example", "type"),
     "about:blank"),
    ("S1 problem status is an integer", (*TRANSITION, "responses", "default", "content", PROBLEM, "schema",
                                         "properties", "status", "type"), "integer"),
    ("PEND AUTH-B pending tickets need only the token", ("paths", PENDING, "get", "security"), BEARER),
    ("PREP AUTH-B prepared tickets need only the token", ("paths", PREPARED, "get", "security"), BEARER),
    ("PREP created_after is date-time", ("paths", PREPARED, "get", "parameters", "name=created_after", "schema",
                                         "format"), "date-time"),
    ("PREP created_before is date-time", ("paths", PREPARED, "get", "parameters", "name=created_before", "schema",
                                          "format"), "date-time"),
    ("PREP customer_id filter is a uuid", ("paths", PREPARED, "get", "parameters", "name=customer_id", "schema",
                                           "format"), "uuid"),
    ("PREP vin is nullable", (*PREPARED_TICKET, "vin", "nullable"), True),
    ("PREP preparer_external_reference max 255", (*PREPARED_TICKET, "preparer_external_reference", "maxLength"), 255),
    ("OUTT reclaimable is boolean", (*OUTSOURCED_TICKET, "reclaimable", "type"), "boolean"),
    ("OUTT outsource_ticket_id is a uuid", (*OUTSOURCED_TICKET, "outsource_ticket_id", "format"), "uuid"),
    ("AUTH-B outsourced ticket accepts the bearer token alone", ("paths", OUTSOURCED_ONE, "get", "security"),
     BEARER),
    ("CLOS battery voltage enum", (*CLOSED_TICKET, "vehicle_battery_voltage", "enum"), ["12v", "24v"]),
    ("CLOS external_reference max 255", (*CLOSED_TICKET, "external_reference", "maxLength"), 255),
    ("CLOS finished_at is date-time", (*CLOSED_TICKET, "finished_at", "format"), "date-time"),
    ("CANC operator_id is nullable", (*CANCELLED_TICKET, "operator_id", "nullable"), True),
    ("CANC cancel_reason_id is int32", (*CANCELLED_TICKET, "cancel_reason_id", "format"), "int32"),
    ("CR id is int64", (*CANCEL_REASON, "id", "format"), "int64"),
    ("CR name min length 1", (*CANCEL_REASON, "name", "minLength"), 1),
    ("CR name max length 255", (*CANCEL_REASON, "name", "maxLength"), 255),
    ("OS state enum", (*OUTSOURCE_RECORD, "state", "enum"), ["pending", "in_progress", "closed", "cancelled"]),
    ("OS cancel_reason_id is nullable", (*OUTSOURCE_RECORD, "cancel_reason_id", "nullable"), True),
    ("TICK assigned_at is a nullable date-time", (*GENERIC, "assigned_at", "nullable"), True),
    ("TICK assigned_at format", (*GENERIC, "assigned_at", "format"), "date-time"),
    ("TICK cancel_reason_id is int32", (*GENERIC, "cancel_reason_id", "format"), "int32"),
    ("TICK cancel_reason_id is nullable", (*GENERIC, "cancel_reason_id", "nullable"), True),
    ("TICK customer_channel_id is a nullable uuid", (*GENERIC, "customer_channel_id", "format"), "uuid"),
    ("TICK customer_connector_id is nullable", (*GENERIC, "customer_connector_id", "nullable"), True),
    ("TICK customer_id is nullable", (*GENERIC, "customer_id", "nullable"), True),
    ("TICK customer_reference max 255", (*GENERIC, "customer_reference", "maxLength"), 255),
    ("TICK externally_processed is boolean", (*GENERIC, "externally_processed", "type"), "boolean"),
    ("TICK finished_at is nullable", (*GENERIC, "finished_at", "nullable"), True),
    ("TICK operator_channel_id is nullable", (*GENERIC, "operator_channel_id", "nullable"), True),
    ("TICK operator_id is nullable", (*GENERIC, "operator_id", "nullable"), True),
    ("TICK operator_reference max 255", (*GENERIC, "operator_reference", "maxLength"), 255),
    ("OBD ticket states", (*GENERIC, "state", "enum"),
     ["prepared", "pending", "in_progress", "outsourced", "closed", "cancelled"]),
    ("OBD ticket_number is int64", (*GENERIC, "ticket_number", "format"), "int64"),
    ("TICK the generic list uses the documented envelope", ("paths", TICKETS, "get", "responses", "200", "content",
                                                            JSON, "schema", "properties", "query",
                                                            "additionalProperties"), True),
    ("AUTH-B the locales call needs the bearer token only", ("paths", LOCALES, "get", "security"), BEARER),
    ("AUTH-B token endpoint is unauthenticated", ("paths", TOKEN, "post", "security"), []),
    ("AUTH-B grant type is client_credentials", (*TOKEN_FORM, "properties", "grant_type", "enum"),
     ["client_credentials"]),
    ("AUTH-B token request fields", (*TOKEN_FORM, "required"), ["grant_type", "client_id", "client_secret"]),
    ("AUTH-B token example lifetime", ("paths", TOKEN, "post", "responses", "200", "content", JSON, "example",
                                       "expires_in"), 3600),
    ("AUTH-B token type example", ("paths", TOKEN, "post", "responses", "200", "content", JSON, "example",
                                   "token_type"), "Bearer"),
    ("AUTH-B OAuth2 token URL", ("components", "securitySchemes", "OAuth2", "flows", "clientCredentials",
                                 "tokenUrl"), "https://partner-api-001.prd.jifeline.cloud/oauth2/token"),
]


@pytest.mark.parametrize(("fact", "keys", "expected"), FACTS, ids=[f[0] for f in FACTS])
def test_documented_fact(fact: str, keys: tuple[str | int, ...], expected: Any) -> None:
    assert lookup(SPEC, *keys) == expected


def test_a_bearer_token_alone_is_enough_everywhere() -> None:
    """[AUTH-B] `Authorization: Bearer <token>` only; [AUTH-A]'s x-api-key is explained, never required."""
    for path, method, op in iter_operations(SPEC):
        assert op["security"] == ([] if path == TOKEN else BEARER), (method, path)
    assert set(SPEC["components"]["securitySchemes"]) == {"OAuth2"}
    for text in (SPEC["info"]["description"], SPEC["components"]["securitySchemes"]["OAuth2"]["description"]):
        assert "x-api-key" in text and "newer page wins" in text


def test_documented_operations_exist() -> None:
    """[S1] the four in-progress operations, [S1] the outsourced-ticket Location target, [AUTH-B] the token."""
    operations = {(method, path) for path, method, _ in iter_operations(SPEC)}
    assert {
        ("get", IN_PROGRESS),
        ("get", IN_PROGRESS_ONE),
        ("put", IN_PROGRESS_ONE),
        ("patch", IN_PROGRESS_ONE),
        ("get", OUTSOURCED_ONE),
        ("post", TOKEN),
    } <= operations


def test_documented_operations_are_not_marked_inferred() -> None:
    """[S1][AUTH-B] what the vendor documents verbatim carries no inferred mark."""
    for method, path in [("get", IN_PROGRESS), ("get", IN_PROGRESS_ONE), ("put", IN_PROGRESS_ONE),
                         ("patch", IN_PROGRESS_ONE), ("post", TOKEN)]:
        assert "x-provenance" not in SPEC["paths"][path][method], (method, path)


def test_every_ticket_operation_documents_a_default_problem() -> None:
    """[S1] every Partner API operation documents a `default` problem response."""
    for path, method, _ in iter_operations(SPEC):
        if path == TOKEN:
            continue
        default = lookup(SPEC, "paths", path, method, "responses", "default")
        assert list(default["content"]) == [PROBLEM], (method, path)


def test_transition_documents_303_400_and_default() -> None:
    """[S1] the transition answers 303 (Location), 400 and default."""
    responses = lookup(SPEC, *TRANSITION, "responses")
    assert {"303", "400", "default"} <= set(responses)
    assert "Location" in responses["303"]["headers"]


def test_in_progress_ticket_fields() -> None:
    """[S1] the In progress ticket carries exactly the documented fields."""
    assert set(lookup(SPEC, *TICKET)) == {
        "id", "created_at", "customer_id", "ticket_number", "vehicle_model_id", "vin", "service_started_at",
        "operator_id", "voucher_code", "outsourced", "connection_id",
    }


def test_update_body_does_not_forbid_the_sample_fields() -> None:
    """[S1] the PUT sample sends customer_id, vehicle_model_id, vin and voucher_code next to operator_id."""
    assert lookup(SPEC, *UPDATE).get("additionalProperties", True) is not False


DOCUMENTED_TICKET_FIELDS = {"id", "assigned_at", "cancel_reason_id", "connection_id", "created_at",
                            "customer_channel_id", "customer_connector_id", "customer_id", "customer_reference",
                            "external_reference", "externally_processed", "finished_at", "operator_channel_id",
                            "operator_id", "operator_reference", "state", "ticket_number"}


def test_the_generic_ticket_marks_what_the_page_does_not_show() -> None:
    """[TICK][OBD] the documented fields carry no mark; the others are inferred, with the reason."""
    fields = lookup(SPEC, *GENERIC)
    assert DOCUMENTED_TICKET_FIELDS <= set(fields)
    for name, schema in fields.items():
        inferred = schema.get("x-provenance") == "inferred"
        assert inferred is (name not in DOCUMENTED_TICKET_FIELDS), name
        assert not inferred or "Inferred:" in schema["description"], name


def test_the_documented_locales_call_is_not_marked_but_the_new_paths_are() -> None:
    """[AUTH-B] /v2/system/locales is the authentication page's example; no page shows the others' paths."""
    assert "x-provenance" not in SPEC["paths"][LOCALES]["get"]
    for path in (TICKETS, TICKETS_ONE, "/v2/system/events", "/v2/customers", "/v2/customers/{customer-id}",
                 "/v2/customers/locations/{location-id}", "/v2/customers/employees/{employee-id}",
                 "/v2/vehicles/makes/{make-id}", "/v2/vehicles/models/{model-id}"):
        assert SPEC["paths"][path]["get"]["x-provenance"] == "inferred", path

