"""Server URLs do not end with a slash (paths start with one, so `base/` + `/path` doubles it).

Checks the document's, path items' and operations' servers.

Passing::

    servers:
      - url: https://api.example.com/v1
    paths: {}

Failing::

    servers:
      - url: https://api.example.com/v1/
    paths: {}
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "oas3-server-trailing-slash"
SEVERITY = Severity.WARN


@register
def check(spec: Spec) -> Iterator[Problem]:
    for visit in spec.index.of("Server"):
        url = visit.node.get("url")
        if isinstance(url, str) and url.endswith("/") and url != "/":
            yield spec.problem(ID, visit.loc / "url", f"server url {url!r} ends with a slash; write "
                                                      f"{url.rstrip('/')!r}")
