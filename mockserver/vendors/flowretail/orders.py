"""Service orders: list, search, read (also by public page hash), create, update and delete."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Mapping
from itertools import chain, islice
from typing import Any

from mockserver.errors import InvalidInput, NotFound
from mockserver.pagination import Candidates, select, sort_key
from mockserver.store import Order, Record, public
from mockserver.vendors.base import Call, Reply, created, no_content, ok
from mockserver.vendors.flowretail.common import (
    api_user,
    instant,
    new_page_hash,
    new_uid,
    now_iso,
    number,
    order_of,
    referenced,
    store_of,
    text_key,
    total,
)
from mockserver.vendors.flowretail.rules import guard

PRIORITIES = ("NONE", "LOW", "MEDIUM", "HIGH", "URGENT")


def number_key(text: Any) -> tuple[int, Any]:
    return (0, int(text)) if isinstance(text, str) and text.isascii() and text.isdigit() else (1, str(text))


def priority_key(priority: Any) -> int:
    return PRIORITIES.index(priority) if priority in PRIORITIES else len(PRIORITIES)


def by_time(field: str) -> Callable[[Record], Any]:
    return lambda order: sort_key(order.get(field))


# Sort keys per sortBy value; the uid breaks ties (the store's Orders end every position with it too).
SORT_KEYS: dict[str, Callable[[Record], Any]] = {
    "serviceOrderUid": lambda o: o["serviceOrderUid"],
    "serviceNumber": lambda o: number_key(o.get("serviceNumber")),
    "title": lambda o: text_key(o.get("title")),
    "priority": lambda o: priority_key(o.get("priority")),
    **{field: by_time(field) for field in ("createdAt", "lastModifiedAt", "readyAtEstimate", "readyAtNeeded")},
}


def with_uid(key: Callable[[Record], Any]) -> Callable[[Record], Any]:
    return lambda order: (key(order), order["serviceOrderUid"])


ORDER_KEYS = {name: with_uid(key) for name, key in SORT_KEYS.items()}

# List and search filters: request field -> order field; an empty list filters nothing.
ARRAY_FILTERS = {"serviceStates": "serviceState", "serviceTypeUids": "serviceTypeUid",
                 "assignedUserUids": "assignedUserUid", "createdFromStoreUids": "createdFromStoreUid",
                 "priorities": "priority"}


def scope(order: Record) -> tuple[str, str]:
    """A list shows one store's orders: every Order is grouped by (tenant, store)."""
    return order["tenantUid"], order["storeUid"]


def filter_group(field: str) -> Callable[[Record], tuple[str, str, Any]]:
    return lambda order: (*scope(order), order.get(field))


# Every sortBy value is an Order of each store's orders (8 entries per order), and each array filter an
# Order by uid (the default sort) of each store's orders per value, so that a filter's total is a count
# and its pages in the default order a walk (5 more): about 1.2 KB of index per order, see the README.
SERVICE_ORDER_ORDERS = {
    **{f"sort:{name}": Order(key, group=scope) for name, key in SORT_KEYS.items()},
    **{f"filter:{field}": Order(SORT_KEYS["serviceOrderUid"], group=filter_group(field))
       for field in ARRAY_FILTERS.values()},
}


def totals_of(call: Call, order_uid: str, items: list[Record]) -> dict[str, float | int]:
    """partsTotal = Σ items' totalPrice, workTotal = Σ hours' amount, grandTotal = parts + work."""
    parts = total(item["totalPrice"] for item in items)
    work = total(h["amount"] for h in call.store["hours"].group("serviceOrderUid", order_uid))
    return {"grandTotal": number(parts + work), "partsTotal": number(parts), "workTotal": number(work)}


def wanted_values(wanted: Any) -> list[Any]:
    """A filter's distinct values that can equal a stored one (lists and objects never do)."""
    values: list[Any] = []
    for value in wanted:
        if isinstance(value, (str, int, float, bool)) or value is None:
            if value not in values:
                values.append(value)
    return values


def array_filter(call: Call, home: tuple[str, str], field: str, wanted: list[Any], sort_by: str,
                 descending: bool) -> Candidates[Record]:
    """The store's orders whose `field` is one of `wanted`: a walk over each value's Order, merged by uid
    when the list is in uid order (the default), else left for select() to sort."""
    orders, name = call.store["serviceOrders"], f"filter:{field}"
    groups = [(*home, value) for value in wanted_values(wanted)]
    in_order = sort_by == "serviceOrderUid"

    def walk(start: int) -> Iterator[Record]:
        if len(groups) == 1:
            return orders.ordered(name, group=groups[0], start=start, reverse=descending)
        walks = [orders.ordered(name, group=group, reverse=descending) for group in groups]
        merged = heapq.merge(*walks, key=lambda o: o["serviceOrderUid"], reverse=descending) if in_order \
            else chain(*walks)
        return islice(merged, start, None)

    return Candidates(sum(orders.count(name, group=group) for group in groups), walk, ordered=in_order,
                      test=lambda o: o[field] in wanted)


def listed(call: Call, filters: Mapping[str, Any], keep: Callable[[Record], bool] | None = None) -> Reply:
    """One page of the path's store's orders that pass the array filters and `keep`, sorted as asked.

    Without filters, or with one array filter in the default order, a page costs O(log n + page) and
    the total is a count; other combinations walk the smallest index (see pagination.select)."""
    store = store_of(call)
    home = (store["$tenantUid"], store["storeUid"])
    sort_by = call.param("sortBy", "serviceOrderUid")
    descending = call.param("sortDirection") == "DESC"
    orders, name = call.store["serviceOrders"], f"sort:{sort_by}"
    sources = [Candidates(orders.count(name, group=home),
                          lambda start: orders.ordered(name, group=home, start=start, reverse=descending))]
    sources += [array_filter(call, home, field, filters[param], sort_by, descending)
                for param, field in ARRAY_FILTERS.items() if filters.get(param)]
    number_, size = call.param("pageNumber", 1), call.param("pageSize", 25)
    rows, total_count = select(sources, offset=(number_ - 1) * size, size=size, keep=keep,
                               arrange=lambda rows: sorted(rows, key=ORDER_KEYS[sort_by], reverse=descending))
    return ok({"items": [public(r) for r in rows],
               "paging": {"pageNumber": number_, "pageSize": size, "totalCount": total_count}})


def list_service_orders(call: Call) -> Reply:
    return listed(call, call.params)


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


def containing(term: str, texts: Callable[[Record], tuple[str | None, ...]]) -> Callable[[Record], bool]:
    return lambda order: contains(term, *texts(order))


def search_service_orders(call: Call) -> Reply:
    criteria: dict[str, Any] = call.body or {}
    # Text criteria match parts of words and dates bound a day: no index serves them, so they are
    # tested on the walk over the store's orders (or over an array filter's, when one is given).
    tests: list[Callable[[Record], bool]] = []
    query = criteria.get("query")
    if query is not None and query.strip():
        # One field for all three; the separate customer, serviceNumber and title fields are ignored.
        tests.append(lambda o: contains(query, *customer_texts(call, o), o["serviceNumber"], o["title"]))
    else:
        for field, texts in (("customer", lambda o: customer_texts(call, o)),
                             ("serviceNumber", lambda o: (o["serviceNumber"],)),
                             ("title", lambda o: (o["title"],))):
            term = criteria.get(field)
            if term is not None and term.strip():
                tests.append(containing(term, texts))
    if criteria.get("createdFrom"):
        tests.append(lambda o: o["createdAt"][:10] >= criteria["createdFrom"])
    if criteria.get("createdTo"):
        tests.append(lambda o: o["createdAt"][:10] <= criteria["createdTo"])
    return listed(call, criteria, (lambda o: all(test(o) for test in tests)) if tests else None)


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
