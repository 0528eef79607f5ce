"""[[tool.ticketmock.lint.overrides]]: severities for some files, optionally under some JSON pointers only."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from contracts.lint.cli import lint
from contracts.lint.config import ConfigError, load_config
from contracts.lint.model import Severity
from tests.lint.helpers import doc

SPEC = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    servers: [{url: "https://api.example.com"}]
    tags: [{name: t, description: T.}]
    paths:
      /tickets:
        get: {operationId: a, tags: [t], responses: {"200": {description: OK.}, "400": {description: Bad.}}}
      /legacy/tickets:
        get: {operationId: b, tags: [t], responses: {"200": {description: OK.}, "400": {description: Bad.}}}
      /legacy/notes:
        get: {operationId: c, tags: [t], responses: {"200": {description: OK.}, "400": {description: Bad.}}}
"""
CONFIG = """
[tool.ticketmock.lint]
rules = { "operation-summary" = "error", "mock-error-schema" = "off" }

[[tool.ticketmock.lint.overrides]]
files = ["specs/partner/*"]
rules = { "operation-summary" = "warn" }

[[tool.ticketmock.lint.overrides]]
files = ["specs/partner/*"]
pointers = ["/paths/~1legacy"]
rules = { "operation-summary" = "off" }
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(lint, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def test_files_and_pointer_prefixes_later_overrides_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    for name in ("own", "partner"):
        (tmp_path / "specs" / name).mkdir(parents=True)
        (tmp_path / "specs" / name / "openapi.yaml").write_text(doc(SPEC))
    code, out = run()
    # Own spec: the rules table makes every missing summary an error. Partner: a warning, and off
    # under /paths/~1legacy (a text prefix: both /legacy paths).
    assert code == 1
    assert [line.split(" ", 3)[:3] for line in out.splitlines()[:-1]] == [
        ["specs/own/openapi.yaml:7:5", "error", "operation-summary"],
        ["specs/own/openapi.yaml:9:5", "error", "operation-summary"],
        ["specs/own/openapi.yaml:11:5", "error", "operation-summary"],
        ["specs/partner/openapi.yaml:7:5", "warning", "operation-summary"],
    ]


def test_an_override_can_turn_on_a_rule_that_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ticketmock.lint]\nrules = { "operation-summary" = "off", "mock-error-schema" = "off" }\n'
        '[[tool.ticketmock.lint.overrides]]\nfiles = ["*"]\npointers = ["/paths/~1tickets"]\n'
        'rules = { "operation-summary" = "warn" }\n')
    (tmp_path / "openapi.yaml").write_text(doc(SPEC))
    code, out = run()
    assert (code, out.splitlines()[0].split(" ", 3)[:3]) == (0, ["openapi.yaml:7:5", "warning", "operation-summary"])
    assert out.splitlines()[-1] == "1 problem (0 errors, 1 warning) in 1 file"


def test_the_override_is_read(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(CONFIG)
    config = load_config(path)
    assert config.severity("operation-summary", Severity.WARN, tmp_path / "specs/partner/openapi.yaml",
                           "/paths/~1legacy~1notes/get") is Severity.OFF
    assert config.severity("operation-summary", Severity.WARN, tmp_path / "specs/partner/openapi.yaml",
                           "/paths/~1tickets/get") is Severity.WARN
    own = tmp_path / "specs/own/openapi.yaml"
    assert config.severity("operation-summary", Severity.WARN, own, "") is Severity.ERROR


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('overrides = "x"', "overrides must be an array of tables ([[tool.ticketmock.lint.overrides]])"),
        ('[[tool.ticketmock.lint.overrides]]\nrules = {"typed-enum" = "off"}', "#1 needs files = [\"glob\", ...]"),
        ('[[tool.ticketmock.lint.overrides]]\nfiles = ["*"]\nfile = 1', "#1 has unknown key 'file'; did you mean "
                                                                         "'files'?"),
        ('[[tool.ticketmock.lint.overrides]]\nfiles = ["*"]\npointers = ["paths"]\nrules = {"typed-enum" = "off"}',
         "pointer 'paths' must start with '/'"),
        ('[[tool.ticketmock.lint.overrides]]\nfiles = ["*"]\nrules = {"typed-enums" = "off"}',
         "#1 rules: unknown rule 'typed-enums'; did you mean 'typed-enum'?"),
    ],
)
def test_bad_overrides_are_one_line_errors(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.ticketmock.lint]\n{body}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
