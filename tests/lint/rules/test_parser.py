"""parser: mapping keys that YAML reads as numbers, booleans or null, in every file of the document."""

from __future__ import annotations

from pathlib import Path

from tests.lint.helpers import doc, found, problems

RULE = "parser"


def test_unquoted_response_codes_and_other_non_string_keys(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text(doc("""
        NotFound:
          description: Not found.
          content:
            application/json:
              examples:
                yes: {value: 1}
                true: {value: 2}
    """))
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              responses:
                200:
                  description: The tickets.
                "201":
                  description: Created.
                404:
                  $ref: "common.yaml#/NotFound"
                2.5: {description: odd}
                ~: {description: null key}
    """
    # Reports sort by file: common.yaml comes first.
    assert found(text, RULE, base=tmp_path) == [(RULE, 7, 9), (RULE, 7, 9), (RULE, 11, 9), (RULE, 13, 9),
                                                (RULE, 14, 9)]
    messages = [p.message for p in problems(text, RULE, base=tmp_path)][1:]
    assert messages[0] == 'mapping key 200 is read by YAML as an integer, not a string; quote it: "200"'
    assert "read by YAML as a number" in messages[2]
    assert "read by YAML as null" in messages[3]
    # `yes` is a string in YAML 1.2 (OpenAPI tools read it so); `true` is a boolean.
    first = problems(text, RULE, base=tmp_path)[0]
    assert first.file.endswith("common.yaml")
    assert first.message == 'mapping key true is read by YAML as a boolean, not a string; quote it: "true"'


def test_json_has_only_string_keys() -> None:
    text = '{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/t": {"get": {"responses": ' \
           '{"200": {"description": "OK"}}}}}}'
    assert found(text, RULE, name="openapi.json") == []
