"""Journal entries as one line each, matching them, and what a failed call assertion says (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# What `assert_called(..., **match)` may compare, keyword -> the journal entry's member.
MATCH_FIELDS = {"api": "api", "method": "method", "path": "path", "query": "query", "status": "status",
                "validation": "validation", "reason": "reason", "fault": "fault"}
SHOWN = 20  # requests listed in a failure message or report


def describe(entry: Mapping[str, Any]) -> str:
    """`POST /bobdesk/api/v3.0/tickets -> 400 createTicket  request: invalid body field title: ...`."""
    query = f"?{entry['query']}" if entry.get("query") else ""
    line = f"{entry.get('method')} {entry.get('path')}{query} -> {entry.get('status')} " \
           f"{entry.get('operationId') or '(no operation)'}"
    validation = entry.get("validation") or "ok"
    if validation != "ok":
        line += f"  {validation}"
    elif entry.get("reason"):
        line += f"  {entry['reason']}"
    return line


def listing(entries: Sequence[Mapping[str, Any]], limit: int = SHOWN) -> str:
    """The last `limit` entries, one per line, oldest first, saying how many were left out."""
    if not entries:
        return "  (no requests)"
    shown = entries[-limit:] if limit else []
    lines = [f"  {describe(entry)}" for entry in shown]
    if len(entries) > len(shown):
        lines.insert(0, f"  ... {len(entries) - len(shown)} earlier request(s) not shown")
    return "\n".join(lines)


def check_keys(match: Mapping[str, Any]) -> None:
    unknown = sorted(set(match) - set(MATCH_FIELDS))
    if unknown:
        raise TypeError(f"cannot match on {', '.join(unknown)}: a journal entry can be matched on "
                        f"{', '.join(MATCH_FIELDS)}")


def matches(entry: Mapping[str, Any], match: Mapping[str, Any]) -> bool:
    """Every keyword holds: equal, a compiled pattern that finds a match, or a callable that returns True."""
    for key, expected in match.items():
        value = entry.get(MATCH_FIELDS[key])
        if isinstance(expected, re.Pattern):
            if not isinstance(value, str) or not expected.search(value):
                return False
        elif callable(expected):
            if not expected(value):
                return False
        elif value != expected:
            return False
    return True


def shown_match(match: Mapping[str, Any]) -> str:
    parts = []
    for key, expected in match.items():
        if isinstance(expected, re.Pattern):
            parts.append(f"{key}~{expected.pattern!r}")
        elif callable(expected):
            parts.append(f"{key}={getattr(expected, '__name__', 'predicate')}(...)")
        else:
            parts.append(f"{key}={expected!r}")
    return ", ".join(parts)


def times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def called_message(operation_id: str, *, found: int, of_operation: int, expected: int | None,
                   match: Mapping[str, Any], session: str, entries: Sequence[Mapping[str, Any]]) -> str:
    """Why `assert_called` / `assert_not_called` failed, with what the session was asked instead."""
    wanted = "at least once" if expected is None else times(expected)
    what = f"{operation_id} ({shown_match(match)})" if match else operation_id
    said = f"{what} was called {times(found)}, expected {wanted}"
    if match and of_operation != found:
        said += f" ({operation_id} was called {times(of_operation)} in all)"
    return f"{said}, in ticketmock session {session!r}. Requests in the session, oldest first:\n{listing(entries)}"
