"""Jifeline's event feed: what happened to tickets, as ULID-ordered events that integrators poll with after_id."""

from __future__ import annotations

from itertools import islice
from typing import Any

from mockserver.clock import iso
from mockserver.ids import CROCKFORD32
from mockserver.store import Order, Record, Store, public
from mockserver.vendors.base import Call, Reply, ok
from mockserver.vendors.jifeline.states import ticket_view

CREATED = "tickets.ticket.created"
UPDATED = "tickets.ticket.updated"
# The feed is read in id (ULID, so time) order, all of it or one type of event.
EVENT_ORDERS = {"by_id": Order(lambda e: e["id"]), "by_type": Order(lambda e: e["id"], group=lambda e: e["type"])}
# The event a transition of an in-progress ticket produces, by transition type.
TRANSITION_EVENTS = {"complete": "tickets.ticket.closed", "cancel": "tickets.ticket.cancelled",
                     "outsource": "tickets.ticket.outsourced"}


def successor(ulid: str) -> str:
    """The ULID right after `ulid` (the same time, the random part plus one)."""
    value = 0
    for char in ulid:
        value = value * 32 + CROCKFORD32.index(char)
    value += 1
    return "".join(CROCKFORD32[(value >> shift) & 31] for shift in range(125, -1, -5))


def next_event_id(call: Call) -> str:
    """A new ULID that sorts after every stored event, so pollers reading with after_id miss nothing.

    Within one millisecond (a frozen clock, a burst of changes) ULIDs are random, and a clock set
    before the fixtures' history would date new ids earlier: then the id after the newest one is used.
    """
    candidate = call.context.ids.ulid(call.context.now())
    last = next(call.store["events"].ordered("by_id", reverse=True), None)
    newest = "" if last is None else last["id"]
    return candidate if candidate > newest else successor(newest)


def emit(call: Call, kind: str, ticket: Record) -> Record:
    """Record that `ticket` (as stored after the change) went through `kind`, at the session's now."""
    event = {"id": next_event_id(call), "type": kind, "occurred_at": iso(call.context.now()),
             "payload": {"ticket": ticket_view(ticket)}}
    return call.store["events"].insert(event)


def vehicle_of(store: Store, ticket: dict[str, Any]) -> dict[str, Any] | None:
    """The vehicle on a ticket: its VIN with its model and make, when the model is known."""
    model = store["vehicle_models"].find(ticket.get("vehicle_model_id"))
    if model is None:
        return None
    make = store["vehicle_makes"].find(model["make_id"])
    vehicle: dict[str, Any] = {"vin": ticket.get("vin"), "model": public(model)}
    if make is not None:
        vehicle["make"] = public(make)
    return vehicle


def event_view(store: Store, event: Record) -> dict[str, Any]:
    """An event with its payload: the ticket as it was, and its customer and vehicle where known."""
    ticket = event["payload"]["ticket"]
    payload: dict[str, Any] = {"ticket": ticket}
    customer = store["customers"].find(ticket.get("customer_id"))
    if customer is not None:
        payload["customer"] = public(customer)
    vehicle = vehicle_of(store, ticket)
    if vehicle is not None:
        payload["vehicle"] = vehicle
    return {"id": event["id"], "type": event["type"], "occurred_at": event["occurred_at"], "payload": payload}


def list_events(call: Call) -> Reply:
    """GET /v2/system/events: the events after `after_id` (oldest first), optionally of one type.

    `after_id` in the answer is the last event returned, to send as the next request's `after_id`;
    when nothing new happened it repeats the one sent (null when none was sent), so a poller keeps
    its place. An `after_id` that names no stored event still works: ULIDs sort by time.
    """
    after, kind, limit = call.params.get("after_id"), call.params.get("type"), call.params["limit"]
    events = call.store["events"]
    # A page costs O(log n + limit): the walk starts right after `after_id` in id order (of one type).
    walk = events.ordered("by_id", after=after) if kind is None else events.ordered("by_type", group=kind, after=after)
    page = list(islice(walk, limit))
    return ok({"result": [event_view(call.store, e) for e in page], "after_id": page[-1]["id"] if page else after})
