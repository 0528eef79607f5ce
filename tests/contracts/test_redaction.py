"""Secrets never leave the kit: every form a report could show them in, from unit level to a hostile target."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner

from contracts.cli import contract
from contracts.redaction import REDACTED, BasicPair, Redactor, Secret, header_secrets
from tests.contracts.echo_target import EXCHANGED_TOKEN, echo_server

TOKEN = "tok-9f8e7d6c5b4a"
USER, PASSWORD = "client-id-4411", "pass word/+&é-99"
PAIR = BasicPair(Secret(USER, "TICKETMOCK_SPACEBRING_USERNAME"), Secret(PASSWORD, "TICKETMOCK_SPACEBRING_PASSWORD"))
BASIC = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
REDACTOR = Redactor([Secret(TOKEN, "TICKETMOCK_BOBDESK_TOKEN"), PAIR, *header_secrets("PART1 PART2-sig-0042")])


def leaks(text: str, values: list[str], window: int = 8) -> list[str]:
    """Every run of `window` characters of a value, in the forms a report shows, that the text contains."""
    forms: set[str] = set()
    for value in values:
        forms |= {value, quote(value, safe=""), quote_plus(value), base64.b64encode(value.encode()).decode()}
        try:
            forms.add(base64.b64encode(value.encode("latin-1")).decode())
        except UnicodeEncodeError:
            pass
    return sorted({form[i:i + window] for form in forms for i in range(len(form) - window + 1)
                   if form[i:i + window] in text})


@pytest.mark.parametrize("shown", [
    f"Authorization: Bearer {TOKEN}",
    f"Authorization: Basic {BASIC}",
    base64.b64encode(f"Authorization: Basic {BASIC}".encode()).decode(),  # encoded once more
    base64.b64encode(f"xx{TOKEN}yy".encode()).decode(),  # inside a longer encoded text, any alignment
    base64.b64encode(f"x{TOKEN}".encode()).decode(),
    base64.urlsafe_b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
    f"?password={quote(PASSWORD, safe='')}&next=1",
    f"?password={quote_plus(PASSWORD)}",
    f"/users/{quote(PASSWORD, safe='/').lower()}",  # lower-case percent escapes
    '{"password": "pass word\\/+&\\u00e9-99"}',  # JSON-escaped
    f'"{BASIC[:20]}...',  # cut short by a truncation marker
    f"{TOKEN[:9]} ...",
    f"… {TOKEN[-7:]} was the end",
    f"line one {PASSWORD[:6]}\nline two",  # cut at a line end
    "X-Signature: PART1 PART2-sig-0042",
    "X-Signature: PART1 PART2-sig-0...",
])
def test_every_form_of_a_secret_is_redacted(shown: str) -> None:
    redacted = REDACTOR.text(shown)
    assert REDACTED in redacted
    assert not leaks(redacted, [TOKEN, USER, PASSWORD, f"{USER}:{PASSWORD}", "PART1 PART2-sig-0042", "PART2-sig-0042"],
                     window=6), redacted


def test_header_values_with_spaces_are_redacted_whole() -> None:
    assert REDACTOR.text("X-Signature: PART1 PART2-sig-0042") == f"X-Signature: {REDACTED}"
    assert REDACTOR.text("PART1 alone is not a secret") == "PART1 alone is not a secret"
    secrets = header_secrets("Basic " + base64.b64encode(b"alice:s3cret-pw").decode())
    assert {s.value for s in secrets} >= {"alice", "s3cret-pw", "alice:s3cret-pw"}


def test_text_without_secrets_is_unchanged() -> None:
    text = "GET /tickets?limit=25 answered 200 ... in 3 ms\nnext line"
    assert REDACTOR.text(text) == text
    assert Redactor().text(text) == text


def run_cli(*args: str, env: dict[str, str], junit: Path) -> tuple[int, str]:
    result = CliRunner().invoke(contract, [*args, "--phases", "examples", "--max-examples", "1", "--seed", "1",
                                           "--quiet", "--junit", str(junit)], env=env, catch_exceptions=False)
    return result.exit_code, result.output + junit.read_text(encoding="utf-8")


def test_an_echoing_target_sees_no_secret_in_any_output(tmp_path: Path) -> None:
    secrets = {"TICKETMOCK_SPACEBRING_USERNAME": USER, "TICKETMOCK_SPACEBRING_PASSWORD": PASSWORD,
               "TICKETMOCK_SPACEBRING_TOKEN": TOKEN, "TICKETMOCK_SPACEBRING_NETWORK_ID": "net-8c1e2a"}
    with echo_server() as origin:
        code, output = run_cli("spacebring", "--base-url", origin, "--header", "X-Signature: PART1 PART2-sig-0042",
                               "--operation", "getSupportTicket", "--operation", "createSupportTicket",
                               env={**os.environ, **secrets}, junit=tmp_path / "junit.xml")
    assert code == 1, output
    assert "response_schema_conformance" in output and output.count(REDACTED) > 20  # the echo was shown
    assert not leaks(output, [*secrets.values(), f"{USER}:{PASSWORD}", "PART1 PART2-sig-0042", "PART2-sig-0042"])
    assert '-u "$TICKETMOCK_SPACEBRING_USERNAME:$TICKETMOCK_SPACEBRING_PASSWORD"' in output
    assert '-H "Authorization: Bearer $TICKETMOCK_SPACEBRING_TOKEN"' in output
    assert f"-H 'X-Signature: {REDACTED}'" in output  # no variable holds a --header value


def test_exchanged_tokens_are_redacted_too(tmp_path: Path) -> None:
    # Jifeline's spec no longer declares its API key (the bearer token alone is enough): the key in
    # the environment is not sent, and must not show up either.
    secrets = {"TICKETMOCK_JIFELINE_CLIENT_ID": "jc-31f9a0c2", "TICKETMOCK_JIFELINE_CLIENT_SECRET": "js-77b2e4d1",
               "TICKETMOCK_JIFELINE_API_KEY": "ak-5150c3e9"}
    with echo_server() as origin:
        code, output = run_cli("jifeline", "--base-url", origin, "--operation", "listInProgressTickets",
                               env={**os.environ, **secrets}, junit=tmp_path / "junit.xml")
    assert code == 1, output
    assert "response_schema_conformance" in output
    assert not leaks(output, [*secrets.values(), EXCHANGED_TOKEN])
    assert '-H "Authorization: Bearer $TICKETMOCK_JIFELINE_TOKEN"' in output
    assert "note: the bearer token came from exchanging TICKETMOCK_JIFELINE_CLIENT_ID" in output
