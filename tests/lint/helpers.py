"""Helpers for the linter tests: lint a YAML snippet, get (rule, line, column) triples back."""

from __future__ import annotations

import textwrap
from pathlib import Path

from contracts.lint.linter import lint_text
from contracts.lint.model import Problem


def doc(text: str) -> str:
    """A test snippet as written in the test, dedented, its first line being line 1."""
    return textwrap.dedent(text).lstrip("\n")


def problems(text: str, rule: str, base: Path | None = None, name: str = "openapi.yaml") -> list[Problem]:
    """Problems of one rule in a YAML/JSON document given as (indented) text."""
    return lint_text(doc(text), [rule], name=name, base=base)


def found(text: str, rule: str, base: Path | None = None, name: str = "openapi.yaml") -> list[tuple[str, int, int]]:
    """(rule, line, column) of each problem `rule` finds in the snippet, in report order."""
    return [(p.rule, p.line, p.column) for p in problems(text, rule, base, name)]
