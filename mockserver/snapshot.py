"""A session's state as one versioned JSON document: written in slices, read back only when valid.

    {"format": "ticketmock-snapshot", "version": 1, "session": "alice",
     "apis": {"bobdesk": {"collections": {"tickets": [...], ...}, "counters": {...},
                          "idSequence": 12, "tokens": {"<token>": "2026-03-01T10:00:00Z"}}}}

Loading validates everything first (every record against its spec schema, the vendor's reference
rules, counters and sequences) and builds new stores; only then are they swapped in, all at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

from mockserver.clock import iso, parse_iso
from mockserver.errors import InvalidInput
from mockserver.fixtures import FixtureError, baseline_store, check_fixtures
from mockserver.http import dump_json
from mockserver.store import Record, Store

if TYPE_CHECKING:
    from mockserver.app import Runtime

FORMAT = "ticketmock-snapshot"
VERSION = 1
SLICE = 500  # records written between two yields to the event loop


def token_expiries(store: Store) -> dict[str, str]:
    return {token: iso(datetime.fromtimestamp(expiry, UTC)) for token, expiry in store.tokens.items()}


async def write_records(records: list[Record]) -> AsyncIterator[bytes]:
    """A JSON array of records in slices, with a turn for other requests between two slices."""
    yield b"["
    for start in range(0, len(records), SLICE):
        piece = b",".join(dump_json(record) for record in records[start:start + SLICE])
        yield (b"," if start else b"") + piece
        await asyncio.sleep(0)
    yield b"]"


async def write_state(slug: str, store: Store) -> AsyncIterator[bytes]:
    """`GET /_ticketmock/apis/{slug}/state` ({"api", "collections", "counters"}) in slices; pass a fork."""
    yield b'{"api":' + orjson.dumps(slug) + b',"collections":{'
    for position, (name, collection) in enumerate(store.collections.items()):
        yield (b"," if position else b"") + orjson.dumps(name) + b":"
        async for piece in write_records(list(collection)):
            yield piece
    yield b'},"counters":' + orjson.dumps(dict(store.counters)) + b"}"


async def write(session: str, stores: Mapping[str, Store]) -> AsyncIterator[bytes]:
    """The snapshot as JSON text in pieces, giving other requests a turn every few hundred records.

    Pass forks (`Store.fork()`): they are a consistent view that later writes do not change.
    """
    yield b'{"format":"' + FORMAT.encode() + b'","version":' + str(VERSION).encode()
    yield b',"session":' + orjson.dumps(session) + b',"apis":{'
    for index, (slug, store) in enumerate(stores.items()):
        yield (b"," if index else b"") + orjson.dumps(slug) + b':{"collections":{'
        for position, (name, collection) in enumerate(store.collections.items()):
            yield (b"," if position else b"") + orjson.dumps(name) + b":"
            async for piece in write_records(list(collection)):
                yield piece
        tail = {"counters": dict(store.counters), "idSequence": store.id_sequence, "tokens": token_expiries(store)}
        yield b"}," + orjson.dumps(tail)[1:]
    yield b"}}"


def problem(where: str, message: str) -> InvalidInput:
    return InvalidInput.of(where, message)


def read(runtime: Runtime, document: Any) -> dict[str, Store]:
    """Validate a snapshot and build the stores it describes; InvalidInput names API, collection,
    record and field of the first problem. APIs the mock serves that the snapshot lacks get their
    fixtures back."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise problem("format", f"not a ticketmock snapshot: expected \"format\": \"{FORMAT}\" "
                                "(GET /_ticketmock/snapshot writes one)")
    if document.get("version") != VERSION:
        raise problem("version", f"snapshot format version {document.get('version')!r} is not supported; "
                                 f"this ticketmock reads version {VERSION}")
    apis = document.get("apis")
    if not isinstance(apis, dict):
        raise problem("apis", "expected an object of API slug -> state")
    from mockserver.vendors import unknown_slug_message

    for slug in apis:
        if slug not in runtime.vendors:
            raise problem(f"apis.{slug}", f"this mock does not serve {unknown_slug_message(slug)}")
    stores = {}
    for slug in runtime.vendors:
        stores[slug] = read_api(runtime, slug, apis[slug]) if slug in apis else runtime.baselines[slug].fork()
    return stores


def read_api(runtime: Runtime, slug: str, data: Any, *, fill_in: Store | None = None) -> Store:
    """Validate one API's part of a snapshot and build its store.

    With `fill_in` (the API's fixture baseline) it reads `PUT /_ticketmock/apis/{slug}/state`
    instead: collections it does not hold keep `fill_in`'s records, and the id sequence goes on
    from there; problems are named without the `apis.{slug}` prefix and as "invalid state".
    """
    where, what = (f"apis.{slug}", "snapshot") if fill_in is None else ("", "state")
    if not isinstance(data, dict):
        raise problem(where or "(body)", "expected an object with collections, counters, idSequence and tokens"
                      if fill_in is None else "expected an object with collections and, optionally, counters")
    vendor = runtime.vendors[slug]
    collections = data.get("collections")
    if not isinstance(collections, dict):
        raise problem(join(where, "collections"), "expected an object of collection name -> list of records")
    known = [spec.name for spec in vendor.collections]
    for name in collections:
        if name not in known:
            raise problem(join(where, f"collections.{name}"), f"{slug} has no collection {name!r}; it has: "
                                                              f"{', '.join(known)}")
    missing = [name for name in known if name not in collections]
    if missing and fill_in is None:
        raise problem(f"{where}.collections", f"missing collection(s) {', '.join(missing)}; a snapshot holds "
                                              "every collection of an API (an empty list for none)")
    for name, records in collections.items():
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise problem(join(where, f"collections.{name}"), "expected a list of records (objects)")
    checked = {name: collections.get(name, []) for name in known}  # the baseline's records were checked at start
    if fill_in is not None:
        collections = {name: collections[name] if name in collections else list(fill_in[name]) for name in known}
    try:
        check_fixtures(where or slug, vendor, checked)
        store = baseline_store(vendor, collections, runtime.baseline_context)
    except FixtureError as exc:
        raise InvalidInput(f"invalid {what}: {exc}") from None
    # Read from a document, not forked from the fixtures: what a state file must keep.
    store.modified = True
    counters = data.get("counters", {})
    if not isinstance(counters, dict) or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                                                 for v in counters.values()):
        raise problem(join(where, "counters"), "expected an object of counter name -> non-negative integer")
    for name, value in counters.items():
        store.raise_counter(str(name), value)  # never below what the records need (numbers never repeat)
    if fill_in is not None:
        # Seeded ids are drawn from (seed, position): going on from the baseline's position never
        # repeats an id the baseline's preparation drew.
        store.id_sequence = max(store.id_sequence, fill_in.id_sequence)
        return store
    sequence = data.get("idSequence", 0)
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 0:
        raise problem(f"{where}.idSequence", f"expected a non-negative integer, got {sequence!r}")
    store.id_sequence = sequence
    tokens = data.get("tokens", {})
    if not isinstance(tokens, dict):
        raise problem(f"{where}.tokens", "expected an object of token -> expiry date-time")
    for token, expiry in tokens.items():
        try:
            store.tokens[str(token)] = parse_iso(str(expiry)).timestamp()
        except ValueError:
            raise problem(f"{where}.tokens", f"the expiry of a token, {expiry!r}, is not a date-time") from None
    return store


def join(where: str, member: str) -> str:
    """`apis.bobdesk` + `counters` -> `apis.bobdesk.counters`; at the top of a body just `counters`."""
    return f"{where}.{member}" if where else member
