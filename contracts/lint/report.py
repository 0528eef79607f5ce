"""Render a lint Result as text, JSON, JUnit XML, SARIF 2.1.0 or GitHub workflow annotations."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from contracts.lint.linter import Result
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import Registry

TOOL = "ticketmock-lint"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _summary(result: Result) -> str:
    files = len(result.files)
    noun = "file" if files == 1 else "files"
    parts = []
    if result.problems:
        count = len(result.problems)
        parts.append(f"{count} problem{'s' if count != 1 else ''} "
                     f"({result.errors} error{'s' if result.errors != 1 else ''}, "
                     f"{result.warnings} warning{'s' if result.warnings != 1 else ''}) in {files} {noun}")
    else:
        parts.append(f"no problems in {files} {noun}")
    if result.failures:
        parts.append(f"{len(result.failures)} could not be linted")
    return "; ".join(parts)


def render_text(result: Result, rules: Registry) -> str:
    """`file:line:col severity rule message`, sorted, then a summary line."""
    lines = [str(p) for p in result.problems]
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file, "line": problem.line, "column": problem.column, "rule": problem.rule,
        "severity": problem.severity.value, "message": problem.message, "pointer": problem.pointer,
    }


def render_json(result: Result, rules: Registry) -> str:
    """One JSON object: problems, files that could not be linted, and counts."""
    document = {
        "problems": [_problem_json(p) for p in result.problems],
        "failures": [{"file": f.file, "message": f.message} for f in result.failures],
        "summary": {"files": len(result.files), "errors": result.errors, "warnings": result.warnings,
                    "failures": len(result.failures)},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_junit(result: Result, rules: Registry) -> str:
    """JUnit XML: a testsuite per file, a failing testcase per problem, a passing one per clean file."""
    by_file: dict[str, list[Problem]] = {name: [] for name in result.files}
    for problem in result.problems:
        by_file.setdefault(problem.file, []).append(problem)
    suites = ElementTree.Element("testsuites", name="ticketmock lint")
    total = failures = errors = 0
    for name, problems in by_file.items():
        suite = ElementTree.SubElement(suites, "testsuite", name=name)
        if not problems:
            ElementTree.SubElement(suite, "testcase", classname=name, name="lint")
        for problem in problems:
            case = ElementTree.SubElement(suite, "testcase", classname=name,
                                          name=f"{problem.rule} {problem.line}:{problem.column}")
            failure = ElementTree.SubElement(case, "failure", message=problem.message, type=problem.severity.label)
            failure.text = str(problem)
        suite.set("tests", str(max(len(problems), 1)))
        suite.set("failures", str(len(problems)))
        suite.set("errors", "0")
        total += max(len(problems), 1)
        failures += len(problems)
    for failed in result.failures:
        suite = ElementTree.SubElement(suites, "testsuite", name=failed.file, tests="1", failures="0", errors="1")
        case = ElementTree.SubElement(suite, "testcase", classname=failed.file, name="load")
        error = ElementTree.SubElement(case, "error", message=failed.message, type="unreadable")
        error.text = str(failed)
        total += 1
        errors += 1
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", str(errors))
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def _artifact(file: str) -> dict[str, str]:
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}


def _level(severity: Severity) -> str:
    return {"error": "error", "warn": "warning"}.get(severity.value, "none")


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("ticketmock")
    except PackageNotFoundError:
        return "0.1.0"


def render_sarif(result: Result, rules: Registry) -> str:
    """SARIF 2.1.0: one run, every rule described, one result per problem, unreadable files as notifications."""
    rule_list = list(rules)
    index = {rule.id: i for i, rule in enumerate(rule_list)}
    descriptors = [
        {
            "id": rule.id,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": " ".join(rule.doc.split("Passing::")[0].split())},
            "defaultConfiguration": {"level": _level(rule.severity)},
            "help": {"text": rule.doc.strip()},
        }
        for rule in rule_list
    ]
    files = list(dict.fromkeys([*result.files, *(p.file for p in result.problems)]))
    artifacts = {name: i for i, name in enumerate(files)}
    results = []
    for problem in result.problems:
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {**_artifact(problem.file), "index": artifacts[problem.file]},
                "region": {"startLine": problem.line, "startColumn": problem.column},
            }
        }
        if problem.pointer:
            location["logicalLocations"] = [{"fullyQualifiedName": problem.pointer, "kind": "member"}]
        entry: dict[str, Any] = {
            "ruleId": problem.rule,
            "level": _level(problem.severity),
            "message": {"text": problem.message},
            "locations": [location],
        }
        if problem.rule in index:
            entry["ruleIndex"] = index[problem.rule]
        results.append(entry)
    notifications = [
        {"level": "error", "message": {"text": failed.message},
         "locations": [{"physicalLocation": {"artifactLocation": _artifact(failed.file)}}]}
        for failed in result.failures
    ]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": TOOL, "version": _version(), "rules": descriptors}},
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
        lines.append(
            f"::{command} file={_escape_property(problem.file)},line={problem.line},col={problem.column},"
            f"title={_escape_property(problem.rule)}::{_escape_data(problem.message)}"
        )
    for failed in result.failures:
        lines.append(f"::error file={_escape_property(failed.file)},title=unreadable::{_escape_data(failed.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


RENDERERS: dict[str, Callable[[Result, Registry], str]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
}
