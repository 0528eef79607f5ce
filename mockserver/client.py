"""A client of a running mock's control API (httpx): what the CLI and the Python API use.

It imports nothing of the server (no Connexion), so a test suite that only talks to a mock stays
quick to start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import httpx

SESSION_HEADER = "X-Ticketmock-Session"  # mockserver.sessions.HEADER, spelled as clients send it
DEFAULT_SESSION = "default"
CONTROL_TOKEN_ENV = "TICKETMOCK_CONTROL_TOKEN"  # mockserver.guard's, for a mock started with --control-token


class ControlError(Exception):
    """The mock cannot be reached or refused the call; the message says which and why.

    `status` is the HTTP status of a refusal, None when the mock could not be reached.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ControlClient:
    """Calls `/_ticketmock/...` of the mock at `url`, in one session, with the control token (`token`, else
    the environment's TICKETMOCK_CONTROL_TOKEN) when there is one.

    `in_session(name)` gives a client of another session that shares this one's connections, so
    opening a session per test costs no new connection pool.
    """

    def __init__(self, url: str = "http://127.0.0.1:8000", *, session: str = DEFAULT_SESSION, timeout: float = 30.0,
                 token: str | None = None, transport: httpx.BaseTransport | None = None,
                 http: httpx.Client | None = None) -> None:
        self.url = url.rstrip("/")
        self.session = session
        self._owner = http is None
        if http is None:
            if token is None:
                token = os.environ.get(CONTROL_TOKEN_ENV) or None
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout, transport=transport)
        self._http = http

    def in_session(self, name: str) -> ControlClient:
        """A client of session `name` of the same mock, over this client's connections."""
        return ControlClient(self.url, session=name, http=self._http)

    def close(self) -> None:
        """Close the connections (a client made by `in_session` leaves them to the one that made it)."""
        if self._owner:
            self._http.close()

    def __enter__(self) -> ControlClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One control call; ControlError (one line) when the mock is unreachable or answers 4xx/5xx."""
        headers = {SESSION_HEADER: self.session, **kwargs.pop("headers", {})}
        try:
            response = self._http.request(method, f"{self.url}/_ticketmock{path}", headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise ControlError(f"cannot reach the mock at {self.url}: {exc or type(exc).__name__}; is it running "
                               "(make serve) and is --url right?") from None
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail") or response.text
            except (ValueError, AttributeError):
                detail = response.text[:200]
            hint = ""
            if response.status_code == 401:
                hint = f"; pass the mock's control token (--control-token or {CONTROL_TOKEN_ENV})"
            raise ControlError(f"{method} {self.url}/_ticketmock{path} answered {response.status_code}: "
                               f"{detail}{hint}", response.status_code)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ControlError(f"{self.url} answered {method} /_ticketmock{path} with something that is not JSON; "
                               "is it a ticketmock server?") from None

    # --- the mock and its sessions -----------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", "/health")
        return result

    def apis(self) -> list[dict[str, Any]]:
        """The served APIs with their base paths (in this client's session) and record counts."""
        rows: list[dict[str, Any]] = self.call("GET", "/apis")["apis"]
        return rows

    def sessions(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.call("GET", "/sessions")["sessions"]
        return rows

    def create_session(self, name: str, *, seed: int | None = None, freeze_time: datetime | str | None = None,
                       strict_auth: bool = False, tokens: Sequence[str] = (),
                       ttl_seconds: float | None = None) -> dict[str, Any]:
        """Create session `name` (ControlError with status 409 when it exists); returns its description."""
        body: dict[str, Any] = {"name": name}
        if seed is not None:
            body["seed"] = seed
        if freeze_time is not None:
            body["freezeTime"] = instant(freeze_time)
        if strict_auth:
            body["strictAuth"] = True
        if tokens:
            body["tokens"] = list(tokens)
        if ttl_seconds is not None:
            body["ttlSeconds"] = ttl_seconds
        created: dict[str, Any] = self.call("POST", "/sessions", json=body)
        return created

    def delete_session(self, name: str) -> bool:
        """Delete session `name`; False when it did not exist (any more)."""
        try:
            self.call("DELETE", f"/sessions/{name}")
        except ControlError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    # --- state -------------------------------------------------------------------------------------

    def reset(self, slug: str | None = None) -> list[str]:
        reset: list[str] = self.call("POST", f"/apis/{slug}/reset" if slug else "/reset")["reset"]
        return reset

    def state(self, slug: str) -> dict[str, Any]:
        """One API's state: {"api", "collections": {name: [records]}, "counters": {...}}."""
        result: dict[str, Any] = self.call("GET", f"/apis/{slug}/state")
        return result

    def load_state(self, slug: str, collections: Mapping[str, Sequence[Mapping[str, Any]]],
                   counters: Mapping[str, int] | None = None) -> dict[str, Any]:
        """Put these records in place of the API's state; collections not named keep the fixtures."""
        body: dict[str, Any] = {"collections": {name: list(rows) for name, rows in collections.items()}}
        if counters:
            body["counters"] = dict(counters)
        result: dict[str, Any] = self.call("PUT", f"/apis/{slug}/state", json=body)
        return result

    def snapshot(self) -> dict[str, Any]:
        document: dict[str, Any] = self.call("GET", "/snapshot")
        return document

    def load_snapshot(self, document: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("PUT", "/snapshot", json=document)
        return result

    # --- journal, faults, clock --------------------------------------------------------------------

    def journal(self, *, api: str | None = None, operation_id: str | None = None, after: int | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
        """Journal entries of this session, oldest first, filtered as given."""
        params = {key: value for key, value in (("api", api), ("operationId", operation_id), ("after", after),
                                                ("limit", limit)) if value is not None}
        entries: list[dict[str, Any]] = self.call("GET", "/journal", params=params)["entries"]
        return entries

    def clear_journal(self) -> int:
        cleared: int = self.call("DELETE", "/journal")["cleared"]
        return cleared

    def arm_fault(self, api: str, operation_id: str, *, status: int | None = None, latency_ms: int | None = None,
                  once: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {"api": api, "operationId": operation_id, "mode": "once" if once else "until-cleared"}
        if status is not None:
            body["status"] = status
        if latency_ms is not None:
            body["latencyMs"] = latency_ms
        fault: dict[str, Any] = self.call("POST", "/faults", json=body)
        return fault

    def faults(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.call("GET", "/faults")["faults"]
        return rows

    def clear_faults(self, fault_id: int | None = None) -> None:
        self.call("DELETE", "/faults" if fault_id is None else f"/faults/{fault_id}")

    def clock(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", "/clock")
        return result

    def set_clock(self, *, freeze: datetime | str | None = None, advance: str | None = None,
                  resume: bool = False) -> dict[str, Any]:
        """Give exactly one: freeze at an instant, advance by an ISO 8601 duration (`PT2H`), or resume."""
        body: dict[str, Any] = {}
        if freeze is not None:
            body["freeze"] = instant(freeze)
        if advance is not None:
            body["advance"] = advance
        if resume:
            body["resume"] = True
        result: dict[str, Any] = self.call("POST", "/clock", json=body)
        return result


def instant(value: datetime | str) -> str:
    """A date-time for the control API: RFC 3339 text as given, a naive datetime taken as UTC."""
    if isinstance(value, str):
        return value
    text = value.isoformat()
    return text if value.tzinfo is not None else text + "Z"
