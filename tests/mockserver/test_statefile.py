"""Sessions that survive a restart (`serve --state-file`) and snapshots through the command line."""

from __future__ import annotations

import hashlib
import json
import signal
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from mockserver.cli import main
from mockserver.statefile import write_atomically
from tests.helpers import ServerProcess, auth_for, free_port

BOBDESK = "/bobdesk/api/v3.0"
AUTH = auth_for("bobdesk", "createTicket")


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def state_hashes(url: str, session: str = "default", apis: tuple[str, ...] = ("bobdesk", "spacebring")) -> list[str]:
    headers = {"X-Ticketmock-Session": session}
    return [hashlib.sha256(httpx.get(f"{url}/_ticketmock/apis/{slug}/state", headers=headers).content).hexdigest()
            for slug in apis]


def test_sessions_survive_sigterm_and_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    args = ("--api", "bobdesk", "--api", "spacebring", "--state-file", str(state), "--quiet")
    with ServerProcess(*args) as server:
        made = httpx.post(f"{server.url}{BOBDESK}/tickets", json={"title": "Survives"}, headers=AUTH).json()
        httpx.post(f"{server.url}/_session/ana{BOBDESK}/tickets", json={"title": "Hers"}, headers=AUTH)
        httpx.post(f"{server.url}/_ticketmock/clock", json={"freeze": "2031-05-06T07:08:09Z"},
                   headers={"X-Ticketmock-Session": "ana"})
        httpx.post(f"{server.url}/_ticketmock/faults", json={"api": "bobdesk", "operationId": "listTickets",
                                                             "status": 503}, headers={"X-Ticketmock-Session": "ana"})
        before = {name: state_hashes(server.url, name) for name in ("default", "ana")}
        assert server.stop(signal.SIGTERM) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it caught
    saved = json.loads(state.read_text())
    assert {s["name"] for s in saved["sessions"]} == {"default", "ana"}
    assert set(next(s for s in saved["sessions"] if s["name"] == "default")["apis"]) == {"bobdesk"}
    with ServerProcess(*args) as server:
        assert {name: state_hashes(server.url, name) for name in ("default", "ana")} == before
        listed = httpx.get(f"{server.url}{BOBDESK}/tickets", headers=AUTH).json()["tickets"]
        assert made["ticket_id"] in {t["_id"] for t in listed}
        assert httpx.get(f"{server.url}/_ticketmock/clock", headers={"X-Ticketmock-Session": "ana"}).json()[
            "now"] == "2031-05-06T07:08:09.000Z"
        assert httpx.get(f"{server.url}{BOBDESK}/tickets", headers={**AUTH, "X-Ticketmock-Session": "ana"}
                         ).status_code == 503
        assert server.stop(signal.SIGINT) in (0, 130)
        assert "Traceback" not in server.output()
    assert (tmp_path / "state.json.bak").exists()


@pytest.mark.parametrize(("content", "problem"), [
    (b'{"format": "ticketmock-state", "version": 1, "sessions": [{"na', "invalid JSON"),
    (b'{"format": "ticketmock-state", "version": 7, "sessions": []}', "version 7 is not supported"),
    (b'["not", "a", "state", "file"]', "not a ticketmock state file"),
    (b'{"format": "ticketmock-state", "version": 1, "sessions": [{"name": "bad name"}]}', "not a valid session"),
])
def test_a_corrupt_state_file_stops_startup_with_one_line(tmp_path: Path, content: bytes, problem: str) -> None:
    state = tmp_path / "state.json"
    state.write_bytes(content)
    code, output = cli("serve", "--api", "bobdesk", "--state-file", str(state), "--port", str(free_port()))
    assert code == 1, output
    lines = output.strip().splitlines()
    assert len(lines) == 1 and str(state) in lines[0] and problem in lines[0], output
    assert "Traceback" not in output


def test_writes_are_atomic_and_keep_the_previous_good_file(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second" and (tmp_path / "state.json.bak").read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json", "state.json.bak"]


def test_snapshot_save_and_load_through_the_cli(tmp_path: Path) -> None:
    saved = tmp_path / "alice.json"
    with ServerProcess("--api", "bobdesk", "--quiet") as server:
        httpx.post(f"{server.url}/_session/alice{BOBDESK}/tickets", json={"title": "Kept"}, headers=AUTH)
        wanted = state_hashes(server.url, "alice", ("bobdesk",))
        code, output = cli("snapshot", "save", str(saved), "--url", server.url, "--session", "alice")
        assert code == 0 and "saved session 'alice'" in output and str(saved) in output
        httpx.post(f"{server.url}/_ticketmock/reset", headers={"X-Ticketmock-Session": "alice"})
        assert state_hashes(server.url, "alice", ("bobdesk",)) != wanted
        code, output = cli("snapshot", "load", str(saved), "--url", server.url, "--session", "alice")
        assert code == 0 and "loaded" in output
        assert state_hashes(server.url, "alice", ("bobdesk",)) == wanted
        # into another session too: snapshots are portable
        code, _ = cli("snapshot", "load", str(saved), "--url", server.url, "--session", "copy")
        assert code == 0 and state_hashes(server.url, "copy", ("bobdesk",)) == wanted
        broken = tmp_path / "broken.json"
        document = json.loads(saved.read_text())
        document["apis"]["bobdesk"]["collections"]["tickets"][0]["status"] = "exploded"
        broken.write_text(json.dumps(document))
        code, output = cli("snapshot", "load", str(broken), "--url", server.url, "--session", "alice")
        assert code == 1 and len(output.strip().splitlines()) == 1 and "tickets[0]" in output
        assert state_hashes(server.url, "alice", ("bobdesk",)) == wanted
    code, output = cli("snapshot", "save", str(saved), "--url", f"http://127.0.0.1:{free_port()}")
    assert code == 1 and "cannot reach the mock" in output and len(output.strip().splitlines()) == 1
