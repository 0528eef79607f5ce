"""x-lint-ignore: silences rules for an object's subtree, in its own file; unused entries are reported."""

from __future__ import annotations

from pathlib import Path

from contracts.lint.config import Config, Override
from contracts.lint.linter import lint_text, run_rules
from contracts.lint.model import Severity
from contracts.lint.registry import RULES
from tests.lint.helpers import doc

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    servers: [{url: "https://api.example.com"}]
    paths:
      /tickets:
        x-lint-ignore: [operation-tags]
        get:
          operationId: listTickets
          summary: List tickets
          responses:
            "200": {description: The tickets.}
            "400": {description: Bad query.}
        post:
          operationId: createTicket
          x-lint-ignore:
            operation-summary: Generated; summaries come with the next release
          responses:
            "201": {description: Created.}
            "400": {description: Bad body.}
      /notes:
        get:
          operationId: listNotes
          responses:
            "200": {description: The notes.}
            "400": {description: Bad query.}
"""


RULES_HERE = ["operation-summary", "operation-tags", "unused-lint-ignore"]


def rules_at(text: str) -> list[tuple[str, int, int]]:
    return [(p.rule, p.line, p.column) for p in lint_text(doc(text), RULES_HERE)]


def test_a_list_and_a_map_silence_their_subtree_only() -> None:
    # /tickets' GET and POST lose operation-tags, its POST operation-summary; /notes keeps both.
    assert rules_at(TEXT) == [("operation-summary", 21, 5), ("operation-tags", 21, 5)]


def test_an_ignore_in_a_referenced_file_covers_what_is_found_there(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text(doc("""
        Priority:
          x-lint-ignore: {typed-enum: the vendor sends "3" as a string}
          type: integer
          enum: [1, 2, "3"]
        Status:
          type: string
          enum: [open, 1]
    """))
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            Priority: {$ref: "common.yaml#/Priority"}
            Status: {$ref: "common.yaml#/Status"}
    """
    found = [(Path(p.file).name, p.rule, p.line, p.column) for p in lint_text(doc(text), ["typed-enum"], base=tmp_path)]
    assert found == [("common.yaml", "typed-enum", 7, 16)]


def test_unused_and_unknown_entries_are_reported_where_written() -> None:
    text = TEXT.replace("x-lint-ignore: [operation-tags]", "x-lint-ignore: [operation-tags, mock-body-example, "
                                                               "operation-tag]")
    unused = [(p.line, p.column, p.message) for p in lint_text(doc(text), [*RULES_HERE, "mock-body-example"])
              if p.rule == "unused-lint-ignore"]
    assert unused == [
        (6, 37, "x-lint-ignore of mock-body-example silences nothing: no mock-body-example problem lies in this "
                "object; remove it"),
        (6, 56, "x-lint-ignore names 'operation-tag', which is no rule; did you mean 'operation-tags'?"),
    ]


def test_an_entry_for_a_rule_that_is_off_there_is_not_called_unused() -> None:
    spec_text = doc(TEXT.replace("x-lint-ignore: [operation-tags]", "x-lint-ignore: [mock-body-example]"))
    from contracts.lint.linter import check_openapi
    from contracts.lint.source import parse

    spec = check_openapi(parse(spec_text, Path("openapi.yaml"), "openapi.yaml"))
    config = Config(overrides=(Override(("*",), {"mock-body-example": Severity.OFF}, ("/paths/~1tickets",)),))
    rules = [rule for rule in RULES if rule.id in ("unused-lint-ignore", "mock-body-example")]
    assert run_rules(spec, rules, config) == []
