"""key-duplicates: a repeated mapping key is reported at its second occurrence."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "key-duplicates"


def test_repeated_key_is_reported() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              responses:
                "200":
                  description: The tickets.
              responses:
                "404":
                  description: Not found.
    """
    assert found(text, RULE) == [(RULE, 9, 7)]


def test_distinct_keys_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              responses:
                "200":
                  description: The tickets.
                "404":
                  description: Not found.
    """
    assert found(text, RULE) == []
