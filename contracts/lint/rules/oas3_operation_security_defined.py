"""Security requirements name only declared security schemes, and OAuth2 scopes those schemes define.

Checks the top-level `security` and every operation's. Same id as Spectral's rule
(Redocly: `security-defined`).

Passing::

    paths:
      /tickets:
        get:
          security:
            - bearerAuth: []
          responses:
            "200":
              description: The tickets.
    components:
      securitySchemes:
        bearerAuth:
          type: http
          scheme: bearer

Failing (`BearerAuth` is not `bearerAuth`)::

    paths:
      /tickets:
        get:
          security:
            - BearerAuth: []
          responses:
            "200":
              description: The tickets.
    components:
      securitySchemes:
        bearerAuth:
          type: http
          scheme: bearer
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "oas3-operation-security-defined"
SEVERITY = Severity.ERROR


def _scopes(scheme: Any) -> set[str] | None:
    """Scopes an oauth2 scheme defines across its flows; None when the scheme is not oauth2."""
    if not isinstance(scheme, dict) or scheme.get("type") != "oauth2":
        return None
    scopes: set[str] = set()
    flows = scheme.get("flows")
    if isinstance(flows, dict):
        for flow in flows.values():
            if isinstance(flow, dict) and isinstance(flow.get("scopes"), dict):
                scopes.update(str(s) for s in flow["scopes"])
    return scopes


@register
def check(spec: Spec) -> Iterator[Problem]:
    components = spec.data.get("components")
    schemes_node = components.get("securitySchemes") if isinstance(components, dict) else None
    schemes = schemes_node if isinstance(schemes_node, dict) else {}
    base = spec.loc / "components" / "securitySchemes"
    for requirement, loc in spec.index.security_requirements:
        for name, scopes in requirement.items():
            if name not in schemes:
                close = difflib.get_close_matches(str(name), list(schemes), n=1)
                fix = f"did you mean {close[0]!r}?" if close else "declare it under components.securitySchemes"
                yield spec.problem(ID, loc / name, f"security requirement names scheme {name!r}, which is not "
                                                   f"declared; {fix}")
                continue
            defined = _scopes(spec.resolve(schemes[name], base / name)[0])
            if defined is None or not isinstance(scopes, list):
                continue
            for i, scope in enumerate(scopes):
                if scope not in defined:
                    yield spec.problem(
                        ID, loc / name / i,
                        f"scope {scope!r} is not defined by any flow of oauth2 scheme {name!r}; add it to the "
                        f"scheme's flows or fix the name",
                    )
