"""A schema's own `example` and `default` (3.1: each of `examples`) match that schema.

No direction applies: a schema-level example describes the whole object, so it may show
`readOnly` and `writeOnly` properties alike. In OpenAPI 3.0 an `example` next to `$ref` is
ignored by the specification, and so here. A 3.1 `examples` list whose every item fails while
the list itself matches (an array schema with `examples: [a, b]` meant as one example) is one
problem at `examples`, not one per item.

Passing::

    components:
      schemas:
        Priority:
          type: integer
          minimum: 1
          maximum: 3
          example: 2

Failing::

    components:
      schemas:
        Priority:
          type: integer
          minimum: 1
          maximum: 3
          example: 5
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register
from contracts.lint.validation import check_value

ID = "oas3-valid-schema-example"
SEVERITY = Severity.ERROR


@register
def check(spec: Spec) -> Iterator[Problem]:
    v31 = spec.version == "3.1"
    for visit in spec.index.of("Schema"):
        node, loc = visit.node, visit.loc
        if "$ref" in node and not v31:
            continue
        for keyword in ("example", "default"):
            if keyword in node and not (keyword == "example" and v31):
                yield from check_value(spec, ID, node, loc, node[keyword], loc / keyword, "any",
                                       f"schema {keyword} does not match the schema")
        if v31 and isinstance(node.get("examples"), list):
            found = [list(check_value(spec, ID, node, loc, value, loc / "examples" / i, "any",
                                      "schema example does not match the schema"))
                     for i, value in enumerate(node["examples"])]
            if found and all(found) and not list(check_value(spec, ID, node, loc, node["examples"], loc / "examples",
                                                             "any", "")):
                # Every item fails but the list itself is a valid value: one example written where a
                # list of examples belongs. One problem, not one per item.
                yield spec.problem(ID, loc / "examples",
                                   "schema examples is a list of examples, but this one is a single example (each item "
                                   "fails, the list as a whole matches the schema); wrap it: examples: [[...]]")
            else:
                for problems in found:
                    yield from problems
