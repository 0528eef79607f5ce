"""Jifeline's ticket operations: the per-state collections, the generic tickets resource, the operator update and
the transitions (which record their events)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mockserver.clock import iso, parse_iso
from mockserver.errors import Conflict, InvalidInput, NotFound, TransitionNotAllowed
from mockserver.pagination import offset_page
from mockserver.store import Record, public
from mockserver.vendors.base import Call, Handler, Reply, ok, see_other
from mockserver.vendors.jifeline import events
from mockserver.vendors.jifeline.states import PAST_TENSE, STATES, WORKFLOW, location, project, ticket_view

INT64_MAX = 2**63 - 1


# --- lists -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Filter:
    """A list filter: the query parameter, its applied value (echoed in `query`), and the test."""

    param: str
    applied: Callable[[Any], Any]
    keep: Callable[[Record, Any], bool]


def whole_number(value: float) -> int | float:
    """The ticket_number filter is a JSON number typed int64: echo 7179072, not 7179072.0."""
    if not math.isfinite(value):
        raise InvalidInput.of("ticket_number", f"{value!r} is not a number; send a ticket number such as 7179072")
    return int(value) if float(value).is_integer() else value


def moment(param: str) -> Callable[[str], str]:
    def applied(value: str) -> str:
        try:
            parse_iso(value)
        except ValueError:
            raise InvalidInput.of(param, f"{value!r} is not an RFC 3339 date-time; send e.g. "
                                         "2026-03-01T00:00:00Z") from None
        return value

    return applied


TICKET_NUMBER = Filter("ticket_number", whole_number, lambda t, n: t["ticket_number"] == n)
PREPARED_FILTERS = (
    Filter("created_after", moment("created_after"), lambda t, v: parse_iso(t["created_at"]) > parse_iso(v)),
    Filter("created_before", moment("created_before"), lambda t, v: parse_iso(t["created_at"]) < parse_iso(v)),
    Filter("customer_id", lambda v: v, lambda t, v: t["customer_id"] == v),
)


GENERIC_FILTERS = (
    TICKET_NUMBER,
    Filter("state", lambda v: v, lambda t, v: t["$state"] == v),
    Filter("customer_id", lambda v: v, lambda t, v: t["customer_id"] == v),
    Filter("externally_processed", bool, lambda t, v: bool(t.get("externally_processed", False)) is v),
)


def page(call: Call, rows: Sequence[Record], show: Callable[[Record], Any], query: Mapping[str, Any]) -> Reply:
    """The documented envelope: the applied parameters (defaults included), one page, the total."""
    limit, offset = call.params["limit"], call.params["offset"]
    if offset > INT64_MAX:  # the schema's int64 format, which parameter checking does not enforce
        raise InvalidInput.of("offset", f"{offset} is over the int64 maximum {INT64_MAX}; page with a smaller offset")
    result = [show(row) for row in offset_page(rows, limit=limit, offset=offset)]
    return ok({"query": {"limit": limit, "offset": offset, **query}, "result": result, "total": len(rows)})


def list_tickets(state: str | None, filters: Iterable[Filter] = ()) -> Handler:
    """GET /v2/tickets/<state>-tickets (one state's view) or, with no state, /v2/tickets/tickets (every
    ticket in the generic shape): by ticket_number, so arrivals go last."""
    filters = tuple(filters)
    show = project if state is not None else ticket_view

    def handler(call: Call) -> Reply:
        applied = {f.param: f.applied(call.params[f.param]) for f in filters if call.params.get(f.param) is not None}
        active = [f for f in filters if f.param in applied]

        def keep(ticket: Record) -> bool:
            return (state is None or ticket["$state"] == state) and all(f.keep(ticket, applied[f.param])
                                                                        for f in active)

        tickets = sorted(call.store["tickets"].where(keep), key=lambda t: (t["ticket_number"], t["id"]))
        return page(call, tickets, show, applied)

    return handler


def get_any_ticket(call: Call) -> Reply:
    """GET /v2/tickets/tickets/{ticket-id}: the ticket in whatever state it is in now."""
    return ok(ticket_view(call.store["tickets"].get(call.params["ticket-id"], resource="ticket")))


def ticket_in(call: Call, state: str) -> Record:
    """The ticket named by the path, if it is in `state`; else 404 saying where it is instead."""
    wanted = STATES[state]
    ticket_id = call.params[wanted.parameter]
    ticket = call.store["tickets"].find(ticket_id)
    if ticket is None:
        raise NotFound(wanted.resource, ticket_id)
    if ticket["$state"] != state:
        now = STATES[ticket["$state"]]
        raise NotFound(wanted.resource, ticket_id, hint=f"ticket {ticket['ticket_number']} is {now.label}; "
                                                        f"read it at {location(call.context.base_path, ticket)}")
    return ticket


def get_ticket(state: str) -> Handler:
    def handler(call: Call) -> Reply:
        return ok(project(ticket_in(call, state)))

    return handler


def list_cancel_reasons(call: Call) -> Reply:
    reasons = sorted(call.store["cancel_reasons"], key=lambda r: r["id"])
    return page(call, reasons, public, {})


def list_outsources(call: Call) -> Reply:
    # Provider ticket numbers come from one growing counter, so new outsources sort last.
    outsources = sorted(call.store["outsources"], key=lambda o: (o["ticket_number"], o["id"]))
    return page(call, outsources, public, {})


def get_outsource(call: Call) -> Reply:
    return ok(public(call.store["outsources"].get(call.params["outsource-id"], resource="outsource")))


# --- in-progress tickets -----------------------------------------------------------------------

def known(call: Call, collection: str, identifier: Any, field: str, what: str) -> Record:
    """A referenced record, or 400 naming the field, the value and the records that would do."""
    record = call.store[collection].find(identifier)
    if record is None:
        choices = ", ".join(f"{r['id']} ({r['name']})" for r in call.store[collection])
        raise InvalidInput.of(field, f"{identifier} is not {what}; use one of: {choices}")
    return record


def update_in_progress_ticket(call: Call) -> Reply:
    """PUT: assign the ticket to another operator; members the schema does not describe are ignored."""
    ticket = ticket_in(call, "in_progress")
    operator = known(call, "operators", call.body["operator_id"], "operator_id", "a known operator")
    updated = call.store["tickets"].update(ticket["id"], {"operator_id": operator["id"],
                                                          "updated_at": iso(call.context.now())})
    events.emit(call, events.UPDATED, updated)
    return ok(project(updated))


def transition_in_progress_ticket(call: Call) -> Reply:
    """PATCH: outsource, complete or cancel; 303 to the collection the ticket now lives in."""
    state = STATES["in_progress"]
    ticket_id = call.params[state.parameter]
    ticket = call.store["tickets"].find(ticket_id)
    if ticket is None:
        raise NotFound(state.resource, ticket_id)
    transition = call.body["transition"]
    action = transition["type"]
    try:
        target = WORKFLOW.next_state(ticket["$state"], action)
    except TransitionNotAllowed:
        current = STATES[ticket["$state"]]
        raise Conflict(f"ticket {ticket['ticket_number']} is {current.label}, not in progress, so it cannot be "
                       f"{PAST_TENSE[action]}; it now lives at {location(call.context.base_path, ticket)}. "
                       "Only in-progress tickets can be transitioned.") from None
    changes = TRANSITIONS[action](call, ticket, transition)  # validates everything, then writes
    moved = call.store["tickets"].update(ticket["id"], {**changes, "$state": target,
                                                        "updated_at": iso(call.context.now())})
    events.emit(call, events.TRANSITION_EVENTS[action], moved)
    return see_other(location(call.context.base_path, moved))


def outsource(call: Call, ticket: Record, transition: Mapping[str, Any]) -> dict[str, Any]:
    provider = known(call, "providers", transition["provider_id"], "transition.provider_id",
                     "a partnered provider")
    product_ids: list[str] = []
    for index, product_id in enumerate(transition["product_ids"]):
        field = f"transition.product_ids[{index}]"
        product = call.store["products"].find(product_id)
        if product is None or product["type"] != "base":
            bases = ", ".join(f"{p['id']} ({p['name']})" for p in call.store["products"] if p["type"] == "base")
            problem = "is not a product" if product is None else \
                f"is {product['name']!r}, a product of type {product['type']!r}"
            raise InvalidInput.of(field, f"{product_id} {problem}; only products of type 'base' can be "
                                         f"outsourced: {bases}")
        if product_id not in product_ids:
            product_ids.append(product_id)
    ids = call.context.ids
    call.store["outsources"].insert({
        "id": ids.uuid4(), "ticket_id": ticket["id"], "assigned_at": None, "cancel_reason_id": None,
        "created_at": iso(call.context.now()), "finished_at": None, "operator_channel_id": ids.uuid4(),
        "provider_id": provider["id"], "state": "pending",
        "ticket_number": call.store.next_number("outsource_ticket_number"),
        "$product_ids": product_ids,
        # Omitted means "the provider's outsource link settings apply": keep the omission visible.
        "$allow_customer_chat_write_access": transition.get("allow_customer_chat_write_access"),
        "$share_customer_information": transition.get("share_customer_information"),
    })
    # Reclaimable while the provider has not started on it (its outsource is still pending).
    return {"outsourced": True, "outsource_provider_id": provider["id"], "outsource_ticket_id": ids.uuid4(),
            "reclaimable": True}


def finish(call: Call, ticket: Record) -> dict[str, Any]:
    """What a ticket carries once service stops: the finish time and the detected battery voltage."""
    model = call.store["vehicle_models"].find(ticket["vehicle_model_id"])
    return {"finished_at": iso(call.context.now()),
            "externally_processed": ticket.get("externally_processed", False),
            "external_reference": ticket.get("external_reference", ""),
            "vehicle_battery_voltage": model["$battery_voltage"] if model else "12v"}


def complete(call: Call, ticket: Record, transition: Mapping[str, Any]) -> dict[str, Any]:
    return finish(call, ticket)


def cancel(call: Call, ticket: Record, transition: Mapping[str, Any]) -> dict[str, Any]:
    reason_id = transition["cancel_reason_id"]
    reason = call.store["cancel_reasons"].find(reason_id)
    if reason is None or not reason["manually_applicable"]:
        manual = ", ".join(f"{r['id']} ({r['name']})" for r in call.store["cancel_reasons"]
                           if r["manually_applicable"])
        problem = "is not a cancel reason" if reason is None else \
            f"({reason['name']!r}) is only applied by Jifeline itself, not manually"
        raise InvalidInput.of("transition.cancel_reason_id", f"{reason_id} {problem}; use one of: {manual}")
    return {**finish(call, ticket), "cancel_reason_id": reason_id}


TRANSITIONS: dict[str, Callable[[Call, Record, Mapping[str, Any]], dict[str, Any]]] = {
    "outsource": outsource,
    "complete": complete,
    "cancel": cancel,
}
