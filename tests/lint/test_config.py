"""[tool.ticketmock.lint] in pyproject.toml: severities, ignores, and errors with "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts.lint.config import Config, ConfigError, find_pyproject, load_config
from contracts.lint.model import Severity


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_rules_and_ignore_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, """
[project]
name = "x"

[tool.ticketmock.lint]
rules = { "operation-4xx-response" = "off", "mock-body-example" = "error" }
ignore = ["specs/legacy/*"]
""")
    config = load_config(path)
    assert config.rules == {"operation-4xx-response": Severity.OFF, "mock-body-example": Severity.ERROR}
    assert config.ignore == ("specs/legacy/*",)
    assert config.ignores(tmp_path / "specs" / "legacy" / "old" / "openapi.yaml")
    assert not config.ignores(tmp_path / "specs" / "new" / "openapi.yaml")


def test_found_in_a_parent_directory(tmp_path: Path) -> None:
    write(tmp_path, '[tool.ticketmock.lint]\nrules = { "typed-enum" = "error" }\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_pyproject(nested) == (tmp_path / "pyproject.toml").resolve()
    assert load_config(start=nested).rules == {"typed-enum": Severity.ERROR}


def test_no_file_or_no_section_gives_defaults(tmp_path: Path) -> None:
    if find_pyproject(tmp_path) is None:  # nothing above the temporary directory either
        assert load_config(start=tmp_path) == Config(root=load_config(start=tmp_path).root)
    path = write(tmp_path, "[project]\nname = 'x'\n")
    assert load_config(path) == Config(root=tmp_path.resolve(), path=path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('rules = { "operation-operationid" = "off" }',
         "unknown rule 'operation-operationid'; did you mean 'operation-operationId'?"),
        ('rules = { "oas3-unused-components" = "warn" }', "did you mean 'oas3-unused-component'?"),
        ('rules = { "typed-enum" = "warning" }', "typed-enum = 'warning' is not a severity; use \"off\", \"warn\" or "
                                                 "\"error\""),
        ('ignores = ["x"]', "unknown key 'ignores'; did you mean 'ignore'?"),
        ('ignore = "specs/*"', "ignore must be a list of glob strings"),
    ],
)
def test_bad_configuration_is_a_one_line_error(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, f"[tool.ticketmock.lint]\n{body}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_unreadable_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.ticketmock.lint\n")
    with pytest.raises(ConfigError, match="not readable TOML"):
        load_config(path)
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "missing.toml")
