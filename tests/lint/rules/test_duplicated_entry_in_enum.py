"""duplicated-entry-in-enum: an enum value listed twice is reported at the repeat."""

from __future__ import annotations

from tests.lint.helpers import found

RULE = "duplicated-entry-in-enum"


def test_repeat_is_reported_and_json_types_are_told_apart() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            Status:
              type: string
              enum:
                - open
                - closed
                - open
            Mixed:
              enum: [1, true, "1", 1.5]
    """
    assert found(text, RULE) == [(RULE, 11, 11)]


def test_integral_float_equals_the_integer() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            Priority: {type: number, enum: [2, 2.0]}
    """
    assert found(text, RULE) == [(RULE, 6, 40)]


def test_distinct_values_pass() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            Status: {type: string, enum: [open, closed]}
    """
    assert found(text, RULE) == []
