"""Read `[tool.ticketmock.lint]` from pyproject.toml: severities, ignores, overrides, plugins, baseline."""

#     [tool.ticketmock.lint]
#     rules = { "operation-4xx-response" = "off", "mock-body-example" = "error" }
#     ignore = ["specs/legacy/*"]
#     plugins = ["mypackage.lint_rules"]
#     baseline = "lint-baseline.json"
#
#     [[tool.ticketmock.lint.overrides]]
#     files = ["specs/partner/*"]
#     pointers = ["/paths/~1legacy"]
#     rules = { "operation-summary" = "off" }
#
# `rules` maps a rule id to "off", "warn" or "error". `ignore` holds fnmatch globs matched against
# file paths relative to the pyproject.toml's directory (`*` also matches `/`); a matching file is
# neither linted nor reported on. An override applies its `rules` to problems in files matching
# one of its `files` globs (the file the problem is written in) and, when `pointers` is given,
# whose JSON pointer starts with one of them (compared as text, so `/paths/~1legacy` covers every
# path beginning with /legacy); later overrides win. `plugins` are Python modules imported (from
# the Python path, or the pyproject.toml's directory) before the rules are checked, whose rules
# register like the built-in ones. `baseline` is the default for --baseline / --write-baseline.
# Any unknown key, rule or value, and a plugin that cannot be loaded, is a ConfigError (exit 2).

from __future__ import annotations

import difflib
import fnmatch
import importlib
import os
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contracts.lint.model import Severity

SECTION = "[tool.ticketmock.lint]"
OVERRIDES = "[[tool.ticketmock.lint.overrides]]"
_KEYS = ("rules", "ignore", "overrides", "plugins", "baseline")
_OVERRIDE_KEYS = ("files", "pointers", "rules")


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line naming the file, the key and the fix."""


def _relative(file: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(file.resolve(), root.resolve())).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return file.resolve().as_posix()


@dataclass(frozen=True)
class Override:
    """Severities for problems in some files, optionally under some JSON pointers only."""

    files: tuple[str, ...]
    rules: dict[str, Severity]
    pointers: tuple[str, ...] = ()

    def matches(self, relative_file: str, pointer: str) -> bool:
        """Whether a problem in `relative_file` (posix, relative to the config) at `pointer` is covered."""
        if not any(fnmatch.fnmatch(relative_file, pattern) for pattern in self.files):
            return False
        return not self.pointers or any(pointer.startswith(prefix) for prefix in self.pointers)


@dataclass(frozen=True)
class Config:
    """The linter's configuration, with the directory its globs and paths are relative to."""

    rules: dict[str, Severity] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    root: Path = field(default_factory=Path.cwd)
    path: Path | None = None
    overrides: tuple[Override, ...] = ()
    plugins: tuple[str, ...] = ()
    baseline: Path | None = None

    def ignores(self, file: Path) -> bool:
        """Whether `file` matches one of the ignore globs."""
        if not self.ignore:
            return False
        relative = _relative(file, self.root)
        return any(fnmatch.fnmatch(relative, pattern) for pattern in self.ignore)

    def enabled(self, rule_id: str, default: Severity) -> bool:
        """Whether the rule can report anything: on by default or configuration, or in some override."""
        if self.rules.get(rule_id, default) is not Severity.OFF:
            return True
        return any(override.rules.get(rule_id, Severity.OFF) is not Severity.OFF for override in self.overrides)

    def severity(self, rule_id: str, default: Severity, file: Path | None = None, pointer: str = "") -> Severity:
        """The severity of a problem of `rule_id` in `file` at `pointer`: default, then rules, then overrides."""
        severity = self.rules.get(rule_id, default)
        if self.overrides and file is not None:
            relative = _relative(file, self.root)
            for override in self.overrides:
                if rule_id in override.rules and override.matches(relative, pointer):
                    severity = override.rules[rule_id]
        return severity


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

    No file, or a file without the section, gives the defaults. Plugins are imported first, so
    that their rule ids are known to `rules` and `overrides`.
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
    root = path.parent.resolve()
    section: Any = document.get("tool", {}).get("ticketmock", {}).get("lint")
    if section is None:
        return Config(root=root, path=path)
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: {SECTION} must be a table")
    for key in section:
        if key not in _KEYS:
            hint = _did_you_mean(key, _KEYS, ", ".join(_KEYS))
            raise ConfigError(f"{path}: {SECTION} has unknown key {key!r}; {hint}")
    plugins = _strings(section.get("plugins", []), f"{path}: {SECTION} plugins must be a list of module names")
    load_plugins(plugins, root, f"{path}: {SECTION} plugins")
    known = RULES.ids()
    rules = _severities(section.get("rules", {}), known, f"{path}: {SECTION} rules")
    ignore = _strings(section.get("ignore", []), f"{path}: {SECTION} ignore must be a list of glob strings")
    baseline = section.get("baseline")
    if baseline is not None and (not isinstance(baseline, str) or not baseline.strip()):
        raise ConfigError(f"{path}: {SECTION} baseline must be a file name, e.g. \"lint-baseline.json\"")
    raw_overrides = section.get("overrides", [])
    if not isinstance(raw_overrides, list) or not all(isinstance(o, dict) for o in raw_overrides):
        raise ConfigError(f"{path}: {SECTION} overrides must be an array of tables ({OVERRIDES})")
    overrides = tuple(_override(o, i, known, path) for i, o in enumerate(raw_overrides))
    return Config(rules=rules, ignore=tuple(ignore), root=root, path=path, overrides=overrides,
                  plugins=tuple(plugins), baseline=root / baseline if isinstance(baseline, str) else None)


def load_plugins(modules: Iterable[str], root: Path, where: str) -> None:
    """Import each plugin module (its rules register themselves); ConfigError names the one that fails."""
    from contracts.lint.rules import RULES

    for name in modules:
        sys.path.insert(0, str(root))
        try:
            importlib.import_module(name)
        except Exception as exc:  # a broken plugin is a configuration error, whatever it raises
            reason = (str(exc).strip().splitlines() or [""])[0]
            raise ConfigError(f"{where}: cannot load {name!r}: {type(exc).__name__}"
                              f"{': ' + reason if reason else ''}") from None
        finally:
            sys.path.remove(str(root))
        if not any(rule.module == name or rule.module.startswith(name + ".") for rule in RULES):
            raise ConfigError(f"{where}: module {name!r} registers no rule; a rule module sets ID and SEVERITY and "
                              f"decorates its check with contracts.lint.registry.register")


def _strings(value: Any, message: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(message)
    return list(value)


def _severities(raw: Any, known: list[str], where: str) -> dict[str, Severity]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table of rule id = \"off\" | \"warn\" | \"error\"")
    rules: dict[str, Severity] = {}
    for rule_id, level in raw.items():
        if rule_id not in known:
            raise ConfigError(f"{where}: unknown rule {rule_id!r}; "
                              f"{_did_you_mean(rule_id, known, 'run `ticketmock lint --list-rules`')}")
        try:
            rules[rule_id] = Severity(level)
        except ValueError:
            raise ConfigError(f"{where}: {rule_id} = {level!r} is not a severity; "
                              f"use \"off\", \"warn\" or \"error\"") from None
    return rules


def _override(raw: dict[str, Any], index: int, known: list[str], path: Path) -> Override:
    where = f"{path}: {OVERRIDES} #{index + 1}"
    for key in raw:
        if key not in _OVERRIDE_KEYS:
            raise ConfigError(f"{where} has unknown key {key!r}; "
                              f"{_did_you_mean(key, _OVERRIDE_KEYS, ', '.join(_OVERRIDE_KEYS))}")
    if "files" not in raw:
        raise ConfigError(f"{where} needs files = [\"glob\", ...] (relative to {path.name}; \"*\" for every file)")
    files = _strings(raw["files"], f"{where}: files must be a list of glob strings")
    pointers = _strings(raw.get("pointers", []), f"{where}: pointers must be a list of JSON pointers")
    for pointer in pointers:
        if pointer and not pointer.startswith("/"):
            raise ConfigError(f"{where}: pointer {pointer!r} must start with '/' (e.g. \"/paths/~1legacy\")")
    if "rules" not in raw:
        raise ConfigError(f"{where} needs rules = {{ \"rule-id\" = \"off\" | \"warn\" | \"error\" }}")
    return Override(tuple(files), _severities(raw["rules"], known, f"{where} rules"), tuple(pointers))


def _did_you_mean(word: str, choices: Any, otherwise: str) -> str:
    choices = list(choices)
    folded = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(folded), n=1, cutoff=0.6)
    if close:
        return f"did you mean {folded[close[0]]!r}?"
    return f"known: {otherwise}" if "," in otherwise else otherwise
