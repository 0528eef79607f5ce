"""typed-enum: enum values match the declared type."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "typed-enum"


def test_values_of_another_type_are_reported() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            Priority:
              type: integer
              enum: [1, 2, "3", null]
            Status:
              type: string
              nullable: true
              enum: [open, null, true]
    """
    assert found(text, RULE) == [(RULE, 8, 20), (RULE, 8, 25), (RULE, 12, 26)]
    assert "add nullable: true" in problems(text, RULE)[1].message


def test_matching_values_pass() -> None:
    text = """
        openapi: 3.1.0
        info: {title: Tickets, version: "1"}
        components:
          schemas:
            Priority:
              type: [number, "null"]
              enum: [1, 2.5, null]
    """
    assert found(text, RULE) == []
