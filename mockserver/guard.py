"""The guard: which Host names reach the mock, and which origins, tokens and bodies drive its control API.

A browser lets any web page send "simple" cross-site requests (a POST with a text/plain body needs no
preflight) and, once the page's own name resolves to 127.0.0.1 (DNS rebinding), read the answers too.
So the control API refuses foreign `Origin`s and bodies that are not JSON, can require a Bearer token,
and a mock listening on loopback answers 421 to every request whose Host names no loopback address.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.checks import CONTROL_MAX_BODY, parse_json, read_body, replay
from mockserver.client import CONTROL_TOKEN_ENV
from mockserver.errors import (
    Challenge,
    Malformed,
    StatusError,
    Unauthenticated,
    UnsupportedMediaType,
)
from mockserver.hosts import is_loopback
from mockserver.journal import CONTROL_PREFIX, clip
from mockserver.scope import journal_entry
from mockserver.server import Operations

if TYPE_CHECKING:
    from mockserver.app import MockOptions, Runtime

# The default CORS origins: frontend dev servers on this machine.
LOCAL_ORIGINS = r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$"
# State-free documents under the control prefix that a browser opens by navigation, which cannot carry
# a Bearer header: the control API's description, its Swagger UI, and the dashboard page.
PUBLIC_PATHS = re.compile(r"/_ticketmock(/|/ui(/.*)?|/openapi\.(json|yaml))?")
HOST = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[^:\[\]/\s]+)(?::(?P<port>\d{1,5}))?")
DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}
EXPOSED_HEADERS = ["Location", "WWW-Authenticate", "Allow"]


class Misdirected(StatusError):
    code = "misdirected_request"

    def __init__(self, message: str) -> None:
        super().__init__(421, message)


class ForeignOrigin(StatusError):
    code = "origin_not_allowed"

    def __init__(self, message: str) -> None:
        super().__init__(403, message)




def split_host(value: str) -> tuple[str, str | None] | None:
    """`127.0.0.1:8000` -> ("127.0.0.1", "8000"), `[::1]` -> ("[::1]", None); None when not a host."""
    match = HOST.fullmatch(value.strip())
    if match is None:
        return None
    return match["name"].lower(), match["port"]


def normal_origin(scheme: str, host: str) -> str | None:
    """`http://LOCALHOST:80` -> `http://localhost`: how two origins are compared."""
    parts = split_host(host)
    if parts is None:
        return None
    name, port = parts
    scheme = scheme.lower()
    return f"{scheme}://{name}" + (f":{port}" if port and port != DEFAULT_PORTS.get(scheme) else "")


def is_control(path: str) -> bool:
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def is_preflight(scope: Scope, headers: Headers) -> bool:
    return scope["method"] == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers


@dataclass(frozen=True)
class GuardPolicy:
    """What the guard accepts, from the mock's options (pure: no HTTP here)."""

    loopback: bool  # the mock listens on loopback only: every Host must name loopback
    bound: str  # where it listens, for messages
    hosts: frozenset[str]  # more Host names accepted on loopback (--allow-host)
    origins: tuple[str, ...]  # origins --cors-origin names (never '*')
    local_origins: bool  # the default: any http(s)://localhost|127.0.0.1|[::1]:PORT
    token: bytes | None

    @classmethod
    def from_options(cls, options: MockOptions) -> GuardPolicy:
        explicit = tuple(origin for origin in options.cors_origins if origin != "*")
        token = options.control_token
        return cls(loopback=options.host is not None and is_loopback(options.host), bound=options.host or "",
                   hosts=frozenset(name.lower() for name in options.allowed_hosts),
                   origins=explicit, local_origins=not explicit, token=token.encode() if token else None)

    def host_problem(self, hosts: list[str]) -> str | None:
        """Why these Host header values are refused, or None. A request without Host (HTTP/1.0) is not a
        browser's and passes."""
        if not self.loopback:
            return None
        for value in hosts:
            parts = split_host(value)
            if parts is None or not (is_loopback(parts[0]) or parts[0] in self.hosts):
                shown = clip(value, 100)
                return (f"the Host header {shown!r} names no loopback address, and this mock listens on {self.bound} "
                        "only: a web page whose own name was made to point at this machine (DNS rebinding) sends "
                        "such requests; use http://localhost:PORT or http://127.0.0.1:PORT, or start the mock with "
                        "--allow-host NAME to accept that name")
        return None

    def cors_allows(self, origin: str) -> bool:
        """The origins the control API's CORS answers admit."""
        return origin in self.origins or (self.local_origins and re.fullmatch(LOCAL_ORIGINS, origin) is not None)

    def describe_origins(self) -> str:
        allowed = [*self.origins, *(["http(s)://localhost:*", "http(s)://127.0.0.1:*", "http(s)://[::1]:*"]
                                    if self.local_origins else [])]
        return f"the mock's own pages, {', '.join(allowed)} (--cors-origin) and clients that send no Origin"

    def origin_allowed(self, origin: str, scheme: str, host: str | None) -> bool:
        """The mock's own origin (the request's scheme and Host: its dashboard) and the CORS origins."""
        if self.cors_allows(origin):
            return True
        sent_scheme, sep, sent_host = origin.partition("://")
        own = normal_origin(scheme, host) if host is not None else None
        return bool(sep) and own is not None and normal_origin(sent_scheme, sent_host) == own

    def token_problem(self, authorization: str | None) -> str | None:
        """Why the credentials of a control request are refused, or None; compared in constant time."""
        if self.token is None:
            return None
        scheme, _, presented = (authorization or "").strip().partition(" ")
        matches = hmac.compare_digest(presented.strip().encode("latin-1", "replace"), self.token)
        if authorization is None:
            return ("the control API needs 'Authorization: Bearer <control token>': this mock was started with "
                    f"--control-token (or {CONTROL_TOKEN_ENV})")
        if scheme.lower() != "bearer" or not matches:
            return ("the control token does not match: send 'Authorization: Bearer <control token>' with the "
                    f"value given to --control-token (or {CONTROL_TOKEN_ENV})")
        return None


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def check_json(raw: bytes) -> None:
    """Malformed unless `raw` is JSON as the mock reads it (RFC 8259, numbers a double can hold); its
    schema is the operation's business, checked later."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Malformed.of("(body)", f"the body is not valid UTF-8 (byte {exc.start}); encode it as UTF-8") from None
    parse_json(text)




class GuardMiddleware:
    """Inside the exception middleware, before any session is opened: refusals come in the API's envelope
    (the control API's problem+json) and change nothing, not even the session registry."""

    def __init__(self, app: ASGIApp, *, runtime: Runtime) -> None:
        self.app = app
        self.policy = GuardPolicy.from_options(runtime.options)
        self.max_body_bytes = max(runtime.options.max_body_bytes, CONTROL_MAX_BODY)  # it reads control bodies
        self.operations = Operations(runtime.vendors)  # to name the operation a refusal is answered for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        problem = self.policy.host_problem(headers.getlist("host"))
        if problem is not None:
            # Refused before routing: the operation is found here, so the answer comes in its envelope
            # (Jifeline's token endpoint answers as OAuth2 does) and the journal names it.
            journal_entry(scope)["operationId"] = self.operations.find(scope["method"], scope["path"])
            raise Misdirected(problem)
        if is_control(scope["path"]):
            receive = await self.check_control(scope, receive, headers)
        await self.app(scope, receive, send)

    async def check_control(self, scope: Scope, receive: Receive, headers: Headers) -> Receive:
        origin = headers.get("origin")
        if origin is not None and not self.policy.origin_allowed(origin, scope.get("scheme", "http"),
                                                                 headers.get("host")):
            raise ForeignOrigin(f"the control API does not take requests from pages of {clip(origin, 100)!r}, "
                                f"so that other web sites cannot drive it; allowed: {self.policy.describe_origins()} "
                                "(curl, test code)")
        public = scope["method"] in ("GET", "HEAD") and PUBLIC_PATHS.fullmatch(scope["path"]) is not None
        if not public and not is_preflight(scope, headers):
            problem = self.policy.token_problem(headers.get("authorization"))
            if problem is not None:
                raise Unauthenticated(problem, [Challenge("Bearer", 'realm="ticketmock control API"')])
        length = headers.get("content-length", "0").strip()
        if "transfer-encoding" not in headers and (not length.isdigit() or int(length) == 0):
            return receive
        media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if not is_json(media_type):
            sent = repr(media_type) if media_type else "no Content-Type"
            raise UnsupportedMediaType(f"the control API takes JSON bodies only, and this one came with {sent}: "
                                       "send Content-Type: application/json (so that no web page can send one "
                                       "without the browser asking the mock first)")
        raw = await read_body(receive, self.max_body_bytes)
        if raw:
            check_json(raw)
        return replay(raw, receive)


class CorsMiddleware:
    """CORS as --cors-origin says for the vendor APIs; for the control API never wider than its allowed
    origins, whatever '*' says, and a preflight from a foreign origin is left to the guard (403)."""

    def __init__(self, app: ASGIApp, *, options: MockOptions) -> None:
        self.app = app
        self.policy = GuardPolicy.from_options(options)
        common: dict[str, Any] = {"allow_methods": ["*"], "allow_headers": ["*"], "expose_headers": EXPOSED_HEADERS}
        if "*" in options.cors_origins:
            # Any origin, so no credentials: echoing every origin with Allow-Credentials would let any site
            # read answers with the developer's cookies.
            self.vendor: ASGIApp = CORSMiddleware(app, allow_origins=["*"], allow_credentials=False, **common)
        elif self.policy.origins:
            self.vendor = CORSMiddleware(app, allow_origins=list(self.policy.origins), allow_credentials=True,
                                         **common)
        else:
            self.vendor = CORSMiddleware(app, allow_origin_regex=LOCAL_ORIGINS, allow_credentials=True, **common)
        if self.policy.origins:
            self.control: ASGIApp = CORSMiddleware(app, allow_origins=list(self.policy.origins),
                                                   allow_credentials=True, **common)
        else:
            self.control = CORSMiddleware(app, allow_origin_regex=LOCAL_ORIGINS, allow_credentials=True, **common)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not is_control(scope["path"]):
            await self.vendor(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if is_preflight(scope, headers) and not self.policy.cors_allows(headers["origin"]):
            await self.app(scope, receive, send)  # the guard refuses it in the control API's shape
            return
        await self.control(scope, receive, send)
