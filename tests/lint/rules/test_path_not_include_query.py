"""path-not-include-query: no query string in path keys."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "path-not-include-query"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets?status=open&limit=5:
        get:
          responses:
            "200": {description: The tickets.}
"""


def test_query_string_is_reported() -> None:
    assert found(TEXT, RULE) == [(RULE, 4, 3)]
    assert "declare 'status', 'limit' as in: query" in problems(TEXT, RULE)[0].message


def test_plain_path_passes() -> None:
    assert found(TEXT.replace("?status=open&limit=5", ""), RULE) == []
