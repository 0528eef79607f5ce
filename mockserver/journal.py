"""The request journal, the per-request log line, and added latency: outermost middlewares."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.clock import Clock, iso
from mockserver.http import ENTRY_KEY
from mockserver.spec import api_slug

CONTROL_PREFIX = "/_ticketmock"


class Journal:
    """The last `size` requests, newest last. Bounded so a mock that runs all day stays small."""

    def __init__(self, size: int = 1000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._ids = itertools.count(1)

    def record(self, entry: dict[str, Any]) -> None:
        entry["id"] = next(self._ids)
        self._entries.append(entry)

    def entries(self, api: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        rows = [dict(e) for e in self._entries if api is None or e.get("api") == api]
        return rows[-limit:] if limit else rows

    def clear(self) -> int:
        count = len(self._entries)
        self._entries.clear()
        return count


class JournalMiddleware:
    """Records method, path, status, time, operation and validation result of every request."""

    def __init__(self, app: ASGIApp, *, journal: Journal, clock: Clock,
                 log: Callable[[str], None] | None = None) -> None:
        self.app = app
        self.journal = journal
        self.clock = clock
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        started = time.perf_counter()
        entry: dict[str, Any] = {"time": iso(self.clock.now(), millis=True), "method": scope["method"],
                                 "path": path, "query": scope.get("query_string", b"").decode("latin-1"),
                                 "api": api_slug(path), "status": None,
                                 "validation": "ok"}
        scope[ENTRY_KEY] = entry

        async def observe(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            entry["durationMs"] = round((time.perf_counter() - started) * 1000, 2)
            entry.setdefault("operationId", None)  # set by FaultMiddleware once routing is known
            if not path.startswith(CONTROL_PREFIX):
                self.journal.record(entry)
            if self.log is not None:
                self.log(f"{entry['method']} {path} {entry['status']} {entry['durationMs']:.1f}ms")


class LatencyMiddleware:
    """Adds a fixed delay to every API response (not to the control endpoints)."""

    def __init__(self, app: ASGIApp, *, milliseconds: float) -> None:
        self.app = app
        self.seconds = milliseconds / 1000

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.seconds and scope["type"] == "http" and not scope["path"].startswith(CONTROL_PREFIX):
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)
