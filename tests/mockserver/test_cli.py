"""`ticketmock serve` and `ticketmock apis` through the command line."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml
from click.testing import CliRunner

from mockserver.cli import main
from mockserver.spec import ROOT
from mockserver.vendors import SLUGS, get_vendor


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_apis_prints_one_row_per_api() -> None:
    code, output = run("apis")
    assert code == 0
    lines = output.strip().splitlines()
    assert lines[0].split()[:2] == ["SLUG", "TITLE"]
    assert [line.split()[0] for line in lines[1:]] == list(SLUGS)
    assert "http://127.0.0.1:8000/flowretail/v2" in output


def test_more_than_one_worker_is_refused() -> None:
    code, output = run("serve", "--workers", "2")
    assert code == 2
    assert "would split the mock's state" in output


def test_unknown_api_gets_did_you_mean() -> None:
    code, output = run("serve", "--api", "jifline")
    assert code == 2 and "did you mean 'jifeline'?" in output


def test_malformed_basic_option() -> None:
    code, output = run("serve", "--basic", "nocolon")
    assert code == 2 and "expected USER:PASS" in output


def test_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = run("serve", "--port", str(port))
    assert code == 1 and f"port {port} on 127.0.0.1 is already in use" in output


def test_a_host_that_cannot_be_resolved_or_bound_says_so() -> None:
    code, output = run("serve", "--host", "no-such-host.invalid", "--port", "0")
    assert code == 1 and "--host no-such-host.invalid: cannot resolve that name" in output
    assert "already in use" not in output
    code, output = run("serve", "--host", "192.0.2.1", "--port", "0")  # TEST-NET-1: no machine has it
    assert code == 1 and "--host 192.0.2.1: this machine has no such address, so nothing can listen on it" in output


def test_a_stray_file_in_the_fixtures_dir_stops_startup_with_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "bob-desk.yaml").write_text("tickets: []\n", encoding="utf-8")
    code, output = run("serve", "--fixtures", str(tmp_path), "--port", "0")
    assert code == 1
    assert f"{tmp_path / 'bob-desk.yaml'}: no API is called 'bob-desk', so nothing loads it; did you mean " \
           "bobdesk.yaml?" in output


def test_invalid_fixture_stops_startup_naming_file_record_and_field(tmp_path: Path) -> None:
    vendor = get_vendor("bobdesk")
    data = yaml.safe_load(vendor.fixtures_path.read_text(encoding="utf-8"))
    data["tickets"][0]["priority_label"] = "urgent"
    (tmp_path / "bobdesk.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, output = run("serve", "--api", "bobdesk", "--fixtures", str(tmp_path), "--port", str(port))
    assert code == 1
    assert str(tmp_path / "bobdesk.yaml") in output
    assert "tickets[0]" in output and "field 'priority_label'" in output and "'urgent' is not one of" in output


def test_serve_prints_working_curl_lines_and_logs_requests() -> None:
    """The real server process: every curl line of the banner works as printed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).with_name("ticketmock")), "serve", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        banner: list[str] = []
        assert process.stdout is not None
        while not any(line.startswith("Ctrl-C") for line in banner):
            line = process.stdout.readline()
            assert line, "the server exited:\n" + "".join(banner)
            banner.append(line)
        curls = [line.split("try", 1)[1].strip() for line in banner if line.strip().startswith("try")]
        assert len(curls) == len(SLUGS)
        fixtures = [line.split("fixtures", 1)[1].strip() for line in banner if line.strip().startswith("fixtures")]
        assert fixtures == [f"mockserver/vendors/{slug}/fixtures.yaml (shipped)" for slug in SLUGS]
        assert f"Dashboard     http://127.0.0.1:{port}/\n" in banner
        deadline = time.monotonic() + 20
        for curl in curls:
            words = shlex.split(curl)
            headers = dict(words[i + 1].split(": ", 1) for i, word in enumerate(words) if word == "-H")
            url = words[-1]
            while True:
                try:
                    response = httpx.get(url, headers=headers, timeout=5)
                    break
                except httpx.ConnectError:
                    assert time.monotonic() < deadline
                    time.sleep(0.1)
            assert response.status_code == 200, (curl, response.text)
        logged = process.stdout.readline()
        assert logged.startswith("GET /") and " 200 " in logged
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_make_serve_takes_the_port_from_port() -> None:
    """`make serve PORT=9000` as the README says (any free port here; the install step is not rerun)."""
    import os
    import signal

    from tests.helpers import free_port

    port = free_port()
    process = subprocess.Popen(["make", "--no-print-directory", "-o", ".venv/.installed", "serve", f"PORT={port}",
                                "ARGS=--quiet --api bobdesk"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/bobdesk/api/v3.0/tickets",
                                   headers={"Authorization": "Bearer t"}, timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, process.communicate()[0]
                time.sleep(0.1)
        assert answer.status_code == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=15)[0]
    assert f"--port {port}" in output and f"http://127.0.0.1:{port}/bobdesk/api/v3.0" in output
