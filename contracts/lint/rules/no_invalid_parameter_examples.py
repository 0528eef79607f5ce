"""Parameter and header examples (`example`, `examples`, or those of their `content`) match their schema.

Same id as Redocly's rule; response and encoding headers are checked the same way.

Passing::

    paths:
      /tickets:
        get:
          parameters:
            - name: limit
              in: query
              schema: {type: integer, minimum: 1, maximum: 100}
              example: 20
          responses:
            "200":
              description: The tickets.

Failing::

    paths:
      /tickets:
        get:
          parameters:
            - name: limit
              in: query
              schema: {type: integer, minimum: 1, maximum: 100}
              example: 500
          responses:
            "200":
              description: The tickets.
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register
from contracts.lint.validation import check_value, iter_examples

ID = "no-invalid-parameter-examples"
SEVERITY = Severity.ERROR


@register
def check(spec: Spec) -> Iterator[Problem]:
    for kind in ("Parameter", "Header"):
        for visit in spec.index.of(kind):
            node, loc = visit.node, visit.loc
            what = f"parameter {node.get('name')!r}" if kind == "Parameter" else f"header {loc.pointer[-1]!r}"
            if "schema" in node:
                for value, where, label in iter_examples(spec, node, loc):
                    yield from check_value(spec, ID, node["schema"], loc / "schema", value, where, "any",
                                           f"{what} {label} does not match its schema")
            content = node.get("content")
            if isinstance(content, dict):
                for media, item in content.items():
                    if isinstance(item, dict) and "schema" in item:
                        where_media = loc / "content" / media
                        for value, where, label in iter_examples(spec, item, where_media):
                            yield from check_value(spec, ID, item["schema"], where_media / "schema", value, where,
                                                   "any", f"{what} {label} ({media}) does not match its schema")
