"""The pytest plugin (entry point `pytest11`): the mock as fixtures, a marker, and failure reports.

- `ticketmock_server` (session scope): one mock per test run (per pytest-xdist worker), started on
  a free loopback port in a background thread the first time a test asks for it, or the one at
  `--ticketmock-url`;
- `ticketmock` (function scope): a fresh session for the test, deleted afterwards;
- `@pytest.mark.ticketmock(seed=, freeze_time=, strict_auth=, tokens=, fixtures=)` sets that session up;
- a failing test's report shows the session's last requests, as pytest shows captured logs.

Loading the plugin imports nothing heavy: a run whose tests never ask for the mock starts no mock
and pays nothing for it.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ticketmock.mock import Mock
    from ticketmock.session import Session

MARKER_KEYWORDS = ("seed", "freeze_time", "strict_auth", "tokens", "fixtures")
SESSION_KEY = pytest.StashKey["Session"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ticketmock", "ticketmock: the vendors' mock as fixtures")
    group.addoption("--ticketmock-url", metavar="URL", default=None,
                    help="Use the ticketmock server running at URL instead of starting one (e.g. a shared mock "
                         "in CI). Default: the ticketmock_url ini value, else one started per run.")
    group.addoption("--ticketmock-allow-remote", action="store_true", default=None,
                    help="Let the fixtures' clients talk to a mock that is not on a loopback address.")
    parser.addini("ticketmock_url", "The ticketmock server to use instead of starting one.", default="")
    parser.addini("ticketmock_allow_remote", "Let the fixtures' clients talk to a non-loopback mock.", type="bool",
                  default=False)
    parser.addini("ticketmock_report_requests", "How many of a failing test's requests its report shows "
                  "(0: none).", type="int", default=20)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "ticketmock(seed=None, freeze_time=None, strict_auth=False, tokens=(), fixtures=None): how the "
                   "test's ticketmock session starts: fixed ids, a frozen clock, only its own credentials, records "
                   "of your own ({slug: {collection: [records]} or a file})")


def allow_remote(config: pytest.Config) -> bool:
    option = config.getoption("ticketmock_allow_remote")
    return bool(option) if option is not None else bool(config.getini("ticketmock_allow_remote"))


@pytest.fixture(scope="session")
def ticketmock_server(pytestconfig: pytest.Config) -> Iterator[Mock]:
    """The mock every test of this run (or pytest-xdist worker) shares: started on a free loopback
    port on first use and stopped at the end, or the one at --ticketmock-url."""
    from mockserver.client import ControlError
    from ticketmock.mock import connect, run

    url = pytestconfig.getoption("ticketmock_url") or pytestconfig.getini("ticketmock_url")
    try:
        mock = connect(url, allow_remote=allow_remote(pytestconfig)) if url else run()
    except ControlError as exc:
        pytest.fail(f"ticketmock: {exc}", pytrace=False)
    with mock:
        yield mock


@pytest.fixture
def ticketmock(request: pytest.FixtureRequest, ticketmock_server: Mock) -> Iterator[Session]:
    """A fresh session of the mock for this test only (set up by @pytest.mark.ticketmock), deleted after it."""
    from mockserver.client import ControlError

    settings = marker_settings(request.node)
    fixtures = settings.pop("fixtures", None) or {}
    try:
        session = ticketmock_server.session(session_name(request.node), **settings)
    except ControlError as exc:
        pytest.fail(f"@pytest.mark.ticketmock: the mock refused the session: {exc}", pytrace=False)
    request.node.stash[SESSION_KEY] = session
    try:
        for slug, records in fixtures.items():
            try:
                session.load(slug, records)
            except (ControlError, ValueError) as exc:
                pytest.fail(f"@pytest.mark.ticketmock(fixtures=...) for {slug}: {exc}", pytrace=False)
        yield session
    finally:
        del request.node.stash[SESSION_KEY]
        session.close()


def marker_settings(item: pytest.Item) -> dict[str, Any]:
    """The keywords of every `ticketmock` marker on the test, the closest winning (module < class < function)."""
    settings: dict[str, Any] = {}
    for mark in reversed(list(item.iter_markers("ticketmock"))):
        if mark.args:
            pytest.fail(f"@pytest.mark.ticketmock takes keywords only ({', '.join(MARKER_KEYWORDS)}), "
                        f"not {mark.args!r}", pytrace=False)
        unknown = sorted(set(mark.kwargs) - set(MARKER_KEYWORDS))
        if unknown:
            pytest.fail(f"@pytest.mark.ticketmock: unknown keyword(s) {', '.join(unknown)}; it takes "
                        f"{', '.join(MARKER_KEYWORDS)}", pytrace=False)
        settings.update(mark.kwargs)
    if isinstance(settings.get("tokens"), str):
        pytest.fail("@pytest.mark.ticketmock(tokens=...) takes a list of tokens, not one string: "
                    f"tokens=[{settings['tokens']!r}]", pytrace=False)
    fixtures = settings.get("fixtures")
    if fixtures is not None and not isinstance(fixtures, Mapping):
        pytest.fail("@pytest.mark.ticketmock(fixtures=...) takes {slug: {collection: [records]} or a file path}, "
                    f"not {type(fixtures).__name__}", pytrace=False)
    return settings


def session_name(item: pytest.Item) -> str:
    """`gw1.test_close_ticket.3fa2c1d0`: the xdist worker, the test and a random part, in at most 64
    characters of A-Z a-z 0-9 . _ - (what a session name may hold)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    test = re.sub(r"[^A-Za-z0-9._-]+", "-", item.name).strip("-")[:40] or "test"
    return f"{worker[:12]}.{test}.{secrets.token_hex(4)}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """A failing test's report gets a section with its session's last requests."""
    report = yield
    session = item.stash.get(SESSION_KEY, None)
    limit: int = item.config.getini("ticketmock_report_requests")
    if session is not None and report.failed and report.when in ("setup", "call") and limit > 0:
        report.sections.append((f"Captured ticketmock requests {report.when}", session.requests_report(limit)))
    return report
