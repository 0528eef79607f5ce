"""Every tag an operation uses is declared in the top-level `tags` list.

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

    tags:
      - name: tickets
        description: Service tickets.
    paths:
      /tickets:
        get:
          tags: [ticket]
          responses:
            "200":
              description: The tickets.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "operation-tag-defined"
SEVERITY = Severity.WARN


@register
def check(spec: Spec) -> Iterator[Problem]:
    listed = spec.data.get("tags")
    declared = [
        tag["name"] for tag in (listed if isinstance(listed, list) else [])
        if isinstance(tag, dict) and isinstance(tag.get("name"), str)
    ]
    for op in spec.operations:
        tags = op.node.get("tags")
        if not isinstance(tags, list):
            continue
        for i, tag in enumerate(tags):
            if isinstance(tag, str) and tag not in declared:
                close = difflib.get_close_matches(tag, declared, n=1)
                fix = f"did you mean {close[0]!r}?" if close else "declare it in the top-level tags list"
                yield spec.problem(ID, op.loc / "tags" / i, f"tag {tag!r} of {op.label} is not declared; {fix}")
