"""oas3-operation-security-defined: requirements name declared schemes and defined scopes."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "oas3-operation-security-defined"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    security:
      - ApiKey: []
    paths:
      /tickets:
        get:
          security:
            - BearerAuth: []
            - OAuth2: [tickets:read, tickets:write]
          responses:
            "200": {description: OK.}
    components:
      securitySchemes:
        bearerAuth: {type: http, scheme: bearer}
        OAuth2:
          type: oauth2
          flows:
            clientCredentials:
              tokenUrl: https://auth.example.com/token
              scopes:
                tickets:read: Read tickets.
"""


def test_undeclared_schemes_and_undefined_scopes() -> None:
    assert found(TEXT, RULE) == [(RULE, 4, 5), (RULE, 9, 11), (RULE, 10, 34)]
    messages = [p.message for p in problems(TEXT, RULE)]
    assert "did you mean 'bearerAuth'?" in messages[1]
    assert "scope 'tickets:write'" in messages[2]


def test_declared_schemes_pass() -> None:
    fixed = (TEXT.replace("ApiKey", "bearerAuth").replace("BearerAuth", "bearerAuth")
             .replace(", tickets:write]", "]"))
    assert found(fixed, RULE) == []
