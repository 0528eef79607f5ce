"""Rule plugins: modules listed in `plugins` register rules with the built-in API; a broken one is exit 2."""

from __future__ import annotations

import json
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from contracts.lint.cli import lint
from contracts.lint.registry import RULES
from tests.lint.helpers import doc

README = Path(__file__).resolve().parents[2] / "contracts" / "lint" / "README.md"
SPEC = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets:
        get:
          summary: list tickets
          responses:
            "200": {description: The tickets.}
        post:
          summary: Create a ticket
          responses:
            "201": {description: Created.}
"""


def readme_example() -> str:
    """The complete plugin module shown in contracts/lint/README.md."""
    after = README.read_text(encoding="utf-8").split("<!-- plugin-example", 1)[1]
    match = re.search(r"```python\n(.*?)```", after, flags=re.S)
    assert match, "contracts/lint/README.md lost its plugin example"
    return match.group(1)


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A unique module name for a plugin written in tmp_path (the cwd); its rules are forgotten afterwards."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "openapi.yaml").write_text(doc(SPEC))
    name = f"acme_lint_rules_{uuid.uuid4().hex[:8]}"
    yield name
    RULES.unregister(name)
    sys.modules.pop(name, None)


def configure(tmp_path: Path, name: str, extra: str = "") -> None:
    off = ", ".join(f'"{rule}" = "off"' for rule in ("operation-tags", "operation-operationId",
                                                     "operation-4xx-response", "oas3-api-servers"))
    text = f'[tool.ticketmock.lint]\nplugins = ["{name}"]\nrules = {{ {off} }}\n{extra}'
    (tmp_path / "pyproject.toml").write_text(text)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(lint, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_the_readme_example_is_a_working_plugin(tmp_path: Path, plugin: str) -> None:
    (tmp_path / f"{plugin}.py").write_text(readme_example())
    configure(tmp_path, plugin)
    code, out, err = run()
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "openapi.yaml:6:7 warning acme-summary-capitalized the summary of GET /tickets starts with a lower-case "
        "letter; write 'List tickets'",
        "1 problem (0 errors, 1 warning) in 1 file",
    ]
    assert any(line.startswith("acme-summary-capitalized") for line in run("--list-rules")[1].splitlines())
    sarif = json.loads(run("--format", "sarif")[1])
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "acme-summary-capitalized")
    assert rule["helpUri"] == "https://wiki.acme.example/api-style#summaries"


def test_plugin_rules_are_configured_and_ignored_like_built_in_ones(tmp_path: Path, plugin: str) -> None:
    (tmp_path / f"{plugin}.py").write_text(readme_example())
    configure(tmp_path, plugin, '[[tool.ticketmock.lint.overrides]]\nfiles = ["*"]\n'
                                'rules = { "acme-summary-capitalized" = "error" }\n')
    assert run()[1].splitlines()[0].startswith("openapi.yaml:6:7 error acme-summary-capitalized")
    (tmp_path / "openapi.yaml").write_text(doc(SPEC.replace("    get:\n", "    get:\n          x-lint-ignore: "
                                                                          "[acme-summary-capitalized]\n")))
    assert run() == (0, "no problems in 1 file\n", "")


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (None, "ModuleNotFoundError: No module named '{name}'"),
        ("def broken(:\n", "SyntaxError: "),
        ("raise RuntimeError('needs ACME_TOKEN')\n", "RuntimeError: needs ACME_TOKEN"),
        ('"""Nothing here."""\n', "module '{name}' registers no rule; a rule module sets ID and SEVERITY"),
        ("from contracts.lint.model import Severity\nfrom contracts.lint.registry import register\n"
         "ID = 'operation-summary'\nSEVERITY = Severity.WARN\n@register\ndef check(spec):\n    return iter(())\n",
         "ValueError: rule id 'operation-summary' is registered twice (contracts.lint.rules.operation_summary)"),
        ("from contracts.lint.registry import register\n@register\ndef check(spec):\n    return iter(())\n",
         "TypeError: {name}: a rule module needs ID (str) and SEVERITY (Severity)"),
    ],
)
def test_a_broken_plugin_is_a_one_line_error_naming_the_module(tmp_path: Path, plugin: str, source: str | None,
                                                               reason: str) -> None:
    if source is not None:
        (tmp_path / f"{plugin}.py").write_text(source)
    configure(tmp_path, plugin)
    code, out, err = run()
    assert (code, out) == (2, "")
    prefix = f"error: {tmp_path / 'pyproject.toml'}: [tool.ticketmock.lint] plugins: "
    expected = reason.replace("{name}", plugin)
    if not expected.startswith("module "):
        expected = f"cannot load '{plugin}': {expected}"
    assert err.startswith(prefix + expected), err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_plugin_rule_that_crashes_is_reported_and_the_others_still_run(tmp_path: Path, plugin: str) -> None:
    (tmp_path / f"{plugin}.py").write_text(
        '"""Crashes."""\nfrom contracts.lint.model import Severity\nfrom contracts.lint.registry import register\n'
        "ID = 'acme-crash'\nSEVERITY = Severity.WARN\n@register\ndef check(spec):\n    raise KeyError('x')\n")
    configure(tmp_path, plugin)
    code, out, _ = run()
    assert code == 0
    assert out.splitlines()[0] == (f"openapi.yaml:1:1 warning acme-crash rule crashed on this document (plugin "
                                   f"{plugin}) (KeyError: 'x'); please report this bug")
    assert "operation-summary" not in out  # the built-in rules ran and found the summaries there
