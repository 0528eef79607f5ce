"""The values the linter produces: a `Problem` and its `Severity`."""

from __future__ import annotations

import enum
from dataclasses import dataclass


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
    `line` and `column` are 1-based; `pointer` is the JSON pointer of the node inside `file`.
    """

    file: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    pointer: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column} {self.severity.label} {self.rule} {self.message}"


class LintError(Exception):
    """A file cannot be linted at all (missing, unparseable, not OpenAPI): exit code 2."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message
