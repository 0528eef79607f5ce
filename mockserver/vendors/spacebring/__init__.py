"""Spacebring support tickets: a location's tickets, their activities (status, assignee, comments) and errors.

Everything Spacebring-specific lives in this package: the collections and their checks here, the
lookups and wire views in `model`, the list with its keyset paging in `listing`, the other handlers in
`handlers`. What the vendor does not document (error statuses and types, transition rules) follows
the spec's `x-provenance: inferred` notes.
"""

from __future__ import annotations

from typing import Any

from mockserver.errors import Conflict, ErrorReport, TransitionNotAllowed
from mockserver.vendors.base import JSON, CollectionSpec, Context, Vendor
from mockserver.vendors.spacebring import oauth
from mockserver.vendors.spacebring.handlers import (
    WORKFLOW,
    create_support_ticket,
    create_support_ticket_comment,
    delete_support_ticket_comment,
    get_support_ticket,
    update_support_ticket_assignee,
    update_support_ticket_status,
    update_support_ticket_type,
)
from mockserver.vendors.spacebring.listing import TICKET_ORDERS, get_support_tickets
from mockserver.vendors.spacebring.model import check_references, number_counter

UUID = {"type": "string", "format": "uuid"}
ACTIVITY = "#/components/schemas/ticketActivity/properties"
COLLECTIONS = (
    # The first collection is the API's main one (the core's fixture checks count its records).
    # Tickets are stored as the wire ticket without the embedded users, which are derived from the refs.
    CollectionSpec("tickets", "id", {"allOf": [
        {"$ref": "#/components/schemas/ticket"},
        {"required": ["membershipRefRequester"],
         "not": {"anyOf": [{"required": ["userRequester"]}, {"required": ["userAssignee"]},
                           {"required": ["membershipRequester"]}, {"required": ["membershipAssignee"]}]}},
    ]}, orders=TICKET_ORDERS),
    # Activities keep their author as `$membershipRef`; `membership` and the assignee users are derived.
    CollectionSpec("activities", "id", {
        "type": "object", "required": ["id", "ticketRef", "type", "createDate"], "additionalProperties": False,
        "properties": {"id": {"$ref": f"{ACTIVITY}/id"}, "ticketRef": {"$ref": f"{ACTIVITY}/ticketRef"},
                       "type": {"$ref": f"{ACTIVITY}/type"}, "createDate": {"$ref": f"{ACTIVITY}/createDate"},
                       "data": {"$ref": f"{ACTIVITY}/data"}, "lemAI": {"$ref": f"{ACTIVITY}/lemAI"},
                       "$membershipRef": UUID}}, groups=("ticketRef",)),
    CollectionSpec("networks", "id", {"type": "object", "required": ["id", "name"], "additionalProperties": False,
                                      "properties": {"id": UUID, "name": {"type": "string"}}}),
    CollectionSpec("locations", "id", {
        "type": "object", "required": ["id", "networkRef", "name"], "additionalProperties": False,
        "properties": {"id": UUID, "networkRef": UUID, "name": {"type": "string"}, "address": {"type": "string"},
                       "timeZone": {"type": "string"}}}),
    CollectionSpec("users", "id", {"allOf": [{"$ref": "#/components/schemas/user"},
                                             {"required": ["name", "surname"]}]}),
    CollectionSpec("memberships", "id", {
        "type": "object", "required": ["id", "locationRef", "userRef", "roleType", "type"],
        "additionalProperties": False,
        "properties": {"id": UUID, "locationRef": UUID, "userRef": UUID,
                       "roleType": {"type": "string", "enum": ["admin", "member"]}, "type": {"type": "string"}}}),
)

# The spec lists these `type` values for its error statuses; the others cover the core's extra answers.
ERROR_TYPES = {400: "invalidRequest", 401: "unauthorized", 404: "notFound", 405: "methodNotAllowed",
               409: "conflict", 413: "payloadTooLarge", 415: "unsupportedMediaType", 429: "tooManyRequests",
               500: "internalError", 503: "serviceUnavailable"}


def camel(code: str) -> str:
    head, *rest = code.split("_")
    return head + "".join(part.title() for part in rest)


def render_error(report: ErrorReport) -> tuple[dict[str, Any], str]:
    if report.operation_id in oauth.HANDLERS:  # the mock-only OAuth2 endpoints answer as RFC 6749 says
        code = oauth.oauth_error_code(report.status, report.code, [f.field for f in report.fields])
        return {"error": code, "error_description": report.detail}, JSON
    return {"message": report.detail, "type": ERROR_TYPES.get(report.status) or camel(report.code)}, JSON


def prepare(context: Context) -> None:
    store = context.store
    check_references(store)
    for ticket in store["tickets"]:
        store.raise_counter(number_counter(ticket["locationRef"]), ticket["number"])


AMSTERDAM_NOORD = "67b3f389-2f02-4083-a642-3dcea78018ce"

VENDOR = Vendor(
    slug="spacebring",
    title="Spacebring",
    handlers={
        "getSupportTickets": get_support_tickets,
        "createSupportTicket": create_support_ticket,
        "getSupportTicket": get_support_ticket,
        "updateSupportTicketStatus": update_support_ticket_status,
        "updateSupportTicketAssignee": update_support_ticket_assignee,
        "updateSupportTicketType": update_support_ticket_type,
        "createSupportTicketComment": create_support_ticket_comment,
        "deleteSupportTicketComment": delete_support_ticket_comment,
    },
    collections=COLLECTIONS,
    render_error=render_error,
    # Spacebring documents 400 as its only error for these operations; a refused state change is one.
    status_codes={Conflict: 400, TransitionNotAllowed: 400},
    workflow=WORKFLOW,
    prepare=prepare,
    curl_path=f"/support/tickets/v1?locationRef={AMSTERDAM_NOORD}",
    mock_only_file=oauth.OAUTH_FILE,
    mock_only_handlers=oauth.HANDLERS,
)
