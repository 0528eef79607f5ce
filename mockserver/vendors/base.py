"""The Vendor declaration: everything the core needs to know about one vendor, in one value."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockserver.auth import CredentialPolicy, TokenRegistry
from mockserver.clock import Clock
from mockserver.errors import ErrorReport, MockError
from mockserver.ids import IdFactory
from mockserver.spec import spec_path
from mockserver.store import Collection, Order, Store
from mockserver.workflow import Workflow

if TYPE_CHECKING:
    from mockserver.sessions import Session

JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Reply:
    """What a handler answers: status, body (JSON-able, bytes or None), media type, headers."""

    status: int
    body: Any = None
    media_type: str | None = JSON
    headers: Mapping[str, str] = field(default_factory=dict)


def ok(body: Any, media_type: str = JSON) -> Reply:
    return Reply(200, body, media_type)


def created(body: Any, media_type: str = JSON, headers: Mapping[str, str] | None = None) -> Reply:
    return Reply(201, body, media_type, headers or {})


def no_content() -> Reply:
    return Reply(204, None, None)


def see_other(location: str) -> Reply:
    return Reply(303, None, None, {"Location": location})


@dataclass
class Context:
    """One API in one session, as a handler sees it: the store and the services handlers may use."""

    slug: str
    base_path: str  # where the API is served, under the session's path prefix when the request used one
    store: Store
    clock: Clock
    ids: IdFactory
    tokens: TokenRegistry
    policy: CredentialPolicy
    session: Session | None = None  # the control API's handlers act on it; vendors need not look

    def now(self) -> datetime:
        return self.clock.now()


@dataclass(frozen=True, slots=True)
class Call:
    """One request as a handler sees it: parameters by their spec names, the parsed body."""

    operation_id: str
    params: Mapping[str, Any]
    body: Any
    headers: Mapping[str, str]  # lower-case names
    context: Context

    @property
    def store(self) -> Store:
        return self.context.store

    def param(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name)
        return default if value is None else value


Handler = Callable[[Call], Reply]
ControlHandler = Callable[[Call], Awaitable[Reply]]  # the control API's handlers may wait for the backend


@dataclass(frozen=True, slots=True)
class CollectionSpec:
    """A fixture collection: its key field and the schema every record must satisfy.

    `schema` is a component name in the vendor's spec (`"ServiceTicket"`), or an inline JSON Schema
    (OpenAPI 3.0 dialect) that may `$ref` the spec's components, for reference data the API
    never returns whole.
    """

    name: str
    key: str
    schema: str | Mapping[str, Any]
    unique: Sequence[str] = ()
    groups: Sequence[str] = ()  # fields to look records up by (a ticket's notes, an order's hours)
    orders: Mapping[str, Order] = field(default_factory=dict)  # sort orders the list operations page through

    def new_collection(self) -> Collection:
        return Collection(self.name, self.key, unique=self.unique, groups=self.groups, orders=self.orders)


def render_plain(report: ErrorReport) -> tuple[Any, str]:
    """Fallback envelope (RFC 7807) for APIs that declare none."""
    return {"type": "about:blank", "title": report.title, "status": report.status, "detail": report.detail}, \
        "application/problem+json"


@dataclass(frozen=True)
class Vendor:
    """One vendor: its spec, its behaviour per operationId, its data and its error envelope.

    The core never imports a vendor module; it reaches vendors through the registry and this type.
    """

    slug: str
    title: str
    handlers: Mapping[str, Handler]
    collections: Sequence[CollectionSpec]
    render_error: Callable[[ErrorReport], tuple[Any, str]] = render_plain
    status_codes: Mapping[type[MockError], int] = field(default_factory=dict)
    workflow: Workflow | None = None
    # Called after fixtures are loaded (and after every reset): derive counters, indexes, etc.
    prepare: Callable[[Context], None] | None = None
    # How the startup banner's curl line authenticates, e.g. "-H 'Authorization: Bearer {token}'".
    curl_auth: str = "-H 'Authorization: Bearer {token}'"
    # The path (after the mock base URL) the banner's curl line reads.
    curl_path: str = ""
    # Where the spec and the shipped fixtures live; the defaults follow the slug.
    spec_file: Path | None = None
    fixtures_file: Path | None = None
    # Paths the mock serves beyond the vendor's spec (an OpenAPI fragment with `paths` only, e.g. the OAuth2
    # endpoints a flow names), with their handlers: routed and shown in Swagger UI as mock-only.
    mock_only_file: Path | None = None
    mock_only_handlers: Mapping[str, Handler] = field(default_factory=dict)

    @property
    def spec_path(self) -> Path:
        return self.spec_file or spec_path(self.slug)

    @property
    def fixtures_path(self) -> Path:
        return self.fixtures_file or Path(__file__).resolve().parent / self.slug / "fixtures.yaml"
