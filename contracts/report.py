"""Render contract results: a readable summary, curl reproductions, JUnit XML; secrets redacted."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree

from contracts.redaction import Redactor
from contracts.reproduction import reproduction
from contracts.results import Failure, RunResult
from contracts.runner import summary_counts

# Lines of a failure's message beyond this many characters are cut, after redaction.
MAX_LINE = 240


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def format_failure(failure: Failure, *, in_process: bool, redactor: Redactor, limit: int = 12) -> str:
    """A failure with its evidence and curl; secrets are removed before anything is cut short."""
    lines = redactor.text(failure.message).splitlines()
    lines = [line if len(line) <= MAX_LINE else line[:MAX_LINE - 3] + "..." for line in lines]
    message = "\n".join(lines[:limit] + ([f"... ({len(lines) - limit} more lines)"] if len(lines) > limit else []))
    text = f"✗ {failure.check}: {redactor.text(failure.title)}\n{_indent(message, '  ')}"
    command = reproduction(failure.reproduce, redactor, in_process=in_process) if failure.reproduce else ""
    if command:
        text += f"\n  Reproduce with:\n{_indent(command, '    ')}"
    return text


def format_run(result: RunResult, *, in_process: bool, redactor: Redactor | None = None) -> str:
    redactor = redactor or Redactor()
    out = [f"{result.slug} against {result.target} (seed {result.seed})"]
    out += [f"  note: {note}" for note in result.notes]
    width = max((len(label) for label in result.operations), default=10)
    for label, op in sorted(result.operations.items()):
        checks = len(op.checks)
        if op.skipped and not op.cases:
            out.append(f"  SKIP  {label.ljust(width)}  {op.operation_id}  ({op.skipped})")
            continue
        verdict = "PASS" if op.passed else "FAIL"
        out.append(f"  {verdict}  {label.ljust(width)}  {op.operation_id:<34} {op.cases:>5} cases  {checks:>2} checks")
        for failure in op.failures:
            out.append(_indent(format_failure(failure, in_process=in_process, redactor=redactor), "        "))
    scenarios = result.scenarios
    failed = [s for s in scenarios if not s.passed]
    runs = sum(s.runs for s in scenarios)
    out.append(f"  stateful: {len(scenarios)} scenarios ({runs} runs), {len(failed)} failed")
    for scenario in failed:
        out.append(f"  FAIL  {scenario.name}")
        for failure in scenario.failures:
            out.append(_indent(format_failure(failure, in_process=in_process, redactor=redactor), "        "))
    for error in result.errors:
        out.append(f"  ERROR {error}")
    passed_ops = sum(op.passed for op in result.operations.values())
    out.append(f"  {passed_ops}/{len(result.operations)} operations passed, {len(failed)} failed scenarios, "
               f"{result.elapsed:.1f} s")
    return redactor.text("\n".join(out))


def format_summary(results: Sequence[RunResult]) -> str:
    passed, failed, scenarios = summary_counts(results)
    errors = sum(len(r.errors) for r in results)
    verdict = "PASSED" if not failed and not scenarios and not errors else "FAILED"
    per_api = ", ".join(f"{r.slug} {'ok' if r.passed else 'FAIL'}" for r in results)
    return (f"{verdict}: {len(results)} API(s) ({per_api}); operations {passed} passed, {failed} failed; "
            f"{scenarios} stateful scenarios failed; {errors} errors")


def junit_xml(results: Sequence[RunResult], *, in_process: bool, redactor: Redactor | None = None) -> str:
    """One <testsuite> per API; one <testcase> per operation and per stateful scenario; every text redacted."""
    redactor = redactor or Redactor()
    root = ElementTree.Element("testsuites", name="ticketmock contract")
    for result in results:
        cases: list[tuple[str, str, float, list[Failure], str | None]] = []
        for label, op in sorted(result.operations.items()):
            name = f"{label} ({op.operation_id})" if op.operation_id else label
            cases.append((result.slug, name, op.elapsed, op.failures, op.skipped if not op.cases else None))
        for scenario in sorted(result.scenarios, key=lambda s: s.name):
            cases.append((f"{result.slug}.stateful", scenario.name, scenario.elapsed, scenario.failures, None))
        suite = ElementTree.SubElement(
            root, "testsuite", name=result.slug, tests=str(len(cases)),
            failures=str(sum(1 for c in cases if c[3])), errors=str(len(result.errors)),
            skipped=str(sum(1 for c in cases if c[4])), time=f"{result.elapsed:.3f}")
        properties = ElementTree.SubElement(suite, "properties")
        for key, value in (("seed", result.seed), ("target", result.target)):  # what reproduces this run
            ElementTree.SubElement(properties, "property", name=key, value=str(value))
        for classname, name, elapsed, failures, skipped in cases:
            case = ElementTree.SubElement(suite, "testcase", classname=classname, name=name, time=f"{elapsed:.3f}")
            if skipped:
                ElementTree.SubElement(case, "skipped", message=skipped)
            for failure in failures:
                node = ElementTree.SubElement(case, "failure", type=failure.check,
                                              message=f"{failure.check}: {failure.title}")
                node.text = format_failure(failure, in_process=in_process, redactor=redactor, limit=60)
        for error in result.errors:
            case = ElementTree.SubElement(suite, "testcase", classname=result.slug, name="run")
            ElementTree.SubElement(case, "error", message=error)
    for node in root.iter():  # whatever reaches the file passes the redactor, names and attributes included
        node.attrib = {key: redactor.text(value) for key, value in node.attrib.items()}
        node.text = redactor.text(node.text) if node.text else node.text
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"
