"""Every `$ref` resolves: the file exists and parses, and the JSON pointer names a node in it.

Local (`#/components/...`) and relative-file (`common.yaml#/Error`) references are followed;
remote (`https://...`) references are not fetched and not reported. A missing target is
named with the closest existing key ("did you mean"). Same id as Redocly's rule.

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

Failing (`Ticket` is misspelled)::

    paths:
      /tickets:
        get:
          responses:
            "200":
              $ref: "#/components/responses/Tciket"
    components:
      responses:
        Ticket:
          description: The tickets.
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "no-unresolved-refs"
SEVERITY = Severity.ERROR


@register
def check(spec: Spec) -> Iterator[Problem]:
    for use in spec.index.refs:
        if use.failure is not None and not use.failure.remote:
            yield spec.problem(ID, use.loc, use.failure.reason)
