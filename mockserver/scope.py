"""What the middlewares leave in the ASGI scope for each other, and the helpers that read it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from connexion.middleware.abstract import ROUTING_CONTEXT
from starlette.types import Scope

if TYPE_CHECKING:
    from mockserver.sessions import Session

ENTRY_KEY = "ticketmock.entry"  # the journal entry of the request, filled in as it goes
SESSION_NAME_KEY = "ticketmock.session_name"  # the session the request asked for (validated later)
SESSION_KEY = "ticketmock.session"  # the resolved Session
PREFIX_KEY = "ticketmock.prefix"  # "/_session/NAME" when the request chose its session by path prefix


def journal_entry(scope: Scope) -> dict[str, Any]:
    """The journal entry for this request (a throwaway dict when the journal is not in the stack)."""
    entry = scope.get(ENTRY_KEY)
    if entry is None:
        entry = scope[ENTRY_KEY] = {}
    return entry


def routing(scope: Scope) -> Mapping[str, Any]:
    context: Mapping[str, Any] = scope.get("extensions", {}).get(ROUTING_CONTEXT, {})
    return context


def session_of(scope: Scope) -> Session:
    session: Session = scope[SESSION_KEY]
    return session


def requested_session(scope: Scope) -> str:
    name: str = scope.get(SESSION_NAME_KEY, "default")
    return name
