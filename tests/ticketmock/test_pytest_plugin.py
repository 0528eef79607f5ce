"""The pytest plugin, run inside pytest (pytester): fixtures, marker, assertion messages, failure reports.

Most runs use `--ticketmock-url` with one real `ticketmock serve` for the module (fast, and the
option is what a shared CI mock uses); one run starts the mock itself, in a subprocess with
warnings as errors, to show the plugin starts nothing until asked and shuts down cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

import httpx
import pytest

from tests.helpers import free_port, readme_python, running_server
from ticketmock.pytest_plugin import session_name

# In-process runs leave out two plugins they do not need: with both loaded, schemathesis' plugin imports
# modules for xdist that pytester takes out of sys.modules after the run, and the contract suite
# later in this process gets fresh copies of schemathesis' engine that no longer match (no events).
ISOLATED = ("-p", "no:schemathesis", "-p", "no:xdist")


def run_inner(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*ISOLATED, *args)


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    with running_server() as url:
        yield url


def session_names(url: str) -> set[str]:
    return {s["name"] for s in httpx.get(f"{url}/_ticketmock/sessions").json()["sessions"]}


def test_each_test_gets_a_fresh_session_that_is_deleted_afterwards(pytester: pytest.Pytester, mock_url: str) -> None:
    pytester.makepyfile("""
        from pathlib import Path

        import pytest

        @pytest.mark.parametrize("title", ["one", "two"])
        def test_write(ticketmock, title):
            ticketmock.client("bobdesk").post("/tickets", json={"title": title})
            assert [t["title"] for t in ticketmock.records("bobdesk", "tickets")][30:] == [title]
            with Path("names.txt").open("a") as names:
                names.write(ticketmock.name + "\\n")
    """)
    result = run_inner(pytester, "--ticketmock-url", mock_url)
    result.assert_outcomes(passed=2)
    names = (pytester.path / "names.txt").read_text().split()
    assert len(set(names)) == 2
    assert all(name.startswith("main.test_write-") for name in names), names
    assert not set(names) & session_names(mock_url)


def test_the_marker_sets_up_the_session(pytester: pytest.Pytester, mock_url: str) -> None:
    pytester.makepyfile("""
        from datetime import UTC, datetime
        from pathlib import Path

        import pytest

        from mockserver.client import ControlClient

        pytestmark = pytest.mark.ticketmock(seed=7)

        def made_by(ticketmock):
            return ticketmock.client("bobdesk").post("/tickets", json={"title": "t"}).json()["ticket_id"]

        @pytest.mark.ticketmock(freeze_time="2026-03-01T09:00:00Z", strict_auth=True, tokens=["extra-token"],
                                fixtures={"bobdesk": {"tickets": [], "notes": [], "dates": []}})
        def test_everything(ticketmock):
            with ControlClient(ticketmock.url) as control:
                settings = control.call("GET", f"/sessions/{ticketmock.name}")["settings"]
            assert settings == {"seed": 7, "freezeTime": "2026-03-01T09:00:00Z", "strictAuth": True,
                                "tokens": 3, "ttlSeconds": None}
            assert ticketmock.now() == datetime(2026, 3, 1, 9, tzinfo=UTC)
            assert ticketmock.records("bobdesk", "tickets") == []
            client = ticketmock.client("bobdesk")
            assert client.get("/tickets", headers={"Authorization": "Bearer extra-token"}).status_code == 200
            assert client.get("/tickets", headers={"Authorization": "Bearer guessed"}).status_code == 401

        def test_seed_a(ticketmock):
            Path("a.txt").write_text(made_by(ticketmock))

        def test_seed_b(ticketmock):
            Path("b.txt").write_text(made_by(ticketmock))
    """)
    run_inner(pytester, "--ticketmock-url", mock_url).assert_outcomes(passed=3)
    assert (pytester.path / "a.txt").read_text() == (pytester.path / "b.txt").read_text()


@pytest.mark.parametrize(("marker", "said"), [
    ("ticketmock(sede=7)", "@pytest.mark.ticketmock: unknown keyword(s) sede; it takes seed, freeze_time, "
                           "strict_auth, tokens, fixtures"),
    ("ticketmock(7)", "@pytest.mark.ticketmock takes keywords only (seed, *), not (7,)"),
    ("ticketmock(fixtures=['tickets'])", "@pytest.mark.ticketmock(fixtures=...) takes {slug: *}, not list"),
    ("ticketmock(tokens='abc')", "@pytest.mark.ticketmock(tokens=...) takes a list of tokens, not one string: "
                                 "tokens=[[]'abc'[]]"),
    ("ticketmock(seed=-1)", "@pytest.mark.ticketmock: the mock refused the session: POST */_ticketmock/sessions "
                            "answered 400: invalid body field seed: -1 is less than the minimum of 0"),
    ("ticketmock(fixtures={'bobdesk': {'tickets': [{'_id': 'x'}]}})",
     "@pytest.mark.ticketmock(fixtures=...) for bobdesk: PUT */_ticketmock/apis/bobdesk/state answered 400: "
     "invalid state: bobdesk: tickets[[]0[]] (_id 'x'): field '_id': 'x' does not match *"),
])
def test_a_misused_marker_is_an_error_at_setup_saying_why(pytester: pytest.Pytester, mock_url: str, marker: str,
                                                          said: str) -> None:
    pytester.makepyfile(f"""
        import pytest

        @pytest.mark.{marker}
        def test_x(ticketmock):
            pass
    """)
    result = run_inner(pytester, "--ticketmock-url", mock_url)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([said])
    assert "Traceback" not in result.stdout.str() and "def " not in result.stdout.str()
    assert session_names(mock_url) == {"default"}  # the session of the failed setup is gone too


def test_a_failed_call_assertion_says_what_was_called_instead(pytester: pytest.Pytester, mock_url: str) -> None:
    pytester.makepyfile("""
        def test_fails(ticketmock):
            client = ticketmock.client("bobdesk")
            client.post("/tickets", json={"title": "Once"})
            client.get("/tickets", params={"cursor": "nope"})
            ticketmock.assert_called("createTicket", times=2)
    """)
    result = run_inner(pytester, "--ticketmock-url", mock_url)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "E *AssertionError: createTicket was called once, expected 2 times, in ticketmock session "
        "'main.test_fails.*'. Requests in the session, oldest first:",
        "E *  POST /bobdesk/api/v3.0/tickets -> 200 createTicket",
        "E *  GET /bobdesk/api/v3.0/tickets?cursor=nope -> 400 listTickets  request: invalid parameter cursor: *",
    ])
    assert "def assert_called" not in result.stdout.str()  # the helper's own frame is hidden


def test_a_failing_test_reports_its_sessions_last_requests(pytester: pytest.Pytester, mock_url: str) -> None:
    pytester.makepyfile("""
        def test_fails(ticketmock):
            ticketmock.fault("bobdesk", "listTickets", status=503)
            client = ticketmock.client("bobdesk")
            client.get("/tickets")
            client.post("/tickets", json={})
            assert False, "the application misbehaved"

        def test_passes(ticketmock):
            ticketmock.client("bobdesk").get("/tickets")
    """)
    result = run_inner(pytester, "--ticketmock-url", mock_url, "-rA")
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines([
        "*- Captured ticketmock requests call -*",
        "ticketmock session 'main.test_fails.*' at http://127.0.0.1:*, last 2 of 2 request(s):",
        "  GET /bobdesk/api/v3.0/tickets -> 503 listTickets  injected_fault: *",
        "  POST /bobdesk/api/v3.0/tickets -> 400 createTicket  request: invalid body field title: *",
    ])
    assert result.stdout.str().count("Captured ticketmock requests") == 1  # not for the passing test
    pytester.makeini("[pytest]\nticketmock_report_requests = 1\n")
    result = run_inner(pytester, "--ticketmock-url", mock_url)
    result.stdout.fnmatch_lines(["ticketmock session * last 1 of 2 request(s):",
                                 "  POST /bobdesk/api/v3.0/tickets -> 400 createTicket *"])
    pytester.makeini("[pytest]\nticketmock_report_requests = 0\n")
    assert "Captured ticketmock" not in run_inner(pytester, "--ticketmock-url", mock_url).stdout.str()


def test_the_remote_opt_in_reaches_the_clients(pytester: pytest.Pytester, mock_url: str) -> None:
    pytester.makepyfile("""
        from pathlib import Path

        def test_flag(ticketmock):
            Path("allowed.txt").write_text(str(ticketmock.allow_remote))
    """)

    def allowed(*args: str) -> str:
        run_inner(pytester, "--ticketmock-url", mock_url, *args).assert_outcomes(passed=1)
        return (pytester.path / "allowed.txt").read_text()

    assert allowed() == "False"
    assert allowed("--ticketmock-allow-remote") == "True"
    pytester.makeini("[pytest]\nticketmock_allow_remote = true\n")
    assert allowed() == "True"


def test_a_mock_that_cannot_be_reached_is_one_error_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        def test_x(ticketmock):
            pass
    """)
    url = f"http://127.0.0.1:{free_port()}"
    result = run_inner(pytester, "--ticketmock-url", url)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"ticketmock: cannot reach the mock at {url}: *"])


def test_started_only_when_asked_in_a_thread_and_warning_clean(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfilterwarnings = error\naddopts = -p no:cacheprovider\n")
    pytester.makepyfile("""
        import sys
        import threading
        from pathlib import Path

        def mock_threads():
            return [t.name for t in threading.enumerate() if t.name.startswith("ticketmock-")]

        def test_a_nothing_started_yet():
            assert not [m for m in ("mockserver.app", "connexion", "uvicorn") if m in sys.modules]
            assert mock_threads() == []

        def test_b_started_on_first_use(ticketmock):
            assert ticketmock.url.startswith("http://127.0.0.1:")
            assert mock_threads() == [f"ticketmock-{ticketmock.url.rsplit(':', 1)[1]}"]
            assert ticketmock.client("jifeline").get("/v2/customers").status_code == 200
            Path("url.txt").write_text(ticketmock.url)

        def test_c_one_mock_for_the_run(ticketmock_server, ticketmock):
            assert ticketmock.url == ticketmock_server.url == Path("url.txt").read_text()
            ticketmock.client("bloxs").post("/api/v1/maintenance/servicetickets/filter", json={})
            ticketmock.assert_called("createAuthorizationToken", times=1)
    """)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=3, warnings=0)
    assert result.ret == 0 and result.stderr.str() == ""


def test_session_names_carry_the_worker_and_the_test_and_fit_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    name = session_name(SimpleNamespace(name="test_close[Porte bloquée / 3]"))  # type: ignore[arg-type]
    assert re.fullmatch(r"gw3\.test_close-Porte-bloqu-e-3\.[0-9a-f]{8}", name), name
    long = session_name(SimpleNamespace(name="test_" + "x" * 200))  # type: ignore[arg-type]
    assert len(long) <= 64
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert session_name(SimpleNamespace(name="test_x")).startswith("main.test_x.")  # type: ignore[arg-type]


def test_the_readmes_complete_example_passes(pytester: pytest.Pytester, mock_url: str) -> None:
    pytester.makepyfile(test_tickets=readme_python("# test_tickets.py"))
    run_inner(pytester, "--ticketmock-url", mock_url).assert_outcomes(passed=4)
