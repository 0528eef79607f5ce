"""unused-lint-ignore: x-lint-ignore entries that silence nothing, name no rule, or cannot be read."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "unused-lint-ignore"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets:
        x-lint-ignore: [operation-tags, operation-sumary]
        get:
          summary: List tickets
          x-lint-ignore:
            operation-summary: summaries come later
            operation-tags: no tags yet
          responses:
            "200": {description: The tickets.}
    components:
      schemas:
        Ticket:
          type: object
          x-lint-ignore: typed-enum
"""


def test_entries_that_silence_nothing_or_name_no_rule() -> None:
    # Both operation-tags entries cover the operation's missing tags, so both are used.
    assert found(TEXT, RULE) == [(RULE, 5, 37), (RULE, 9, 9), (RULE, 17, 7)]
    messages = [p.message for p in problems(TEXT, RULE)]
    assert messages == [
        "x-lint-ignore names 'operation-sumary', which is no rule; did you mean 'operation-summary'?",
        "x-lint-ignore of operation-summary silences nothing: no operation-summary problem lies in this object; "
        "remove it",
        "x-lint-ignore must be a list of rule ids or a map of rule id to reason, not a string; it silences nothing",
    ]


def test_an_ignore_can_keep_itself() -> None:
    text = TEXT.replace("operation-summary: summaries come later", "operation-summary: summaries come later\n"
                        "            unused-lint-ignore: kept while the summaries are rewritten")
    assert (RULE, 9, 9) not in found(text, RULE)
