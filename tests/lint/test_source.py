"""Loading YAML and JSON with positions, YAML 1.2 scalars, and one-line load errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contracts.lint.model import LintError
from contracts.lint.source import load, parse, resolve_plain

YAML = """\
openapi: 3.0.3
paths:
  /tickets:
    get:
      parameters:
        - name: limit
          in: query
        - {name: offset, in: query}
"""


def test_positions_of_keys_and_items_are_one_based() -> None:
    source = parse(YAML, Path("openapi.yaml"), "openapi.yaml")
    assert source.position(()) == (1, 1)
    assert source.position(("paths",)) == (2, 1)
    assert source.position(("paths", "/tickets", "get")) == (4, 5)
    assert source.position(("paths", "/tickets", "get", "parameters", 0)) == (6, 11)
    assert source.position(("paths", "/tickets", "get", "parameters", 1, "in")) == (8, 26)
    # A pointer past what exists stops at the deepest node that does.
    assert source.position(("paths", "/tickets", "post", "responses")) == (3, 3)


def test_json_positions_match_the_yaml_path_and_the_fallback_parser() -> None:
    document = {"openapi": "3.0.3", "paths": {"/tickets": {"get": {"operationId": "list", "tags": ["a", "b"]}}}}
    text = json.dumps(document, indent=2)
    # Tabs are valid JSON whitespace but libyaml rejects them: the position-tracking parser takes over.
    tabbed = json.dumps(document, indent="\t")
    for body in (text, tabbed):
        source = parse(body, Path("openapi.json"), "openapi.json")
        assert source.data == document
        assert source.position(("paths", "/tickets", "get", "operationId")) == (6, 9 if body is text else 5)
        assert source.position(("paths", "/tickets", "get", "tags", 1)) == (9, 11 if body is text else 6)


def test_yaml_1_2_core_schema_scalars() -> None:
    assert resolve_plain("yes") == "yes"
    assert resolve_plain("on") == "on"
    assert resolve_plain("2025-01-31") == "2025-01-31"
    assert resolve_plain("1e5") == 100000.0
    assert resolve_plain("0x1F") == 31
    assert resolve_plain("-12") == -12
    assert resolve_plain("true") is True
    assert resolve_plain("~") is None
    source = parse('a: "1"\nb: 1\nc: !!str 2\nd: 2025-01-31T10:00:00Z\n', Path("x.yaml"), "x.yaml")
    assert source.data == {"a": "1", "b": 1, "c": "2", "d": "2025-01-31T10:00:00Z"}


def test_status_code_keys_are_strings() -> None:
    source = parse("responses:\n  200: {description: OK}\n", Path("x.yaml"), "x.yaml")
    assert list(source.data["responses"]) == ["200"]


def test_anchors_aliases_and_merge_keys() -> None:
    text = "base: &base {type: string, maxLength: 5}\nname:\n  <<: *base\n  maxLength: 9\nother: *base\n"
    source = parse(text, Path("x.yaml"), "x.yaml")
    assert source.data["name"] == {"type": "string", "maxLength": 9}
    assert source.data["other"] == {"type": "string", "maxLength": 5}
    assert source.position(("name", "type")) == (3, 3)


def test_duplicate_keys_are_recorded_with_the_position_of_the_repeat() -> None:
    source = parse("a:\n  b: 1\n  b: 2\n", Path("x.yaml"), "x.yaml")
    assert source.duplicate_keys == [(("a", "b"), "b")]
    assert source.data == {"a": {"b": 2}}
    assert source.position(("a", "b")) == (3, 3)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"a: [1, 2\n", "not valid YAML: did not find expected ',' or ']' at line 2, column 1"),
        (b"a: 1\n---\nb: 2\n", "holds several YAML documents"),
        (b"a: *nowhere\n", "names no anchor"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
        (b"? [a]\n: 1\n", "is not a scalar"),
        (b"a: &loop\n  b: *loop\n", "refers to a node that contains it"),
    ],
)
def test_unreadable_files_raise_one_line_errors(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(LintError) as caught:
        load(path, "bad.yaml")
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_bad_json_is_reported_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n\t"openapi": "3.0.3",\n\t"info": }\n')
    with pytest.raises(LintError, match=r"not valid JSON: Expecting value at line 3, column 10"):
        load(path, "bad.json")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LintError, match="no such file"):
        load(tmp_path / "missing.yaml", "missing.yaml")
