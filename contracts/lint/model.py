"""The values the linter produces: a `Problem`, its `Severity` and its fingerprint."""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from typing import Any


class Severity(enum.Enum):
    """How much a problem matters; `off` only appears in configuration."""

    ERROR = "error"
    WARN = "warn"
    OFF = "off"

    @property
    def label(self) -> str:
        """The word printed in reports ("error" / "warning")."""
        return "warning" if self is Severity.WARN else self.value


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding, positioned in the file where the offending node is written.

    Reports sort by `sort_key`: file, line, column, rule, message.
    `line` and `column` are 1-based; `end_line`/`end_column` point just after the offending value
    (0 when unknown); `pointer` is the JSON pointer of the node inside `file`; `fingerprint` is a
    hash of the offending value's shape (what a baseline matches on, with rule and pointer);
    `count` says how many identical problems of one cause at this location it stands for.
    """

    file: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    pointer: str = ""
    end_line: int = 0
    end_column: int = 0
    fingerprint: str = ""
    count: int = 1

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    @property
    def text(self) -> str:
        """The message, with the count when identical problems were collapsed into this one."""
        return self.message if self.count == 1 else f"{self.message} (x{self.count})"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column} {self.severity.label} {self.rule} {self.text}"


def fingerprint(value: Any) -> str:
    """A short hash of a value's shape: a scalar itself, a mapping's keys, a list's scalar items.

    Shallow on purpose: a problem found on an operation keeps its fingerprint when something deep
    inside the operation changes, and a moved node (same value, other lines) keeps it too.
    """
    if isinstance(value, dict):
        shape: Any = {"{}": sorted(str(k) for k in value)}
    elif isinstance(value, list):
        shape = ["{}" if isinstance(v, dict) else "[]" if isinstance(v, list) else v for v in value]
    else:
        shape = value
    text = json.dumps(shape, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class LintError(Exception):
    """A file cannot be linted at all (missing, unparseable, not OpenAPI): exit code 2."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message
