"""In a 2xx response body, the resource's own identifier is marked `readOnly: true`.

So that request examples, generated requests and the mock never treat a server-generated id as
client input. Which property is "the resource's own identifier" is defined narrowly, so that
foreign keys (`customerId` on a ticket) are never flagged:

1. a property named `id` or `_id` of the response body object; of its items when the body is
   an array; or, when the body object has neither (a collection envelope such as
   `{items: [...], total: 3}`), of the items of its array properties;
2. the property a link on that response reads with `$response.body#/...` to fill a path
   parameter `{p}` of the link's target, when the target's path up to `{p}` is the operation's
   own path, or its own path plus `/{p}`: the link then addresses the very resource the response
   returns (POST /tickets -> GET /tickets/{ticketId} with `ticketId: $response.body#/ticket_id`).
   A link to /customers/{customerId} reads a foreign key and is not checked.

`readOnly` counts when it is set on the property, on the schema its `$ref` names, or on one of
its `allOf` members (the OpenAPI 3.0 way to add it next to a `$ref`). Only JSON bodies of
operations under `paths` are checked. Our own rule.

Passing::

    paths:
      /tickets/{ticketId}:
        get:
          parameters:
            - {name: ticketId, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The ticket.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      id: {type: string, readOnly: true}
                      customerId: {type: string}

Failing (`id` is the ticket's own id; `customerId` is a foreign key and is fine)::

    paths:
      /tickets/{ticketId}:
        get:
          parameters:
            - {name: ticketId, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The ticket.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      id: {type: string}
                      customerId: {type: string}
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from contracts.lint.document import Loc, Operation, Spec, is_json_media
from contracts.lint.links import link_target, parse_expression, schema_at, variants
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "mock-readonly-ids"
SEVERITY = Severity.WARN

_OWN_IDS = ("id", "_id")
_TEMPLATE = re.compile(r"\{[^{}]*\}")
_LOCATIONS = ("path.", "query.", "header.", "cookie.")


def _read_only(spec: Spec, node: Any, loc: Loc, depth: int = 0) -> bool:
    node, loc = spec.resolve(node, loc)
    if not isinstance(node, dict) or depth > 8:
        return True  # unknown (broken $ref): no-unresolved-refs reports it
    if node.get("readOnly") is True:
        return True
    members = node.get("allOf")
    return isinstance(members, list) and any(
        _read_only(spec, member, loc / "allOf" / i, depth + 1) for i, member in enumerate(members)
    )


def _property(spec: Spec, schema: Any, loc: Loc, name: str) -> tuple[Any, Loc] | None:
    for variant, at in variants(spec, schema, loc):
        properties = variant.get("properties")
        if isinstance(properties, dict) and name in properties:
            return properties[name], at / "properties" / name
    return None


def _array_items(spec: Spec, schema: Any, loc: Loc) -> tuple[Any, Loc] | None:
    node, where = spec.resolve(schema, loc)
    if isinstance(node, dict) and isinstance(node.get("items"), dict):
        return spec.resolve(node["items"], where / "items")
    return None


def _resources(spec: Spec, schema: Any, loc: Loc) -> Iterator[tuple[Any, Loc]]:
    """The objects in a response body whose `id`/`_id` is the resource's own (definition 1)."""
    items = _array_items(spec, schema, loc)
    root = items if items is not None else spec.resolve(schema, loc)
    yield root
    if any(_property(spec, root[0], root[1], name) for name in _OWN_IDS):
        return
    for variant, at in variants(spec, root[0], root[1]):
        properties = variant.get("properties")
        if isinstance(properties, dict):
            for name, prop in properties.items():
                inner = _array_items(spec, prop, at / "properties" / name)
                if inner is not None:
                    yield inner


def _addresses_same_resource(source_path: str, target_path: str, param: str) -> bool:
    marker = "{" + param + "}"
    at = target_path.find(marker)
    if at < 0:
        return False
    prefix = _TEMPLATE.sub("{}", target_path[: at + len(marker)])
    own = _TEMPLATE.sub("{}", source_path.rstrip("/"))
    return prefix in (own, own + "/{}")


def _link_reads(spec: Spec, op: Operation, response: dict[str, Any], loc: Loc) -> Iterator[tuple[str, str, str]]:
    """(link name, body pointer expression, target path) for links reading the resource's own id."""
    links = response.get("links")
    if not isinstance(links, dict):
        return
    for name, item in links.items():
        link, link_loc = spec.resolve(item, loc / "links" / name)
        if not isinstance(link, dict) or not isinstance(link.get("parameters"), dict):
            continue
        target = link_target(spec, link, link_loc)
        if target is None or target.origin != "paths":
            continue
        for key, value in link["parameters"].items():
            param = str(key)
            if param.startswith(_LOCATIONS):
                if not param.startswith("path."):
                    continue
                param = param[5:]
            if isinstance(value, str) and value.startswith("$response.body#/") and _addresses_same_resource(
                op.path, target.path, param
            ):
                yield str(name), value, target.path


@register
def check(spec: Spec) -> Iterator[Problem]:
    seen: set[tuple[int, tuple[str | int, ...]]] = set()

    def report(node: Any, node_loc: Loc, written: Loc, message: str) -> Iterator[Problem]:
        key = (id(written.source), written.pointer)
        if key not in seen:
            seen.add(key)
            if not _read_only(spec, node, node_loc):
                yield spec.problem(ID, written, message)

    fix = "add readOnly: true (in OpenAPI 3.0 next to a $ref: allOf: [{$ref: ...}], readOnly: true)"
    for op in spec.operations:
        if op.origin != "paths":
            continue
        for code, response, response_loc, _ in spec.iter_responses(op):
            content = response.get("content")
            if not code.startswith("2") or not isinstance(content, dict):
                continue
            for media, item in content.items():
                if not is_json_media(str(media)) or not isinstance(item, dict) or "schema" not in item:
                    continue
                schema_loc = response_loc / "content" / media / "schema"
                for resource, at in _resources(spec, item["schema"], schema_loc):
                    for name in _OWN_IDS:
                        found = _property(spec, resource, at, name)
                        if found is not None:
                            message = (f"property {name!r} identifies the resource in the {code} response of "
                                       f"{op.label} but is not readOnly; {fix}")
                            yield from report(found[0], found[1], found[1], message)
                for link, expression, target_path in _link_reads(spec, op, response, response_loc):
                    try:
                        pointer = parse_expression(expression).pointer or ()
                    except ValueError:
                        continue  # link-expression reports it
                    step = schema_at(spec, item["schema"], schema_loc, pointer)
                    if step.status == "found" and step.loc is not None and step.written is not None and pointer:
                        yield from report(
                            step.node, step.loc, step.written,
                            f"property {pointer[-1]!r} is the id of the resource {op.label} returns (link {link!r} "
                            f"reads it to address {target_path}) but is not readOnly; {fix}",
                        )
