"""The README stays true: its curl commands work, its tables match the code, its options exist."""

from __future__ import annotations

import re
import shlex
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from mockserver.cli import main
from mockserver.spec import ROOT
from mockserver.vendors import get_vendor
from mockserver.workflow import markdown_table
from tests.helpers import make_client

README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[list[str]]:
    blocks = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        commands = []
        for command in block.replace("\\\n", " ").splitlines():
            if command.strip():
                commands.append(command.split("  #", 1)[0].strip())
        blocks.append(commands)
    return blocks


def shell_commands() -> list[str]:
    return [command for block in shell_blocks() for command in block]


CURLS = [c for c in shell_commands() if c.startswith("curl ")]
# A block's curl commands run in order against one mock, as a reader pastes them into one shell.
CURL_BLOCKS = [[c for c in block if c.startswith("curl ")] for block in shell_blocks()]


def replay(client: Any, command: str) -> Any:
    words = shlex.split(command)[1:]
    method, headers, auth, body, url = "GET", {}, None, None, ""
    index = 0
    while index < len(words):
        word = words[index]
        if word == "-s":
            index += 1
            continue
        if word in ("-H", "-u", "-X", "-d"):
            value = words[index + 1]
            if word == "-H":
                name, _, header = value.partition(":")
                headers[name.strip()] = header.strip()
            elif word == "-u":
                auth = tuple(value.split(":", 1))
            elif word == "-X":
                method = value
            else:
                body, method = value, method if method != "GET" else "POST"
            index += 2
            continue
        url = word
        index += 1
    parts = urlsplit(url)
    assert parts.netloc == "127.0.0.1:8000", command
    return client.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers,
                          auth=auth, content=body)


@pytest.mark.parametrize("block", [b for b in CURL_BLOCKS if b], ids=lambda block: block[0][:60])
def test_curl_commands_work_as_written(block: list[str]) -> None:
    client = make_client()
    for command in block:
        response = replay(client, command)
        assert response.status_code < 400, (command, response.text)


def test_there_are_curl_commands_to_check() -> None:
    assert len(CURLS) >= 4


@pytest.mark.parametrize("slug", ["bobdesk", "jifeline", "flowretail"])
def test_workflow_tables_match_the_vendor_modules(slug: str) -> None:
    workflow = get_vendor(slug).workflow
    assert workflow is not None
    assert markdown_table(workflow) in README


def test_every_ticketmock_verb_shown_exists() -> None:
    shown = {c.split()[1] for c in shell_commands() if c.startswith(".venv/bin/ticketmock ")}
    assert shown <= {"serve", "apis", "contract", "lint", "snapshot", "--help"}
    for verb in shown - {"--help"}:
        assert CliRunner().invoke(main, [verb, "--help"]).exit_code == 0, verb


def test_serve_options_in_the_table_exist() -> None:
    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    for option in re.findall(r"^\| `(--[a-z-]+)", README, flags=re.M):
        assert option in help_text, option
