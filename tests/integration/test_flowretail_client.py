"""A Flow Retail workshop integration, written from the vendor's API v2 reference, against a real `ticketmock serve`.

A bike shop's booking tool, with an integration user's long-lived token, registers a service order,
adds the parts and the hours worked, moves it through the shop's service statuses to picked up, and
finds it back in the completed orders and by search.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers import running_server

TENANT = "tn_g3GZGwEVRpqenUV8HJ0d1n"
STORE = "st_tKg5kVrNp6Tq6wGg3sCka8"
ORDERS = f"/tenants/{TENANT}/stores/{STORE}/serviceorders"
CUSTOMER = "cu_49vnRp2j7aau6VCN872KuQ"
MECHANIC = "us_fsOPolHhKEuEWLfq5E1E6H"


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    with running_server("--api", "flowretail") as origin:  # production: https://api.flowretail.com/v2
        with httpx.Client(base_url=f"{origin}/flowretail/v2",
                          headers={"Authorization": "Bearer integration-user-token"}) as client:
            yield client


def every_page(api: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """pageNumber/pageSize paging until every item of `paging.totalCount` is read."""
    items: list[dict[str, Any]] = []
    number = 1
    while True:
        answer = api.get(path, params={"pageNumber": number, "pageSize": 10, **params})
        answer.raise_for_status()
        body = answer.json()
        items += body["items"]
        if len(items) >= body["paging"]["totalCount"] or not body["items"]:
            return items
        number += 1


def test_a_service_order_from_booking_to_pickup(api: httpx.Client) -> None:
    statuses = {s["serviceState"]: s for s in sorted(every_page(api, f"/tenants/{TENANT}/servicestatuses"),
                                                     key=lambda s: -s["position"])}
    service_type = every_page(api, f"/tenants/{TENANT}/servicetypes")[0]
    rate = every_page(api, f"/tenants/{TENANT}/hourlyrates")[0]

    created = api.post(ORDERS, json={
        "title": "Gear tune-up before the Birkebeiner", "serviceTypeUid": service_type["serviceTypeUid"],
        "customerUid": CUSTOMER, "description": "Chain skips on the two smallest sprockets.", "priority": "HIGH",
        "assignedUserUid": MECHANIC, "serviceStatusUid": statuses["NOT_STARTED"]["serviceStatusUid"],
        "readyAtNeeded": "2026-03-20T16:00:00.000Z", "warranty": False})
    assert created.status_code == 201, created.text
    order = created.json()
    uid = order["serviceOrderUid"]
    assert order["serviceState"] == "NOT_STARTED" and api.get(f"{ORDERS}/{uid}").json()["title"] == order["title"]

    item = api.post(f"{ORDERS}/{uid}/items", json={"name": "Shimano CN-HG701 chain", "sku": "SHI-CNHG701",
                                                   "quantity": 1, "price": 449.0})
    assert item.status_code == 201, item.text
    hours = api.post(f"{ORDERS}/{uid}/hours", json={"tenantUserUid": MECHANIC, "hourlyRateUid": rate["hourlyRateUid"],
                                                    "hours": 0.5, "workedAt": "2026-03-18T10:00:00.000Z"})
    assert hours.status_code == 201, hours.text

    for state in ("IN_PROGRESS", "READY", "COMPLETED"):
        moved = api.put(f"{ORDERS}/{uid}", json={"serviceStatusUid": statuses[state]["serviceStatusUid"]})
        assert moved.status_code == 200, moved.text
        assert moved.json()["serviceState"] == state
    done = api.get(f"{ORDERS}/{uid}").json()
    assert [i["name"] for i in done["items"]] == ["Shimano CN-HG701 chain"]
    work = 0.5 * rate["rate"]
    assert done["totals"] == {"partsTotal": 449.0, "workTotal": work, "grandTotal": 449.0 + work}

    completed = every_page(api, ORDERS, serviceStates=["COMPLETED"])
    assert uid in [o["serviceOrderUid"] for o in completed]
    assert all(o["serviceState"] == "COMPLETED" for o in completed)
    found = api.post(f"{ORDERS}/search", json={"query": "Birkebeiner"})
    assert found.status_code == 200, found.text
    assert [o["serviceOrderUid"] for o in found.json()["items"]] == [uid]

    # a picked-up order takes no more parts
    late = api.post(f"{ORDERS}/{uid}/items", json={"name": "Bar tape", "quantity": 1, "price": 199.0})
    assert late.status_code == 409, late.text
