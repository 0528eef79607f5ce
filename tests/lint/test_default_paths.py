"""`ticketmock lint` without paths lints the current project's specs; `--shipped` lints ticketmock's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from contracts.lint.cli import default_paths, lint
from tests.lint.helpers import doc

SPEC = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    servers: [{url: "https://api.example.com"}]
    paths: {}
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(lint, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, text: str = SPEC) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc(text))


def test_specs_folder_of_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "specs" / "a" / "openapi.yaml")
    write(tmp_path / "specs" / "b" / "v2" / "openapi.yml", SPEC + "    tags: 7\n")
    write(tmp_path / "specs" / "c" / "openapi.json", '{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, '
                                                     '"servers": [{"url": "https://x.org"}], "paths": {}}')
    write(tmp_path / "specs" / "c" / "other.yaml")  # not named openapi.*: not a default target
    write(tmp_path / "openapi.yaml")  # ./specs wins over ./openapi.*
    assert default_paths() == [Path("specs/a/openapi.yaml"), Path("specs/b/v2/openapi.yml"),
                               Path("specs/c/openapi.json")]
    code, out, err = run()
    assert code == 1, err  # tags: 7 is not a list
    assert out.splitlines()[0].startswith("specs/b/v2/openapi.yml:5:1 error oas3-schema")
    assert out.splitlines()[-1] == "1 problem (1 error, 0 warnings) in 3 files"


def test_openapi_file_in_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "openapi.json", '{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, '
                                     '"servers": [{"url": "https://x.org"}], "paths": {}}')
    (tmp_path / "specs").mkdir()  # an empty specs/ does not count
    assert default_paths() == [Path("openapi.json")]
    assert run() == (0, "no problems in 1 file\n", "")


def test_nothing_found_is_exit_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "docs" / "openapi.yaml")  # neither ./specs nor ./openapi.*
    code, out, err = run()
    assert (code, out) == (2, "")
    assert err == (f"error: no OpenAPI documents found: looked for specs/**/openapi.{{yaml,yml,json}} and "
                   f"openapi.{{yaml,yml,json}} in {tmp_path}; pass the files or directories to lint (or --shipped "
                   f"for ticketmock's own specs)\n")


def test_shipped_lints_the_five_specs_from_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no specs here, no pyproject.toml either
    code, out, err = run("--shipped")
    assert (code, out, err) == (0, "no problems in 5 files\n", "")
