"""operation-summary: every operation has a non-empty summary."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "operation-summary"


def test_missing_and_blank_summaries() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              summary: List tickets
              responses:
                "200": {description: OK.}
            post:
              summary: "   "
              responses:
                "201": {description: Created.}
            delete:
              responses:
                "204": {description: Deleted.}
    """
    assert found(text, RULE) == [(RULE, 9, 5), (RULE, 13, 5)]


def test_summaries_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              summary: List tickets
              responses:
                "200": {description: OK.}
    """
    assert found(text, RULE) == []
