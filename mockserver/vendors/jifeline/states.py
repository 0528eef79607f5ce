"""Jifeline's ticket states: the collection each lives in, the fields it shows, the moves between them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockserver.store import Record
from mockserver.workflow import Workflow

COMMON = ("id", "created_at", "customer_id", "ticket_number", "vehicle_model_id", "vin")
FINISHED = (*COMMON, "finished_at", "externally_processed", "external_reference", "operator_id",
            "vehicle_battery_voltage", "connection_id")


@dataclass(frozen=True, slots=True)
class State:
    """One ticket state: its URL segment, its words, its schema and exactly the fields that schema lists."""

    name: str
    segment: str  # /v2/tickets/<segment>/{id}
    label: str  # "in progress", for messages
    schema: str  # component in the spec
    fields: tuple[str, ...]
    optional: tuple[str, ...] = ()  # fields a fixture record may leave out

    @property
    def parameter(self) -> str:
        """The path parameter naming a ticket of this state, e.g. `in-progress-ticket-id`."""
        return f"{self.segment[:-1]}-id"

    @property
    def resource(self) -> str:
        """What a 404 calls it: "in-progress ticket", "closed ticket"."""
        return f"{self.label.replace(' ', '-')} ticket"


STATES: dict[str, State] = {state.name: state for state in (
    State("prepared", "prepared-tickets", "prepared", "PreparedTicket",
          (*COMMON, "voucher_code", "preparer_external_reference")),
    State("pending", "pending-tickets", "pending", "PendingTicket", (*COMMON, "connection_id")),
    State("in_progress", "in-progress-tickets", "in progress", "InProgressTicket",
          (*COMMON, "service_started_at", "operator_id", "voucher_code", "outsourced", "connection_id")),
    State("outsourced", "outsourced-tickets", "outsourced", "OutsourcedTicket",
          (*COMMON, "outsource_provider_id", "outsource_ticket_id", "reclaimable", "voucher_code", "connection_id")),
    State("closed", "closed-tickets", "closed", "ClosedTicket", FINISHED),
    # An automatically cancelled ticket never had a session, so no battery voltage was detected.
    State("cancelled", "cancelled-tickets", "cancelled", "CancelledTicket", (*FINISHED, "cancel_reason_id"),
          optional=("vehicle_battery_voltage",)),
)}

# Only an in-progress ticket can be transitioned (the PATCH lives on the in-progress collection);
# the other moves (a customer picking up a prepared ticket, an operator joining a pending one,
# reclaiming an outsourced one) have no operation in the Partner API.
WORKFLOW = Workflow.from_rules("ticket", {
    "outsource": (("in_progress",), "outsourced"),
    "complete": (("in_progress",), "closed"),
    "cancel": (("in_progress",), "cancelled"),
})
PAST_TENSE = {"outsource": "outsourced", "complete": "completed", "cancel": "cancelled"}


# The generic Ticket schema (the Tickets tag): one shape for every state, which carries the state.
TICKET_FIELDS = ("id", "assigned_at", "cancel_reason_id", "connection_id", "created_at", "customer_channel_id",
                 "customer_connector_id", "customer_id", "customer_reference", "external_reference",
                 "externally_processed", "finished_at", "operator_channel_id", "operator_id", "operator_reference",
                 "state", "ticket_number", "updated_at", "vehicle_model_id", "vin")
# What the generic view shows for a field a ticket does not carry (yet): references are empty strings.
TICKET_DEFAULTS: dict[str, Any] = {"customer_reference": "", "external_reference": "", "externally_processed": False,
                                   "operator_reference": ""}
FINISHED_STATES = ("closed", "cancelled")


def ticket_view(ticket: Record) -> dict[str, Any]:
    """The ticket as the generic tickets resource shows it, whatever its state.

    `finished_at` is only set for closed and cancelled tickets, `cancel_reason_id` only for cancelled
    ones, as the Tickets page says; `updated_at` falls back to the creation time.
    """
    state = ticket["$state"]
    view: dict[str, Any] = {}
    for field in TICKET_FIELDS:
        if field == "state":
            view[field] = state
        elif field == "updated_at":
            view[field] = ticket.get("updated_at") or ticket["created_at"]
        else:
            view[field] = ticket.get(field, TICKET_DEFAULTS.get(field))
    if state not in FINISHED_STATES:
        view["finished_at"] = None
    if state != "cancelled":
        view["cancel_reason_id"] = None
    return view


def project(ticket: Record) -> dict[str, Any]:
    """The ticket as its state's collection shows it: exactly the fields that state's schema lists."""
    return {field: ticket[field] for field in STATES[ticket["$state"]].fields if field in ticket}


def location(base_path: str, ticket: Record) -> str:
    """Where the ticket lives now, under the mock's prefix (the vendor writes `/v2/tickets/...`)."""
    return f"{base_path}/v2/tickets/{STATES[ticket['$state']].segment}/{ticket['id']}"


def fixture_schema() -> dict[str, Any]:
    """The schema a stored ticket satisfies: its state's wire schema plus the fields that state shows.

    The first part checks each field against its loosest definition in any state, or in the generic
    Ticket schema for the fields only that one shows (so a fixture error names the field); the `oneOf`
    then picks the state's own schema by `$state`.
    """
    union: dict[str, Any] = {}
    # Prepared first (its vin is nullable), then cancelled (its operator_id is nullable).
    for name in ("prepared", "cancelled", "in_progress", "pending", "outsourced", "closed"):
        state = STATES[name]
        for field in state.fields:
            union.setdefault(field, {"$ref": f"#/components/schemas/{state.schema}/properties/{field}"})
    for field in TICKET_FIELDS:
        if field != "state":
            union.setdefault(field, {"$ref": f"#/components/schemas/Ticket/properties/{field}"})
    union["$state"] = {"type": "string", "enum": list(STATES)}
    branches = [
        {"allOf": [{"$ref": f"#/components/schemas/{state.schema}"},
                   {"required": [f for f in state.fields if f not in state.optional],
                    "properties": {"$state": {"enum": [state.name]}}}]}
        for state in STATES.values()
    ]
    return {"allOf": [{"type": "object", "required": ["id", "$state", "ticket_number"], "properties": union},
                      {"oneOf": branches}]}
