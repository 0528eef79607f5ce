"""Every output format renders and parses: text, JSON, JUnit XML, SARIF 2.1.0 (schema-valid), GitHub."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from contracts.lint.config import Config
from contracts.lint.linter import Result, lint_paths
from contracts.lint.registry import RULES
from contracts.lint.report import RENDERERS
from tests.lint.helpers import doc

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

SPEC = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    servers: [{url: "https://api.example.com/"}]
    paths:
      /tickets:
        get:
          operationId: "list, tickets: all"
          responses:
            "200":
              description: OK.
"""


@pytest.fixture
def result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "openapi.yaml").write_text(doc(SPEC))
    (tmp_path / "broken.yaml").write_text("openapi: [\n")
    return lint_paths([Path("openapi.yaml"), Path("broken.yaml")], Config(root=tmp_path))


def test_result_has_errors_warnings_and_a_failure(result: Result) -> None:
    assert result.errors and result.warnings and len(result.failures) == 1


def test_text_is_sorted_with_a_summary(result: Result) -> None:
    lines = RENDERERS["text"](result, RULES).splitlines()
    assert lines[0].startswith("openapi.yaml:3:")
    body = lines[:-1]
    keys = [(int(line.split(":")[1]), int(line.split(":")[2].split()[0])) for line in body]
    assert keys == sorted(keys)
    assert all(len(line.split(" ", 3)) == 4 for line in body)
    assert lines[-1] == "5 problems (1 error, 4 warnings) in 1 file; 1 could not be linted"


def test_json(result: Result) -> None:
    document = json.loads(RENDERERS["json"](result, RULES))
    assert len(document["problems"]) == len(result.problems)
    first = document["problems"][0]
    assert set(first) == {"file", "line", "column", "rule", "severity", "message", "pointer"}
    assert document["failures"][0]["file"] == "broken.yaml"
    assert document["summary"]["errors"] == result.errors


def test_junit(result: Result) -> None:
    root = ElementTree.fromstring(RENDERERS["junit"](result, RULES))
    assert root.tag == "testsuites"
    assert int(root.get("failures", "0")) == len(result.problems)
    assert int(root.get("errors", "0")) == 1
    failures = root.findall(".//failure")
    assert len(failures) == len(result.problems)
    assert {f.get("type") for f in failures} == {"error", "warning"}


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(result: Result) -> None:
    document = json.loads(RENDERERS["sarif"](result, RULES))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)
    run = document["runs"][0]
    assert len(run["results"]) == len(result.problems)
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == RULES.ids()
    first = run["results"][0]
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (result.problems[0].line, result.problems[0].column)
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == first["ruleId"]
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_of_a_clean_run_is_valid(tmp_path: Path) -> None:
    document = json.loads(RENDERERS["sarif"](Result(files=["openapi.yaml"]), RULES))
    jsonschema.validate(document, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")), cls=jsonschema.Draft4Validator)
    assert document["runs"][0]["results"] == []


def test_github_annotations_escape_their_properties(result: Result) -> None:
    lines = RENDERERS["github"](result, RULES).splitlines()
    assert len(lines) == len(result.problems) + 1
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines)
    url_line = next(line for line in lines if "operation-operationId-valid-in-url" in line)
    assert url_line.startswith("::error file=openapi.yaml,line=")
    assert ",title=operation-operationId-valid-in-url::operationId 'list, tickets: all'" in url_line
    assert lines[-1].startswith("::error file=broken.yaml,title=unreadable::")
