"""What a contract run found: per operation, per stateful scenario, per run (rendered by report.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Failure:
    operation: str  # "METHOD /path"
    check: str
    title: str
    message: str
    reproduce: str  # a curl command


@dataclass
class OperationResult:
    label: str
    operation_id: str
    cases: int = 0
    checks: dict[str, list[int]] = field(default_factory=dict)  # name -> [passed, failed]
    failures: list[Failure] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0
    skipped: str | None = None
    sent: set[str] = field(default_factory=set)  # credential markers seen on its requests (verdicts.py)

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class ScenarioResult:
    name: str
    steps: list[str]
    failures: list[Failure] = field(default_factory=list)
    elapsed: float = 0.0
    runs: int = 1  # how often the stateful phase walked this chain of steps

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class RunResult:
    slug: str
    target: str
    operations: dict[str, OperationResult] = field(default_factory=dict)
    scenarios: list[ScenarioResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seed: int | None = None
    elapsed: float = 0.0
    stop_reason: str = ""
    notes: list[str] = field(default_factory=list)  # said once under the run's header
    stateful_statuses: dict[str, dict[int, int]] = field(default_factory=dict)  # per operation label

    @property
    def failures(self) -> list[Failure]:
        found = [f for op in self.operations.values() for f in op.failures]
        return found + [f for scenario in self.scenarios for f in scenario.failures]

    @property
    def passed(self) -> bool:
        return not self.failures and not self.errors
