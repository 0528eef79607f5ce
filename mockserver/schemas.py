"""OpenAPI 3.0 schema objects as JSON Schema, for jsonschema_rs: a fast validity check of many records.

The mock validates fixtures and snapshots with Connexion's Draft 4 validators, which know OpenAPI's
`nullable` and give the messages users read; for tens of thousands of records that takes seconds.
jsonschema_rs (the Rust validator Schemathesis already brings) answers "valid?" in microseconds,
so every record is checked by it, and only an invalid one is explained by the Draft 4 validator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema_rs

# OpenAPI keywords that are no JSON Schema keywords (annotations for validation purposes here).
ANNOTATIONS = frozenset({"nullable", "discriminator", "xml", "externalDocs", "example", "deprecated",
                         "readOnly", "writeOnly",
                         # Connexion puts the spec's components next to a body schema, to resolve refs
                         # from; they hold the schema itself again (a cycle) and validate nothing.
                         "components"})


NAME_MAPS = frozenset({"properties", "patternProperties", "definitions"})
UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
INTEGER_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class Recursive(ValueError):
    """The schema refers to itself (Connexion resolves `$ref`s into shared, possibly cyclic objects)."""


def as_json_schema(node: Any, *, response: bool = True, _path: frozenset[int] = frozenset()) -> Any:
    """A copy of an OpenAPI 3.0 schema (refs already inlined) in JSON Schema Draft 4 terms, meaning
    what Connexion's Draft 4 validators and the mock's format checks make of it.

    `nullable` (and `x-nullable`) admit null in the type and in an enum; in a response (`response`)
    a writeOnly property may not appear; int32/int64 bound the number and uuid is the hyphenated
    form, as the mock's format checks have it (jsonschema_rs would be laxer there).
    """
    if isinstance(node, list):
        return [as_json_schema(item, response=response, _path=_path) for item in node]
    if not isinstance(node, dict):
        return node
    if id(node) in _path:
        raise Recursive("a recursive schema: left to the Draft 4 validators")
    _path = _path | {id(node)}
    if response and (node.get("writeOnly") is True or node.get("x-writeOnly") is True):
        return {"not": {}}
    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key in NAME_MAPS and isinstance(value, dict):  # names, not keywords, live here
            converted[key] = {name: as_json_schema(item, response=response, _path=_path)
                              for name, item in value.items()}
        elif key not in ANNOTATIONS and not key.startswith("x-"):
            converted[key] = as_json_schema(value, response=response, _path=_path)
    form = node["format"] if isinstance(node.get("format"), str) else ""
    if form in INTEGER_BOUNDS:
        low, high = INTEGER_BOUNDS[form]
        converted["minimum"] = max(low, converted.get("minimum", low))
        converted["maximum"] = min(high, converted.get("maximum", high))
    if form == "uuid":
        converted.setdefault("pattern", UUID_PATTERN)
    if node.get("nullable") is True or node.get("x-nullable") is True:
        if "type" in converted:
            types = converted["type"] if isinstance(converted["type"], list) else [converted["type"]]
            converted["type"] = [*types, "null"]
        if "enum" in converted and None not in converted["enum"]:
            converted["enum"] = [*converted["enum"], None]
    return converted


def quick_check(schema: dict[str, Any], *, response: bool = True) -> Callable[[Any], bool]:
    """A function telling whether a value is certainly valid. A schema jsonschema_rs cannot take says
    "check the slow way" (False) for every value; so does a stricter reading of a format: only the
    Draft 4 validators decide that a value is invalid."""
    try:
        validator = jsonschema_rs.Draft4Validator(as_json_schema(schema, response=response), validate_formats=True)
    except (ValueError, jsonschema_rs.ValidationError):
        return lambda value: False
    return validator.is_valid
