"""oas3-server-trailing-slash: server URLs (document, path, operation level) end without '/'."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "oas3-server-trailing-slash"


def test_trailing_slashes_everywhere_are_reported() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        servers:
          - url: https://api.example.com/v1/
          - url: /
        paths:
          /tickets:
            servers:
              - url: https://files.example.com/
            get:
              servers: [{url: "https://other.example.com/"}]
              responses:
                "200": {description: OK.}
    """
    assert found(text, RULE) == [(RULE, 4, 5), (RULE, 9, 9), (RULE, 11, 18)]


def test_clean_urls_pass() -> None:
    assert found("""
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        servers:
          - url: https://api.example.com/v1
        paths: {}
    """, RULE) == []
