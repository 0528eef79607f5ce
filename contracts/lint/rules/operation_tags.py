"""Every operation has at least one tag (documentation and reports group operations by tag).

Passing::

    tags:
      - name: tickets
        description: Service tickets.
    paths:
      /tickets:
        get:
          tags: [tickets]
          responses:
            "200":
              description: The tickets.

Failing::

    paths:
      /tickets:
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

ID = "operation-tags"
SEVERITY = Severity.WARN


@register
def check(spec: Spec) -> Iterator[Problem]:
    for op in spec.operations:
        tags = op.node.get("tags")
        if not isinstance(tags, list) or not tags:
            yield spec.problem(ID, op.loc, f"{op.label} has no tags; add one declared in the top-level tags list")
