"""No mapping repeats a key (YAML parsers silently keep only the last value).

Same id as yamllint's rule. Reported at the repeated key, in whichever file it is written.

Passing::

    paths:
      /tickets:
        get:
          summary: List tickets
          responses:
            "200":
              description: The tickets.

Failing (the second `responses` silently replaces the first)::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.
          responses:
            "404":
              description: Not found.
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Loc, Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "key-duplicates"
SEVERITY = Severity.ERROR


@register
def check(spec: Spec) -> Iterator[Problem]:
    spec.index  # noqa: B018 - the walk loads every referenced file, whose keys are checked too
    for source in spec.sources:
        for pointer, key in source.duplicate_keys:
            yield spec.problem(
                ID, Loc(source, pointer),
                f"key {key!r} repeats a key of the same mapping; only this last value is kept, so merge "
                f"the two or rename one",
            )
