"""create_app(): one Connexion AsyncApp serving the chosen vendors' APIs and the control API."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from connexion import AsyncApp
from connexion.middleware.context import ContextMiddleware
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.options import SwaggerUIOptions
from connexion.spec import Specification
from starlette.types import Scope

from mockserver import statefile
from mockserver.auth import CredentialPolicy, TokenRegistry, schemes_of
from mockserver.checks import CONTROL_MAX_BODY, DEFAULT_MAX_BODY, CheckMiddleware
from mockserver.clock import Clock, FrozenClock, SystemClock
from mockserver.control import CONTROL_SPEC, control_handlers
from mockserver.dashboard import PagesMiddleware
from mockserver.errors import Unavailable
from mockserver.faults import FaultMiddleware
from mockserver.fixtures import FixtureSource, load_baseline
from mockserver.guard import CorsMiddleware, GuardMiddleware
from mockserver.http import (
    AllowTable,
    AuthMiddleware,
    EndpointApp,
    ErrorDispatcher,
    MethodMiddleware,
    SwaggerUIOnlyMiddleware,
    make_resolver,
    route_priority,
)
from mockserver.ids import IdFactory
from mockserver.journal import CONTROL_PREFIX, JournalMiddleware, LatencyMiddleware
from mockserver.scope import SESSION_KEY
from mockserver.served import served_spec
from mockserver.sessions import (
    DEFAULT,
    ResolveSessionMiddleware,
    Session,
    SessionDefaults,
    SessionMiddleware,
    SessionRegistry,
)
from mockserver.spec import iter_operations, load_spec, mock_base_path
from mockserver.state import Backend
from mockserver.state.memory import MemoryBackend
from mockserver.store import Store
from mockserver.vendors import SLUGS, get_vendor
from mockserver.vendors.base import Context, Vendor


@dataclass
class MockOptions:
    """Everything `ticketmock serve` can change; the defaults are what `make serve` runs."""

    seed: int | None = None
    fixtures_dir: Path | None = None
    latency_ms: float = 0
    cors_origins: Sequence[str] = ()
    tokens: Sequence[str] = ()
    basic: Sequence[str] = ()
    validate_responses: bool = False
    max_body_bytes: int = DEFAULT_MAX_BODY
    journal_size: int = 1000
    freeze_time: datetime | None = None
    session_ttl: float | None = 3600.0  # idle seconds before a session other than `default` expires
    max_sessions: int = 1000
    backend: Backend | None = None  # where sessions are kept; default: this process's memory
    state_file: Path | None = None  # memory backend only: sessions kept across restarts (statefile.py)
    log: Callable[[str], None] | None = None
    host: str | None = None  # where the server listens (--host); None: not known (in process), no Host check
    allowed_hosts: Sequence[str] = ()  # Host names accepted besides loopback ones when on loopback (--allow-host)
    control_token: str | None = field(default=None, repr=False)  # Bearer token of the control API (guard.py)
    vendors: dict[str, Vendor] = field(default_factory=dict)  # slug -> Vendor overrides (tests)


class Runtime:
    """The running mock: the APIs' fixture baselines, the sessions and where they are kept."""

    def __init__(self, vendors: dict[str, Vendor], options: MockOptions, clock: Clock) -> None:
        self.vendors = vendors
        self.options = options
        self.clock = clock
        self.policy = CredentialPolicy.from_options(options.tokens, options.basic)
        self.baselines: dict[str, Store] = {}
        self.fixture_files: dict[str, Path] = {}
        self.fixture_sources: dict[str, FixtureSource] = {}
        self.base_paths: dict[str, str] = {}
        self.operation_ids: dict[str, set[str]] = {}
        for slug, vendor in vendors.items():
            spec = load_spec(vendor.spec_path)
            self.base_paths[slug] = mock_base_path(slug, spec)
            self.operation_ids[slug] = {op["operationId"] for _, _, op in iter_operations(spec)}
            self.load_fixtures(slug)
        self.backend: Backend = options.backend or MemoryBackend()
        self.sessions = SessionRegistry(self.backend, SessionDefaults(
            seed=options.seed, ttl_seconds=options.session_ttl, max_sessions=options.max_sessions,
            journal_size=options.journal_size))
        self._started: asyncio.Future[None] | None = None
        self.restored: list[tuple[Session, dict[str, Store]]] = []  # from --state-file, put in place at start

    def load_fixtures(self, *slugs: str) -> None:
        """(Re)read APIs' fixture files into their baselines: validated, loaded, prepared. All or none: on a
        FixtureError every previous baseline stays. Sessions get the new data on their next reset or first use."""
        loaded = {slug: load_baseline(self.vendors[slug], self.options.fixtures_dir, self.baseline_context)
                  for slug in slugs}
        for slug, (source, store) in loaded.items():
            self.fixture_files[slug], self.fixture_sources[slug] = source.path, source
            self.baselines[slug] = store

    def baseline_context(self, slug: str, store: Store) -> Context:
        return Context(slug, self.base_paths[slug], store, self.clock, IdFactory(self.options.seed, store.next_id),
                       TokenRegistry(store, self.clock), self.policy)

    async def start(self) -> None:
        """Hand the baselines to the backend and make sure `default` exists (once, on first request)."""
        if self._started is not None and self._started.done():
            return
        if self._started is None:
            self._started = asyncio.get_running_loop().create_future()
            try:
                await self.backend.start(self.baselines)
                await statefile.put_back(self, self.restored)
                self.restored = []
                await self.sessions.open(DEFAULT)
            except BaseException as exc:
                self._started.set_exception(exc)
                self._started = None
                raise
            self._started.set_result(None)
        else:
            await self._started

    def context(self, session: Session, slug: str, store: Store, root_path: str = "") -> Context:
        """What a handler of `slug` sees in `session`: the store, the session's clock, ids and policy."""
        clock = session.clock(self.clock)
        return Context(slug, root_path + self.base_paths[slug], store, clock, IdFactory(session.seed, store.next_id),
                       TokenRegistry(store, clock), session.policy(self.policy), session)

    def control_context(self, session: Session | None, root_path: str = "") -> Context:
        """What a control handler sees: the session it acts on (none for /health); no store of its own."""
        store = Store()
        clock = session.clock(self.clock) if session is not None else self.clock
        return Context("_ticketmock", root_path + CONTROL_PREFIX, store, clock, IdFactory(0, store.next_id),
                       TokenRegistry(store, self.clock), self.policy, session)

    async def record(self, scope: Scope, entry: dict[str, Any]) -> None:
        """Put a finished request's entry in its session's journal (`default` when none was resolved)."""
        try:
            session = scope.get(SESSION_KEY) or await self.sessions.open(DEFAULT)
            await self.backend.record(session, entry)
        except Unavailable:
            pass  # the state is out of reach: the request itself was answered 503 already

    async def reset(self, session: Session, slug: str | None = None) -> list[str]:
        """Put one API (or all) of a session back to its fixtures; tokens it issued stay valid."""
        slugs = [slug] if slug else list(self.vendors)
        fresh: dict[str, Store] = {}
        for name in slugs:
            store = self.baselines[name].fork()
            store.tokens = dict((await self.backend.store(session, name, fresh=True)).tokens)
            store.modified = bool(store.tokens)
            fresh[name] = store
        await self.backend.replace_stores(session, fresh)
        return slugs


def lifespan_of(runtime: Runtime) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """Start the state at server start; with --state-file, keep it saved and save once more at the end."""

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        await runtime.start()
        path, backend = runtime.options.state_file, runtime.backend
        saver = None
        if path is not None and isinstance(backend, MemoryBackend):
            saver = asyncio.create_task(statefile.keep_saved(runtime, backend, path))
        try:
            yield
        finally:
            if saver is not None and path is not None:
                saver.cancel()
                with suppress(asyncio.CancelledError):
                    await saver
                await statefile.save(runtime, path)
            await runtime.backend.close()

    return lifespan


@contextmanager
def specs_checked_elsewhere() -> Iterator[None]:
    """Skip Connexion's meta-schema validation while our specs load.

    Connexion re-validates every spec against the OpenAPI 3.0 meta-schema on each start, 0.3 s for
    the five, a fifth of the cold-start budget. The specs ship with the tool and are validated by the
    test suite (openapi-spec-validator, Connexion loading) and by `ticketmock lint`.
    """
    original = Specification.__dict__["_validate_spec"]
    Specification._validate_spec = classmethod(lambda cls, spec: None)
    try:
        yield
    finally:
        Specification._validate_spec = original


class MockApp(AsyncApp):
    """Connexion's AsyncApp with the mock's endpoints as its innermost app."""

    runtime: Runtime

    def __init__(self, import_name: str, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(import_name, **kwargs)
        self._middleware_app = EndpointApp(runtime)
        self.middleware.app = self._middleware_app


def middleware_stack(runtime: Runtime, options: MockOptions, allow: AllowTable,
                     authenticators: Mapping[str, Any]) -> list[Any]:
    return [
        ServerErrorMiddleware,
        SessionMiddleware,
        partial(PagesMiddleware, runtime=runtime),  # outside the journal: pages are not API traffic
        # Outside the exception middleware so that error answers are journalled and carry CORS headers.
        partial(JournalMiddleware, runtime=runtime, log=options.log),
        partial(CorsMiddleware, options=options),
        partial(LatencyMiddleware, milliseconds=options.latency_ms),
        ExceptionMiddleware,
        partial(GuardMiddleware, runtime=runtime),  # before sessions: a refused request opens none
        partial(ResolveSessionMiddleware, runtime=runtime),
        partial(MethodMiddleware, table=allow),
        SwaggerUIOnlyMiddleware,
        RoutingMiddleware,
        partial(FaultMiddleware, runtime=runtime),
        partial(AuthMiddleware, runtime=runtime, authenticators=authenticators),
        CheckMiddleware,
        ResponseValidationMiddleware,
        LifespanMiddleware,
        ContextMiddleware,
    ]


def create_app(apis: Sequence[str] | None = None, options: MockOptions | None = None, *,
               clock: Clock | None = None) -> MockApp:
    """Build the mock of the given APIs (default: all five) as an ASGI app.

    Raises FixtureError (file, record and field named) when fixture data does not fit the spec, and
    KeyError (with a "did you mean") for an unknown slug.
    """
    options = options or MockOptions()
    if clock is None:
        clock = FrozenClock(options.freeze_time) if options.freeze_time else SystemClock()
    vendors = {slug: options.vendors.get(slug) or get_vendor(slug) for slug in (apis or SLUGS)}
    runtime = Runtime(vendors, options, clock)
    allow = AllowTable()
    authenticators = {}
    specs = {}
    for slug, vendor in vendors.items():
        specs[slug] = spec = load_spec(vendor.spec_path)
        from mockserver.auth import Authenticator

        authenticators[slug] = Authenticator(slug, schemes_of(spec))
    app = MockApp(
        __name__,
        runtime,
        middlewares=middleware_stack(runtime, options, allow, authenticators),
        validate_responses=options.validate_responses,
        lifespan=lifespan_of(runtime),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui"),
    )
    for slug, vendor in vendors.items():
        # What the mock routes and serves: the spec with its OAuth2 flows pointed at the mock (served.py).
        mock_only = load_spec(vendor.mock_only_file) if vendor.mock_only_file else None
        routed = served_spec(specs[slug], runtime.base_paths[slug], mock_only)
        # Starlette tries routes in registration order: register concrete paths before templated ones.
        routed["paths"] = dict(sorted(routed["paths"].items(), key=lambda entry: route_priority(entry[0])))
        with specs_checked_elsewhere():
            app.add_api(routed, base_path=runtime.base_paths[slug], name=slug,
                        resolver=make_resolver(slug, {**vendor.handlers, **vendor.mock_only_handlers}),
                        max_body_bytes=options.max_body_bytes)
        allow.add(runtime.base_paths[slug], routed)
    control_spec = load_spec(CONTROL_SPEC)
    # Snapshots of large sessions are bigger than any vendor request: the control API takes up to 64 MiB.
    app.add_api(copy.deepcopy(control_spec), base_path=CONTROL_PREFIX, name="_ticketmock",
                resolver=make_resolver("_ticketmock", control_handlers(runtime)),
                max_body_bytes=max(options.max_body_bytes, CONTROL_MAX_BODY))
    allow.add(CONTROL_PREFIX, control_spec)
    dispatcher = ErrorDispatcher(vendors, allow)
    for handled in dispatcher.handled():
        app.add_error_handler(handled, dispatcher)
    app.runtime = runtime
    return app
