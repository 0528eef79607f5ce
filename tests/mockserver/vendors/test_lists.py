"""Lists that page through the store's sort orders answer exactly what sorting every record answered.

Each vendor gets a few hundred generated records with many ties (equal dates, priorities, titles that
differ only in case, repeated externalIdentifiers), inserted out of order. Every list request is then
compared with an oracle: the straightforward filter-everything-and-sort that the handlers did before
they walked indexes, run on the state the control API dumps. The same holds in a session after writes
(the session's copied indexes follow them), so the indexes can never drift from the records.
"""

from __future__ import annotations

import base64
import json
import random
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver.vendors import get_vendor
from tests.helpers import auth_for, make_client

Records = dict[str, list[dict[str, Any]]]
SESSION = {"X-Ticketmock-Session": "writer"}


def shipped(slug: str) -> Records:
    data: Records = yaml.safe_load(get_vendor(slug).fixtures_path.read_text(encoding="utf-8"))
    return data


def client_with(tmp_path: Path, slug: str, data: Records) -> Any:
    (tmp_path / f"{slug}.yaml").write_text(json.dumps(data))
    return make_client(slug, fixtures_dir=tmp_path)


def dumped(client: Any, slug: str, headers: dict[str, str] | None = None) -> Records:
    reply = client.get(f"/_ticketmock/apis/{slug}/state", headers=headers or {})
    assert reply.status_code == 200, reply.text
    collections: Records = reply.json()["collections"]
    return collections


def window(records: list[Any], offset: int, size: int) -> list[Any]:
    return records[offset : offset + size]


# --- Jifeline ---------------------------------------------------------------------------------------

JIFELINE = "/jifeline/v2"
JIFELINE_AUTH = auth_for("jifeline", "listTickets")
STATE_SEGMENTS = {"prepared": "prepared", "pending": "pending", "in_progress": "in-progress",
                  "outsourced": "outsourced", "closed": "closed", "cancelled": "cancelled"}


def jifeline_data(rng: random.Random) -> Records:
    data = shipped("jifeline")
    templates, customers = data["tickets"], [c["id"] for c in data["customers"]]
    numbers = rng.sample(range(7_000_000, 7_000_600), 300)  # unique, inserted in no particular order
    for number in numbers:
        ticket = {**rng.choice(templates), "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                  "ticket_number": number, "customer_id": rng.choice(customers[:3])}
        if "externally_processed" in ticket:
            ticket["externally_processed"] = rng.random() < 0.3
        data["tickets"].append(ticket)
    return data


def jifeline_expected(tickets: list[dict[str, Any]], state: str | None, query: dict[str, Any]) -> tuple[list[str], int]:
    def keep(t: dict[str, Any]) -> bool:
        return ((state is None or t["$state"] == state)
                and ("ticket_number" not in query or t["ticket_number"] == query["ticket_number"])
                and ("state" not in query or t["$state"] == query["state"])
                and ("customer_id" not in query or t["customer_id"] == query["customer_id"])
                and ("externally_processed" not in query
                     or bool(t.get("externally_processed", False)) is (query["externally_processed"] == "true")))

    rows = sorted((t for t in tickets if keep(t)), key=lambda t: (t["ticket_number"], t["id"]))
    return [t["id"] for t in window(rows, query["offset"], query["limit"])], len(rows)


def jifeline_queries(rng: random.Random, tickets: list[dict[str, Any]],
                     customers: list[str]) -> Iterator[dict[str, Any]]:
    for _ in range(60):
        query: dict[str, Any] = {"limit": rng.choice([1, 7, 50]), "offset": rng.choice([0, 3, 40, 10**6])}
        if rng.random() < 0.5:
            query["state"] = rng.choice(list(STATE_SEGMENTS))
        if rng.random() < 0.5:
            query["customer_id"] = rng.choice([*customers[:3], customers[-1]])
        if rng.random() < 0.4:
            query["externally_processed"] = rng.choice(["true", "false"])
        if rng.random() < 0.2:
            query["ticket_number"] = rng.choice([rng.choice(tickets)["ticket_number"], 6_999_999])
        yield query


def check_jifeline_lists(client: Any, rng: random.Random, headers: dict[str, str]) -> None:
    data = dumped(client, "jifeline", headers)
    tickets, customers = data["tickets"], [c["id"] for c in data["customers"]]
    for query in jifeline_queries(rng, tickets, customers):
        reply = client.get(f"{JIFELINE}/tickets/tickets", params=query, headers={**JIFELINE_AUTH, **headers})
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert ([t["id"] for t in body["result"]], body["total"]) == jifeline_expected(tickets, None, query), query
    for state, segment in STATE_SEGMENTS.items():
        for query in ({"limit": 5, "offset": 0}, {"limit": 50, "offset": 2}, {"limit": 3, "offset": 9}):
            if state == "prepared":
                query = {**query, "customer_id": customers[0]}
            reply = client.get(f"{JIFELINE}/tickets/{segment}-tickets", params=query,
                               headers={**JIFELINE_AUTH, **headers})
            assert reply.status_code == 200, reply.text
            body = reply.json()
            assert ([t["id"] for t in body["result"]], body["total"]) == jifeline_expected(tickets, state, query)


def test_jifeline_lists_and_the_event_feed_match_a_full_sort(tmp_path: Path) -> None:
    rng = random.Random(9)
    client = client_with(tmp_path, "jifeline", jifeline_data(rng))
    check_jifeline_lists(client, rng, {})
    # Writes in a session: reassignments and transitions move tickets between states and add events.
    data = dumped(client, "jifeline")
    operators, reasons = data["operators"], [r for r in data["cancel_reasons"] if r["manually_applicable"]]
    busy = [t for t in data["tickets"] if t["$state"] == "in_progress"]
    for ticket in rng.sample(busy, 12):
        path = f"{JIFELINE}/tickets/in-progress-tickets/{ticket['id']}"
        if rng.random() < 0.5:
            reply = client.put(path, json={"operator_id": rng.choice(operators)["id"]},
                               headers={**JIFELINE_AUTH, **SESSION})
        else:
            transition = rng.choice([{"type": "complete"}, {"type": "cancel", "cancel_reason_id": reasons[0]["id"]}])
            reply = client.patch(path, json={"transition": transition}, headers={**JIFELINE_AUTH, **SESSION},
                                 follow_redirects=False)
        assert reply.status_code in (200, 303), reply.text
    check_jifeline_lists(client, rng, SESSION)
    check_jifeline_lists(client, rng, {})  # the default session's indexes are not the writer's
    events = sorted(dumped(client, "jifeline", SESSION)["events"], key=lambda e: e["id"])
    for kind in (None, "tickets.ticket.updated", "tickets.ticket.closed"):
        expected = [e["id"] for e in events if kind is None or e["type"] == kind]
        seen: list[str] = []
        after: str | None = None
        while True:
            query = {"limit": 4, **({"type": kind} if kind else {}), **({"after_id": after} if after else {})}
            reply = client.get(f"{JIFELINE}/system/events", params=query, headers={**JIFELINE_AUTH, **SESSION})
            body = reply.json()
            if not body["result"]:
                assert body["after_id"] == after
                break
            seen += [e["id"] for e in body["result"]]
            after = body["after_id"]
        assert seen == expected


# --- Spacebring -------------------------------------------------------------------------------------

SPACEBRING = "/spacebring/support/tickets/v1"
SPACEBRING_AUTH = auth_for("spacebring", "getSupportTickets")
SPACEBRING_ORDERS = {"createDate:asc": ("createDate", False), "createDate:desc": ("createDate", True),
                     "updateDate:asc": ("updateDate", False), "updateDate:desc": ("updateDate", True)}


def spacebring_data(rng: random.Random) -> Records:
    data = shipped("spacebring")
    templates = list(data["tickets"])
    numbers = {location["id"]: max(t["number"] for t in templates if t["locationRef"] == location["id"])
               for location in data["locations"]}
    dates = [f"2025-0{month}-1{day}T09:00:00Z" for month in (6, 7) for day in (1, 2)]  # few dates: many ties
    for _ in range(250):
        ticket = {**rng.choice(templates), "id": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
        numbers[ticket["locationRef"]] += rng.randint(1, 3)
        ticket |= {"number": numbers[ticket["locationRef"]], "createDate": rng.choice(dates),
                   "updateDate": rng.choice(dates)}
        data["tickets"].insert(rng.randrange(len(data["tickets"]) + 1), ticket)
    return data


def spacebring_pages(tickets: list[dict[str, Any]], location: str, order: str, limit: int,
                     requesters: set[str] | None, assignees: set[str] | None) -> list[list[str]]:
    field, descending = SPACEBRING_ORDERS[order]
    rows = sorted((t for t in tickets if t["locationRef"] == location
                   and (requesters is None or t["membershipRefRequester"] in requesters)
                   and (assignees is None or t.get("userRefAssignee") in assignees)),
                  key=lambda t: (t[field], t["number"]), reverse=descending)
    return [[t["id"] for t in rows[start : start + limit]] for start in range(0, len(rows), limit)] or [[]]


def check_spacebring_lists(client: Any, rng: random.Random, headers: dict[str, str]) -> None:
    data = dumped(client, "spacebring", headers)
    for _ in range(16):
        location = rng.choice(data["locations"])["id"]
        members = [m["id"] for m in data["memberships"] if m["locationRef"] == location]
        order, limit = rng.choice(list(SPACEBRING_ORDERS)), rng.choice([1, 7, 40])
        query: dict[str, Any] = {"locationRef": location, "order": order, "limit": limit}
        requesters = assignees = None
        if rng.random() < 0.4:
            requesters = set(rng.sample(members, 2))
            query["membershipRefRequester"] = ",".join(sorted(requesters))
        if rng.random() < 0.3:
            assignees = {t["userRefAssignee"] for t in rng.sample(data["tickets"], 3) if t.get("userRefAssignee")}
            if assignees:
                query["userRefAssignee"] = ",".join(sorted(assignees))
            else:
                assignees = None
        pages = []
        while True:
            reply = client.get(SPACEBRING, params=query, headers={**SPACEBRING_AUTH, **headers})
            assert reply.status_code == 200, reply.text
            body = reply.json()
            pages.append([t["id"] for t in body["tickets"]])
            if "nextPageToken" not in body:
                break
            query["nextPageToken"] = body["nextPageToken"]
        assert pages == spacebring_pages(data["tickets"], location, order, limit, requesters, assignees), query
    # The offset token of the vendor's documentation starts anywhere in the same sequence.
    location = data["locations"][0]["id"]
    expected = sum(spacebring_pages(data["tickets"], location, "createDate:desc", 1, None, None), [])
    for offset in (0, 5, len(expected) - 1, len(expected) + 3):
        token = base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode().rstrip("=")
        reply = client.get(SPACEBRING, params={"locationRef": location, "limit": 3, "nextPageToken": token},
                           headers={**SPACEBRING_AUTH, **headers})
        assert [t["id"] for t in reply.json()["tickets"]] == expected[offset : offset + 3]
        assert ("nextPageToken" in reply.json()) == (offset + 3 < len(expected))


def test_spacebring_token_pages_match_a_full_sort_with_ties_on_the_dates(tmp_path: Path) -> None:
    rng = random.Random(5)
    client = client_with(tmp_path, "spacebring", spacebring_data(rng))
    check_spacebring_lists(client, rng, {})
    data = dumped(client, "spacebring")
    for ticket in rng.sample(data["tickets"], 10):  # status changes move tickets in the updateDate order
        reply = client.put(f"{SPACEBRING}/{ticket['id']}/status", json={"ticket": {"status": "inProgress"}},
                           headers={**SPACEBRING_AUTH, **SESSION})
        assert reply.status_code == 200, reply.text
    creator = {**auth_for("spacebring", "createSupportTicket"), "spacebring-network-id": data["networks"][0]["id"]}
    for location in data["locations"]:
        reply = client.post(SPACEBRING, json={"ticket": {"locationRef": location["id"], "text": "Lekkage",
                                                         "type": "other"}}, headers={**creator, **SESSION})
        assert reply.status_code == 201, reply.text
    check_spacebring_lists(client, rng, SESSION)


# --- Flow Retail ------------------------------------------------------------------------------------

FLOW_AUTH = auth_for("flowretail", "listServiceOrders")
PRIORITIES = ("NONE", "LOW", "MEDIUM", "HIGH", "URGENT")
SORTS = ("serviceOrderUid", "serviceNumber", "title", "priority", "createdAt", "lastModifiedAt", "readyAtEstimate",
         "readyAtNeeded")
ARRAYS = {"serviceStates": "serviceState", "serviceTypeUids": "serviceTypeUid", "assignedUserUids": "assignedUserUid",
          "createdFromStoreUids": "createdFromStoreUid", "priorities": "priority"}


def base62(rng: random.Random, width: int) -> str:
    return "".join(rng.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") for _ in range(width))


def flowretail_data(rng: random.Random) -> Records:
    data = shipped("flowretail")
    templates = list(data["serviceOrders"])
    numbers = rng.sample(range(20_000, 21_000), 300)
    titles = ["Brake service", "brake service", "Winter service", "Flat tyre"]
    times = ["2026-01-08T09:12:00.000Z", "2026-01-09T10:00:00.000Z", "2026-02-01T08:00:00.000Z"]
    for number in numbers:
        order = {**rng.choice(templates), "serviceOrderUid": f"so_{base62(rng, 22)}", "serviceNumber": str(number),
                 "publicPageHash": base62(rng, 32), "title": rng.choice(titles), "priority": rng.choice(PRIORITIES),
                 "createdAt": rng.choice(times), "readyAtNeeded": rng.choice([None, *times]), "items": [],
                 "totals": {"grandTotal": 0.0, "partsTotal": 0.0, "workTotal": 0.0}}
        data["serviceOrders"].append(order)
    return data


def flowretail_key(sort_by: str) -> Callable[[dict[str, Any]], Any]:
    from mockserver.pagination import sort_key

    def text(value: Any) -> Any:
        return sort_key(value.casefold() if isinstance(value, str) else value)

    keys: dict[str, Callable[[dict[str, Any]], Any]] = {
        "serviceOrderUid": lambda o: o["serviceOrderUid"],
        "serviceNumber": lambda o: ((0, int(o["serviceNumber"])) if o["serviceNumber"].isdigit()
                                    else (1, o["serviceNumber"]), o["serviceOrderUid"]),
        "title": lambda o: (text(o["title"]), o["serviceOrderUid"]),
        "priority": lambda o: (PRIORITIES.index(o["priority"]), o["serviceOrderUid"]),
    }
    return keys.get(sort_by) or (lambda o: (sort_key(o[sort_by]), o["serviceOrderUid"]))


def flowretail_expected(data: Records, store: dict[str, Any], criteria: dict[str, Any], sort_by: str,
                        descending: bool, page: int, size: int) -> tuple[list[str], int]:
    customers = {c["customerUid"]: c for c in data["customers"]}

    def texts(order: dict[str, Any]) -> list[str]:
        customer = customers.get(order["customerUid"])
        if customer is None:
            return []
        phone = customer.get("phone")
        found = [customer["name"], customer.get("email"), phone, phone.replace(" ", "") if phone else None]
        return [t for t in found if t is not None]

    def contains(term: str, *values: str) -> bool:
        return any(term.strip().casefold() in v.casefold() for v in values)

    home = (store["$tenantUid"], store["storeUid"])
    rows = [o for o in data["serviceOrders"] if (o["tenantUid"], o["storeUid"]) == home]
    for name, field in ARRAYS.items():
        if criteria.get(name):
            rows = [o for o in rows if o[field] in criteria[name]]
    if criteria.get("title"):
        rows = [o for o in rows if contains(criteria["title"], o["title"])]
    if criteria.get("customer"):
        rows = [o for o in rows if contains(criteria["customer"], *texts(o))]
    if criteria.get("createdFrom"):
        rows = [o for o in rows if o["createdAt"][:10] >= criteria["createdFrom"]]
    rows = sorted(rows, key=flowretail_key(sort_by), reverse=descending)
    return [o["serviceOrderUid"] for o in window(rows, (page - 1) * size, size)], len(rows)


def check_flowretail_lists(client: Any, rng: random.Random, headers: dict[str, str]) -> None:
    data = dumped(client, "flowretail", headers)
    for _ in range(60):
        store = rng.choice(data["stores"])
        base = f"/flowretail/v2/tenants/{store['$tenantUid']}/stores/{store['storeUid']}/serviceorders"
        sort_by, descending = rng.choice(SORTS), rng.random() < 0.5
        page, size = rng.choice([1, 1, 2, 7]), rng.choice([3, 25, 100])
        criteria: dict[str, Any] = {}
        for name, field in ARRAYS.items():
            if rng.random() < 0.25:
                criteria[name] = sorted({o[field] for o in rng.sample(data["serviceOrders"], 2)} - {None})
        params = {"sortBy": sort_by, "sortDirection": "DESC" if descending else "ASC", "pageNumber": page,
                  "pageSize": size}
        if rng.random() < 0.5:
            reply = client.get(base, params={**params, **{k: ",".join(v) for k, v in criteria.items() if v}},
                               headers={**FLOW_AUTH, **headers})
        else:
            criteria |= rng.choice([{}, {"title": "BRAKE"}, {"customer": "a"}, {"createdFrom": "2026-01-09"}])
            reply = client.post(f"{base}/search", params=params, json=criteria, headers={**FLOW_AUTH, **headers})
        assert reply.status_code == 200, reply.text
        body = reply.json()
        got = ([o["serviceOrderUid"] for o in body["items"]], body["paging"]["totalCount"])
        assert got == flowretail_expected(data, store, criteria, sort_by, descending, page, size), (params, criteria)


def test_flowretail_lists_and_searches_match_a_full_sort_for_every_sort_and_filter(tmp_path: Path) -> None:
    rng = random.Random(3)
    client = client_with(tmp_path, "flowretail", flowretail_data(rng))
    check_flowretail_lists(client, rng, {})
    store = dumped(client, "flowretail")["stores"][0]
    base = f"/flowretail/v2/tenants/{store['$tenantUid']}/stores/{store['storeUid']}/serviceorders"
    for query in ({}, {"serviceStates": "IN_PROGRESS,READY"}, {"serviceStates": "READY", "sortBy": "title"}):
        reply = client.get(base, params={**query, "pageNumber": 10**25}, headers=FLOW_AUTH)  # past every index
        assert reply.status_code == 200 and reply.json()["items"] == [], reply.text
    data = dumped(client, "flowretail")
    store = data["stores"][0]
    base = f"/flowretail/v2/tenants/{store['$tenantUid']}/stores/{store['storeUid']}/serviceorders"
    mine = [o for o in data["serviceOrders"] if o["storeUid"] == store["storeUid"]]
    open_ones = [o for o in mine if o["serviceState"] not in ("COMPLETED", "CANCELLED")]
    for order in rng.sample(open_ones, 8):  # changes of title and priority move orders in their sort orders
        reply = client.put(f"{base}/{order['serviceOrderUid']}", json={"title": "a new title", "priority": "URGENT"},
                           headers={**FLOW_AUTH, **SESSION})
        assert reply.status_code == 200, reply.text
    for _ in range(3):
        reply = client.post(base, json={"title": "Brake service", "serviceTypeUid": mine[0]["serviceTypeUid"],
                                        "customerUid": mine[0]["customerUid"]}, headers={**FLOW_AUTH, **SESSION})
        assert reply.status_code == 201, reply.text
    check_flowretail_lists(client, rng, SESSION)


# --- Bloxs ------------------------------------------------------------------------------------------

BLOXS = "/bloxs/api/v1/maintenance/servicetickets"
BLOXS_AUTH = auth_for("bloxs", "filterServiceTickets")


def bloxs_data(rng: random.Random) -> Records:
    data = shipped("bloxs")
    templates = list(data["tickets"])
    # References of different lengths, inserted shuffled: '99999' sorts before '100000'.
    references = rng.sample([*range(99_900, 100_100), *range(1_000_000, 1_000_100)], 280)
    for index, reference in enumerate(references):
        ticket = {**rng.choice(templates), "reference": str(reference), "priority": rng.choice([1, 2, 3]),
                  "reportingDate": rng.choice(["2025-11-03", "2025-11-06", "2026-01-02"]),
                  "stateName": rng.choice([s["name"] for s in data["states"]]),
                  "externalIdentifier": rng.choice([None, f"WO-{index}", "WO-SHARED", "WO-SHARED-2"])}
        data["tickets"].append(ticket)
    return data


def bloxs_expected(tickets: list[dict[str, Any]], body: dict[str, Any]) -> tuple[list[str], int]:
    from mockserver.pagination import sort_key

    def column(ticket: dict[str, Any], field: str) -> Any:
        if field == "reference":
            return len(ticket["reference"]), ticket["reference"]
        value = ticket.get(field)
        return sort_key(value.casefold() if isinstance(value, str) else value)

    wanted = {f: v for f, v in body.items() if f not in ("paging", "sorting") and v not in (None, "")}
    rows = sorted((t for t in tickets if all(t.get(f) == v for f, v in wanted.items())),
                  key=lambda t: (len(t["reference"]), t["reference"]))
    sorting = body.get("sorting") or {}
    if sorting.get("columnName"):
        field = next(f for f in tickets[0] if f.casefold() == sorting["columnName"].casefold())
        rows = sorted(rows, key=lambda t: column(t, field), reverse=sorting.get("order") == "desc")
    paging = body.get("paging") or {}
    number, size = paging.get("pageNumber") or 1, paging.get("pageSize") or 100
    return [t["reference"] for t in window(rows, (number - 1) * size, size)], len(rows)


def check_bloxs_lists(client: Any, rng: random.Random, headers: dict[str, str]) -> None:
    tickets = dumped(client, "bloxs", headers)["tickets"]
    columns = ["reference", "reportingDate", "priority", "stateName", "description", "ExpectedCosts", ""]
    for _ in range(80):
        body: dict[str, Any] = {"paging": {"pageNumber": rng.choice([1, 1, 2, 5]), "pageSize": rng.choice([4, 30])}}
        if rng.random() < 0.8:
            body["sorting"] = {"columnName": rng.choice(columns), "order": rng.choice(["asc", "desc"])}
        sample = rng.choice(tickets)
        for field in ("stateName", "priority", "reportingDate", "realEstateObjectReference", "costCategoryName"):
            if rng.random() < 0.25:
                body[field] = sample.get(field)
        if rng.random() < 0.1:
            body["reference"] = rng.choice([sample["reference"], "1"])
        if rng.random() < 0.1:
            body["externalIdentifier"] = rng.choice(["WO-SHARED", "WO-3", "WO-nothing"])
        reply = client.post(f"{BLOXS}/filter", json=body, headers={**BLOXS_AUTH, **headers})
        assert reply.status_code == 200, reply.text
        got = ([t["reference"] for t in reply.json()["items"]], reply.json()["paging"]["totalItems"])
        assert got == bloxs_expected(tickets, body), body
    # A lookup by a shared externalIdentifier answers the first such ticket of the collection, as a scan did.
    for external in ("WO-SHARED", "WO-SHARED-2", "WO-3"):
        first = next((t for t in tickets if t["externalIdentifier"] == external), None)
        reply = client.get(BLOXS, params={"externalIdentifier": external}, headers={**BLOXS_AUTH, **headers})
        assert reply.status_code == (200 if first else 404)
        if first is not None:
            assert reply.json()["reference"] == first["reference"]


def test_bloxs_filter_matches_a_full_sort_with_ties_kept_in_reference_order_both_ways(tmp_path: Path) -> None:
    rng = random.Random(7)
    client = client_with(tmp_path, "bloxs", bloxs_data(rng))
    check_bloxs_lists(client, rng, {})
    tickets = dumped(client, "bloxs")["tickets"]
    own = [t for t in tickets if not str(t["externalIdentifier"]).startswith("WO-SHARED")]
    for ticket in rng.sample(own, 10):  # a PUT changes the state and the priority, and may drop the identifier
        body = {"reference": ticket["reference"], "stateName": "Active", "priority": 3, "description": "Lekkage",
                "externalIdentifier": rng.choice([None, ticket["externalIdentifier"]])}
        reply = client.put(BLOXS, json=body, headers={**BLOXS_AUTH, **SESSION})
        assert reply.status_code == 200, reply.text
    for _ in range(3):
        reply = client.post(BLOXS, json={"reportingDate": "2025-11-06", "stateName": "Active", "priority": 2,
                                         "description": "Lekkage", "realEstateObjectReference": "OBJ-0318",
                                         "reporterReference": "REL-004512"}, headers={**BLOXS_AUTH, **SESSION})
        assert reply.status_code == 200, reply.text
    check_bloxs_lists(client, rng, SESSION)


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_bloxs_ties_on_a_column_stay_in_reference_order_in_both_directions(tmp_path: Path, order: str) -> None:
    data = shipped("bloxs")
    template = data["tickets"][0]
    data["tickets"] = [{**template, "reference": reference, "externalIdentifier": None, "priority": priority}
                       for reference, priority in (("100003", 2), ("99999", 1), ("100001", 2), ("100000", 1))]
    client = client_with(tmp_path, "bloxs", data)
    reply = client.post(f"{BLOXS}/filter", json={"sorting": {"columnName": "priority", "order": order}},
                        headers=BLOXS_AUTH)
    expected = {"asc": ["99999", "100000", "100001", "100003"], "desc": ["100001", "100003", "99999", "100000"]}
    assert [t["reference"] for t in reply.json()["items"]] == expected[order]
