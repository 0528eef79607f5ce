"""Bloxs service-ticket handlers, one per operationId, and the rules they share."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import timedelta
from itertools import takewhile
from typing import Any

from mockserver.clock import iso, parse_iso
from mockserver.errors import FieldError, InvalidInput, NotFound
from mockserver.pagination import Candidates, page_count, select, sort_key
from mockserver.store import Collection, Order, Record, Store, public
from mockserver.vendors.base import Call, Reply, ok
from mockserver.workflow import Workflow

TICKETS_PATH = "/api/v1/maintenance/servicetickets"
TOKEN_LIFETIME = timedelta(hours=24)
DEFAULT_PAGE_SIZE = 100
INT32_MAX = 2**31 - 1

# The ticket as Bloxs returns it, in the order of the spec's ServiceTicket schema.
TICKET_FIELDS = (
    "externalIdentifier", "externalLink", "reportingDate", "stateName", "priority", "problemCategoryName",
    "costsAreForTenant", "costCategoryName", "description", "realEstateObjectReference", "reporterReference",
    "reporterContactPersonReference", "reporterContactPersonType", "reporterExternalContactPersonName",
    "reporterExternalContactPersonPhoneNumber", "reporterExternalContactPersonMobileNumber",
    "reporterExternalContactPersonEmail", "supplierReference", "handledBySupplier", "expectedCosts",
    "reference", "mandateAmount",
)
# What a PUT overwrites (ServiceTicketUpdate minus the identifying `reference`); everything else stays.
UPDATE_FIELDS = (
    "externalIdentifier", "externalLink", "stateName", "priority", "problemCategoryName", "costsAreForTenant",
    "costCategoryName", "description", "supplierReference", "handledBySupplier", "expectedCosts",
)
BOOLEAN_FIELDS = frozenset({"costsAreForTenant", "handledBySupplier"})
EXTERNAL_CONTACT_FIELDS = ("reporterExternalContactPersonName", "reporterExternalContactPersonPhoneNumber",
                           "reporterExternalContactPersonMobileNumber", "reporterExternalContactPersonEmail")
FILTER_FIELDS = ("reference", "externalIdentifier", "reportingDate", "stateName", "priority",
                 "problemCategoryName", "costCategoryName", "realEstateObjectReference", "supplierReference")
SORT_COLUMNS = {name.casefold(): name for name in TICKET_FIELDS}

# Bloxs maps every state name to a system state (1 Active, 2 OnHold, 3 SignedOff, 4 Done; none for
# states users added). The workflow runs on those kinds, so it holds whatever names the list has.
KINDS = {1: "active", 2: "on hold", 3: "signed off", 4: "done", None: "user-defined"}
# Bloxs documents no transition rules and answers no 409: every state change is allowed, by the
# done operation or by a PUT with another stateName. The table is where a future rule would go.
WORKFLOW = Workflow.from_rules("service ticket", {
    "done": (tuple(KINDS.values()), "done"),
    **{f"set {kind}": (tuple(KINDS.values()), kind) for kind in KINDS.values()},
})


# --- lookups and rules -------------------------------------------------------------------------

def given(value: Any) -> bool:
    """A value the caller really sent: not missing, not null, not an empty string."""
    return value is not None and value != ""


def reference_order(ticket: Record) -> tuple[int, str]:
    """References are numbers in strings: order by length first so '99999' sorts before '100000'."""
    return len(ticket["reference"]), ticket["reference"]


def reference_length(ticket: Record) -> int:
    """A position in reference order: the store ends every position with the key (the reference), so
    (length, reference) is reference_order, and a small int costs no memory of its own."""
    return len(ticket["reference"])


def value_of(field: str) -> Callable[[Record], Any]:
    return lambda ticket: ticket.get(field)


def column_order(field: str, descending: bool) -> Order:
    """The tickets by `field`, ties in reference order. Walked backwards for a descending sort, whose ties
    stay in reference order too, so that order's tie-break is the reference number negated (references
    match ^[1-9][0-9]*$: the schema checks fixtures and snapshots)."""
    if descending:
        return Order(lambda t: (*column_key(t, field), -int(t["reference"])))
    return Order(lambda t: (*column_key(t, field), len(t["reference"])))


# The filter's list orders kept by the store (see the README for the choice): the default (reference)
# order, reportingDate and priority in both directions; every filter field per value, by reference, so
# that a filter's total is a count. Sorting by another column sorts the filtered tickets per request.
SORTED_COLUMNS = ("reportingDate", "priority")
INDEXED_FILTERS = ("stateName", "priority", "problemCategoryName", "costCategoryName", "realEstateObjectReference",
                   "supplierReference")
# A reporting date has few tickets: they are a stretch of the reportingDate Order, not a group of their
# own (a group per day would make a session's first write copy a thousand small lists).
TICKET_ORDERS = {
    "reference": Order(reference_length),
    **{f"{way}:{field}": column_order(field, way == "desc") for field in SORTED_COLUMNS for way in ("asc", "desc")},
    **{f"filter:{field}": Order(reference_length, group=value_of(field)) for field in INDEXED_FILTERS},
    # Not grouped: a group per identifier would make a session's first write copy 50,000 small lists.
    "external": Order(lambda t: (sort_key(t.get("externalIdentifier")), len(t["reference"]))),
}


def names_of(store: Store, collection: str) -> list[str]:
    return [record["name"] for record in store[collection]]


def kind_of(store: Store, state_name: str) -> str:
    state = store["states"].find(state_name)
    return KINDS[state.get("systemState") if state else None]


def done_state(store: Store) -> str:
    """The name of the state whose systemState is 4 (Done); `prepare` made sure there is one."""
    return str(next(s["name"] for s in store["states"] if s.get("systemState") == 4))


def find_by_external(store: Store, external: str) -> Record | None:
    """The ticket with that externalIdentifier, through the tickets' Order by externalIdentifier.

    Create keeps them unique, but fixtures (or a snapshot) may give two tickets the same one; then the
    first of them in the collection's order answers, as it always did (a scan, only in that case).
    """
    tickets = store["tickets"]
    matches = with_external(tickets, external)
    if len(matches) <= 1:
        return matches[0] if matches else None
    return next(t for t in tickets if t["externalIdentifier"] == external)


def with_external(tickets: Collection, external: Any) -> list[Record]:
    """The tickets whose externalIdentifier equals `external`, in reference order: O(log n + matches).

    Positions in the "external" Order are (sort_key(identifier), length of the reference); the walk
    starts after the position (sort_key(external),), which sorts just before every position it begins.
    """
    if not hashable(external):
        return []  # a list or an object equals no stored identifier
    walk = tickets.ordered("external", after=(sort_key(external),))
    return list(takewhile(lambda t: t.get("externalIdentifier") == external, walk))


def hashable(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def identified_ticket(store: Store, reference: Any, external: Any) -> Record:
    """The ticket that `reference` and/or `externalIdentifier` name (both must name the same one).

    Neither given -> 400; one that matches no ticket -> 404; two that match different tickets -> 400.
    """
    if not given(reference) and not given(external):
        message = ("Either reference or externalIdentifier must have a value; send the reference Bloxs "
                   "returned on create (preferred) or your own externalIdentifier.")
        raise InvalidInput(message, fields=[FieldError("reference", message),
                                            FieldError("externalIdentifier", message)])
    by_reference = store["tickets"].find(reference) if given(reference) else None
    if given(reference) and by_reference is None:
        raise NotFound("service ticket with reference", reference,
                       hint=f"use a reference returned by create or listed by POST {TICKETS_PATH}/filter")
    by_external = find_by_external(store, external) if given(external) else None
    if given(external) and by_external is None:
        raise NotFound("service ticket with externalIdentifier", external,
                       hint="no ticket was registered with that externalIdentifier; identify it by reference")
    if by_reference is not None and by_external is not None and by_reference is not by_external:
        message = (f"reference {reference!r} and externalIdentifier {external!r} belong to different service "
                   f"tickets (externalIdentifier {external!r} is ticket {by_external['reference']!r}); send "
                   "only the reference, or both identifiers of the same ticket.")
        raise InvalidInput(message, fields=[FieldError("reference", message),
                                            FieldError("externalIdentifier", message)])
    ticket = by_reference if by_reference is not None else by_external
    if ticket is None:  # unreachable: one identifier was given and matched
        raise NotFound("service ticket", reference if given(reference) else external)
    return ticket


def option_problems(store: Store, body: Mapping[str, Any], *, relations: Iterable[str] = (),
                    objects: Iterable[str] = ()) -> list[FieldError]:
    """Names that are not in their option lists and references to relations or objects that do not exist."""
    problems: list[FieldError] = []
    for field, collection, endpoint in (("stateName", "states", "states"),
                                        ("problemCategoryName", "problem_categories", "problemcategories"),
                                        ("costCategoryName", "cost_categories", "costscategories")):
        value = body.get(field)
        if value is not None and store[collection].find(value) is None:
            options = ", ".join(names_of(store, collection))
            problems.append(FieldError(field, f"'{value}' is not in the list of GET {TICKETS_PATH}/{endpoint}; "
                                              f"use one of: {options}."))
    for field in relations:
        value = body.get(field)
        if value is not None and store["relations"].find(value) is None:
            problems.append(FieldError(field, f"Relation '{value}' does not exist in Bloxs; use the reference "
                                              "of an existing relation (e.g. REL-002087)."))
    for field in objects:
        value = body.get(field)
        if value is not None and store["real_estate_objects"].find(value) is None:
            problems.append(FieldError(field, f"Real-estate object '{value}' does not exist in Bloxs; use the "
                                              "reference of an existing object (e.g. OBJ-0318)."))
    return problems


def number_problems(body: Mapping[str, Any], fields: Iterable[str]) -> list[FieldError]:
    """Numbers a .NET double cannot hold (1e400 parses to infinity here; Bloxs refuses it)."""
    problems = []
    for field in fields:
        value = body.get(field)
        try:
            finite = value is None or math.isfinite(float(value))
        except OverflowError:
            finite = False
        if not finite:
            problems.append(FieldError(field, f"The JSON value could not be converted to System.Double: {field} "
                                              "must be a finite number."))
    return problems


def refuse(problems: list[FieldError]) -> None:
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InvalidInput(f"{first.field}: {first.message}{more}", fields=problems)


def closing_after(store: Store, ticket: Record, action: str, moment: str) -> str | None:
    """The closing date once `action` moved `ticket`: set on entering Done (to `moment`), kept when
    a PUT leaves a Done ticket Done, re-set by the done operation, cleared when the ticket leaves Done."""
    old_kind = kind_of(store, ticket["stateName"])
    if WORKFLOW.next_state(old_kind, action) != "done":
        return None
    if old_kind == "done" and action != "done" and ticket.get("$closingDate"):
        return str(ticket["$closingDate"])
    return moment


def closing_moment(value: str | None, now: str) -> str:
    """The done body's closingDate in UTC, or now when it is left out."""
    if value is None:
        return now
    try:
        return iso(parse_iso(value))
    except (ValueError, OverflowError):
        raise InvalidInput.of("closingDate", f"'{value}' is not a date-time; send e.g. 2026-03-12T15:45:00Z.") from None


# --- handlers ----------------------------------------------------------------------------------

def create_authorization_token(call: Call) -> Reply:
    api_key, api_secret = call.body["apiKey"], call.body["apiSecret"]
    if not call.context.policy.accepts_client(api_key, api_secret):
        raise InvalidInput.of("apiSecret", "The combination of API key and API secret is not valid; use your "
                                           "personal API key (User Profile) and the environment's API secret "
                                           "(Admin, Integrations, API).")
    expires = call.context.now() + TOKEN_LIFETIME
    claims = {"sub": call.context.ids.uuid4(), "env": call.context.slug, "exp": int(expires.timestamp())}
    token = ".".join([encode_segment({"alg": "HS256", "typ": "JWT"}), encode_segment(claims),
                      call.context.ids.base62(43)])
    call.context.tokens.issue(token, TOKEN_LIFETIME)
    return ok({"token": token, "expiration": iso(expires)})


def encode_segment(value: Mapping[str, Any]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def create_service_ticket(call: Call) -> Reply:
    body, store = call.body, call.store
    problems = option_problems(store, body, objects=["realEstateObjectReference"],
                               relations=["reporterReference", "reporterContactPersonReference", "supplierReference"])
    problems += number_problems(body, ("expectedCosts", "mandateAmount"))
    external = body.get("externalIdentifier")
    if given(external) and (other := find_by_external(store, external)) is not None:
        problems.append(FieldError("externalIdentifier", f"'{external}' already identifies service ticket "
                                                         f"'{other['reference']}'; send an identifier that is "
                                                         "unique in your system."))
    refuse(problems)
    ticket: Record = {field: body.get(field, False if field in BOOLEAN_FIELDS else None) for field in TICKET_FIELDS}
    if "reporterContactPersonType" not in body:
        # 1 = External when only the reporterExternal... fields describe the contact, else 0 = ExistingRelation.
        external_contact = any(given(body.get(f)) for f in EXTERNAL_CONTACT_FIELDS)
        ticket["reporterContactPersonType"] = 1 if external_contact else 0
    ticket["reference"] = str(store.next_number("reference"))
    ticket["$closingDate"] = iso(call.context.now()) if kind_of(store, ticket["stateName"]) == "done" else None
    store["tickets"].insert(ticket)
    return ok(public(ticket))


def update_service_ticket(call: Call) -> Reply:
    body, store = call.body, call.store
    ticket = identified_ticket(store, body.get("reference"), body.get("externalIdentifier"))
    refuse(option_problems(store, body, relations=["supplierReference"]) + number_problems(body, ("expectedCosts",)))
    # A full overwrite: fields of the update body that were left out fall back to false / null.
    changes = {field: body.get(field, False if field in BOOLEAN_FIELDS else None) for field in UPDATE_FIELDS}
    action = f"set {kind_of(store, changes['stateName'])}"
    changes["$closingDate"] = closing_after(store, ticket, action, iso(call.context.now()))
    return ok(public(store["tickets"].update(ticket["reference"], changes)))


def get_service_ticket(call: Call) -> Reply:
    ticket = identified_ticket(call.store, call.params.get("reference"), call.params.get("externalIdentifier"))
    return ok(public(ticket))


def filter_service_tickets(call: Call) -> Reply:
    body: Mapping[str, Any] = call.body or {}
    paging = body.get("paging") or {}
    page_number = paging.get("pageNumber") or 1
    page_size = paging.get("pageSize") or DEFAULT_PAGE_SIZE
    if page_number > INT32_MAX:
        # pageNumber is an int32: ASP.NET cannot bind a larger number and answers 400.
        raise InvalidInput.of("paging.pageNumber", f"The JSON value could not be converted to System.Int32: "
                                                   f"{page_number} is over {INT32_MAX}.")
    sorting = body.get("sorting") or {}
    column = str(sorting.get("columnName") or "")
    if given(column) and column.casefold() not in SORT_COLUMNS:
        raise InvalidInput.of("sorting.columnName", f"'{column}' is not a field of a service ticket; sort on one of: "
                                                    f"{', '.join(TICKET_FIELDS)}.")
    wanted = {field: body[field] for field in FILTER_FIELDS if given(body.get(field))}
    field = SORT_COLUMNS[column.casefold()] if given(column) else "reference"
    descending = given(column) and sorting.get("order") == "desc"
    rows, total = select([sorted_tickets(call.store, field, descending),
                          *(filtered_tickets(call.store, name, value, field, descending)
                            for name, value in wanted.items())],
                         offset=(page_number - 1) * page_size, size=page_size,
                         arrange=lambda rows: arranged(rows, field, descending))
    return ok({"items": [public(t) for t in rows],
               "paging": {"pageNumber": page_number, "pageSize": page_size, "totalItems": total,
                          "totalPages": page_count(total, page_size)}})


def arranged(tickets: list[Record], field: str, descending: bool) -> list[Record]:
    """Tickets in the filter's order: by `field`, ties in reference order (also when descending)."""
    tickets = sorted(tickets, key=reference_order)
    if field == "reference":
        return tickets[::-1] if descending else tickets
    # sorted() is stable also with reverse=True: equal values stay in reference order.
    return sorted(tickets, key=lambda t: column_key(t, field), reverse=descending)


def sorted_tickets(store: Store, field: str, descending: bool) -> Candidates[Record]:
    """Every ticket in the filter's order: an Order's walk for the default and the indexed columns
    (one Order per direction, as ties stay in reference order both ways). Another column leaves the
    tickets to be sorted per request: all of them (a scan) unless a filter narrows them first."""
    tickets = store["tickets"]
    if field == "reference":
        return Candidates(len(tickets), lambda start: tickets.ordered("reference", start=start, reverse=descending))
    if field in SORTED_COLUMNS:
        name = f"{'desc' if descending else 'asc'}:{field}"
        return Candidates(len(tickets), lambda start: tickets.ordered(name, start=start, reverse=descending))
    return Candidates(len(tickets), lambda start: iter(tickets), ordered=False)


def filtered_tickets(store: Store, field: str, value: Any, sorted_by: str, descending: bool) -> Candidates[Record]:
    """The tickets whose `field` equals `value`, through an index: the key, the externalIdentifier
    Order or an Order per field (by reference); in the filter's order when it sorts by reference."""
    tickets = store["tickets"]

    def test(ticket: Record) -> bool:
        return bool(ticket.get(field) == value)

    if not hashable(value):
        return Candidates(0, lambda start: iter(()), test=test)  # no stored field holds a list or an object
    if field in ("reference", "externalIdentifier"):
        found = with_external(tickets, value) if field == "externalIdentifier" else \
            [t for t in (tickets.find(value),) if t is not None]
        in_order = len(found) <= 1 or (sorted_by == "reference" and not descending)  # found: by reference
        return Candidates(len(found), lambda start: iter(found[start:]), ordered=in_order, test=test)
    if field in SORTED_COLUMNS and field not in INDEXED_FILTERS:
        found = [t for t in stretch(tickets, field, value) if test(t)]  # all with one value: by reference
        in_order = sorted_by == field or (sorted_by == "reference" and not descending)
        return Candidates(len(found), lambda start: iter(found[start:]), ordered=in_order, test=test)
    name = f"filter:{field}"
    return Candidates(tickets.count(name, group=value),
                      lambda start: tickets.ordered(name, group=value, start=start, reverse=descending),
                      ordered=sorted_by == "reference", test=test)


def stretch(tickets: Collection, field: str, value: Any) -> Iterator[Record]:
    """The tickets whose `field` sorts as `value` does, from the column's ascending Order: O(log n) to
    reach them. Positions there are (*column_key, length of the reference); the walk starts after the
    position column_key(value), which sorts just before every position it begins."""
    key = column_key({field: value}, field)
    return takewhile(lambda t: column_key(t, field) == key, tickets.ordered(f"asc:{field}", after=key))


def column_key(ticket: Record, field: str) -> Any:
    if field == "reference":
        return reference_order(ticket)
    value = ticket.get(field)
    # Case-insensitive, as the database collation behind Bloxs would order text.
    return sort_key(value.casefold() if isinstance(value, str) else value)


def list_states(call: Call) -> Reply:
    return ok([public(state) for state in call.store["states"]])


def list_cost_categories(call: Call) -> Reply:
    return ok([public(category) for category in call.store["cost_categories"]])


def list_problem_categories(call: Call) -> Reply:
    return ok([public(category) for category in call.store["problem_categories"]])


def create_service_ticket_note(call: Call) -> Reply:
    body, store = call.body, call.store
    ticket = identified_ticket(store, body.get("reference"), body.get("externalIdentifier"))
    note = {"$note_id": call.context.ids.uuid4(), "$ticket_reference": ticket["reference"],
            "$created_at": iso(call.context.now()), "reference": body.get("reference"),
            "externalIdentifier": body.get("externalIdentifier"), "message": body["message"]}
    store["notes"].insert(note)
    return ok(public(note))


def mark_service_ticket_done(call: Call) -> Reply:
    body, store = call.body, call.store
    ticket = identified_ticket(store, body.get("reference"), body.get("externalIdentifier"))
    closed = closing_moment(body.get("closingDate"), iso(call.context.now()))
    changes = {"stateName": done_state(store), "$closingDate": closing_after(store, ticket, "done", closed)}
    return ok(public(store["tickets"].update(ticket["reference"], changes)))


HANDLERS = {
    "createAuthorizationToken": create_authorization_token,
    "createServiceTicket": create_service_ticket,
    "updateServiceTicket": update_service_ticket,
    "getServiceTicket": get_service_ticket,
    "filterServiceTickets": filter_service_tickets,
    "listServiceTicketStates": list_states,
    "listServiceTicketCostCategories": list_cost_categories,
    "listServiceTicketProblemCategories": list_problem_categories,
    "createServiceTicketNote": create_service_ticket_note,
    "markServiceTicketDone": mark_service_ticket_done,
}
