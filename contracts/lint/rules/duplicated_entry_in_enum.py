"""No enum lists the same value twice (`1` and `true`, or `1` and `"1"`, are different values).

`1` and `1.0` are the same JSON number, so they count as a duplicate.

Passing::

    components:
      schemas:
        Status:
          type: string
          enum: [open, closed]

Failing::

    components:
      schemas:
        Status:
          type: string
          enum: [open, closed, open]
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register
from contracts.lint.validation import short

ID = "duplicated-entry-in-enum"
SEVERITY = Severity.WARN


def _identity(value: object) -> str:
    # JSON text tells true, 1 and "1" apart, which Python's == does not; 1.0 is the number 1.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True, default=str)


@register
def check(spec: Spec) -> Iterator[Problem]:
    for visit in spec.index.of("Schema"):
        values = visit.node.get("enum")
        if not isinstance(values, list):
            continue
        first: dict[str, int] = {}
        for i, value in enumerate(values):
            key = _identity(value)
            if key in first:
                yield spec.problem(ID, visit.loc / "enum" / i,
                                   f"enum value {short(value)} repeats entry {first[key]}; remove the duplicate")
            else:
                first[key] = i
