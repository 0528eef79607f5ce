"""Path keys do not end with a slash (`/tickets/` and `/tickets` are different paths to most servers).

Passing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.

Failing::

    paths:
      /tickets/:
        get:
          responses:
            "200":
              description: The tickets.
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "path-keys-no-trailing-slash"
SEVERITY = Severity.WARN


@register
def check(spec: Spec) -> Iterator[Problem]:
    paths = spec.data.get("paths")
    if isinstance(paths, dict):
        for path in paths:
            key = str(path)
            if key.startswith("x-"):
                continue
            if len(key) > 1 and key.endswith("/"):
                yield spec.problem(ID, spec.loc / "paths" / path,
                                   f"path {key!r} ends with a slash; write {key.rstrip('/') or '/'!r}")
