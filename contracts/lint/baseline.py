"""Baselines: record today's problems, then report only new ones (and the entries that no longer occur)."""

# A baseline is a JSON file, sorted and indented so that it diffs well in review:
#
#     {"tool": "ticketmock lint", "version": 1, "problems": [
#       {"file": "specs/tickets/openapi.yaml", "rule": "operation-summary",
#        "pointer": "/paths/~1tickets/get", "fingerprint": "3f0c2a9d1e5b7c44", "count": 1,
#        "message": "GET /tickets has no summary; ..."}]}
#
# An entry matches a problem by file (relative to the baseline's directory), rule, JSON pointer
# and the fingerprint of the offending value's shape, never by line, so moving a node keeps it
# matched and changing the offending value does not. `count` is how many such problems there
# were: one more is new. `message` is for the reader only and not matched, so a reworded message
# in a later ticketmock does not make entries stale.

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from contracts.lint.model import Problem

TOOL = "ticketmock lint"
VERSION = 1
DEFAULT_NAME = "lint-baseline.json"


class BaselineError(Exception):
    """A baseline file cannot be read or written; the message is one line naming the file and the fix."""


@dataclass(frozen=True, slots=True, order=True)
class Key:
    """What an entry matches on."""

    file: str
    pointer: str
    rule: str
    fingerprint: str


@dataclass
class Entry:
    """A baseline entry: how many problems of its key were recorded, and the last message seen."""

    count: int
    message: str


@dataclass
class Outcome:
    """What applying a baseline did: the new problems, how many were baselined, the stale entries."""

    problems: list[Problem]
    baselined: int = 0
    stale: list[tuple[Key, Entry]] = field(default_factory=list)


def _relative(file: str, directory: Path) -> str:
    try:
        return Path(os.path.relpath(Path(file).resolve(), directory.resolve())).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return Path(file).resolve().as_posix()


def key_of(problem: Problem, directory: Path) -> Key:
    """The baseline key of a problem, its file made relative to the baseline's directory."""
    return Key(_relative(problem.file, directory), problem.pointer, problem.rule, problem.fingerprint)


def entries_of(problems: Iterable[Problem], directory: Path) -> dict[Key, Entry]:
    """Baseline entries for `problems`: one per key, counting collapsed problems by their count."""
    entries: dict[Key, Entry] = {}
    for problem in problems:
        key = key_of(problem, directory)
        if key in entries:
            entries[key].count += problem.count
        else:
            entries[key] = Entry(problem.count, problem.message)
    return entries


def write(path: Path, problems: Iterable[Problem]) -> int:
    """Write a baseline of `problems` to `path`; the number of problems recorded (counts included)."""
    if path.suffix.lower() != ".json":
        raise BaselineError(f"{path}: a baseline is a .json file; name one (e.g. --write-baseline {DEFAULT_NAME}), "
                            f"or give --write-baseline after the paths to lint")
    if path.exists():
        try:
            read(path)
        except BaselineError:
            raise BaselineError(f"{path}: exists and is not a ticketmock lint baseline; refusing to overwrite "
                                f"it") from None
    entries = entries_of(problems, path.parent)
    document = {
        "tool": TOOL,
        "version": VERSION,
        "problems": [
            {"file": key.file, "rule": key.rule, "pointer": key.pointer, "fingerprint": key.fingerprint,
             "count": entry.count, "message": entry.message}
            for key, entry in sorted(entries.items())
        ],
    }
    try:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None
    return sum(entry.count for entry in entries.values())


def read(path: Path) -> dict[Key, Entry]:
    """The entries of the baseline at `path`; BaselineError when it is missing or not a baseline."""
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline; create it with `ticketmock lint --write-baseline {path}`") \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not a ticketmock lint baseline (not JSON: {exc.msg} at line {exc.lineno}); "
                            f"write it again with --write-baseline") from None
    if not isinstance(document, dict) or document.get("tool") != TOOL or not isinstance(document.get("problems"), list):
        raise BaselineError(f"{path}: not a ticketmock lint baseline (no \"tool\": \"{TOOL}\" with a \"problems\" "
                            f"list); write it again with --write-baseline")
    if document.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {document.get('version')!r} is not {VERSION}; write it again "
                            f"with --write-baseline")
    entries: dict[Key, Entry] = {}
    for i, item in enumerate(document["problems"]):
        fields = ("file", "rule", "pointer", "fingerprint")
        if not isinstance(item, dict) or not all(isinstance(item.get(f), str) for f in fields) or not (
                isinstance(item.get("count", 1), int) and item.get("count", 1) >= 1):
            raise BaselineError(f"{path}: baseline entry {i + 1} needs file, rule, pointer and fingerprint strings "
                                f"and a count of at least 1; write it again with --write-baseline")
        key = Key(item["file"], item["pointer"], item["rule"], item["fingerprint"])
        count = int(item.get("count", 1))
        if key in entries:
            entries[key].count += count
        else:
            entries[key] = Entry(count, str(item.get("message", "")))
    return entries


def apply(problems: Sequence[Problem], entries: dict[Key, Entry], directory: Path,
          linted: Iterable[Path]) -> Outcome:
    """Problems not in the baseline, how many were, and entries of linted files that no longer occur.

    `directory` is the baseline's; `linted` the files this run read, so that entries of files not
    linted this time are not called stale.
    """
    left = {key: entry.count for key, entry in entries.items()}
    outcome = Outcome([])
    for problem in problems:
        key = key_of(problem, directory)
        allowance = left.get(key, 0)
        if allowance >= problem.count:
            left[key] = allowance - problem.count
            outcome.baselined += problem.count
        elif allowance:
            # More of these than recorded: the recorded ones stay baselined, the rest is new.
            left[key] = 0
            outcome.baselined += allowance
            outcome.problems.append(replace(problem, count=problem.count - allowance))
        else:
            outcome.problems.append(problem)
    files = {_relative(str(path), directory) for path in linted}
    for key, remaining in sorted(left.items()):
        if remaining and key.file in files:
            outcome.stale.append((key, Entry(remaining, entries[key].message)))
    return outcome


def stale_line(key: Key, entry: Entry, baseline: Path) -> str:
    """One stale baseline entry, for people: where it was and what to do."""
    times = f" x{entry.count}" if entry.count != 1 else ""
    return (f"{baseline}: stale entry {key.rule} at {key.file}#{key.pointer}{times} no longer occurs; remove it "
            f"(or write the baseline again)")
