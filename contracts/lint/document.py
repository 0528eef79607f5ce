"""The document rules check: the root file, `$ref` resolution across files, and one typed index."""

# A node is always handled together with its `Loc` (the file it is written in and its JSON pointer
# there), so a problem found inside a referenced component points at that component, in its file.

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote

from contracts.lint import source as source_module
from contracts.lint.model import LintError, Problem, Severity, fingerprint
from contracts.lint.registry import RULES
from contracts.lint.source import Pointer, Source

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Component sections and the OpenAPI object each holds.
COMPONENT_KINDS = {
    "schemas": "Schema",
    "responses": "Response",
    "parameters": "Parameter",
    "examples": "Example",
    "requestBodies": "RequestBody",
    "headers": "Header",
    "securitySchemes": "SecurityScheme",
    "links": "Link",
    "callbacks": "Callback",
    "pathItems": "PathItem",
}
_COMPONENT_DIRECTION = {"responses": "response", "headers": "response", "parameters": "request",
                        "requestBodies": "request"}

# Schema keywords whose value is one schema, a map of schemas, or a list of schemas.
_SCHEMA_ONE = ("items", "additionalProperties", "not", "additionalItems", "contains", "if", "then", "else",
               "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema")
_SCHEMA_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")


def escape_token(token: str | int) -> str:
    """One JSON-pointer token, escaped (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def json_pointer(pointer: Pointer) -> str:
    """The JSON pointer string of a token tuple ("" for the root)."""
    return "".join("/" + escape_token(token) for token in pointer)


class Loc(NamedTuple):
    """Where a node is written: a file and a pointer into it. `loc / key` descends.

    A NamedTuple rather than a frozen dataclass: the index walk creates hundreds of thousands.
    """

    source: Source
    pointer: Pointer

    def __truediv__(self, key: str | int) -> Loc:
        return Loc(self.source, self.pointer + (key,))

    @property
    def json_pointer(self) -> str:
        return json_pointer(self.pointer)

    def position(self) -> tuple[int, int]:
        return self.source.position(self.pointer)


@dataclass(frozen=True, slots=True)
class RefFailure:
    """Why a `$ref` cannot be followed. Remote references are not fetched, and not reported."""

    reason: str
    remote: bool = False


@dataclass(frozen=True, slots=True)
class RefUse:
    """One `$ref` in the document: where it is written and, if it is broken, why."""

    ref: str
    loc: Loc
    failure: RefFailure | None


@dataclass(frozen=True, slots=True)
class Visit:
    """One OpenAPI object met by the index walk; `direction` is request, response or any.

    `inverted` is true where the API owner sends the request and the API's consumer answers:
    in webhooks and in callbacks (a callback of a webhook flips back). readOnly and writeOnly
    then apply the other way round; `sender_direction` is the direction they are checked by.
    """

    node: dict[str, Any]
    loc: Loc
    direction: str
    inverted: bool = False

    @property
    def sender_direction(self) -> str:
        """request when the API's consumer sends this message, response when the API owner does."""
        if not self.inverted or self.direction == "any":
            return self.direction
        return "response" if self.direction == "request" else "request"


@dataclass(frozen=True, slots=True)
class Operation:
    """An operation with its path template (a webhook's name); `origin` is paths, webhooks or callbacks.

    Webhooks are those of OpenAPI 3.1's `webhooks` and of the widely used `x-webhooks` extension.
    `inverted`: the API owner sends this operation's request (webhooks, callbacks; see Visit).
    """

    path: str
    method: str
    node: dict[str, Any]
    loc: Loc
    path_item: dict[str, Any]
    path_item_loc: Loc
    origin: str
    inverted: bool = False

    @property
    def label(self) -> str:
        """How messages name the operation: METHOD path, and its operationId when it has one."""
        operation_id = self.node.get("operationId")
        if isinstance(operation_id, str) and operation_id:
            return f"{self.method.upper()} {self.path} ({operation_id})"
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True, slots=True)
class Param:
    """An effective parameter of an operation: the resolved node and where it is listed."""

    node: dict[str, Any]
    loc: Loc
    use: Loc

    @property
    def key(self) -> tuple[str, str]:
        where = str(self.node.get("in"))
        name = str(self.node.get("name"))
        return where, name.lower() if where == "header" else name


@dataclass
class Index:
    """What one walk over the document found; rules read it instead of walking again."""

    operations: list[Operation] = field(default_factory=list)
    visits: dict[str, list[Visit]] = field(default_factory=dict)  # each location once
    role_visits: dict[str, list[Visit]] = field(default_factory=dict)  # once per location and role
    refs: list[RefUse] = field(default_factory=list)
    used_components: set[tuple[str, str]] = field(default_factory=set)
    used_security: set[str] = field(default_factory=set)
    security_requirements: list[tuple[dict[str, Any], Loc]] = field(default_factory=list)
    external_roots: list[tuple[str, dict[str, Any], Loc]] = field(default_factory=list)  # $ref targets elsewhere

    def of(self, kind: str) -> list[Visit]:
        """Every visited object of one kind (Schema, Parameter, MediaType, Response, ...), each once."""
        return self.visits.get(kind, [])

    def roles(self, kind: str) -> list[Visit]:
        """Like `of`, but an object used both by paths and by webhooks/callbacks comes once per role."""
        return self.role_visits.get(kind, [])


def is_json_media(media: str) -> bool:
    """application/json, application/problem+json, */* and the like (parameters ignored)."""
    kind = media.split(";", 1)[0].strip().lower()
    return kind.endswith("json") or kind in ("*/*", "application/*")


def message_side(visit: Visit) -> str:
    """How messages name the message a visit belongs to: request, response, webhook or callback request, ..."""
    if visit.direction == "any":
        return "any"
    return f"webhook or callback {visit.direction}" if visit.inverted else visit.direction


def display_name(path: Path) -> str:
    """A path as reports print it: relative to the working directory when it is below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


class Spec:
    """A parsed OpenAPI document with lazy cross-file `$ref` resolution and a cached index."""

    def __init__(self, root: Source, severities: Mapping[str, Severity] | None = None) -> None:
        self.root = root
        self.data: dict[str, Any] = root.data
        version = str(self.data.get("openapi", ""))
        self.version = "3.1" if version.startswith("3.1") else "3.0"
        self._severities = dict(severities or {})
        self._sources: dict[Path, Source | LintError] = {root.path.resolve(): root}
        self._lookups: dict[tuple[int, str], tuple[Any, Loc] | RefFailure] = {}
        self.cache: dict[str, Any] = {}  # per-document helpers rules share (e.g. the example validator)

    @property
    def loc(self) -> Loc:
        """The root of the root file."""
        return Loc(self.root, ())

    @property
    def sources(self) -> list[Source]:
        """Every file loaded so far: the root first, then referenced files."""
        return [s for s in self._sources.values() if isinstance(s, Source)]

    @property
    def sources_after_walk(self) -> list[Source]:
        """Every file the document references (the index walk loads them all)."""
        self.index  # noqa: B018 - the walk loads every referenced file
        return self.sources

    def problem(self, rule_id: str, loc: Loc, message: str) -> Problem:
        """A problem of rule `rule_id` at `loc`, with the configured severity."""
        line, column, end_line, end_column = loc.source.span(loc.pointer)
        severity = self._severities.get(rule_id) or RULES[rule_id].severity
        value, _ = loc.source.node_at(loc.pointer)
        return Problem(loc.source.display, line, column, rule_id, severity, message, loc.json_pointer,
                       end_line, end_column, fingerprint(value))

    # -- references ---------------------------------------------------------------------------

    def lookup(self, ref: str, base: Source) -> tuple[Any, Loc] | RefFailure:
        """The target of one `$ref` string written in `base`, or why it cannot be followed."""
        key = (id(base), ref)
        found = self._lookups.get(key)
        if found is None:
            found = self._lookups[key] = self._lookup(ref, base)
        return found

    def _lookup(self, ref: str, base: Source) -> tuple[Any, Loc] | RefFailure:
        address, _, fragment = ref.partition("#")
        if "://" in address or address.startswith("//"):
            return RefFailure(f"remote reference {ref!r} is not fetched", remote=True)
        target = base
        if address:
            path = (base.path.parent / unquote(address)).resolve()
            loaded = self._sources.get(path)
            if loaded is None:
                try:
                    loaded = source_module.load(path, display_name(path))
                except LintError as exc:
                    loaded = exc
                self._sources[path] = loaded
            if isinstance(loaded, LintError):
                return RefFailure(f"file {address!r} cannot be used: {loaded.message}")
            target = loaded
        if fragment and not fragment.startswith("/"):
            # A plain-name fragment (3.1 `$anchor`); not resolved here, not reported either.
            return RefFailure(f"anchor reference {ref!r} is not resolved", remote=True)
        tokens = [unquote(t).replace("~1", "/").replace("~0", "~") for t in fragment.split("/")[1:]]
        node = target.data
        walked: list[str | int] = []
        for token in tokens:
            if isinstance(node, dict) and token in node:
                node = node[token]
                walked.append(token)
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
                walked.append(int(token))
            else:
                return RefFailure(self._missing(ref, node, walked, token))
        return node, Loc(target, tuple(walked))

    @staticmethod
    def _missing(ref: str, node: Any, walked: list[str | int], token: str) -> str:
        where = json_pointer(tuple(walked)) or "the document root"
        if isinstance(node, dict):
            close = difflib.get_close_matches(token, [str(k) for k in node], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return f"{ref!r} does not resolve: {where} has no {token!r}{hint}"
        return f"{ref!r} does not resolve: {where} is not an object or list"

    def resolve(self, node: Any, loc: Loc) -> tuple[Any, Loc]:
        """Follow `$ref`s from `node`; an unresolvable or circular chain gives (None, loc of the ref)."""
        seen: set[tuple[int, str]] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            key = (id(loc.source), ref)
            if key in seen:
                return None, loc
            seen.add(key)
            found = self.lookup(ref, loc.source)
            if isinstance(found, RefFailure):
                return None, loc
            node, loc = found
        return node, loc

    # -- the index ------------------------------------------------------------------------------

    @cached_property
    def index(self) -> Index:
        """One walk over everything reachable from the root file (built on first use)."""
        return _Walker(self).run()

    @property
    def operations(self) -> list[Operation]:
        """Operations under `paths`, `webhooks` and `x-webhooks` (callback operations are in index.operations)."""
        return [op for op in self.index.operations if op.origin != "callbacks"]

    @cached_property
    def operations_by_id(self) -> dict[str, list[Operation]]:
        """Every operation (callbacks included) by operationId, in document order."""
        by_id: dict[str, list[Operation]] = {}
        for op in self.index.operations:
            operation_id = op.node.get("operationId")
            if isinstance(operation_id, str):
                by_id.setdefault(operation_id, []).append(op)
        return by_id

    def parameters(self, op: Operation) -> list[Param]:
        """The operation's effective parameters: path-level ones, overridden by its own (same name/in)."""
        effective: dict[tuple[str, str], Param] = {}
        for owner, owner_loc in ((op.path_item, op.path_item_loc), (op.node, op.loc)):
            listed = owner.get("parameters")
            if not isinstance(listed, list):
                continue
            for i, item in enumerate(listed):
                use = owner_loc / "parameters" / i
                node, loc = self.resolve(item, use)
                if isinstance(node, dict) and isinstance(node.get("name"), str) and isinstance(node.get("in"), str):
                    param = Param(node, loc, use)
                    effective[param.key] = param
        return list(effective.values())

    def iter_responses(self, op: Operation) -> Iterator[tuple[str, dict[str, Any], Loc, Loc]]:
        """(status code, resolved response, its loc, loc of the entry under `responses`)."""
        responses = op.node.get("responses")
        if not isinstance(responses, dict):
            return
        for code, item in responses.items():
            if str(code).startswith("x-"):
                continue
            use = op.loc / "responses" / code
            node, loc = self.resolve(item, use)
            if isinstance(node, dict):
                yield str(code), node, loc, use


# Sections walked like `paths`: 3.1's webhooks and the x-webhooks extension (GitHub, Redocly, ...).
WEBHOOK_SECTIONS = ("webhooks", "x-webhooks")


class _Walker:
    """Walks the OpenAPI object graph once, typed, following each `$ref` target once per role.

    Phase one starts at `paths`, `webhooks` and `x-webhooks`; everything it reaches in the root
    file's `components` is "used". Phase two then walks the components not reached yet, so rules
    still see unused ones. An object reached both from paths and from webhooks or callbacks is
    visited once per role (`inverted`), schemas excepted: their checks do not depend on the role.
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.index = Index()
        self.seen: set[tuple[int, Pointer, bool]] = set()
        self.seen_any: set[tuple[int, Pointer]] = set()
        self.seen_refs: set[tuple[int, Pointer]] = set()
        self.seen_operations: set[tuple[int, Pointer]] = set()
        self.phase_one = True
        self.inverted = False
        self.v31 = spec.version == "3.1"
        self.handlers = {
            "PathItem": self._path_item,
            "Operation": self._operation,
            "Parameter": self._parameter,
            "RequestBody": self._request_body,
            "MediaType": self._media_type,
            "ParameterMediaType": self._media_type,
            "Response": self._response,
            "Header": self._header,
            "Callback": self._callback,
            "Schema": self._schema,
            "Encoding": self._encoding,
        }

    def run(self) -> Index:
        data = self.spec.data
        base = self.spec.loc
        for section in ("paths", *WEBHOOK_SECTIONS):
            items = data.get(section)
            if isinstance(items, dict):
                self.inverted = section != "paths"
                origin = "paths" if section == "paths" else "webhooks"
                for key, item in items.items():
                    if not str(key).startswith("x-"):
                        self.visit("PathItem", item, base / section / key, "any", path=str(key), origin=origin)
        self.inverted = False
        self._security(data.get("security"), base / "security")
        for i, server in _items(data.get("servers")):
            self.visit("Server", server, base / "servers" / i, "any")
        self.phase_one = False
        components = data.get("components")
        if isinstance(components, dict):
            for section, kind in COMPONENT_KINDS.items():
                entries = components.get(section)
                if isinstance(entries, dict):
                    direction = _COMPONENT_DIRECTION.get(section, "any")
                    for name, node in entries.items():
                        self.visit(kind, node, base / "components" / section / name, direction)
        return self.index

    def follow(self, node: Any, loc: Loc) -> tuple[Any, Loc]:
        """Follow a `$ref` chain, recording each reference once; (None, loc) when it breaks."""
        hops: list[tuple[str, Loc]] = []
        holders: list[tuple[int, Pointer]] = []
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str):
                return None, loc  # oas3-schema reports a non-string $ref
            holder = (id(loc.source), loc.pointer)
            if holder in holders:
                # Every reference on the cycle is reported; one that only leads into it is not.
                for cycle_ref, cycle_loc in hops[holders.index(holder):]:
                    self._record(cycle_ref, cycle_loc, RefFailure(
                        f"{cycle_ref!r} is part of a circular chain of $refs that never reaches a definition"))
                for lead_ref, lead_loc in hops[: holders.index(holder)]:
                    self._record(lead_ref, lead_loc, None)
                return None, loc
            hops.append((ref, loc))
            holders.append(holder)
            found = self.spec.lookup(ref, loc.source)
            if isinstance(found, RefFailure):
                for lead_ref, lead_loc in hops[:-1]:
                    self._record(lead_ref, lead_loc, None)
                self._record(ref, loc, found)
                return None, loc
            node, loc = found
            self._mark_used(loc)
        for ref, at in hops:
            self._record(ref, at, None)
        return node, loc

    def _record(self, ref: str, loc: Loc, failure: RefFailure | None) -> None:
        holder = (id(loc.source), loc.pointer)
        if holder not in self.seen_refs:
            self.seen_refs.add(holder)
            self.index.refs.append(RefUse(ref, loc / "$ref", failure))

    def _mark_used(self, target: Loc) -> None:
        pointer = target.pointer
        if self.phase_one and target.source is self.spec.root and len(pointer) >= 3 and pointer[0] == "components":
            self.index.used_components.add((str(pointer[1]), str(pointer[2])))

    def visit(self, kind: str, node: Any, loc: Loc, direction: str, **context: str) -> None:
        written = loc
        if not (kind == "Schema" and self.v31):  # a 3.1 schema keeps $ref as one keyword among others
            node, loc = self.follow(node, loc)
        if not isinstance(node, dict):
            return
        where = (id(loc.source), loc.pointer)
        if not self.phase_one and where in self.seen_any:
            return  # phase two only adds what phase one did not reach, in any role
        key = (where[0], where[1], self.inverted and kind != "Schema")
        if key in self.seen:
            return
        self.seen.add(key)
        visit = Visit(node, loc, direction, self.inverted)
        if where not in self.seen_any:
            self.seen_any.add(where)
            self.index.visits.setdefault(kind, []).append(visit)
            if loc is not written and loc.source is not self.spec.root:
                self.index.external_roots.append((kind, node, loc))
        self.index.role_visits.setdefault(kind, []).append(visit)
        handler = self.handlers.get(kind)
        if handler is not None:
            handler(node, loc, direction, **context)

    def _map(self, kind: str, value: Any, loc: Loc, direction: str, extensions: bool = True) -> None:
        """Visit each entry of a map; `extensions=False` skips `x-` keys (Responses, Paths)."""
        if isinstance(value, dict):
            for name, item in value.items():
                if extensions or not str(name).startswith("x-"):
                    self.visit(kind, item, loc / name, direction)

    def _security(self, requirements: Any, loc: Loc) -> None:
        for i, requirement in _items(requirements):
            if isinstance(requirement, dict):
                self.index.security_requirements.append((requirement, loc / i))
                self.index.used_security.update(str(name) for name in requirement)

    def _path_item(self, node: dict[str, Any], loc: Loc, direction: str, path: str = "",
                   origin: str = "callbacks") -> None:
        for i, param in _items(node.get("parameters")):
            self.visit("Parameter", param, loc / "parameters" / i, "request")
        for i, server in _items(node.get("servers")):
            self.visit("Server", server, loc / "servers" / i, "any")
        for method in HTTP_METHODS:
            op = node.get(method)
            if isinstance(op, dict):
                where = (id(loc.source), (*loc.pointer, method))
                if where not in self.seen_operations:
                    self.seen_operations.add(where)
                    self.index.operations.append(
                        Operation(path, method, op, loc / method, node, loc, origin, self.inverted))
                self.visit("Operation", op, loc / method, "any")

    def _operation(self, node: dict[str, Any], loc: Loc, direction: str) -> None:
        for i, param in _items(node.get("parameters")):
            self.visit("Parameter", param, loc / "parameters" / i, "request")
        if "requestBody" in node:
            self.visit("RequestBody", node["requestBody"], loc / "requestBody", "request")
        self._map("Response", node.get("responses"), loc / "responses", "response", extensions=False)
        # A callback is sent the other way round from the operation that declares it.
        self.inverted = not self.inverted
        self._map("Callback", node.get("callbacks"), loc / "callbacks", "any")
        self.inverted = not self.inverted
        self._security(node.get("security"), loc / "security")
        for i, server in _items(node.get("servers")):
            self.visit("Server", server, loc / "servers" / i, "any")

    def _callback(self, node: dict[str, Any], loc: Loc, direction: str) -> None:
        for expression, item in node.items():
            if not str(expression).startswith("x-"):
                self.visit("PathItem", item, loc / expression, "any", path=str(expression), origin="callbacks")

    def _parameter(self, node: dict[str, Any], loc: Loc, direction: str) -> None:
        if "schema" in node:
            self.visit("Schema", node["schema"], loc / "schema", direction)
        # Parameter/header content is not a message body: its own kind keeps body rules off it.
        self._map("ParameterMediaType", node.get("content"), loc / "content", direction)
        self._map("Example", node.get("examples"), loc / "examples", direction)

    _header = _parameter

    def _request_body(self, node: dict[str, Any], loc: Loc, direction: str) -> None:
        self._map("MediaType", node.get("content"), loc / "content", "request")

    def _media_type(self, node: dict[str, Any], loc: Loc, direction: str) -> None:
        if "schema" in node:
            self.visit("Schema", node["schema"], loc / "schema", direction)
        self._map("Example", node.get("examples"), loc / "examples", direction)
        self._map("Encoding", node.get("encoding"), loc / "encoding", direction)

    def _encoding(self, node: dict[str, Any], loc: Loc, direction: str) -> None:
        self._map("Header", node.get("headers"), loc / "headers", direction)

    def _response(self, node: dict[str, Any], loc: Loc, direction: str) -> None:
        self._map("Header", node.get("headers"), loc / "headers", "response")
        self._map("MediaType", node.get("content"), loc / "content", "response")
        self._map("Link", node.get("links"), loc / "links", "response")

    def _schema(self, node: dict[str, Any], loc: Loc, direction: str) -> None:
        if self.v31 and isinstance(node.get("$ref"), str):
            self._schema_ref(node["$ref"], loc, direction)
        for keyword in _SCHEMA_ONE:
            value = node.get(keyword)
            if isinstance(value, dict):
                self.visit("Schema", value, loc / keyword, direction)
        for keyword in _SCHEMA_MAP:
            self._map("Schema", node.get(keyword), loc / keyword, direction)
        for keyword in _SCHEMA_LIST:
            for i, item in _items(node.get(keyword)):
                self.visit("Schema", item, loc / keyword / i, direction)
        discriminator = node.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict):
            for name, target in discriminator["mapping"].items():
                if isinstance(target, str):
                    # A mapping value is a $ref or a bare schema name; both make that schema "used".
                    # A bare name means a schema of the root document, even when written in another file.
                    ref = target
                    if not ("#" in target or "/" in target or "." in target):
                        ref = f"#/components/schemas/{target}"
                        if loc.source is not self.spec.root:
                            relative = os.path.relpath(self.spec.root.path, loc.source.path.parent)
                            ref = Path(relative).as_posix() + ref
                    holder = loc / "discriminator" / "mapping" / name
                    self._schema_ref(ref, _MappingLoc(holder.source, holder.pointer), direction)

    def _schema_ref(self, ref: str, loc: Loc, direction: str) -> None:
        """Follow a reference written as a schema keyword or a discriminator mapping value."""
        node, target = self.follow({"$ref": ref}, loc)
        if node is not None:
            self.visit("Schema", node, target, direction)


class _MappingLoc(Loc):
    """A discriminator mapping value stands where its `$ref` would: report at the value itself."""

    __slots__ = ()

    def __truediv__(self, key: str | int) -> Loc:
        return Loc(self.source, self.pointer) if key == "$ref" else Loc(self.source, self.pointer + (key,))


def _items(value: Any) -> Iterator[tuple[int, Any]]:
    if isinstance(value, list):
        yield from enumerate(value)
