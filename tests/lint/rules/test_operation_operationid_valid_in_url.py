"""operation-operationId-valid-in-url: operationIds use URL-safe characters only."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "operation-operationId-valid-in-url"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets:
        get:
          operationId: list tickets
          responses:
            "200": {description: The tickets.}
"""


def test_space_is_not_url_safe() -> None:
    assert found(TEXT, RULE) == [(RULE, 6, 7)]
    assert "(' ')" in problems(TEXT, RULE)[0].message


def test_url_safe_id_passes() -> None:
    assert found(TEXT.replace("list tickets", "tickets.list_v2~all"), RULE) == []
