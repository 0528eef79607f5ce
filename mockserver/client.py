"""A client of a running mock's control API (httpx): what the CLI and the Python API use."""

from __future__ import annotations

import os
from typing import Any

import httpx

from mockserver.guard import CONTROL_TOKEN_ENV
from mockserver.sessions import DEFAULT, HEADER


class ControlError(Exception):
    """The mock cannot be reached or refused the call; the message says which and why."""


class ControlClient:
    """Calls `/_ticketmock/...` of the mock at `url`, in one session, with the control token (`token`, else
    the environment's TICKETMOCK_CONTROL_TOKEN) when there is one."""

    def __init__(self, url: str = "http://127.0.0.1:8000", *, session: str = DEFAULT, timeout: float = 30.0,
                 token: str | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.session = session
        headers = {HEADER: session}
        if token is None:
            token = os.environ.get(CONTROL_TOKEN_ENV) or None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ControlClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One control call; ControlError (one line) when the mock is unreachable or answers 4xx/5xx."""
        try:
            response = self._http.request(method, f"/_ticketmock{path}", **kwargs)
        except httpx.HTTPError as exc:
            raise ControlError(f"cannot reach the mock at {self.url}: {exc or type(exc).__name__}; is it running "
                               "(make serve) and is --url right?") from None
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail") or response.text
            except ValueError:
                detail = response.text[:200]
            hint = ""
            if response.status_code == 401:
                hint = f"; pass the mock's control token (--control-token or {CONTROL_TOKEN_ENV})"
            raise ControlError(f"{method} {self.url}/_ticketmock{path} answered {response.status_code}: "
                               f"{detail}{hint}")
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ControlError(f"{self.url} answered {method} /_ticketmock{path} with something that is not JSON; "
                               "is it a ticketmock server?") from None

    def snapshot(self) -> dict[str, Any]:
        document: dict[str, Any] = self.call("GET", "/snapshot")
        return document

    def load_snapshot(self, document: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("PUT", "/snapshot", json=document)
        return result
