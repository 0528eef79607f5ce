"""Enum values match the schema's declared `type` (`null` only where the schema is nullable).

Passing::

    components:
      schemas:
        Priority:
          type: integer
          enum: [1, 2, 3]

Failing (`"3"` is a string)::

    components:
      schemas:
        Priority:
          type: integer
          enum: [1, 2, "3"]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register
from contracts.lint.validation import short

ID = "typed-enum"
SEVERITY = Severity.WARN


def _matches(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or (
            isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "null":
        return value is None
    return True  # an unknown type name is oas3-schema's finding


@register
def check(spec: Spec) -> Iterator[Problem]:
    for visit in spec.index.of("Schema"):
        node = visit.node
        values, declared = node.get("enum"), node.get("type")
        if not isinstance(values, list) or declared is None:
            continue
        kinds = [declared] if isinstance(declared, str) else [k for k in declared if isinstance(k, str)] if (
            isinstance(declared, list)) else []
        if not kinds:
            continue
        if node.get("nullable") is True:
            kinds.append("null")
        for i, value in enumerate(values):
            if not any(_matches(value, kind) for kind in kinds):
                if value is None:
                    fix = "add nullable: true" if spec.version == "3.0" else "add \"null\" to the type"
                else:
                    fix = f"write it as a {kinds[0]} or change the type"
                yield spec.problem(ID, visit.loc / "enum" / i,
                                   f"enum value {short(value)} is not of the schema's type {' | '.join(kinds)}; {fix}")
