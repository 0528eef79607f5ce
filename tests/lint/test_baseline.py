"""Baselines: --write-baseline records today's problems; --baseline reports only new ones and lists stale entries."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from contracts.lint import baseline as baselines
from contracts.lint.cli import lint
from contracts.lint.model import Problem, Severity
from tests.lint.helpers import doc

SPEC = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    servers: [{url: "https://api.example.com"}]
    tags: [{name: tickets, description: Tickets.}]
    paths:
      /tickets:
        get:
          operationId: listTickets
          tags: [tickets]
          responses:
            "200": {description: The tickets.}
        post:
          operationId: create tickets
          summary: Create a ticket
          tags: [tickets]
          responses:
            "201": {description: Created.}
            "400": {description: Bad body., content: {application/json: {schema: {type: object}, example: {}}}}
"""
# Today: GET has no summary and no 4xx (two warnings), POST's operationId is not URL-safe (an error).


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(lint, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "openapi.yaml").write_text(doc(SPEC))
    return tmp_path


def test_round_trip_with_moved_lines_new_problems_and_stale_entries(project: Path) -> None:
    code, out, _ = run("openapi.yaml")
    assert (code, out.splitlines()[-1]) == (1, "3 problems (1 error, 2 warnings) in 1 file")
    code, out, err = run("openapi.yaml", "--write-baseline", "base.json")
    assert (code, err) == (0, "")
    assert out == ("wrote 3 problems of 1 file to base.json; lint with --baseline base.json (or baseline = "
                   "\"base.json\" in [tool.ticketmock.lint]) to report only new ones\n")
    recorded = json.loads((project / "base.json").read_text())
    assert [(e["rule"], e["pointer"], e["count"]) for e in recorded["problems"]] == [
        ("operation-summary", "/paths/~1tickets/get", 1),
        ("operation-4xx-response", "/paths/~1tickets/get/responses", 1),
        ("operation-operationId-valid-in-url", "/paths/~1tickets/post/operationId", 1),
    ]
    assert run("--baseline", "base.json", "openapi.yaml") == (
        0, "no problems in 1 file; 3 baselined in base.json\n", "")

    # Lines move (a description above everything): every entry still matches.
    moved = doc(SPEC).replace("info: {", "info:\n  description: |\n    Line one.\n    Line two.\n  x: {", 1)
    moved = moved.replace("  x: {title: Tickets, version: \"1\"}", "  title: Tickets\n  version: \"1\"")
    (project / "openapi.yaml").write_text(moved)
    assert run("--baseline", "base.json", "openapi.yaml")[:2] == (
        0, "no problems in 1 file; 3 baselined in base.json\n")

    # A new problem is reported (at its place), a fixed one leaves a stale entry to remove.
    text = moved.replace("operationId: create tickets", "operationId: createTicket")
    text = text.replace("servers: [{url: \"https://api.example.com\"}]", "servers: [{url: \"https://api.example.com/\"}]")
    (project / "openapi.yaml").write_text(text)
    code, out, err = run("--baseline", "base.json", "openapi.yaml")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "openapi.yaml:8:12 warning oas3-server-trailing-slash server url 'https://api.example.com/' ends with a "
        "slash; write 'https://api.example.com'",
        "1 problem (0 errors, 1 warning) in 1 file; 2 baselined in base.json",
        "base.json: stale entry operation-operationId-valid-in-url at openapi.yaml#/paths/~1tickets/post/operationId "
        "no longer occurs; remove it (or write the baseline again)",
    ]


def test_changed_offending_value_is_a_new_problem(project: Path) -> None:
    run("openapi.yaml", "--write-baseline", "base.json")
    (project / "openapi.yaml").write_text(doc(SPEC).replace("create tickets", "create some tickets"))
    code, out, _ = run("--baseline", "base.json", "openapi.yaml")
    assert code == 1
    assert out.splitlines()[0].startswith("openapi.yaml:13:7 error operation-operationId-valid-in-url "
                                          "operationId 'create some tickets'")
    assert "stale entry operation-operationId-valid-in-url" in out.splitlines()[-1]


def test_configured_baseline_is_written_and_used(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.ticketmock.lint]\nbaseline = "lint/baseline.json"\n')
    (project / "lint").mkdir()
    code, _, err = run("openapi.yaml")
    assert (code, err) == (2, f"error: {project / 'lint/baseline.json'}: no such baseline; create it with "
                              f"`ticketmock lint --write-baseline {project / 'lint/baseline.json'}`\n")
    assert run("--write-baseline", "--", "openapi.yaml")[0] == 0
    assert json.loads((project / "lint" / "baseline.json").read_text())["problems"][0]["file"] == "../openapi.yaml"
    code, out, _ = run("openapi.yaml", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert (report["problems"], report["baseline"]["baselined"], report["baseline"]["stale"]) == ([], 3, [])


def test_stale_entries_go_to_stderr_in_machine_formats(project: Path) -> None:
    run("openapi.yaml", "--write-baseline", "base.json")
    (project / "openapi.yaml").write_text(doc(SPEC).replace("create tickets", "createTicket"))
    code, out, err = run("--baseline", "base.json", "--format", "sarif", "openapi.yaml")
    assert code == 0
    assert json.loads(out)["runs"][0]["results"] == []
    assert err.startswith("note: base.json: stale entry operation-operationId-valid-in-url")
    # A new problem is marked so in SARIF, and the document stays valid SARIF 2.1.0.
    (project / "openapi.yaml").write_text(doc(SPEC).replace("create tickets", "create  tickets"))
    document = json.loads(run("--baseline", "base.json", "--format", "sarif", "openapi.yaml")[1])
    assert [r["baselineState"] for r in document["runs"][0]["results"]] == ["new"]
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)


def test_write_baseline_defaults_to_the_baseline_option(project: Path) -> None:
    assert run("--baseline", "mine.json", "--write-baseline", "--", "openapi.yaml")[0] == 0
    assert (project / "mine.json").is_file() and not (project / "lint-baseline.json").exists()
    assert run("--write-baseline", "--", "openapi.yaml")[0] == 0
    assert (project / "lint-baseline.json").is_file()


@pytest.mark.parametrize(
    ("args", "existing", "message"),
    [
        (("--write-baseline", "openapi.yaml"), None, "error: openapi.yaml: a baseline is a .json file"),
        (("--write-baseline", "spec.json", "openapi.yaml"), '{"openapi": "3.0.3"}',
         "error: spec.json: exists and is not a ticketmock lint baseline; refusing to overwrite it"),
        (("--baseline", "missing.json", "openapi.yaml"), None, "error: missing.json: no such baseline; create it with"),
        (("--baseline", "spec.json", "openapi.yaml"), '{"openapi": "3.0.3"}',
         "error: spec.json: not a ticketmock lint baseline"),
    ],
)
def test_misuse_is_a_one_line_error(project: Path, args: tuple[str, ...], existing: str | None, message: str) -> None:
    if existing is not None:
        (project / "spec.json").write_text(existing)
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert err.startswith(message) and err.count("\n") == 1
    if existing is not None:
        assert (project / "spec.json").read_text() == existing


def problem(pointer: str, count: int = 1, file: str = "openapi.yaml") -> Problem:
    return Problem(file, 3, 5, "typed-enum", Severity.WARN, "enum value", pointer, fingerprint="f", count=count)


def test_counts_and_files_not_linted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    entries = baselines.entries_of([problem("/a"), problem("/b", count=2), problem("/c", file="other.yaml")], tmp_path)
    # /a twice now: one is new; /b once: fine (one stale); other.yaml was not linted: not stale.
    outcome = baselines.apply([problem("/a", count=2), problem("/b")], entries, tmp_path, [tmp_path / "openapi.yaml"])
    assert [(p.pointer, p.count) for p in outcome.problems] == [("/a", 1)]
    assert outcome.baselined == 2
    assert [(key.pointer, entry.count) for key, entry in outcome.stale] == [("/b", 1)]
