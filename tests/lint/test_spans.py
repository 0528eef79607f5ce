"""End positions: where each member's value ends, in YAML block and flow style, JSON, and in problems."""

from __future__ import annotations

import json
from pathlib import Path

from contracts.lint.source import parse
from tests.lint.helpers import problems

YAML = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /tickets:
    get:
      tags:
        - a
        - [b, c]
      description: |
        two
        lines
"""


def test_yaml_spans_end_after_the_value() -> None:
    source = parse(YAML, Path("openapi.yaml"), "openapi.yaml")
    assert source.span(("openapi",)) == (1, 1, 1, 15)
    assert source.span(("info",)) == (2, 1, 2, 31)  # a flow mapping ends after its brace
    assert source.span(("info", "version")) == (2, 18, 2, 30)
    # A block collection ends where its last value ends, not at the next line's token.
    assert source.span(("paths", "/tickets", "get", "tags")) == (6, 7, 8, 17)
    assert source.span(("paths", "/tickets", "get", "tags", 1)) == (8, 11, 8, 17)
    assert source.span(("paths", "/tickets", "get", "tags", 1, 0)) == (8, 12, 8, 13)
    # A block scalar ends at the start of the line after it.
    assert source.span(("paths", "/tickets", "get", "description")) == (9, 7, 12, 1)
    assert source.span(()) == (1, 1, 12, 1)
    # A pointer past what exists gives the deepest node that does.
    assert source.span(("paths", "/tickets", "post")) == (4, 3, 12, 1)


def test_json_spans_from_libyaml_and_from_the_fallback_parser() -> None:
    document = {"openapi": "3.0.3", "paths": {"/t": {"get": {"tags": ["a", "b"]}}}}
    # Tabs are valid JSON whitespace that libyaml rejects: the position-tracking parser reads those.
    for indent, width in ((2, 2), ("\t", 1)):
        source = parse(json.dumps(document, indent=indent), Path("openapi.json"), "openapi.json")
        assert source.span(("openapi",)) == (2, 1 + width, 2, 19 + width)
        assert source.span(("paths", "/t", "get", "tags", 1)) == (8, 1 + 5 * width, 8, 4 + 5 * width)


def test_problems_carry_the_span_and_a_fingerprint() -> None:
    text = """
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            Priority:
              type: integer
              enum: [1, 2, "3"]
    """
    (problem,) = problems(text, "typed-enum")
    assert (problem.line, problem.column, problem.end_line, problem.end_column) == (8, 20, 8, 23)
    assert problem.pointer == "/components/schemas/Priority/enum/2"
    assert len(problem.fingerprint) == 16
    moved = problems("\n        x-note: moved down" + text, "typed-enum")[0]
    assert (moved.line, moved.fingerprint) == (9, problem.fingerprint)
