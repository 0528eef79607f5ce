"""The default backend: sessions live in this process (one worker), copy-on-write from the baselines."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from mockserver.faults import Fault
from mockserver.sessions import Session
from mockserver.store import Store

T = TypeVar("T")


class MemoryBackend:
    """Sessions in a dict. Handlers run on the event loop one at a time, so a request's
    read-modify-write never interleaves with another's; a failing request is rolled back."""

    name = "memory"

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._baselines: Mapping[str, Store] = {}
        self.generation = 0  # grows with every change worth saving (the --state-file saver watches it)

    def describe(self) -> str:
        return "memory (this process)"

    async def start(self, baselines: Mapping[str, Store]) -> None:
        self._baselines = baselines

    async def close(self) -> None:
        return None

    async def health(self) -> dict[str, Any]:
        return {"backend": self.name, "state": self.describe(), "ok": True, "sessions": len(self._sessions)}

    async def get(self, name: str, *, now: float | None = None, touch: bool = False, counted: bool = False,
                  api: str | None = None) -> Session | None:
        session = self._sessions.get(name)
        if session is not None and now is not None and session.expired(now):
            del self._sessions[name]
            self.generation += 1
            return None
        if session is not None and touch and now is not None:
            session.last_used = now
            session.requests += counted
        return session

    async def add(self, session: Session) -> bool:
        if session.name in self._sessions:
            return False
        self._sessions[session.name] = session
        self.generation += 1
        return True

    async def remove(self, name: str) -> bool:
        removed = self._sessions.pop(name, None) is not None
        self.generation += removed
        return removed

    async def all(self) -> list[Session]:
        return list(self._sessions.values())

    async def sweep(self, now: float) -> list[str]:
        gone = [name for name, session in self._sessions.items() if session.expired(now)]
        for name in gone:
            del self._sessions[name]
        self.generation += bool(gone)
        return gone

    async def count(self) -> int:
        return len(self._sessions)

    async def save_settings(self, session: Session) -> None:
        self.generation += 1

    async def store(self, session: Session, slug: str, *, fresh: bool = False) -> Store:
        store = session.stores.get(slug)
        if store is None:
            store = session.stores[slug] = self._baselines[slug].fork()
        return store

    async def run(self, session: Session, slug: str, work: Callable[[Store], T]) -> T:
        store = await self.store(session, slug)
        with store.transaction() as changes:
            result = work(store)
        if changes:
            self.generation += 1
        return result

    async def replace_stores(self, session: Session, stores: Mapping[str, Store]) -> None:
        session.stores.update(stores)
        self.generation += 1

    async def arm_fault(self, session: Session, api: str, operation_id: str, *, status: int | None,
                        latency_ms: int | None, mode: str) -> Fault:
        self.generation += 1
        return session.faults.arm(api, operation_id, status=status, latency_ms=latency_ms, mode=mode)

    async def take_fault(self, session: Session, api: str, operation_id: str) -> Fault | None:
        fault = session.faults.take(api, operation_id)
        self.generation += fault is not None
        return fault

    async def clear_faults(self, session: Session, fault_id: int | None = None) -> int:
        cleared = session.faults.clear(fault_id)
        self.generation += bool(cleared)
        return cleared

    async def faults(self, session: Session) -> list[Fault]:
        return session.faults.list()

    async def record(self, session: Session, entry: dict[str, Any]) -> None:
        session.journal.record(entry)

    async def entries(self, session: Session) -> list[dict[str, Any]]:
        return session.journal.entries()

    async def clear_journal(self, session: Session) -> int:
        return session.journal.clear()
