"""`ticketmock serve --watch`: a changed fixture file or spec reloads that API; the other APIs keep their state."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import yaml

from mockserver.app import MockOptions, create_app
from mockserver.vendors import get_vendor
from mockserver.watch import Reloadable
from tests.helpers import ServerProcess

BOBDESK = "/bobdesk/api/v3.0"
AUTH = {"Authorization": "Bearer mock-token"}


def shipped(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(get_vendor(slug).fixtures_path.read_text(encoding="utf-8"))
    return data


def eventually(check: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"no {what} within {timeout} s"
        time.sleep(0.1)


def counts(url: str, slug: str, session: str = "default") -> dict[str, int]:
    apis = httpx.get(f"{url}/_ticketmock/apis", headers={"X-Ticketmock-Session": session}).json()["apis"]
    found: dict[str, int] = next(api for api in apis if api["slug"] == slug)["records"]
    return found


def test_a_changed_fixture_file_reloads_its_api_in_every_session_and_nothing_else(tmp_path: Path) -> None:
    tickets = shipped("bobdesk")["tickets"]
    fixtures = tmp_path / "bobdesk.yaml"
    fixtures.write_text(yaml.safe_dump({"tickets": tickets[:3]}), encoding="utf-8")
    with ServerProcess("--watch", "--fixtures", str(tmp_path), "--api", "bobdesk", "--api", "bloxs") as server:
        assert "Watching" in server.output()
        for session in ("default", "alice"):
            headers = {**AUTH, "X-Ticketmock-Session": session}
            assert httpx.post(f"{server.url}{BOBDESK}/tickets", json={"title": "x"}, headers=headers).status_code == 200
            note = {"externalIdentifier": "WO-2025-00712", "message": "kept"}
            assert httpx.post(f"{server.url}/bloxs/api/v1/maintenance/servicetickets/notes", json=note,
                              headers=headers).status_code == 200
        bloxs_notes = counts(server.url, "bloxs")["notes"]
        time.sleep(0.5)  # let the watcher settle on its folders before the edit
        fixtures.write_text(yaml.safe_dump({"tickets": tickets[:5]}), encoding="utf-8")
        eventually(lambda: counts(server.url, "bobdesk")["tickets"] == 5, "reload of bobdesk.yaml")
        assert counts(server.url, "bobdesk", "alice")["tickets"] == 5
        assert counts(server.url, "bloxs")["notes"] == bloxs_notes == counts(server.url, "bloxs", "alice")["notes"]
        eventually(lambda: f"--watch: bobdesk: reloaded {fixtures}" in server.output(), "log line")
        fixtures.write_text("tickets: [unclosed", encoding="utf-8")
        eventually(lambda: "--watch: bobdesk: fixtures not reloaded" in server.output(), "refusal")
        assert counts(server.url, "bobdesk")["tickets"] == 5


def test_a_changed_spec_rebuilds_the_app_behind_a_stable_front_and_keeps_the_state(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    spec_file = tmp_path / "openapi.yaml"
    original = get_vendor("bobdesk").spec_path.read_text(encoding="utf-8")
    spec_file.write_text(original, encoding="utf-8")
    vendor = dataclasses.replace(get_vendor("bobdesk"), spec_file=spec_file)
    lines: list[str] = []
    front = Reloadable(create_app(["bobdesk", "bloxs"], MockOptions(vendors={"bobdesk": vendor})), lines.append)
    with TestClient(front) as client:
        note = {"externalIdentifier": "WO-2025-00712", "message": "kept"}
        assert client.post("/bloxs/api/v1/maintenance/servicetickets/notes", json=note, headers=AUTH).status_code == 200
        assert client.post(f"{BOBDESK}/tickets", json={"title": "x"}, headers=AUTH).status_code == 200
        before = client.get("/_ticketmock/apis/bloxs/state").json()
        time.sleep(0.5)
        spec_file.write_text(original.replace("title: Bob! Desk API", "title: Bob! Desk API (edited)", 1),
                             encoding="utf-8")
        eventually(lambda: client.get(f"{BOBDESK}/openapi.json").json()["info"]["title"] == "Bob! Desk API (edited)",
                   "rebuilt app")
        assert client.get("/_ticketmock/apis/bloxs/state").json() == before
        assert client.get("/_ticketmock/apis").json()["apis"][0]["records"]["tickets"] == 30  # bobdesk was reset
        assert any(line.startswith(f"--watch: bobdesk: reloaded {spec_file}") for line in lines), lines
        spec_file.write_text(original.replace("operationId: listTickets", "operationId: listTicketz", 1),
                             encoding="utf-8")
        eventually(lambda: any("spec not reloaded" in line for line in lines), "refusal")
        assert client.get(f"{BOBDESK}/tickets", headers=AUTH).status_code == 200
        assert "listTicketz" in next(line for line in lines if "spec not reloaded" in line)
