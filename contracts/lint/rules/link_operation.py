"""Every link targets an existing operation, with parameters and a body that operation accepts.

The target is named by `operationId` (which must exist) or `operationRef` (which must resolve
to an operation). Each link parameter must be a parameter of the target operation (a
`path.`/`query.`/`header.`/`cookie.` prefix selects the location), and a link may only set
`requestBody` when the target takes one. Schemathesis' stateful phase refuses to build a state
machine from a spec that breaks any of these.

Passing::

    paths:
      /tickets:
        post:
          operationId: createTicket
          responses:
            "201":
              description: Created.
              links:
                GetTicket:
                  operationId: getTicket
                  parameters:
                    ticketId: $response.body#/id
      /tickets/{ticketId}:
        get:
          operationId: getTicket
          parameters:
            - {name: ticketId, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The ticket.

Failing (no operation is called `getTickets`)::

    paths:
      /tickets:
        post:
          operationId: createTicket
          responses:
            "201":
              description: Created.
              links:
                GetTicket:
                  operationId: getTickets
                  parameters:
                    ticketId: $response.body#/id
      /tickets/{ticketId}:
        get:
          operationId: getTicket
          parameters:
            - {name: ticketId, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The ticket.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.links import link_target
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "link-operation"
SEVERITY = Severity.ERROR

_LOCATIONS = ("path", "query", "header", "cookie")


@register
def check(spec: Spec) -> Iterator[Problem]:
    known_ids = list(spec.operations_by_id)
    for visit in spec.index.of("Link"):
        link, loc = visit.node, visit.loc
        name = loc.pointer[-1] if loc.pointer else "?"
        operation_id, operation_ref = link.get("operationId"), link.get("operationRef")
        if operation_id is None and operation_ref is None:
            yield spec.problem(ID, loc, f"link {name!r} names no target; set operationId (or operationRef)")
            continue
        target = link_target(spec, link, loc)
        if target is None:
            if isinstance(operation_id, str):
                close = difflib.get_close_matches(operation_id, known_ids, n=1)
                fix = f"did you mean {close[0]!r}?" if close else "fix the operationId"
                yield spec.problem(ID, loc / "operationId",
                                   f"link {name!r} targets operationId {operation_id!r}, which no operation has; {fix}")
            elif isinstance(operation_ref, str):
                yield spec.problem(ID, loc / "operationRef",
                                   f"link {name!r}: operationRef {operation_ref!r} does not resolve to an operation "
                                   f"(write e.g. '#/paths/~1tickets~1{{id}}/get')")
            continue
        params = spec.parameters(target)
        parameters = link.get("parameters")
        if isinstance(parameters, dict):
            for key in parameters:
                where, dot, bare = str(key).partition(".")
                if dot and where in _LOCATIONS:
                    matches = [p for p in params if p.node["in"] == where and p.node["name"] == bare]
                else:
                    matches = [p for p in params if p.node["name"] == key]
                if not matches:
                    names = ", ".join(sorted({str(p.node["name"]) for p in params})) or "none"
                    yield spec.problem(ID, loc / "parameters" / key,
                                       f"link {name!r} sets parameter {key!r}, which {target.label} does not have "
                                       f"(its parameters: {names})")
        if "requestBody" in link and "requestBody" not in target.node:
            yield spec.problem(ID, loc / "requestBody",
                               f"link {name!r} sets a requestBody but {target.label} takes no request body")
