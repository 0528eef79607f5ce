"""Run Schemathesis against a target and collect what happened, per operation and per scenario.

Schemathesis does the work (generation, checks, stateful links); this module only configures its
engine from our settings and folds its events into `RunResult`, which the reports render.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from contracts.profiles import profile_for
from contracts.results import Failure, OperationResult, RunResult, ScenarioResult
from contracts.targets import SAFE_METHODS, Target, TargetError, mock_base_url_path, operation_labels
from contracts.verdicts import credential_markers, judge
from mockserver.spec import load_spec, spec_path

PHASES = ("examples", "coverage", "fuzzing", "stateful")
# Every check Schemathesis 4.32 has, in the order reports list them.
CHECKS = (
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
    "positive_data_acceptance", "missing_required_header", "unsupported_method", "allow_header_conformance",
    "use_after_free", "ensure_resource_availability", "ignored_auth", "object_level_authorization",
)
# Checks that send requests the user did not ask for: off for remote targets without --allow-writes.
WRITE_CHECKS = ("unsupported_method",)


@dataclass(frozen=True)
class RunSettings:
    max_examples: int = 25
    seed: int | None = None
    max_time: int | None = None
    operations: tuple[str, ...] = ()  # operationIds or paths
    phases: tuple[str, ...] = PHASES
    exclude_checks: tuple[str, ...] = ()
    rate_limit: str | None = None  # e.g. "5/s"; None: the vendor profile's for non-loopback targets


Progress = Callable[[str, int, int], None]  # phase, done, total


def build_config(target: Target, settings: RunSettings) -> Any:
    from schemathesis.config import SchemathesisConfig

    return SchemathesisConfig.from_dict(config_data(target, settings))


def config_data(target: Target, settings: RunSettings) -> dict[str, Any]:
    """The Schemathesis configuration (the same keys as schemathesis.toml) for one run."""
    disabled = set(settings.exclude_checks)
    if not target.writes_allowed:
        disabled |= set(WRITE_CHECKS)
    checks: dict[str, Any] = {"enabled": True}
    for name in disabled:
        checks[name] = {"enabled": False}
    profile = profile_for(target.slug)
    operations: list[dict[str, Any]] = []
    if profile.rule_statuses and "positive_data_acceptance" not in disabled:
        accepted = {"expected-statuses": profile.positive_statuses()}
        if "*" in profile.rule_operations:
            checks["positive_data_acceptance"] = accepted
        else:
            operations = [{"include-operation-id": op, "checks": {"positive_data_acceptance": accepted}}
                          for op in profile.rule_operations]
    base = target.base_url or f"http://localhost{mock_base_url_path(target.slug)}"
    data: dict[str, Any] = {
        "base-url": base,
        "headers": dict(target.credentials.headers),
        "auth": {"openapi": copy.deepcopy(target.credentials.schemes)} if target.credentials.schemes else None,
        "checks": checks,
        "phases": {phase: {"enabled": phase in settings.phases} for phase in PHASES},
        "generation": {"max-examples": settings.max_examples},
        "max-failures": None,
        "operations": operations or None,
        # The kit redacts by value (every secret it knows, in every encoding, whole or cut short by
        # Schemathesis' truncation): the name-based filter hid `nextPageToken` values from curls and
        # the credentials curls need, but not an echoed `Basic ...`.
        "output": {"sanitization": {"enabled": False}},
    }
    if not target.writes_allowed:
        # The coverage phase probes undocumented methods (PUT, DELETE, ...) to check 405 handling.
        data["phases"]["coverage"]["unexpected-methods"] = []
    if settings.seed is not None:
        data["seed"] = settings.seed
    if settings.max_time:
        data["max-time"] = settings.max_time
    # Protect the vendor by default; your own loopback server needs no limit unless you ask for one.
    rate = settings.rate_limit or (None if target.loopback else profile.rate_limit)
    if rate:
        data["rate-limit"] = rate
    return {k: v for k, v in data.items() if v is not None}


def select(schema: Any, target: Target, settings: RunSettings) -> Any:
    """Apply --operation filters and, for remote targets without --allow-writes, safe methods only."""
    if settings.operations:
        ids = [o for o in settings.operations if not o.startswith("/")]
        paths = [o for o in settings.operations if o.startswith("/")]
        known = operation_labels(target.slug)
        unknown = [o for o in ids if o not in known]
        if unknown:
            import difflib

            hints = [f"{o!r} (did you mean {m[0]!r}?)" if (m := difflib.get_close_matches(o, list(known), n=1))
                     else repr(o) for o in unknown]
            raise TargetError(f"{target.slug} has no operation {', '.join(hints)}")
        schema = schema.include(lambda ctx: (ctx.operation.definition.raw.get("operationId") in ids
                                             or ctx.operation.path in paths))
    if not target.writes_allowed:
        schema = schema.include(method=[m.lower() for m in SAFE_METHODS])
    return schema


def run(target: Target, settings: RunSettings, progress: Progress | None = None) -> RunResult:
    """Run Schemathesis against the target; never raises for API defects (they are results)."""
    import schemathesis
    from schemathesis.engine import events, from_schema

    from contracts import stateful

    stateful.install()
    config = build_config(target, settings)
    spec = copy.deepcopy(load_spec(spec_path(target.slug)))
    schema = select(schemathesis.openapi.from_dict(spec, config=config), target, settings)
    if target.in_process:
        schema.app = target.app
    labels = {label: op_id for op_id, label in operation_labels(target.slug).items()}
    result = RunResult(target.slug, target.describe(), seed=config.seed, notes=list(target.credentials.notes))
    started = time.perf_counter()
    total = sum(1 for _ in schema.get_all_operations())
    done = 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.PhaseStarted):
            done = 0
        elif isinstance(event, events.ScenarioFinished):
            if event.phase.value == "stateful":
                collect_scenario(result, event)
            else:
                collect_operation(result, labels, event)
                done += 1
                if progress is not None:
                    progress(event.phase.value, done, total)
        elif isinstance(event, events.NonFatalError):
            result.errors.append(f"{event.label}: {event.info.format(base_url_is_set=True).strip()}")
        elif isinstance(event, events.FatalError):
            result.errors.append(f"fatal: {event.exception}")
        elif isinstance(event, events.EngineFinished):
            result.stop_reason = event.stop_reason.value
    result.elapsed = time.perf_counter() - started
    base = target.shown_url or f"http://localhost{mock_base_url_path(target.slug)} (the in-process mock)"
    judge(result, load_spec(spec_path(target.slug)), target.credentials, base)
    return result


def failures_of(recorder: Any, target_label: str | None = None) -> list[Failure]:
    found: list[Failure] = []
    seen: set[tuple[str, str, str]] = set()
    for case_id, nodes in recorder.checks.items():
        for node in nodes:
            info = node.failure_info
            if info is None:
                continue
            failure = info.failure
            case = recorder.cases.get(case_id)
            label = failure.operation or (case.value.operation.label if case else target_label) or "?"
            key = (label, node.name, failure.title)
            if key in seen:
                continue
            seen.add(key)
            found.append(Failure(label, node.name, failure.title, failure.message.strip(), info.code_sample))
    return found


def collect_operation(result: RunResult, labels: dict[str, str], event: Any) -> None:
    recorder = event.recorder
    label = recorder.label
    op = result.operations.setdefault(label, OperationResult(label, labels.get(label, "")))
    op.cases += len(recorder.cases)
    op.elapsed += event.elapsed_time
    if event.skip_reason and not recorder.cases:
        op.skipped = event.skip_reason
    for nodes in recorder.checks.values():
        for node in nodes:
            counts = op.checks.setdefault(node.name, [0, 0])
            counts[0 if node.status.value == "success" else 1] += node.status.value in ("success", "failure")
    known = {(f.check, f.title) for f in op.failures}
    op.failures += [f for f in failures_of(recorder, label) if (f.check, f.title) not in known]
    for interaction in recorder.interactions.values():
        op.sent |= credential_markers(interaction.request.headers)
        status = getattr(interaction.response, "status_code", None)
        if isinstance(status, int):
            op.statuses[status] = op.statuses.get(status, 0) + 1


def collect_scenario(result: RunResult, event: Any) -> None:
    recorder = event.recorder
    if not recorder.cases:
        return
    for case_id, interaction in recorder.interactions.items():
        status = getattr(interaction.response, "status_code", None)
        node = recorder.cases.get(case_id)
        if isinstance(status, int) and node is not None:
            seen = result.stateful_statuses.setdefault(node.value.operation.label, {})
            seen[status] = seen.get(status, 0) + 1
    children: dict[str | None, list[str]] = {}
    for case_id, node in recorder.cases.items():
        children.setdefault(node.parent_id, []).append(case_id)

    def longest(case_id: str) -> list[str]:
        tails = [longest(child) for child in children.get(case_id, [])]
        return [recorder.cases[case_id].value.operation.label, *max(tails, key=len, default=[])]

    chains = [longest(root) for root in children.get(None, [])]
    steps = max(chains, key=len, default=[])
    # Named after its steps, not a counter, so a CI's test history follows the same chain from run to
    # run; runs of one chain are one scenario.
    name = "stateful: " + " -> ".join(steps)
    found = failures_of(recorder)
    for scenario in result.scenarios:
        if scenario.name == name:
            known = {(f.operation, f.check, f.title) for f in scenario.failures}
            scenario.failures += [f for f in found if (f.operation, f.check, f.title) not in known]
            scenario.elapsed += event.elapsed_time
            scenario.runs += 1
            return
    result.scenarios.append(ScenarioResult(name, steps, found, event.elapsed_time))


def summary_counts(results: Sequence[RunResult]) -> tuple[int, int, int]:
    """(operations passed, operations failed, scenarios failed) over several runs."""
    passed = sum(op.passed for r in results for op in r.operations.values())
    failed = sum(not op.passed for r in results for op in r.operations.values())
    scenarios = sum(not s.passed for r in results for s in r.scenarios)
    return passed, failed, scenarios
