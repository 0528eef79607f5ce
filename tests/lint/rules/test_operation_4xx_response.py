"""operation-4xx-response: at least one 4xx (or 4XX) response."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "operation-4xx-response"


def test_default_does_not_count() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              responses:
                "200": {description: OK.}
                default: {description: Error.}
    """
    assert found(text, RULE) == [(RULE, 6, 7)]


def test_4xx_and_range_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /a:
            get:
              responses:
                "200": {description: OK.}
                "404": {description: Not found.}
          /b:
            get:
              responses:
                "200": {description: OK.}
                4XX: {description: Client error.}
    """
    assert found(text, RULE) == []
