"""The dashboard in headless Chromium against a real `ticketmock serve`: each test in a session of its own."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import SLUGS, chromium, running_server

BOBDESK = "/bobdesk/api/v3.0"
AUTH = {"Authorization": "Bearer mock-token"}
NEW_TICKET = {"title": "Leaking tap in the kitchen"}
_names = itertools.count(1)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("profile")) as context:
        context.set_default_timeout(10_000)  # a missing element fails in 10 s, not 30
        yield context


def open_dashboard(browser: Any, server: str, session: str) -> Any:
    """The dashboard on `session`, once it has shown the record counts (its first control calls are done)."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(f"{server}/?session={session}")
    page.wait_for_function("() => [...document.querySelectorAll('#apis .records')]"
                           ".every(cell => /^\\d+$/.test(cell.textContent))")
    return page


def fresh_session() -> str:
    return f"browser-{next(_names)}"


def records(page: Any, slug: str) -> int:
    return int(page.text_content(f'#apis tr[data-slug="{slug}"] .records'))


def test_the_page_lists_the_five_apis_and_looks_right(browser: Any, server: str, tmp_path: Path) -> None:
    session = fresh_session()
    page = open_dashboard(browser, server, session)
    assert sorted(page.eval_on_selector_all("#apis tbody tr", "rows => rows.map(r => r.dataset.slug)")) == SLUGS
    counts = httpx.get(f"{server}/_ticketmock/apis", headers={"X-Ticketmock-Session": session}).json()["apis"]
    for api in counts:
        assert records(page, api["slug"]) == sum(api["records"].values())
    row = '#apis tr[data-slug="bobdesk"]'
    assert page.text_content(f"{row} .base") == f"{server}/_session/{session}{BOBDESK}"
    assert page.get_attribute(f"{row} .ui", "href") == f"/_session/{session}{BOBDESK}/ui/"
    assert page.text_content(f"{row} .curl") == \
        f"curl -s -H 'Authorization: Bearer mock-token' '{server}/_session/{session}{BOBDESK}/tickets'"
    assert page.input_value("#session") == session
    screenshot = tmp_path / "dashboard.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 20_000
    assert page.errors == []


def test_a_ticket_created_with_httpx_appears_in_the_journal_within_2_s(browser: Any, server: str) -> None:
    session = fresh_session()
    page = open_dashboard(browser, server, session)
    created = httpx.post(f"{server}{BOBDESK}/tickets", json=NEW_TICKET,
                         headers={**AUTH, "X-Ticketmock-Session": session})
    assert created.status_code == 200
    page.wait_for_selector("#journal tbody tr:has(td:text-is('createTicket'))", timeout=2000)
    cells = page.eval_on_selector("#journal tbody tr", "row => [...row.cells].map(c => c.textContent)")
    assert cells[1:] == ["POST", f"{BOBDESK}/tickets", "200", "createTicket", session, ""]
    missing = httpx.get(f"{server}{BOBDESK}/tickets/nope/notes", headers={**AUTH, "X-Ticketmock-Session": session})
    page.wait_for_selector(f"#journal tbody tr[data-status='{missing.status_code}']", timeout=2000)
    reason = page.text_content("#journal tbody tr:first-child td:last-child")
    assert reason.startswith(f"{missing.json()['code']}: ") and missing.json()["message"] in reason


def test_arming_a_fault_from_the_page_makes_the_next_request_fail(browser: Any, server: str) -> None:
    session = fresh_session()
    page = open_dashboard(browser, server, session)
    page.select_option("#fault-api", "bobdesk")
    page.select_option("#fault-operation", "createTicket")
    page.fill("#fault-status", "503")
    page.select_option("#fault-mode", "once")
    page.click("#fault-arm")
    page.wait_for_selector("#faults tbody tr:has(td:text-is('createTicket'))")
    headers = {**AUTH, "X-Ticketmock-Session": session}
    assert httpx.post(f"{server}{BOBDESK}/tickets", json=NEW_TICKET, headers=headers).status_code == 503
    assert httpx.post(f"{server}{BOBDESK}/tickets", json=NEW_TICKET, headers=headers).status_code == 200
    page.wait_for_selector("#journal tbody tr.fault td:text-matches('^injected fault #1')")
    page.wait_for_selector("#faults tbody tr", state="detached")  # a `once` fault disarms itself


def test_reset_from_the_page_restores_the_record_count(browser: Any, server: str) -> None:
    session = fresh_session()
    page = open_dashboard(browser, server, session)
    before = records(page, "bobdesk")
    httpx.post(f"{server}{BOBDESK}/tickets", json=NEW_TICKET, headers={**AUTH, "X-Ticketmock-Session": session})
    page.wait_for_function(f"() => document.querySelector('#apis tr[data-slug=\"bobdesk\"] .records')"
                           f".textContent === '{before + 1}'")
    page.click('#apis tr[data-slug="bobdesk"] .reset')
    page.wait_for_function(f"() => document.querySelector('#apis tr[data-slug=\"bobdesk\"] .records')"
                           f".textContent === '{before}'")
    counts = httpx.get(f"{server}/_ticketmock/apis", headers={"X-Ticketmock-Session": session}).json()["apis"]
    assert sum(next(api for api in counts if api["slug"] == "bobdesk")["records"].values()) == before
    assert "bobdesk is back to its fixtures" in page.text_content("#status")


def test_paths_from_requests_are_shown_as_text_never_as_markup(browser: Any, server: str) -> None:
    session = fresh_session()
    page = open_dashboard(browser, server, session)
    path = f"{BOBDESK}/<img src=x onerror=window.pwned=1>"
    httpx.get(server + path, headers={"X-Ticketmock-Session": session})
    page.wait_for_selector("#journal tbody tr[data-status='404']")
    assert page.text_content("#journal tbody tr td:nth-child(3)") == path
    assert page.evaluate("() => window.pwned") is None and page.query_selector("#journal img") is None


def test_the_state_browser_finds_a_record_by_id(browser: Any, server: str) -> None:
    session = fresh_session()
    page = open_dashboard(browser, server, session)
    state = httpx.get(f"{server}/_ticketmock/apis/bobdesk/state", headers={"X-Ticketmock-Session": session}).json()
    ticket = state["collections"]["tickets"][3]
    page.select_option("#state-api", "bobdesk")
    page.wait_for_selector("#state-collection option[value='tickets']", state="attached")
    page.select_option("#state-collection", "tickets")
    page.fill("#state-search", ticket["_id"])
    assert page.text_content("#state-summary").startswith(f"1 of {len(state['collections']['tickets'])} records")
    page.click("#records li")
    assert json.loads(page.text_content("#records li pre")) == ticket


def test_sessions_snapshots_and_the_session_picker(browser: Any, server: str, tmp_path: Path) -> None:
    first, second = fresh_session(), fresh_session()
    page = open_dashboard(browser, server, first)
    httpx.post(f"{server}{BOBDESK}/tickets", json=NEW_TICKET, headers={**AUTH, "X-Ticketmock-Session": first})
    with page.expect_download() as download:
        page.click("#snapshot-download")
    saved = tmp_path / "snapshot.json"
    download.value.save_as(saved)
    snapshot = json.loads(saved.read_text(encoding="utf-8"))
    assert snapshot["session"] == first and len(snapshot["apis"]["bobdesk"]["collections"]["tickets"]) == 31
    page.fill("#new-session", second)
    page.click("#create-session")
    page.wait_for_function(f"() => document.querySelector('#session').value === '{second}'")
    page.wait_for_selector(f"#sessions tbody tr.current[data-name='{second}']")
    page.wait_for_function("() => document.querySelector('#apis tr[data-slug=\"bobdesk\"] .records').textContent"
                           " !== '-'")
    page.set_input_files("#snapshot-file", str(saved))
    page.wait_for_function(f"() => document.querySelector('#status').textContent.startsWith('loaded snapshot.json "
                           f"into session {second}')")
    state = httpx.get(f"{server}/_ticketmock/apis/bobdesk/state", headers={"X-Ticketmock-Session": second}).json()
    assert len(state["collections"]["tickets"]) == 31
    assert page.get_attribute('#apis tr[data-slug="bobdesk"] .ui', "href") == f"/_session/{second}{BOBDESK}/ui/"


def test_a_control_api_that_asks_for_a_token_gets_one_from_the_page(browser: Any, server: str) -> None:
    """The control API may be started with a token (another module guards it): on a 401 the page asks for the
    token once and sends `Authorization: Bearer` with every control call from then on."""
    page = browser.new_page()
    seen: list[str | None] = []

    def guard(route: Any) -> None:
        sent = route.request.headers.get("authorization")
        seen.append(sent)
        if sent != "Bearer s3cret-token":
            route.fulfill(status=401, content_type="application/problem+json",
                          body='{"type": "about:blank", "title": "Unauthorized", "status": 401, "detail": "token"}')
        else:
            route.continue_()

    page.route("**/_ticketmock/**", guard)
    page.goto(f"{server}/?session={fresh_session()}")
    page.wait_for_selector("#token-form", state="visible")
    assert "asks for a token" in page.text_content("#status")
    page.fill("#token", "s3cret-token")
    page.click("#token-form button")
    page.wait_for_function("() => /^\\d+$/.test(document.querySelector('#apis .records').textContent)")
    assert page.is_hidden("#token-form")
    assert page.evaluate("() => sessionStorage.getItem('ticketmock.controlToken')") == "s3cret-token"
    assert seen[-1] == "Bearer s3cret-token"
    page.close()
