"""Bloxs Maintenance API (preview): service tickets of a Dutch property manager, their notes and options.

The handlers live in `handlers.py` and the ProblemDetails envelope in `envelope.py`; this module
declares the collections, derives the reference counter after fixtures load, and names the VENDOR.
What Bloxs does not document (identification errors, option checks, the filter envelope) follows
the spec's `x-provenance: inferred` notes.
"""

from __future__ import annotations

from typing import Any

from mockserver.fixtures import FixtureError
from mockserver.vendors.base import CollectionSpec, Context, Vendor
from mockserver.vendors.bloxs.envelope import render_error
from mockserver.vendors.bloxs.handlers import HANDLERS, TICKET_FIELDS, TICKET_ORDERS, WORKFLOW

NULLABLE_TEXT: dict[str, Any] = {"type": "string", "nullable": True}
NAMED = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 1}}}

COLLECTIONS = (
    CollectionSpec("tickets", "reference", {"allOf": [
        {"$ref": "#/components/schemas/ServiceTicket"},
        {"required": [*TICKET_FIELDS, "$closingDate"],
         "properties": {"reference": {"type": "string", "pattern": r"^[1-9][0-9]*$"},
                        "$closingDate": {"type": "string", "format": "date-time", "nullable": True}}},
    ]}, orders=TICKET_ORDERS),
    CollectionSpec("notes", "$note_id", {"allOf": [
        {"$ref": "#/components/schemas/ServiceTicketNote"},
        {"required": ["$note_id", "$ticket_reference", "$created_at", "message"],
         "properties": {"$note_id": {"type": "string", "format": "uuid"},
                        "$ticket_reference": {"type": "string"},
                        "$created_at": {"type": "string", "format": "date-time"}}},
    ]}),
    CollectionSpec("states", "name", {"allOf": [{"$ref": "#/components/schemas/ServiceTicketState"}, NAMED]}),
    CollectionSpec("cost_categories", "name",
                   {"allOf": [{"$ref": "#/components/schemas/ServiceTicketCostCategory"}, NAMED]}),
    CollectionSpec("problem_categories", "name",
                   {"allOf": [{"$ref": "#/components/schemas/ServiceTicketProblemCategory"}, NAMED]}),
    # Relations (see Bloxs's relations API): tenants, their contact persons and suppliers.
    CollectionSpec("relations", "reference", {
        "type": "object", "required": ["reference", "name", "type"],
        "properties": {"reference": {"type": "string", "pattern": r"^REL-[0-9]{6}$"},
                       "name": {"type": "string", "minLength": 1},
                       "type": {"type": "string", "enum": ["tenant", "contactPerson", "supplier"]},
                       "parentReference": NULLABLE_TEXT, "email": NULLABLE_TEXT, "phone": NULLABLE_TEXT,
                       "city": NULLABLE_TEXT},
    }),
    CollectionSpec("real_estate_objects", "reference", {
        "type": "object", "required": ["reference", "name", "address", "postalCode", "city"],
        "properties": {"reference": {"type": "string", "pattern": r"^OBJ-[0-9]{4}$"},
                       "name": {"type": "string", "minLength": 1}, "address": {"type": "string"},
                       "postalCode": {"type": "string"}, "city": {"type": "string"},
                       "tenantReference": NULLABLE_TEXT},
    }),
)


def prepare(context: Context) -> None:
    """Start the reference counter at the fixtures' highest; insist on a state that means Done."""
    store = context.store
    if not any(state.get("systemState") == 4 for state in store["states"]):
        raise FixtureError("bloxs: the states list has no state with systemState 4 (Done); the done operation "
                           "needs one (Bloxs ships 'Done')")
    references = [int(t["reference"]) for t in store["tickets"]]
    store.raise_counter("reference", max(references, default=100000))


VENDOR = Vendor(
    slug="bloxs",
    title="Bloxs",
    handlers=HANDLERS,
    collections=COLLECTIONS,
    render_error=render_error,
    workflow=WORKFLOW,
    prepare=prepare,
    curl_path="/api/v1/maintenance/servicetickets/states",
)
