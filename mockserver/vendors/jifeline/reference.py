"""The reference data tickets point at: customers with their locations and employees, vehicles, locales."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockserver.store import Record, public
from mockserver.vendors.base import Call, Handler, Reply, ok
from mockserver.vendors.jifeline.handlers import page


def get_record(collection: str, parameter: str, resource: str) -> Handler:
    """GET by id: the record without the mock's bookkeeping, or a 404 naming what was not found."""
    def handler(call: Call) -> Reply:
        return ok(public(call.store[collection].get(call.params[parameter], resource=resource)))

    return handler


def list_records(collection: str, order: Callable[[Record], Any], *, by_customer: bool = False) -> Handler:
    """GET a collection in the documented list envelope; `customer_id` filters when `by_customer`."""
    def handler(call: Call) -> Reply:
        customer = call.params.get("customer_id") if by_customer else None
        rows = sorted(call.store[collection].where(lambda r: customer is None or r["customer_id"] == customer),
                      key=order)
        return page(call, rows, public, {"customer_id": customer} if customer is not None else {})

    return handler


list_customers = list_records("customers", lambda c: (c["company_name"], c["id"]))
get_customer = get_record("customers", "customer-id", "customer")
list_customer_locations = list_records("customer_locations", lambda loc: (loc["name"], loc["id"]), by_customer=True)
get_customer_location = get_record("customer_locations", "location-id", "customer location")
list_customer_employees = list_records("customer_employees", lambda e: (e["last_name"], e["first_name"], e["id"]),
                                       by_customer=True)
get_customer_employee = get_record("customer_employees", "employee-id", "customer employee")
get_vehicle_make = get_record("vehicle_makes", "make-id", "vehicle make")
get_vehicle_model = get_record("vehicle_models", "model-id", "vehicle model")
list_locales = list_records("locales", lambda locale: locale["code"])
