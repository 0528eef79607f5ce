"""nullable-type-sibling: in 3.0, `nullable` needs a `type` in the same schema; reported once, not per example."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "nullable-type-sibling"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets/{id}:
        get:
          responses:
            "200":
              description: The ticket.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Ticket"}
                  example: {owner: null, closedAt: null, note: null}
    components:
      schemas:
        Ticket:
          type: object
          properties:
            owner:
              nullable: true
              allOf: [{$ref: "#/components/schemas/User"}]
            closedAt: {type: string, format: date-time, nullable: true}
            note: {nullable: false}
        User: {type: object}
"""


def test_nullable_without_type_is_reported_at_nullable() -> None:
    assert found(TEXT, RULE) == [(RULE, 19, 11), (RULE, 22, 16)]
    assert "e.g. type: object beside allOf" in problems(TEXT, RULE)[0].message


def test_the_null_example_is_not_reported_again() -> None:
    # The author meant "a User or null": the example follows that meaning, so one cause stays one problem.
    assert found(TEXT, "oas3-valid-media-example") == []


def test_not_checked_in_3_1() -> None:
    assert found(TEXT.replace("openapi: 3.0.3", "openapi: 3.1.0"), RULE) == []
