"""operation-operationId-unique: the second use of an operationId is reported."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "operation-operationId-unique"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets:
        get:
          operationId: tickets
          responses:
            "200": {description: The tickets.}
      /tickets/{id}:
        get:
          operationId: tickets
          responses:
            "200": {description: The ticket.}
"""


def test_duplicate_is_reported_at_the_second_operation_id() -> None:
    assert found(TEXT, RULE) == [(RULE, 11, 7)]
    assert "already used by GET /tickets (line 6)" in problems(TEXT, RULE)[0].message


def test_unique_ids_pass() -> None:
    unique = TEXT.replace("tickets\n          responses:\n            \"200\": {description: The ticket.}",
                          "getTicket\n          responses:\n            \"200\": {description: The ticket.}")
    assert found(unique, RULE) == []
