"""Read `[tool.ticketmock.lint]` from pyproject.toml: rule severities and ignored paths."""

#     [tool.ticketmock.lint]
#     rules = { "operation-4xx-response" = "off", "mock-body-example" = "error" }
#     ignore = ["specs/legacy/*"]
#
# `rules` maps a rule id to "off", "warn" or "error". `ignore` holds fnmatch globs matched against
# file paths relative to the pyproject.toml's directory (`*` also matches `/`); a matching file is
# neither linted nor reported on. Any unknown key, rule or value is a ConfigError (exit code 2).

from __future__ import annotations

import difflib
import fnmatch
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contracts.lint.model import Severity

SECTION = "[tool.ticketmock.lint]"
_KEYS = ("rules", "ignore")


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line naming the file, the key and the fix."""


@dataclass(frozen=True)
class Config:
    """Rule severity overrides and ignore globs, with the directory the globs are relative to."""

    rules: dict[str, Severity] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    root: Path = field(default_factory=Path.cwd)
    path: Path | None = None

    def ignores(self, file: Path) -> bool:
        """Whether `file` matches one of the ignore globs."""
        if not self.ignore:
            return False
        try:
            relative = Path(os.path.relpath(file.resolve(), self.root.resolve())).as_posix()
        except ValueError:  # pragma: no cover - another drive on Windows
            relative = file.resolve().as_posix()
        return any(fnmatch.fnmatch(relative, pattern) for pattern in self.ignore)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml in `start` or its parents."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Load the configuration from `path`, or from the pyproject.toml nearest to `start` (or cwd).

    No file, or a file without the section, gives the defaults. `rule_ids` are checked against
    the registered rules (imported here so that the CLI's import chain stays light until used).
    """
    from contracts.lint.rules import RULES

    if path is None:
        path = find_pyproject(start or Path.cwd())
        if path is None:
            return Config()
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not readable TOML: {exc}") from None
    section: Any = document.get("tool", {}).get("ticketmock", {}).get("lint")
    if section is None:
        return Config(root=path.parent.resolve(), path=path)
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: {SECTION} must be a table")
    for key in section:
        if key not in _KEYS:
            hint = _did_you_mean(key, _KEYS, "rules, ignore")
            raise ConfigError(f"{path}: {SECTION} has unknown key {key!r}; {hint}")
    rules: dict[str, Severity] = {}
    raw_rules = section.get("rules", {})
    if not isinstance(raw_rules, dict):
        raise ConfigError(f"{path}: {SECTION} rules must be a table of rule id = \"off\" | \"warn\" | \"error\"")
    known = RULES.ids()
    for rule_id, level in raw_rules.items():
        if rule_id not in RULES:
            raise ConfigError(f"{path}: {SECTION} rules: unknown rule {rule_id!r}; "
                              f"{_did_you_mean(rule_id, known, 'run `ticketmock lint --list-rules`')}")
        try:
            rules[rule_id] = Severity(level)
        except ValueError:
            raise ConfigError(f"{path}: {SECTION} rules: {rule_id} = {level!r} is not a severity; "
                              f"use \"off\", \"warn\" or \"error\"") from None
    ignore = section.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(p, str) for p in ignore):
        raise ConfigError(f"{path}: {SECTION} ignore must be a list of glob strings")
    return Config(rules=rules, ignore=tuple(ignore), root=path.parent.resolve(), path=path)


def _did_you_mean(word: str, choices: Any, otherwise: str) -> str:
    choices = list(choices)
    folded = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(folded), n=1, cutoff=0.6)
    if close:
        return f"did you mean {folded[close[0]]!r}?"
    return f"known: {otherwise}" if "," in otherwise else otherwise
