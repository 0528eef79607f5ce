"""The request journal, the per-request log line, and added latency: outermost middlewares."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.clock import iso
from mockserver.scope import ENTRY_KEY, requested_session
from mockserver.spec import api_slug

if TYPE_CHECKING:
    from mockserver.app import Runtime

CONTROL_PREFIX = "/_ticketmock"
FIELD_LIMIT = 2048  # characters kept of a path, query or reason; the rest is summarised


def clip(text: str, limit: int = FIELD_LIMIT) -> str:
    """Long values are cut, saying how much was left out (a 60 KB query string stays 2 KB)."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit} more characters)"


def entry_size(entry: dict[str, Any]) -> int:
    """Roughly what an entry holds in memory: its strings plus a fixed cost per entry."""
    return 400 + sum(len(value) for value in entry.values() if isinstance(value, str))


class Journal:
    """The last requests of one session, newest last, bounded by count and by size, so a mock that
    runs all day stays small whatever its clients send."""

    def __init__(self, size: int = 1000, max_bytes: int = 4 * 1024 * 1024) -> None:
        self._entries: deque[dict[str, Any]] = deque()
        self._size = size
        self._max_bytes = max_bytes
        self._bytes = 0
        self._ids = itertools.count(1)

    def record(self, entry: dict[str, Any]) -> None:
        entry["id"] = next(self._ids)
        self._entries.append(entry)
        self._bytes += entry_size(entry)
        while len(self._entries) > self._size or (self._bytes > self._max_bytes and len(self._entries) > 1):
            self._bytes -= entry_size(self._entries.popleft())

    def entries(self) -> list[dict[str, Any]]:
        return [dict(e) for e in self._entries]

    def clear(self) -> int:
        count = len(self._entries)
        self._entries.clear()
        self._bytes = 0
        return count

    @property
    def bytes(self) -> int:
        return self._bytes


def select(entries: list[dict[str, Any]], *, api: str | None = None, operation_id: str | None = None,
           after: int | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Journal entries matching the filters, oldest first, the last `limit` of them."""
    rows = [e for e in entries if (api is None or e.get("api") == api)
            and (operation_id is None or e.get("operationId") == operation_id)
            and (after is None or e["id"] > after)]
    return rows[-limit:] if limit else rows


def is_document(path: str, base_paths: Mapping[str, str]) -> bool:
    """An API's Swagger UI (and its assets) or openapi.json/yaml: documentation, not API traffic."""
    if "/ui" not in path and not path.endswith(("/openapi.json", "/openapi.yaml")):
        return False
    for base in base_paths.values():
        rest = path[len(base):] if path.startswith(base + "/") else ""
        if rest in ("/openapi.json", "/openapi.yaml", "/ui") or rest.startswith("/ui/"):
            return True
    return False


def log_line(entry: dict[str, Any]) -> str:
    """`POST /bobdesk/api/v3.0/tickets 400 1.2ms malformed_request: body is not JSON ... [session alice]`."""
    query = f"?{entry['query']}" if entry.get("query") else ""
    line = f"{entry['method']} {entry['path']}{query} {entry['status']} {entry['durationMs']:.1f}ms"
    if entry.get("fault"):
        line += " injected fault"
    elif entry.get("reason"):
        line += f" {entry['reason']}"
    if entry.get("session", "default") != "default":
        line += f" [session {entry['session']}]"
    return line


class JournalMiddleware:
    """Records method, path, status, time, operation, session and validation result of every request
    (in its session's journal) and prints the log line."""

    def __init__(self, app: ASGIApp, *, runtime: Runtime, log: Callable[[str], None] | None = None) -> None:
        self.app = app
        self.runtime = runtime
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        started = time.perf_counter()
        entry: dict[str, Any] = {"time": iso(self.runtime.clock.now(), millis=True), "method": scope["method"],
                                 "path": clip(path), "query": clip(scope.get("query_string", b"").decode("latin-1")),
                                 "api": api_slug(path), "session": clip(requested_session(scope), 80),
                                 "status": None, "validation": "ok"}
        scope[ENTRY_KEY] = entry
        # The dashboard reads the control API every second: its successful reads would drown the log.
        quiet = (b"x-ticketmock-client", b"dashboard") in scope["headers"]
        done = False

        async def finish() -> None:
            nonlocal done
            if done:
                return
            done = True
            entry["durationMs"] = round((time.perf_counter() - started) * 1000, 2)
            entry.setdefault("operationId", None)  # set by FaultMiddleware once routing is known
            if not path.startswith(CONTROL_PREFIX) and not is_document(path, self.runtime.base_paths):
                await self.runtime.record(scope, entry)
            if self.log is not None and not (quiet and entry["method"] == "GET" and entry["status"] == 200):
                self.log(log_line(entry))

        async def observe(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                await finish()  # before the last byte leaves: whoever reads the journal next sees it
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            await finish()


class LatencyMiddleware:
    """Adds a fixed delay to every API response (not to the control endpoints)."""

    def __init__(self, app: ASGIApp, *, milliseconds: float) -> None:
        self.app = app
        self.seconds = milliseconds / 1000

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.seconds and scope["type"] == "http" and not scope["path"].startswith(CONTROL_PREFIX):
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)
