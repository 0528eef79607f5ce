"""The storage seam: where sessions and their state are kept.

A `Backend` keeps the session registry and, per session, what the mock must not lose: each API's
store, the journal and the faults. The in-memory backend (`state.memory`, the default) keeps them
in this process; a shared backend keeps them outside it so that several processes serve one mock.
Vendor handlers never see a backend: they get a `Call` whose store is a plain in-memory `Store`,
and the backend makes each request's changes to it one atomic unit (`run`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from mockserver.faults import Fault
from mockserver.sessions import Session
from mockserver.store import Store

T = TypeVar("T")


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
    async def get(self, name: str, *, now: float | None = None, touch: bool = False, counted: bool = False,
                  api: str | None = None) -> Session | None:
        """The session, up to date with what other processes did (its store of `api` included); None
        when it does not exist or, judged at `now`, has expired (then it is removed). `touch`: the
        session is used now; `counted`: by an API request (its request count grows)."""
        ...

    async def add(self, session: Session) -> bool:
        """Register a new session; False when the name is taken."""
        ...

    async def remove(self, name: str) -> bool:
        ...

    async def all(self) -> list[Session]:
        ...

    async def sweep(self, now: float) -> list[str]:
        """Remove sessions idle for longer than their time to live; return their names."""
        ...

    async def count(self) -> int:
        ...

    async def save_settings(self, session: Session) -> None:
        """The session's clock or settings changed."""
        ...

    # the stores
    async def store(self, session: Session, slug: str, *, fresh: bool = False) -> Store:
        """The session's store of one API (forked from the baseline on first use), up to date with
        what the current request's `get` saw; `fresh`: with everything committed until now."""
        ...

    async def run(self, session: Session, slug: str, work: Callable[[Store], T]) -> T:
        """Run one request's handler on the session's store of one API as one atomic unit: all its
        writes are kept, or (when it raises) none. A shared backend may run `work` again on fresh
        state when another process changed the store first, so `work` must only touch the store."""
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


SCHEMES = ("redis://", "rediss://", "valkey://", "valkeys://", "unix://")


class StateError(Exception):
    """`--state` cannot be used: a bad URL, an unreachable server, an incompatible layout (one line)."""


def open_backend(url: str | None, prefix: str = "ticketmock:", *, journal_size: int = 1000) -> Backend:
    """The backend a `--state` URL names: memory when None, else Redis/Valkey."""
    if url is None or url == "memory":
        from mockserver.state.memory import MemoryBackend

        return MemoryBackend()
    if not url.startswith(SCHEMES):
        raise StateError(f"--state {url.split('@')[-1]!r}: expected redis://HOST:PORT/DB (or rediss://, valkey://, "
                         "valkeys://, unix://), e.g. redis://127.0.0.1:6379/0")
    from mockserver.state.redis import RedisBackend

    return RedisBackend(url, prefix, journal_size=journal_size)


def check_backend(backend: Backend, baselines: Mapping[str, Store]) -> None:
    """Before serving: the backend answers and holds state this ticketmock can share (StateError if not)."""
    import asyncio

    from mockserver.errors import Unavailable

    async def check() -> None:
        try:
            await backend.start(baselines)
        finally:
            await backend.close()

    try:
        asyncio.run(check())
    except Unavailable as exc:
        raise StateError(exc.message) from None
