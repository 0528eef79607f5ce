"""A strict session of the kit's own when the target is a running ticketmock server.

A contract run writes (creates, transitions, deletes) and probes credentials. Against a ticketmock
server it therefore runs in a session created for it with `strictAuth` (so `ignored_auth` and
`credentials_accepted` mean something) and deleted afterwards, so the developer's `default`
session is exactly as it was. A real vendor is never asked: recognising a ticketmock server takes
one GET of `/_ticketmock/apis`, which no vendor serves.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from contracts.redaction import Secret
from mockserver.client import CONTROL_TOKEN_ENV as CONTROL_TOKEN  # a mock with --control-token needs it

SESSION_PREFIX = "/_session/"


def control_secrets() -> list[Secret]:
    """The control token is a secret of the run like any other: redacted wherever it could show."""
    token = os.environ.get(CONTROL_TOKEN, "")
    return [Secret(token, CONTROL_TOKEN)] if token else []


def control_headers() -> dict[str, str]:
    token = os.environ.get(CONTROL_TOKEN, "")
    return {"Authorization": f"Bearer {token}"} if token else {}


@dataclass(frozen=True)
class MockSession:
    """The session the kit made on a ticketmock server, and how to reach the API inside it."""

    origin: str
    name: str
    base_url: str  # the API's base URL under /_session/NAME/

    def close(self) -> None:
        """Delete the session (a failure to do so leaves it to expire; it never fails the run)."""
        try:
            httpx.delete(f"{self.origin}/_ticketmock/sessions/{self.name}", headers=control_headers(), timeout=10)
        except httpx.HTTPError:
            pass


def split(base_url: str) -> tuple[str, str]:
    """`http://h:8000/_session/x/bobdesk/api/v3.0` -> ("http://h:8000", "/bobdesk/api/v3.0")."""
    parts = urlsplit(base_url)
    origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    path = parts.path.rstrip("/")
    if path.startswith(SESSION_PREFIX):
        _, _, rest = path[len(SESSION_PREFIX):].partition("/")
        path = "/" + rest if rest else ""
    return origin, path


def is_ticketmock(base_url: str) -> bool:
    """Whether the origin of `base_url` is a ticketmock server (it answers GET /_ticketmock/apis)."""
    origin, _ = split(base_url)
    try:
        response = httpx.get(f"{origin}/_ticketmock/apis", headers=control_headers(), timeout=10)
        body = response.json()
    except (httpx.HTTPError, ValueError):
        return False
    if response.status_code == 401 and "control token" in str(body.get("detail", "") if isinstance(body, dict) else ""):
        from contracts.targets import TargetError

        raise TargetError(f"{origin} is a ticketmock server whose control API needs its token: set {CONTROL_TOKEN} "
                          "(the kit runs in a session of its own there, and must create it)")
    return response.status_code == 200 and isinstance(body, dict) and isinstance(body.get("apis"), list)


def open_session(base_url: str, slug: str, accepted: list[str], seed: int | None = None) -> MockSession:
    """Create a strict session accepting exactly `accepted` (tokens, API keys, `user:password`)."""
    origin, path = split(base_url)
    name = f"contract-{slug}-{secrets.token_hex(4)}"
    body: dict[str, object] = {"name": name, "strictAuth": True, "tokens": accepted, "ttlSeconds": 3600}
    if seed is not None:
        body["seed"] = seed
    response = httpx.post(f"{origin}/_ticketmock/sessions", json=body, headers=control_headers(), timeout=10)
    if response.status_code != 201:
        from contracts.targets import TargetError

        raise TargetError(f"{origin} is a ticketmock server but refused a session for the contract run "
                          f"({response.status_code}: {response.text[:200]})")
    return MockSession(origin, name, f"{origin}{SESSION_PREFIX}{name}{path}")
