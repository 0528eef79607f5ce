"""Flow Retail helpers the handlers share: scoping, uids, paging and sorting, money, time."""

from __future__ import annotations

import base64
import math
import re
import string
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from mockserver.clock import iso, parse_iso
from mockserver.errors import InvalidInput, NotFound
from mockserver.pagination import numbered_page, sort_key
from mockserver.store import Record, public
from mockserver.vendors.base import Call, Handler, Reply, ok

# --- scoping: every record hangs under a tenant, service orders under a store ----------------------


def tenant_of(call: Call) -> Record:
    return call.store["tenants"].get(call.params["tenantUid"], resource="tenant")


def store_of(call: Call) -> Record:
    tenant = tenant_of(call)
    uid = call.params["storeUid"]
    store = call.store["stores"].find(uid)
    if store is None or store["$tenantUid"] != tenant["tenantUid"]:
        raise NotFound("store", uid, hint=f"tenant {tenant['tenantUid']} has no store with that uid")
    return store


def order_of(call: Call) -> Record:
    """The path's service order; an order of another store or tenant does not exist here."""
    store = store_of(call)
    uid = call.params["serviceOrderUid"]
    order = call.store["serviceOrders"].find(uid)
    if order is None or order["storeUid"] != store["storeUid"] or order["tenantUid"] != store["$tenantUid"]:
        raise NotFound("service order", uid, hint=f"store {store['storeUid']} has no service order with that uid")
    return order


def owned(call: Call, collection: str, uid: Any, tenant_uid: str, resource: str) -> Record:
    """A tenant's record named by a path uid (404 if unknown); another tenant's does not exist here."""
    record = call.store[collection].find(uid)
    if record is None or record["$tenantUid"] != tenant_uid:
        raise NotFound(resource, uid)
    return record


def referenced(call: Call, collection: str, uid: Any, tenant_uid: str, resource: str, field: str) -> Record:
    """A tenant's record named by a body field: an unknown uid makes the body invalid (400, naming
    the field), while 404 stays for what the URL addresses."""
    record = call.store[collection].find(uid)
    if record is None or record["$tenantUid"] != tenant_uid:
        raise InvalidInput.of(field, f"{resource} {uid!r} does not exist in tenant {tenant_uid}; "
                                     f"use the uid of an existing {resource}")
    return record


def api_user(call: Call, tenant_uid: str) -> Record:
    """Who a request acts as: the tenant's integration user (tokens name no user in the mock)."""
    users = call.store["users"].where(lambda u: u["$tenantUid"] == tenant_uid)
    fallback = {"tenantUserUid": "integration", "displayName": "Integration", "role": "INTEGRATION"}
    return next((u for u in users if u["role"] == "INTEGRATION"), users[0] if users else fallback)


# --- identifiers -----------------------------------------------------------------------------------

UID_CHARS = re.compile(r"[A-Za-z0-9_-]+")  # the uid pattern, read as a whole-string match
ASCII_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase  # sorts like the strings


def encode(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 62)
        chars.append(ASCII_BASE62[digit])
    return "".join(reversed(chars))


def new_uid(call: Call, prefix: str) -> str:
    """`prefix` + 22 base62 characters: creation time (7), a sequence (3), then 12 random ones.

    Uids made later sort after uids made earlier, so a list sorted by uid (the service-order list's
    documented default) keeps the pages a client already read in place while others create records.
    """
    millis = max(int(call.context.now().timestamp() * 1000), 0) % 62**7
    sequence = call.store.next_number("uid") % 62**3
    return f"{prefix}{encode(millis, 7)}{encode(sequence, 3)}{call.context.ids.base62(12)}"


def new_page_hash(call: Call) -> str:
    """A URL-safe public page hash (32 characters, 24 random bytes), unique among the orders."""
    orders = call.store["serviceOrders"]
    while True:
        digest = base64.urlsafe_b64encode(bytes.fromhex(call.context.ids.hex(48))).decode()
        if orders.find_by("publicPageHash", digest) is None:
            return digest


# --- time ------------------------------------------------------------------------------------------


def now_iso(call: Call) -> str:
    return iso(call.context.now(), millis=True)


def instant(text: str) -> str:
    """A date-time as the vendor writes it (UTC, milliseconds, `Z`); kept as sent if Python cannot shift it."""
    try:
        return iso(parse_iso(text), millis=True)
    except (ValueError, OverflowError):
        return text


# --- money -----------------------------------------------------------------------------------------

# Exact decimal arithmetic, rounded to øre; wide enough that no JSON number the client sends overflows.
MONEY = Context(prec=1000, Emax=100_000, Emin=-100_000)
CENT = Decimal("0.01")


def decimal(value: float | int) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def times(quantity: float | int, price: float | int) -> Decimal:
    return MONEY.multiply(decimal(quantity), decimal(price))


def total(amounts: Iterable[float | int]) -> Decimal:
    result = Decimal(0)
    for amount in amounts:
        result = MONEY.add(result, decimal(amount))
    return result


def as_money(value: float | int) -> float | int:
    """A client's amount as stored: a float, unless it is an integer too large for one to hold exactly."""
    return float(value) if abs(value) < 2**53 else value


def number(amount: Decimal) -> float | int:
    """A money amount for the wire: a float with at most two decimals, or an exact int when huge."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP, context=MONEY)
    if abs(rounded) >= 2**53:
        return int(rounded.to_integral_value(rounding=ROUND_HALF_UP, context=MONEY))
    return float(rounded)


def check_finite(body: Any) -> None:
    """Refuse NaN and ±Infinity (json.loads accepts `NaN`, `Infinity` and `1e999`); they cannot be stored.

    Iterative: a body nested as deep as the JSON reader allows must not exhaust the stack here.
    """
    pending: list[tuple[str, Any]] = [("", body)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidInput.of(where or "(body)", f"{value!r} is not a finite number; send a JSON number")
        if isinstance(value, Mapping):
            pending += [(f"{where}.{key}" if where else str(key), item) for key, item in value.items()]
        elif isinstance(value, list):
            pending += [(f"{where}[{index}]", item) for index, item in enumerate(value)]


def finite_body(handler: Handler) -> Handler:
    """The handler, run only when the body holds no non-finite number."""

    def checked(call: Call) -> Reply:
        check_finite(call.body)
        return handler(call)

    checked.__name__ = checked.__qualname__ = getattr(handler, "__name__", "handler")
    return checked


# --- lists -----------------------------------------------------------------------------------------

SortKey = Callable[[Record], Any]


def arrange(records: list[Record], sort_by: str | None, direction: str | None,
            keys: Mapping[str, SortKey] | None = None) -> list[Record]:
    """Sort by `sort_by` (ties keep the incoming order), or keep the incoming order; DESC reverses."""
    descending = direction == "DESC"
    if sort_by is None:
        return records[::-1] if descending else list(records)
    key = (keys or {}).get(sort_by) or (lambda record: text_key(record.get(sort_by)))
    return sorted(records, key=key, reverse=descending)


def text_key(value: Any) -> tuple[int, Any]:
    """Sort strings case-insensitively (titles, names); everything else as pagination.sort_key does."""
    return sort_key(value.casefold() if isinstance(value, str) else value)


def page(call: Call, records: list[Record]) -> Reply:
    """The vendor's list envelope: one numbered page of `records` and its `paging`."""
    number_, size = call.param("pageNumber", 1), call.param("pageSize", 25)
    items = numbered_page(records, page_number=number_, page_size=size)
    return ok({"items": [public(r) for r in items],
               "paging": {"pageNumber": number_, "pageSize": size, "totalCount": len(records)}})
