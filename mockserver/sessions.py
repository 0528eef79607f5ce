"""Sessions: named, isolated worlds inside one mock, and how a request picks its session.

A session owns everything the mock keeps: per API a store (forked from the fixture baseline on
first use), the request journal, the armed faults, the clock and the credential policy. A request
names its session with the `X-Ticketmock-Session` header or the `/_session/NAME/` path prefix;
naming none is the session `default`. Sessions come into being on first use or explicitly, expire
when idle (never `default`), and are kept by a storage backend (`mockserver.state`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.auth import CredentialPolicy
from mockserver.clock import Clock, ClockSetting, SessionClock, iso
from mockserver.errors import AlreadyExists, InvalidInput, LimitReached
from mockserver.faults import FaultBoard
from mockserver.journal import CONTROL_PREFIX, Journal
from mockserver.scope import PREFIX_KEY, SESSION_KEY, SESSION_NAME_KEY, requested_session
from mockserver.spec import api_slug
from mockserver.store import Store

if TYPE_CHECKING:
    from mockserver.app import Runtime
    from mockserver.state import Backend

DEFAULT = "default"
HEADER = "x-ticketmock-session"
PREFIX = "/_session/"
NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
NAME_RULE = "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"
SESSIONS_PATH = f"{CONTROL_PREFIX}/sessions/"
SESSIONLESS = frozenset({f"{CONTROL_PREFIX}/health"})  # answers even when no session can be reached


@dataclass(frozen=True, slots=True)
class SessionSettings:
    """What a session is created with; None means: the server's default."""

    seed: int | None = None
    freeze_time: datetime | None = None
    strict_auth: bool = False
    tokens: tuple[str, ...] = ()
    ttl_seconds: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {"seed": self.seed, "freezeTime": iso(self.freeze_time) if self.freeze_time else None,
                "strictAuth": self.strict_auth, "tokens": len(self.tokens), "ttlSeconds": self.ttl_seconds}


@dataclass
class Session:
    """One isolated world. Its stores are forks of the fixture baselines, made on first use."""

    name: str
    settings: SessionSettings
    seed: int
    created: float = field(default_factory=time.time)
    last_used: float = field(default_factory=time.time)
    requests: int = 0
    clock_setting: ClockSetting = field(default_factory=ClockSetting)
    stores: dict[str, Store] = field(default_factory=dict)
    journal: Journal = field(default_factory=Journal)
    faults: FaultBoard = field(default_factory=FaultBoard)
    ttl: float | None = None  # idle seconds before it expires (None: never)
    version: int = 0  # of its settings and clock, for backends that share sessions between processes
    faults_version: int = 0
    _policies: dict[int, CredentialPolicy] = field(default_factory=dict, repr=False, compare=False)

    def clock(self, base: Clock) -> SessionClock:
        return SessionClock(base, lambda: self.clock_setting)

    def policy(self, server: CredentialPolicy) -> CredentialPolicy:
        """A strict session accepts only what it issued or was given; others follow the server
        (whose --token/--basic lists, when given, also take the session's tokens)."""
        cached = self._policies.get(id(server))
        if cached is not None:
            return cached
        given = CredentialPolicy.from_values(self.settings.tokens, strict=self.settings.strict_auth)
        if given.strict or not given.tokens:
            policy = given if given.strict else server
        else:
            policy = CredentialPolicy(server.tokens | given.tokens if server.tokens else frozenset(),
                                      server.basic | given.basic if server.basic else frozenset())
        self._policies[id(server)] = policy  # settings never change: worked out once per session
        return policy

    def expired(self, now: float) -> bool:
        return self.ttl is not None and now - self.last_used > self.ttl

    def info(self, base: Clock) -> dict[str, Any]:
        """What `GET /_ticketmock/sessions` shows of a session."""
        return {"name": self.name, "created": iso(datetime.fromtimestamp(self.created, UTC), millis=True),
                "lastUsed": iso(datetime.fromtimestamp(self.last_used, UTC), millis=True),
                "requests": self.requests, "clock": self.clock_setting.as_json(base),
                "settings": self.settings.as_json(),
                "records": {slug: sum(store.record_count().values()) for slug, store in self.stores.items()}}


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        shown = name if len(name) <= 80 else name[:77] + "..."
        raise InvalidInput.of("session", f"{shown!r} is not a valid session name: use {NAME_RULE}")
    return name


def parse_settings(body: Mapping[str, Any]) -> SessionSettings:
    """The settings of `POST /_ticketmock/sessions` (already schema-checked)."""
    from mockserver.clock import parse_iso

    freeze = body.get("freezeTime")
    try:
        frozen = parse_iso(freeze) if freeze else None
    except ValueError:
        raise InvalidInput.of("freezeTime", f"{freeze!r} is not an RFC 3339 date-time") from None
    ttl = body.get("ttlSeconds")
    return SessionSettings(seed=body.get("seed"), freeze_time=frozen, strict_auth=bool(body.get("strictAuth")),
                           tokens=tuple(body.get("tokens") or ()), ttl_seconds=None if ttl is None else float(ttl))


def split_prefix(path: str) -> tuple[str | None, str]:
    """`/_session/alice/bobdesk/x` -> ("alice", "/bobdesk/x"); paths without the prefix -> (None, path)."""
    if not path.startswith(PREFIX):
        return None, path
    name, slash, rest = path[len(PREFIX):].partition("/")
    return name, slash + rest if slash else "/"


def control_alias(path: str) -> tuple[str | None, str]:
    """`/_ticketmock/sessions/alice/journal` -> ("alice", "/_ticketmock/journal").

    Every per-session control endpoint is also reachable under its session's resource; the
    session resource itself (`/_ticketmock/sessions/alice`) is not an alias.
    """
    if not path.startswith(SESSIONS_PATH):
        return None, path
    name, slash, rest = path[len(SESSIONS_PATH):].partition("/")
    if not slash or not rest:
        return None, path
    return name, f"{CONTROL_PREFIX}/{rest}"


class SessionMiddleware:
    """Outermost: reads the session a request names and strips the path prefix before routing.

    The prefix is kept in the scope: Swagger UI and openapi.json served under it point "Try it out"
    back into the same session, and the Locations the mock builds stay there too.
    Validation happens later (`ResolveSessionMiddleware`), where errors get the vendor's envelope.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            name, stripped = split_prefix(path)
            if name is not None:
                scope[PREFIX_KEY] = path[: len(path) - len(stripped)]
                scope["path"], scope["raw_path"] = stripped, stripped.encode()
            else:
                alias, rewritten = control_alias(path)
                if alias is not None:
                    name, scope["path"], scope["raw_path"] = alias, rewritten, rewritten.encode()
                else:
                    for key, value in scope["headers"]:
                        if key == b"x-ticketmock-session":
                            name = value.decode("latin-1")
                            break
            scope[SESSION_NAME_KEY] = DEFAULT if name is None else name
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class SessionDefaults:
    """What a session gets when its creator does not say: the server's options."""

    seed: int | None = None
    ttl_seconds: float | None = 3600.0
    max_sessions: int = 1000
    journal_size: int = 1000


class SessionRegistry:
    """Session lifecycle on top of a backend: lazy creation, explicit creation, expiry and the limit."""

    def __init__(self, backend: Backend, defaults: SessionDefaults) -> None:
        self.backend = backend
        self.defaults = defaults

    def new(self, name: str, settings: SessionSettings) -> Session:
        seed = settings.seed if settings.seed is not None else self.defaults.seed
        clock = ClockSetting(settings.freeze_time) if settings.freeze_time else ClockSetting()
        from mockserver.ids import random_seed

        ttl = None if name == DEFAULT else (settings.ttl_seconds if settings.ttl_seconds is not None
                                            else self.defaults.ttl_seconds)
        return Session(name, settings, seed if seed is not None else random_seed(), clock_setting=clock,
                       journal=Journal(self.defaults.journal_size), ttl=ttl)

    async def open(self, name: str, *, api: str | None = None, counted: bool = False) -> Session:
        """The named session, used now (by a request to `api`), created with the server's defaults on
        first use. `counted`: an API request, which the session's request count shows."""
        now = time.time()
        session = await self.backend.get(name, now=now, touch=True, counted=counted, api=api)
        if session is None:
            fresh = self.new(name, SessionSettings())
            fresh.requests = int(counted)
            session = await self._add(fresh, explicit=False)
            if session is not fresh:  # created at the same moment elsewhere: use it as any request would
                session = await self.backend.get(name, now=now, touch=True, counted=counted, api=api) or session
        return session

    async def find(self, name: str) -> Session | None:
        """The session if it exists (and has not expired), without using it."""
        return await self.backend.get(name, now=time.time())

    async def create(self, name: str, settings: SessionSettings) -> Session:
        """An explicitly created session; SessionExists when the name is taken."""
        check_name(name)
        if await self.find(name) is not None:
            raise AlreadyExists(f"session {name!r} already exists; DELETE /_ticketmock/sessions/{name} first, "
                                "or use it as it is")
        return await self._add(self.new(name, settings), explicit=True)

    async def _add(self, session: Session, *, explicit: bool) -> Session:
        if session.name != DEFAULT:
            await self.backend.sweep(time.time())
            others = await self.backend.count() - (await self.backend.get(DEFAULT) is not None)
            if others >= self.defaults.max_sessions:
                raise LimitReached(
                    f"session {session.name!r} would be one more than the limit of {self.defaults.max_sessions} "
                    "sessions; delete sessions you no longer need (DELETE /_ticketmock/sessions/NAME), let idle "
                    "ones expire (--session-ttl) or start the mock with a higher --max-sessions")
        if await self.backend.add(session):
            return session
        winner = await self.find(session.name)  # created at the same moment elsewhere
        if explicit or winner is None:
            raise AlreadyExists(f"session {session.name!r} already exists")
        return winner

    async def delete(self, name: str) -> bool:
        return await self.backend.remove(name)

    async def sessions(self) -> list[Session]:
        await self.backend.sweep(time.time())
        return sorted(await self.backend.all(), key=lambda s: (s.name != DEFAULT, s.created, s.name))


class ResolveSessionMiddleware:
    """Inside the exception middleware: checks the requested name and puts the Session in the scope.

    A bad name is a 400 and one session too many a 429, both in the vendor's envelope.
    """

    def __init__(self, app: ASGIApp, *, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in SESSIONLESS:
            await self.runtime.start()
            slug = api_slug(scope["path"])
            api = slug if slug in self.runtime.vendors else None
            session = await self.runtime.sessions.open(check_name(requested_session(scope)), api=api,
                                                       counted=not scope["path"].startswith(CONTROL_PREFIX))
            scope[SESSION_KEY] = session
        await self.app(scope, receive, send)
