"""Flow Retail behaviour through HTTP: workflow, totals, statuses, search, lists, sub-resources, config."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mockserver.vendors.flowretail.rules import ALLOWED_FROM, OPEN, STATES, WORKFLOW
from tests.helpers import auth_for, make_client

BASE = "/flowretail/v2"
TENANT = "tn_g3GZGwEVRpqenUV8HJ0d1n"
STORE = "st_tKg5kVrNp6Tq6wGg3sCka8"
TENANT_URL = f"{BASE}/tenants/{TENANT}"
ORDERS = f"{TENANT_URL}/stores/{STORE}/serviceorders"
MAIN = "so_8kZ2mQ4xT9aB1cD3eF5gH7"
MAIN_ITEM = "si_QmkdaFEz29BK2MvXnwZEXd"
JOHANNA = "cu_49vnRp2j7aau6VCN872KuQ"
REPAIR = "ty_rc4qa9aSmSM4IWP55Z14zX"
IN_REPAIR = "ss_VEV7QftRfXjz7bQ278tjjY"
MARTIN = "us_fsOPolHhKEuEWLfq5E1E6H"
STANDARD_RATE = "hr_Ot6MhqeBqPwzJjiuGGUAIT"
EBIKE_RATE = "hr_YqCMUTnVBZ9PAdgD9CrqTb"
AUTH = auth_for("flowretail", "listServiceOrders")
UID = re.compile(r"^[a-z]{2}_[A-Za-z0-9]{22}$")
NOW = "2026-11-20T09:30:00.000Z"


def state(client: Any) -> dict[str, Any]:
    return client.get("/_ticketmock/apis/flowretail/state").json()


def records(client: Any, collection: str) -> list[dict[str, Any]]:
    return state(client)["collections"][collection]


def status_named(client: Any, name: str) -> dict[str, Any]:
    return next(s for s in records(client, "serviceStatuses") if s["name"] == name)


def all_pages(client: Any, url: str = ORDERS, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    number = 1
    while True:
        body = client.get(url, headers=AUTH, params={**params, "pageNumber": number, "pageSize": 7}).json()
        items += body["items"]
        if number * 7 >= body["paging"]["totalCount"]:
            return items
        number += 1


def create_order(client: Any, **fields: Any) -> dict[str, Any]:
    body = {"title": "Puncture on the school run", "serviceTypeUid": REPAIR, "customerUid": JOHANNA, **fields}
    response = client.post(ORDERS, headers=AUTH, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def set_status(client: Any, order_uid: str, name: str) -> dict[str, Any]:
    response = client.put(f"{ORDERS}/{order_uid}", headers=AUTH,
                          json={"serviceStatusUid": status_named(client, name)["serviceStatusUid"]})
    assert response.status_code == 200, response.text
    return dict(response.json())


def add_item(client: Any, order_uid: str, **fields: Any) -> Any:
    return client.post(f"{ORDERS}/{order_uid}/items", headers=AUTH,
                       json={"name": "Schwalbe SV17 inner tube", "quantity": 1, "price": 89.0, **fields})


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = dict(response.json())
    assert body["status"] == status and body["code"] == code and body["message"]
    return body


# --- end to end ----------------------------------------------------------------------------------------


def test_end_to_end_create_list_update_move_read_reset() -> None:
    client = make_client("flowretail")
    before = state(client)
    order = create_order(client, priority="HIGH", description="Rear tyre flat",
                         readyAtNeeded="2026-11-21T08:00:00+01:00")
    assert UID.match(order["serviceOrderUid"]) and order["serviceOrderUid"].startswith("so_")
    assert order["serviceNumber"] == "10459"  # one past the fixtures' highest (10458)
    assert (order["serviceStatusName"], order["serviceState"]) == ("Received", "NOT_STARTED")
    assert order["readyAtNeeded"] == "2026-11-21T07:00:00.000Z" and order["createdAt"] == NOW
    listed = {o["serviceOrderUid"]: o for o in all_pages(client)}
    assert listed[order["serviceOrderUid"]] == order

    updated = client.put(f"{ORDERS}/{order['serviceOrderUid']}", headers=AUTH,
                         json={"assignedUserUid": MARTIN, "serviceStatusUid": IN_REPAIR, "locationLabel": "Rack A-9"})
    assert updated.status_code == 200
    assert add_item(client, order["serviceOrderUid"], quantity=2).status_code == 201
    logged = client.post(f"{ORDERS}/{order['serviceOrderUid']}/hours", headers=AUTH,
                         json={"tenantUserUid": MARTIN, "hourlyRateUid": STANDARD_RATE, "hours": 0.5})
    assert logged.status_code == 201 and logged.json()["amount"] == 425.0
    set_status(client, order["serviceOrderUid"], "Picked up")

    read = client.get(f"{ORDERS}/{order['serviceOrderUid']}", headers=AUTH).json()
    assert (read["serviceStatusName"], read["serviceState"]) == ("Picked up", "COMPLETED")
    assert read["assignedUserDisplayName"] == "Martin Olsen" and read["locationLabel"] == "Rack A-9"
    assert read["totals"] == {"grandTotal": 603.0, "partsTotal": 178.0, "workTotal": 425.0}
    assert_error(add_item(client, order["serviceOrderUid"]), 409, "SERVICE_ORDER_CLOSED")

    assert client.post("/_ticketmock/apis/flowretail/reset").status_code == 200
    assert state(client) == before
    assert client.get(f"{ORDERS}/{order['serviceOrderUid']}", headers=AUTH).status_code == 404


# --- the serviceState table ----------------------------------------------------------------------------


def test_workflow_table_is_what_the_spec_declares() -> None:
    assert set(OPEN) == {"NOT_STARTED", "IN_PROGRESS", "WAITING", "READY"}
    closed = set(STATES) - set(OPEN)
    for action in ("delete", "add item", "update item", "remove item", "log hours", "update hours", "delete hours"):
        assert not closed & set(ALLOWED_FROM[action]), action
        assert set(OPEN) <= set(ALLOWED_FROM[action])
    assert set(ALLOWED_FROM["create sales order"]) == set(STATES) - {"CANCELLED"}
    for action in ("update", "log event", "update event", "delete event"):
        assert set(ALLOWED_FROM[action]) == set(STATES)
    # No action moves the order: only a new serviceStatusUid does.
    assert all(source == target for (source, _), target in WORKFLOW.transitions.items())
    assert WORKFLOW.actions_from("CANCELLED") == ["delete event", "log event", "update", "update event"]


def order_in(client: Any, service_state: str) -> dict[str, Any]:
    """A fixture order of the main store in `service_state` that has an item and an hours entry."""
    hours = {h["serviceOrderUid"]: h for h in records(client, "hours")}
    for order in records(client, "serviceOrders"):
        if order["serviceState"] == service_state and order["storeUid"] == STORE and order["items"] \
                and order["serviceOrderUid"] in hours:
            return {**order, "$hours": hours[order["serviceOrderUid"]]["serviceHoursUid"]}
    raise AssertionError(f"no {service_state} order with items and hours in the fixtures")


CHANGES = {
    "delete": ("delete", "", None),
    "add item": ("post", "/items", {"name": "Chain", "quantity": 1, "price": 449}),
    "update item": ("put", "/items/{item}", {"quantity": 3}),
    "remove item": ("delete", "/items/{item}", None),
    "log hours": ("post", "/hours", {"tenantUserUid": MARTIN, "hourlyRateUid": STANDARD_RATE, "hours": 1}),
    "update hours": ("put", "/hours/{hours}", {"hours": 2}),
    "delete hours": ("delete", "/hours/{hours}", None),
    "log event": ("post", "/events", {"title": "Customer called"}),
}


@pytest.mark.parametrize("service_state", ["IN_PROGRESS", "READY", "COMPLETED", "CANCELLED"])
@pytest.mark.parametrize("action", list(CHANGES))
def test_closed_orders_refuse_changes_open_ones_take_them(service_state: str, action: str) -> None:
    client = make_client("flowretail")
    if service_state == "CANCELLED":  # the cancelled fixtures have no items: give one an item first
        order = order_in(client, "IN_PROGRESS")
        set_status(client, order["serviceOrderUid"], "Cancelled")
    else:
        order = order_in(client, service_state)
    method, path, body = CHANGES[action]
    url = f"{ORDERS}/{order['serviceOrderUid']}" + path.format(item=order["items"][0]["serviceOrderItemUid"],
                                                               hours=order["$hours"])
    before = state(client)
    response = client.request(method, url, headers=AUTH, json=body)
    if service_state in ALLOWED_FROM[action]:
        assert response.status_code in (200, 201, 204), response.text
    else:
        error = assert_error(response, 409, "SERVICE_ORDER_CLOSED")
        assert order["serviceOrderUid"] in error["message"] and service_state in error["message"]
        assert state(client) == before


def test_a_closed_order_reopens_by_status_and_then_takes_changes() -> None:
    client = make_client("flowretail")
    order = order_in(client, "COMPLETED")
    assert_error(add_item(client, order["serviceOrderUid"]), 409, "SERVICE_ORDER_CLOSED")
    assert set_status(client, order["serviceOrderUid"], "In repair")["serviceState"] == "IN_PROGRESS"
    assert add_item(client, order["serviceOrderUid"]).status_code == 201


# --- totals --------------------------------------------------------------------------------------------


def test_totals_follow_items_and_hours_on_every_write() -> None:
    client = make_client("flowretail")
    order = create_order(client)
    url = f"{ORDERS}/{order['serviceOrderUid']}"
    item = add_item(client, order["serviceOrderUid"], quantity=3, price=0.1, costPrice=0.05).json()
    assert (item["totalPrice"], item["totalCostPrice"], item["originalPrice"]) == (0.3, 0.15, 0.1)
    assert item["tenantUserDisplayName"] == "Webshop integration" and item["salesOrderUid"] is None
    second = add_item(client, order["serviceOrderUid"], quantity=2, price=149).json()
    assert client.get(url, headers=AUTH).json()["totals"] == {"grandTotal": 298.3, "partsTotal": 298.3,
                                                            "workTotal": 0.0}

    changed = client.put(f"{url}/items/{item['serviceOrderItemUid']}", headers=AUTH, json={"quantity": 10}).json()
    assert changed["totalPrice"] == 1.0 and changed["quantity"] == 10
    hours = client.post(f"{url}/hours", headers=AUTH,
                        json={"tenantUserUid": MARTIN, "hourlyRateUid": STANDARD_RATE, "hours": 1.25}).json()
    assert (hours["rate"], hours["amount"], hours["workedAt"]) == (850.0, 1062.5, NOW)
    assert client.get(url, headers=AUTH).json()["totals"] == {"grandTotal": 1361.5, "partsTotal": 299.0,
                                                            "workTotal": 1062.5}
    rerated = client.put(f"{url}/hours/{hours['serviceHoursUid']}", headers=AUTH,
                         json={"hourlyRateUid": EBIKE_RATE, "hours": 2}).json()
    assert (rerated["rate"], rerated["amount"]) == (1100.0, 2200.0)
    assert client.delete(f"{url}/items/{second['serviceOrderItemUid']}", headers=AUTH).status_code == 204
    assert client.get(url, headers=AUTH).json()["totals"] == {"grandTotal": 2201.0, "partsTotal": 1.0,
                                                            "workTotal": 2200.0}
    assert client.delete(f"{url}/hours/{hours['serviceHoursUid']}", headers=AUTH).status_code == 204
    assert client.get(url, headers=AUTH).json()["totals"] == {"grandTotal": 1.0, "partsTotal": 1.0, "workTotal": 0.0}


def test_fixture_totals_are_consistent() -> None:
    client = make_client("flowretail")
    dump = state(client)["collections"]
    for order in dump["serviceOrders"]:
        work = sum(h["amount"] for h in dump["hours"] if h["serviceOrderUid"] == order["serviceOrderUid"])
        parts = sum(i["totalPrice"] for i in order["items"])
        assert order["totals"] == pytest.approx({"partsTotal": parts, "workTotal": work, "grandTotal": parts + work})
        for item in order["items"]:
            assert item["totalPrice"] == pytest.approx(item["quantity"] * item["price"])
    for entry in dump["hours"]:
        assert entry["amount"] == pytest.approx(entry["hours"] * entry["rate"])


def test_hourly_rate_changes_leave_logged_hours_alone() -> None:
    client = make_client("flowretail")
    changed = client.put(f"{TENANT_URL}/hourlyrates/{STANDARD_RATE}", headers=AUTH, json={"rate": 900})
    assert changed.json()["rate"] == 900
    main = client.get(f"{ORDERS}/{MAIN}", headers=AUTH).json()
    assert main["totals"]["workTotal"] == 1275.0
    logged = client.post(f"{ORDERS}/{MAIN}/hours", headers=AUTH,
                         json={"tenantUserUid": MARTIN, "hourlyRateUid": STANDARD_RATE, "hours": 1}).json()
    assert logged["amount"] == 900.0


def test_huge_amounts_stay_exact_and_non_finite_numbers_are_refused() -> None:
    client = make_client("flowretail")
    item = add_item(client, MAIN, price=1e308, quantity=10)
    assert item.status_code == 201 and item.json()["totalPrice"] == 10**309
    before = state(client)
    for raw in ('{"name": "x", "quantity": 1, "price": NaN}', '{"name": "x", "quantity": 1, "price": 1e999}'):
        response = client.post(f"{ORDERS}/{MAIN}/items", headers={**AUTH, "Content-Type": "application/json"},
                               content=raw)
        assert assert_error(response, 400, "MALFORMED_REQUEST")["errors"][0]["field"] == "price"
    assert state(client) == before


# --- statuses and serviceState -------------------------------------------------------------------------


def test_service_state_follows_the_status() -> None:
    client = make_client("flowretail")
    waiting = status_named(client, "Waiting for parts")
    moved = client.put(f"{ORDERS}/{MAIN}", headers=AUTH, json={"serviceStatusUid": waiting["serviceStatusUid"]}).json()
    assert (moved["serviceStatusName"], moved["serviceState"]) == ("Waiting for parts", "WAITING")
    assert (moved["lastModifiedAt"], moved["lastModifiedBy"]) == (NOW, records(client, "users")[-1]["tenantUserUid"])
    # A status carries its state: orders at that step follow a change of it (and of its name).
    changed = client.put(f"{TENANT_URL}/servicestatuses/{waiting['serviceStatusUid']}", headers=AUTH,
                         json={"serviceState": "IN_PROGRESS", "name": "Parts on order"})
    assert changed.status_code == 200 and changed.json()["position"] == 3
    read = client.get(f"{ORDERS}/{MAIN}", headers=AUTH).json()
    assert (read["serviceStatusName"], read["serviceState"]) == ("Parts on order", "IN_PROGRESS")


def test_new_orders_start_at_the_lowest_position_and_statuses_are_created() -> None:
    client = make_client("flowretail")
    created = client.post(f"{TENANT_URL}/servicestatuses", headers=AUTH,
                          json={"name": "Booked online", "position": 0, "serviceState": "NOT_STARTED"})
    assert created.status_code == 201
    status = created.json()
    assert UID.match(status["serviceStatusUid"]) and status["color"] is None
    assert create_order(client)["serviceStatusName"] == "Booked online"
    chosen = create_order(client, serviceStatusUid=IN_REPAIR)
    assert (chosen["serviceStatusName"], chosen["serviceState"]) == ("In repair", "IN_PROGRESS")
    positions = [s["position"] for s in client.get(f"{TENANT_URL}/servicestatuses", headers=AUTH,
                                                   params={"sortBy": "position"}).json()["items"]]
    assert positions == sorted(positions) and positions[0] == 0 and len(positions) == 9


def test_fixture_statuses_cover_every_state_and_orders_every_state_and_priority() -> None:
    client = make_client("flowretail")
    assert {s["serviceState"] for s in records(client, "serviceStatuses")} == set(STATES)
    orders = records(client, "serviceOrders")
    assert len(orders) >= 25
    assert {o["serviceState"] for o in orders} == set(STATES)
    assert {o["priority"] for o in orders} == {"NONE", "LOW", "MEDIUM", "HIGH", "URGENT"}
    statuses = {s["serviceStatusUid"]: s for s in records(client, "serviceStatuses")}
    for order in orders:
        status = statuses[order["serviceStatusUid"]]
        assert (order["serviceStatusName"], order["serviceState"]) == (status["name"], status["serviceState"])


# --- search --------------------------------------------------------------------------------------------


def search(client: Any, criteria: dict[str, Any], **params: Any) -> list[dict[str, Any]]:
    response = client.post(f"{ORDERS}/search", headers=AUTH, json=criteria, params={"pageSize": 100, **params})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def customers_of(client: Any, found: list[dict[str, Any]]) -> set[str]:
    names = {c["customerUid"]: c["name"] for c in records(client, "customers")}
    return {names[o["customerUid"]] for o in found}


def test_search_query_is_case_insensitive_partial_over_customer_number_and_title() -> None:
    client = make_client("flowretail")
    assert customers_of(client, search(client, {"query": "ANNA"})) == {"Anna Lie", "Johanna Berg", "Susanna Dahl"}
    expected = {o["serviceNumber"] for o in records(client, "serviceOrders")
                if o["storeUid"] == STORE and "1045" in o["serviceNumber"]}
    assert {o["serviceNumber"] for o in search(client, {"query": "1045"})} == expected and len(expected) == 6
    assert {o["title"] for o in search(client, {"query": "brake"})} >= {"Brake service and gear tune-up",
                                                                        "Hydraulic brake bleed"}
    by_phone = search(client, {"query": "91522048"})  # Johanna's number without its spaces
    assert {o["customerUid"] for o in by_phone} == {JOHANNA}
    # With a query the separate text fields are ignored.
    ignoring = search(client, {"query": "10452", "title": "no such title", "customer": "nobody"})
    assert [o["serviceOrderUid"] for o in ignoring] == [MAIN]
    assert search(client, {"title": "no such title"}) == []
    assert {o["title"] for o in search(client, {"customer": "johanna", "title": "GEAR"})} == \
        {"Brake service and gear tune-up"}
    assert [o["serviceNumber"] for o in search(client, {"serviceNumber": "452"})] == ["10452"]


def test_search_arrays_filter_and_dates_bound_inclusively() -> None:
    client = make_client("flowretail")
    example = {"query": "anna", "serviceStates": ["NOT_STARTED", "IN_PROGRESS"], "createdFrom": "2026-02-01",
               "createdTo": "2026-02-28"}
    assert [o["serviceOrderUid"] for o in search(client, example)] == [MAIN]
    day = search(client, {"createdFrom": "2026-02-09", "createdTo": "2026-02-09"})
    assert [o["serviceOrderUid"] for o in day] == [MAIN]
    urgent = search(client, {"priorities": ["URGENT", "HIGH"], "serviceStates": ["WAITING"]})
    assert urgent and all(o["priority"] in ("URGENT", "HIGH") and o["serviceState"] == "WAITING" for o in urgent)
    assert all(o["assignedUserUid"] == MARTIN for o in search(client, {"assignedUserUids": [MARTIN]}))
    assert len(search(client, {"serviceStates": []})) == len(search(client, {}))  # an empty list filters nothing
    assert [o["title"] for o in search(client, {}, sortBy="title", sortDirection="DESC")][:2] == \
        ["Winter tune-up", "Winter storage and service"]


# --- list ----------------------------------------------------------------------------------------------


def test_list_sorts_by_uid_by_default_and_filters_with_arrays() -> None:
    client = make_client("flowretail")
    page = client.get(ORDERS, headers=AUTH).json()
    assert page["paging"] == {"pageNumber": 1, "pageSize": 25, "totalCount": 23}
    every = all_pages(client)
    uids = [o["serviceOrderUid"] for o in every]
    assert uids == sorted(uids) and uids[0] == MAIN
    assert {o["storeUid"] for o in every} == {STORE}
    states = all_pages(client, serviceStates=["READY", "WAITING"])
    assert states and {o["serviceState"] for o in states} == {"READY", "WAITING"}
    numbers = [o["serviceNumber"] for o in all_pages(client, sortBy="serviceNumber", sortDirection="DESC")]
    assert numbers == sorted(numbers, reverse=True)
    ranks = ["NONE", "LOW", "MEDIUM", "HIGH", "URGENT"]
    priorities = [o["priority"] for o in all_pages(client, sortBy="priority")]
    assert priorities == sorted(priorities, key=ranks.index)
    drop_off = next(s["storeUid"] for s in records(client, "stores") if "Bjørvika" in s["name"])
    dropped = all_pages(client, createdFromStoreUids=[drop_off])
    assert len(dropped) == 3 and all(o["createdFromStoreUid"] == drop_off for o in dropped)
    assert all(o["serviceTypeUid"] == REPAIR for o in all_pages(client, serviceTypeUids=[REPAIR]))
    assert {o["priority"] for o in all_pages(client, priorities=["URGENT"])} == {"URGENT"}


def test_orders_of_another_store_or_tenant_do_not_exist_here() -> None:
    client = make_client("flowretail")
    other = next(o for o in records(client, "serviceOrders") if o["storeUid"] != STORE)
    assert_error(client.get(f"{ORDERS}/{other['serviceOrderUid']}", headers=AUTH), 404, "NOT_FOUND")
    other_store = f"{TENANT_URL}/stores/{other['storeUid']}/serviceorders"
    assert client.get(f"{other_store}/{other['serviceOrderUid']}", headers=AUTH).status_code == 200
    assert_error(client.get(f"{other_store}/{MAIN}", headers=AUTH), 404, "NOT_FOUND")
    assert_error(client.get(f"{BASE}/tenants/tn_nope/stores/{STORE}/serviceorders", headers=AUTH), 404, "NOT_FOUND")
    assert_error(client.get(f"{TENANT_URL}/stores/st_nope/serviceorders", headers=AUTH), 404, "NOT_FOUND")
    assert_error(client.get(f"{BASE}/tenants/tn_nope/hourlyrates", headers=AUTH), 404, "NOT_FOUND")


# --- sub-resources -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/items/{item}", "/events/{event}", "/hours/{hours}"])
def test_sub_resources_live_under_their_order(path: str) -> None:
    client = make_client("flowretail")
    dump = state(client)["collections"]
    other = order_in(client, "IN_PROGRESS")
    assert other["serviceOrderUid"] != MAIN
    event = next(e for e in dump["events"] if e["serviceOrderUid"] == other["serviceOrderUid"])
    ids = {"item": other["items"][0]["serviceOrderItemUid"], "event": event["serviceEventUid"],
           "hours": other["$hours"]}
    method = "get" if "items" not in path else "put"
    body = None if method == "get" else {"quantity": 2}
    own = client.request(method, f"{ORDERS}/{other['serviceOrderUid']}{path.format(**ids)}", headers=AUTH, json=body)
    assert own.status_code == 200
    before = state(client)
    foreign = client.request(method, f"{ORDERS}/{MAIN}{path.format(**ids)}", headers=AUTH, json=body)
    assert "does not exist" in assert_error(foreign, 404, "NOT_FOUND")["message"]
    unknown_order = client.request(method, f"{ORDERS}/so_unknown{path.format(**ids)}", headers=AUTH, json=body)
    assert_error(unknown_order, 404, "NOT_FOUND")
    assert state(client) == before


def test_lists_under_an_unknown_order_are_404() -> None:
    client = make_client("flowretail")
    for path in ("events", "hours", "notifications", "salesorders", "report"):
        assert_error(client.get(f"{ORDERS}/so_doesNotExist/{path}", headers=AUTH), 404, "NOT_FOUND")


def test_events_crud_with_defaults_and_sorting() -> None:
    client = make_client("flowretail")
    url = f"{ORDERS}/{MAIN}/events"
    event = client.post(url, headers=AUTH, json={"title": "Customer called", "note": "Asked for an update"}).json()
    assert (event["occurredAt"], event["createdAt"]) == (NOW, NOW)
    assert event["tenantUserDisplayName"] == "Webshop integration"
    back = client.post(url, headers=AUTH, json={"title": "Back-dated", "occurredAt": "2026-01-01T10:00:00Z",
                                                "tenantUserUid": MARTIN}).json()
    assert back["occurredAt"] == "2026-01-01T10:00:00.000Z" and back["tenantUserDisplayName"] == "Martin Olsen"
    titles = [e["title"] for e in client.get(url, headers=AUTH, params={"sortBy": "occurredAt"}).json()["items"]]
    assert titles == ["Back-dated", "Diagnosis complete", "Customer called"]
    changed = client.put(f"{url}/{event['serviceEventUid']}", headers=AUTH, json={"tenantUserUid": MARTIN}).json()
    assert changed["tenantUserDisplayName"] == "Martin Olsen" and changed["note"] == "Asked for an update"
    assert client.delete(f"{url}/{event['serviceEventUid']}", headers=AUTH).status_code == 204
    assert_error(client.get(f"{url}/{event['serviceEventUid']}", headers=AUTH), 404, "NOT_FOUND")
    unknown_user = client.post(url, headers=AUTH, json={"title": "x", "tenantUserUid": "us_nobody"})
    assert_error(unknown_user, 400, "VALIDATION_FAILED")


def test_deleting_an_order_removes_what_hangs_under_it() -> None:
    client = make_client("flowretail")
    assert client.delete(f"{ORDERS}/{MAIN}", headers=AUTH).status_code == 204
    dump = state(client)["collections"]
    for name, field in (("events", "serviceOrderUid"), ("hours", "serviceOrderUid"),
                        ("notifications", "$serviceOrderUid"), ("salesOrders", "serviceOrderUid")):
        assert not [r for r in dump[name] if r[field] == MAIN], name
    assert_error(client.get(f"{ORDERS}/{MAIN}", headers=AUTH), 404, "NOT_FOUND")
    assert_error(client.delete(f"{ORDERS}/{MAIN}", headers=AUTH), 404, "NOT_FOUND")


# --- sales orders ----------------------------------------------------------------------------------------


def test_sales_orders_bill_unbilled_items_once() -> None:
    client = make_client("flowretail")
    order = create_order(client)
    url = f"{ORDERS}/{order['serviceOrderUid']}"
    first = add_item(client, order["serviceOrderUid"], quantity=2, price=449).json()
    second = add_item(client, order["serviceOrderUid"]).json()
    address = {"name": "Johanna Berg", "addressLine1": "Thorvald Meyers gate 49", "postalCode": "0555",
               "city": "Oslo", "countryCode": "NO"}
    billed = client.post(f"{url}/salesorders", headers=AUTH,
                         json={"customerUid": JOHANNA, "orderAddress": address,
                               "itemUids": [first["serviceOrderItemUid"]]})
    assert billed.status_code == 201
    sale = billed.json()
    assert (sale["status"], sale["totalAmount"], sale["orderNumber"]) == ("OPEN", 898.0, "100239")
    items = {i["serviceOrderItemUid"]: i for i in client.get(url, headers=AUTH).json()["items"]}
    assert items[first["serviceOrderItemUid"]]["salesOrderUid"] == sale["salesOrderUid"]
    assert items[second["serviceOrderItemUid"]]["salesOrderUid"] is None
    before = state(client)
    again = client.post(f"{url}/salesorders", headers=AUTH, json={"customerUid": JOHANNA, "orderAddress": address,
                                                                  "itemUids": [first["serviceOrderItemUid"]]})
    assert_error(again, 409, "ITEM_ALREADY_BILLED")
    assert_error(client.post(f"{url}/salesorders", headers=AUTH,
                             json={"customerUid": "cu_nobody", "orderAddress": address}), 400, "VALIDATION_FAILED")
    assert state(client) == before
    rest = client.post(f"{url}/salesorders", headers=AUTH, json={"customerUid": JOHANNA, "orderAddress": address})
    assert (rest.json()["totalAmount"], rest.json()["orderNumber"]) == (89.0, "100240")
    nothing = client.post(f"{url}/salesorders", headers=AUTH, json={"customerUid": JOHANNA, "orderAddress": address})
    assert_error(nothing, 409, "NOTHING_TO_BILL")
    listed = client.get(f"{url}/salesorders", headers=AUTH).json()
    assert [s["orderNumber"] for s in listed["items"]] == ["100239", "100240"]


def test_completed_orders_can_still_be_billed() -> None:
    client = make_client("flowretail")
    order = create_order(client)
    add_item(client, order["serviceOrderUid"])
    set_status(client, order["serviceOrderUid"], "Picked up")
    address = {"name": "Johanna Berg", "addressLine1": "Thorvald Meyers gate 49", "postalCode": "0555",
               "city": "Oslo", "countryCode": "NO"}
    response = client.post(f"{ORDERS}/{order['serviceOrderUid']}/salesorders", headers=AUTH,
                           json={"customerUid": JOHANNA, "orderAddress": address})
    assert response.status_code == 201


# --- uids, numbers and the public page -----------------------------------------------------------------


def test_uids_numbers_and_page_hashes() -> None:
    client = make_client("flowretail")
    first, second = create_order(client), create_order(client)
    assert first["serviceOrderUid"] < second["serviceOrderUid"]  # later uids sort after earlier ones
    fixture_uids = [o["serviceOrderUid"] for o in records(client, "serviceOrders")][:-2]
    assert max(fixture_uids) < first["serviceOrderUid"]
    for record in (first, second):
        for field in ("serviceOrderUid", "orderUid", "orderProductLineUid"):
            assert UID.match(record[field]), record[field]
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", record["publicPageHash"])
    assert first["publicPageHash"] != second["publicPageHash"]
    assert client.delete(f"{ORDERS}/{second['serviceOrderUid']}", headers=AUTH).status_code == 204
    assert create_order(client)["serviceNumber"] == "10461"  # numbers only grow, even after a delete


def test_public_page_hash_finds_its_order() -> None:
    client = make_client("flowretail")
    found = client.get(f"{ORDERS}/publicpage/esBBo-nmIUHGIhAb0gN98Nr9HzGvfNxA", headers=AUTH)
    assert found.status_code == 200 and found.json()["serviceOrderUid"] == MAIN
    created = create_order(client)
    again = client.get(f"{ORDERS}/publicpage/{created['publicPageHash']}", headers=AUTH).json()
    assert again == created
    assert_error(client.get(f"{ORDERS}/publicpage/not-a-hash", headers=AUTH), 404, "NOT_FOUND")
    other_store = next(s["storeUid"] for s in records(client, "stores") if s["storeUid"] != STORE)
    assert_error(client.get(f"{TENANT_URL}/stores/{other_store}/serviceorders/publicpage/"
                            "esBBo-nmIUHGIhAb0gN98Nr9HzGvfNxA", headers=AUTH), 404, "NOT_FOUND")


# --- configuration -------------------------------------------------------------------------------------


def test_service_type_update_renames_it_on_its_orders() -> None:
    client = make_client("flowretail")
    response = client.put(f"{TENANT_URL}/servicetypes/{REPAIR}", headers=AUTH, json={"name": "Bike repair"})
    assert response.json() == {"serviceTypeUid": REPAIR, "name": "Bike repair",
                               "description": "Workshop repairs and tune-ups for bicycles and e-bikes", "active": True}
    assert client.get(f"{ORDERS}/{MAIN}", headers=AUTH).json()["serviceTypeName"] == "Bike repair"
    names = [t["name"] for t in client.get(f"{TENANT_URL}/servicetypes", headers=AUTH,
                                           params={"sortBy": "name"}).json()["items"]]
    assert names == sorted(names, key=str.casefold)
    assert_error(client.put(f"{TENANT_URL}/servicetypes/ty_nope", headers=AUTH, json={}), 404, "NOT_FOUND")


def test_hourly_rates_honour_a_client_uid_and_refuse_a_taken_one() -> None:
    client = make_client("flowretail")
    url = f"{TENANT_URL}/hourlyrates"
    chosen = client.post(url, headers=AUTH, json={"hourlyRateUid": "hr_winter-2026", "name": "Winter", "rate": 700,
                                                  "currency": "NOK"})
    assert chosen.status_code == 201
    assert chosen.json() == {"hourlyRateUid": "hr_winter-2026", "name": "Winter", "rate": 700.0, "currency": "NOK",
                             "active": True}
    assigned = client.post(url, headers=AUTH, json={"hourlyRateUid": "", "name": "Night", "rate": 1300,
                                                    "currency": "NOK", "active": False}).json()
    assert UID.match(assigned["hourlyRateUid"]) and assigned["active"] is False
    listed = [r["hourlyRateUid"] for r in client.get(url, headers=AUTH, params={"pageSize": 100}).json()["items"]]
    assert listed[-2:] == ["hr_winter-2026", assigned["hourlyRateUid"]]  # insertion order
    before = state(client)
    taken = client.post(url, headers=AUTH, json={"hourlyRateUid": EBIKE_RATE, "name": "E-bike diagnostics",
                                                 "rate": 1100.0, "currency": "NOK", "active": True})
    error = assert_error(taken, 409, "DUPLICATE_UID")
    assert error["errors"] == [{"field": "hourlyRateUid", "message": error["errors"][0]["message"]}]
    assert EBIKE_RATE in error["message"]
    unusable = client.post(url, headers=AUTH, json={"hourlyRateUid": "hr_a/b", "name": "x", "rate": 1,
                                                    "currency": "NOK"})
    assert_error(unusable, 400, "VALIDATION_FAILED")
    assert state(client) == before
    assert client.put(f"{url}/hr_winter-2026", headers=AUTH, json={"active": False}).json()["active"] is False
