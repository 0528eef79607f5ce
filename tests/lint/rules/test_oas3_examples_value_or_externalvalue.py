"""oas3-examples-value-or-externalValue: an Example has value or externalValue, not both, not neither."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "oas3-examples-value-or-externalValue"


def test_neither_and_both_wherever_examples_are_written() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              parameters:
                - name: limit
                  in: query
                  schema: {type: integer}
                  examples:
                    small: {summary: A small page}
              responses:
                "200":
                  description: The tickets.
                  content:
                    application/json:
                      schema: {type: array}
                      examples:
                        listed: {$ref: "#/components/examples/Listed"}
                        empty: {value: []}
        components:
          examples:
            Listed:
              value: [T-1]
              externalValue: https://example.com/tickets.json
            Remote:
              externalValue: https://example.com/ticket.json
    """
    assert found(text, RULE) == [(RULE, 11, 13), (RULE, 25, 7)]
    messages = [p.message for p in problems(text, RULE)]
    assert messages == [
        "example 'small' has neither value nor externalValue; add the value (or externalValue: a URL of it)",
        "example 'Listed' has both value and externalValue, which exclude each other; keep one",
    ]
