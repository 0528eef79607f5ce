"""Runtime expressions of OpenAPI links, and walking a JSON pointer through a schema."""

# The expression grammar is OpenAPI 3.0.3 section 4.7.20.4, plus Schemathesis' `#regex:` suffix
# on header sources (`$response.header.Location#regex:/tickets/(.+)$`), which specs/README.md uses.

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from contracts.lint.document import Loc, Operation, Spec

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_POINTER_TOKEN = re.compile(r"(?:[^~]|~[01])*\Z")
_EMBEDDED = re.compile(r"\{(\$[^{}]*)\}")
_SOURCES = ("header", "query", "path", "body")


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed runtime expression; `side` is request/response, or "" for $url/$method/$statusCode."""

    text: str
    side: str = ""
    source: str = ""
    name: str = ""
    pointer: tuple[str, ...] | None = None
    regex: str | None = None


def parse_expression(text: str) -> Expression:
    """Parse one runtime expression; ValueError says what is wrong with it."""
    if text in ("$url", "$method", "$statusCode"):
        return Expression(text)
    side, dot, rest = text[1:].partition(".")
    if not text.startswith("$") or side not in ("request", "response") or not dot:
        raise ValueError("an expression starts with $url, $method, $statusCode, $request. or $response.")
    source, _, name = rest.partition(".")
    if rest.startswith("body"):
        after = rest[4:]
        if after == "":
            return Expression(text, side, "body")
        if not after.startswith("#"):
            raise ValueError("a body source is `body` or `body#/json/pointer`")
        pointer = after[1:]
        if pointer and not pointer.startswith("/"):
            raise ValueError(f"JSON pointer {pointer!r} must start with '/'")
        tokens = pointer.split("/")[1:] if pointer else []
        for token in tokens:
            if not _POINTER_TOKEN.match(token):
                raise ValueError(f"JSON pointer token {token!r} has a '~' not followed by 0 or 1")
        return Expression(text, side, "body", pointer=tuple(t.replace("~1", "/").replace("~0", "~") for t in tokens))
    if source not in _SOURCES:
        raise ValueError(f"unknown source {source!r}; use header., query., path. or body")
    if not name:
        raise ValueError(f"{source}. needs a name")
    regex = None
    if source == "header":
        name, marker, regex_text = name.partition("#regex:")
        if marker:
            try:
                re.compile(regex_text)
            except re.error as exc:
                raise ValueError(f"the #regex: pattern does not compile: {exc}") from None
            regex = regex_text
        if not _TOKEN.match(name):
            raise ValueError(f"header name {name!r} is not an HTTP token")
    return Expression(text, side, source, name, regex=regex)


def iter_expressions(value: Any, loc: Loc) -> Iterator[tuple[str, Loc]]:
    """Every expression written in a link value: a whole `$...` string, or `{$...}` embedded in text."""
    if isinstance(value, str):
        if value.startswith("$"):
            yield value, loc
        else:
            for match in _EMBEDDED.finditer(value):
                yield match.group(1), loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from iter_expressions(item, loc / key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_expressions(item, loc / i)


def link_target(spec: Spec, link: dict[str, Any], loc: Loc) -> Operation | None:
    """The operation a link points at by operationId or operationRef, if it exists."""
    operation_id = link.get("operationId")
    if isinstance(operation_id, str):
        ops = spec.operations_by_id.get(operation_id)
        return ops[0] if ops else None
    ref = link.get("operationRef")
    if isinstance(ref, str):
        found = spec.lookup(ref, loc.source)
        if isinstance(found, tuple):
            _, where = found
            for op in spec.index.operations:
                if op.loc == where:
                    return op
    return None


@dataclass(frozen=True, slots=True)
class SchemaStep:
    """Result of walking a pointer through a schema: found (node, loc), unknown, or missing."""

    status: str
    node: Any = None
    loc: Loc | None = None
    written: Loc | None = None  # where the last step is written (a property entry, before its $ref)
    token: str = ""
    known: tuple[str, ...] = ()


def variants(spec: Spec, node: Any, loc: Loc, depth: int = 0) -> Iterator[tuple[dict[str, Any], Loc]]:
    """A schema (resolved) and, recursively, its allOf/oneOf/anyOf members."""
    node, loc = spec.resolve(node, loc)
    if not isinstance(node, dict) or depth > 8:
        return
    yield node, loc
    for keyword in ("allOf", "oneOf", "anyOf"):
        members = node.get(keyword)
        if isinstance(members, list):
            for i, member in enumerate(members):
                yield from variants(spec, member, loc / keyword / i, depth + 1)


def schema_at(spec: Spec, schema: Any, loc: Loc, tokens: tuple[str, ...]) -> SchemaStep:
    """Follow JSON-pointer `tokens` (into an instance) through `schema` and its allOf/oneOf/anyOf."""
    node, where = spec.resolve(schema, loc)
    written = loc
    for token in tokens:
        if node is None:
            return SchemaStep("unknown")
        found: tuple[Any, Loc] | None = None
        entry = where
        declared: list[str] = []
        open_ended = False
        for variant, at in variants(spec, node, where):
            properties = variant.get("properties")
            if isinstance(properties, dict):
                declared.extend(str(k) for k in properties)
                if token in properties:
                    entry = at / "properties" / token
                    found = spec.resolve(properties[token], entry)
                    break
            if token.isdigit() and isinstance(variant.get("items"), dict):
                entry = at / "items"
                found = spec.resolve(variant["items"], entry)
                break
            extra = variant.get("additionalProperties")
            if isinstance(extra, dict) and not token.isdigit():
                entry = at / "additionalProperties"
                found = spec.resolve(extra, entry)
                break
            if extra is True or "patternProperties" in variant:
                open_ended = True
        if found is None:
            if declared and not open_ended:
                return SchemaStep("missing", token=token, known=tuple(dict.fromkeys(declared)))
            return SchemaStep("unknown")
        node, where = found
        written = entry
    return SchemaStep("found", node, where, written)
