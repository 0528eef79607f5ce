"""Link runtime expressions parse, and read what the linked messages actually contain.

Each link parameter / requestBody value that is a `$...` expression (or embeds `{$...}`) must
follow the OpenAPI grammar (`$response.body#/id`, `$request.path.ticketId`,
`$response.header.Location`; Schemathesis' `#regex:` suffix on headers is accepted), and, for
the response the link is attached to and the operation it belongs to:
`$response.body#/...` must exist in that response's JSON schema, `$response.header.X` must be a
documented response header, `$request.path.X` / `$request.query.X` must be parameters of the
operation, `$request.body#/...` must exist in its request body schema. A response has no
path or query, so `$response.path.*` / `$response.query.*` are always wrong.

Passing::

    paths:
      /tickets:
        post:
          operationId: createTicket
          responses:
            "201":
              description: Created.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      id: {type: string, readOnly: true}
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

Failing (the response body has no `ticket_id`)::

    paths:
      /tickets:
        post:
          operationId: createTicket
          responses:
            "201":
              description: Created.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      id: {type: string, readOnly: true}
              links:
                GetTicket:
                  operationId: getTicket
                  parameters:
                    ticketId: $response.body#/ticket_id
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

from collections.abc import Iterator
from typing import Any

from contracts.lint.document import Loc, Operation, Spec, is_json_media
from contracts.lint.links import Expression, iter_expressions, parse_expression, schema_at
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "link-expression"
SEVERITY = Severity.ERROR


def _values(link: dict[str, Any], loc: Loc) -> Iterator[tuple[str, Loc]]:
    parameters = link.get("parameters")
    if isinstance(parameters, dict):
        yield from iter_expressions(parameters, loc / "parameters")
    if "requestBody" in link:
        yield from iter_expressions(link["requestBody"], loc / "requestBody")


def _check_in_context(spec: Spec, op: Operation, code: str, response: dict[str, Any], response_loc: Loc,
                      expr: Expression) -> str | None:
    if expr.side == "response":
        if expr.source in ("path", "query"):
            return f"a response has no {expr.source}; read the value from $response.body or a header"
        if expr.source == "header":
            headers = response.get("headers")
            names = {str(h).lower() for h in headers} if isinstance(headers, dict) else set()
            if expr.name.lower() not in names:
                return f"the {code} response of {op.label} documents no {expr.name!r} header; declare it in headers"
        if expr.source == "body" and expr.pointer:
            return _pointer_problem(spec, response.get("content"), response_loc / "content", expr.pointer,
                                    f"the {code} response of {op.label}")
        return None
    if expr.side == "request":
        if expr.source in ("path", "query"):
            names = {p.node["name"] for p in spec.parameters(op) if p.node.get("in") == expr.source}
            if expr.name not in names:
                return f"{op.label} has no {expr.source} parameter {expr.name!r}"
        if expr.source == "body" and expr.pointer:
            body, body_loc = spec.resolve(op.node.get("requestBody"), op.loc / "requestBody")
            if not isinstance(body, dict):
                return f"{op.label} takes no request body"
            return _pointer_problem(spec, body.get("content"), body_loc / "content", expr.pointer,
                                    f"the request body of {op.label}")
    return None


def _pointer_problem(spec: Spec, content: Any, content_loc: Loc, pointer: tuple[str, ...], what: str) -> str | None:
    if not isinstance(content, dict) or not content:
        return f"{what} has no body"
    missing: list[str] = []
    for media, item in content.items():
        if not is_json_media(str(media)) or not isinstance(item, dict) or "schema" not in item:
            return None  # a body we cannot walk: give the benefit of the doubt
        step = schema_at(spec, item["schema"], content_loc / media / "schema", pointer)
        if step.status != "missing":
            return None
        known = ", ".join(step.known[:10]) + (", ..." if len(step.known) > 10 else "")
        missing.append(f"{what} ({media}) has no property {step.token!r} at that point (it has: {known})")
    return missing[0] if missing else None


@register
def check(spec: Spec) -> Iterator[Problem]:
    seen: set[tuple[int, tuple[str | int, ...], str]] = set()
    syntax_ok: dict[tuple[int, tuple[str | int, ...], str], Expression | None] = {}
    # Syntax, once per written expression (links in components too).
    for visit in spec.index.of("Link"):
        for text, where in _values(visit.node, visit.loc):
            key = (id(where.source), where.pointer, text)
            try:
                syntax_ok[key] = parse_expression(text)
            except ValueError as exc:
                syntax_ok[key] = None
                yield spec.problem(ID, where, f"runtime expression {text!r} does not parse: {exc}")
    # Meaning, for each response a link is attached to.
    for op in spec.index.operations:
        for code, response, response_loc, _ in spec.iter_responses(op):
            links = response.get("links")
            if not isinstance(links, dict):
                continue
            for name, item in links.items():
                link, link_loc = spec.resolve(item, response_loc / "links" / name)
                if not isinstance(link, dict):
                    continue
                for text, where in _values(link, link_loc):
                    expr = syntax_ok.get((id(where.source), where.pointer, text))
                    if expr is None:
                        continue
                    reason = _check_in_context(spec, op, code, response, response_loc, expr)
                    # A shared link component is reported once, for the first response it fails in.
                    key = (id(where.source), where.pointer, text)
                    if reason and key not in seen:
                        seen.add(key)
                        yield spec.problem(ID, where, f"link {name!r}: {text} cannot be evaluated: {reason}")
