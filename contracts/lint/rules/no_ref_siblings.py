"""In OpenAPI 3.0, nothing is written next to a `$ref` (Spectral's `no-$ref-siblings`).

OpenAPI 3.0 ignores every property next to `$ref` ("any sibling elements of a $ref are
ignored"), so a `description`, `readOnly` or `example` written there has no effect. A warning
(Spectral says error, Redocly's `spec-ref-siblings` warn: the document is valid, the sibling is
just lost). For a schema, wrap the reference: `allOf: [{$ref: ...}]` with the sibling beside
`allOf`. `x-lint-ignore` next to a `$ref` is the linter's own and is not reported. OpenAPI 3.1
allows siblings in schemas and `summary`/`description` on references, so 3.1 is not checked.

Passing::

    components:
      schemas:
        Ticket:
          type: object
          properties:
            owner:
              description: Who reported it.
              allOf:
                - $ref: "#/components/schemas/User"
        User:
          type: object

Failing::

    components:
      schemas:
        Ticket:
          type: object
          properties:
            owner:
              $ref: "#/components/schemas/User"
              description: Who reported it.
        User:
          type: object
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Loc, Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "no-$ref-siblings"
SEVERITY = Severity.WARN

_OURS = ("$ref", "x-lint-ignore")


@register
def check(spec: Spec) -> Iterator[Problem]:
    if spec.version != "3.0":
        return
    for use in spec.index.refs:
        if not use.loc.pointer or use.loc.pointer[-1] != "$ref":
            continue  # a discriminator mapping value, not a Reference object
        holder = Loc(use.loc.source, use.loc.pointer[:-1])
        node, exists = holder.source.node_at(holder.pointer)
        if not exists or not isinstance(node, dict):
            continue
        for key in node:
            if key not in _OURS:
                yield spec.problem(ID, holder / key,
                                   f"{key!r} is written next to $ref, where OpenAPI 3.0 ignores it; move it into the "
                                   f"referenced object, or for a schema wrap the reference (allOf: [{{$ref: ...}}]) "
                                   f"and keep {key!r} beside allOf")
