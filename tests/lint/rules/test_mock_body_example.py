"""mock-body-example: request and response bodies carry an example."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "mock-body-example"


def test_bodies_without_examples() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            post:
              requestBody:
                content:
                  application/json:
                    schema: {type: object}
              responses:
                "201":
                  description: Created.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Ticket"}
                "400":
                  description: Bad.
                  content:
                    application/json:
                      schema: {type: object}
                      example: {message: bad}
        components:
          schemas:
            Ticket: {type: object}
    """
    assert found(text, RULE) == [(RULE, 8, 11), (RULE, 14, 13)]


def test_media_schema_and_binary_examples_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              responses:
                "200":
                  description: OK.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Ticket"}
                    application/pdf:
                      schema: {type: string, format: binary}
                    text/plain: {}
                "404":
                  description: Not found.
                  content:
                    application/json:
                      schema: {type: object}
                      examples:
                        missing: {value: {}}
        components:
          schemas:
            Ticket: {type: object, example: {}}
    """
    assert found(text, RULE) == []
