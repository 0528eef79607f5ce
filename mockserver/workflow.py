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
        """(action, allowed-from states, resulting state) per action, for docs and tests."""
        actions = sorted({action for (_, action) in self.transitions})
        return [
            (action, self.sources_of(action), next(t for (s, a), t in self.transitions.items() if a == action))
            for action in actions
        ]
