"""Documented Spacebring facts that the spec must keep.

Sources: https://developer.spacebring.com/api-reference/ and its linked pages.
"""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.spec import iter_operations, resolve_ref
from tests.helpers import lookup, spec_of

SPEC = spec_of("spacebring")
TICKETS = "/support/tickets/v1"
TICKET = "/support/tickets/v1/{id}"
STATUS = "/support/tickets/v1/{id}/status"
ASSIGNEE = "/support/tickets/v1/{id}/assignee"
TYPE = "/support/tickets/v1/{id}/type"
COMMENT = "/support/tickets/v1/comment"
COMMENT_ID = "/support/tickets/v1/comment/{id}"

JSON = "application/json"
LIST_200 = ("paths", TICKETS, "get", "responses", "200", "content", JSON, "schema")
TICKET_SCHEMA = (*LIST_200, "properties", "tickets", "items")
GET_200 = ("paths", TICKET, "get", "responses", "200", "content", JSON, "schema")
ACTIVITY = (*GET_200, "properties", "activities", "items")
CREATE_BODY = ("paths", TICKETS, "post", "requestBody", "content", JSON, "schema", "properties", "ticket")
STATUS_BODY = ("paths", STATUS, "put", "requestBody", "content", JSON, "schema")
ASSIGNEE_BODY = ("paths", ASSIGNEE, "put", "requestBody", "content", JSON, "schema", "properties", "ticket")
TYPE_BODY = ("paths", TYPE, "patch", "requestBody", "content", JSON, "schema", "properties", "ticket")
COMMENT_BODY = ("paths", COMMENT, "post", "requestBody", "content", JSON, "schema", "properties", "activity")
OAUTH = ("components", "securitySchemes", "OAuth2", "flows", "authorizationCode")

STATUSES = ["new", "inProgress", "solved", "closed"]
TICKET_TYPES = [
    "access",
    "accountAndBilling",
    "bookings",
    "cleaning",
    "discriminationAndHarassment",
    "internet",
    "mailAndPackages",
    "noiseAndAcoustics",
    "offensiveOrObjectionableContent",
    "other",
    "printing",
    "repairAndMaintenance",
    "temperatureAndVentilation",
    "websiteAndApp",
]
READ = [{"BasicAuth": []}, {"OAuth2": ["support.readonly"]}, {"OAuth2": ["support"]}]
WRITE = [{"BasicAuth": []}, {"OAuth2": ["support"]}]
OAUTH_WRITE_ONLY = [{"OAuth2": ["support"]}]
ABSENT = object()  # the key must not be there

FACTS: list[tuple[str, tuple[str | int, ...], Any]] = [
    # Servers and authentication
    ("[SPEC][S2] base URL is https://api.spacebring.com", ("servers", 0, "url"), "https://api.spacebring.com"),
    ("[AUTH] BasicAuth is HTTP basic", ("components", "securitySchemes", "BasicAuth", "scheme"), "basic"),
    ("[AUTH] OAuth2 authorize URL", (*OAUTH, "authorizationUrl"), "https://api.spacebring.com/oauth2/authorize"),
    ("[AUTH] OAuth2 token URL", (*OAUTH, "tokenUrl"), "https://api.spacebring.com/oauth2/token"),
    ("[SPEC] support scopes", (*OAUTH, "scopes"),
     {"support.readonly": "Read support tickets", "support": "Read and write support tickets"}),
    ("[SPEC] list: Basic or OAuth2 support.readonly/support", ("paths", TICKETS, "get", "security"), READ),
    ("[SPEC] get: Basic or OAuth2 support.readonly/support", ("paths", TICKET, "get", "security"), READ),
    ("[SPEC] create ticket: OAuth2 support only", ("paths", TICKETS, "post", "security"), OAUTH_WRITE_ONLY),
    ("[SPEC] create comment: OAuth2 support only", ("paths", COMMENT, "post", "security"), OAUTH_WRITE_ONLY),
    ("[SPEC] status: Basic or OAuth2 support", ("paths", STATUS, "put", "security"), WRITE),
    ("[SPEC] assignee: Basic or OAuth2 support", ("paths", ASSIGNEE, "put", "security"), WRITE),
    ("[SPEC] type: Basic or OAuth2 support", ("paths", TYPE, "patch", "security"), WRITE),
    ("[SPEC] delete comment: Basic or OAuth2 support", ("paths", COMMENT_ID, "delete", "security"), WRITE),
    ("[AUTH][SPEC] network header is optional",
     ("paths", TICKETS, "get", "parameters", "name=spacebring-network-id", "required"), False),
    ("[AUTH][SPEC] network header is a uuid",
     ("paths", TICKETS, "get", "parameters", "name=spacebring-network-id", "schema", "format"), "uuid"),
    # List parameters and pagination
    ("[SPEC][P-LIST] locationRef is required",
     ("paths", TICKETS, "get", "parameters", "name=locationRef", "required"), True),
    ("[SPEC] locationRef is a uuid",
     ("paths", TICKETS, "get", "parameters", "name=locationRef", "schema", "format"), "uuid"),
    ("[SPEC][PAGE] limit is int64", ("paths", TICKETS, "get", "parameters", "name=limit", "schema", "format"), "int64"),
    ("[SPEC][PAGE] limit minimum 1", ("paths", TICKETS, "get", "parameters", "name=limit", "schema", "minimum"), 1),
    ("[SPEC][PAGE] limit maximum 100", ("paths", TICKETS, "get", "parameters", "name=limit", "schema", "maximum"), 100),
    ("[SPEC][PAGE] limit default 25", ("paths", TICKETS, "get", "parameters", "name=limit", "schema", "default"), 25),
    ("[SPEC][PAGE] nextPageToken is a string",
     ("paths", TICKETS, "get", "parameters", "name=nextPageToken", "schema", "type"), "string"),
    ("[SPEC] order values", ("paths", TICKETS, "get", "parameters", "name=order", "schema", "enum"),
     ["createDate:asc", "createDate:desc", "updateDate:asc", "updateDate:desc"]),
    ("[SPEC] order default",
     ("paths", TICKETS, "get", "parameters", "name=order", "schema", "default"), "createDate:desc"),
    ("[SPEC] membershipRefRequester is optional",
     ("paths", TICKETS, "get", "parameters", "name=membershipRefRequester", "required"), False),
    ("[SPEC] userRefAssignee is optional",
     ("paths", TICKETS, "get", "parameters", "name=userRefAssignee", "required"), False),
    ("[SPEC] ticket path id is a uuid", ("paths", TICKET, "get", "parameters", "name=id", "schema", "format"), "uuid"),
    ("[SPEC] ticket path id is required", ("paths", STATUS, "put", "parameters", "name=id", "required"), True),
    # Success codes and media types
    ("[SPEC][P-CREATE] create ticket answers 201", ("paths", TICKETS, "post", "responses", "201", "description"),
     "Created"),
    ("[SPEC] create comment answers 201", ("paths", COMMENT, "post", "responses", "201", "description"), "Created"),
    ("[SPEC] type update answers 204", ("paths", TYPE, "patch", "responses", "204", "description"), "No Content"),
    ("[SPEC] delete comment answers 204", ("paths", COMMENT_ID, "delete", "responses", "204", "description"),
     "No Content"),
    ("[SPEC][S2] status update answers 200", ("paths", STATUS, "put", "responses", "200", "description"), "OK"),
    ("[SPEC] 400 body is responseError (message)",
     ("paths", STATUS, "put", "responses", "400", "content", JSON, "schema", "properties", "message", "type"),
     "string"),
    ("[SPEC] 400 body is responseError (type)",
     ("paths", TICKETS, "get", "responses", "400", "content", JSON, "schema", "properties", "type", "type"), "string"),
    ("[S2][MD-STATUS] status body is JSON and required", ("paths", STATUS, "put", "requestBody", "required"), True),
    # Request bodies
    ("[SPEC][S2] status body requires ticket", (*STATUS_BODY, "required"), ["ticket"]),
    ("[SPEC][S2] status body requires ticket.status", (*STATUS_BODY, "properties", "ticket", "required"), ["status"]),
    ("[SPEC][S2] status values", (*STATUS_BODY, "properties", "ticket", "properties", "status", "enum"), STATUSES),
    ("[SPEC][P-CREATE] create requires locationRef, text, type", (*CREATE_BODY, "required"),
     ["locationRef", "text", "type"]),
    ("[SPEC] create text minLength 1", (*CREATE_BODY, "properties", "text", "minLength"), 1),
    ("[SPEC] create type values", (*CREATE_BODY, "properties", "type", "enum"), TICKET_TYPES),
    ("[SPEC][P-CREATE] create userRefRequester is a uuid", (*CREATE_BODY, "properties", "userRefRequester", "format"),
     "uuid"),
    ("[SPEC] assignee userRefAssignee may be null",
     (*ASSIGNEE_BODY, "properties", "userRefAssignee", "nullable"), True),
    ("[SPEC] assignee membershipRefAssignee is deprecated",
     (*ASSIGNEE_BODY, "properties", "membershipRefAssignee", "deprecated"), True),
    ("[SPEC] assignee membershipRefAssignee may be null",
     (*ASSIGNEE_BODY, "properties", "membershipRefAssignee", "nullable"), True),
    ("[SPEC] type body requires ticket.type", (*TYPE_BODY, "required"), ["type"]),
    ("[SPEC] type body values", (*TYPE_BODY, "properties", "type", "enum"), TICKET_TYPES),
    ("[SPEC] comment requires ticketRef", (*COMMENT_BODY, "required"), ["ticketRef"]),
    ("[SPEC] comment text minLength 1", (*COMMENT_BODY, "properties", "text", "minLength"), 1),
    ("[SPEC] comment attachments maxItems 1", (*COMMENT_BODY, "properties", "attachments", "maxItems"), 1),
    ("[SPEC] comment attachment requires key", (*COMMENT_BODY, "properties", "attachments", "items", "required"),
     ["key"]),
    # The vendor's request bodies are open: no additionalProperties anywhere in them.
    ("[SPEC] create body is open", (*CREATE_BODY, "additionalProperties"), ABSENT),
    ("[SPEC] status body is open", (*STATUS_BODY, "properties", "ticket", "additionalProperties"), ABSENT),
    ("[SPEC] assignee body is open", (*ASSIGNEE_BODY, "additionalProperties"), ABSENT),
    ("[SPEC] type body is open", (*TYPE_BODY, "additionalProperties"), ABSENT),
    ("[SPEC] comment body is open", (*COMMENT_BODY, "additionalProperties"), ABSENT),
    # Ticket schema
    ("[SPEC] ticket is closed", (*TICKET_SCHEMA, "additionalProperties"), False),
    ("[SPEC] ticket required fields", (*TICKET_SCHEMA, "required"),
     ["createDate", "description", "id", "locationRef", "number", "status", "type", "updateDate"]),
    ("[SPEC][S2] ticket createDate is date-time", (*TICKET_SCHEMA, "properties", "createDate", "format"), "date-time"),
    ("[SPEC] ticket number is an integer", (*TICKET_SCHEMA, "properties", "number", "type"), "integer"),
    ("[SPEC] ticket number maximum", (*TICKET_SCHEMA, "properties", "number", "maximum"), 9007199254740991),
    ("[SPEC] ticket number minimum", (*TICKET_SCHEMA, "properties", "number", "minimum"), -9007199254740991),
    ("[SPEC][S2] ticket status values", (*TICKET_SCHEMA, "properties", "status", "enum"), STATUSES),
    ("[SPEC] ticket type values (seed lacks offensiveOrObjectionableContent)",
     (*TICKET_SCHEMA, "properties", "type", "enum"), TICKET_TYPES),
    ("[SPEC] ticket statusUpdateDate is date-time", (*TICKET_SCHEMA, "properties", "statusUpdateDate", "format"),
     "date-time"),
    ("[SPEC] ticket userAssignee is nullable", (*TICKET_SCHEMA, "properties", "userAssignee", "nullable"), True),
    ("[SPEC] ticket userRequester is nullable", (*TICKET_SCHEMA, "properties", "userRequester", "nullable"), True),
    ("[SPEC] ticket membershipRefAssignee is deprecated",
     (*TICKET_SCHEMA, "properties", "membershipRefAssignee", "deprecated"), True),
    ("[SPEC] ticket membershipAssignee is deprecated",
     (*TICKET_SCHEMA, "properties", "membershipAssignee", "deprecated"), True),
    ("[SPEC] user requires id and photoUrl", (*TICKET_SCHEMA, "properties", "userRequester", "required"),
     ["id", "photoUrl"]),
    ("[SPEC] user photoUrl is nullable",
     (*TICKET_SCHEMA, "properties", "userRequester", "properties", "photoUrl", "nullable"), True),
    ("[SPEC] user is closed", (*TICKET_SCHEMA, "properties", "userRequester", "additionalProperties"), False),
    ("[SPEC] membership user is closed",
     (*TICKET_SCHEMA, "properties", "membershipRequester", "properties", "user", "additionalProperties"), False),
    ("[SPEC] membership requires id, roleType, type", (*TICKET_SCHEMA, "properties", "membershipRequester", "required"),
     ["id", "roleType", "type"]),
    # Ticket activity schema
    ("[SPEC] activity is closed", (*ACTIVITY, "additionalProperties"), False),
    ("[SPEC] activity required fields", (*ACTIVITY, "required"), ["createDate", "id", "ticketRef", "type"]),
    ("[SPEC] activity types (seed had typeUpdated, not ticketCreated)", (*ACTIVITY, "properties", "type", "enum"),
     ["assigneeUpdated", "comment", "statusUpdated", "ticketCreated"]),
    ("[SPEC] attachment required fields", (*ACTIVITY, "properties", "data", "properties", "attachments", "items",
                                           "required"), ["key", "mime", "name", "size", "url"]),
    ("[SPEC][S2] previous status values",
     (*ACTIVITY, "properties", "data", "properties", "previousAttributes", "properties", "status", "enum"), STATUSES),
    ("[SPEC] lemAI requires name and photoUrl", (*ACTIVITY, "properties", "lemAI", "required"), ["name", "photoUrl"]),
]


@pytest.mark.parametrize(("fact", "keys", "expected"), FACTS, ids=[f[0] for f in FACTS])
def test_documented_fact(fact: str, keys: tuple[str | int, ...], expected: Any) -> None:
    if expected is ABSENT:
        with pytest.raises(KeyError):
            lookup(SPEC, *keys)
        return
    assert lookup(SPEC, *keys) == expected


USER_PROPERTIES = {"blocked", "email", "id", "name", "phoneNumber", "photoUrl", "surname"}


@pytest.mark.parametrize("keys", [
    (*TICKET_SCHEMA, "properties", "userRequester"),
    (*TICKET_SCHEMA, "properties", "userAssignee"),
    (*TICKET_SCHEMA, "properties", "membershipRequester", "properties", "user"),
    (*ACTIVITY, "properties", "membership", "properties", "user"),
], ids=["userRequester", "userAssignee", "membership user", "activity author"])
def test_user_objects_carry_exactly_the_vendors_properties(keys: tuple[str | int, ...]) -> None:
    """[SPEC] the vendor's user object: these seven properties, closed; the seed's `about` [S2] is gone."""
    user = lookup(SPEC, *keys)
    assert set(user["properties"]) == USER_PROPERTIES and user["additionalProperties"] is False


def test_request_bodies_are_open_at_every_level() -> None:
    """[SPEC] the vendor's request bodies declare no additionalProperties, at any depth."""
    def closed(node: Any, trail: str) -> list[str]:
        node = resolve_ref(SPEC, node)
        found = [trail] if isinstance(node, dict) and "additionalProperties" in node else []
        if isinstance(node, dict):
            for key, child in node.items():
                found += closed(child, f"{trail}/{key}") if key != "description" else []
        elif isinstance(node, list):
            for index, child in enumerate(node):
                found += closed(child, f"{trail}/{index}")
        return found

    for path, method, op in iter_operations(SPEC):
        if "requestBody" in op:
            assert closed(op["requestBody"], f"{method} {path}") == []


def test_documented_operations_exist_with_vendor_operation_ids() -> None:
    """[SPEC] the eight support operations, with the vendor's own operationIds."""
    found = {(method, path): op["operationId"] for path, method, op in iter_operations(SPEC)}
    assert found == {
        ("get", TICKETS): "getSupportTickets",
        ("post", TICKETS): "createSupportTicket",
        ("get", TICKET): "getSupportTicket",
        ("put", STATUS): "updateSupportTicketStatus",
        ("put", ASSIGNEE): "updateSupportTicketAssignee",
        ("patch", TYPE): "updateSupportTicketType",
        ("post", COMMENT): "createSupportTicketComment",
        ("delete", COMMENT_ID): "deleteSupportTicketComment",
    }


def test_success_codes_are_the_documented_ones() -> None:
    """[SPEC] 201 for the two creates, 204 for type update and comment delete, 200 otherwise."""
    success = {
        op["operationId"]: sorted(code for code in op["responses"] if code.startswith("2"))
        for _, _, op in iter_operations(SPEC)
    }
    assert success == {
        "getSupportTickets": ["200"],
        "createSupportTicket": ["201"],
        "getSupportTicket": ["200"],
        "updateSupportTicketStatus": ["200"],
        "updateSupportTicketAssignee": ["200"],
        "updateSupportTicketType": ["204"],
        "createSupportTicketComment": ["201"],
        "deleteSupportTicketComment": ["204"],
    }


def test_every_operation_takes_the_network_header_and_documents_400_and_429() -> None:
    """[SPEC][AUTH][RATE] network header on every support operation; 400 everywhere; 429 past 10 req/s."""
    for path, method, op in iter_operations(SPEC):
        names = {lookup(SPEC, "paths", path, method, "parameters", i, "name") for i in range(len(op["parameters"]))}
        assert "spacebring-network-id" in names, (method, path)
        assert {"400", "429"} <= set(op["responses"]), (method, path)
        assert lookup(SPEC, "paths", path, method, "responses", "400", "content", JSON, "schema", "type") == "object"


def test_response_keys_are_the_documented_ones() -> None:
    """[SPEC][PAGE][P-GET][S2] list, get/create and status/assignee answers carry the documented keys."""
    assert set(lookup(SPEC, *LIST_200, "properties")) == {"nextPageToken", "searchQueryNext", "tickets"}
    assert set(lookup(SPEC, *GET_200, "properties")) == {"activities", "ticket"}
    created = ("paths", TICKETS, "post", "responses", "201", "content", JSON, "schema", "properties")
    assert set(lookup(SPEC, *created)) == {"activities", "ticket"}
    for path in (STATUS, ASSIGNEE):
        updated = ("paths", path, "put", "responses", "200", "content", JSON, "schema", "properties")
        assert set(lookup(SPEC, *updated)) == {"activity", "ticket"}
    commented = ("paths", COMMENT, "post", "responses", "201", "content", JSON, "schema", "properties")
    assert set(lookup(SPEC, *commented)) == {"activity"}


def test_ticket_fields_are_the_documented_ones() -> None:
    """[SPEC][S2] the ticket's fields (the seed's plus statusUpdateDate and userRefAssignee)."""
    assert set(lookup(SPEC, *TICKET_SCHEMA, "properties")) == {
        "createDate", "description", "id", "locationRef", "membershipAssignee", "membershipRefAssignee",
        "membershipRefRequester", "membershipRequester", "number", "status", "statusUpdateDate", "type",
        "updateDate", "userAssignee", "userRefAssignee", "userRequester",
    }


def test_request_and_response_media_type_is_json() -> None:
    """[SPEC][S2] bodies travel as application/json."""
    for path, method, op in iter_operations(SPEC):
        if "requestBody" in op:
            assert list(lookup(SPEC, "paths", path, method, "requestBody", "content")) == [JSON], (method, path)
        for code in op["responses"]:
            content = lookup(SPEC, "paths", path, method, "responses", code).get("content")
            assert content is None or list(content) == [JSON], (method, path, code)
