"""The document declares at least one server, each with a non-empty URL.

Clients, Swagger UI and the mock derive the API's base URL and path from `servers`.

Passing::

    servers:
      - url: https://api.example.com/v1
    paths: {}

Failing::

    servers: []
    paths: {}
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "oas3-api-servers"
SEVERITY = Severity.WARN


@register
def check(spec: Spec) -> Iterator[Problem]:
    servers = spec.data.get("servers")
    if "servers" not in spec.data:
        yield spec.problem(ID, spec.loc, "the document declares no servers; add `servers:` with the API's base URL")
        return
    if not isinstance(servers, list) or not servers:
        yield spec.problem(ID, spec.loc / "servers", "servers is empty; list the API's base URL(s)")
        return
    for i, server in enumerate(servers):
        if isinstance(server, dict) and isinstance(server.get("url"), str) and not server["url"].strip():
            yield spec.problem(ID, spec.loc / "servers" / i / "url", "server url is empty; write the base URL")
