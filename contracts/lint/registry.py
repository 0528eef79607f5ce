"""The typed rule registry: each rule module, built-in or plugin, registers its `check` with `@register`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from contracts.lint.model import Severity

if TYPE_CHECKING:
    from contracts.lint.document import Spec
    from contracts.lint.model import Problem

Check = Callable[["Spec"], Iterator["Problem"]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its id, default severity, documentation and check function."""

    id: str
    severity: Severity
    check: Check
    module: str
    doc: str

    @property
    def summary(self) -> str:
        """The first line of the rule's docstring."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.id


class Registry:
    """Rules by id, in registration order."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def register(self, check: Check) -> Check:
        """Decorator for a rule module's `check`: reads ID, SEVERITY and the docstring of its module."""
        module = sys.modules[check.__module__]
        rule_id = getattr(module, "ID", None)
        severity = getattr(module, "SEVERITY", None)
        if not isinstance(rule_id, str) or not isinstance(severity, Severity):
            raise TypeError(f"{module.__name__}: a rule module needs ID (str) and SEVERITY (Severity)")
        if rule_id in self._rules and self._rules[rule_id].module != module.__name__:
            raise ValueError(f"rule id {rule_id!r} is registered twice ({self._rules[rule_id].module})")
        self._rules[rule_id] = Rule(rule_id, severity, check, module.__name__, module.__doc__ or "")
        return check

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def ids(self) -> list[str]:
        """Every registered rule id."""
        return list(self._rules)

    def unregister(self, module: str) -> None:
        """Forget the rules a module (a plugin, in tests) registered."""
        for rule_id in [r.id for r in self._rules.values() if r.module == module or r.module.startswith(module + ".")]:
            del self._rules[rule_id]


RULES = Registry()
register = RULES.register
