"""Fault injection: per API and operation, a status code or a delay, once or until cleared."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.errors import InjectedFault
from mockserver.scope import journal_entry, routing, session_of
from mockserver.spec import api_slug

if TYPE_CHECKING:
    from mockserver.app import Runtime

MODES = ("once", "until-cleared")


@dataclass
class Fault:
    id: int
    api: str
    operation_id: str
    status: int | None = None
    latency_ms: int | None = None
    mode: str = "until-cleared"
    hits: int = 0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {"id": data["id"], "api": self.api, "operationId": self.operation_id, "status": self.status,
                "latencyMs": self.latency_ms, "mode": self.mode, "hits": self.hits}


class FaultBoard:
    """The faults currently armed. The first matching fault fires; a `once` fault then disarms."""

    def __init__(self) -> None:
        self._faults: dict[int, Fault] = {}
        self._ids = itertools.count(1)

    def arm(self, api: str, operation_id: str, *, status: int | None, latency_ms: int | None,
            mode: str) -> Fault:
        fault = Fault(next(self._ids), api, operation_id, status, latency_ms, mode)
        self._faults[fault.id] = fault
        return fault

    def take(self, api: str, operation_id: str) -> Fault | None:
        for fault in self._faults.values():
            if fault.api == api and fault.operation_id == operation_id:
                fault.hits += 1
                if fault.mode == "once":
                    del self._faults[fault.id]
                return fault
        return None

    def restore(self, fault: Fault) -> None:
        """Put back a fault saved earlier, keeping its id (new ids continue after it)."""
        self._faults[fault.id] = fault
        self._ids = itertools.count(max(self._faults) + 1)

    def list(self) -> list[Fault]:
        return list(self._faults.values())

    def clear(self, fault_id: int | None = None) -> int:
        if fault_id is None:
            count = len(self._faults)
            self._faults.clear()
            return count
        return 1 if self._faults.pop(fault_id, None) else 0


class FaultMiddleware:
    """Sits right after routing: notes the operation in the journal entry, then fires the session's faults.

    A fault hits before credentials and validation are checked, like a real outage would.
    """

    def __init__(self, app: ASGIApp, *, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            operation_id = routing(scope).get("operation_id")
            entry = journal_entry(scope)
            entry["operationId"] = operation_id
            if operation_id and not scope["path"].startswith("/_ticketmock"):
                api = api_slug(scope["path"])
                fault = await self.runtime.backend.take_fault(session_of(scope), api, operation_id)
                if fault is not None:
                    entry["fault"] = fault.id
                    if fault.latency_ms:
                        await asyncio.sleep(fault.latency_ms / 1000)
                    if fault.status:
                        raise InjectedFault(fault.status, operation_id)
        await self.app(scope, receive, send)
