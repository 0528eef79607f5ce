"""mock-error-schema: every error response has a body schema."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "mock-error-schema"


def test_error_responses_without_schema() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              responses:
                "200": {description: OK.}
                "404": {$ref: "#/components/responses/NotFound"}
                default:
                  description: Error.
                  content:
                    application/json: {}
            post:
              responses:
                "201": {description: Created.}
                "404": {$ref: "#/components/responses/NotFound"}
            head:
              responses:
                "200": {description: OK.}
                "404": {description: Not found.}
        components:
          responses:
            NotFound:
              description: Not found.
    """
    # The shared component is reported once, where it is written; HEAD responses are skipped.
    assert found(text, RULE) == [(RULE, 12, 13), (RULE, 23, 5)]


def test_error_responses_with_schema_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              responses:
                "200": {description: OK.}
                4XX:
                  description: Client error.
                  content:
                    application/problem+json:
                      schema: {type: object}
    """
    assert found(text, RULE) == []
