"""Render contract results: a readable summary, curl reproductions, JUnit XML; secrets redacted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.etree import ElementTree

from contracts.runner import Failure, RunResult, summary_counts

REDACTED = "[REDACTED]"
MOCK_ORIGIN = "http://localhost"
SERVE_ORIGIN = "http://127.0.0.1:8000"


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def reproduction(failure: Failure, *, in_process: bool) -> str:
    """The curl line; for the in-process mock it points at `make serve`'s address instead."""
    command = failure.reproduce
    if in_process:
        command = command.replace(f"{MOCK_ORIGIN}/", f"{SERVE_ORIGIN}/")
    return command


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def format_failure(failure: Failure, *, in_process: bool, limit: int = 12) -> str:
    lines = failure.message.splitlines()
    message = "\n".join(lines[:limit] + ([f"... ({len(lines) - limit} more lines)"] if len(lines) > limit else []))
    text = f"✗ {failure.check}: {failure.title}\n{_indent(message, '  ')}"
    command = reproduction(failure, in_process=in_process)
    if command:
        text += f"\n  Reproduce with:\n{_indent(command, '    ')}"
    return text


def format_run(result: RunResult, *, in_process: bool, secrets: Sequence[str] = ()) -> str:
    out = [f"{result.slug} against {result.target} (seed {result.seed})"]
    width = max((len(label) for label in result.operations), default=10)
    for label, op in sorted(result.operations.items()):
        checks = len(op.checks)
        if op.skipped and not op.cases:
            out.append(f"  SKIP  {label.ljust(width)}  {op.operation_id}  ({op.skipped})")
            continue
        verdict = "PASS" if op.passed else "FAIL"
        out.append(f"  {verdict}  {label.ljust(width)}  {op.operation_id:<34} {op.cases:>5} cases  {checks:>2} checks")
        for failure in op.failures:
            out.append(_indent(format_failure(failure, in_process=in_process), "        "))
    scenarios = result.scenarios
    failed = [s for s in scenarios if not s.passed]
    out.append(f"  stateful: {len(scenarios)} scenarios, {len(failed)} failed")
    for scenario in failed:
        out.append(f"  FAIL  {scenario.name}")
        for failure in scenario.failures:
            out.append(_indent(format_failure(failure, in_process=in_process), "        "))
    for error in result.errors:
        out.append(f"  ERROR {error}")
    passed_ops = sum(op.passed for op in result.operations.values())
    out.append(f"  {passed_ops}/{len(result.operations)} operations passed, {len(failed)} failed scenarios, "
               f"{result.elapsed:.1f} s")
    return redact("\n".join(out), secrets)


def format_summary(results: Sequence[RunResult]) -> str:
    passed, failed, scenarios = summary_counts(results)
    errors = sum(len(r.errors) for r in results)
    verdict = "PASSED" if not failed and not scenarios and not errors else "FAILED"
    per_api = ", ".join(f"{r.slug} {'ok' if r.passed else 'FAIL'}" for r in results)
    return (f"{verdict}: {len(results)} API(s) ({per_api}); operations {passed} passed, {failed} failed; "
            f"{scenarios} stateful scenarios failed; {errors} errors")


def junit_xml(results: Sequence[RunResult], *, in_process: bool, secrets: Sequence[str] = ()) -> str:
    """One <testsuite> per API; one <testcase> per operation and per stateful scenario."""
    root = ElementTree.Element("testsuites", name="ticketmock contract")
    for result in results:
        cases: list[tuple[str, str, float, list[Failure], str | None]] = []
        for label, op in sorted(result.operations.items()):
            name = f"{label} ({op.operation_id})" if op.operation_id else label
            cases.append((result.slug, name, op.elapsed, op.failures, op.skipped if not op.cases else None))
        for scenario in result.scenarios:
            cases.append((f"{result.slug}.stateful", scenario.name, scenario.elapsed, scenario.failures, None))
        suite = ElementTree.SubElement(
            root, "testsuite", name=result.slug, tests=str(len(cases)),
            failures=str(sum(1 for c in cases if c[3])), errors=str(len(result.errors)),
            skipped=str(sum(1 for c in cases if c[4])), time=f"{result.elapsed:.3f}")
        for classname, name, elapsed, failures, skipped in cases:
            case = ElementTree.SubElement(suite, "testcase", classname=classname, name=name, time=f"{elapsed:.3f}")
            if skipped:
                ElementTree.SubElement(case, "skipped", message=skipped)
            for failure in failures:
                node = ElementTree.SubElement(case, "failure", type=failure.check,
                                              message=redact(f"{failure.check}: {failure.title}", secrets))
                node.text = redact(format_failure(failure, in_process=in_process, limit=60), secrets)
        for error in result.errors:
            case = ElementTree.SubElement(suite, "testcase", classname=result.slug, name="run")
            ElementTree.SubElement(case, "error", message=redact(error, secrets))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"
