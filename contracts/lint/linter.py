"""Lint files: find them, load them, check they are OpenAPI 3.0/3.1, run the rules (pure; no output)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from contracts.lint import ignores
from contracts.lint import source as source_module
from contracts.lint.baseline import Entry, Key
from contracts.lint.config import Config
from contracts.lint.document import Spec, display_name
from contracts.lint.model import LintError, Problem, Severity
from contracts.lint.registry import Rule

_SUFFIXES = (".yaml", ".yml", ".json")
# A directory holds specs and their fragments; only files with a top-level `openapi:` are roots.
_OPENAPI_YAML = re.compile(r"^(?:openapi|'openapi'|\"openapi\")[ \t]*:", re.MULTILINE)
_OPENAPI_JSON = re.compile(r"\"openapi\"\s*:")
_SKIP_DIRS = {"node_modules", "__pycache__"}


@dataclass
class Result:
    """What a lint run found: problems, files that could not be linted, the files linted, and a baseline's effect.

    `sources` are all files read (referenced ones too), resolved; `strict` makes warnings fail
    (renderers show them as failures then); `baseline` is the baseline applied, `baselined` how many
    problems it matched and `stale` its entries that no longer occur.
    """

    problems: list[Problem] = field(default_factory=list)
    failures: list[LintError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # linted (loaded as OpenAPI), as displayed
    sources: list[Path] = field(default_factory=list)
    strict: bool = False
    baseline: Path | None = None
    baselined: int = 0
    stale: list[tuple[Key, Entry]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Error problems, a collapsed problem counting as many as it stands for."""
        return sum(p.count for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """Warning problems, counted like errors."""
        return sum(p.count for p in self.problems if p.severity is Severity.WARN)

    def exit_code(self, strict: bool | None = None) -> int:
        """2 when a file could not be linted, 1 on errors (or warnings with `strict`), else 0."""
        strict = self.strict if strict is None else strict
        if self.failures:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0


def _looks_like_openapi(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return False
    pattern = _OPENAPI_JSON if path.suffix.lower() == ".json" else _OPENAPI_YAML
    return bool(pattern.search(text))


def collect(paths: Sequence[Path], config: Config) -> tuple[list[Path], list[LintError]]:
    """Expand `paths` (files, or directories searched for OpenAPI roots) minus ignored files."""
    files: list[Path] = []
    failures: list[LintError] = []
    for path in paths:
        if path.is_dir():
            found = [
                candidate for candidate in sorted(path.rglob("*"))
                if candidate.suffix.lower() in _SUFFIXES and candidate.is_file()
                and not any(part.startswith(".") or part in _SKIP_DIRS for part in candidate.relative_to(path).parts)
                and _looks_like_openapi(candidate)
            ]
            if not found:
                failures.append(LintError(display_name(path), "no OpenAPI documents found in this directory"))
            files.extend(f for f in found if not config.ignores(f))
        elif path.exists():
            if not config.ignores(path):
                files.append(path)
        else:
            failures.append(LintError(display_name(path), "no such file or directory"))
    unique = list(dict.fromkeys(f.resolve() for f in files))
    return unique, failures


def open_spec(path: Path, severities: dict[str, Severity] | None = None) -> Spec:
    """Load one file as an OpenAPI 3.0/3.1 document; LintError when it is not one."""
    display = display_name(path)
    return check_openapi(source_module.load(path, display), severities)


def check_openapi(source: source_module.Source, severities: dict[str, Severity] | None = None) -> Spec:
    """Wrap a parsed file as a Spec, refusing anything that is not an OpenAPI 3.0 or 3.1 document."""
    data = source.data
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise LintError(source.display, f"not an OpenAPI document: the file is {kind}, not a mapping")
    if "openapi" not in data:
        if "swagger" in data:
            raise LintError(source.display, f"Swagger {data['swagger']} is not supported; convert it to OpenAPI 3 "
                                            f"(e.g. with swagger2openapi)")
        raise LintError(source.display, "not an OpenAPI document: no top-level 'openapi' field")
    version = str(data["openapi"])
    if not re.match(r"3\.[01]\.\d+", version):
        raise LintError(source.display, f"OpenAPI version {version!r} is not supported; use 3.0.x or 3.1.x")
    return Spec(source, severities)


UNUSED_IGNORE = "unused-lint-ignore"


def run_rules(spec: Spec, rules: Iterable[Rule], config: Config | None = None) -> list[Problem]:
    """Every problem the enabled rules find in `spec`, after configuration and in-place ignores, sorted.

    Identical problems of one cause at one place collapse into one with a count. Severities come
    from the rule, then `rules`, then matching `overrides`; an `off` problem is dropped. Problems
    an `x-lint-ignore` covers are dropped, and each ignore entry that covered nothing becomes an
    `unused-lint-ignore` problem (when that rule is selected): to know, the rules that ignores
    name run even when not selected, their problems only counted.
    """
    from contracts.lint.registry import RULES

    config = config or Config()
    selected = [rule for rule in rules if config.enabled(rule.id, rule.severity)]
    selected_ids = {rule.id for rule in selected}
    entries: list[ignores.Entry] = []
    malformed: list[ignores.Malformed] = []
    shadow: list[Rule] = []
    if any(source.lint_ignores for source in spec.sources_after_walk):
        entries, malformed = ignores.collect(spec.sources, RULES.ids())
        if UNUSED_IGNORE in selected_ids:
            named = {entry.rule for entry in entries} - selected_ids
            shadow = [RULES[r] for r in sorted(named) if config.enabled(r, RULES[r].severity)]
    found: dict[tuple[str, int, int, str, str], Problem] = {}
    for rule in [*selected, *shadow]:
        if rule.id == UNUSED_IGNORE:
            continue  # computed below, from what the other rules found
        try:
            problems = list(rule.check(spec))
        except Exception as exc:  # a rule bug must not hide the other rules' findings
            where = "" if rule.module.startswith("contracts.lint.rules.") else f" (plugin {rule.module})"
            problems = [spec.problem(rule.id, spec.loc, f"rule crashed on this document{where} "
                                                        f"({type(exc).__name__}: {exc}); please report this bug")]
        for problem in problems:
            # One cause can give the same problem at the same place more than once (an example
            # breaking two allOf members alike): one line, with how many it stands for.
            same = found.get(problem.sort_key)
            found[problem.sort_key] = problem if same is None else replace(same, count=same.count + problem.count)
    paths = {source.display: source.path for source in spec.sources}
    problems = _configured(found.values(), config, paths)
    problems = ignores.silence(problems, entries)
    problems = [p for p in problems if p.rule in selected_ids]
    if UNUSED_IGNORE in selected_ids:
        ran = selected_ids | {rule.id for rule in shadow}
        unused = [spec.problem(UNUSED_IGNORE, bad.loc, bad.message) for bad in malformed]
        for entry in entries:
            if entry.used or entry.rule not in ran or config.severity(
                    entry.rule, RULES[entry.rule].severity, entry.loc.source.path, entry.owner) is Severity.OFF:
                continue  # covered something, or its rule did not run here: nothing to say
            unused.append(spec.problem(
                UNUSED_IGNORE, entry.loc,
                f"x-lint-ignore of {entry.rule} silences nothing: no {entry.rule} problem lies in this object; "
                f"remove it"))
        # An x-lint-ignore may itself list unused-lint-ignore.
        problems.extend(ignores.silence(_configured(unused, config, paths), entries))
    if config.ignore:
        problems = [p for p in problems if not (p.file in paths and config.ignores(paths[p.file]))]
    return sorted(problems, key=lambda p: p.sort_key)


def _configured(problems: Iterable[Problem], config: Config, paths: dict[str, Path]) -> list[Problem]:
    """Problems with the severity the configuration gives them where they are; `off` ones dropped."""
    from contracts.lint.registry import RULES

    kept: list[Problem] = []
    for problem in problems:
        default = RULES[problem.rule].severity if problem.rule in RULES else problem.severity
        severity = config.severity(problem.rule, default, paths.get(problem.file), problem.pointer)
        if severity is Severity.OFF:
            continue
        kept.append(problem if severity is problem.severity else replace(problem, severity=severity))
    return kept


def lint_paths(paths: Sequence[Path], config: Config, rules: Iterable[Rule] | None = None) -> Result:
    """Lint every OpenAPI file under `paths`."""
    if rules is None:
        from contracts.lint.rules import RULES

        rules = list(RULES)
    rules = list(rules)
    files, failures = collect(paths, config)
    result = Result(failures=failures)
    for path in files:
        try:
            spec = open_spec(path, config.rules)
        except LintError as exc:
            result.failures.append(exc)
            continue
        result.files.append(display_name(path))
        result.problems.extend(run_rules(spec, rules, config))
        result.sources.extend(source.path.resolve() for source in spec.sources)
    result.problems.sort(key=lambda p: p.sort_key)
    result.sources = list(dict.fromkeys(result.sources))
    return result


def lint_text(text: str, rule_ids: Iterable[str] | None = None, name: str = "openapi.yaml",
              base: Path | None = None) -> list[Problem]:
    """Lint a document given as text (tests, editors); `base` is the directory relative refs start from."""
    from contracts.lint.rules import RULES

    path = (base or Path.cwd()) / name
    spec = check_openapi(source_module.parse(text, path, name))
    selected = [RULES[r] for r in rule_ids] if rule_ids is not None else list(RULES)
    return run_rules(spec, selected)
