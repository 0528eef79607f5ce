"""Render a lint Result as text, JSON, JUnit XML, SARIF 2.1.0, GitHub annotations, GitLab Code Quality or Markdown."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from contracts.lint.baseline import stale_line
from contracts.lint.linter import Result
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import Registry, Rule

TOOL = "ticketmock-lint"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
README = Path(__file__).resolve().with_name("README.md")
# Each rule has a stable anchor in contracts/lint/README.md: <a id="rule-RULE-ID"></a>.
ANCHOR = "rule-"


def information_uri() -> str:
    """Where the linter is documented: contracts/lint/README.md of the running ticketmock."""
    return README.as_uri()


def help_uri(rule: Rule | None, rule_id: str = "") -> str | None:
    """A rule's documentation: its anchor in contracts/lint/README.md, or a plugin's own HELP_URI."""
    if rule is not None and not rule.module.startswith("contracts.lint.rules."):
        import sys

        uri = getattr(sys.modules.get(rule.module), "HELP_URI", None)
        return uri if isinstance(uri, str) and uri else None
    return f"{information_uri()}#{ANCHOR}{rule.id if rule else rule_id}"


def version() -> str:
    """The installed ticketmock's version."""
    try:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as distribution_version

        return distribution_version("ticketmock")
    except PackageNotFoundError:
        return "0.1.0"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def summary(result: Result, counts: bool = True) -> str:
    """One line: problems, errors, warnings, files, unreadable files, baselined problems."""
    files = _plural(len(result.files), "file")
    if not counts:
        return files
    parts = []
    if result.problems:
        shown = sum(p.count for p in result.problems)
        parts.append(f"{_plural(shown, 'problem')} ({_plural(result.errors, 'error')}, "
                     f"{_plural(result.warnings, 'warning')}) in {files}")
    else:
        parts.append(f"no problems in {files}")
    if result.failures:
        parts.append(f"{len(result.failures)} could not be linted")
    if result.baseline is not None:
        parts.append(f"{result.baselined} baselined in {result.baseline}")
    return "; ".join(parts)


def stale_lines(result: Result) -> list[str]:
    """One line per baseline entry that no longer occurs."""
    if result.baseline is None:
        return []
    return [stale_line(key, entry, result.baseline) for key, entry in result.stale]


def render_text(result: Result, rules: Registry) -> str:
    """`file:line:col severity rule message`, sorted, then a summary line and any stale baseline entries."""
    lines = [str(p) for p in result.problems]
    lines.append(summary(result))
    lines.extend(stale_lines(result))
    return "\n".join(lines) + "\n"


def _rule(rules: Registry, rule_id: str) -> Rule | None:
    return rules[rule_id] if rule_id in rules else None


def _problem_json(problem: Problem, rules: Registry) -> dict[str, Any]:
    return {
        "file": problem.file, "line": problem.line, "column": problem.column,
        "end_line": problem.end_line or problem.line, "end_column": problem.end_column or problem.column,
        "rule": problem.rule, "severity": problem.severity.value, "message": problem.message,
        "count": problem.count, "pointer": problem.pointer, "fingerprint": problem.fingerprint,
        "documentation": help_uri(_rule(rules, problem.rule), problem.rule),
    }


def render_json(result: Result, rules: Registry) -> str:
    """One JSON object: the tool, problems (with end positions and documentation), failures, counts, baseline."""
    document: dict[str, Any] = {
        "tool": {"name": "ticketmock lint", "version": version(), "documentation": information_uri()},
        "problems": [_problem_json(p, rules) for p in result.problems],
        "failures": [{"file": f.file, "message": f.message} for f in result.failures],
        "summary": {"files": len(result.files), "errors": result.errors, "warnings": result.warnings,
                    "failures": len(result.failures)},
    }
    if result.baseline is not None:
        document["baseline"] = {
            "file": str(result.baseline), "baselined": result.baselined,
            "stale": [{"file": key.file, "rule": key.rule, "pointer": key.pointer, "fingerprint": key.fingerprint,
                       "count": entry.count, "message": entry.message} for key, entry in result.stale],
        }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_junit(result: Result, rules: Registry) -> str:
    """JUnit XML: a testsuite per file; an error is a failing testcase, a warning a skipped one.

    Skipped, so that a run with only warnings is green on a CI dashboard while every warning stays
    listed; with --strict (where warnings fail the run) warnings are failures too.
    """
    by_file: dict[str, list[Problem]] = {name: [] for name in result.files}
    for problem in result.problems:
        by_file.setdefault(problem.file, []).append(problem)
    suites = ElementTree.Element("testsuites", name="ticketmock lint")
    total = failures = errors = skipped = 0
    for name, problems in by_file.items():
        suite = ElementTree.SubElement(suites, "testsuite", name=name)
        if not problems:
            ElementTree.SubElement(suite, "testcase", classname=name, name="lint")
        suite_failures = suite_skipped = 0
        for problem in problems:
            case = ElementTree.SubElement(suite, "testcase", classname=name,
                                          name=f"{problem.rule} {problem.line}:{problem.column}")
            if problem.severity is Severity.WARN and not result.strict:
                outcome = ElementTree.SubElement(case, "skipped", message=f"warning: {problem.text}")
                suite_skipped += 1
            else:
                outcome = ElementTree.SubElement(case, "failure", message=problem.text, type=problem.severity.label)
                suite_failures += 1
            outcome.text = str(problem)
        suite.set("tests", str(max(len(problems), 1)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        suite.set("skipped", str(suite_skipped))
        total += max(len(problems), 1)
        failures += suite_failures
        skipped += suite_skipped
    for failed in result.failures:
        suite = ElementTree.SubElement(suites, "testsuite", name=failed.file, tests="1", failures="0", errors="1",
                                       skipped="0")
        case = ElementTree.SubElement(suite, "testcase", classname=failed.file, name="load")
        error = ElementTree.SubElement(case, "error", message=failed.message, type="unreadable")
        error.text = str(failed)
        total += 1
        errors += 1
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", str(errors))
    suites.set("skipped", str(skipped))
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def _artifact(file: str) -> dict[str, str]:
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}


def _level(severity: Severity) -> str:
    return {"error": "error", "warn": "warning"}.get(severity.value, "none")


def render_sarif(result: Result, rules: Registry) -> str:
    """SARIF 2.1.0: one run, every rule described with its helpUri, one result per problem (with its end)."""
    rule_list = list(rules)
    index = {rule.id: i for i, rule in enumerate(rule_list)}
    descriptors = []
    for rule in rule_list:
        descriptor: dict[str, Any] = {
            "id": rule.id,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": " ".join(rule.doc.split("Passing::")[0].split())},
            "defaultConfiguration": {"level": _level(rule.severity)},
            "help": {"text": rule.doc.strip()},
        }
        uri = help_uri(rule)
        if uri:
            descriptor["helpUri"] = uri
        descriptors.append(descriptor)
    files = list(dict.fromkeys([*result.files, *(p.file for p in result.problems)]))
    artifacts = {name: i for i, name in enumerate(files)}
    results = []
    for problem in result.problems:
        region: dict[str, int] = {"startLine": problem.line, "startColumn": problem.column}
        if problem.end_line:
            region.update(endLine=problem.end_line, endColumn=problem.end_column)
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {**_artifact(problem.file), "index": artifacts[problem.file]},
                "region": region,
            }
        }
        if problem.pointer:
            location["logicalLocations"] = [{"fullyQualifiedName": problem.pointer, "kind": "member"}]
        entry: dict[str, Any] = {
            "ruleId": problem.rule,
            "level": _level(problem.severity),
            "message": {"text": problem.message},
            "locations": [location],
            "partialFingerprints": {"ticketmockValue/v1": problem.fingerprint},
        }
        if problem.count > 1:
            entry["occurrenceCount"] = problem.count
        if result.baseline is not None:
            entry["baselineState"] = "new"
        if problem.rule in index:
            entry["ruleIndex"] = index[problem.rule]
        results.append(entry)
    notifications = [
        {"level": "error", "message": {"text": failed.message},
         "locations": [{"physicalLocation": {"artifactLocation": _artifact(failed.file)}}]}
        for failed in result.failures
    ]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": TOOL, "version": version(), "informationUri": information_uri(),
                            "rules": descriptors}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).as_uri() + "/"}},
        "artifacts": [{"location": _artifact(name)} for name in files],
        "results": results,
        "invocations": [{"executionSuccessful": not result.failures, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: Result, rules: Registry) -> str:
    """GitHub Actions workflow commands (`::error file=...,line=...::message`), one per problem."""
    lines = []
    for problem in result.problems:
        command = "error" if problem.severity is Severity.ERROR else "warning"
        end = f",endLine={problem.end_line}" if problem.end_line and problem.end_line != problem.line else ""
        if problem.end_line == problem.line and problem.end_column:
            end = f",endColumn={problem.end_column}"
        lines.append(
            f"::{command} file={_escape_property(problem.file)},line={problem.line},col={problem.column}{end},"
            f"title={_escape_property(problem.rule)}::{_escape_data(problem.text)}"
        )
    for failed in result.failures:
        lines.append(f"::error file={_escape_property(failed.file)},title=unreadable::{_escape_data(failed.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_gitlab(result: Result, rules: Registry) -> str:
    """GitLab Code Quality (a JSON array of issues): errors are major, warnings minor, unreadable files critical.

    Each fingerprint is unique in the report and stable across runs (file, rule, pointer, value
    fingerprint and message; moving lines keeps it), so GitLab can tell new issues from old.
    """
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}

    def fingerprint(*parts: str) -> str:
        digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        if seen[digest] > 1:
            digest = hashlib.sha256(f"{digest}\0{seen[digest]}".encode()).hexdigest()[:32]
        return digest

    for problem in result.problems:
        issues.append({
            "description": problem.text,
            "check_name": problem.rule,
            "fingerprint": fingerprint(Path(problem.file).as_posix(), problem.rule, problem.pointer,
                                       problem.fingerprint, problem.message),
            "severity": "major" if problem.severity is Severity.ERROR else "minor",
            "location": {"path": Path(problem.file).as_posix(),
                         "lines": {"begin": problem.line, "end": problem.end_line or problem.line}},
        })
    for failed in result.failures:
        issues.append({
            "description": failed.message, "check_name": "unreadable",
            "fingerprint": fingerprint(Path(failed.file).as_posix(), "unreadable", failed.message),
            "severity": "critical", "location": {"path": Path(failed.file).as_posix(), "lines": {"begin": 1}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def render_markdown(result: Result, rules: Registry) -> str:
    """A Markdown table for pull-request comments: severity, location, rule (linked when on the web), message."""
    lines = [f"### ticketmock lint: {summary(result)}", ""]
    if result.problems:
        lines += ["| severity | location | rule | message |", "|---|---|---|---|"]
        for problem in result.problems:
            uri = help_uri(_rule(rules, problem.rule), problem.rule)
            rule = f"[`{problem.rule}`]({uri})" if uri and uri.startswith(("https://", "http://")) else (
                f"`{problem.rule}`")
            lines.append(f"| {problem.severity.label} | `{_cell(problem.file)}:{problem.line}:{problem.column}` | "
                         f"{rule} | {_cell(problem.text)} |")
        lines.append("")
    for failed in result.failures:
        lines.append(f"- could not lint `{_cell(failed.file)}`: {_cell(failed.message)}")
    for line in stale_lines(result):
        lines.append(f"- {_cell(line)}")
    return "\n".join(lines).rstrip("\n") + "\n"


RENDERERS: dict[str, Callable[[Result, Registry], str]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
    "gitlab": render_gitlab,
    "markdown": render_markdown,
}
