"""The storage seam: where sessions and their state are kept.

A `Backend` keeps the session registry and, per session, what the mock must not lose: each API's
store, the journal and the faults. The in-memory backend (`state.memory`, the default) keeps them
in this process; a shared backend keeps them outside it so that several processes serve one mock.
Vendor handlers never see a backend: they get a `Call` whose store is a plain in-memory `Store`,
and the backend makes each request's changes to it one atomic unit (`unit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from mockserver.faults import Fault
from mockserver.sessions import Session
from mockserver.store import Store


class StateUnavailable(Exception):
    """The backend cannot be reached (answered 503 in the vendor's envelope); the message names it."""


class Backend(Protocol):
    """What the mock needs from a place that keeps sessions."""

    name: str  # "memory" | "redis"

    def describe(self) -> str:
        """Where the state lives, safe to print (a URL without its password)."""
        ...

    async def start(self, baselines: Mapping[str, Store]) -> None:
        """Begin serving; `baselines` are the APIs' fixture stores every session starts from."""
        ...

    async def close(self) -> None:
        ...

    async def health(self) -> dict[str, Any]:
        ...

    # the session registry
    async def get(self, name: str) -> Session | None:
        """The session, up to date with what other processes did; None when it does not exist."""
        ...

    async def add(self, session: Session) -> bool:
        """Register a new session; False when the name is taken."""
        ...

    async def remove(self, name: str) -> bool:
        ...

    async def all(self) -> list[Session]:
        ...

    async def sweep(self, now: float, default_ttl: float | None) -> list[str]:
        """Remove sessions idle for longer than their time to live; return their names."""
        ...

    async def count(self) -> int:
        ...

    async def touch(self, session: Session, now: float, *, counted: bool = True) -> None:
        """The session was used now; `counted`: an API request (control requests do not count)."""
        ...

    async def save_settings(self, session: Session) -> None:
        """The session's clock or settings changed."""
        ...

    # the stores
    async def store(self, session: Session, slug: str) -> Store:
        """The session's store of one API, up to date (forked from the baseline on first use)."""
        ...

    def unit(self, session: Session, slug: str) -> AbstractAsyncContextManager[Store]:
        """One request's reads and writes of one API's store: all of them happen, or none."""
        ...

    async def replace_stores(self, session: Session, stores: Mapping[str, Store]) -> None:
        """Put whole new stores in place at once (reset, snapshot load)."""
        ...

    # faults
    async def arm_fault(self, session: Session, api: str, operation_id: str, *, status: int | None,
                        latency_ms: int | None, mode: str) -> Fault:
        ...

    async def take_fault(self, session: Session, api: str, operation_id: str) -> Fault | None:
        ...

    async def clear_faults(self, session: Session, fault_id: int | None = None) -> int:
        ...

    async def faults(self, session: Session) -> list[Fault]:
        ...

    # the journal
    async def record(self, session: Session, entry: dict[str, Any]) -> None:
        ...

    async def entries(self, session: Session) -> list[dict[str, Any]]:
        ...

    async def clear_journal(self, session: Session) -> int:
        ...
