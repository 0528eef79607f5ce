"""No request can match two templated paths (Redocly's `no-ambiguous-paths`).

`/{entity}/me` and `/books/{id}` both match `GET /books/me`. Two paths are ambiguous when they
have as many segments and as many whole-segment templates, every segment either matches
literally or is a template in one of them, and they share an HTTP method (a router tells
`GET /{entity}/me` from `DELETE /books/{id}` by the method). A concrete path beside a templated
one (`/tickets/search` and `/tickets/{id}`) is not ambiguous: OpenAPI matches the concrete one
first. Paths that differ only in parameter names are `no-identical-paths`. Reported at the later
path; a warning, as in Redocly.

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
from collections.abc import Iterator

from contracts.lint.document import HTTP_METHODS, Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "no-ambiguous-paths"
SEVERITY = Severity.WARN

_WHOLE = re.compile(r"\{[^{}]+\}\Z")


def _ambiguous(a: list[str | None], b: list[str | None]) -> bool:
    """Segments are literal text or None for a whole-segment template; equal lengths and template counts."""
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True)) and a != b


@register
def check(spec: Spec) -> Iterator[Problem]:
    paths = spec.data.get("paths")
    if not isinstance(paths, dict):
        return
    base = spec.loc / "paths"
    groups: dict[tuple[int, int], list[tuple[str, list[str | None], set[str]]]] = {}
    for path, item in paths.items():
        key = str(path)
        if key.startswith("x-"):
            continue
        node, _ = spec.resolve(item, base / path)
        methods = {m for m in HTTP_METHODS if isinstance(node, dict) and isinstance(node.get(m), dict)}
        segments: list[str | None] = [None if _WHOLE.match(s) else s for s in key.split("/")]
        shape = [s if s is not None else "" for s in segments]
        templates = segments.count(None)
        if not templates:
            continue
        group = groups.setdefault((len(segments), templates), [])
        for earlier, earlier_segments, earlier_methods in group:
            if (methods & earlier_methods and _ambiguous(segments, earlier_segments)
                    and shape != [s if s is not None else "" for s in earlier_segments]):
                line, _ = (base / earlier).position()
                shared = ", ".join(m.upper() for m in HTTP_METHODS if m in methods & earlier_methods)
                yield spec.problem(
                    ID, base / path,
                    f"path {key!r} and {earlier!r} (line {line}) can match the same request ({shared}); rename a "
                    f"segment so that every request has one path",
                )
                break
        group.append((key, segments, methods))
