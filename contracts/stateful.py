"""One adjustment to Schemathesis' stateful phase: optional foreign keys do not disqualify a root.

Schemathesis 4.32 starts its stateful scenarios only from operations it judges "likely to
succeed": an operation with any input that looks like a foreign key to a resource no operation
produces is judged unlikely. It counts optional inputs too, so Bob! Desk's `POST /tickets` (an
optional `client_id`) and Flow Retail's create are never used as a starting point, and the phase
never runs create -> read -> transition. We count only required inputs. Everything else about the
stateful phase (links, generation, checks) is Schemathesis' own.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from mockserver.spec import resolve_ref

_ORIGINAL: Any = None


def required_names(operation: Any) -> set[str | int]:
    """Names of the operation's required parameters and required top-level body fields."""
    names: set[str | int] = {p.name for p in operation.iter_parameters() if p.is_required}
    raw = operation.definition.raw
    spec = operation.schema.raw_schema
    body = resolve_ref(spec, raw.get("requestBody") or {})
    for content in (body.get("content") or {}).values():
        schema = resolve_ref(spec, content.get("schema") or {})
        names.update(schema.get("required", []))
        for part in schema.get("allOf", []):
            names.update(resolve_ref(spec, part).get("required", []))
    return names


def is_likely_root(operation: Any, node: Any, produced_anywhere: set[str]) -> bool:
    if node is not None:
        required = required_names(operation)
        node = dataclasses.replace(node, inputs=[slot for slot in node.inputs
                                                 if isinstance(slot.parameter_name, int)
                                                 or slot.parameter_name in required])
    return bool(_ORIGINAL(operation, node, produced_anywhere))


def install() -> None:
    """Apply the adjustment once per process (idempotent)."""
    global _ORIGINAL
    from schemathesis.specs.openapi import stateful

    if _ORIGINAL is None:
        _ORIGINAL = stateful.is_likely_root_transition
        stateful.is_likely_root_transition = is_likely_root
