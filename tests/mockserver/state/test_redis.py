"""One mock on many processes: real `ticketmock serve` processes sharing a real Redis."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from mockserver.state.redis import safe_url
from tests.helpers import RedisServer, ServerProcess, auth_for

BOBDESK = "/bobdesk/api/v3.0"
AUTH = auth_for("bobdesk", "createTicket")
CLOSE = {"Connection": "close"}  # a new connection per request: the kernel spreads them over the workers


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:10]}:"


@pytest.fixture
def cluster(redis_server: RedisServer, prefix: str) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Two worker processes behind one port, and one more `ticketmock serve` on another port."""
    shared = ("--api", "bobdesk", "--state", redis_server.url, "--state-prefix", prefix, "--quiet", "--seed", "5")
    with ServerProcess(*shared, "--workers", "2", timeout=60) as workers, ServerProcess(*shared) as single:
        yield workers, single


def pids_behind(url: str, tries: int = 60) -> set[int]:
    return {httpx.get(f"{url}/_ticketmock/health", headers=CLOSE).json()["process"] for _ in range(tries)}


async def spread(urls: list[str], count: int, request: Any) -> list[httpx.Response]:
    """`count` requests at once, round-robin over the servers, each on a fresh connection."""
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        return await asyncio.gather(*(request(client, urls[n % len(urls)], n) for n in range(count)))


def tickets_seen_by(url: str) -> list[dict[str, Any]]:
    tickets: list[dict[str, Any]] = httpx.get(f"{url}/_ticketmock/apis/bobdesk/state").json()["collections"]["tickets"]
    return tickets


def test_creates_spread_over_three_processes_make_one_consistent_world(
        cluster: tuple[ServerProcess, ServerProcess]) -> None:
    workers, single = cluster
    assert len(pids_behind(workers.url)) == 2  # both workers answer on the shared port
    before = {t["_id"] for t in tickets_seen_by(single.url)}

    async def create(client: httpx.AsyncClient, url: str, n: int) -> httpx.Response:
        return await client.post(f"{url}{BOBDESK}/tickets", json={"title": f"Fuite {n}"}, headers={**AUTH, **CLOSE})

    responses = asyncio.run(spread([workers.url, workers.url, single.url], 500, create))
    assert [r.status_code for r in responses] == [200] * 500, {r.status_code: r.text for r in responses}
    created = {r.json()["ticket_id"] for r in responses}
    assert len(created) == 500
    for url in (workers.url, single.url, workers.url):
        tickets = tickets_seen_by(url)
        new = [t for t in tickets if t["_id"] not in before]
        assert {t["_id"] for t in new} == created  # every acknowledged write, seen by every process
        assert len({t["number"] for t in new}) == 500  # ticket numbers never repeat
        assert sorted(t["title"] for t in new) == sorted(f"Fuite {n}" for n in range(500))


def test_parallel_cancels_of_one_ticket_over_three_processes_one_succeeds(
        cluster: tuple[ServerProcess, ServerProcess]) -> None:
    workers, single = cluster
    ticket = httpx.post(f"{single.url}{BOBDESK}/tickets", json={"title": "Annuler"}, headers=AUTH).json()["ticket_id"]

    async def cancel(client: httpx.AsyncClient, url: str, n: int) -> httpx.Response:
        return await client.put(f"{url}{BOBDESK}/tickets/{ticket}/cancel", json={}, headers={**AUTH, **CLOSE})

    responses = asyncio.run(spread([workers.url, single.url, workers.url], 100, cancel))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 99, statuses
    refusal = next(r for r in responses if r.status_code == 409).json()
    assert refusal["code"] == "transition_not_allowed" and "'canceled'" in refusal["message"]
    listed = next(t for t in tickets_seen_by(workers.url) if t["_id"] == ticket)
    assert listed["status"] == "canceled"


def test_a_worker_killed_during_a_burst_loses_no_acknowledged_write(
        cluster: tuple[ServerProcess, ServerProcess]) -> None:
    workers, single = cluster
    victim = min(pids_behind(workers.url))

    async def burst() -> list[httpx.Response | BaseException]:
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=0)
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            async def create(n: int) -> httpx.Response:
                if n == 150:
                    os.kill(victim, signal.SIGKILL)
                url = workers.url if n % 3 else single.url
                return await client.post(f"{url}{BOBDESK}/tickets", json={"title": f"Rafale {n}"},
                                         headers={**AUTH, **CLOSE})
            return await asyncio.gather(*(create(n) for n in range(400)), return_exceptions=True)

    results = asyncio.run(burst())
    acknowledged = {r.json()["ticket_id"] for r in results if isinstance(r, httpx.Response) and r.status_code == 200}
    assert len(acknowledged) > 250  # the others were cut off with the worker, or answered by its peers
    tickets = {t["_id"]: t for t in tickets_seen_by(single.url)}
    assert acknowledged <= set(tickets)
    required = {"_id", "number", "status", "created_at", "updated_at", "client", "title"}
    assert all(required <= set(t) for t in tickets.values())  # no partial record
    assert len({t["number"] for t in tickets.values()}) == len(tickets)
    # the surviving worker and the other process keep serving
    assert httpx.get(f"{single.url}{BOBDESK}/tickets", headers=AUTH).status_code == 200
    assert httpx.get(f"{workers.url}{BOBDESK}/tickets", headers=AUTH).status_code == 200


def test_redis_going_away_is_503_in_the_vendor_shape_and_service_resumes(tmp_path: Path, prefix: str) -> None:
    store = RedisServer(tmp_path / "redis", persistent=True)
    try:
        with ServerProcess("--api", "bobdesk", "--state", store.url, "--state-prefix", prefix, "--quiet") as mock:
            first = httpx.post(f"{mock.url}{BOBDESK}/tickets", json={"title": "Avant"}, headers=AUTH).json()
            store.stop()
            down = httpx.post(f"{mock.url}{BOBDESK}/tickets", json={"title": "Pendant"}, headers=AUTH)
            assert down.status_code == 503
            assert set(down.json()) >= {"message", "code"} and down.json()["code"] == "state_unavailable"
            assert safe_url(store.url) in down.json()["message"]
            health = httpx.get(f"{mock.url}/_ticketmock/health")
            assert health.status_code == 503 and health.json()["ok"] is False
            store.start()
            after = httpx.post(f"{mock.url}{BOBDESK}/tickets", json={"title": "Après"}, headers=AUTH)
            assert after.status_code == 200, after.text
            assert httpx.get(f"{mock.url}/_ticketmock/health").json()["ok"] is True
            tickets = tickets_seen_by(mock.url)
            titles = [t["title"] for t in tickets]
            assert "Avant" in titles and "Après" in titles and "Pendant" not in titles
            ids = {t["_id"] for t in tickets}
            assert len(ids) == len(tickets) and first["ticket_id"] in ids
            assert len({t["number"] for t in tickets}) == len(tickets)
    finally:
        store.stop()


def test_a_password_in_the_state_url_is_never_printed(redis_server: RedisServer) -> None:
    url = redis_server.url.replace("redis://", "redis://:hunter2-secret@")
    client = redis.Redis.from_url(redis_server.url)
    client.config_set("requirepass", "hunter2-secret")
    try:
        with ServerProcess("--api", "bobdesk", "--state", url, "--state-prefix", f"pw-{uuid.uuid4().hex[:8]}:",
                           "--quiet") as mock:
            health = httpx.get(f"{mock.url}/_ticketmock/health").text
            mock.stop()
            printed = mock.output()
        assert "hunter2-secret" not in health and "hunter2-secret" not in printed
        assert "redis://:***@127.0.0.1" in printed
    finally:
        redis.Redis.from_url(url).config_set("requirepass", "")


CLIENT = """
import json, sys, time, httpx
token, a, b = sys.argv[1:4]
control = {"Authorization": "Bearer " + token}
auth = {"Authorization": "Bearer mock-token"}
for origin in (a, b):
    for _ in range(300):
        try:
            if httpx.get(origin + "/_ticketmock/health", headers=control, timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
made = [httpx.post(origin + "/bobdesk/api/v3.0/tickets", json={"title": "via " + origin}, headers=auth).json()
        for origin in (a, b, a, b)]
seen = [sorted(t["_id"] for t in httpx.get(origin + "/_ticketmock/apis/bobdesk/state", headers=control)
               .json()["collections"]["tickets"]) for origin in (a, b)]
print(json.dumps({"made": [m["ticket_id"] for m in made], "seen": seen}))
"""


def test_two_hosts_in_two_network_namespaces_share_one_redis(tmp_path: Path) -> None:
    """Two machines, as far as the network goes: network namespaces joined by a veth pair."""
    import shutil
    import subprocess
    import sys

    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("needs root and iproute2 to create network namespaces (CI runs as root and runs it)")
    tag = uuid.uuid4().hex[:6]
    a, b, link = f"tm-a-{tag}", f"tm-b-{tag}", f"tmv{tag}"

    def ip(*args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True)

    processes: list[subprocess.Popen[bytes]] = []

    def start(namespace: str, *command: str) -> None:
        with open(tmp_path / f"{namespace}-{len(processes)}.log", "wb") as log:
            # A process group of its own: the shell loop and the server it starts stop together.
            processes.append(subprocess.Popen(["ip", "netns", "exec", namespace, *command], stdout=log,
                                              stderr=subprocess.STDOUT, start_new_session=True))

    ip("netns", "add", a)
    ip("netns", "add", b)
    try:
        ip("link", "add", f"{link}a", "type", "veth", "peer", "name", f"{link}b")
        ip("link", "set", f"{link}a", "netns", a)
        ip("link", "set", f"{link}b", "netns", b)
        for namespace, device, address in ((a, f"{link}a", "10.231.7.1"), (b, f"{link}b", "10.231.7.2")):
            ip("-n", namespace, "addr", "add", f"{address}/24", "dev", device)
            ip("-n", namespace, "link", "set", device, "up")
            ip("-n", namespace, "link", "set", "lo", "up")
        start(a, shutil.which("redis-server") or "redis-server", "--bind", "10.231.7.1", "--port", "6390",
              "--protected-mode", "no", "--save", "", "--appendonly", "no", "--dir", str(tmp_path))
        state = "redis://10.231.7.1:6390/0"
        ticketmock = str(Path(sys.executable).with_name("ticketmock"))
        for namespace, address in ((a, "10.231.7.1"), (b, "10.231.7.2")):
            # Redis may need a moment: the second host retries until its state answers.
            start(namespace, "sh", "-c", f"for i in $(seq 50); do {ticketmock} serve --api bobdesk --host {address} "
                                         f"--port 8000 --state {state} --control-token net-token --quiet && break; "
                                         "sleep 0.2; done")
        result = subprocess.run(["ip", "netns", "exec", b, sys.executable, "-c", CLIENT, "net-token",
                                 "http://10.231.7.1:8000", "http://10.231.7.2:8000"],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        import json

        report = json.loads(result.stdout)
        assert len(set(report["made"])) == 4
        assert report["seen"][0] == report["seen"][1] and set(report["made"]) <= set(report["seen"][0])
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", a], capture_output=True)
        subprocess.run(["ip", "netns", "del", b], capture_output=True)
