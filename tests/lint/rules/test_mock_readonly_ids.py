"""mock-readonly-ids: the resource's own id in 2xx responses is readOnly (foreign keys are not)."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "mock-readonly-ids"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets:
        get:
          operationId: listTickets
          responses:
            "200":
              description: A page of tickets.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      items: {type: array, items: {$ref: "#/components/schemas/Ticket"}}
                      total: {type: integer}
        post:
          operationId: createTicket
          responses:
            "201":
              description: Created.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      ticket_id: {type: string}
                      customer_id: {type: string}
              links:
                Cancel:
                  operationId: cancelTicket
                  parameters:
                    ticket_id: $response.body#/ticket_id
                Customer:
                  operationId: getCustomer
                  parameters:
                    customerId: $response.body#/customer_id
      /tickets/{ticket_id}/cancel:
        put:
          operationId: cancelTicket
          parameters:
            - {name: ticket_id, in: path, required: true, schema: {type: string}}
          responses:
            "200": {description: Cancelled.}
      /customers/{customerId}:
        get:
          operationId: getCustomer
          parameters:
            - {name: customerId, in: path, required: true, schema: {type: string}}
          responses:
            "200": {description: The customer.}
    components:
      schemas:
        Ticket:
          type: object
          properties:
            _id: {type: string}
            customerId: {type: string}
"""


def test_own_ids_are_flagged_and_foreign_keys_are_not() -> None:
    # `_id` of the listed tickets (envelope items) and `ticket_id`, which a link reads to address
    # the created ticket; `customer_id` feeds /customers/{customerId}: a foreign key, not flagged.
    assert found(TEXT, RULE) == [(RULE, 27, 19), (RULE, 57, 9)]
    messages = [p.message for p in problems(TEXT, RULE)]
    assert "property 'ticket_id' is the id of the resource POST /tickets (createTicket) returns" in messages[0]
    assert "property '_id' identifies the resource in the 200 response of GET /tickets (listTickets)" in messages[1]


def test_read_only_ids_pass_including_through_all_of() -> None:
    fixed = TEXT.replace("ticket_id: {type: string}", "ticket_id: {type: string, readOnly: true}").replace(
        "_id: {type: string}", "_id: {allOf: [{type: string}], readOnly: true}")
    assert found(fixed, RULE) == []
