"""Every component is used: reachable from an operation, or (security schemes) named in a requirement.

"Used" means reachable from `paths`/`webhooks`, following references transitively, so a
component referenced only by another unused component is unused too (Spectral counts any
`$ref`, so it misses such chains). Discriminator mappings count as references.

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


@register
def check(spec: Spec) -> Iterator[Problem]:
    components = spec.data.get("components")
    if not isinstance(components, dict):
        return
    index = spec.index
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
            elif (section, str(name)) not in index.used_components:
                yield spec.problem(ID, spec.loc / "components" / section / name,
                                   f"{_NAMES[section]} {name!r} is not used by any operation; reference it or "
                                   f"remove it")
