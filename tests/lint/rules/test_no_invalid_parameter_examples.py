"""no-invalid-parameter-examples: parameter and header examples match their schema."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "no-invalid-parameter-examples"


def test_parameter_header_and_content_examples() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              parameters:
                - name: limit
                  in: query
                  schema: {type: integer, maximum: 100}
                  example: 500
                - name: filter
                  in: query
                  content:
                    application/json:
                      schema: {type: object, properties: {status: {enum: [open, closed]}}}
                      example: {status: shut}
              responses:
                "200":
                  description: OK.
                  headers:
                    X-Rate-Limit:
                      schema: {type: integer}
                      examples:
                        typical: {value: many}
    """
    assert found(text, RULE) == [(RULE, 10, 11), (RULE, 16, 25), (RULE, 24, 27)]


def test_valid_examples_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              parameters:
                - name: limit
                  in: query
                  schema: {type: integer, maximum: 100}
                  example: 50
              responses:
                "200": {description: OK.}
    """
    assert found(text, RULE) == []
