"""oas3-valid-media-example: media-type examples match their schema, direction-aware."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "oas3-valid-media-example"

TICKET = """
    components:
      schemas:
        Ticket:
          type: object
          required: [id, title, secret]
          properties:
            id: {type: integer, readOnly: true}
            title: {type: string, maxLength: 20}
            secret: {type: string, writeOnly: true}
            closedAt: {type: string, format: date-time, nullable: true}
"""


def _spec(request_example: str, response_example: str) -> str:
    return f"""
        openapi: 3.0.3
        info: {{title: Tickets, version: "1"}}
        paths:
          /tickets:
            post:
              requestBody:
                content:
                  application/json:
                    schema: {{$ref: "#/components/schemas/Ticket"}}
                    example: {request_example}
              responses:
                "201":
                  description: Created.
                  content:
                    application/json:
                      schema: {{$ref: "#/components/schemas/Ticket"}}
                      example: {response_example}
    """ + TICKET.replace("\n    ", "\n        ")


def test_read_only_in_request_and_write_only_in_response_are_errors() -> None:
    text = _spec("{id: 1, title: Leak, secret: s3}", "{id: 1, title: Leak, secret: s3}")
    assert found(text, RULE) == [(RULE, 10, 23), (RULE, 17, 45)]
    messages = [p.message for p in problems(text, RULE)]
    assert "readOnly property 'id' must not appear in a request example" in messages[0]
    assert "writeOnly property 'secret' must not appear in a response example" in messages[1]


def test_required_read_only_and_write_only_may_be_left_out_by_direction() -> None:
    # The request omits the required readOnly `id`, the response the required writeOnly `secret`;
    # `closedAt: null` is fine because the property is nullable.
    text = _spec("{title: Leak, secret: s3}", "{id: 1, title: Leak, closedAt: null}")
    assert found(text, RULE) == []


def test_each_error_points_inside_the_example() -> None:
    text = _spec("{title: Leak, secret: s3}", "{id: one, title: Leak, closedAt: yesterday}")
    assert found(text, RULE) == [(RULE, 17, 25), (RULE, 17, 47)]
    messages = [p.message for p in problems(text, RULE)]
    assert 'expected integer, got string "one"' in messages[0]
    assert '"yesterday" is not a "date-time"' in messages[1]


def test_named_examples_and_referenced_component_examples() -> None:
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
                      schema: {type: array, items: {type: string}}
                      examples:
                        inline:
                          value: [a, 2]
                        shared:
                          $ref: "#/components/examples/Shared"
        components:
          examples:
            Shared:
              value: [b, false]
    """
    # The referenced example's problem points into the component, where the bad value is written.
    assert found(text, RULE) == [(RULE, 14, 30), (RULE, 20, 18)]


def test_non_json_string_examples_are_not_parsed() -> None:
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
                    application/xml:
                      schema: {type: object, properties: {id: {type: integer}}}
                      example: "<ticket><id>1</id></ticket>"
    """
    assert found(text, RULE) == []


def test_unquoted_dates_are_strings_as_in_json() -> None:
    # YAML 1.1 loaders turn 2025-11-03 into a date object and then fail `format: date`; JSON has no
    # date type, so the example is the string it looks like.
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
                      schema: {type: object, properties: {due: {type: string, format: date}}}
                      example: {due: 2025-11-03}
    """
    assert found(text, RULE) == []


def test_3_1_webhooks_and_type_lists() -> None:
    text = """
        openapi: 3.1.0
        info: {title: Tickets, version: "1"}
        webhooks:
          ticketClosed:
            post:
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        closedAt: {type: [string, "null"], format: date-time}
                        id: {type: string, readOnly: true}
                        secret: {type: string, writeOnly: true}
                    example: {closedAt: null, id: T-1, secret: s}
              responses:
                "200": {description: Received.}
    """
    # The API sends a webhook's request: readOnly `id` belongs there, writeOnly `secret` does not.
    assert found(text, RULE) == [(RULE, 15, 48)]
    assert "writeOnly property 'secret' must not appear in a webhook or callback request example" in (
        problems(text, RULE)[0].message)
