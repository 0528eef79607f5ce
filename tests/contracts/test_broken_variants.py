"""Proof that the kit catches real defects: deliberately broken variants of the Bob! Desk mock.

Each variant breaks one thing; the run must fail, naming the operation and the check. A kit that
passes a broken server is worse than none.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from contracts.results import RunResult
from contracts.runner import RunSettings, run
from contracts.targets import MOCK_TOKEN, Target, build_mock, mock_credentials
from mockserver.app import MockOptions, create_app
from mockserver.vendors import get_vendor
from mockserver.vendors.base import Call, Reply, ok
from mockserver.vendors.bobdesk import create_ticket, get_ticket_id_from_number, list_notes, list_tickets

BASE = "/bobdesk/api/v3.0"


def broken_handler(operation_id: str, handler: Callable[[Call], Reply]) -> Any:
    """The bobdesk mock with one handler replaced (response validation off, as a real server)."""
    vendor = get_vendor("bobdesk")
    broken = dataclasses.replace(vendor, handlers={**vendor.handlers, operation_id: handler})
    return create_app(["bobdesk"], MockOptions(seed=1, tokens=[MOCK_TOKEN], vendors={"bobdesk": broken}))


def wrapped(middleware: Callable[[ASGIApp], ASGIApp]) -> Any:
    return middleware(build_mock("bobdesk"))


def number_as_integer(call: Call) -> Reply:
    reply = list_tickets(call)
    return ok({**reply.body, "tickets": [{**t, "number": int(t["number"])} for t in reply.body["tickets"]]})


def without_cursor(call: Call) -> Reply:
    return ok({"tickets": list_tickets(call).body["tickets"]})


def accepted_instead_of_ok(call: Call) -> Reply:
    return Reply(202, get_ticket_id_from_number(call).body)


def notes_as_text(call: Call) -> Reply:
    return Reply(200, json.dumps(list_notes(call).body).encode(), "text/plain")


def forgets_what_it_created(call: Call) -> Reply:
    reply = create_ticket(call)
    call.store["tickets"].delete(reply.body["ticket_id"])
    return reply


def crashes_on_invalid_body(app: ASGIApp) -> ASGIApp:
    """A server whose create endpoint answers 500 to any body it cannot use."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == f"{BASE}/tickets":
            body = b""
            more = True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
            try:
                usable = isinstance(json.loads(body).get("title"), str)
            except (ValueError, AttributeError):
                usable = False
            if not usable:
                await send({"type": "http.response.start", "status": 500,
                            "headers": [(b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": b'{"message":"Internal Server Error"}'})
                return
            replayed = False

            async def replay() -> dict[str, Any]:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await app(scope, replay, send)
            return
        await app(scope, receive, send)

    return middleware


def ignores_auth(app: ASGIApp) -> ASGIApp:
    """A server whose get-id-from-number endpoint lets requests without credentials in."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == f"{BASE}/tickets/get-id-from-number":
            headers = [h for h in scope["headers"] if h[0] != b"authorization"]
            scope = {**scope, "headers": [*headers, (b"authorization", f"Bearer {MOCK_TOKEN}".encode())]}
        await app(scope, receive, send)

    return middleware


VARIANTS = [
    ("field of the wrong type", lambda: broken_handler("listTickets", number_as_integer),
     "GET /tickets", "response_schema_conformance", ("examples", "fuzzing")),
    ("missing required field", lambda: broken_handler("listTickets", without_cursor),
     "GET /tickets", "response_schema_conformance", ("examples", "fuzzing")),
    ("undocumented status code", lambda: broken_handler("getTicketIdFromNumber", accepted_instead_of_ok),
     "GET /tickets/get-id-from-number", "status_code_conformance", ("examples", "fuzzing")),
    ("500 on malformed input", lambda: wrapped(crashes_on_invalid_body),
     "POST /tickets", "not_a_server_error", ("examples", "coverage")),
    ("wrong content type", lambda: broken_handler("listTicketNotes", notes_as_text),
     "GET /tickets/{ticket_id}/notes", "content_type_conformance", ("examples", "fuzzing")),
    ("endpoint ignores authentication", lambda: wrapped(ignores_auth),
     "GET /tickets/get-id-from-number", "ignored_auth", ("examples", "fuzzing")),
    ("created resource cannot be read back", lambda: broken_handler("createTicket", forgets_what_it_created),
     "POST /tickets", "ensure_resource_availability", ("examples", "stateful")),
]


def run_against(app: Any, phases: tuple[str, ...]) -> RunResult:
    target = Target("bobdesk", None, mock_credentials("bobdesk"), app=app)
    return run(target, RunSettings(max_examples=15, seed=3, phases=phases))


@pytest.mark.parametrize(("defect", "build", "operation", "check", "phases"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_kit_reports_the_defect_naming_operation_and_check(
        defect: str, build: Callable[[], Any], operation: str, check: str, phases: tuple[str, ...]) -> None:
    result = run_against(build(), phases)
    assert not result.passed, f"the kit passed a server with: {defect}"
    found = {(f.operation, f.check) for f in result.failures}
    assert (operation, check) in found, f"{defect}: expected {check} on {operation}, got {sorted(found)}"
    failure = next(f for f in result.failures if (f.operation, f.check) == (operation, check))
    assert failure.reproduce.startswith("curl ") and failure.title


def test_the_unbroken_mock_passes_the_same_runs() -> None:
    """The control group: without the defects the same settings find nothing."""
    for phases in {v[4] for v in VARIANTS}:
        result = run_against(build_mock("bobdesk"), phases)
        assert result.passed, [(f.operation, f.check, f.title) for f in result.failures]
