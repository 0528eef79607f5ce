"""Path templates and path parameters agree.

For every operation under `paths`: each `{name}` in the path has an `in: path` parameter
(declared on the operation or its path item), each `in: path` parameter appears in the path,
and no template name repeats. Same id as Spectral's rule (Redocly: `path-parameters-defined`).
Paths that differ only in their parameter names, which Spectral also reports here, are
reported once, by `no-identical-paths`.

Passing::

    paths:
      /tickets/{ticketId}:
        get:
          parameters:
            - name: ticketId
              in: path
              required: true
              schema:
                type: string
          responses:
            "200":
              description: The ticket.

Failing (`{ticketId}` is never declared, `id` is not in the path)::

    paths:
      /tickets/{ticketId}:
        get:
          parameters:
            - name: id
              in: path
              required: true
              schema:
                type: string
          responses:
            "200":
              description: The ticket.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from contracts.lint.document import Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "path-params"
SEVERITY = Severity.ERROR

_TEMPLATE = re.compile(r"\{([^{}]*)\}")


@register
def check(spec: Spec) -> Iterator[Problem]:
    paths = spec.data.get("paths")
    if not isinstance(paths, dict):
        return
    base = spec.loc / "paths"
    for path in paths:
        key = str(path)
        if key.startswith("x-"):
            continue
        names = _TEMPLATE.findall(key)
        repeated = sorted({n for n in names if names.count(n) > 1})
        for name in repeated:
            yield spec.problem(ID, base / path, f"path {key!r} uses {{{name}}} more than once; name each "
                                                f"parameter differently")
        if "" in names:
            yield spec.problem(ID, base / path, f"path {key!r} has an empty template {{}}; name the parameter")

    reported: set[tuple[int, tuple[str | int, ...]]] = set()
    for op in spec.operations:
        if op.origin != "paths":
            continue
        in_path = set(_TEMPLATE.findall(op.path))
        declared = {p.node["name"]: p for p in spec.parameters(op) if p.node.get("in") == "path"}
        for name in sorted(in_path - set(declared)):
            if name:
                yield spec.problem(
                    ID, op.loc,
                    f"{op.method.upper()} {op.path} does not declare path parameter {name!r}; add "
                    f"{{name: {name}, in: path, required: true, schema: ...}} to its parameters",
                )
        for name, param in declared.items():
            where = (id(param.use.source), param.use.pointer)
            if name not in in_path and where not in reported:
                reported.add(where)
                yield spec.problem(
                    ID, param.use,
                    f"parameter {name!r} is declared in: path but {op.path!r} has no {{{name}}}; rename it to "
                    f"match the template or remove it",
                )
