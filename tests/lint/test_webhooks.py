"""Webhooks (3.1 `webhooks`, `x-webhooks`) and callbacks are walked like paths, with readOnly/writeOnly inverted."""

from __future__ import annotations

from contracts.lint.linter import lint_text
from tests.lint.helpers import doc, found, problems

MEDIA = "oas3-valid-media-example"

X_WEBHOOKS = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths: {}
    x-webhooks:
      ticketClosed:
        post:
          operationId: ticketClosed
          requestBody:
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Ticket"}
                example: {id: T-1, secret: s}
          responses:
            "200":
              description: Received.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Ack"}
                  example: {received: true, by: me}
    components:
      schemas:
        Ticket:
          type: object
          required: [id]
          properties:
            id: {type: string, readOnly: true}
            secret: {type: string, writeOnly: true}
        Ack:
          type: object
          properties:
            received: {type: boolean, writeOnly: true}
            by: {type: string, readOnly: true}
        OnlyHere: {type: string}
"""


def test_x_webhooks_request_is_sent_by_the_api() -> None:
    # Request: readOnly `id` is what the API sends (fine); writeOnly `secret` is not.
    # Response: the consumer answers, so writeOnly `received` is fine and readOnly `by` is not.
    assert found(X_WEBHOOKS, MEDIA) == [(MEDIA, 12, 32), (MEDIA, 19, 41)]
    messages = [p.message for p in problems(X_WEBHOOKS, MEDIA)]
    assert messages[0] == ("webhook or callback request body example (application/json) does not match its "
                           "schema: writeOnly property 'secret' must not appear in a webhook or callback request "
                           "example; remove it from the example")
    assert "readOnly property 'by' must not appear in a webhook or callback response example" in messages[1]


def test_components_used_only_from_webhooks_are_used() -> None:
    assert found(X_WEBHOOKS, "oas3-unused-component") == [("oas3-unused-component", 33, 5)]


def test_operation_rules_walk_webhooks_but_not_the_4xx_rule() -> None:
    assert found(X_WEBHOOKS, "operation-summary") == [("operation-summary", 6, 5)]
    assert found(X_WEBHOOKS, "operation-tags") == [("operation-tags", 6, 5)]
    assert found(X_WEBHOOKS, "operation-4xx-response") == []
    assert found(X_WEBHOOKS, "mock-error-schema") == []
    assert found(X_WEBHOOKS.replace("operationId: ticketClosed", "summary: Closed"), "operation-operationId") == [
        ("operation-operationId", 6, 5)]


def test_openapi_3_1_webhooks_like_x_webhooks() -> None:
    text = X_WEBHOOKS.replace("openapi: 3.0.3", "openapi: 3.1.0").replace("x-webhooks:", "webhooks:")
    assert found(text, MEDIA) == [(MEDIA, 12, 32), (MEDIA, 19, 41)]
    assert found(text, "oas3-unused-component") == [("oas3-unused-component", 33, 5)]


def test_callbacks_are_inverted_and_a_callback_of_a_webhook_flips_back() -> None:
    text = """
        openapi: 3.1.0
        info: {title: Tickets, version: "1"}
        paths:
          /subscriptions:
            post:
              responses:
                "201": {description: Subscribed.}
              callbacks:
                closed:
                  "{$request.body#/url}":
                    post:
                      requestBody:
                        content:
                          application/json:
                            schema: {$ref: "#/components/schemas/Ticket"}
                            example: {id: T-1}
                      responses:
                        "200": {description: Received.}
        webhooks:
          opened:
            post:
              responses:
                "200": {description: Received.}
              callbacks:
                confirm:
                  "{$request.body#/confirmUrl}":
                    post:
                      requestBody:
                        content:
                          application/json:
                            schema: {$ref: "#/components/schemas/Ticket"}
                            example: {id: T-2}
                      responses:
                        "200": {description: Confirmed.}
        components:
          schemas:
            Ticket:
              type: object
              properties:
                id: {type: string, readOnly: true}
    """
    # The callback's request comes from the API (readOnly fine); the webhook's callback comes
    # from the consumer, like a path request (readOnly not allowed).
    assert found(text, MEDIA) == [(MEDIA, 32, 31)]
    assert "readOnly property 'id' must not appear in a request example" in problems(text, MEDIA)[0].message


def test_a_body_shared_by_a_path_and_a_webhook_is_checked_in_both_roles() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            post:
              requestBody: {$ref: "#/components/requestBodies/Ticket"}
              responses:
                "201": {description: Created.}
        x-webhooks:
          ticketCreated:
            post:
              requestBody: {$ref: "#/components/requestBodies/Ticket"}
              responses:
                "200": {description: Received.}
        components:
          requestBodies:
            Ticket:
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      id: {type: string, readOnly: true}
                      secret: {type: string, writeOnly: true}
                  example: {id: T-1, secret: s}
    """
    # As a path request the readOnly id is wrong; as a webhook request the writeOnly secret is.
    assert found(text, MEDIA) == [(MEDIA, 25, 21), (MEDIA, 25, 30)]
    everything = lint_text(doc(text))
    assert not [p for p in everything if p.rule == "oas3-unused-component"]
