"""Every component is used: reachable from an operation, or (security schemes) named in a requirement.

"Used" means reachable from `paths`, `webhooks` or `x-webhooks` (and callbacks), following
references transitively, so a component referenced only by another unused component is unused
too (Spectral counts any `$ref`, so it misses such chains). Discriminator mappings count as
references. A `$ref` written inside an example value is no reference (OpenAPI does not resolve
it there; the example rules report it), but its target counts as used all the same, so that
one mistake is reported once.

Passing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              $ref: "#/components/responses/Tickets"
    components:
      responses:
        Tickets:
          description: The tickets.

Failing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.
    components:
      schemas:
        Forgotten:
          type: string
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import COMPONENT_KINDS, Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "oas3-unused-component"
SEVERITY = Severity.WARN

_NAMES = {"schemas": "schema", "responses": "response", "parameters": "parameter", "examples": "example",
          "requestBodies": "request body", "headers": "header", "securitySchemes": "security scheme",
          "links": "link", "callbacks": "callback", "pathItems": "path item"}


def _in_example(pointer: tuple[str | int, ...]) -> bool:
    """Whether a pointer lies inside an example value (`example`, an Example's `value`, 3.1 schema `examples`)."""
    for i, token in enumerate(pointer):
        if token == "example":
            return True
        if token == "examples" and i + 1 < len(pointer):
            following = pointer[i + 1]
            if isinstance(following, int) or (i + 2 < len(pointer) and pointer[i + 2] == "value"):
                return True
    return False


def _named_in_examples(spec: Spec) -> set[tuple[str, str]]:
    """Root-file components that a `$ref` written inside an example value names."""
    named: set[tuple[str, str]] = set()
    for pointer, ref in spec.root.refs:
        if ref.startswith("#/components/") and _in_example(pointer):
            parts = ref[len("#/components/"):].split("/")
            if len(parts) >= 2:
                named.add((parts[0], parts[1].replace("~1", "/").replace("~0", "~")))
    return named


@register
def check(spec: Spec) -> Iterator[Problem]:
    components = spec.data.get("components")
    if not isinstance(components, dict):
        return
    index = spec.index
    used = index.used_components | _named_in_examples(spec)
    for section in COMPONENT_KINDS:
        entries = components.get(section)
        if not isinstance(entries, dict):
            continue
        for name in entries:
            if section == "securitySchemes":
                if str(name) not in index.used_security:
                    yield spec.problem(ID, spec.loc / "components" / section / name,
                                       f"security scheme {name!r} is not named by any security requirement; "
                                       f"use it or remove it")
            elif (section, str(name)) not in used:
                yield spec.problem(ID, spec.loc / "components" / section / name,
                                   f"{_NAMES[section]} {name!r} is not used by any operation; reference it or "
                                   f"remove it")
