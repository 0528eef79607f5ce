"""operationIds use only characters that are safe in a URL (RFC 3986 unreserved and reserved).

Tools put operationIds in URLs and file names (Swagger UI deep links, report paths).

Passing::

    paths:
      /tickets:
        get:
          operationId: listTickets
          responses:
            "200":
              description: The tickets.

Failing::

    paths:
      /tickets:
        get:
          operationId: list tickets
          responses:
            "200":
              description: The tickets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "operation-operationId-valid-in-url"
SEVERITY = Severity.ERROR

# Spectral's pattern: RFC 3986 unreserved + reserved characters.
_URL_SAFE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*\Z")


@register
def check(spec: Spec) -> Iterator[Problem]:
    for op in spec.index.operations:
        operation_id = op.node.get("operationId")
        if isinstance(operation_id, str) and not _URL_SAFE.match(operation_id):
            bad = sorted({c for c in operation_id if not _URL_SAFE.match(c)})
            shown = ", ".join(repr(c) for c in bad)
            yield spec.problem(
                ID, op.loc / "operationId",
                f"operationId {operation_id!r} contains characters that are not URL-safe ({shown}); "
                f"use letters, digits and - . _ ~",
            )
