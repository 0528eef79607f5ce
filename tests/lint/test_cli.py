"""`ticketmock lint` through click's CliRunner: exit codes, one-line errors, formats, config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from contracts.lint.cli import lint
from tests.lint.helpers import doc

CLEAN = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    servers: [{url: "https://api.example.com"}]
    tags: [{name: tickets, description: Tickets.}]
    paths:
      /tickets:
        get:
          operationId: listTickets
          summary: List tickets
          tags: [tickets]
          responses:
            "200":
              description: The tickets.
              content:
                application/json:
                  schema: {type: array, items: {type: string}}
                  example: [T-1]
            "400":
              description: Bad query.
              content:
                application/json:
                  schema: {type: object, properties: {message: {type: string}}}
                  example: {message: bad}
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.yaml").write_text(doc(CLEAN))
    (tmp_path / "warn.yaml").write_text(doc(CLEAN).replace('  "400":', '  "500":'))
    (tmp_path / "error.yaml").write_text(doc(CLEAN).replace("operationId: listTickets", "operationId: list tickets"))
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(lint, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_clean_file_exits_0(workdir: Path) -> None:
    code, out, err = run("clean.yaml")
    assert (code, out, err) == (0, "no problems in 1 file\n", "")


def test_warnings_exit_0_unless_strict(workdir: Path) -> None:
    code, out, _ = run("warn.yaml")
    assert code == 0
    assert out.splitlines()[0].startswith("warn.yaml:")
    assert " warning operation-4xx-response " in out
    assert run("--strict", "warn.yaml")[0] == 1


def test_errors_exit_1(workdir: Path) -> None:
    code, out, _ = run("error.yaml", "clean.yaml")
    assert code == 1
    assert "error.yaml:8:7 error operation-operationId-valid-in-url" in out
    assert out.splitlines()[-1] == "1 problem (1 error, 0 warnings) in 2 files"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.yaml", None, "missing.yaml: no such file or directory"),
        ("notes.yaml", b"- just\n- a list\n", "notes.yaml: not an OpenAPI document: the file is a list, not a mapping"),
        ("config.yaml", b"name: x\n", "config.yaml: not an OpenAPI document: no top-level 'openapi' field"),
        ("swagger.yaml", b"swagger: '2.0'\n", "swagger.yaml: Swagger 2.0 is not supported"),
        ("broken.yaml", b"openapi: [3.0\n", "broken.yaml: not valid YAML"),
        ("broken.json", b'{"openapi": "3.0.3",}', "broken.json: not valid JSON"),
        ("future.yaml", b"openapi: 4.0.0\n", "future.yaml: OpenAPI version '4.0.0' is not supported"),
    ],
)
def test_unusable_input_is_a_one_line_error_and_exit_2(
    workdir: Path, name: str, content: bytes | None, reason: str
) -> None:
    if content is not None:
        (workdir / name).write_bytes(content)
    code, out, err = run(name, "clean.yaml")
    assert code == 2
    assert err.startswith(f"error: {reason}")
    assert err.count("\n") == 1
    assert "Traceback" not in out + err
    assert out.splitlines()[-1] == "no problems in 1 file; 1 could not be linted"


def test_unknown_rule_in_config_exits_2_with_a_suggestion(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[tool.ticketmock.lint]\nrules = { "operation-sumary" = "off" }\n')
    code, out, err = run("clean.yaml")
    assert code == 2
    assert out == ""
    assert "unknown rule 'operation-sumary'; did you mean 'operation-summary'?" in err


def test_config_turns_rules_off_changes_severity_and_ignores_paths(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text(
        '[tool.ticketmock.lint]\nrules = { "operation-operationId-valid-in-url" = "warn", '
        '"operation-4xx-response" = "off" }\nignore = ["skip/*"]\n'
    )
    (workdir / "skip").mkdir()
    (workdir / "skip" / "openapi.yaml").write_text("openapi: [\n")
    code, out, _ = run("error.yaml", "warn.yaml", "skip")
    assert code == 0
    assert "warning operation-operationId-valid-in-url" in out
    assert "operation-4xx-response" not in out
    assert run("--config", str(workdir / "none.toml"), "clean.yaml")[0] == 2


def test_directories_are_searched_for_openapi_documents(workdir: Path) -> None:
    specs = workdir / "specs"
    (specs / "a").mkdir(parents=True)
    (specs / "a" / "openapi.yaml").write_text(doc(CLEAN))
    (specs / "a" / "fragment.yaml").write_text("Ticket: {type: object}\n")
    code, out, _ = run("specs")
    assert (code, out) == (0, "no problems in 1 file\n")
    (workdir / "empty").mkdir()
    code, _, err = run("empty")
    assert code == 2 and "no OpenAPI documents found" in err


@pytest.mark.parametrize("output_format", ["text", "json", "junit", "sarif", "github"])
def test_every_format_to_a_file(workdir: Path, output_format: str) -> None:
    target = workdir / f"report.{output_format}"
    code, out, _ = run("--format", output_format, "--output", str(target), "error.yaml")
    assert code == 1
    assert out == ""
    report = target.read_text()
    assert "operation-operationId-valid-in-url" in report
    if output_format in ("json", "sarif"):
        json.loads(report)


def test_list_rules(workdir: Path) -> None:
    code, out, _ = run("--list-rules")
    assert code == 0
    assert any(line.startswith("oas3-schema") and " error " in line for line in out.splitlines())
