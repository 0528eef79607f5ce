"""Benchmark the pytest plugin's overhead: what a fresh session per test costs.

1. The example suite (examples/, 15 tests) run in this process with pytest, several times: per test,
   the time of its setup and teardown phases (the `ticketmock` fixture creating and deleting the
   session, loading marker fixtures, the app's clients), the mock's start and stop apart.
2. The session alone: `mock.session()` then `close()` (POST and DELETE /_ticketmock/sessions), many
   times, against the mock in a thread of this process (what the plugin starts) and against a
   `ticketmock serve` process (what --ticketmock-url uses), next to the way without sessions:
   resetting every API (`POST /_ticketmock/reset`) between tests, which cannot run tests in parallel.

Target: under 5 ms per test. Figures are machine-dependent; compare the rows of one run.

    .venv/bin/python benchmarks/plugin_bench.py [--runs 5] [--sessions 300]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


class PhaseTimes:
    """A pytest plugin that keeps every test's setup, call and teardown durations."""

    def __init__(self) -> None:
        self.phases: dict[str, dict[str, float]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.phases.setdefault(report.nodeid, {})[report.when] = report.duration


def suite_runs(runs: int) -> tuple[list[float], list[float], list[float]]:
    """Setup + teardown (ms) of every test but each run's first and last, whose setup and teardown
    hold the mock's start and stop; and those starts and stops."""
    per_test, starts, stops = [], [], []
    sys.path.insert(0, str(EXAMPLES))
    for _ in range(runs):
        times = PhaseTimes()
        with contextlib.redirect_stdout(io.StringIO()):
            code = pytest.main(["-q", "-p", "no:cacheprovider", "-p", "no:xdist", str(EXAMPLES)], plugins=[times])
        if code != 0:
            raise SystemExit(f"the example suite failed (exit {code}); run it: cd examples && pytest")
        rows = list(times.phases.values())
        starts.append(rows[0]["setup"] * 1000)
        stops.append(rows[-1]["teardown"] * 1000)
        per_test += [(row["setup"] + row["teardown"]) * 1000 for row in rows[1:-1]]
    return per_test, starts, stops


def timed(action: Callable[[], Any], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


@contextmanager
def serve_process() -> Iterator[str]:
    """`ticketmock serve` on a free port (quiet), its URL."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).with_name("ticketmock")), "serve", "--quiet", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/_ticketmock/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{' '.join(command)} did not come up") from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def session_rows(mock: Any, count: int) -> dict[str, list[float]]:
    def fresh_session() -> None:
        mock.session().close()

    def reset_everything() -> None:
        mock.reset()

    fresh_session()  # warm the connection
    return {"fresh session (create + delete)": timed(fresh_session, count),
            "reset every API instead": timed(reset_everything, count)}


def line(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"  {label:<44} median {statistics.median(samples):6.2f} ms   mean {statistics.fmean(samples):6.2f} ms" \
           f"   p95 {p95:6.2f} ms   (n={len(samples)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="times the example suite runs")
    parser.add_argument("--sessions", type=int, default=300, help="sessions created and deleted per row")
    args = parser.parse_args()

    import ticketmock

    per_test, starts, stops = suite_runs(args.runs)
    print(f"Example suite, {args.runs} runs, the mock in a thread (the first and last test of a run left out: "
          "they start and stop the mock):")
    print(line("setup + teardown per test", per_test))
    print(line("mock start, first run (imports the server)", starts[:1]))
    if len(starts) > 1:
        print(line("mock start, later runs", starts[1:]))
    print(line("mock stop", stops))
    with ticketmock.run() as mock:
        print("The session alone, mock in a thread of this process (what the plugin starts):")
        for label, samples in session_rows(mock, args.sessions).items():
            print(line(label, samples))
    with serve_process() as url, ticketmock.connect(url) as mock:
        print("The session alone, `ticketmock serve` in its own process (--ticketmock-url):")
        for label, samples in session_rows(mock, args.sessions).items():
            print(line(label, samples))


if __name__ == "__main__":
    main()
