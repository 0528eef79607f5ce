"""A tenant's service configuration: service types, service statuses (workflow steps), hourly rates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.errors import FieldError, InvalidInput
from mockserver.pagination import sort_key
from mockserver.store import Record, public
from mockserver.vendors.base import Call, Reply, created, ok
from mockserver.vendors.flowretail.common import (
    UID_CHARS,
    arrange,
    as_money,
    new_uid,
    owned,
    page,
    tenant_of,
    text_key,
)
from mockserver.vendors.flowretail.rules import DuplicateUid


def of_tenant(call: Call, collection: str) -> list[Record]:
    tenant_uid = tenant_of(call)["tenantUid"]
    return call.store[collection].where(lambda r: r["$tenantUid"] == tenant_uid)


def follow(call: Call, tenant_uid: str, uid_field: str, uid: str, changes: Mapping[str, Any]) -> None:
    """Copy a renamed type's or status's name (and a status's serviceState) into the orders that use it."""
    if not changes:
        return
    orders = call.store["serviceOrders"]
    for order in orders.where(lambda o: o["tenantUid"] == tenant_uid and o[uid_field] == uid):
        orders.update(order["serviceOrderUid"], changes)


# --- service types -----------------------------------------------------------------------------------

TYPE_KEYS = {"serviceTypeUid": lambda t: t["serviceTypeUid"], "name": lambda t: text_key(t["name"])}


def list_service_types(call: Call) -> Reply:
    return page(call, arrange(of_tenant(call, "serviceTypes"), call.param("sortBy"), call.param("sortDirection"),
                              TYPE_KEYS))


def update_service_type(call: Call) -> Reply:
    tenant_uid = tenant_of(call)["tenantUid"]
    kind = owned(call, "serviceTypes", call.params["serviceTypeUid"], tenant_uid, "service type")
    body: dict[str, Any] = call.body
    changes: dict[str, Any] = {name: body[name] for name in ("name", "description", "active") if name in body}
    changed = call.store["serviceTypes"].update(kind["serviceTypeUid"], changes)
    follow(call, tenant_uid, "serviceTypeUid", kind["serviceTypeUid"],
           {"serviceTypeName": changed["name"]} if "name" in changes else {})
    return ok(public(changed))


# --- service statuses --------------------------------------------------------------------------------

STATUS_KEYS = {
    "serviceStatusUid": lambda s: s["serviceStatusUid"],
    "name": lambda s: text_key(s["name"]),
    "position": lambda s: sort_key(s["position"]),
}


def list_service_statuses(call: Call) -> Reply:
    return page(call, arrange(of_tenant(call, "serviceStatuses"), call.param("sortBy"),
                              call.param("sortDirection"), STATUS_KEYS))


def create_service_status(call: Call) -> Reply:
    tenant_uid = tenant_of(call)["tenantUid"]
    body: dict[str, Any] = call.body
    status = {"serviceStatusUid": new_uid(call, "ss_"), "name": body["name"], "position": body["position"],
              "serviceState": body["serviceState"], "color": body.get("color"), "$tenantUid": tenant_uid}
    return created(public(call.store["serviceStatuses"].insert(status)))


def update_service_status(call: Call) -> Reply:
    tenant_uid = tenant_of(call)["tenantUid"]
    status = owned(call, "serviceStatuses", call.params["serviceStatusUid"], tenant_uid, "service status")
    body: dict[str, Any] = call.body
    changes: dict[str, Any] = {name: body[name] for name in ("name", "position", "serviceState", "color")
                               if name in body}
    changed = call.store["serviceStatuses"].update(status["serviceStatusUid"], changes)
    # A status carries its serviceState: the orders at this step follow it (and its name).
    follow(call, tenant_uid, "serviceStatusUid", status["serviceStatusUid"],
           {**({"serviceStatusName": changed["name"]} if "name" in changes else {}),
            **({"serviceState": changed["serviceState"]} if "serviceState" in changes else {})})
    return ok(public(changed))


# --- hourly rates --------------------------------------------------------------------------------------


def list_hourly_rates(call: Call) -> Reply:
    return page(call, of_tenant(call, "hourlyRates"))


def create_hourly_rate(call: Call) -> Reply:
    tenant_uid = tenant_of(call)["tenantUid"]
    body: dict[str, Any] = call.body
    rates = call.store["hourlyRates"]
    chosen = body.get("hourlyRateUid") or None  # "" fits the optional-uid pattern: the mock assigns one
    if chosen is not None:
        if not UID_CHARS.fullmatch(chosen):
            raise InvalidInput.of("hourlyRateUid", f"{chosen!r} cannot be a uid: use only letters, digits, '-' "
                                                    "and '_' (it goes into URLs), or leave it out")
        if chosen in rates:
            message = f"{chosen!r} is already the uid of another hourly rate; choose another or leave it out"
            raise DuplicateUid(f"hourlyRateUid: {message}", fields=[FieldError("hourlyRateUid", message)])
    rate = {"hourlyRateUid": chosen or new_uid(call, "hr_"), "name": body["name"], "rate": as_money(body["rate"]),
            "currency": body["currency"], "active": body.get("active", True), "$tenantUid": tenant_uid}
    return created(public(rates.insert(rate)))


def update_hourly_rate(call: Call) -> Reply:
    tenant_uid = tenant_of(call)["tenantUid"]
    rate = owned(call, "hourlyRates", call.params["hourlyRateUid"], tenant_uid, "hourly rate")
    body: dict[str, Any] = call.body
    changes: dict[str, Any] = {name: body[name] for name in ("name", "currency", "active") if name in body}
    if "rate" in body:
        changes["rate"] = as_money(body["rate"])
    # Hours already logged keep the rate they were saved with.
    return ok(public(call.store["hourlyRates"].update(rate["hourlyRateUid"], changes)))
