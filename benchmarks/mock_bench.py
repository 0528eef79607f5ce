"""Benchmark the mock: cold start, and requests/s with p50/p99 latency next to Prism, in one run.

Load tool: wrk 4 (`apt-get install wrk`), `-t2 -c32 -d10s --latency` after a 2 s warm-up, the
usual settings for comparing mocks on one machine; wrk and the server share the machine's cores, so compare the
rows of one run with each other. Endpoints: GET one ticket and POST create, on Bloxs and Spacebring.
Prism 5 (`@stoplight/prism-cli`, static mode, `-v error`) serves the same spec files; it is
installed with npm into a cache directory on first use (`--no-prism` skips it).

    .venv/bin/python benchmarks/mock_bench.py [--duration 10] [--no-prism] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TICKETMOCK = Path(sys.executable).with_name("ticketmock")
PRISM_HOME = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ticketmock-bench" / "prism"
PRISM_VERSION = "5.14.2"
BEARER = {"Authorization": "Bearer mock-token"}
SPACEBRING = {"Authorization": "Bearer mock-token", "spacebring-network-id": "626fe777-1d75-4ace-b1e4-32896bcad566"}


@dataclass(frozen=True)
class Endpoint:
    api: str
    name: str
    method: str
    path: str  # the vendor path; the mock prefixes it with /<slug>
    headers: dict[str, str]
    body: dict[str, object] | None = None
    mock_only: bool = False  # a ticketmock feature (sessions) that Prism does not have


ENDPOINTS = [
    Endpoint("bloxs", "GET one ticket", "GET", "/api/v1/maintenance/servicetickets?reference=100245", BEARER),
    Endpoint("bloxs", "GET one, session", "GET", "/api/v1/maintenance/servicetickets?reference=100245",
             {**BEARER, "X-Ticketmock-Session": "bench"}, mock_only=True),
    Endpoint("bloxs", "POST create", "POST", "/api/v1/maintenance/servicetickets", BEARER, {
        "externalIdentifier": None, "reportingDate": "2026-03-02", "stateName": "Active", "priority": 2,
        "description": "Lekkende kraan in de pantry", "realEstateObjectReference": "OBJ-0318",
        "reporterReference": "REL-004512"}),
    Endpoint("spacebring", "GET one ticket", "GET", "/support/tickets/v1/fba60fb6-5431-4827-8f1b-2e2b1b503eb0",
             SPACEBRING),
    Endpoint("spacebring", "GET one, session", "GET", "/support/tickets/v1/fba60fb6-5431-4827-8f1b-2e2b1b503eb0",
             {**SPACEBRING, "X-Ticketmock-Session": "bench"}, mock_only=True),
    Endpoint("spacebring", "POST create", "POST", "/support/tickets/v1", SPACEBRING, {
        "ticket": {"locationRef": "67b3f389-2f02-4083-a642-3dcea78018ce", "text": "De printer op 2 hapert",
                   "type": "printing"}}),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, headers: dict[str, str], timeout: float = 60) -> float:
    """Poll until the URL answers 2xx; return the seconds it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if httpx.get(url, headers=headers, timeout=1).is_success:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.005)
    raise RuntimeError(f"{url} did not answer 2xx within {timeout} s")


@contextmanager
def process(command: list[str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def mock_command(port: int) -> list[str]:
    return [str(TICKETMOCK), "serve", "--quiet", "--port", str(port)]


def cold_start(command: list[str], url: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    with process(command):
        wait_for(url, headers)
        return time.perf_counter() - started


def wrk(url: str, endpoint: Endpoint, duration: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "request.lua"
        lines = [f'wrk.method = "{endpoint.method}"']
        headers = dict(endpoint.headers)
        if endpoint.body is not None:
            headers["Content-Type"] = "application/json"
            lines.append(f"wrk.body = {json.dumps(json.dumps(endpoint.body))}")
        lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
        script.write_text("\n".join(lines) + "\n")
        subprocess.run(["wrk", "-t2", "-c32", "-d2s", "-s", str(script), url], capture_output=True, check=True)
        out = subprocess.run(["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", "-s", str(script), url],
                             capture_output=True, text=True, check=True).stdout
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "p50": latency(out, "50%"), "p99": latency(out, "99%"),
            "non2xx": float(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0.0}


def latency(out: str, label: str) -> float:
    match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def prism_binary() -> Path | None:
    binary = PRISM_HOME / "node_modules" / ".bin" / "prism"
    if binary.exists():
        return binary
    if shutil.which("npm") is None:
        return None
    PRISM_HOME.mkdir(parents=True, exist_ok=True)
    print(f"installing @stoplight/prism-cli@{PRISM_VERSION} into {PRISM_HOME} ...", file=sys.stderr)
    result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(PRISM_HOME),
                             f"@stoplight/prism-cli@{PRISM_VERSION}"], capture_output=True, text=True)
    return binary if result.returncode == 0 and binary.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk measurement")
    parser.add_argument("--runs", type=int, default=3, help="cold-start runs")
    parser.add_argument("--no-prism", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (the load tool these figures use)")

    print(f"machine: {os.cpu_count()} cores; wrk -t2 -c32 -d{args.duration}s --latency, 2 s warm-up\n")
    print("Cold start, spawn to first 200 (all five APIs):")
    port = free_port()
    probe = f"http://127.0.0.1:{port}/bloxs/api/v1/maintenance/servicetickets/states"
    starts = [cold_start(mock_command(port), probe, BEARER) for _ in range(args.runs)]
    runs = ", ".join(f"{s:.2f}" for s in starts)
    print(f"  ticketmock serve   runs {runs} s   median {statistics.median(starts):.2f} s")

    prism = None if args.no_prism else prism_binary()
    rows: list[tuple[str, Endpoint, dict[str, float]]] = []
    with process(mock_command(port)):
        wait_for(probe, BEARER)
        for endpoint in ENDPOINTS:
            rows.append(("ticketmock", endpoint, wrk(f"http://127.0.0.1:{port}/{endpoint.api}{endpoint.path}",
                                                     endpoint, args.duration)))
    if prism is not None:
        for api in sorted({e.api for e in ENDPOINTS}):
            prism_port = free_port()
            command = [str(prism), "mock", str(ROOT / "specs" / api / "openapi.yaml"), "-p", str(prism_port),
                       "-v", "error"]
            first = next(e for e in ENDPOINTS if e.api == api)
            started = time.perf_counter()
            with process(command):
                wait_for(f"http://127.0.0.1:{prism_port}{first.path}", first.headers)
                print(f"  prism {api:<12} cold start {time.perf_counter() - started:.2f} s (one API per process)")
                for endpoint in (e for e in ENDPOINTS if e.api == api and not e.mock_only):
                    rows.append(("prism static", endpoint, wrk(f"http://127.0.0.1:{prism_port}{endpoint.path}",
                                                               endpoint, args.duration)))
    elif not args.no_prism:
        print("  (prism not measured: npm is not available)")

    print("\nThroughput and latency:")
    print(f"  {'server':<13} {'api':<11} {'endpoint':<17} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for server, endpoint, figures in sorted(rows, key=lambda r: (r[1].api, r[1].name, r[0])):
        print(f"  {server:<13} {endpoint.api:<11} {endpoint.name:<17} {figures['rps']:>8.0f} "
              f"{figures['p50']:>8.2f} {figures['p99']:>8.2f} {figures['non2xx']:>8.0f}")
    print("\nChoosing a session (GET one with X-Ticketmock-Session vs without, ticketmock):")
    mock = {(e.api, e.name): f for server, e, f in rows if server == "ticketmock"}
    for api in sorted({e.api for e in ENDPOINTS}):
        plain, session = mock[(api, "GET one ticket")]["rps"], mock[(api, "GET one, session")]["rps"]
        print(f"  {api:<11} {plain:>7.0f} -> {session:>7.0f} req/s  ({(session - plain) / plain:+.1%})")


if __name__ == "__main__":
    main()
