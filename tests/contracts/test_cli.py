"""`ticketmock contract`: exit codes, one-line usage errors, JUnit, and a run over HTTP against a real server."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from click.testing import CliRunner

from contracts.cli import contract
from mockserver.vendors import SLUGS
from tests.helpers import ServerProcess


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(contract, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize(("args", "message"), [
    (["bobdsk"], "unknown API 'bobdsk' (did you mean 'bobdesk'?)"),
    ([], "give one API slug or --all"),
    (["bobdesk", "--all"], "give one API slug or --all"),
    (["bobdesk", "--phases", "examples,smoke"], "unknown phase(s) smoke"),
    (["bobdesk", "--exclude-check", "ignored_aut"], "unknown check 'ignored_aut' (did you mean 'ignored_auth'?)"),
    (["bobdesk", "--base-url", "http://127.0.0.1:9"], "cannot reach http://127.0.0.1:9"),
    (["bobdesk", "--operation", "creatTicket"], "did you mean 'createTicket'?"),
])
def test_usage_and_connection_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    code, output = invoke(*args)
    assert code == 2
    assert message in output
    assert len(output.strip().splitlines()) == 1 and "Traceback" not in output


def test_passing_run_exits_0_and_writes_junit(tmp_path: Path) -> None:
    junit = tmp_path / "reports" / "contract.xml"
    code, output = invoke("bobdesk", "--phases", "examples,stateful", "--max-examples", "3", "--seed", "1",
                          "--junit", str(junit), "--quiet")
    assert code == 0, output
    assert "PASS  GET /tickets " in output and "PASSED: 1 API(s) (bobdesk ok)" in output
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("name") == "bobdesk" and suite.get("failures") == "0"
    names = [case.get("name") for case in suite.iter("testcase")]
    assert "GET /tickets (listTickets)" in names
    assert any(str(name).startswith("stateful: ") for name in names)
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties == {"seed": "1", "target": "in-process mock"}
    assert len([n for n in names if not str(n).startswith("stateful")]) == 11


def stateful_names(tmp_path: Path, seed: int) -> list[str]:
    junit = tmp_path / f"seed-{seed}.xml"
    invoke("bobdesk", "--phases", "stateful", "--max-examples", "3", "--seed", str(seed), "--junit", str(junit),
           "--quiet")
    return [str(case.get("name")) for case in ElementTree.parse(junit).getroot().iter("testcase")
            if case.get("classname") == "bobdesk.stateful"]


def test_stateful_test_names_come_from_their_steps_and_stay_the_same_across_runs(tmp_path: Path) -> None:
    first, again, other = stateful_names(tmp_path, 1), stateful_names(tmp_path, 1), stateful_names(tmp_path, 2)
    assert first and first == again and len(set(first)) == len(first)
    assert all(re.fullmatch(r"stateful: [A-Z]+ /\S+( -> [A-Z]+ /\S+)*", name) for name in first), first
    assert set(first) & set(other)  # a chain walked under another seed keeps its name: CI history follows it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """`ticketmock serve` in a real process, accepting only one token."""
    with ServerProcess("--api", "bobdesk", "--token", "ci-secret-token-42", "--quiet") as server:
        yield f"{server.url}/bobdesk/api/v3.0"


def test_run_over_http_with_credentials_from_the_environment(served: str, tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    env = {**os.environ, "TICKETMOCK_BOBDESK_TOKEN": "ci-secret-token-42"}
    code, output = invoke("bobdesk", "--base-url", served, "--phases", "examples,coverage", "--max-examples", "3",
                          "--seed", "1", "--junit", str(junit), "--quiet", env=env)
    assert code == 0, output
    assert "bobdesk against http://127.0.0.1:" in output
    assert "ci-secret-token-42" not in output and "ci-secret-token-42" not in junit.read_text()


def test_a_run_against_a_plain_ticketmock_server_passes_and_leaves_its_data_alone(tmp_path: Path) -> None:
    """`make serve` with default options, no credentials: the kit brings its own strict session."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TICKETMOCK_")}
    with ServerProcess("--quiet") as server:
        def default_state() -> list[bytes]:
            return [httpx.get(f"{server.url}/_ticketmock/apis/{slug}/state").content for slug in SLUGS]

        before = default_state()
        code, output = invoke("bobdesk", "--base-url", f"{server.url}/bobdesk/api/v3.0", "--max-examples", "3",
                              "--seed", "1", "--quiet", env=env)
        assert code == 0, output
        assert "a ticketmock server: in session contract-bobdesk-" in output
        assert default_state() == before
        sessions = httpx.get(f"{server.url}/_ticketmock/sessions").json()["sessions"]
        assert [s["name"] for s in sessions] == ["default"]  # the kit's session is gone
        # the kit's session was strict: with a wrong credential the same run fails
        code, output = invoke("bobdesk", "--base-url", f"{server.url}/bobdesk/api/v3.0", "--phases", "examples",
                              "--max-examples", "2", "--seed", "1", "--quiet",
                              "--header", "Authorization: Bearer not-a-kit-token", env=env)
        assert code == 1 and "credentials_accepted" in output
        assert default_state() == before


def test_wrong_header_is_redacted_everywhere(served: str, tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    code, output = invoke("bobdesk", "--base-url", served, "--header", "Authorization: Bearer wrong-secret-99",
                          "--phases", "examples", "--max-examples", "2", "--seed", "1", "--quiet",
                          "--junit", str(junit))
    assert code == 1
    assert "wrong-secret-99" not in output and "wrong-secret-99" not in junit.read_text()


def test_a_wrong_base_url_fails_every_operation_naming_the_expected_path(served: str) -> None:
    wrong = served.removesuffix("/api/v3.0")  # the mock's prefix without the vendor's own path
    env = {**os.environ, "TICKETMOCK_BOBDESK_TOKEN": "ci-secret-token-42"}
    code, output = invoke("bobdesk", "--base-url", wrong, "--phases", "examples,coverage", "--max-examples", "2",
                          "--seed", "1", "--quiet", env=env)
    assert code == 1
    assert "0/11 operations passed" in output
    assert f"every response was 404: is the base URL right? (expected GET /tickets under {wrong})" in output
    assert f"(expected PUT /tickets/{{ticket_id}}/close under {wrong})" in output


def test_a_ticketmock_with_a_control_token_needs_it_and_never_shows_it() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TICKETMOCK_")}
    with ServerProcess("--api", "bobdesk", "--control-token", "ctl-9f2e7a41", "--quiet") as server:
        base = f"{server.url}/bobdesk/api/v3.0"
        code, output = invoke("bobdesk", "--base-url", base, "--phases", "examples", "--max-examples", "2",
                              "--quiet", env=env)
        assert code == 2 and "set TICKETMOCK_CONTROL_TOKEN" in output and len(output.strip().splitlines()) == 1
        code, output = invoke("bobdesk", "--base-url", base, "--phases", "examples", "--max-examples", "2",
                              "--quiet", env={**env, "TICKETMOCK_CONTROL_TOKEN": "ctl-9f2e7a41"})
        assert code == 0, output
        assert "ctl-9f2e7a41" not in output
