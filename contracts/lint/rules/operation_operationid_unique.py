"""No two operations share an operationId (callback operations included).

Passing::

    paths:
      /tickets:
        get:
          operationId: listTickets
          responses:
            "200":
              description: The tickets.
        post:
          operationId: createTicket
          responses:
            "201":
              description: Created.

Failing::

    paths:
      /tickets:
        get:
          operationId: tickets
          responses:
            "200":
              description: The tickets.
        post:
          operationId: tickets
          responses:
            "201":
              description: Created.
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "operation-operationId-unique"
SEVERITY = Severity.ERROR


@register
def check(spec: Spec) -> Iterator[Problem]:
    for operation_id, ops in spec.operations_by_id.items():
        first = ops[0]
        line, _ = (first.loc / "operationId").position()
        for op in ops[1:]:
            yield spec.problem(
                ID, op.loc / "operationId",
                f"operationId {operation_id!r} of {op.method.upper()} {op.path} is already used by "
                f"{first.method.upper()} {first.path} (line {line}); give each operation its own id",
            )
