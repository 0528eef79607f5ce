"""Jifeline's ticket operations: the per-state collections, the generic tickets resource, the operator update and
the transitions (which record their events)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

from mockserver.clock import iso, parse_iso
from mockserver.errors import Conflict, InvalidInput, NotFound, TransitionNotAllowed
from mockserver.pagination import Candidates, offset_page, select
from mockserver.store import Collection, Order, Record, public
from mockserver.vendors.base import Call, Handler, Reply, ok, see_other
from mockserver.vendors.jifeline import events
from mockserver.vendors.jifeline.states import PAST_TENSE, STATES, WORKFLOW, location, project, ticket_view

INT64_MAX = 2**63 - 1


# --- lists -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Filter:
    """A list filter: the query parameter, its applied value (echoed in `query`), the test, and for an
    equality filter the index that gives its tickets in list order without looking at the others."""

    param: str
    applied: Callable[[Any], Any]
    keep: Callable[[Record, Any], bool]
    index: Callable[[Collection, Any], Candidates[Record]] | None = None

    def bound(self, value: Any) -> Callable[[Record], bool]:
        return lambda ticket: self.keep(ticket, value)


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


def grouped(order: str) -> Callable[[Collection, Any], Candidates[Record]]:
    """The tickets whose value is the filter's, through an Order grouped by that value (by ticket number)."""
    def index(tickets: Collection, value: Any) -> Candidates[Record]:
        return Candidates(tickets.count(order, group=value),
                          lambda start: tickets.ordered(order, group=value, start=start))

    return index


def numbered(tickets: Collection, number: Any) -> Candidates[Record]:
    """The ticket with that number, through the unique index (numbers are unique)."""
    ticket = tickets.find_by("ticket_number", number)
    found = [] if ticket is None else [ticket]
    return Candidates(len(found), lambda start: iter(found[start:]))


def processed(ticket: Record) -> bool:
    return bool(ticket.get("externally_processed", False))


TICKET_NUMBER = Filter("ticket_number", whole_number, lambda t, n: t["ticket_number"] == n, numbered)
CUSTOMER = Filter("customer_id", lambda v: v, lambda t, v: t["customer_id"] == v, grouped("by_customer"))
PREPARED_FILTERS = (
    Filter("created_after", moment("created_after"), lambda t, v: parse_iso(t["created_at"]) > parse_iso(v)),
    Filter("created_before", moment("created_before"), lambda t, v: parse_iso(t["created_at"]) < parse_iso(v)),
    CUSTOMER,
)


GENERIC_FILTERS = (
    TICKET_NUMBER,
    Filter("state", lambda v: v, lambda t, v: t["$state"] == v, grouped("by_state")),
    CUSTOMER,
    Filter("externally_processed", bool, lambda t, v: processed(t) is v, grouped("by_processed")),
)
# Every list shows tickets by number (ties, which unique numbers never have, by id); the per-state
# collections, the customer and the externally_processed filters page through an Order of their own.
TICKET_ORDERS = {
    "by_number": Order(lambda t: t["ticket_number"]),
    "by_state": Order(lambda t: t["ticket_number"], group=lambda t: t["$state"]),
    "by_customer": Order(lambda t: t["ticket_number"], group=lambda t: t.get("customer_id")),
    "by_processed": Order(lambda t: t["ticket_number"], group=processed),
}


def paging(call: Call) -> tuple[int, int]:
    limit, offset = call.params["limit"], call.params["offset"]
    if offset > INT64_MAX:  # the schema's int64 format, which parameter checking does not enforce
        raise InvalidInput.of("offset", f"{offset} is over the int64 maximum {INT64_MAX}; page with a smaller offset")
    return limit, offset


def envelope(limit: int, offset: int, query: Mapping[str, Any], result: list[Any], total: int) -> Reply:
    """The documented envelope: the applied parameters (defaults included), one page, the total."""
    return ok({"query": {"limit": limit, "offset": offset, **query}, "result": result, "total": total})


def page(call: Call, rows: Sequence[Record], show: Callable[[Record], Any], query: Mapping[str, Any]) -> Reply:
    """One page of an already sorted list (small reference collections)."""
    limit, offset = paging(call)
    return envelope(limit, offset, query, [show(row) for row in offset_page(rows, limit=limit, offset=offset)],
                    len(rows))


def list_tickets(state: str | None, filters: Iterable[Filter] = ()) -> Handler:
    """GET /v2/tickets/<state>-tickets (one state's view) or, with no state, /v2/tickets/tickets (every
    ticket in the generic shape): by ticket_number, so arrivals go last.

    The state's (or every ticket's) Order and each indexed filter's are candidate sets; select() walks
    the smallest, so one filter costs O(log n + page) with the total from a count. The date filters
    of prepared tickets are tested on the way."""
    filters = tuple(filters)
    show = project if state is not None else ticket_view

    def handler(call: Call) -> Reply:
        applied = {f.param: f.applied(call.params[f.param]) for f in filters if call.params.get(f.param) is not None}
        limit, offset = paging(call)
        tickets = call.store["tickets"]
        if state is None:
            sources = [Candidates(tickets.count("by_number"), lambda start: tickets.ordered("by_number", start=start))]
        else:
            sources = [Candidates(tickets.count("by_state", group=state),
                                  lambda start: tickets.ordered("by_state", group=state, start=start),
                                  test=lambda t: t["$state"] == state)]
        tests: list[Callable[[Record], bool]] = []
        for f in (f for f in filters if f.param in applied):
            value = applied[f.param]
            test = f.bound(value)
            if f.index is None:
                tests.append(test)
            else:
                sources.append(replace(f.index(tickets, value), test=test))
        rows, total = select(sources, offset=offset, size=limit,
                             keep=(lambda t: all(test(t) for test in tests)) if tests else None)
        return envelope(limit, offset, applied, [show(row) for row in rows], total)

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


OUTSOURCE_ORDERS = {"by_number": Order(lambda o: o["ticket_number"])}


def list_outsources(call: Call) -> Reply:
    # Provider ticket numbers come from one growing counter, so new outsources sort last.
    limit, offset = paging(call)
    outsources = call.store["outsources"]
    rows = [public(o) for o in islice(outsources.ordered("by_number", start=offset), limit)]
    return envelope(limit, offset, {}, rows, outsources.count("by_number"))


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
