"""no-$ref-siblings: in 3.0 nothing is written next to a $ref (x-lint-ignore excepted); 3.1 is not checked."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "no-$ref-siblings"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets:
        get:
          parameters:
            - $ref: "#/components/parameters/Limit"
              required: true
          responses:
            "200":
              $ref: "#/components/responses/Tickets"
              x-lint-ignore: [no-unresolved-refs]
    components:
      parameters:
        Limit: {name: limit, in: query, schema: {type: integer}}
      responses:
        Tickets: {description: The tickets.}
      schemas:
        Ticket:
          type: object
          properties:
            owner:
              $ref: "#/components/schemas/User"
              description: Who reported it.
              readOnly: true
        User: {type: object}
"""


def test_siblings_are_reported_at_each_sibling() -> None:
    assert found(TEXT, RULE) == [(RULE, 8, 11), (RULE, 24, 11), (RULE, 25, 11)]
    assert problems(TEXT, RULE)[1].message.startswith("'description' is written next to $ref, where OpenAPI 3.0 "
                                                      "ignores it")


def test_3_1_allows_siblings() -> None:
    assert found(TEXT.replace("openapi: 3.0.3", "openapi: 3.1.0"), RULE) == []
