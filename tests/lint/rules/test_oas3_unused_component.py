"""oas3-unused-component: components unreachable from operations are reported."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "oas3-unused-component"


def test_unreachable_components_including_chains_and_schemes() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              security: [{bearerAuth: []}]
              responses:
                "200":
                  $ref: "#/components/responses/Tickets"
        components:
          responses:
            Tickets:
              description: OK.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Ticket"}
          schemas:
            Ticket:
              oneOf: [{$ref: "#/components/schemas/Cat"}]
              discriminator:
                propertyName: kind
                mapping: {dog: Dog}
            Cat: {type: object}
            Dog: {type: object}
            Orphan:
              $ref: "#/components/schemas/OrphanChild"
            OrphanChild: {type: string}
          securitySchemes:
            bearerAuth: {type: http, scheme: bearer}
            apiKey: {type: apiKey, in: header, name: X-Key}
    """
    # Orphan's child is only referenced from another unused component: unused too.
    assert found(text, RULE) == [(RULE, 25, 5), (RULE, 27, 5), (RULE, 30, 5)]


def test_used_components_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        security: [{bearerAuth: []}]
        paths:
          /tickets:
            get:
              parameters: [{$ref: "#/components/parameters/Limit"}]
              responses:
                "200": {description: OK.}
        components:
          parameters:
            Limit: {name: limit, in: query, schema: {type: integer}}
          securitySchemes:
            bearerAuth: {type: http, scheme: bearer}
    """
    assert found(text, RULE) == []
