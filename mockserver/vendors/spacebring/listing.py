"""Spacebring's ticket list: filters, the four sort orders and keyset `nextPageToken` paging."""

from __future__ import annotations

import base64
import binascii
import json
from functools import partial
from itertools import islice
from typing import Any
from urllib.parse import urlencode

from mockserver.errors import InvalidInput
from mockserver.pagination import encode_token
from mockserver.store import Order, Record, Store
from mockserver.vendors.base import Call, Reply, ok
from mockserver.vendors.spacebring.model import check_network, location_of, ref, ticket_view

DEFAULT_LIMIT = 25
DEFAULT_ORDER = "createDate:desc"
# order -> (date field, descending); ties on the date are broken by the ticket number, unique per location.
# Each date field is an Order of every location's tickets, walked backwards for :desc.
ORDERS: dict[str, tuple[str, bool]] = {
    "createDate:asc": ("createDate", False),
    "createDate:desc": ("createDate", True),
    "updateDate:asc": ("updateDate", False),
    "updateDate:desc": ("updateDate", True),
}
TOKEN = "nextPageToken"


def position(ticket: Record, field: str) -> tuple[str, int]:
    """Where a ticket stands in the `field` order: the keyset a page token holds."""
    return ticket[field], ticket["number"]


TICKET_ORDERS = {field: Order(partial(position, field=field), group=lambda t: t["locationRef"])
                 for field in ("createDate", "updateDate")}


def read_token(token: str) -> list[Any] | int:
    """A keyset position `[date, number]` this server issued, or an offset from `{"offset": N}`.

    The offset form is what the vendor's documentation shows as its example token
    (`eyJvZmZzZXQiOjI1fQ` = `{"offset":25}`); it is accepted so requests copied from the docs work.
    """
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error):
        decoded = None
    if isinstance(decoded, dict) and set(decoded) == {"offset"}:
        offset = decoded["offset"]
        if isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0:
            return offset
    if (isinstance(decoded, list) and len(decoded) == 2 and isinstance(decoded[0], str)
            and isinstance(decoded[1], int) and not isinstance(decoded[1], bool)):
        return decoded
    raise InvalidInput.of(TOKEN, f"{token!r} is not a page token of this list; copy nextPageToken from the "
                                 "previous response, or omit it to start from the first page")


def id_list(call: Call, name: str) -> list[str] | None:
    """A comma-separated id filter; each id may appear once."""
    raw = call.params.get(name)
    if raw is None:
        return None
    ids = [ref(part) for part in raw.split(",")]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InvalidInput.of(name, f"{', '.join(repeated)} appears more than once; list each id once")
    return ids


def requester_filter(call: Call, store: Store, location: Record) -> set[str] | None:
    ids = id_list(call, "membershipRefRequester")
    if ids is None:
        return None
    unknown = [i for i in ids if (store["memberships"].find(i) or {}).get("locationRef") != location["id"]]
    if unknown:
        raise InvalidInput.of("membershipRefRequester",
                              f"membership {', '.join(unknown)} does not exist in location {location['name']!r}; "
                              "filter by memberships of this location")
    return set(ids)


def search_query(call: Call, location: Record, limit: int, order: str, token: str) -> str:
    """The query string of the next page: every active filter and the next page token."""
    pairs: list[tuple[str, Any]] = [("locationRef", location["id"]), ("limit", limit), ("order", order)]
    pairs += [(name, call.params[name]) for name in ("membershipRefRequester", "userRefAssignee")
              if call.params.get(name) is not None]
    pairs.append((TOKEN, token))
    return "?" + urlencode(pairs, safe=":,")


def get_support_tickets(call: Call) -> Reply:
    network = check_network(call)
    store = call.store
    location = location_of(store, network, call.params["locationRef"], "locationRef")
    requesters = requester_filter(call, store, location)
    assignee_ids = id_list(call, "userRefAssignee")
    assignees = None if assignee_ids is None else set(assignee_ids)
    order = call.param("order", DEFAULT_ORDER)
    field, descending = ORDERS[order]
    limit = int(call.param("limit", DEFAULT_LIMIT))

    def keep(ticket: Record) -> bool:
        return ((requesters is None or ticket["membershipRefRequester"] in requesters)
                and (assignees is None or ticket.get("userRefAssignee") in assignees))

    # The location's tickets in the order's sequence, from the token on: O(log n + page) without the
    # requester and assignee filters, which are applied on the way (the cost grows with what they skip).
    tickets, token = store["tickets"], call.params.get(TOKEN)
    start = 0 if token is None else read_token(token)
    if isinstance(start, int):
        walk = tickets.ordered(field, group=location["id"], start=start, reverse=descending)
    else:
        walk = tickets.ordered(field, group=location["id"], after=tuple(start), reverse=descending)
    if requesters is not None or assignees is not None:
        walk = filter(keep, walk)
    rows = list(islice(walk, limit + 1))  # one more than the page: is there a next page?
    page = rows[:limit]
    body: dict[str, Any] = {"tickets": [ticket_view(store, ticket) for ticket in page]}
    if len(rows) > limit and page:
        next_token = encode_token(position(page[-1], field))
        body[TOKEN] = next_token
        body["searchQueryNext"] = search_query(call, location, limit, order, next_token)
    return ok(body)
