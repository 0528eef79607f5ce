"""Workflow transition tables."""

from __future__ import annotations

import pytest

from mockserver.errors import TransitionNotAllowed
from mockserver.workflow import Workflow

FLOW = Workflow.from_rules("ticket", {
    "start": (("new",), "open"),
    "close": (("new", "open"), "closed"),
    "reopen": (("closed",), "open"),
})


def test_next_state_follows_the_table() -> None:
    assert FLOW.next_state("new", "start") == "open"
    assert FLOW.next_state("open", "close") == "closed"
    assert FLOW.next_state("closed", "reopen") == "open"


def test_refusal_names_state_action_and_the_allowed_actions() -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        FLOW.next_state("closed", "close")
    assert caught.value.allowed == ("reopen",)
    assert str(caught.value) == ("cannot close ticket: its status is 'closed'; actions allowed from "
                                 "'closed': reopen")


def test_rows_describe_the_table_for_docs() -> None:
    assert FLOW.rows() == [("close", ["new", "open"], "closed"), ("reopen", ["closed"], "open"),
                           ("start", ["new"], "open")]
    assert FLOW.actions_from("new") == ["close", "start"]
