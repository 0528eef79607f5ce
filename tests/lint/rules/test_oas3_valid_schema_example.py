"""oas3-valid-schema-example: a schema's example/default match it."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "oas3-valid-schema-example"


def test_bad_example_and_default_are_reported_at_the_value() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            Ticket:
              type: object
              properties:
                priority:
                  type: integer
                  minimum: 1
                  maximum: 3
                  example: 5
                  default: high
              example:
                priority: 0
    """
    assert found(text, RULE) == [(RULE, 13, 11), (RULE, 14, 11), (RULE, 16, 9)]


def test_read_only_properties_are_fine_in_schema_examples() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            Ticket:
              type: object
              properties:
                id: {type: integer, readOnly: true}
                secret: {type: string, writeOnly: true}
              example: {id: 1, secret: s3}
            Ref:
              $ref: "#/components/schemas/Ticket"
              example: ignored-next-to-ref
    """
    assert found(text, RULE) == []


def test_3_1_examples_list() -> None:
    text = """
        openapi: 3.1.0
        info: {title: Tickets, version: "1"}
        components:
          schemas:
            Priority:
              type: [integer, "null"]
              examples: [1, null, "high"]
    """
    assert found(text, RULE) == [(RULE, 7, 27)]


def test_one_example_written_as_the_3_1_examples_list_is_one_problem() -> None:
    text = """
        openapi: 3.1.0
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            Labels:
              type: array
              items: {type: string}
              examples: [bug, urgent]
            Sizes:
              type: array
              items: {type: integer}
              examples: [[1, 2], [3, x]]
    """
    assert found(text, RULE) == [(RULE, 9, 7), (RULE, 13, 30)]
    assert problems(text, RULE)[0].message.startswith("schema examples is a list of examples, but this one is a "
                                                      "single example")
