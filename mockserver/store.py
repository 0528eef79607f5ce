"""The records of one API in one session: named collections with indexes, counters and an id sequence.

A session's store starts as a fork of the API's fixture baseline and copies a collection only when
it first writes to it (copy-on-write), so a session that only reads costs a few small objects.
Every write inside `Store.transaction()` is recorded: an exception rolls the whole request back,
and a storage backend that keeps state elsewhere (Redis) gets the exact set of changed records.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sortedcontainers import SortedList

from mockserver.errors import Conflict, NotFound

Record = dict[str, Any]
EVERY = object()  # `group=EVERY`: an ordered walk over the whole collection, not one group of it


@dataclasses.dataclass(frozen=True, slots=True)
class Order:
    """A sort order a collection keeps up to date on every write, so that a list page costs
    O(log n + page) instead of sorting everything: `key(record)` gives the position, and with
    `group` each value of `group(record)` gets its own ordered list (a client's tickets by id)."""

    key: Callable[[Record], Any]
    group: Callable[[Record], Any] | None = None


class _Ordered:
    """One Order's sorted (position, primary key) pairs, per group when the order is grouped."""

    __slots__ = ("order", "lists")

    def __init__(self, order: Order, lists: dict[Any, SortedList] | None = None) -> None:
        self.order = order
        self.lists: dict[Any, SortedList] = lists if lists is not None else {}

    def copy(self) -> _Ordered:
        return _Ordered(self.order, {group: _copy_sorted(entries) for group, entries in self.lists.items()})

    def _group(self, record: Record) -> Any:
        return self.order.group(record) if self.order.group is not None else EVERY

    def add(self, key: Any, record: Record) -> None:
        group = self._group(record)
        entries = self.lists.get(group)
        if entries is None:
            entries = self.lists[group] = SortedList()
        entries.add((self.order.key(record), key))

    def discard(self, key: Any, record: Record) -> None:
        entries = self.lists.get(self._group(record))
        if entries is not None:
            entries.discard((self.order.key(record), key))


@dataclass
class Changes:
    """What one transaction changed: records by (collection, key), counters, the id sequence."""

    records: dict[tuple[str, Any], Record | None] = dataclasses.field(default_factory=dict)  # None: deleted
    counters: dict[str, int] = dataclasses.field(default_factory=dict)
    id_sequence: int | None = None
    tokens: dict[str, float | None] = dataclasses.field(default_factory=dict)  # None: discarded

    def __bool__(self) -> bool:
        return bool(self.records or self.counters or self.tokens) or self.id_sequence is not None


class _Undo:
    """The undo log of the transaction in progress (shared by a store and its collections)."""

    def __init__(self) -> None:
        self.entries: list[tuple[Collection, Any, Record | None]] | None = None


class Collection:
    """Records keyed by one field, kept in insertion order, with optional indexes.

    `unique` fields map a value to one record (`find_by`); `groups` fields map a value to the records
    that carry it, in insertion order (`group`): a ticket's notes without scanning every note.
    Stored records are never mutated in place: `update` and `replace` store a new dict, so a
    record a handler read earlier stays what it was, and forks can share record objects.
    """

    def __init__(self, name: str, key: str, *, unique: Iterable[str] = (), groups: Iterable[str] = (),
                 orders: Mapping[str, Order] | None = None) -> None:
        self.name = name
        self.key = key
        self._rows: dict[Any, Record] = {}
        self._indexes: dict[str, dict[Any, Any]] = {field: {} for field in unique}
        self._groups: dict[str, dict[Any, dict[Any, None]]] = {field: {} for field in groups}
        self._orders: dict[str, _Ordered] = {name: _Ordered(order) for name, order in (orders or {}).items()}
        self._shared = False  # True while the dicts above also belong to another collection
        self._undo = _Undo()
        self._order_before: list[Any] | None = None  # key order before the first delete of a transaction

    def fork(self, undo: _Undo | None = None) -> Collection:
        """A copy that shares this collection's data until either side writes (O(1))."""
        twin = Collection.__new__(Collection)
        twin.name, twin.key = self.name, self.key
        twin._rows, twin._indexes, twin._groups, twin._orders = self._rows, self._indexes, self._groups, self._orders
        twin._shared = self._shared = True
        twin._undo = undo or _Undo()
        twin._order_before = None
        return twin

    def _own(self) -> None:
        """Copy the shared dicts before the first write (records themselves are shared: immutable)."""
        if self._shared:
            self._rows = dict(self._rows)
            self._indexes = {name: dict(index) for name, index in self._indexes.items()}
            self._groups = {name: {value: dict(keys) for value, keys in grouped.items()}
                            for name, grouped in self._groups.items()}
            self._orders = {name: ordered.copy() for name, ordered in self._orders.items()}
            self._shared = False

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Record]:
        return iter(list(self._rows.values()))

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def find(self, key: Any) -> Record | None:
        return self._rows.get(key)

    def get(self, key: Any, *, resource: str | None = None) -> Record:
        record = self._rows.get(key)
        if record is None:
            raise NotFound(resource or self.name, key)
        return record

    def find_by(self, field: str, value: Any) -> Record | None:
        """Look a record up through a unique index."""
        key = self._indexes[field].get(value)
        return None if key is None else self._rows[key]

    def group(self, field: str, value: Any) -> list[Record]:
        """The records whose `field` is `value`, through a group index, in insertion order."""
        return [self._rows[key] for key in self._groups[field].get(value, ())]

    def where(self, predicate: Callable[[Record], bool]) -> list[Record]:
        return [record for record in self._rows.values() if predicate(record)]

    def ordered(self, order: str, *, group: Any = EVERY, after: Any = None, reverse: bool = False,
                start: int = 0) -> Iterator[Record]:
        """Records in an Order's sequence, lazily: from the `start`-th, or after the position `after`
        (before it when `reverse`). Each step costs O(1) after an O(log n) start."""
        entries = self._orders[order].lists.get(group)
        if not entries:
            return iter(())
        if after is not None:
            # (position, key) pairs: a bare position sorts before every pair that starts with it and
            # (position, +inf) after them; compare the position alone to stay type-agnostic.
            if reverse:
                index = entries.bisect_left((after,)) - 1
                positions: Iterable[tuple[Any, Any]] = (entries[i] for i in range(index, -1, -1))
            else:
                index = _bisect_after(entries, after)
                positions = entries.islice(index)
        else:
            positions = entries.islice(start, reverse=reverse) if not reverse else \
                entries.islice(0, max(0, len(entries) - start), reverse=True)  # a negative stop counts from the end
        rows = self._rows
        return (rows[key] for _, key in positions)

    def count(self, order: str, *, group: Any = EVERY) -> int:
        """How many records an Order (or one group of it) holds: O(1)."""
        entries = self._orders[order].lists.get(group)
        return len(entries) if entries else 0

    def insert(self, record: Record) -> Record:
        key = record[self.key]
        if key in self._rows:
            raise Conflict(f"{self.name}: a record with {self.key} {key!r} already exists")
        self._check_unique(record, key)
        self._own()
        self._remember(key, None)
        self._rows[key] = record
        self._index(record, key)
        return record

    def replace(self, key: Any, record: Record) -> Record:
        old = self.get(key)
        if record[self.key] != key:
            raise ValueError(f"{self.name}: replace() cannot change the key {key!r}")
        self._check_unique(record, key)
        self._own()
        self._remember(key, old)
        self._swap(key, old, record)
        return record

    def update(self, key: Any, changes: Mapping[str, Any]) -> Record:
        return self.replace(key, {**self.get(key), **changes})

    def delete(self, key: Any) -> Record:
        record = self.get(key)
        self._own()
        if self._undo.entries is not None and self._order_before is None:
            self._order_before = list(self._rows)  # a rollback puts the record back where it was
        self._remember(key, record)
        del self._rows[key]
        self._unindex(record)
        return record

    def clear(self) -> None:
        self._rows, self._shared = {}, False
        self._indexes = {name: {} for name in self._indexes}
        self._groups = {name: {} for name in self._groups}
        self._orders = {name: _Ordered(ordered.order) for name, ordered in self._orders.items()}

    def _remember(self, key: Any, old: Record | None) -> None:
        if self._undo.entries is not None:
            self._undo.entries.append((self, key, old))

    def _swap(self, key: Any, old: Record, record: Record) -> None:
        self._unindex(old, groups=False)
        self._rows[key] = record
        self._index(record, key, groups=False)
        for field, groups in self._groups.items():  # a record keeps its place in a group it stays in
            if old.get(field) != record.get(field):
                groups.get(old.get(field), {}).pop(key, None)
                groups.setdefault(record.get(field), {})[key] = None

    def _restore(self, key: Any, old: Record | None) -> None:
        """Undo one write: put `old` back (None: the record did not exist)."""
        current = self._rows.get(key)
        if old is None:
            if current is not None:
                del self._rows[key]
                self._unindex(current)
        elif current is not None:
            self._swap(key, current, old)
        else:
            self._rows[key] = old
            self._index(old, key)

    def _end_transaction(self, rolled_back: bool) -> None:
        order, self._order_before = self._order_before, None
        if rolled_back and order is not None:
            # A deleted record came back at the end: restore the original order and rebuild indexes.
            rows = self._rows
            self._rows = {key: rows[key] for key in order if key in rows}
            self._indexes = {name: {} for name in self._indexes}
            self._groups = {name: {} for name in self._groups}
            self._orders = {name: _Ordered(ordered.order) for name, ordered in self._orders.items()}
            for key, record in self._rows.items():
                self._index(record, key)

    def _check_unique(self, record: Record, key: Any) -> None:
        for field, index in self._indexes.items():
            value = record.get(field)
            if value is not None and index.get(value, key) != key:
                raise Conflict(f"{self.name}: {field} {value!r} is already used by {index[value]!r}")

    def _index(self, record: Record, key: Any, *, groups: bool = True) -> None:
        for field, index in self._indexes.items():
            value = record.get(field)
            if value is not None:
                index[value] = key
        for field, grouped in self._groups.items() if groups else ():
            grouped.setdefault(record.get(field), {})[key] = None
        for ordered in self._orders.values():
            ordered.add(key, record)

    def _unindex(self, record: Record, *, groups: bool = True) -> None:
        key = record[self.key]
        for field, index in self._indexes.items():
            value = record.get(field)
            if value is not None and index.get(value) == key:
                del index[value]
        for field, grouped in self._groups.items() if groups else ():
            grouped.get(record.get(field), {}).pop(key, None)
        for ordered in self._orders.values():
            ordered.discard(key, record)


class Store:
    """The state of one API: its collections, counters (numbers only grow), the id sequence and the
    tokens its token endpoint issued (token -> expiry as a POSIX timestamp)."""

    def __init__(self) -> None:
        self.collections: dict[str, Collection] = {}
        self.counters: dict[str, int] = {}
        self.id_sequence = 0
        self.tokens: dict[str, float] = {}
        self.modified = False  # written since it was forked (what a state file must keep)
        self._undo = _Undo()
        self._token_undo: list[tuple[str, float | None]] | None = None

    def add(self, collection: Collection) -> Collection:
        collection._undo = self._undo
        self.collections[collection.name] = collection
        return collection

    def fork(self) -> Store:
        """A store that starts as this one and copies each collection on its first write."""
        twin = Store()
        twin.collections = {name: c.fork(twin._undo) for name, c in self.collections.items()}
        twin.counters = dict(self.counters)
        twin.id_sequence = self.id_sequence
        twin.tokens = dict(self.tokens)
        return twin

    def __getitem__(self, name: str) -> Collection:
        try:
            return self.collections[name]
        except KeyError:
            raise KeyError(f"no collection {name!r}; known: {', '.join(sorted(self.collections))}") from None

    def next_number(self, counter: str) -> int:
        """The next value of a counter; counters start where the fixtures left them."""
        self.counters[counter] = value = self.counters.get(counter, 0) + 1
        return value

    def raise_counter(self, counter: str, at_least: int) -> None:
        self.counters[counter] = max(self.counters.get(counter, 0), at_least)

    def issue_token(self, token: str, expires_at: float, *, now: float, limit: int = 10_000) -> None:
        """Remember an issued token until `expires_at`; past `limit` tokens, expired ones are dropped
        first, then the oldest (a client that lost its token asks for a new one)."""
        if len(self.tokens) >= limit:
            for old in [t for t, expiry in self.tokens.items() if expiry <= now]:
                self._set_token(old, None)
            for old in list(self.tokens)[: max(0, len(self.tokens) - limit + 1)]:
                self._set_token(old, None)
        self._set_token(token, expires_at)

    def _set_token(self, token: str, expires_at: float | None) -> None:
        if self._token_undo is not None:
            self._token_undo.append((token, self.tokens.get(token)))
        if expires_at is None:
            self.tokens.pop(token, None)
        else:
            self.tokens.pop(token, None)  # re-issued tokens move to the end: the newest are kept
            self.tokens[token] = expires_at

    def next_id(self) -> int:
        """The next position in the id sequence (what seeded identifiers are drawn from)."""
        self.id_sequence += 1
        return self.id_sequence

    def begin(self) -> Transaction:
        """Start recording writes (see Transaction); transactions do not nest."""
        return Transaction(self)

    @contextmanager
    def transaction(self) -> Iterator[Changes]:
        """Record every write; on an exception undo them all. Yields what was changed (filled on exit)."""
        changes = Changes()
        transaction = self.begin()
        try:
            yield changes
        except BaseException:
            transaction.rollback()
            raise
        done = transaction.commit()
        changes.records, changes.counters = done.records, done.counters
        changes.id_sequence, changes.tokens = done.id_sequence, done.tokens

    def apply(self, changes: Changes) -> None:
        """Apply changes made elsewhere (another process) to this store, outside any transaction."""
        self.modified = True
        for (name, key), record in changes.records.items():
            collection = self[name]
            collection._own()
            current = collection.find(key)
            if record is None:
                if current is not None:
                    del collection._rows[key]
                    collection._unindex(current)
            elif current is None:
                collection._rows[key] = record
                collection._index(record, key)
            else:
                collection._swap(key, current, record)
        self.counters.update(changes.counters)
        if changes.id_sequence is not None:
            self.id_sequence = changes.id_sequence
        for token, expiry in changes.tokens.items():
            if expiry is None:
                self.tokens.pop(token, None)
            else:
                self.tokens[token] = expiry

    def clear(self) -> None:
        for collection in self.collections.values():
            collection.clear()
        self.counters.clear()

    def dump(self) -> dict[str, Any]:
        """A deep copy of the records and counters, JSON-ready: {"collections": {...}, "counters": {...}}."""
        return {
            "collections": {name: copy.deepcopy(list(c)) for name, c in self.collections.items()},
            "counters": dict(self.counters),
        }

    def record_count(self) -> dict[str, int]:
        return {name: len(c) for name, c in self.collections.items()}


class Transaction:
    """The writes to one store since `Store.begin()`: committed (kept) or rolled back (undone).

    `changes()` tells what was written without ending the transaction: a backend that keeps state
    elsewhere sends them there first and commits or rolls back by the answer.
    """

    def __init__(self, store: Store) -> None:
        if store._undo.entries is not None:
            raise RuntimeError("transactions do not nest")
        self.store = store
        self.entries: list[tuple[Collection, Any, Record | None]] = []
        self.token_log: list[tuple[str, float | None]] = []
        store._undo.entries, store._token_undo = self.entries, self.token_log
        self.counters, self.sequence = dict(store.counters), store.id_sequence

    def changes(self) -> Changes:
        store = self.store
        changes = Changes()
        for collection, key, _ in self.entries:
            changes.records[(collection.name, key)] = collection.find(key)
        changes.counters = {k: v for k, v in store.counters.items() if self.counters.get(k) != v}
        changes.id_sequence = store.id_sequence if store.id_sequence != self.sequence else None
        changes.tokens = {token: store.tokens.get(token) for token, _ in self.token_log}
        return changes

    def commit(self) -> Changes:
        changes = self.changes()
        self._end(rolled_back=False)
        self.store.modified = self.store.modified or bool(changes)
        return changes

    def rollback(self) -> None:
        store = self.store
        store._undo.entries, store._token_undo = None, None  # undoing must not record itself
        for collection, key, old in reversed(self.entries):
            collection._restore(key, old)
        for token, expiry in reversed(self.token_log):
            store._set_token(token, expiry)
        store.counters, store.id_sequence = self.counters, self.sequence
        self._end(rolled_back=True)

    def _end(self, *, rolled_back: bool) -> None:
        self.store._undo.entries, self.store._token_undo = None, None
        for collection in {collection for collection, _, _ in self.entries}:
            collection._end_transaction(rolled_back)


INTERNAL_PREFIX = "$"


def public(record: Record) -> Record:
    """The record as the API shows it: fields starting with `$` are the mock's own bookkeeping."""
    return {key: value for key, value in record.items() if not key.startswith(INTERNAL_PREFIX)}


def _copy_sorted(entries: SortedList) -> SortedList:
    """A copy of a SortedList that does not compare its entries again.

    SortedList(entries) sorts what it is given: with tuple positions that is ~15 ms per 50,000 entries,
    paid for every Order on a session's first write to a collection; copying sortedcontainers' internal
    lists (the pinned 2.4.0: `_lists`, `_maxes`, `_index`, `_offset`, `_len`, `_load`) takes ~0.3 ms.
    """
    twin = SortedList()
    twin._lists = [part[:] for part in entries._lists]
    twin._maxes = entries._maxes[:]
    twin._index = entries._index[:]
    twin._offset, twin._len, twin._load = entries._offset, entries._len, entries._load
    return twin


def _bisect_after(entries: SortedList, position: Any) -> int:
    """The index of the first (position', key) pair with position' > position."""
    low: int = entries.bisect_left((position,))
    high = len(entries)
    while low < high:  # skip the pairs whose position equals `position` (few: ties on the sort key)
        if entries[low][0] == position:
            low += 1
        else:
            break
    return low
