"""operation-tag-defined: used tags are declared at the top level."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "operation-tag-defined"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    tags:
      - name: tickets
    paths:
      /tickets:
        get:
          tags:
            - tickets
            - ticket
          responses:
            "200": {description: OK.}
"""


def test_undeclared_tag_is_reported_at_the_tag() -> None:
    assert found(TEXT, RULE) == [(RULE, 10, 11)]
    assert "did you mean 'tickets'?" in problems(TEXT, RULE)[0].message


def test_declared_tags_pass() -> None:
    assert found(TEXT.replace("- ticket\n", "- tickets\n"), RULE) == []
