"""Every operation documents at least one client error: a 4xx status or the 4XX range.

Same id and meaning as Redocly's rule; `default` does not count, because clients and contract
tests need to know which client errors exist. Webhooks and callbacks are not checked: there the
API is the client, and what the receiver answers on errors is the receiver's business.

Passing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.
            "400":
              description: Bad query.

Failing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.
            default:
              description: Any error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "operation-4xx-response"
SEVERITY = Severity.WARN

_CLIENT_ERROR = re.compile(r"4(?:[0-9]{2}|XX)\Z")


@register
def check(spec: Spec) -> Iterator[Problem]:
    for op in spec.operations:
        if op.inverted:
            continue
        responses = op.node.get("responses")
        if isinstance(responses, dict) and not any(_CLIENT_ERROR.match(str(code)) for code in responses):
            yield spec.problem(
                ID, op.loc / "responses",
                f"{op.label} documents no 4xx response; add the client errors it returns (400, 401, 404, ...)",
            )
