"""What lives under a service order: items, events, hours, notifications and sales orders."""

from __future__ import annotations

from typing import Any

from mockserver.errors import NotFound
from mockserver.pagination import sort_key
from mockserver.store import Record, public
from mockserver.vendors.base import Call, Reply, created, no_content, ok
from mockserver.vendors.flowretail.common import (
    api_user,
    arrange,
    as_money,
    instant,
    new_uid,
    now_iso,
    number,
    order_of,
    page,
    referenced,
    text_key,
    times,
    total,
)
from mockserver.vendors.flowretail.orders import totals_of, touch
from mockserver.vendors.flowretail.rules import ItemAlreadyBilled, NothingToBill, guard

# --- items (kept inside their order, whose totals they make) ------------------------------------------

ITEM_FIELDS = ("productUid", "name", "sku", "serialNumber", "note", "warehouseUid")


def priced(item: Record) -> Record:
    """totalPrice = quantity × price and totalCostPrice = quantity × costPrice, to the øre."""
    return {**item, "totalPrice": number(times(item["quantity"], item["price"])),
            "totalCostPrice": number(times(item["quantity"], item["costPrice"]))}


def item_of(order: Record, uid: str) -> Record:
    item: Record | None = next((i for i in order["items"] if i["serviceOrderItemUid"] == uid), None)
    if item is None:
        raise NotFound("service order item", uid, hint=f"service order {order['serviceOrderUid']} has no such item")
    return item


def with_items(call: Call, order: Record, items: list[Record]) -> Record:
    return touch(call, order, {"items": items, "totals": totals_of(call, order["serviceOrderUid"], items)})


def add_service_order_item(call: Call) -> Reply:
    order = order_of(call)
    guard(order, "add item")
    body: dict[str, Any] = call.body
    user = api_user(call, order["tenantUid"])
    price = as_money(body["price"])
    item = priced({
        "serviceOrderItemUid": new_uid(call, "si_"), "serviceOrderUid": order["serviceOrderUid"],
        "warehouseUid": None, "tenantUserUid": user["tenantUserUid"], "tenantUserDisplayName": user["displayName"],
        "productUid": None, "salesOrderUid": None, "name": body["name"], "sku": None, "serialNumber": None,
        "note": None, "quantity": body["quantity"], "price": price, "costPrice": as_money(body.get("costPrice", 0)),
        # The unit price before any discount: what the line was first priced at.
        "originalPrice": price, "totalPrice": 0.0, "totalCostPrice": 0.0, "createdAt": now_iso(call),
        **{name: body[name] for name in ITEM_FIELDS if name in body},
    })
    with_items(call, order, [*order["items"], item])
    return created(item)


def update_service_order_item(call: Call) -> Reply:
    order = order_of(call)
    item = item_of(order, call.params["serviceOrderItemUid"])
    guard(order, "update item")
    body: dict[str, Any] = call.body
    changes = {name: body[name] for name in (*ITEM_FIELDS, "quantity") if name in body}
    changes |= {name: as_money(body[name]) for name in ("price", "costPrice") if name in body}
    changed = priced({**item, **changes})
    with_items(call, order, [changed if i is item else i for i in order["items"]])
    return ok(changed)


def delete_service_order_item(call: Call) -> Reply:
    order = order_of(call)
    item = item_of(order, call.params["serviceOrderItemUid"])
    guard(order, "remove item")
    with_items(call, order, [i for i in order["items"] if i is not item])
    return no_content()


# --- events ------------------------------------------------------------------------------------------

EVENT_KEYS = {
    "serviceEventUid": lambda e: e["serviceEventUid"],
    "title": lambda e: text_key(e["title"]),
    "occurredAt": lambda e: sort_key(e["occurredAt"]),
    "createdAt": lambda e: sort_key(e["createdAt"]),
}


def events_of(call: Call, order: Record) -> list[Record]:
    return call.store["events"].group("serviceOrderUid", order["serviceOrderUid"])


def event_of(call: Call, order: Record) -> Record:
    uid = call.params["serviceEventUid"]
    event = call.store["events"].find(uid)
    if event is None or event["serviceOrderUid"] != order["serviceOrderUid"]:
        raise NotFound("service event", uid, hint=f"service order {order['serviceOrderUid']} has no such event")
    return event


def user_fields(call: Call, order: Record, user_uid: str | None) -> dict[str, Any]:
    user = api_user(call, order["tenantUid"]) if user_uid is None else \
        referenced(call, "users", user_uid, order["tenantUid"], "user", "tenantUserUid")
    return {"tenantUserUid": user["tenantUserUid"], "tenantUserDisplayName": user["displayName"]}


def list_service_order_events(call: Call) -> Reply:
    order = order_of(call)
    return page(call, arrange(events_of(call, order), call.param("sortBy"), call.param("sortDirection"), EVENT_KEYS))


def create_service_order_event(call: Call) -> Reply:
    order = order_of(call)
    guard(order, "log event")
    body: dict[str, Any] = call.body
    who = user_fields(call, order, body.get("tenantUserUid"))
    now = now_iso(call)
    event = {"serviceEventUid": new_uid(call, "se_"), "serviceOrderUid": order["serviceOrderUid"],
             "title": body["title"], "note": body.get("note"),
             "occurredAt": instant(body["occurredAt"]) if "occurredAt" in body else now, **who, "createdAt": now}
    return created(public(call.store["events"].insert(event)))


def get_service_order_event(call: Call) -> Reply:
    return ok(public(event_of(call, order_of(call))))


def update_service_order_event(call: Call) -> Reply:
    order = order_of(call)
    event = event_of(call, order)
    guard(order, "update event")
    body: dict[str, Any] = call.body
    changes: dict[str, Any] = {name: body[name] for name in ("title", "note") if name in body}
    if "occurredAt" in body:
        changes["occurredAt"] = instant(body["occurredAt"])
    if "tenantUserUid" in body:
        changes |= user_fields(call, order, body["tenantUserUid"])
    return ok(public(call.store["events"].update(event["serviceEventUid"], changes)))


def delete_service_order_event(call: Call) -> Reply:
    order = order_of(call)
    event = event_of(call, order)
    guard(order, "delete event")
    call.store["events"].delete(event["serviceEventUid"])
    return no_content()


# --- hours (their amounts make the order's workTotal) -----------------------------------------------

HOURS_KEYS = {
    "serviceHoursUid": lambda h: h["serviceHoursUid"],
    "workedAt": lambda h: sort_key(h["workedAt"]),
    "hours": lambda h: sort_key(h["hours"]),
    "createdAt": lambda h: sort_key(h["createdAt"]),
}


def hours_of(call: Call, order: Record) -> Record:
    uid = call.params["serviceHoursUid"]
    entry = call.store["hours"].find(uid)
    if entry is None or entry["serviceOrderUid"] != order["serviceOrderUid"]:
        raise NotFound("service hours entry", uid, hint=f"service order {order['serviceOrderUid']} has no such entry")
    return entry


def rate_fields(call: Call, order: Record, rate_uid: str) -> dict[str, Any]:
    """The hourly rate's uid and its price, copied into the entry when it is saved."""
    rate = referenced(call, "hourlyRates", rate_uid, order["tenantUid"], "hourly rate", "hourlyRateUid")
    return {"hourlyRateUid": rate["hourlyRateUid"], "rate": rate["rate"]}


def with_amount(entry: Record) -> Record:
    return {**entry, "amount": number(times(entry["hours"], entry["rate"]))}


def retotal(call: Call, order: Record) -> None:
    touch(call, order, {"totals": totals_of(call, order["serviceOrderUid"], order["items"])})


def list_service_order_hours(call: Call) -> Reply:
    order = order_of(call)
    entries = call.store["hours"].group("serviceOrderUid", order["serviceOrderUid"])
    return page(call, arrange(entries, call.param("sortBy"), call.param("sortDirection"), HOURS_KEYS))


def create_service_order_hours(call: Call) -> Reply:
    order = order_of(call)
    guard(order, "log hours")
    body: dict[str, Any] = call.body
    who = user_fields(call, order, body["tenantUserUid"])
    rate = rate_fields(call, order, body["hourlyRateUid"])
    now = now_iso(call)
    entry = with_amount({
        "serviceHoursUid": new_uid(call, "sh_"), "serviceOrderUid": order["serviceOrderUid"], **who, **rate,
        "hours": body["hours"], "amount": 0.0, "note": body.get("note"),
        "workedAt": instant(body["workedAt"]) if "workedAt" in body else now, "createdAt": now,
    })
    call.store["hours"].insert(entry)
    retotal(call, order)
    return created(public(entry))


def get_service_order_hours(call: Call) -> Reply:
    return ok(public(hours_of(call, order_of(call))))


def update_service_order_hours(call: Call) -> Reply:
    order = order_of(call)
    entry = hours_of(call, order)
    guard(order, "update hours")
    body: dict[str, Any] = call.body
    changes: dict[str, Any] = {name: body[name] for name in ("hours", "note") if name in body}
    if "workedAt" in body:
        changes["workedAt"] = instant(body["workedAt"])
    if "hourlyRateUid" in body:
        changes |= rate_fields(call, order, body["hourlyRateUid"])
    changed = call.store["hours"].replace(entry["serviceHoursUid"], with_amount({**entry, **changes}))
    retotal(call, order)
    return ok(public(changed))


def delete_service_order_hours(call: Call) -> Reply:
    order = order_of(call)
    entry = hours_of(call, order)
    guard(order, "delete hours")
    call.store["hours"].delete(entry["serviceHoursUid"])
    retotal(call, order)
    return no_content()


# --- notifications and sales orders ------------------------------------------------------------------

NOTIFICATION_KEYS = {
    "notificationUid": lambda n: n["notificationUid"],
    "channel": lambda n: n["channel"],
    "status": lambda n: n["status"],
    "sentAt": lambda n: sort_key(n["sentAt"]),
}


def list_service_order_notifications(call: Call) -> Reply:
    order = order_of(call)
    sent = call.store["notifications"].group("$serviceOrderUid", order["serviceOrderUid"])
    return page(call, arrange(sent, call.param("sortBy"), call.param("sortDirection"), NOTIFICATION_KEYS))


def list_service_order_sales_orders(call: Call) -> Reply:
    order = order_of(call)
    return page(call, call.store["salesOrders"].group("serviceOrderUid", order["serviceOrderUid"]))


def create_service_order_sales_order(call: Call) -> Reply:
    """Bill the customer for the given items (or every item not billed yet)."""
    order = order_of(call)
    guard(order, "create sales order")
    body: dict[str, Any] = call.body
    referenced(call, "customers", body["customerUid"], order["tenantUid"], "customer", "customerUid")
    if "itemUids" in body:
        billed = [item_of(order, uid) for uid in dict.fromkeys(body["itemUids"])]
        for item in billed:
            if item["salesOrderUid"] is not None:
                raise ItemAlreadyBilled(f"service order item {item['serviceOrderItemUid']} is already billed on "
                                        f"sales order {item['salesOrderUid']}; leave it out of itemUids")
    else:
        billed = [item for item in order["items"] if item["salesOrderUid"] is None]
    if not billed:
        raise NothingToBill(f"service order {order['serviceOrderUid']} has no items left to bill; add an item "
                            "first or name the items in itemUids")
    uid = new_uid(call, "sa_")
    sales_order = {"salesOrderUid": uid, "serviceOrderUid": order["serviceOrderUid"],
                   "orderNumber": str(call.store.next_number(f"salesOrderNumber:{order['tenantUid']}")),
                   "status": "OPEN", "totalAmount": number(total(i["totalPrice"] for i in billed)),
                   "createdAt": now_iso(call)}
    call.store["salesOrders"].insert(sales_order)
    uids = {item["serviceOrderItemUid"] for item in billed}
    touch(call, order, {"items": [{**i, "salesOrderUid": uid} if i["serviceOrderItemUid"] in uids else i
                                  for i in order["items"]]})
    return created(public(sales_order))
