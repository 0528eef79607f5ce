"""create_app(): one Connexion AsyncApp serving the chosen vendors' APIs and the control API."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
from starlette.middleware.cors import CORSMiddleware

from mockserver.auth import Authenticator, CredentialPolicy, TokenRegistry, schemes_of
from mockserver.checks import DEFAULT_MAX_BODY, CheckMiddleware
from mockserver.clock import Clock, FrozenClock, SystemClock
from mockserver.control import CONTROL_SPEC, control_handlers
from mockserver.faults import FaultBoard, FaultMiddleware
from mockserver.fixtures import Fixtures, check_fixtures, fixture_file, load_into, read_fixtures
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
from mockserver.journal import CONTROL_PREFIX, Journal, JournalMiddleware, LatencyMiddleware
from mockserver.spec import iter_operations, load_spec, mock_base_path
from mockserver.store import Store
from mockserver.vendors import SLUGS, get_vendor
from mockserver.vendors.base import Context, Vendor

LOCAL_ORIGINS = r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$"


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
    log: Callable[[str], None] | None = None
    vendors: dict[str, Vendor] = field(default_factory=dict)  # slug -> Vendor overrides (tests)


class Runtime:
    """The running mock: each API's context and fixtures, the journal and the armed faults."""

    def __init__(self, vendors: dict[str, Vendor], options: MockOptions, clock: Clock) -> None:
        self.vendors = vendors
        self.options = options
        self.clock = clock
        self.journal = Journal(options.journal_size)
        self.faults = FaultBoard()
        self.policy = CredentialPolicy.from_options(options.tokens, options.basic)
        self.fixtures: dict[str, Fixtures] = {}
        self.contexts: dict[str, Context] = {}
        self.operation_ids: dict[str, set[str]] = {}
        for slug, vendor in vendors.items():
            path = fixture_file(vendor, options.fixtures_dir)
            fixtures = read_fixtures(path, vendor.collections)
            check_fixtures(path, vendor, fixtures)
            self.fixtures[slug] = fixtures
            spec = load_spec(vendor.spec_path)
            self.operation_ids[slug] = {op["operationId"] for _, _, op in iter_operations(spec)}
            self.contexts[slug] = Context(slug, mock_base_path(slug, spec), Store(), clock,
                                          IdFactory(options.seed), TokenRegistry(clock), self.policy)
            self.reset(slug)

    def reset(self, slug: str | None = None) -> list[str]:
        """Put one API (or all) back to its fixture data; issued tokens stay valid."""
        slugs = [slug] if slug else list(self.contexts)
        for name in slugs:
            context, vendor = self.contexts[name], self.vendors[name]
            load_into(context.store, vendor, self.fixtures[name])
            context.ids = IdFactory(self.options.seed)
            if vendor.prepare is not None:
                vendor.prepare(context)
        return slugs


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

    def __init__(self, import_name: str, **kwargs: Any) -> None:
        super().__init__(import_name, **kwargs)
        self._middleware_app = EndpointApp()
        self.middleware.app = self._middleware_app


def middleware_stack(runtime: Runtime, options: MockOptions, allow: AllowTable) -> list[Any]:
    if options.cors_origins and "*" not in options.cors_origins:
        cors = partial(CORSMiddleware, allow_origins=list(options.cors_origins))
    elif options.cors_origins:
        cors = partial(CORSMiddleware, allow_origins=["*"])
    else:
        cors = partial(CORSMiddleware, allow_origin_regex=LOCAL_ORIGINS)
    return [
        ServerErrorMiddleware,
        # Outside the exception middleware so that error answers are journalled and carry CORS headers.
        partial(JournalMiddleware, journal=runtime.journal, clock=runtime.clock, log=options.log),
        partial(cors, allow_methods=["*"], allow_headers=["*"], allow_credentials=True,
                expose_headers=["Location", "WWW-Authenticate", "Allow"]),
        partial(LatencyMiddleware, milliseconds=options.latency_ms),
        ExceptionMiddleware,
        partial(MethodMiddleware, table=allow),
        SwaggerUIOnlyMiddleware,
        RoutingMiddleware,
        partial(FaultMiddleware, board=runtime.faults),
        AuthMiddleware,
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
    app = MockApp(
        __name__,
        middlewares=middleware_stack(runtime, options, allow),
        validate_responses=options.validate_responses,
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui"),
    )
    for slug, vendor in vendors.items():
        spec = load_spec(vendor.spec_path)
        context = runtime.contexts[slug]
        schemes = schemes_of(spec)
        routed = copy.deepcopy(spec)
        # Starlette tries routes in registration order: register concrete paths before templated ones.
        routed["paths"] = dict(sorted(routed["paths"].items(), key=lambda entry: route_priority(entry[0])))
        with specs_checked_elsewhere():
            app.add_api(routed, base_path=context.base_path, name=slug,
                        resolver=make_resolver(vendor.handlers, context),
                        authenticator=Authenticator(slug, schemes, runtime.policy, context.tokens),
                        max_body_bytes=options.max_body_bytes)
        allow.add(context.base_path, spec)
    control_spec = load_spec(CONTROL_SPEC)
    control_context = Context("_ticketmock", CONTROL_PREFIX, Store(), clock, IdFactory(0), TokenRegistry(clock),
                              runtime.policy)
    app.add_api(copy.deepcopy(control_spec), base_path=CONTROL_PREFIX, name="_ticketmock",
                resolver=make_resolver(control_handlers(runtime), control_context),
                max_body_bytes=options.max_body_bytes)
    allow.add(CONTROL_PREFIX, control_spec)
    dispatcher = ErrorDispatcher(vendors, allow)
    for handled in dispatcher.handled():
        app.add_error_handler(handled, dispatcher)
    app.runtime = runtime
    return app
