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
                         "readOnly", "writeOnly"})


def as_json_schema(node: Any) -> Any:
    """A copy of an OpenAPI 3.0 schema (refs already inlined) in JSON Schema Draft 4 terms.

    `nullable: true` admits null as Connexion's validators do: in the type and in an enum.
    """
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items()
                 if key not in ANNOTATIONS and not key.startswith("x-")}
    for keyword in ("properties", "patternProperties", "definitions"):  # names, not keywords, live here
        if isinstance(node.get(keyword), dict):
            converted[keyword] = {name: as_json_schema(value) for name, value in node[keyword].items()}
    if node.get("nullable") is True:
        if "type" in converted:
            types = converted["type"] if isinstance(converted["type"], list) else [converted["type"]]
            converted["type"] = [*types, "null"]
        if "enum" in converted and None not in converted["enum"]:
            converted["enum"] = [*converted["enum"], None]
    return converted


def quick_check(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """A function telling whether a value is valid; a schema jsonschema_rs cannot take says "check
    the slow way" (False) for every value rather than failing."""
    try:
        validator = jsonschema_rs.Draft4Validator(as_json_schema(schema), validate_formats=True)
    except (ValueError, jsonschema_rs.ValidationError):
        return lambda value: False
    return validator.is_valid
