"""No two paths differ only in the names of their parameters (Redocly's `no-identical-paths`).

`/tickets/{id}` and `/tickets/{ticketId}` are the same path to every router; OpenAPI says
such templated paths "MUST NOT exist as they are identical". Reported at the later path. An
error, as in Redocly (Spectral reports the same under `path-params`).

Passing::

    paths:
      /tickets/{ticketId}:
        get:
          parameters:
            - {name: ticketId, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The ticket.

Failing::

    paths:
      /tickets/{id}:
        get:
          parameters:
            - {name: id, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The ticket.
      /tickets/{ticketId}:
        delete:
          parameters:
            - {name: ticketId, in: path, required: true, schema: {type: string}}
          responses:
            "204":
              description: Deleted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "no-identical-paths"
SEVERITY = Severity.ERROR

_TEMPLATE = re.compile(r"\{[^{}]*\}")


@register
def check(spec: Spec) -> Iterator[Problem]:
    paths = spec.data.get("paths")
    if not isinstance(paths, dict):
        return
    base = spec.loc / "paths"
    shapes: dict[str, str] = {}
    for path in paths:
        key = str(path)
        if key.startswith("x-"):
            continue
        shape = _TEMPLATE.sub("{}", key)
        if shape in shapes:
            line, _ = (base / shapes[shape]).position()
            yield spec.problem(
                ID, base / path,
                f"path {key!r} is identical to {shapes[shape]!r} (line {line}): they differ only in parameter "
                f"names, so no router can tell them apart; merge them",
            )
        else:
            shapes[shape] = key
