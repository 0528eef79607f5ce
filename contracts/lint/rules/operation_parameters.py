"""A parameter list declares each (name, in) pair only once (header names case-insensitively).

Checked separately for every operation's list and every path item's list; an operation may
override a path-level parameter, which is not a duplicate. Same id as Spectral's rule
(Redocly: `operation-parameters-unique`).

Passing::

    paths:
      /tickets:
        get:
          parameters:
            - {name: limit, in: query, schema: {type: integer}}
            - {name: offset, in: query, schema: {type: integer}}
          responses:
            "200":
              description: The tickets.

Failing::

    paths:
      /tickets:
        get:
          parameters:
            - {name: limit, in: query, schema: {type: integer}}
            - {name: limit, in: query, schema: {type: string}}
          responses:
            "200":
              description: The tickets.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from contracts.lint.document import Loc, Param, Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "operation-parameters"
SEVERITY = Severity.ERROR


def _duplicates(spec: Spec, listed: Any, loc: Loc) -> Iterator[Problem]:
    if not isinstance(listed, list):
        return
    first: dict[tuple[str, str], Param] = {}
    for i, item in enumerate(listed):
        use = loc / i
        node, where = spec.resolve(item, use)
        if not (isinstance(node, dict) and isinstance(node.get("name"), str) and isinstance(node.get("in"), str)):
            continue
        param = Param(node, where, use)
        if param.key in first:
            line, _ = first[param.key].use.position()
            yield spec.problem(
                ID, use,
                f"parameter {node['name']!r} in {node['in']} is already declared in this list (line {line}); "
                f"remove one of them",
            )
        else:
            first[param.key] = param


@register
def check(spec: Spec) -> Iterator[Problem]:
    seen: set[tuple[int, tuple[str | int, ...]]] = set()
    for op in spec.index.operations:
        key = (id(op.path_item_loc.source), op.path_item_loc.pointer)
        if key not in seen:
            seen.add(key)
            yield from _duplicates(spec, op.path_item.get("parameters"), op.path_item_loc / "parameters")
        yield from _duplicates(spec, op.node.get("parameters"), op.loc / "parameters")
