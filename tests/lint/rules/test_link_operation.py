"""link-operation: links target existing operations with parameters those operations have."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "link-operation"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets:
        post:
          operationId: createTicket
          responses:
            "201":
              description: Created.
              links:
                Typo:
                  operationId: getTickets
                WrongParam:
                  operationId: getTicket
                  parameters:
                    id: $response.body#/id
                    path.ticketId: $response.body#/id
                  requestBody: $response.body
                BadRef:
                  operationRef: "#/paths/~1tickets~1{ticketId}/post"
                Nothing:
                  description: No target.
      /tickets/{ticketId}:
        get:
          operationId: getTicket
          parameters:
            - {name: ticketId, in: path, required: true, schema: {type: string}}
          responses:
            "200": {description: The ticket.}
"""


def test_every_broken_link_target() -> None:
    assert found(TEXT, RULE) == [(RULE, 12, 15), (RULE, 16, 17), (RULE, 18, 15), (RULE, 20, 15), (RULE, 21, 13)]
    messages = [p.message for p in problems(TEXT, RULE)]
    assert "did you mean 'getTicket'?" in messages[0]
    assert "parameter 'id', which GET /tickets/{ticketId} (getTicket) does not have (its parameters: ticketId)" in (
        messages[1])
    assert "takes no request body" in messages[2]


def test_valid_links_by_id_and_by_ref_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            post:
              operationId: createTicket
              responses:
                "201":
                  description: Created.
                  links:
                    ById:
                      operationId: getTicket
                      parameters: {ticketId: $response.body#/id}
                    ByRef:
                      operationRef: "#/paths/~1tickets~1{ticketId}/get"
                      parameters: {path.ticketId: $response.body#/id}
          /tickets/{ticketId}:
            get:
              operationId: getTicket
              parameters:
                - {name: ticketId, in: path, required: true, schema: {type: string}}
              responses:
                "200": {description: The ticket.}
    """
    assert found(text, RULE) == []
