"""Bob! Desk API v3.0: facility interventions — tickets, status actions, notes and dates.

Everything Bob! Desk-specific lives here: the workflow table, list filters and cursor paging, the
handlers per operationId, and the error envelope. What the vendor does not document (transition
rules, page size, error shape) is chosen as the spec's `x-provenance: inferred` notes describe.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice
from typing import Any

from mockserver.clock import iso, parse_iso
from mockserver.errors import ErrorReport, InvalidInput, NotFound
from mockserver.fixtures import FixtureError
from mockserver.store import Order, Record, public
from mockserver.vendors.base import JSON, Call, CollectionSpec, Context, Reply, Vendor, ok
from mockserver.workflow import Workflow

PAGE_SIZE = 50
ACTIVE = ("draft", "opened", "waiting", "proposed", "toreplan", "toplan", "waitingplan", "waiting_contractor",
          "assigned", "visit", "visit_devis", "validation", "validated", "dropped", "intervention",
          "intervention_finish")
AT_WORK = ("assigned", "visit", "visit_devis", "validation", "validated", "dropped", "intervention",
           "intervention_finish")

# Inferred (Bob! Desk documents the actions, not the statuses they are allowed from):
# cancel while the ticket is still active; finish once a contractor is on it; close what is
# finished (or waits for its intervention to be confirmed); reopen what was finished, closed,
# canceled or declined.
WORKFLOW = Workflow.from_rules("ticket", {
    "cancel": (ACTIVE, "canceled"),
    "finish": (AT_WORK, "finished"),
    "close": (("finished", "intervention_finish"), "closed"),
    "reopen": (("finished", "closed", "canceled", "declined"), "opened"),
})

NAMED = {"type": "object", "required": ["_id", "name"],
         "properties": {"_id": {"$ref": "#/components/schemas/ObjectId"}, "name": {"type": "string"}}}
COLLECTIONS = (
    CollectionSpec("tickets", "_id", {"allOf": [{"$ref": "#/components/schemas/Ticket"},
                                                {"required": ["_id", "number", "status", "created_at",
                                                              "updated_at", "client"]}]},
                   groups=("number",),
                   # The list pages by _id, also within one client: kept sorted on every write.
                   orders={"by_id": Order(lambda t: t["_id"]),
                           "by_client": Order(lambda t: t["_id"], group=lambda t: t["client"]["_id"])}),
    CollectionSpec("notes", "_id", {"allOf": [{"$ref": "#/components/schemas/Note"},
                                              {"required": ["$ticket_id"]}]}, groups=("$ticket_id",)),
    CollectionSpec("dates", "_id", {"allOf": [{"$ref": "#/components/schemas/DateRange"},
                                              {"required": ["_id", "$ticket_id", "$list"],
                                               "properties": {"$list": {"enum": ["visit", "intervention"]}}}]},
                   groups=("$ticket_id",)),
    CollectionSpec("clients", "_id", NAMED),
    CollectionSpec("locations", "_id", {"allOf": [NAMED, {"required": ["parent_id", "reference"]}]}),
    CollectionSpec("equipments", "_id", {"allOf": [NAMED, {"required": ["parent_id"]}]}),
    CollectionSpec("jobs", "_id", NAMED),
    CollectionSpec("managers", "_id", NAMED),
)


def epoch_ms(value: str) -> int:
    """Filter timestamps: the docs say milliseconds but their example also uses seconds."""
    number = int(value)
    return number if number >= 100_000_000_000 else number * 1000


def iso_ms(call: Call) -> str:
    return iso(call.context.now(), millis=True)


def ticket_of(call: Call) -> Record:
    return call.store["tickets"].get(call.params["ticket_id"], resource="ticket")


def millis_of(text: str | None) -> int | None:
    return None if text is None else int(parse_iso(text).timestamp() * 1000)


def list_tickets(call: Call) -> Reply:
    filters: list[tuple[str, str, Any]] = []
    for param, field, op in (("created_after", "created_at", "ge"), ("created_before", "created_at", "lt"),
                             ("updated_after", "updated_at", "gt"), ("assigned_after", "assigned_at", "gt")):
        if call.params.get(param) is not None:
            filters.append((field, op, epoch_ms(call.params[param])))

    def keep(ticket: Record) -> bool:
        for field, op, bound in filters:
            moment = millis_of(ticket.get(field))
            if moment is None or not {"ge": moment >= bound, "lt": moment < bound, "gt": moment > bound}[op]:
                return False
        if call.params.get("client_id") and ticket["client"]["_id"] != call.params["client_id"]:
            return False
        if call.params.get("interventions") == "true" and ticket.get("maintenance"):
            return False
        return not (call.params.get("maintenances") == "true" and not ticket.get("maintenance"))

    tickets, cursor = call.store["tickets"], call.params.get("cursor")
    client_id = call.params.get("client_id")
    # Walk the _id order from the cursor and filter on the way: a page costs O(log n + what is skipped).
    walk = tickets.ordered("by_client", group=client_id, after=cursor) if client_id else \
        tickets.ordered("by_id", after=cursor)
    page = list(islice((t for t in walk if keep(t)), PAGE_SIZE))
    return ok({"cursor": page[-1]["_id"] if page else None, "tickets": [public(t) for t in page]})


def get_ticket_id_from_number(call: Call) -> Reply:
    number = call.params["ticket_number"]
    matches = sorted(call.store["tickets"].group("number", number), key=lambda t: t["_id"])
    if not matches:
        raise NotFound("ticket number", number)
    return ok({"ticket_id": matches[0]["_id"]})


def references(call: Call, collection: str, ids: list[str] | None, resource: str) -> list[Record]:
    return [public(call.store[collection].get(i, resource=resource)) for i in ids or []]


def create_ticket(call: Call) -> Reply:
    body = call.body
    store, now = call.store, iso_ms(call)
    client_id = body.get("client_id") or next(iter(store["clients"]))["_id"]
    client = public(store["clients"].get(client_id, resource="client"))
    locations = references(call, "locations", body.get("location_ids"), "location")
    equipments = references(call, "equipments", body.get("equipment_ids"), "equipment")
    jobs = references(call, "jobs", body.get("job_ids"), "job")
    references(call, "managers", body.get("manager_ids"), "manager")
    ticket_id = call.context.ids.object_id(call.context.now())
    store["tickets"].insert({
        "_id": ticket_id, "from_public_interface": False, "intervention_scheduled_at": [],
        "intervention_occured_at": [], "created_at": now, "closed_at": None, "updated_at": now,
        "assigned_at": None, "url": f"https://bob-desk.com/tickets/{ticket_id}",
        "number": str(store.next_number("ticket_number")), "status": "opened", "title": body["title"],
        "description": body.get("description", ""), "priority_label": body.get("priority", "none"),
        "quotes": [], "invoices": [], "client": {"_id": client["_id"], "name": client["name"]},
        "contractors": [], "locations": locations, "equipments": equipments, "jobs": jobs, "domain": [],
        "$manager_ids": body.get("manager_ids", []), "$price_threshold": body.get("price_threshold"),
    })
    return ok({"ticket_id": ticket_id})


def act(action: str, **extra: Any) -> Any:
    """A handler that moves a ticket through WORKFLOW with `action` (409 when not allowed)."""

    def handler(call: Call) -> Reply:
        ticket = ticket_of(call)
        status = WORKFLOW.next_state(ticket["status"], action)
        now = iso_ms(call)
        changes: dict[str, Any] = {"status": status, "updated_at": now}
        if status == "closed":
            changes["closed_at"] = now
        elif status == "opened":
            changes["closed_at"] = None
        for body_field, stored in extra.items():
            if isinstance(call.body, dict) and body_field in call.body:
                changes[stored] = call.body[body_field]
        call.store["tickets"].update(ticket["_id"], changes)
        return ok({"message": "ok"})

    return handler


def list_notes(call: Call) -> Reply:
    ticket = ticket_of(call)
    notes = call.store["notes"].group("$ticket_id", ticket["_id"])
    return ok({"notes": [public(n) for n in sorted(notes, key=lambda n: (n["created_at"], n["_id"]))]})


def create_note(call: Call) -> Reply:
    ticket = ticket_of(call)
    author = public(next(iter(call.store["managers"])))  # the API user: the account's first manager
    note = {"_id": call.context.ids.object_id(call.context.now()), "note": call.body["note"],
            "type": call.body["type"], "created_at": iso_ms(call),
            "author": {"_id": author["_id"], "name": author["name"]}, "$ticket_id": ticket["_id"]}
    call.store["notes"].insert(note)
    call.store["tickets"].update(ticket["_id"], {"updated_at": note["created_at"]})
    return ok(public(note))


def date_value(value: Any, field: str) -> str:
    try:
        if isinstance(value, int):
            return iso(datetime.fromtimestamp(epoch_ms(str(value)) / 1000, UTC), millis=True)
        return iso(parse_iso(value), millis=True)
    except (ValueError, OverflowError, OSError):
        raise InvalidInput.of(field, f"{value!r} is not an ISO 8601 date-time or an epoch timestamp") from None


def list_dates(call: Call) -> Reply:
    ticket = ticket_of(call)
    dates = sorted(call.store["dates"].group("$ticket_id", ticket["_id"]), key=lambda d: d["start"])
    shown: dict[str, list[Record]] = {"visit": [], "intervention": []}
    for entry in dates:
        shown[entry["$list"]].append({"start": entry["start"], "end": entry["end"], "type": entry["type"]})
    return ok({"visit_dates": shown["visit"], "intervention_dates": shown["intervention"]})


def append_date(call: Call) -> Reply:
    ticket = ticket_of(call)
    # No end-after-start rule: Bob! Desk documents none, and the mock does not invent refusals.
    start, end = date_value(call.body["start"], "start"), date_value(call.body["end"], "end")
    kind = call.body["type"]
    call.store["dates"].insert({"_id": call.context.ids.object_id(call.context.now()), "$ticket_id": ticket["_id"],
                                "$list": "intervention", "start": start, "end": end, "type": kind})
    field = "intervention_scheduled_at" if kind == "planned" else "intervention_occured_at"
    call.store["tickets"].update(ticket["_id"], {field: [*ticket[field], start], "updated_at": iso_ms(call)})
    return ok({"message": "ok"})


def render_error(report: ErrorReport) -> tuple[dict[str, Any], str]:
    body: dict[str, Any] = {"message": report.detail, "code": report.code}
    if report.fields:
        body["errors"] = [{"field": f.field, "message": f.message} for f in report.fields]
    return body, JSON


def prepare(context: Context) -> None:
    # A ticket created without client_id goes to the first client, and notes are written by the first
    # manager (the API user): without them those operations could not answer.
    for collection, needed_by in (("clients", "POST /tickets without client_id"), ("managers", "POST notes")):
        if not len(context.store[collection]):
            raise FixtureError(f"bobdesk fixtures: {collection}: at least one is required ({needed_by} uses the "
                               "first)")
    numbers = [int(t["number"]) for t in context.store["tickets"] if t["number"].isdigit()]
    context.store.raise_counter("ticket_number", max(numbers, default=0))


VENDOR = Vendor(
    slug="bobdesk",
    title="Bob! Desk",
    handlers={
        "listTickets": list_tickets,
        "getTicketIdFromNumber": get_ticket_id_from_number,
        "createTicket": create_ticket,
        "cancelTicket": act("cancel", reason_cancel="$reason_cancel"),
        "finishTicket": act("finish", reserve="$reserve"),
        "closeTicket": act("close", reserve="$reserve"),
        "reopenTicket": act("reopen"),
        "listTicketNotes": list_notes,
        "createTicketNote": create_note,
        "listTicketDates": list_dates,
        "appendTicketDate": append_date,
    },
    collections=COLLECTIONS,
    render_error=render_error,
    workflow=WORKFLOW,
    prepare=prepare,
    curl_path="/tickets",
)
