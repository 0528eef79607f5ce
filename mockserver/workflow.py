"""Workflow rules as data: a transition table from (state, action) to the next state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mockserver.errors import TransitionNotAllowed


@dataclass(frozen=True, slots=True)
class Workflow:
    """The states a resource moves through and the actions that move it.

    `transitions[(state, action)]` is the state after `action`; a missing pair means the action is
    not allowed from that state.
    """

    resource: str
    transitions: Mapping[tuple[str, str], str]

    @classmethod
    def from_rules(cls, resource: str, rules: Mapping[str, tuple[Iterable[str], str]]) -> Workflow:
        """Build from `{action: (states it is allowed from, resulting state)}`."""
        table = {(state, action): target for action, (sources, target) in rules.items() for state in sources}
        return cls(resource, table)

    def actions_from(self, state: str) -> list[str]:
        return sorted(action for (source, action) in self.transitions if source == state)

    def sources_of(self, action: str) -> list[str]:
        return sorted(source for (source, act) in self.transitions if act == action)

    def next_state(self, state: str, action: str) -> str:
        """The state after `action`, or TransitionNotAllowed naming what is allowed instead."""
        try:
            return self.transitions[(state, action)]
        except KeyError:
            raise TransitionNotAllowed(self.resource, state, action, self.actions_from(state)) from None

    def rows(self) -> list[tuple[str, list[str], str]]:
        """(action, allowed-from states, resulting state) per action, for docs and tests.

        An action that leaves every state as it was (a guard, not a move) reads "unchanged".
        """
        rows = []
        for action in sorted({action for (_, action) in self.transitions}):
            pairs = {(s, t) for (s, a), t in self.transitions.items() if a == action}
            targets = {t for _, t in pairs}
            if all(s == t for s, t in pairs):
                result = "unchanged"
            elif len(targets) == 1:
                result = targets.pop()
            else:
                result = ", ".join(f"{s} -> {t}" for s, t in sorted(pairs))
            rows.append((action, self.sources_of(action), result))
        return rows


def markdown_table(workflow: Workflow) -> str:
    """The transition table as Markdown (the README shows it; a test keeps the two in step)."""
    lines = ["| action | allowed from | resulting state |", "|---|---|---|"]
    for action, sources, target in workflow.rows():
        lines.append(f"| {action} | {', '.join(sources)} | {target} |")
    return "\n".join(lines)
