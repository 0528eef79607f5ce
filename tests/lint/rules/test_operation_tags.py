"""operation-tags: every operation has at least one tag."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "operation-tags"


def test_missing_and_empty_tags() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              tags: [tickets]
              responses:
                "200": {description: OK.}
            post:
              tags: []
              responses:
                "201": {description: Created.}
            delete:
              responses:
                "204": {description: Deleted.}
    """
    assert found(text, RULE) == [(RULE, 9, 5), (RULE, 13, 5)]


def test_tagged_operations_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              tags: [tickets]
              responses:
                "200": {description: OK.}
    """
    assert found(text, RULE) == []
