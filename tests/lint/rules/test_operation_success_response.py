"""operation-success-response: a 2xx/3xx (or range) response exists."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "operation-success-response"


def test_only_errors_and_default_is_reported_at_responses() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              responses:
                "404": {description: Not found.}
                default: {description: Error.}
    """
    assert found(text, RULE) == [(RULE, 6, 7)]


def test_2xx_3xx_and_ranges_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /a:
            get:
              responses:
                "204": {description: OK.}
          /b:
            get:
              responses:
                "302": {description: Redirect.}
          /c:
            get:
              responses:
                2XX: {description: OK.}
    """
    assert found(text, RULE) == []
