"""The document is structurally valid against the official OpenAPI 3.0 / 3.1 JSON schema.

Every violation is reported, each at the node it concerns (an unknown field at that field),
not only the first one. Where the schema offers alternatives (a Schema or a Reference, the
four kinds of Parameter) the message explains the alternative the node most likely meant.
Same id as Spectral's `oas3-schema` (Redocly calls it `struct`).

Passing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.

Objects in other files reached by `$ref` are validated too, against the OpenAPI object their
use implies (a `$ref` under `parameters` must name a Parameter), and reported in their own file.

In OpenAPI 3.1 a schema is JSON Schema 2020-12, where `nullable` is no keyword (3.1 removed
it): the official schema lets it pass, silently meaning nothing, so it is reported here, at the
keyword, as Redocly's `struct` does.

Failing (`summry` is not an Operation field; the response lacks its description)::

    paths:
      /tickets:
        get:
          summry: List tickets
          responses:
            "200": {}
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from contracts.lint.document import Loc, Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register
from contracts.lint.validation import explain, flatten

if TYPE_CHECKING:
    from jsonschema_rs import ValidationError

ID = "oas3-schema"
SEVERITY = Severity.ERROR

_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
# 3.0's schema closes objects with additionalProperties, 3.1's with unevaluatedProperties.
_AMBIGUOUS = jsonschema_rs.ValidationErrorKind.OneOfMultipleValid
_UNKNOWN_FIELDS = (jsonschema_rs.ValidationErrorKind.AdditionalProperties,
                   jsonschema_rs.ValidationErrorKind.UnevaluatedProperties)


@functools.lru_cache(maxsize=2)
def _schema(version: str) -> dict[str, Any]:
    with open(_SCHEMAS / f"oas-{version}.json", encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=2)
def _validator(version: str) -> jsonschema_rs.Validator:
    # Formats stay off: the schema's `format: regex` would judge ECMA-262 patterns by Rust's engine.
    return jsonschema_rs.validator_for(_schema(version), validate_formats=False)


def _definition(schema_path: list[str | int]) -> str:
    """The OpenAPI object an error is about: the last `definitions/<Name>` on its schema path."""
    name = ""
    for i, token in enumerate(schema_path[:-1]):
        if token in ("definitions", "$defs"):
            name = str(schema_path[i + 1])
    return name


def _allowed_fields(version: str, schema_path: list[str | int], base: tuple[str, ...]) -> list[str]:
    node: Any = _schema(version)
    # Paths through a $ref are absolute (definitions/...); others are relative to the validated definition.
    path = schema_path if schema_path[:1] in (["definitions"], ["$defs"]) else [*base, *schema_path]
    for token in path[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            return []
    properties = node.get("properties") if isinstance(node, dict) else None
    return list(properties) if isinstance(properties, dict) else []


# The definition each kind of referenced object is validated against, when it lives in another file.
_DEFINITIONS = {
    "3.0": {kind: ("definitions", kind) for kind in (
        "Schema", "Parameter", "RequestBody", "MediaType", "Response", "Header", "Example", "Link", "Callback",
        "PathItem", "SecurityScheme", "Operation", "Server", "Encoding")},
    "3.1": {kind: ("$defs", name) for kind, name in (
        ("Parameter", "parameter"), ("RequestBody", "request-body"), ("MediaType", "media-type"),
        ("Response", "response"), ("Header", "header"), ("Example", "example"), ("Link", "link"),
        ("Callback", "callbacks"), ("PathItem", "path-item"), ("SecurityScheme", "security-scheme"),
        ("Server", "server"), ("Encoding", "encoding"))},
}
_DEFINITIONS["3.0"]["ParameterMediaType"] = ("definitions", "MediaType")
_DEFINITIONS["3.1"]["ParameterMediaType"] = ("$defs", "media-type")


@functools.lru_cache(maxsize=2)
def _definition_validators(version: str) -> jsonschema_rs.ValidatorMap:
    # ~0.15 s to build: only documents that reference other files pay for it.
    return jsonschema_rs.validator_map_for(_schema(version), validate_formats=False)


def _problems(spec: Spec, errors: Iterable[ValidationError], base: Loc, definition: tuple[str, ...],
              label: str, seen: set[tuple[Any, ...]]) -> Iterator[Problem]:
    version = spec.version
    leaves = [leaf for error in errors for leaf in flatten(error)]
    # "Valid under more than one alternative" only echoes another error at the same node (a
    # Parameter without `in` matches the query, header and cookie variants alike): keep the cause.
    explained = {tuple(leaf.instance_path) for leaf in leaves if not isinstance(leaf.kind, _AMBIGUOUS)}
    for leaf in leaves:
        if isinstance(leaf.kind, _AMBIGUOUS) and tuple(leaf.instance_path) in explained:
            continue
        where = _definition(list(leaf.schema_path)) or label
        prefix = f"{where}: " if where else ""
        if isinstance(leaf.kind, _UNKNOWN_FIELDS):
            allowed = _allowed_fields(version, list(leaf.schema_path), definition)
            for key in leaf.kind.unexpected:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean {close[0]!r}?" if close else "extensions must start with 'x-'"
                found = (base.source.display, (*base.pointer, *leaf.instance_path, key),
                         f"{prefix}unknown field {key!r}; {hint}")
                if found not in seen:
                    seen.add(found)
                    yield spec.problem(ID, Loc(base.source, found[1]), found[2])
            continue
        for path, message in explain(leaf):
            found = (base.source.display, (*base.pointer, *path), f"{prefix}{message}")
            if found not in seen:
                seen.add(found)
                yield spec.problem(ID, Loc(base.source, found[1]), found[2])


@register
def check(spec: Spec) -> Iterator[Problem]:
    version = spec.version
    seen: set[tuple[Any, ...]] = set()
    yield from _problems(spec, _validator(version).iter_errors(spec.data), spec.loc, (), "", seen)
    # Objects that live in other files are validated against the definition their use implies.
    for kind, node, loc in spec.index.external_roots:
        definition = _DEFINITIONS[version].get(kind)
        if definition is None:
            continue
        validator = _definition_validators(version)["#/" + "/".join(definition)]
        yield from _problems(spec, validator.iter_errors(node), loc, definition, definition[1], seen)
    if version == "3.1":
        for visit in spec.index.of("Schema"):
            if "nullable" in visit.node:
                declared = visit.node.get("type")
                types = [declared] if isinstance(declared, str) else declared if isinstance(declared, list) else []
                fix = (f"write type: {json.dumps([*types, 'null'])}" if types and "null" not in types
                       else "write \"null\" in the type list")
                yield spec.problem(ID, visit.loc / "nullable",
                                   f"nullable is not an OpenAPI 3.1 keyword (3.1 schemas are JSON Schema 2020-12) and "
                                   f"means nothing here; {fix} and remove nullable")
