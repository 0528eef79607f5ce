"""No rule crashes on malformed documents: every node of a rich spec replaced by each wrong type."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from contracts.lint.linter import check_openapi, run_rules
from contracts.lint.registry import RULES
from contracts.lint.source import parse
from tests.lint.helpers import doc

RICH = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    servers: [{url: "https://api.example.com"}]
    tags: [{name: tickets}]
    security: [{bearerAuth: []}]
    paths:
      /tickets/{ticketId}:
        parameters:
          - {name: ticketId, in: path, required: true, schema: {type: string}, example: T-1}
        get:
          operationId: getTicket
          tags: [tickets]
          summary: Read
          responses:
            "200":
              description: OK.
              headers: {Location: {schema: {type: string}}}
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Ticket"}
                  example: {id: T-1, status: open}
                  examples: {one: {$ref: "#/components/examples/One"}}
              links:
                Self:
                  operationId: getTicket
                  parameters: {ticketId: $response.body#/id}
                  requestBody: {a: "{$response.body#/id}"}
            "404": {$ref: "#/components/responses/NotFound"}
          callbacks:
            onClose:
              "{$request.body#/url}":
                post:
                  requestBody: {content: {application/json: {schema: {type: object}}}}
                  responses: {"200": {description: OK.}}
    components:
      schemas:
        Ticket:
          type: object
          required: [id]
          properties:
            id: {type: string, readOnly: true}
            status: {type: string, enum: [open, closed], nullable: true, example: open}
          discriminator: {propertyName: status, mapping: {open: Ticket}}
          allOf: [{type: object}]
      examples:
        One: {value: {id: T-2}}
      responses:
        NotFound: {description: Gone., content: {application/json: {schema: {type: object}}}}
      securitySchemes:
        bearerAuth: {type: http, scheme: bearer}
        oauth: {type: oauth2, flows: {implicit: {authorizationUrl: "https://a", scopes: {read: Read.}}}}
"""

WRONG: list[Any] = [None, [], "text", 7, {"$ref": 7}, {"$ref": "#/nowhere"}]


def _paths(node: Any, trail: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*trail, key)
            yield from _paths(value, (*trail, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*trail, i)
            yield from _paths(value, (*trail, i))


BASE = yaml.safe_load(doc(RICH))
PATHS = [p for p in _paths(BASE) if p[0] != "openapi"]


@pytest.mark.parametrize("wrong", WRONG, ids=repr)
def test_no_rule_crashes_on_a_wrong_type_anywhere(wrong: Any) -> None:
    crashed = []
    for trail in PATHS:
        data = copy.deepcopy(BASE)
        node = data
        for key in trail[:-1]:
            node = node[key]
        node[trail[-1]] = wrong
        text = yaml.safe_dump(data, sort_keys=False)
        spec = check_openapi(parse(text, Path("openapi.yaml"), "openapi.yaml"))
        for problem in run_rules(spec, list(RULES)):
            if "rule crashed" in problem.message:
                crashed.append(f"{'/'.join(map(str, trail))} = {wrong!r}: {problem.rule}: {problem.message}")
    assert not crashed, "\n".join(crashed[:20])
