"""Every `x-lint-ignore` silences something: an entry that covers no problem is stale.

`x-lint-ignore` (a list of rule ids, or a map of rule id to the reason) on any object silences
those rules for that object and everything beneath it, in the file where it is written. When
the code it excused is fixed, the ignore would hide the next real problem there, so an entry
that silences nothing, names no rule, or cannot be read is reported here, at the entry. The
linter computes this after the other rules (they run for it even when not selected); an entry
whose rule is off at that place is not reported. List `unused-lint-ignore` in an ignore to keep
one on purpose.

Passing::

    paths:
      /tickets:
        get:
          x-lint-ignore:
            operation-summary: Generated from code; summaries come with the next release
          responses:
            "200":
              description: The tickets.

Failing (the operation has a summary, so the ignore silences nothing)::

    paths:
      /tickets:
        get:
          summary: List tickets
          x-lint-ignore: [operation-summary]
          responses:
            "200":
              description: The tickets.
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "unused-lint-ignore"
SEVERITY = Severity.WARN


@register
def check(spec: Spec) -> Iterator[Problem]:
    """Nothing here: contracts.lint.linter.run_rules reports unused ignores once the other rules ran."""
    return iter(())
