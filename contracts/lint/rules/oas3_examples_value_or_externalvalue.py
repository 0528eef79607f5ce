"""Every Example object has either `value` or `externalValue`, not both and not neither.

Same id and meaning as Spectral's rule (Redocly reports "both" as
`no-example-value-and-externalValue`). An Example with only a summary shows nothing; one with
both is invalid, as the two exclude each other. Checked wherever Example objects are written:
components/examples, and the `examples` of media types, parameters and headers. A warning, as
in Spectral.

Passing::

    components:
      examples:
        Ticket:
          summary: A ticket
          value: {id: T-1}

Failing::

    components:
      examples:
        Ticket:
          summary: A ticket
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "oas3-examples-value-or-externalValue"
SEVERITY = Severity.WARN


@register
def check(spec: Spec) -> Iterator[Problem]:
    for visit in spec.index.of("Example"):
        node, loc = visit.node, visit.loc
        name = loc.pointer[-1] if loc.pointer else "?"
        has_value, has_external = "value" in node, "externalValue" in node
        if has_value and has_external:
            yield spec.problem(ID, loc / "externalValue",
                               f"example {name!r} has both value and externalValue, which exclude each other; "
                               f"keep one")
        elif not has_value and not has_external:
            yield spec.problem(ID, loc, f"example {name!r} has neither value nor externalValue; add the value "
                                        f"(or externalValue: a URL of it)")
