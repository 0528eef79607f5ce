"""Every error response (4xx, 5xx, 4XX, 5XX, default) describes its body with a schema.

A mock renders errors in the vendor's envelope and contract tests validate error bodies; both
need the schema. Responses of HEAD operations are skipped (they have no body), and so are those
of webhooks and callbacks (the API's consumer answers them; the mock does not). A shared
response component is reported once, where it is written. Our own rule.

Passing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.
            "404":
              description: Not found.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      message: {type: string}

Failing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.
            "404":
              description: Not found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "mock-error-schema"
SEVERITY = Severity.WARN

_ERROR = re.compile(r"(?:[45](?:[0-9]{2}|XX)|default)\Z")


@register
def check(spec: Spec) -> Iterator[Problem]:
    seen: set[tuple[int, tuple[str | int, ...]]] = set()
    for op in spec.index.operations:
        if op.method == "head" or op.inverted:
            continue
        for code, response, loc, _ in spec.iter_responses(op):
            if not _ERROR.match(code):
                continue
            key = (id(loc.source), loc.pointer)
            if key in seen:
                continue
            seen.add(key)
            content = response.get("content")
            if not isinstance(content, dict) or not content:
                yield spec.problem(ID, loc, f"the {code} response of {op.label} has no body schema; add content "
                                            f"with the error envelope's schema (e.g. application/json: schema: ...)")
                continue
            for media, item in content.items():
                if not isinstance(item, dict) or "schema" not in item:
                    yield spec.problem(ID, loc / "content" / media,
                                       f"the {code} response of {op.label} ({media}) has no schema; describe the "
                                       f"error envelope")
