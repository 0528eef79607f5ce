"""oas3-api-servers: servers are declared, with URLs."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "oas3-api-servers"


def test_missing_servers_is_reported_at_the_document() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
    """
    assert found(text, RULE) == [(RULE, 1, 1)]


def test_empty_list_and_empty_url() -> None:
    assert found("""
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        servers: []
        paths: {}
    """, RULE) == [(RULE, 3, 1)]
    assert found("""
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        servers:
          - url: https://api.example.com
          - url: ""
        paths: {}
    """, RULE) == [(RULE, 5, 5)]


def test_declared_servers_pass() -> None:
    assert found("""
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        servers:
          - url: https://api.example.com/v1
        paths: {}
    """, RULE) == []
