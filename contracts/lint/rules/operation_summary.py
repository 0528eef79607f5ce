"""Every operation has a non-empty summary (Redocly's `operation-summary`).

Passing::

    paths:
      /tickets:
        get:
          summary: List tickets
          responses:
            "200":
              description: The tickets.

Failing::

    paths:
      /tickets:
        get:
          description: Lists tickets.
          responses:
            "200":
              description: The tickets.
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "operation-summary"
SEVERITY = Severity.WARN


@register
def check(spec: Spec) -> Iterator[Problem]:
    for op in spec.operations:
        summary = op.node.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            yield spec.problem(ID, op.loc, f"{op.label} has no summary; add a one-line summary of what it does")
