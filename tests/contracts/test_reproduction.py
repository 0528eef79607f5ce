"""Reproduction curls run as printed: secrets become the variables that hold them, never the values."""

from __future__ import annotations

import base64
import shlex
import subprocess

from contracts.redaction import REDACTED, BasicPair, Redactor, Secret
from contracts.reproduction import reproduction, shell_words

TOKEN = "tok-9f8e7d6c5b4a"
PAIR = BasicPair(Secret("client-id-4411", "TICKETMOCK_SPACEBRING_USERNAME"),
                 Secret("pass word/+&é-99", "TICKETMOCK_SPACEBRING_PASSWORD"))
REDACTOR = Redactor([Secret(TOKEN, "TICKETMOCK_BOBDESK_TOKEN"), PAIR, Secret("PART1 PART2-sig")])
ENV = {"TICKETMOCK_BOBDESK_TOKEN": TOKEN, "TICKETMOCK_SPACEBRING_USERNAME": "client-id-4411",
       "TICKETMOCK_SPACEBRING_PASSWORD": "pass word/+&é-99", "PATH": "/usr/bin:/bin"}


def argv_in_bash(command: str) -> list[str]:
    """The arguments curl would get when the command is pasted into bash with the variables set."""
    script = 'curl() { for arg in "$@"; do printf "%s\\0" "$arg"; done; }\n' + command
    completed = subprocess.run(["bash", "-c", script], env=ENV, capture_output=True, check=True)
    return completed.stdout.decode("utf-8").split("\0")[:-1]


def curl(*args: str) -> str:
    return "curl " + " ".join(shlex.quote(arg) for arg in args)


def test_a_bearer_token_becomes_its_variable_and_runs_as_printed() -> None:
    original = curl("-X", "GET", "-H", f"Authorization: Bearer {TOKEN}", "http://api.example/tickets")
    printed = reproduction(original, REDACTOR, in_process=False)
    assert printed == 'curl -X GET -H "Authorization: Bearer $TICKETMOCK_BOBDESK_TOKEN" http://api.example/tickets'
    assert TOKEN not in printed
    assert argv_in_bash(printed) == argv_in_bash(original)


def test_basic_credentials_become_a_user_option() -> None:
    encoded = base64.b64encode("client-id-4411:pass word/+&é-99".encode("latin-1")).decode()
    printed = reproduction(curl("-X", "GET", "-H", f"Authorization: Basic {encoded}", "http://api.example/t"),
                           REDACTOR, in_process=False)
    assert printed == ('curl -X GET -u "$TICKETMOCK_SPACEBRING_USERNAME:$TICKETMOCK_SPACEBRING_PASSWORD" '
                       "http://api.example/t")
    assert argv_in_bash(printed)[2:4] == ["-u", "client-id-4411:pass word/+&é-99"]


def test_a_secret_inside_awkward_quoting_still_runs() -> None:
    body = f'{{"note": "it\'s {TOKEN}!", "cost": "$5"}}'
    original = curl("-X", "POST", "-d", body, f"http://api.example/t?token={TOKEN}&x=1")
    printed = reproduction(original, REDACTOR, in_process=False)
    assert TOKEN not in printed and printed.count("$TICKETMOCK_BOBDESK_TOKEN") == 2
    assert argv_in_bash(printed) == argv_in_bash(original)


def test_a_secret_without_a_variable_is_redacted_whole() -> None:
    printed = reproduction(curl("-H", "X-Signature: PART1 PART2-sig", "http://api.example/t"), REDACTOR,
                           in_process=False)
    assert printed == f"curl -H 'X-Signature: {REDACTED}' http://api.example/t"


def test_the_in_process_mock_points_at_make_serve_with_its_own_credentials() -> None:
    original = "curl -X GET -H 'Authorization: Bearer contract-token' http://localhost/bobdesk/api/v3.0/tickets"
    assert reproduction(original, Redactor(), in_process=True) == (
        "curl -X GET -H 'Authorization: Bearer contract-token' http://127.0.0.1:8000/bobdesk/api/v3.0/tickets")


def test_shell_words_read_every_quoting_schemathesis_writes() -> None:
    line = """curl -H $'X-Bin: \\x00\\xc3\\xa9\\'q\\'' -d '{"a": "it'"'"'s"}' "dq \\"x\\" \\$y" plain\\ word"""
    assert [value for _, _, value in shell_words(line) or []] == [
        "curl", "-H", "X-Bin: \x00é'q'", "-d", '{"a": "it\'s"}', 'dq "x" $y', "plain word"]
    assert shell_words("curl 'unclosed") is None
    assert reproduction(f"curl 'unclosed {TOKEN}", REDACTOR, in_process=False) == f"curl 'unclosed {REDACTED}"
