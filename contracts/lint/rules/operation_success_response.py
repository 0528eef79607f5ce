"""Every operation documents a success response: a 2xx or 3xx status (or the 2XX / 3XX range).

Same id and meaning as Spectral's rule (Redocly: `operation-2xx-response`), and a warning as in
both; a 3xx counts because a redirect is a success for endpoints such as OAuth's authorize.
`default` does not count.

Passing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.

Failing::

    paths:
      /tickets:
        get:
          responses:
            "404":
              description: Not found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "operation-success-response"
SEVERITY = Severity.WARN

_SUCCESS = re.compile(r"[23](?:[0-9]{2}|XX)\Z")


@register
def check(spec: Spec) -> Iterator[Problem]:
    for op in spec.operations:
        responses = op.node.get("responses")
        if isinstance(responses, dict) and not any(_SUCCESS.match(str(code)) for code in responses):
            yield spec.problem(
                ID, op.loc / "responses",
                f"{op.label} has no 2xx or 3xx response; document what it returns on success",
            )
