"""operation-parameters: no (name, in) pair twice in one parameter list."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "operation-parameters"


def test_duplicates_in_operation_and_path_lists() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            parameters:
              - {name: X-Request-Id, in: header, schema: {type: string}}
              - {name: x-request-id, in: header, schema: {type: string}}
            get:
              parameters:
                - {name: limit, in: query, schema: {type: integer}}
                - $ref: "#/components/parameters/Limit"
              responses:
                "200": {description: The tickets.}
        components:
          parameters:
            Limit: {name: limit, in: query, schema: {type: integer}}
    """
    assert found(text, RULE) == [(RULE, 7, 9), (RULE, 11, 11)]


def test_override_and_distinct_locations_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            parameters:
              - {name: limit, in: query, schema: {type: integer}}
            get:
              parameters:
                - {name: limit, in: query, schema: {type: integer, maximum: 50}}
                - {name: limit, in: header, schema: {type: integer}}
              responses:
                "200": {description: The tickets.}
    """
    assert found(text, RULE) == []
