"""Jifeline Partner API: remote vehicle-diagnostics tickets by lifecycle state, outsources and the token.

One `tickets` collection holds every ticket with its `$state`; each state's collection endpoint
shows the tickets in that state, projected to that state's schema, and the generic tickets resource
shows every ticket in one shape that carries its state (`states.py`): two views of one store. In-progress
tickets are reassigned (PUT) and transitioned (PATCH, answered with a 303 to the ticket's new
collection); each change is recorded in the event feed (`events.py`). Customers, vehicles and locales
are read-only reference data (`reference.py`). The rules the vendor does not document are the spec's
`x-provenance: inferred` notes.
"""

from __future__ import annotations

from typing import Any

from mockserver.fixtures import FixtureError
from mockserver.vendors.base import CollectionSpec, Context, Vendor
from mockserver.vendors.jifeline import handlers as h
from mockserver.vendors.jifeline import reference as r
from mockserver.vendors.jifeline.envelope import render_error
from mockserver.vendors.jifeline.events import EVENT_ORDERS, list_events
from mockserver.vendors.jifeline.oauth import create_access_token
from mockserver.vendors.jifeline.states import WORKFLOW, fixture_schema

UUID = {"type": "string", "format": "uuid"}
TEXT = {"type": "string", "minLength": 1}


def reference(*required: str, **properties: Any) -> dict[str, Any]:
    """An inline schema for reference data the API never returns whole."""
    return {"type": "object", "required": list(required), "properties": properties}


COLLECTIONS = (
    CollectionSpec("tickets", "id", fixture_schema(), unique=("ticket_number",), orders=h.TICKET_ORDERS),
    CollectionSpec("outsources", "id", {"allOf": [
        {"$ref": "#/components/schemas/Outsource"},
        {"required": ["id", "ticket_id", "assigned_at", "cancel_reason_id", "created_at", "finished_at",
                      "operator_channel_id", "provider_id", "state", "ticket_number"],
         "properties": {"$product_ids": {"type": "array", "items": UUID}}},
    ]}, orders=h.OUTSOURCE_ORDERS),
    CollectionSpec("cancel_reasons", "id", {"allOf": [
        {"$ref": "#/components/schemas/CancelReason"},
        {"required": ["id", "allows_ticket_reopening", "customer_fault", "manually_applicable", "name"]},
    ]}),
    CollectionSpec("customers", "id", "Customer"),
    CollectionSpec("customer_locations", "id", "CustomerLocation"),
    CollectionSpec("customer_employees", "id", "CustomerEmployee"),
    CollectionSpec("operators", "id", reference("id", "name", id=UUID, name=TEXT, email=TEXT)),
    CollectionSpec("providers", "id", reference("id", "name", id=UUID, name=TEXT,
                                                country={"type": "string", "pattern": "^[A-Z]{2}$"})),
    CollectionSpec("products", "id", reference("id", "name", "type", id=UUID, name=TEXT, product_number=TEXT,
                                               type={"type": "string", "enum": ["base", "other"]}),
                   unique=("product_number",)),
    CollectionSpec("vehicle_makes", "id", "VehicleMake"),
    # A model's battery system is what a finished ticket reports as its detected voltage.
    CollectionSpec("vehicle_models", "id", {"allOf": [
        {"$ref": "#/components/schemas/VehicleModel"},
        {"required": ["$battery_voltage"],
         "properties": {"$battery_voltage": {
             "$ref": "#/components/schemas/ClosedTicket/properties/vehicle_battery_voltage"}}}]}),
    CollectionSpec("locales", "code", "Locale"),
    CollectionSpec("events", "id", "Event", orders=EVENT_ORDERS),
    # Tokens issued by POST /oauth2/token, kept for the vendor's five-minute cache.
    CollectionSpec("access_tokens", "access_token", reference("access_token", "$client_id", "$issued_at")),
)

# (collection, field, referenced collection) that fixture records must resolve.
REFERENCES = (
    ("tickets", "customer_id", "customers"),
    ("tickets", "vehicle_model_id", "vehicle_models"),
    ("tickets", "operator_id", "operators"),
    ("tickets", "outsource_provider_id", "providers"),
    ("tickets", "cancel_reason_id", "cancel_reasons"),
    ("outsources", "ticket_id", "tickets"),
    ("outsources", "provider_id", "providers"),
    ("outsources", "cancel_reason_id", "cancel_reasons"),
    ("customers", "locale", "locales"),
    ("customer_locations", "customer_id", "customers"),
    ("customer_employees", "customer_id", "customers"),
    ("customer_employees", "location_id", "customer_locations"),
    ("customer_employees", "locale", "locales"),
    ("vehicle_models", "make_id", "vehicle_makes"),
)


def check_references(context: Context) -> None:
    """Refuse fixtures whose records point at nothing (the mock would answer with dangling ids)."""
    store = context.store
    for collection, field, target in REFERENCES:
        for record in store[collection]:
            value = record.get(field)
            if value is not None and value not in store[target]:
                raise FixtureError(f"jifeline fixtures: {collection} {record['id']}: {field} {value!r} is not in "
                                   f"{target}")
    for event in store["events"]:
        ticket = event["payload"]["ticket"]
        if ticket["id"] not in store["tickets"]:
            raise FixtureError(f"jifeline fixtures: events {event['id']}: the payload's ticket {ticket['id']!r} is not "
                               "in tickets")
    for outsource in store["outsources"]:
        for product_id in outsource.get("$product_ids", []):
            if product_id not in store["products"]:
                raise FixtureError(f"jifeline fixtures: outsources {outsource['id']}: product {product_id!r} is "
                                   "not in products")


def prepare(context: Context) -> None:
    check_references(context)
    numbers = [o["ticket_number"] for o in context.store["outsources"]]
    context.store.raise_counter("outsource_ticket_number", max(numbers, default=0))


VENDOR = Vendor(
    slug="jifeline",
    title="Jifeline Partner API",
    handlers={
        "createAccessToken": create_access_token,
        "listInProgressTickets": h.list_tickets("in_progress", [h.TICKET_NUMBER]),
        "getInProgressTicket": h.get_ticket("in_progress"),
        "updateInProgressTicket": h.update_in_progress_ticket,
        "transitionInProgressTicket": h.transition_in_progress_ticket,
        "listPendingTickets": h.list_tickets("pending"),
        "getPendingTicket": h.get_ticket("pending"),
        "listPreparedTickets": h.list_tickets("prepared", h.PREPARED_FILTERS),
        "getPreparedTicket": h.get_ticket("prepared"),
        "listOutsourcedTickets": h.list_tickets("outsourced", [h.TICKET_NUMBER]),
        "getOutsourcedTicket": h.get_ticket("outsourced"),
        "listClosedTickets": h.list_tickets("closed"),
        "getClosedTicket": h.get_ticket("closed"),
        "listCancelledTickets": h.list_tickets("cancelled"),
        "getCancelledTicket": h.get_ticket("cancelled"),
        "listTickets": h.list_tickets(None, h.GENERIC_FILTERS),
        "getTicket": h.get_any_ticket,
        "listCancelReasons": h.list_cancel_reasons,
        "listOutsources": h.list_outsources,
        "getOutsource": h.get_outsource,
        "listEvents": list_events,
        "listLocales": r.list_locales,
        "listCustomers": r.list_customers,
        "getCustomer": r.get_customer,
        "listCustomerLocations": r.list_customer_locations,
        "getCustomerLocation": r.get_customer_location,
        "listCustomerEmployees": r.list_customer_employees,
        "getCustomerEmployee": r.get_customer_employee,
        "getVehicleMake": r.get_vehicle_make,
        "getVehicleModel": r.get_vehicle_model,
    },
    collections=COLLECTIONS,
    render_error=render_error,
    workflow=WORKFLOW,
    prepare=prepare,
    curl_path="/v2/tickets/in-progress-tickets",
)
