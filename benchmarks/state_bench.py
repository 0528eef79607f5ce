"""Benchmark the state backends: GET one, POST create and a filtered list page at 100, 10,000 and 50,000
records, for memory/1 worker, Redis/1 worker and Redis/2 workers, next to Prism 5 and WireMock 3.

The resource is Bob! Desk's tickets: "GET one" is the lookup by number
(`/tickets/get-id-from-number`), "list" is one client's page (`/tickets?client_id=...`). ticketmock
serves generated fixture files of N tickets; Prism 5 (static mode, `-v error`) serves the same spec and
WireMock 3 (the standalone jar the npm package `wiremock` ships, on Java 17) a static stub of the same
three paths: neither keeps state, so their figures do not depend on N. Load: wrk 4, `-t2 -c32` after a
2 s warm-up; wrk and the servers share the machine's cores, so compare the rows of one run.
A Redis server is started for the run (`redis-server` must be on PATH). Peers are installed with npm
into a cache directory on first use (`--no-peers` skips them).

    .venv/bin/python benchmarks/state_bench.py [--duration 10] [--sizes 100,10000,50000] [--no-peers]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mock_bench import (  # noqa: E402 - the sibling benchmark's load tools
    PRISM_HOME,
    ROOT,
    TICKETMOCK,
    Endpoint,
    free_port,
    prism_binary,
    process,
    wait_for,
    wrk,
)

BEARER = {"Authorization": "Bearer mock-token"}
CLIENT = "64103a88673a0fc7bdbbe910"  # Boulangeries Maison Vernier
WIREMOCK_HOME = PRISM_HOME.parent / "wiremock"
WIREMOCK_VERSION = "3.13.2"


def endpoints(number: str) -> list[Endpoint]:
    return [
        Endpoint("bobdesk", "GET one", "GET", f"/api/v3.0/tickets/get-id-from-number?ticket_number={number}", BEARER),
        Endpoint("bobdesk", "POST create", "POST", "/api/v3.0/tickets", BEARER, {"title": "Porte coincée"}),
        Endpoint("bobdesk", "list page", "GET", f"/api/v3.0/tickets?client_id={CLIENT}", BEARER),
    ]


def fixtures_with(count: int, directory: Path) -> str:
    """Bob! Desk's fixtures with `count` tickets (copies of the shipped ones, new ids and numbers)."""
    shipped = yaml.safe_load((ROOT / "mockserver/vendors/bobdesk/fixtures.yaml").read_text(encoding="utf-8"))
    tickets = shipped["tickets"]
    made = []
    for n in range(count):
        ticket = dict(tickets[n % len(tickets)])
        ticket["_id"] = f"{0x68000000 + n // 4096:08x}{0x673a0fc7bd:010x}{n % 4096 + 1:06x}"
        ticket["number"] = str(200000 + n)
        ticket["url"] = f"https://bob-desk.com/tickets/{ticket['_id']}"
        made.append(ticket)
    shipped["tickets"] = made
    (directory / "bobdesk.json").write_text(json.dumps(shipped), encoding="utf-8")  # read far faster than YAML
    return str(200000 + count // 2)


def wiremock_jar() -> Path | None:
    jars = sorted(WIREMOCK_HOME.glob("node_modules/wiremock/**/wiremock-standalone*.jar"))
    if jars:
        return jars[-1]
    if shutil.which("npm") is None or shutil.which("java") is None:
        return None
    WIREMOCK_HOME.mkdir(parents=True, exist_ok=True)
    print(f"installing wiremock@{WIREMOCK_VERSION} into {WIREMOCK_HOME} ...", file=sys.stderr)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(WIREMOCK_HOME),
                    f"wiremock@{WIREMOCK_VERSION}"], capture_output=True, text=True)
    jars = sorted(WIREMOCK_HOME.glob("node_modules/wiremock/**/wiremock-standalone*.jar"))
    return jars[-1] if jars else None


def wiremock_stubs(directory: Path) -> None:
    """WireMock stubs answering the three requests with bodies like the mock's."""
    mappings = directory / "mappings"
    mappings.mkdir(parents=True)
    stubs = [("GET", "/bobdesk/api/v3.0/tickets/get-id-from-number", {"ticket_id": "68bc0170673a0fc7bd1001a3"}),
             ("POST", "/bobdesk/api/v3.0/tickets", {"ticket_id": "68bc0170673a0fc7bd1001a3"}),
             ("GET", "/bobdesk/api/v3.0/tickets", {"cursor": None, "tickets": []})]
    for index, (method, path, body) in enumerate(stubs):
        stub = {"request": {"method": method, "urlPath": path},
                "response": {"status": 200, "jsonBody": body, "headers": {"Content-Type": "application/json"}}}
        (mappings / f"{index}.json").write_text(json.dumps(stub), encoding="utf-8")


def measure(url: str, number: str, duration: int) -> dict[str, dict[str, float]]:
    return {e.name: wrk(f"{url}/bobdesk{e.path}", e, duration) for e in endpoints(number)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk measurement")
    parser.add_argument("--sizes", default="100,10000,50000", help="record counts (comma-separated)")
    parser.add_argument("--no-peers", action="store_true", help="skip Prism and WireMock")
    args = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed: apt-get install {tool} (these figures need it)")
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cores; wrk -t2 -c32 -d{args.duration}s --latency, 2 s warm-up\n")
    rows: list[tuple[str, int | None, str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as scratch:
        redis_port = free_port()
        with process(["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no",
                      "--dir", scratch]):
            time.sleep(0.5)
            for size in sizes:
                data = Path(scratch) / f"fixtures-{size}"
                data.mkdir()
                number = fixtures_with(size, data)
                for label, extra in (("memory/1", []),
                                     ("redis/1", ["--state", f"redis://127.0.0.1:{redis_port}/0"]),
                                     ("redis/2", ["--state", f"redis://127.0.0.1:{redis_port}/0", "--workers", "2"])):
                    port = free_port()
                    prefix = ["--state-prefix", f"bench-{size}-{label.replace('/', '-')}:"] if extra else []
                    command = [str(TICKETMOCK), "serve", "--quiet", "--api", "bobdesk", "--port", str(port),
                               "--fixtures", str(data), *extra, *prefix]
                    started = time.perf_counter()
                    with process(command):
                        url = f"http://127.0.0.1:{port}"
                        wait_for(f"{url}/bobdesk{endpoints(number)[2].path}", BEARER, timeout=300)
                        print(f"  {label:<9} {size:>6} records: ready in {time.perf_counter() - started:.1f} s",
                              file=sys.stderr)
                        for name, figures in measure(url, number, args.duration).items():
                            rows.append((label, size, name, figures))
                        rows.append((label, size, "list p50 (1 client)", single_latency(url, number)))
        if not args.no_peers:
            try:
                rows += peers(Path(scratch), args.duration)
            except (RuntimeError, subprocess.SubprocessError) as exc:  # the mock's figures still count
                print(f"  (a peer could not be measured: {exc})", file=sys.stderr)
    report(rows, sizes)


def single_latency(url: str, number: str) -> dict[str, float]:
    """The list page's latency without load: the median of 200 sequential requests."""
    path = f"{url}/bobdesk{endpoints(number)[2].path}"
    times = []
    with httpx.Client() as client:
        for _ in range(200):
            started = time.perf_counter()
            client.get(path, headers=BEARER).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return {"rps": float("nan"), "p50": statistics.median(times), "p99": sorted(times)[197], "non2xx": 0.0}


def peers(scratch: Path, duration: int) -> list[tuple[str, int | None, str, dict[str, float]]]:
    rows: list[tuple[str, int | None, str, dict[str, float]]] = []
    prism = prism_binary()
    if prism is not None:
        port = free_port()
        with process([str(prism), "mock", str(ROOT / "specs/bobdesk/openapi.yaml"), "-p", str(port), "-v", "error"]):
            url = f"http://127.0.0.1:{port}"  # Prism serves the spec's paths without the server's /api/v3.0
            wait_for(f"{url}{endpoints('104544')[2].path.removeprefix('/api/v3.0')}", BEARER)
            for endpoint in endpoints("104544"):
                rows.append(("prism static", None, endpoint.name,
                             wrk(f"{url}{endpoint.path.removeprefix('/api/v3.0')}", endpoint, duration)))
    else:
        print("  (prism not measured: npm is not available)", file=sys.stderr)
    jar = wiremock_jar()
    if jar is not None:
        home = scratch / "wiremock"
        wiremock_stubs(home)
        port = free_port()
        command = ["java", "-jar", str(jar), "--port", str(port), "--root-dir", str(home), "--disable-banner",
                   "--no-request-journal", "--async-response-enabled", "false"]
        with process(command):
            url = f"http://127.0.0.1:{port}"
            wait_for(f"{url}/bobdesk{endpoints('104544')[2].path}", BEARER, timeout=120)
            for endpoint in endpoints("104544"):
                rows.append(("wiremock stub", None, endpoint.name,
                             wrk(f"{url}/bobdesk{endpoint.path}", endpoint, duration)))
    else:
        print("  (wiremock not measured: npm or java is not available)", file=sys.stderr)
    return rows


def report(rows: list[tuple[str, int | None, str, dict[str, float]]], sizes: list[int]) -> None:
    print(f"  {'server':<14} {'records':>8} {'request':<20} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for server, size, name, figures in rows:
        shown = "-" if size is None else str(size)
        print(f"  {server:<14} {shown:>8} {name:<20} {figures['rps']:>8.0f} {figures['p50']:>8.2f} "
              f"{figures['p99']:>8.2f} {figures['non2xx']:>8.0f}")
    rps = {(server, size, name): figures["rps"] for server, size, name, figures in rows}
    print("\nRatios (GET one, req/s), at the smallest size:")
    small = sizes[0]
    memory = rps.get(("memory/1", small, "GET one"))
    for other, label in ((("prism static", None, "GET one"), "memory / Prism"),
                         (("wiremock stub", None, "GET one"), "memory / WireMock stub"),
                         (("redis/1", small, "GET one"), "Redis 1 worker / memory"),
                         (("redis/2", small, "GET one"), "Redis 2 workers / memory")):
        value = rps.get(other)
        if memory and value:
            ratio = value / memory if label.startswith("Redis") else memory / value
            print(f"  {label:<26} {ratio:.2f}")


if __name__ == "__main__":
    main()

