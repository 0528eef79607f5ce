"""In-place ignores: `x-lint-ignore` on an object silences rules for that object and everything beneath it."""

# Two forms, on any object that takes `x-` extensions:
#
#     x-lint-ignore: [operation-summary, mock-body-example]
#     x-lint-ignore:
#       operation-summary: Generated from code; summaries come with the next release
#
# An entry covers the problems of its rule located in the owning object's subtree, in the file
# where it is written (problems point where the offending node is written, so an ignore inside a
# referenced component covers what is found in that component). An entry that covers nothing, or
# names no known rule, is reported by the linter as `unused-lint-ignore`.

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from contracts.lint.document import Loc, json_pointer
from contracts.lint.model import Problem
from contracts.lint.source import Source

KEY = "x-lint-ignore"


@dataclass
class Entry:
    """One rule silenced by one `x-lint-ignore`: where it is written and what it covers."""

    rule: str
    loc: Loc  # the list item or map key naming the rule
    owner: str  # JSON pointer of the object holding the x-lint-ignore
    used: bool = False

    def covers(self, problem: Problem) -> bool:
        """Whether `problem` is of this rule and lies in the owner's subtree, in the same file."""
        if problem.rule != self.rule or problem.file != self.loc.source.display:
            return False
        pointer = problem.pointer
        return not self.owner or pointer == self.owner or pointer.startswith(self.owner + "/")


@dataclass(frozen=True)
class Malformed:
    """An `x-lint-ignore` that cannot be read, or names an unknown rule: where, and what to say."""

    loc: Loc
    message: str


def collect(sources: Iterable[Source], known: Sequence[str]) -> tuple[list[Entry], list[Malformed]]:
    """Every entry of every `x-lint-ignore` in `sources`, and those that cannot be used."""
    entries: list[Entry] = []
    malformed: list[Malformed] = []
    for source in sources:
        for owner in source.lint_ignores:
            loc = Loc(source, (*owner, KEY))
            value, _ = source.node_at(loc.pointer)
            if isinstance(value, list):
                named = [(item, loc / i) for i, item in enumerate(value)]
            elif isinstance(value, dict):
                named = [(key, loc / key) for key in value]
            else:
                malformed.append(Malformed(loc, f"{KEY} must be a list of rule ids or a map of rule id to reason, "
                                                f"not {_kind(value)}; it silences nothing"))
                continue
            for rule, where in named:
                if not isinstance(rule, str) or rule not in known:
                    close = difflib.get_close_matches(str(rule), list(known), n=1)
                    hint = f"did you mean {close[0]!r}?" if close else "run `ticketmock lint --list-rules`"
                    malformed.append(Malformed(where, f"{KEY} names {rule!r}, which is no rule; {hint}"))
                else:
                    entries.append(Entry(rule, where, json_pointer(owner)))
    return entries, malformed


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    return "a string" if isinstance(value, str) else f"a {type(value).__name__}"


def silence(problems: Iterable[Problem], entries: Sequence[Entry]) -> list[Problem]:
    """The problems no entry covers; each entry that covers one is marked used."""
    if not entries:
        return list(problems)
    kept: list[Problem] = []
    by_rule: dict[str, list[Entry]] = {}
    for entry in entries:
        by_rule.setdefault(entry.rule, []).append(entry)
    for problem in problems:
        covering = [entry for entry in by_rule.get(problem.rule, ()) if entry.covers(problem)]
        for entry in covering:
            entry.used = True
        if not covering:
            kept.append(problem)
    return kept
