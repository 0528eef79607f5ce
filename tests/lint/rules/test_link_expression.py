"""link-expression: runtime expressions parse and read what the messages contain."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "link-expression"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /stores/{storeId}/tickets:
        post:
          operationId: createTicket
          parameters:
            - {name: storeId, in: path, required: true, schema: {type: string}}
          responses:
            "201":
              description: Created.
              headers:
                Location: {schema: {type: string}}
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      result:
                        type: array
                        items:
                          type: object
                          properties:
                            id: {type: string}
              links:
                Get:
                  operationId: getTicket
                  parameters:
                    ticketId: $response.body#/result/0/ticketId
                    storeId: $request.path.store
                Syntax:
                  operationId: getTicket
                  parameters:
                    ticketId: $respons.body#/id
                    storeId: "{$request.path.storeId}-{$response.header}"
                Meaning:
                  operationId: getTicket
                  parameters:
                    ticketId: $response.query.id
                    storeId: $response.header.X-Store
"""


def test_syntax_and_meaning_errors_point_at_the_value() -> None:
    assert found(TEXT, RULE) == [
        (RULE, 29, 17), (RULE, 30, 17),
        (RULE, 34, 17), (RULE, 35, 17),
        (RULE, 39, 17), (RULE, 40, 17),
    ]
    messages = [p.message for p in problems(TEXT, RULE)]
    assert "has no property 'ticketId' at that point (it has: id)" in messages[0]
    assert "has no path parameter 'store'" in messages[1]
    assert "does not parse" in messages[2] and "does not parse" in messages[3]
    assert "a response has no query" in messages[4]
    assert "documents no 'X-Store' header" in messages[5]


def test_valid_expressions_pass() -> None:
    fixed = (TEXT.replace("#/result/0/ticketId", "#/result/0/id")
             .replace("$request.path.store\n", "$request.path.storeId\n")
             .replace("$respons.body#/id", "$response.header.Location#regex:/tickets/(.+)$")
             .replace("-{$response.header}", "-{$statusCode}")
             .replace("$response.query.id", "$response.body#/result/0/id")
             .replace("X-Store", "location"))
    assert found(fixed, RULE) == []
