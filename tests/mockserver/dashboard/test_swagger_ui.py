"""Swagger UI against a real `ticketmock serve` in headless Chromium: for every API, "Authorize" with the
scheme the vendor documents, then "Try it out" on one read and one write, each answered 2xx.

Everything runs under a session's path prefix, so the OAuth2 flows must also issue their tokens there.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.helpers import chromium, running_server

_names = itertools.count(1)


@dataclass(frozen=True)
class Walk:
    """What to do in one API's Swagger UI: how to authorize, and which read and write to execute."""

    base: str
    read: str  # "Tag/operationId" as Swagger UI deep-links it
    write: str
    bearer: dict[str, str] = field(default_factory=dict)  # scheme -> token to type in
    basic: dict[str, tuple[str, str]] = field(default_factory=dict)  # scheme -> (user, password)
    oauth2: tuple[str, str] | None = None  # client id and secret for the API's OAuth2 scheme
    token_from: str = ""  # an operation whose answer's `token` is the bearer token (Bloxs' /Authorization)
    schemes: tuple[str, str] = ("Bearer", "Bearer")  # what the read and the write send in Authorization


WALKS = {
    "bloxs": Walk("/bloxs", "Service ticket options/listServiceTicketStates", "Service tickets/createServiceTicket",
                  bearer={"bearerAuth": ""}, token_from="Authorization/createAuthorizationToken"),
    "bobdesk": Walk("/bobdesk/api/v3.0", "Tickets/listTickets", "Tickets/createTicket",
                    bearer={"bearerAuth": "mock-token"}),
    "flowretail": Walk("/flowretail/v2", "Service/listServiceOrders", "Service/createServiceOrder",
                       bearer={"integrationToken": "integration-token"}),
    "jifeline": Walk("/jifeline", "In progress tickets/listInProgressTickets",
                     "In progress tickets/updateInProgressTicket", oauth2=("my-client", "my-secret")),
    "spacebring": Walk("/spacebring", "Support/getSupportTickets", "Support/createSupportTicket",
                       basic={"BasicAuth": ("my-client-id", "my-client-secret")}, oauth2=("my-app", "my-secret"),
                       schemes=("Basic", "Bearer")),
}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("profile")) as context:
        context.set_default_timeout(15_000)
        yield context


def anchor(deep_link: str) -> str:
    """The element id Swagger UI gives an operation: `operations-<tag>-<operationId>`, spaces as underscores."""
    tag, operation_id = deep_link.split("/")
    return f"#operations-{re.sub(r'[^A-Za-z0-9_-]', '_', tag)}-{operation_id}"


def execute(page: Any, deep_link: str) -> tuple[int, str]:
    """Open an operation, "Try it out" with its example values, "Execute": the status and body shown."""
    block = page.locator(anchor(deep_link))
    if not block.locator(".try-out__btn").is_visible():
        block.locator(".opblock-summary").first.click()
    block.locator(".try-out__btn").click()
    block.locator(".btn.execute").click()
    status = block.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for()
    body = block.locator(".live-responses-table tr.response .response-col_description pre").first.text_content() or ""
    return int(status.text_content().strip()), body


def authorize(page: Any, *, bearer: dict[str, str] | None = None, basic: dict[str, tuple[str, str]] | None = None,
              oauth2: tuple[str, str] | None = None) -> None:
    """Fill the given schemes in the Authorize dialog, press each one's Authorize button, close the dialog."""
    page.click(".auth-wrapper .authorize")
    dialog = page.locator(".modal-ux")
    for name, value in (bearer or {}).items():
        container = dialog.locator(".auth-container", has=page.locator(f"h4 code:text-is('{name}')"))
        container.locator("input[aria-label='auth-bearer-value']").fill(value)
        container.locator("button.authorize").click()
        container.locator("button:text-is('Logout')").wait_for()
    for name, (user, password) in (basic or {}).items():
        container = dialog.locator(".auth-container", has=page.locator(f"h4 code:text-is('{name}')"))
        container.locator("input[aria-label='auth-basic-username']").fill(user)
        container.locator("input[aria-label='auth-basic-password']").fill(password)
        container.locator("button.authorize").click()
        container.locator("button:text-is('Logout')").wait_for()
    if oauth2:
        container = dialog.locator(".auth-container", has=page.locator("p.flow"))
        container.locator("input#client_id").fill(oauth2[0])
        container.locator("input#client_secret").fill(oauth2[1])
        for box in container.locator("input[type=checkbox]").all():  # every scope (the label is what shows)
            container.locator(f"label[for='{box.get_attribute('id')}']").click()
        if container.locator("p.flow code").text_content() == "authorizationCode":
            with page.expect_popup():  # the mock approves at once and sends the popup back, which closes it
                container.locator("button.authorize").click()
        else:
            container.locator("button.authorize").click()
        container.locator("button:text-is('Logout')").wait_for()
    dialog.locator("button.close-modal").click()


@pytest.mark.parametrize("slug", sorted(WALKS))
def test_authorize_then_try_it_out_a_read_and_a_write(browser: Any, server: str, slug: str) -> None:
    walk = WALKS[slug]
    session = f"swagger-{next(_names)}"
    page = browser.new_page()
    sent: list[tuple[str, str]] = []  # (operation path, Authorization scheme) of every API call the UI made
    page.on("request", lambda request: sent.append((request.url.split("?")[0],
                                                    (request.headers.get("authorization") or " ").split(" ")[0])))
    page.goto(f"{server}/_session/{session}{walk.base}/ui/")
    page.wait_for_selector(".opblock")
    bearer = dict(walk.bearer)
    if walk.token_from:  # Bloxs: the token comes from its own /Authorization, tried out in the same UI
        status, body = execute(page, walk.token_from)
        assert status == 200, body
        bearer = {name: re.search(r'"token": "([^"]+)"', body)[1] for name in bearer}  # type: ignore[index]
    # Basic first where the vendor has it (the read then goes with Basic), then the OAuth2 flow for the write.
    authorize(page, bearer=bearer, basic=walk.basic, oauth2=None if walk.basic else walk.oauth2)
    read = execute(page, walk.read)
    if walk.basic and walk.oauth2:
        authorize(page, oauth2=walk.oauth2)
    write = execute(page, walk.write)
    assert 200 <= read[0] < 300 and 200 <= write[0] < 300, (read, write)
    journal = httpx.get(f"{server}/_ticketmock/journal", headers={"X-Ticketmock-Session": session}).json()["entries"]
    calls = [(entry["operationId"], entry["status"]) for entry in journal if entry["operationId"]]
    assert (walk.read.split("/")[1], read[0]) in calls and (walk.write.split("/")[1], write[0]) in calls
    schemes = [scheme for url, scheme in sent if url.startswith(f"{server}/_session/{session}{walk.base}/")
               and "/ui/" not in url and not url.endswith(("/openapi.json", "/oauth2/token", "/Authorization"))]
    assert schemes == list(walk.schemes), sent
    page.close()
