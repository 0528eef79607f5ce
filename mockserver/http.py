"""HTTP glue: vendor handlers as Connexion endpoints, credentials, and the one error dispatcher.

The core modules (store, workflow, pagination, auth) know nothing of HTTP; this module is where a
Connexion operation becomes a `Call` and a `Reply` or a `MockError` becomes a response.
"""

from __future__ import annotations

import difflib
import inspect
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import orjson
from connexion.apps.asynchronous import AsyncApi, AsyncASGIApp
from connexion.exceptions import NonConformingResponse, ProblemException, UnsupportedMediaTypeProblem
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware.abstract import RoutedAPI, RoutedMiddleware
from connexion.middleware.swagger_ui import SwaggerUIAPI, SwaggerUIMiddleware
from connexion.operations import AbstractOperation
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import cookie_parser
from starlette.responses import Response, StreamingResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.auth import Authenticator, Presented, TokenRegistry
from mockserver.checks import BODY_KEY
from mockserver.errors import (
    Conflict,
    ErrorReport,
    InvalidInput,
    LimitReached,
    Malformed,
    MethodNotAllowed,
    MockError,
    NotFound,
    PayloadTooLarge,
    ServerFault,
    StatusError,
    TransitionNotAllowed,
    Unauthenticated,
    Unavailable,
    UnsupportedMediaType,
)
from mockserver.scope import PREFIX_KEY, SESSION_KEY, journal_entry, session_of
from mockserver.served import with_prefix
from mockserver.spec import HTTP_METHODS, api_slug, path_regex
from mockserver.store import Store
from mockserver.vendors.base import Call, ControlHandler, Handler, Reply, Vendor, render_plain

if TYPE_CHECKING:
    from mockserver.app import Runtime

logger = logging.getLogger("ticketmock")

STATUS_CODES: dict[type[MockError], int] = {
    InvalidInput: 400,
    Malformed: 400,
    Unauthenticated: 401,
    NotFound: 404,
    MethodNotAllowed: 405,
    Conflict: 409,
    TransitionNotAllowed: 409,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    LimitReached: 429,
    ServerFault: 500,
    Unavailable: 503,
}


# --- endpoints ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BoundHandler:
    """What the resolver returns for an operationId: the handler and the API it belongs to."""

    handler: Handler | ControlHandler
    slug: str


class Endpoint:
    """An operation's endpoint: builds the `Call`, runs the handler in one atomic unit, sends the `Reply`."""

    def __init__(self, operation: AbstractOperation, runtime: Runtime) -> None:
        bound = operation.function
        if not isinstance(bound, BoundHandler):
            raise TypeError(f"operation {operation.operation_id!r} did not resolve to a mock handler")
        self.operation_id = operation.operation_id
        self.handler = bound.handler
        self.slug = bound.slug
        self.runtime = runtime
        self.control = inspect.iscoroutinefunction(bound.handler)
        self.uri_parser = operation.uri_parser_class(operation.parameters, operation.body_definition())
        # (spec name, location, key in the request, default) for every declared parameter
        self.params = [
            (p["name"], p["in"], p["name"].replace("-", "_") if p["in"] == "path" else p["name"],
             p.get("schema", {}).get("default"))
            for p in operation.parameters
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = ConnexionRequest(scope, receive, uri_parser=self.uri_parser)
        params: dict[str, Any] = {}
        path_params = scope.get("path_params", {})
        query = request.query_params if any(p[1] == "query" for p in self.params) else {}
        headers = request.headers
        for name, location, key, default in self.params:
            if location == "path":
                value = path_params.get(key)
            elif location == "query":
                value = query.get(key)
            elif location == "header":
                value = headers.get(key)
            else:
                value = request.cookies.get(key)
            params[name] = default if value is None else value
        root_path = scope.get(PREFIX_KEY, "")
        if self.control:
            context = self.runtime.control_context(scope.get(SESSION_KEY), root_path)
            call = Call(self.operation_id, params, scope.get(BODY_KEY), headers, context)
            reply = await self.handler(call)  # type: ignore[misc]
        else:
            body, handler, session = scope.get(BODY_KEY), self.handler, session_of(scope)

            def work(store: Store) -> Reply:
                context = self.runtime.context(session, self.slug, store, root_path)
                return handler(Call(self.operation_id, params, body, headers, context))  # type: ignore[return-value]

            # The reply is sent after the unit ends: a write is acknowledged only once it is kept.
            reply = await self.runtime.backend.run(session, self.slug, work)
        await to_response(reply)(scope, receive, send)


def dump_json(value: Any) -> bytes:
    """Compact UTF-8 JSON; orjson for speed, the standard library for what orjson refuses (integers
    beyond 64 bits, which Flow Retail's exact amounts can reach, and lone surrogates, which only
    an escape can carry: the request checks refuse them, but an answer must never fail on one)."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def to_response(reply: Reply) -> Response:
    body = reply.body
    if hasattr(body, "__aiter__"):  # written in pieces (a snapshot of a large session)
        return StreamingResponse(body, reply.status, dict(reply.headers), reply.media_type)
    if body is None:
        content = b""
    elif isinstance(body, bytes):
        content = body
    else:
        content = dump_json(body)
    return Response(content, reply.status, dict(reply.headers), reply.media_type)


class EndpointApi(AsyncApi):
    def __init__(self, *args: Any, runtime: Runtime, **kwargs: Any) -> None:
        self.runtime = runtime
        super().__init__(*args, **kwargs)

    def make_operation(self, operation: AbstractOperation) -> Endpoint:
        return Endpoint(operation, self.runtime)


class EndpointApp(AsyncASGIApp):
    """The innermost app: Connexion's operation lookup, with our endpoints as operations."""

    api_cls = EndpointApi

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        super().__init__()

    def add_api(self, *args: Any, **kwargs: Any) -> Any:
        return super().add_api(*args, runtime=self.runtime, **kwargs)


def make_resolver(slug: str, handlers: Mapping[str, Handler | ControlHandler]) -> Callable[[str], BoundHandler]:
    def resolve(operation_id: str) -> BoundHandler:
        try:
            return BoundHandler(handlers[operation_id], slug)
        except KeyError:
            # ValueError is what Connexion turns into a ResolverError naming the operation.
            raise ValueError(f"{slug}: no handler for operationId {operation_id!r}; add it to the "
                             f"vendor's handlers in mockserver/vendors/{slug}") from None

    return resolve


# --- credentials -------------------------------------------------------------------------------

class AuthOperation:
    def __init__(self, next_app: ASGIApp, requirements: list[dict[str, list[str]]],
                 authenticator: Authenticator, runtime: Runtime) -> None:
        self.next_app = next_app
        self.requirements = requirements
        self.authenticator = authenticator
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        presented = Presented(headers, query, cookie_parser(headers.get("cookie", "")))
        session = session_of(scope)
        store = await self.runtime.backend.store(session, self.authenticator.realm)
        clock = session.clock(self.runtime.clock)
        self.authenticator.check(self.requirements, presented, session.policy(self.runtime.policy),
                                 TokenRegistry(store, clock))
        await self.next_app(scope, receive, send)


class AuthAPI(RoutedAPI[Any]):
    def __init__(self, *args: Any, runtime: Runtime, authenticators: Mapping[str, Authenticator],
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.runtime = runtime
        self.authenticator = authenticators.get(name or "")
        self.add_paths()

    def make_operation(self, operation: AbstractOperation) -> Any:
        requirements = operation.security or []
        if self.authenticator is None or not requirements:
            return self.next_app
        return AuthOperation(self.next_app, requirements, self.authenticator, self.runtime)


class AuthMiddleware(RoutedMiddleware[AuthAPI]):
    """Takes the place of Connexion's SecurityMiddleware: checks credentials per operation, against
    the request's session (its credential policy and the tokens its token endpoints issued)."""

    api_cls = AuthAPI

    def __init__(self, app: ASGIApp, *, runtime: Runtime, authenticators: Mapping[str, Authenticator]) -> None:
        super().__init__(app)
        self.runtime = runtime
        self.authenticators = authenticators

    def add_api(self, specification: Any, **kwargs: Any) -> Any:
        return super().add_api(specification, runtime=self.runtime, authenticators=self.authenticators, **kwargs)


# --- errors ------------------------------------------------------------------------------------

def route_priority(path: str) -> list[bool]:
    """Sort key putting concrete path segments before templated ones, as OpenAPI path matching does:
    `/tickets/comment` must win over `/tickets/{id}` for the request path `/tickets/comment`."""
    return [segment.startswith("{") for segment in path.split("/")]


class AllowTable:
    """Which methods each path of each API accepts, for 405 answers (Connexion's Allow is wrong).

    Rows are kept per API prefix (the first path segment), so a request is matched only against
    its own API's paths.
    """

    def __init__(self) -> None:
        self._rows: dict[str, list[tuple[re.Pattern[str], list[str]]]] = {}
        self.base_paths: dict[str, str] = {}  # API prefix -> base path
        self.templates: dict[str, list[tuple[str, list[str]]]] = {}  # API prefix -> (full path template, methods)

    def add(self, base_path: str, spec: Mapping[str, Any]) -> None:
        slug = api_slug(base_path)
        rows = self._rows.setdefault(slug, [])
        self.base_paths[slug] = base_path
        templates = self.templates.setdefault(slug, [])
        for path, item in sorted(spec.get("paths", {}).items(), key=lambda entry: route_priority(entry[0])):
            pattern = path_regex(path)
            methods = sorted(m.upper() for m in item if m in HTTP_METHODS)
            templates.append((base_path + path, [m for m in methods if m != "HEAD"]))
            if "GET" in methods and "HEAD" not in methods:
                methods.append("HEAD")
            rows.append((re.compile(f"^{re.escape(base_path)}{pattern}$"), methods))

    def allowed(self, path: str) -> list[str]:
        rows = self._rows.get(api_slug(path), ())
        return next((methods for pattern, methods in rows if pattern.match(path)), [])

    def closest(self, path: str) -> tuple[str, list[str], bool] | None:
        """The operation path most like `path` (template, methods, whether it has the same shape), if any
        is alike. Templated segments take the request's segment at their place before comparing."""
        slug = api_slug(path)
        base = self.base_paths.get(slug, "")
        segments = path.rstrip("/").split("/")
        best: tuple[float, str, list[str], bool] | None = None
        for template, methods in self.templates.get(slug, ()):
            parts = template.split("/")
            filled = [segments[i] if part.startswith("{") and i < len(segments) else part
                      for i, part in enumerate(parts)]
            same_shape = filled == segments
            # Compared after the API's base path, which every candidate shares (the request's may differ: v2.0).
            depth = len(base.split("/"))
            wanted, candidate = "/".join(["", *segments[depth:]]), "/".join(["", *filled[depth:]])
            ratio = difflib.SequenceMatcher(None, wanted, candidate).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, template, methods, same_shape)
        if best is None or best[0] < 0.6:
            return None
        return best[1], best[2], best[3]

    def suggestion(self, path: str, prefix: str = "") -> str:
        """The "did you mean" of a 404: the closest operation path of the API, or the closest API."""
        slug = api_slug(path)
        if slug in self.templates:
            index = f"Every operation of this API is listed at {prefix}{self.base_paths[slug]}"
            found = self.closest(path)
            if found is None:
                return index[0].lower() + index[1:]
            template, methods, same_shape = found
            if same_shape:
                return (f"it has the shape of {', '.join(methods)} {prefix}{template}, but a path parameter is "
                        f"not of the type the spec gives it. {index}")
            return f"did you mean {', '.join(methods)} {prefix}{template}? {index}"
        known = sorted(self.templates)
        close = difflib.get_close_matches(slug, known, n=1, cutoff=0.5)
        listed = ", ".join(f"{prefix}{self.base_paths[name]}" for name in known if not name.startswith("_"))
        where = f"no API is served under /{slug}"
        if close:
            guess = "/" + close[0] + path[len(slug) + 1:]
            found = self.closest(guess)
            target = f"{', '.join(found[1])} {prefix}{found[0]}" if found else prefix + self.base_paths[close[0]]
            where += f"; did you mean {target}?"
        else:
            where += "."
        return f"{where} The APIs: {listed}; the dashboard: {prefix}/"


class SessionSwaggerUIAPI(SwaggerUIAPI):
    """One API's Swagger UI and openapi.json; under `/_session/NAME/` the OAuth2 flows' URLs get the prefix."""

    def _spec_for_prefix(self, request: Any) -> dict[str, Any]:
        spec: dict[str, Any] = super()._spec_for_prefix(request)  # a copy made for this request
        return with_prefix(spec, request.scope.get(PREFIX_KEY, ""))


class SwaggerUIOnlyMiddleware(SwaggerUIMiddleware):
    """Connexion's Swagger UI middleware, consulted only for its own paths.

    It runs a router over every request; for API calls that pass costs about a tenth of the
    mock's time per request, so other paths skip it.
    """

    def add_api(self, specification: Any, base_path: str | None = None, arguments: Any = None,
                **kwargs: Any) -> None:
        api = SessionSwaggerUIAPI(specification, base_path=base_path, arguments=arguments, default=self.default_fn,
                                  **kwargs)
        self.router.mount(api.base_path, app=api.router)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope["type"] == "http" and "/ui" not in path and not path.endswith(("/openapi.json", "/openapi.yaml")):
            await self.app(scope, receive, send)
            return
        prefix = scope.get(PREFIX_KEY, "")
        if prefix:  # served under /_session/NAME/: the document's server URL and the UI stay in the session
            full = prefix + path
            scope = {**scope, "path": full, "raw_path": full.encode(), "root_path": scope.get("root_path", "") + prefix}
        await super().__call__(scope, receive, send)


class MethodMiddleware:
    """Answers 405 (with the spec's Allow) when the best-matching spec path lacks the method.

    OpenAPI matches concrete paths before templated ones, but Starlette takes any full match: without
    this, `GET /tickets/comment` (only POST documented) would be routed to `GET /tickets/{id}` and
    answered 400 "not a uuid" instead of 405.
    """

    def __init__(self, app: ASGIApp, *, table: AllowTable) -> None:
        self.app = app
        self.table = table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            allow = self.table.allowed(scope["path"])
            if allow and scope["method"] not in allow:
                raise MethodNotAllowed(f"{scope['path']} does not accept {scope['method']}; it accepts "
                                       f"{', '.join(allow)}", allow)
            if not allow:  # no spec path: the routers may answer with a trailing-slash redirect
                send = relative_redirects(send)
        await self.app(scope, receive, send)


def relative_redirects(send: Send) -> Send:
    """Makes every redirect's Location relative.

    Starlette's routers (`redirect_slashes`) build the Location of `/tickets/` -> `/tickets` from the
    Host header, so `Host: evil.example` would send the client to another site.
    """

    async def rewrite(message: Message) -> None:
        if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
            message["headers"] = [(name, relative_location(value) if name.lower() == b"location" else value)
                                  for name, value in message.get("headers", [])]
        await send(message)

    return rewrite


def relative_location(location: bytes) -> bytes:
    """`http://any.host/a/b?c` -> `/a/b?c`; never `//host/...`, which a client reads as another host."""
    parts = urlsplit(location.decode("latin-1"))
    path = "/" + parts.path.lstrip("/")
    return urlunsplit(("", "", path, parts.query, parts.fragment)).encode("latin-1")


class ErrorDispatcher:
    """The one error handler: finds the API from the path and renders in that vendor's envelope."""

    def __init__(self, vendors: Mapping[str, Vendor], allow: AllowTable) -> None:
        self.vendors = vendors
        self.allow = allow

    def vendor_for(self, path: str) -> Vendor | None:
        return self.vendors.get(api_slug(path))

    def to_domain(self, path: str, exc: Exception, prefix: str = "") -> MockError:
        if isinstance(exc, MockError):
            return exc
        if isinstance(exc, UnicodeDecodeError):
            return Malformed.of("(body)", "the body is not valid UTF-8; encode it as UTF-8")
        if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
            # Python refuses to read integers over 4,300 digits (sys.get_int_max_str_digits), e.g. where
            # routing converts an integer path parameter.
            return Malformed(f"a number in the request has more than {sys.get_int_max_str_digits()} digits; "
                             "send a smaller number")
        if isinstance(exc, UnsupportedMediaTypeProblem):
            return UnsupportedMediaType(str(exc.detail))
        if isinstance(exc, NonConformingResponse):
            return ServerFault(f"the mock's response does not conform to the spec: {exc.detail}")
        if isinstance(exc, ProblemException):
            if exc.status == 400:
                return InvalidInput(str(exc.detail or exc.title))
            return StatusError(exc.status, str(exc.detail or exc.title))
        if isinstance(exc, HTTPException):
            if exc.status_code == 404:
                return NotFound("route", path, hint=self.allow.suggestion(path, prefix))
            if exc.status_code == 405:
                allow = self.allow.allowed(path)
                return MethodNotAllowed(f"this path does not accept that method; it accepts {', '.join(allow)}",
                                        allow)
            return StatusError(exc.status_code, str(exc.detail))
        logger.exception("unexpected error while answering %s", path, exc_info=exc)
        return ServerFault(f"internal error in the mock: {type(exc).__name__}: {exc}")

    def report(self, vendor: Vendor | None, error: MockError, operation_id: str | None = None) -> ErrorReport:
        status = self.status_of(vendor, error)
        headers: dict[str, str] = {}
        if isinstance(error, Unauthenticated) and error.challenges:
            headers["WWW-Authenticate"] = ", ".join(str(c) for c in error.challenges)
        if isinstance(error, MethodNotAllowed):
            headers["Allow"] = ", ".join(error.allow)
        title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        return ErrorReport(status, title, error.message, error.code, error.fields, headers, operation_id)

    @staticmethod
    def status_of(vendor: Vendor | None, error: MockError) -> int:
        if isinstance(error, StatusError):
            return error.status
        for cls in type(error).__mro__:
            if vendor is not None and cls in vendor.status_codes:
                return vendor.status_codes[cls]
            if cls in STATUS_CODES:
                return STATUS_CODES[cls]
        return 500

    async def __call__(self, request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        path = request.url.path
        vendor = self.vendor_for(path)
        error = self.to_domain(path, exc, request.scope.get(PREFIX_KEY, ""))
        entry = journal_entry(request.scope)
        report = self.report(vendor, error, entry.get("operationId"))
        entry["reason"] = f"{report.code}: {report.detail}"
        body, media_type = self.render(vendor, report)
        if isinstance(exc, NonConformingResponse):
            entry["validation"] = f"response: {exc.detail}"
        elif report.status in (400, 413, 415):
            entry["validation"] = f"request: {report.detail}"
        payload = dump_json(body)
        return ConnexionResponse(report.status, media_type, None, payload, dict(report.headers))

    @staticmethod
    def render(vendor: Vendor | None, report: ErrorReport) -> tuple[Any, str]:
        """The vendor's envelope; the plain one if its renderer fails, so an error answer never becomes
        the server's plain-text 500."""
        if vendor is None:
            return render_plain(report)
        try:
            return vendor.render_error(report)
        except Exception:
            logger.exception("the %s error renderer failed on %r", vendor.slug, report)
            return render_plain(report)

    def handled(self) -> Iterable[type[Exception] | int]:
        """What to register it for: domain errors, Connexion problems, Starlette HTTP errors, the rest."""
        return (MockError, ProblemException, HTTPException, UnicodeDecodeError, Exception)
