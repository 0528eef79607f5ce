"""No request can match two templated paths (Redocly's `no-ambiguous-paths`).

`/{entity}/me` and `/books/{id}` both match `GET /books/me`. Two paths are ambiguous when they
have as many segments and as many whole-segment templates, every segment either matches
literally or is a template in one of them, and they share an HTTP method (a router tells
`GET /{entity}/me` from `DELETE /books/{id}` by the method). A concrete path beside a templated
one (`/tickets/search` and `/tickets/{id}`) is not ambiguous: OpenAPI matches the concrete one
first. Nor are two paths where a template's parameter cannot take the other path's literal
segment: an integer `{issue_number}` never reads `comments`, and neither does a parameter whose
enum, pattern or `format: uuid` excludes it. Paths that differ only in parameter names are
`no-identical-paths`. Reported at the later path; a warning, as in Redocly.

Passing::

    paths:
      /tickets/search:
        get:
          responses:
            "200":
              description: Search results.
      /tickets/{id}:
        get:
          parameters:
            - {name: id, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The ticket.

Failing::

    paths:
      /{entity}/me:
        get:
          parameters:
            - {name: entity, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: Mine.
      /books/{id}:
        get:
          parameters:
            - {name: id, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The book.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from contracts.lint.document import HTTP_METHODS, Loc, Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "no-ambiguous-paths"
SEVERITY = Severity.WARN

_WHOLE = re.compile(r"\{[^{}]+\}\Z")


_INTEGER = re.compile(r"-?[0-9]+\Z")
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_FITS: dict[str, Callable[[str], object]] = {
    "integer": _INTEGER.match, "number": _NUMBER.match, "boolean": lambda text: text in ("true", "false")}

Segment = tuple[str | None, str]  # (literal text, or None for a template; the template's parameter name)


def _accepts(spec: Spec, param: tuple[Any, Loc] | None, literal: str) -> bool:
    """Whether a path parameter's schema can take `literal` (unknown: it can)."""
    if param is None:
        return True
    schema, _ = spec.resolve(*param)
    if not isinstance(schema, dict):
        return True
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else [t for t in declared if isinstance(t, str)] if (
        isinstance(declared, list)) else []
    if types and not any(t not in _FITS or _FITS[t](literal) for t in types):
        return False
    if isinstance(schema.get("enum"), list) and literal not in [str(v).lower() if isinstance(v, bool) else str(v)
                                                                for v in schema["enum"]]:
        return False
    if schema.get("format") == "uuid" and not _UUID.match(literal):
        return False
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            return re.search(pattern, literal) is not None
        except re.error:
            return True  # an ECMA-262 pattern Python cannot read: assume it could
    return True


def _ambiguous(spec: Spec, a: list[Segment], a_params: dict[str, tuple[Any, Loc]], b: list[Segment],
               b_params: dict[str, tuple[Any, Loc]]) -> bool:
    """Equal lengths and template counts: does some request path match both?"""
    for (x, x_name), (y, y_name) in zip(a, b, strict=True):
        if x is not None and y is not None:
            if x != y:
                return False
        elif x is not None and not _accepts(spec, b_params.get(y_name), x):
            return False
        elif y is not None and not _accepts(spec, a_params.get(x_name), y):
            return False
    return True


def _path_params(spec: Spec, node: Any, loc: Loc) -> dict[str, tuple[Any, Loc]]:
    """The schemas of a path item's `in: path` parameters (path level, then each operation's)."""
    found: dict[str, tuple[Any, Loc]] = {}
    if not isinstance(node, dict):
        return found
    owners = [(node, loc), *((node[m], loc / m) for m in HTTP_METHODS if isinstance(node.get(m), dict))]
    for owner, owner_loc in owners:
        listed = owner.get("parameters")
        for i, item in enumerate(listed if isinstance(listed, list) else []):
            param, where = spec.resolve(item, owner_loc / "parameters" / i)
            if isinstance(param, dict) and param.get("in") == "path" and "schema" in param:
                found.setdefault(str(param.get("name")), (param["schema"], where / "schema"))
    return found


@register
def check(spec: Spec) -> Iterator[Problem]:
    paths = spec.data.get("paths")
    if not isinstance(paths, dict):
        return
    base = spec.loc / "paths"
    Entry = tuple[str, list[Segment], set[str], dict[str, tuple[Any, Loc]] | None, Any, Loc]
    groups: dict[tuple[int, int], list[Entry]] = {}
    for path, item in paths.items():
        key = str(path)
        if key.startswith("x-"):
            continue
        node, node_loc = spec.resolve(item, base / path)
        methods = {m for m in HTTP_METHODS if isinstance(node, dict) and isinstance(node.get(m), dict)}
        segments: list[Segment] = [(None, s[1:-1]) if _WHOLE.match(s) else (s, "") for s in key.split("/")]
        templates = sum(1 for text, _ in segments if text is None)
        if not templates:
            continue
        group = groups.setdefault((len(segments), templates), [])
        params: dict[str, tuple[Any, Loc]] | None = None
        for index, (earlier, earlier_segments, earlier_methods, earlier_params, earlier_node, earlier_loc) in (
                enumerate(group)):
            shared_methods = methods & earlier_methods
            if not shared_methods or [t for t, _ in segments] == [t for t, _ in earlier_segments]:
                continue  # no common method, or identical (no-identical-paths says so)
            if params is None:
                params = _path_params(spec, node, node_loc)
            if earlier_params is None:
                earlier_params = _path_params(spec, earlier_node, earlier_loc)
                group[index] = (earlier, earlier_segments, earlier_methods, earlier_params, earlier_node, earlier_loc)
            if _ambiguous(spec, segments, params, earlier_segments, earlier_params):
                line, _ = (base / earlier).position()
                shared = ", ".join(m.upper() for m in HTTP_METHODS if m in shared_methods)
                yield spec.problem(
                    ID, base / path,
                    f"path {key!r} and {earlier!r} (line {line}) can match the same request ({shared}); rename a "
                    f"segment so that every request has one path",
                )
                break
        group.append((key, segments, methods, params, node, node_loc))
