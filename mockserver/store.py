"""In-memory records of one API: named collections with unique indexes, and counters.

Everything here is synchronous and runs on the event loop, so a handler's read-modify-write of the
store cannot interleave with another request's: no lost or duplicated writes without locks.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from mockserver.errors import Conflict, NotFound

Record = dict[str, Any]


class Collection:
    """Records keyed by one field, kept in insertion order, with optional indexes.

    `unique` fields map a value to one record (`find_by`); `groups` fields map a value to the records
    that carry it, in insertion order (`group`): a ticket's notes without scanning every note.
    Stored records are never mutated in place: `update` and `replace` store a new dict, so a
    record a handler read earlier stays what it was.
    """

    def __init__(self, name: str, key: str, *, unique: Iterable[str] = (), groups: Iterable[str] = ()) -> None:
        self.name = name
        self.key = key
        self._rows: dict[Any, Record] = {}
        self._indexes: dict[str, dict[Any, Any]] = {field: {} for field in unique}
        self._groups: dict[str, dict[Any, dict[Any, None]]] = {field: {} for field in groups}

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

    def insert(self, record: Record) -> Record:
        key = record[self.key]
        if key in self._rows:
            raise Conflict(f"{self.name}: a record with {self.key} {key!r} already exists")
        self._check_unique(record, key)
        self._rows[key] = record
        self._index(record, key)
        return record

    def replace(self, key: Any, record: Record) -> Record:
        old = self.get(key)
        if record[self.key] != key:
            raise ValueError(f"{self.name}: replace() cannot change the key {key!r}")
        self._check_unique(record, key)
        self._unindex(old, groups=False)
        self._rows[key] = record
        self._index(record, key, groups=False)
        for field, groups in self._groups.items():  # a record keeps its place in a group it stays in
            if old.get(field) != record.get(field):
                groups.get(old.get(field), {}).pop(key, None)
                groups.setdefault(record.get(field), {})[key] = None
        return record

    def update(self, key: Any, changes: Mapping[str, Any]) -> Record:
        return self.replace(key, {**self.get(key), **changes})

    def delete(self, key: Any) -> Record:
        record = self.get(key)
        del self._rows[key]
        self._unindex(record)
        return record

    def clear(self) -> None:
        self._rows.clear()
        for index in self._indexes.values():
            index.clear()
        for groups in self._groups.values():
            groups.clear()

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

    def _unindex(self, record: Record, *, groups: bool = True) -> None:
        key = record[self.key]
        for field, index in self._indexes.items():
            value = record.get(field)
            if value is not None and index.get(value) == key:
                del index[value]
        for field, grouped in self._groups.items() if groups else ():
            grouped.get(record.get(field), {}).pop(key, None)


class Store:
    """The state of one API: its collections and its counters (ticket numbers only grow)."""

    def __init__(self) -> None:
        self.collections: dict[str, Collection] = {}
        self.counters: dict[str, int] = {}

    def add(self, collection: Collection) -> Collection:
        self.collections[collection.name] = collection
        return collection

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

    def clear(self) -> None:
        for collection in self.collections.values():
            collection.clear()
        self.counters.clear()

    def dump(self) -> dict[str, Any]:
        """A deep copy of everything, JSON-ready: {"collections": {...}, "counters": {...}}."""
        return {
            "collections": {name: copy.deepcopy(list(c)) for name, c in self.collections.items()},
            "counters": dict(self.counters),
        }


INTERNAL_PREFIX = "$"


def public(record: Record) -> Record:
    """The record as the API shows it: fields starting with `$` are the mock's own bookkeeping."""
    return {key: value for key, value in record.items() if not key.startswith(INTERNAL_PREFIX)}
