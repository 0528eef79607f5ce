"""Every request body and every response body has an example, so a mock can serve it as written.

A body (a media type with a schema) counts as exemplified when the media type has `example`
or a non-empty `examples`, or its top-level schema has an `example` (3.1: `examples`).
Media types without a schema and binary bodies (`type: string, format: binary`) are skipped:
there is nothing JSON-shaped to show; so are the bodies of webhooks and callbacks, which the API
sends rather than serves. A body shared by both is checked for its path use. Our own rule (no
Spectral/Redocly equivalent).

Passing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.
              content:
                application/json:
                  schema: {type: array, items: {type: string}}
                  example: [T-1001, T-1002]

Failing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.
              content:
                application/json:
                  schema: {type: array, items: {type: string}}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from contracts.lint.document import Loc, Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "mock-body-example"
SEVERITY = Severity.WARN


def _exemplified(spec: Spec, media: dict[str, Any], loc: Loc) -> bool:
    if "example" in media or (isinstance(media.get("examples"), dict) and media["examples"]):
        return True
    schema, _ = spec.resolve(media["schema"], loc / "schema")
    if not isinstance(schema, dict):
        return True  # broken $ref: no-unresolved-refs says so
    if schema.get("type") == "string" and schema.get("format") == "binary":
        return True
    return "example" in schema or bool(schema.get("examples"))


@register
def check(spec: Spec) -> Iterator[Problem]:
    seen: set[tuple[int, tuple[str | int, ...]]] = set()
    for visit in spec.index.roles("MediaType"):
        if visit.inverted or visit.direction not in ("request", "response") or "schema" not in visit.node:
            continue
        where = (id(visit.loc.source), visit.loc.pointer)
        if where in seen:
            continue
        seen.add(where)
        if _exemplified(spec, visit.node, visit.loc):
            continue
        media = visit.loc.pointer[-1] if visit.loc.pointer else "?"
        body = "request body" if visit.direction == "request" else "response body"
        yield spec.problem(ID, visit.loc, f"{body} {media!r} has no example; add `example:` next to its schema "
                                          f"so the mock can serve it")
