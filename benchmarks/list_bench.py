"""Benchmark lists and lookups at 100, 10,000 and 50,000 records per vendor: milliseconds per request.

For each vendor and size, the shipped fixtures are grown to N records of the vendor's main collection
(copies of the shipped ones with fresh keys, numbers and dates), written to a temporary fixtures
directory and loaded by a mock in this process (`MockOptions(fixtures_dir=...)`, response validation
off as under `ticketmock serve`). Then a filtered list page and a lookup are each called through
httpx.ASGITransport, one at a time, after a warm-up; the table shows the median (p50) and the 90th
percentile in milliseconds of the whole request (routing, checks, handler, JSON). The target is a list
p50 under 10 ms at 50,000 records.

    .venv/bin/python benchmarks/list_bench.py [--sizes 100,10000,50000] [--calls 300] [--vendors bloxs,...]

To compare with another commit, run this file from the working tree with that commit's `mockserver`
first on the path: `git archive REV mockserver specs | tar -x -C /tmp/rev && PYTHONPATH=/tmp/rev .venv/bin/python
benchmarks/list_bench.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml

Records = dict[str, list[dict[str, Any]]]
START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Probe:
    """One request the benchmark times: a name, the method, the path under the API's base and a body."""

    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    page: str | None = None  # the member of the answer that holds the page (None: a lookup or a write)
    fresh: bool = False  # each call in a session of its own: a session's first write copies what it writes


@dataclass(frozen=True)
class Case:
    """How to grow one vendor's fixtures to N records, and what to ask the grown mock."""

    slug: str
    collection: str
    grow: Callable[[dict[str, Any], int, random.Random], dict[str, Any]]  # a shipped record -> copy number i
    probes: Callable[[Records], list[Probe]]
    headers: dict[str, str]


def moment(i: int, seconds: int = 37) -> datetime:
    return START + timedelta(seconds=i * seconds)


def iso(value: datetime, millis: bool = False) -> str:
    text = value.isoformat(timespec="milliseconds" if millis else "seconds")
    return text.replace("+00:00", "Z")


# --- Bob! Desk (the vendor that pages through sort orders first: the peer figures) -----------------

def grow_bobdesk(ticket: dict[str, Any], i: int, rng: random.Random) -> dict[str, Any]:
    return {**ticket, "_id": f"70{i:06x}{rng.getrandbits(64):016x}", "number": str(500_000 + i),
            "created_at": iso(moment(i), millis=True), "updated_at": iso(moment(i), millis=True)}


def probes_bobdesk(data: Records) -> list[Probe]:
    client, number = data["tickets"][0]["client"]["_id"], data["tickets"][-1]["number"]
    return [Probe("list: client_id filter", "GET", f"/tickets?client_id={client}", page="tickets"),
            Probe("lookup: number", "GET", f"/tickets/get-id-from-number?ticket_number={number}"),
            Probe("create, first write of a session", "POST", "/tickets", {"title": "Fuite"}, fresh=True)]


# --- Jifeline ---------------------------------------------------------------------------------------

def grow_jifeline(ticket: dict[str, Any], i: int, rng: random.Random) -> dict[str, Any]:
    copy = {**ticket, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "ticket_number": 8_000_000 + i}
    for field in ("created_at", "updated_at"):
        if copy.get(field):
            copy[field] = iso(moment(i))
    return copy


def probes_jifeline(data: Records) -> list[Probe]:
    number = data["tickets"][len(data["tickets"]) // 2]["ticket_number"]
    busy = next(t for t in data["tickets"] if t["$state"] == "in_progress")
    return [Probe("list: state=closed, 2nd page", "GET", "/v2/tickets/tickets?state=closed&limit=25&offset=25",
                  page="result"),
            Probe("list: in-progress collection, 2nd page", "GET",
                  "/v2/tickets/in-progress-tickets?limit=25&offset=25", page="result"),
            Probe("lookup: ticket_number", "GET", f"/v2/tickets/tickets?ticket_number={number}"),
            Probe("reassign, first write of a session", "PUT", f"/v2/tickets/in-progress-tickets/{busy['id']}",
                  {"operator_id": data["operators"][0]["id"]}, fresh=True)]


# --- Spacebring -------------------------------------------------------------------------------------

def grow_spacebring(ticket: dict[str, Any], i: int, rng: random.Random) -> dict[str, Any]:
    copy = {**ticket, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "number": 10_000 + i,
            "createDate": iso(moment(i)), "updateDate": iso(moment(i) + timedelta(days=rng.randrange(30)))}
    if "statusUpdateDate" in copy:
        copy["statusUpdateDate"] = copy["updateDate"]
    return copy


def probes_spacebring(data: Records) -> list[Probe]:
    location = data["tickets"][0]["locationRef"]
    return [Probe("list: location, updateDate:desc", "GET",
                  f"/support/tickets/v1?locationRef={location}&limit=25&order=updateDate:desc", page="tickets"),
            Probe("lookup: id", "GET", f"/support/tickets/v1/{data['tickets'][len(data['tickets']) // 2]['id']}"),
            Probe("create, first write of a session", "POST", "/support/tickets/v1",
                  {"ticket": {"locationRef": location, "text": "De printer hapert", "type": "printing"}}, fresh=True)]


# --- Flow Retail ------------------------------------------------------------------------------------

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(rng: random.Random, width: int) -> str:
    return "".join(rng.choice(BASE62) for _ in range(width))


def grow_flowretail(order: dict[str, Any], i: int, rng: random.Random) -> dict[str, Any]:
    when = iso(moment(i), millis=True)
    return {**order, "serviceOrderUid": f"so_Z{i:07d}{base62(rng, 14)}", "serviceNumber": str(50_000 + i),
            "publicPageHash": f"b{i:07d}{base62(rng, 24)}", "createdAt": when, "lastModifiedAt": when,
            "items": [], "totals": {"grandTotal": 0.0, "partsTotal": 0.0, "workTotal": 0.0}}


def probes_flowretail(data: Records) -> list[Probe]:
    order = data["serviceOrders"][0]
    base = f"/tenants/{order['tenantUid']}/stores/{order['storeUid']}/serviceorders"
    digest = next(o["publicPageHash"] for o in reversed(data["serviceOrders"]) if o["storeUid"] == order["storeUid"])
    return [Probe("list: serviceStates, 2nd page", "GET", f"{base}?serviceStates=IN_PROGRESS&pageNumber=2",
                  page="items"),
            Probe("list: serviceStates, createdAt DESC, 2nd page", "GET",
                  f"{base}?serviceStates=IN_PROGRESS&sortBy=createdAt&sortDirection=DESC&pageNumber=2", page="items"),
            Probe("search: serviceStates, 2nd page", "POST", f"{base}/search?pageNumber=2",
                  {"serviceStates": ["IN_PROGRESS"]}, page="items"),
            Probe("lookup: publicPageHash", "GET", f"{base}/publicpage/{digest}"),
            Probe("create, first write of a session", "POST", base,
                  {"title": "Flat tyre", "serviceTypeUid": order["serviceTypeUid"],
                   "customerUid": order["customerUid"]}, fresh=True)]


# --- Bloxs ------------------------------------------------------------------------------------------

def grow_bloxs(ticket: dict[str, Any], i: int, rng: random.Random) -> dict[str, Any]:
    return {**ticket, "reference": str(200_000 + i), "externalIdentifier": f"WO-BENCH-{i:06d}",
            "reportingDate": (START + timedelta(days=i // 40)).date().isoformat()}


def probes_bloxs(data: Records) -> list[Probe]:
    external = data["tickets"][-1]["externalIdentifier"]
    return [Probe("filter: stateName, 2nd page", "POST", "/api/v1/maintenance/servicetickets/filter",
                  {"stateName": "Active", "paging": {"pageNumber": 2, "pageSize": 25}}, page="items"),
            Probe("filter: stateName, reportingDate desc, 2nd page", "POST",
                  "/api/v1/maintenance/servicetickets/filter",
                  {"stateName": "Active", "sorting": {"columnName": "reportingDate", "order": "desc"},
                   "paging": {"pageNumber": 2, "pageSize": 25}}, page="items"),
            Probe("lookup: externalIdentifier", "GET",
                  f"/api/v1/maintenance/servicetickets?externalIdentifier={external}"),
            Probe("create, first write of a session", "POST", "/api/v1/maintenance/servicetickets",
                  {"reportingDate": "2026-03-02", "stateName": "Active", "priority": 2, "description": "Lekkage",
                   "realEstateObjectReference": "OBJ-0318", "reporterReference": "REL-004512"}, fresh=True)]


BEARER = {"Authorization": "Bearer mock-token"}
CASES = [
    Case("bobdesk", "tickets", grow_bobdesk, probes_bobdesk, BEARER),
    Case("jifeline", "tickets", grow_jifeline, probes_jifeline, BEARER),
    Case("spacebring", "tickets", grow_spacebring, probes_spacebring,
         {**BEARER, "spacebring-network-id": "626fe777-1d75-4ace-b1e4-32896bcad566"}),
    Case("flowretail", "serviceOrders", grow_flowretail, probes_flowretail, BEARER),
    Case("bloxs", "tickets", grow_bloxs, probes_bloxs, BEARER),
]


def grown(case: Case, size: int) -> Records:
    """The shipped fixtures with the main collection grown (or cut) to `size` records."""
    from mockserver.vendors import get_vendor

    path = get_vendor(case.slug).fixtures_path
    with open(path, "rb") as handle:
        data: Records = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    shipped = data[case.collection]
    rng = random.Random(f"{case.slug}:{size}")
    copies = [case.grow(shipped[i % len(shipped)], i, rng) for i in range(max(0, size - len(shipped)))]
    records = shipped[:size] + copies
    return {**data, case.collection: records}


def shown(probe: Probe, body: Any) -> str:
    """How many records a list answer holds (the page)."""
    return "-" if probe.page is None else str(len(body[probe.page]))


async def time_probe(client: httpx.AsyncClient, probe: Probe, headers: dict[str, str],
                     calls: int) -> tuple[list[float], str]:
    sessions = iter(range(1_000_000))

    async def call() -> float:
        sent = {**headers, "X-Ticketmock-Session": f"bench-{next(sessions)}"} if probe.fresh else headers
        started = time.perf_counter()
        response = await client.request(probe.method, probe.path, headers=sent, json=probe.body)
        elapsed = time.perf_counter() - started
        if response.status_code >= 300:
            raise RuntimeError(f"{probe.method} {probe.path}: {response.status_code} {response.text[:300]}")
        if probe.fresh:
            deleted = await client.delete(f"http://mock/_ticketmock/sessions/{sent['X-Ticketmock-Session']}")
            deleted.raise_for_status()
        return elapsed * 1000

    if probe.fresh:  # a new session per call: fewer calls, no warm-up beyond the first
        calls = max(5, calls // 10)
        await call()
        return [await call() for _ in range(calls)], "-"
    for _ in range(max(5, calls // 20)):
        await call()
    response = await client.request(probe.method, probe.path, headers=headers, json=probe.body)
    return [await call() for _ in range(calls)], shown(probe, response.json())


def measure(case: Case, size: int, calls: int) -> tuple[float, list[tuple[Probe, tuple[list[float], str]]]]:
    from mockserver.app import MockOptions, create_app

    data = grown(case, size)
    with tempfile.TemporaryDirectory() as scratch:
        # JSON is YAML: the fixture reader takes it, and writing it is much faster than yaml.dump.
        (Path(scratch) / f"{case.slug}.yaml").write_text(json.dumps(data))
        started = time.perf_counter()
        app = create_app([case.slug], MockOptions(fixtures_dir=Path(scratch), seed=1))
        loaded = time.perf_counter() - started
    base = app.runtime.base_paths[case.slug]

    async def run() -> list[tuple[Probe, tuple[list[float], str]]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://mock{base}") as client:
            return [(probe, await time_probe(client, probe, case.headers, calls)) for probe in case.probes(data)]

    return loaded, asyncio.run(run())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,10000,50000", help="records per vendor, comma-separated")
    parser.add_argument("--calls", type=int, default=300, help="timed calls per request")
    parser.add_argument("--vendors", default=",".join(c.slug for c in CASES), help="comma-separated slugs")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    wanted = args.vendors.split(",")
    import mockserver

    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; mockserver from "
          f"{Path(mockserver.__file__).parent}; {args.calls} calls per row, one at a time\n")
    print(f"{'vendor':<11} {'records':>8} {'load s':>7}  {'request':<46} {'shown':>5} {'p50 ms':>8} {'p90 ms':>8}")
    for case in (c for c in CASES if c.slug in wanted):
        for size in sizes:
            loaded, rows = measure(case, size, args.calls)
            for index, (probe, (times, count)) in enumerate(rows):
                head = f"{case.slug:<11} {size:>8} {loaded:>7.1f}" if index == 0 else " " * 28
                print(f"{head}  {probe.name:<46} {count:>5} {statistics.median(times):>8.2f} "
                      f"{percentile(times, 0.9):>8.2f}", flush=True)


if __name__ == "__main__":
    main()
