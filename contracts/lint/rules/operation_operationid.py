"""Every operation has an operationId.

A warning, as in Spectral and Redocly (which agree on it): the document is valid without one, but the
mock routes requests by operationId, links and contract tests name operations by it, so add one.

Passing::

    paths:
      /tickets:
        get:
          operationId: listTickets
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

ID = "operation-operationId"
SEVERITY = Severity.WARN


@register
def check(spec: Spec) -> Iterator[Problem]:
    for op in spec.operations:
        operation_id = op.node.get("operationId")
        if operation_id is None or (isinstance(operation_id, str) and not operation_id.strip()):
            yield spec.problem(
                ID, op.loc,
                f"{op.method.upper()} {op.path} has no operationId; add one that is unique in the document "
                f"(the mock and the contract tests key on it)",
            )
