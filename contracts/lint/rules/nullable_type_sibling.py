"""In OpenAPI 3.0, a schema with `nullable` also has a `type` (Redocly's `nullable-type-sibling`).

OpenAPI 3.0.3 defines `nullable: true` as adding null to the `type` of the same schema object:
without a `type` it means nothing, even when an `allOf` member has one. Write the type next to
it (`type: object, nullable: true, allOf: [...]`). An error, as in Redocly. Examples of such a
schema are still validated as the author meant it (the value or null), so this is reported
once, here, and not again at every null example. (In 3.1 `nullable` is no keyword at all;
oas3-schema reports it there.)

Passing::

    components:
      schemas:
        ClosedAt:
          type: string
          format: date-time
          nullable: true

Failing::

    components:
      schemas:
        Owner:
          nullable: true
          allOf:
            - $ref: "#/components/schemas/User"
        User:
          type: object
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "nullable-type-sibling"
SEVERITY = Severity.ERROR


@register
def check(spec: Spec) -> Iterator[Problem]:
    if spec.version != "3.0":
        return
    for visit in spec.index.of("Schema"):
        node = visit.node
        if "nullable" in node and "type" not in node:
            members = [k for k in ("allOf", "oneOf", "anyOf") if k in node]
            fix = (f"add the type next to it (e.g. type: object beside {members[0]})" if members
                   else "add the type it makes nullable (e.g. type: string)")
            yield spec.problem(ID, visit.loc / "nullable",
                               f"nullable is used without a type in the same schema, where it means nothing; {fix}")
