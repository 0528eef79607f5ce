"""Every output format renders and parses: text, JSON, JUnit, SARIF 2.1.0 (schema-valid), GitHub, GitLab, Markdown."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from contracts.lint.config import Config
from contracts.lint.linter import Result, lint_paths
from contracts.lint.registry import RULES
from contracts.lint.report import RENDERERS, version
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
    assert set(first) == {"file", "line", "column", "end_line", "end_column", "rule", "severity", "message", "count",
                          "pointer", "fingerprint", "documentation"}
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (3, 12, 3, 43)
    assert first["documentation"].endswith("/contracts/lint/README.md#rule-oas3-server-trailing-slash")
    assert document["tool"]["name"] == "ticketmock lint"
    assert document["tool"]["version"] == version()
    assert document["failures"][0]["file"] == "broken.yaml"
    assert document["summary"]["errors"] == result.errors
    assert "baseline" not in document


def test_junit_errors_fail_and_warnings_are_skipped(result: Result) -> None:
    root = ElementTree.fromstring(RENDERERS["junit"](result, RULES))
    assert root.tag == "testsuites"
    assert (root.get("failures"), root.get("skipped"), root.get("errors")) == (
        str(result.errors), str(result.warnings), "1")
    assert {f.get("type") for f in root.findall(".//failure")} == {"error"}
    skipped = root.findall(".//skipped")
    assert len(skipped) == result.warnings
    assert all(s.get("message", "").startswith("warning: ") for s in skipped)


def test_junit_of_a_clean_with_warnings_run_has_no_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "openapi.yaml").write_text(doc(SPEC).replace('"list, tickets: all"', "listTickets"))
    clean = lint_paths([Path("openapi.yaml")], Config(root=tmp_path))
    assert clean.errors == 0 and clean.warnings
    root = ElementTree.fromstring(RENDERERS["junit"](clean, RULES))
    assert (root.get("failures"), root.get("errors"), root.get("skipped")) == ("0", "0", str(clean.warnings))
    clean.strict = True  # --strict: warnings fail the run, and the report says so
    root = ElementTree.fromstring(RENDERERS["junit"](clean, RULES))
    assert root.get("failures") == str(clean.warnings)


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(result: Result) -> None:
    document = json.loads(RENDERERS["sarif"](result, RULES))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)
    run = document["runs"][0]
    assert len(run["results"]) == len(result.problems)
    driver = run["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == RULES.ids()
    assert driver["informationUri"].endswith("/contracts/lint/README.md")
    assert all(r["helpUri"] == f"{driver['informationUri']}#rule-{r['id']}" for r in driver["rules"])
    first = run["results"][0]
    region = first["locations"][0]["physicalLocation"]["region"]
    problem = result.problems[0]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
        problem.line, problem.column, problem.end_line, problem.end_column)
    assert driver["rules"][first["ruleIndex"]]["id"] == first["ruleId"]
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
    assert ",endColumn=" in url_line
    assert ",title=operation-operationId-valid-in-url::operationId 'list, tickets: all'" in url_line
    assert lines[-1].startswith("::error file=broken.yaml,title=unreadable::")


def test_gitlab_code_quality(result: Result) -> None:
    issues = json.loads(RENDERERS["gitlab"](result, RULES))
    assert len(issues) == len(result.problems) + 1
    first, problem = issues[0], result.problems[0]
    assert set(first) == {"description", "check_name", "fingerprint", "severity", "location"}
    assert first["location"] == {"path": "openapi.yaml", "lines": {"begin": problem.line, "end": problem.end_line}}
    assert {i["severity"] for i in issues} == {"major", "minor", "critical"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert issues[-1]["check_name"] == "unreadable"
    assert json.loads(RENDERERS["gitlab"](result, RULES)) == issues  # stable across runs


def test_markdown_table(result: Result) -> None:
    lines = RENDERERS["markdown"](result, RULES).splitlines()
    assert lines[0] == "### ticketmock lint: 5 problems (1 error, 4 warnings) in 1 file; 1 could not be linted"
    assert lines[2:4] == ["| severity | location | rule | message |", "|---|---|---|---|"]
    rows = [line for line in lines if line.startswith("| error") or line.startswith("| warning")]
    assert len(rows) == len(result.problems)
    assert all(row.count(" | ") == 3 for row in rows)  # no message breaks the table
    assert lines[-1].startswith("- could not lint `broken.yaml`: not valid YAML")
