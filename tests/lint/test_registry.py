"""The rule registry: every module in rules/ registers one rule, documented and tested."""

from __future__ import annotations

import pkgutil
import re
import textwrap
from pathlib import Path

import pytest

import contracts.lint.rules as rules_package
from contracts.lint.linter import lint_text
from contracts.lint.model import Severity
from contracts.lint.registry import RULES, Rule

RULE_MODULES = sorted(m.name for m in pkgutil.iter_modules(rules_package.__path__))
TESTS = Path(__file__).parent / "rules"
HEADER = 'openapi: 3.0.3\ninfo: {title: Example, version: "1"}\n'


def module_name(rule_id: str) -> str:
    return rule_id.replace("$", "").replace("-", "_").lower()


def test_every_rule_module_is_registered_exactly_once() -> None:
    registered = sorted(rule.module.rsplit(".", 1)[-1] for rule in RULES)
    assert registered == RULE_MODULES, "a module in contracts/lint/rules/ is not imported in rules/__init__.py"


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.id)
def test_rule_contract(rule: Rule) -> None:
    assert module_name(rule.id) == rule.module.rsplit(".", 1)[-1]
    assert rule.severity in (Severity.ERROR, Severity.WARN)
    assert rule.doc.strip().splitlines()[0].endswith(".")
    assert (TESTS / f"test_{module_name(rule.id)}.py").is_file(), f"rule {rule.id} has no test module"


def examples(doc: str) -> dict[str, str]:
    """The `Passing::` and `Failing ...::` YAML blocks of a rule docstring."""
    found: dict[str, str] = {}
    lines = doc.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"\s*(Passing|Failing)\b.*::\s*$", line)
        if not match:
            continue
        block: list[str] = []
        for following in lines[i + 1:]:
            if following.strip() and not following.startswith(" " * 4):
                break
            block.append(following)
        found[match.group(1)] = textwrap.dedent("\n".join(block)).strip("\n") + "\n"
    return found


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.id)
def test_docstring_examples_pass_and_fail(rule: Rule) -> None:
    blocks = examples(rule.doc)
    assert set(blocks) == {"Passing", "Failing"}, f"{rule.id}: the docstring needs a Passing:: and a Failing:: block"
    for kind, block in blocks.items():
        text = block if block.startswith("openapi:") else HEADER + block
        ids = [p.rule for p in lint_text(text, [rule.id])]
        if kind == "Passing":
            assert ids == [], f"{rule.id}: the passing example fails"
        else:
            assert ids, f"{rule.id}: the failing example passes"


def test_every_rule_has_its_stable_anchor_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "contracts" / "lint" / "README.md").read_text(encoding="utf-8")
    anchors = re.findall(r'<a id="rule-([^"]+)"></a>`([^`]+)`', readme)
    assert all(anchor == shown for anchor, shown in anchors)
    assert sorted(anchor for anchor, _ in anchors) == sorted(RULES.ids()), "contracts/lint/README.md's rule table"
