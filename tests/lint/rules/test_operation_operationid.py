"""operation-operationId: every operation has an operationId."""

from __future__ import annotations

from contracts.lint.model import Severity
from tests.lint.helpers import found, problems

RULE = "operation-operationId"


def test_missing_operation_id_is_reported_at_the_operation() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              responses:
                "200": {description: The tickets.}
            post:
              operationId: "  "
              responses:
                "201": {description: Created.}
    """
    assert found(text, RULE) == [(RULE, 5, 5), (RULE, 8, 5)]
    assert {p.severity for p in problems(text, RULE)} == {Severity.WARN}  # as in Spectral and Redocly


def test_operation_with_id_passes() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              operationId: listTickets
              responses:
                "200": {description: The tickets.}
    """
    assert found(text, RULE) == []
