"""Service orders: list, search, read (also by public page hash), create, update and delete."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mockserver.errors import InvalidInput, NotFound
from mockserver.pagination import sort_key
from mockserver.store import Record, public
from mockserver.vendors.base import Call, Reply, created, no_content, ok
from mockserver.vendors.flowretail.common import (
    api_user,
    arrange,
    instant,
    new_page_hash,
    new_uid,
    now_iso,
    number,
    order_of,
    page,
    referenced,
    store_of,
    text_key,
    total,
)
from mockserver.vendors.flowretail.rules import guard

PRIORITIES = ("NONE", "LOW", "MEDIUM", "HIGH", "URGENT")

def by_time(field: str) -> Callable[[Record], Any]:
    return lambda order: (sort_key(order[field]), order["serviceOrderUid"])


# Sort keys per sortBy value; every one ends with the uid so that ties keep one order.
ORDER_KEYS: dict[str, Callable[[Record], Any]] = {
    "serviceOrderUid": lambda o: o["serviceOrderUid"],
    "serviceNumber": lambda o: (number_key(o["serviceNumber"]), o["serviceOrderUid"]),
    "title": lambda o: (text_key(o["title"]), o["serviceOrderUid"]),
    "priority": lambda o: (PRIORITIES.index(o["priority"]), o["serviceOrderUid"]),
    **{field: by_time(field) for field in ("createdAt", "lastModifiedAt", "readyAtEstimate", "readyAtNeeded")},
}

# List and search filters: request field -> order field; an empty list filters nothing.
ARRAY_FILTERS = {"serviceStates": "serviceState", "serviceTypeUids": "serviceTypeUid",
                 "assignedUserUids": "assignedUserUid", "createdFromStoreUids": "createdFromStoreUid",
                 "priorities": "priority"}


def number_key(text: str) -> tuple[int, Any]:
    return (0, int(text)) if text.isdigit() else (1, text)


def totals_of(call: Call, order_uid: str, items: list[Record]) -> dict[str, float | int]:
    """partsTotal = Σ items' totalPrice, workTotal = Σ hours' amount, grandTotal = parts + work."""
    parts = total(item["totalPrice"] for item in items)
    work = total(h["amount"] for h in call.store["hours"].group("serviceOrderUid", order_uid))
    return {"grandTotal": number(parts + work), "partsTotal": number(parts), "workTotal": number(work)}


def store_orders(call: Call) -> list[Record]:
    store = store_of(call)
    return call.store["serviceOrders"].where(
        lambda o: o["storeUid"] == store["storeUid"] and o["tenantUid"] == store["$tenantUid"])


def filtered(orders: list[Record], filters: Mapping[str, Any]) -> list[Record]:
    for name, field in ARRAY_FILTERS.items():
        wanted = filters.get(name)
        if wanted:
            orders = [o for o in orders if o[field] in wanted]
    return orders


def sorted_page(call: Call, orders: list[Record]) -> Reply:
    return page(call, arrange(orders, call.param("sortBy", "serviceOrderUid"), call.param("sortDirection"),
                              ORDER_KEYS))


def list_service_orders(call: Call) -> Reply:
    return sorted_page(call, filtered(store_orders(call), call.params))


def contains(term: str, *texts: str | None) -> bool:
    """Case-insensitive, partial: 'anna' is in 'Anna' and in 'Johanna'."""
    needle = term.strip().casefold()
    return any(text is not None and needle in text.casefold() for text in texts)


def customer_texts(call: Call, order: Record) -> tuple[str | None, ...]:
    customer = call.store["customers"].find(order["customerUid"])
    if customer is None:
        return ()
    phone = customer.get("phone")
    return customer["name"], customer.get("email"), phone, phone.replace(" ", "") if phone else None


def search_service_orders(call: Call) -> Reply:
    criteria: dict[str, Any] = call.body or {}
    orders = filtered(store_orders(call), criteria)
    query = criteria.get("query")
    if query is not None and query.strip():
        # One field for all three; the separate customer, serviceNumber and title fields are ignored.
        orders = [o for o in orders
                  if contains(query, *customer_texts(call, o), o["serviceNumber"], o["title"])]
    else:
        for field, texts in (("customer", lambda o: customer_texts(call, o)),
                             ("serviceNumber", lambda o: (o["serviceNumber"],)),
                             ("title", lambda o: (o["title"],))):
            term = criteria.get(field)
            if term is not None and term.strip():
                orders = [o for o in orders if contains(term, *texts(o))]
    if criteria.get("createdFrom"):
        orders = [o for o in orders if o["createdAt"][:10] >= criteria["createdFrom"]]
    if criteria.get("createdTo"):
        orders = [o for o in orders if o["createdAt"][:10] <= criteria["createdTo"]]
    return sorted_page(call, orders)


def get_service_order(call: Call) -> Reply:
    return ok(public(order_of(call)))


def get_service_order_by_public_page_hash(call: Call) -> Reply:
    store = store_of(call)
    digest = call.params["publicPageHash"]
    order = call.store["serviceOrders"].find_by("publicPageHash", digest)
    if order is None or order["storeUid"] != store["storeUid"] or order["tenantUid"] != store["$tenantUid"]:
        raise NotFound("public page", digest, hint=f"no service order of store {store['storeUid']} has that hash")
    return ok(public(order))


def references(call: Call, tenant_uid: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """The wire fields that follow from the uids in a create or update body (400 for unknown ones)."""
    fields: dict[str, Any] = {}
    if "serviceTypeUid" in body:
        kind = referenced(call, "serviceTypes", body["serviceTypeUid"], tenant_uid, "service type", "serviceTypeUid")
        fields |= {"serviceTypeUid": kind["serviceTypeUid"], "serviceTypeName": kind["name"]}
    if "customerUid" in body:
        customer = referenced(call, "customers", body["customerUid"], tenant_uid, "customer", "customerUid")
        fields["customerUid"] = customer["customerUid"]
    if "serviceStatusUid" in body:
        status = referenced(call, "serviceStatuses", body["serviceStatusUid"], tenant_uid, "service status",
                            "serviceStatusUid")
        fields |= {"serviceStatusUid": status["serviceStatusUid"], "serviceStatusName": status["name"],
                   "serviceState": status["serviceState"]}
    if "assignedUserUid" in body:
        if body["assignedUserUid"] == "":  # the optional-uid pattern allows it: nobody is assigned
            fields |= {"assignedUserUid": None, "assignedUserDisplayName": None}
        else:
            user = referenced(call, "users", body["assignedUserUid"], tenant_uid, "user", "assignedUserUid")
            fields |= {"assignedUserUid": user["tenantUserUid"], "assignedUserDisplayName": user["displayName"]}
    return fields


# The response schema's field order, so that a created order reads like the ones the API lists.
WIRE_ORDER = ("serviceOrderUid", "tenantUid", "storeUid", "orderProductLineUid", "orderUid", "customerUid",
              "createdFromStoreUid", "assignedUserUid", "assignedUserDisplayName", "serviceTypeUid", "serviceTypeName",
              "serviceStatusUid", "serviceStatusName", "serviceState", "title", "serviceNumber",
              "externalServiceNumber", "description", "locationLabel", "priority", "requiresPriceEstimate",
              "estimatedPrice", "maxPrice", "readyAtEstimate", "readyAtNeeded", "publicPageHash", "warranty",
              "rmaOrderItemUid", "rmaOrderUid", "createdAt", "createdBy", "lastModifiedAt", "lastModifiedBy", "totals",
              "items", "assets")
PLAIN_FIELDS = ("title", "description", "priority", "locationLabel", "requiresPriceEstimate", "estimatedPrice",
                "maxPrice", "warranty", "externalServiceNumber")


def first_status(call: Call, tenant_uid: str) -> Record:
    """The status a new order starts in: the one with the lowest position (the first step)."""
    statuses = call.store["serviceStatuses"].where(lambda s: s["$tenantUid"] == tenant_uid)
    if not statuses:
        raise InvalidInput.of("serviceStatusUid", f"tenant {tenant_uid} has no service statuses yet; create "
                                                  "one with POST /tenants/{tenantUid}/servicestatuses first")
    return min(statuses, key=lambda s: s["position"])


def create_service_order(call: Call) -> Reply:
    store = store_of(call)
    tenant_uid = store["$tenantUid"]
    body: dict[str, Any] = call.body
    fields = references(call, tenant_uid, body)
    if "serviceStatusUid" not in body:
        status = first_status(call, tenant_uid)
        fields |= {"serviceStatusUid": status["serviceStatusUid"], "serviceStatusName": status["name"],
                   "serviceState": status["serviceState"]}
    # Every check is done: from here on the request writes.
    now, author = now_iso(call), api_user(call, tenant_uid)["tenantUserUid"]
    order_uid = new_uid(call, "so_")
    draft: Record = {
        "serviceOrderUid": order_uid, "tenantUid": tenant_uid, "storeUid": store["storeUid"],
        "orderProductLineUid": new_uid(call, "ol_"), "orderUid": new_uid(call, "or_"),
        "createdFromStoreUid": store["storeUid"], "assignedUserUid": None, "assignedUserDisplayName": None,
        "serviceNumber": str(call.store.next_number(f"serviceNumber:{tenant_uid}")),
        "externalServiceNumber": None, "description": None, "locationLabel": None, "priority": "NONE",
        "requiresPriceEstimate": False, "estimatedPrice": None, "maxPrice": None, "readyAtEstimate": None,
        "readyAtNeeded": None, "publicPageHash": new_page_hash(call), "warranty": False,
        "rmaOrderItemUid": None, "rmaOrderUid": None, "createdAt": now, "createdBy": author,
        "lastModifiedAt": now, "lastModifiedBy": author,
        "totals": {"grandTotal": 0.0, "partsTotal": 0.0, "workTotal": 0.0}, "items": [], "assets": [],
        **fields,
        **{name: body[name] for name in PLAIN_FIELDS if name in body},
    }
    if "readyAtNeeded" in body:
        draft["readyAtNeeded"] = instant(body["readyAtNeeded"])
    order = call.store["serviceOrders"].insert({name: draft[name] for name in WIRE_ORDER})
    return created(public(order))


def update_service_order(call: Call) -> Reply:
    order = order_of(call)
    guard(order, "update")
    body: dict[str, Any] = call.body
    changes = references(call, order["tenantUid"], body)
    changes |= {name: body[name] for name in PLAIN_FIELDS if name in body}
    if "readyAtNeeded" in body:
        changes["readyAtNeeded"] = instant(body["readyAtNeeded"])
    changes |= {"lastModifiedAt": now_iso(call), "lastModifiedBy": api_user(call, order["tenantUid"])["tenantUserUid"]}
    return ok(public(call.store["serviceOrders"].update(order["serviceOrderUid"], changes)))


def delete_service_order(call: Call) -> Reply:
    order = order_of(call)
    guard(order, "delete")
    uid = order["serviceOrderUid"]
    call.store["serviceOrders"].delete(uid)
    for name, field in (("events", "serviceOrderUid"), ("hours", "serviceOrderUid"),
                        ("notifications", "$serviceOrderUid"), ("salesOrders", "serviceOrderUid")):
        collection = call.store[name]
        for record in collection.where(lambda r: r[field] == uid):  # noqa: B023 (evaluated at once)
            collection.delete(record[collection.key])
    return no_content()


def touch(call: Call, order: Record, changes: Mapping[str, Any]) -> Record:
    """Store changes to an order made through its items, hours or sales orders, stamping the change."""
    stamp = {"lastModifiedAt": now_iso(call), "lastModifiedBy": api_user(call, order["tenantUid"])["tenantUserUid"]}
    return call.store["serviceOrders"].update(order["serviceOrderUid"], {**changes, **stamp})
