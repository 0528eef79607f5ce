"""Path keys contain no query string; query parameters are declared as `in: query` parameters.

Passing::

    paths:
      /tickets:
        get:
          parameters:
            - {name: status, in: query, schema: {type: string}}
          responses:
            "200":
              description: The tickets.

Failing::

    paths:
      /tickets?status=open:
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

ID = "path-not-include-query"
SEVERITY = Severity.ERROR


@register
def check(spec: Spec) -> Iterator[Problem]:
    paths = spec.data.get("paths")
    if isinstance(paths, dict):
        for path in paths:
            key = str(path)
            if key.startswith("x-"):
                continue
            if "?" in key:
                base, _, query = key.partition("?")
                names = ", ".join(repr(part.split("=")[0]) for part in query.split("&") if part) or "them"
                yield spec.problem(
                    ID, spec.loc / "paths" / path,
                    f"path {key!r} contains a query string; use {base!r} and declare {names} as in: query "
                    f"parameters",
                )
