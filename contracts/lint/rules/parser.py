"""Mapping keys are strings: YAML does not read them as numbers, booleans or null (Spectral's `parser`).

Unquoted `200:` is the integer 200 to YAML, `true:` a boolean, `~:` null. OpenAPI requires
response codes to be quoted "for compatibility between JSON and YAML", and JSON has only string
keys, so tools that load YAML into native values (PyYAML, for one) see a number where a string
was meant. Every key is checked, in every file of the document. An error, as in Spectral.

Passing::

    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.

Failing::

    paths:
      /tickets:
        get:
          responses:
            200:
              description: The tickets.
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Loc, Spec
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register

ID = "parser"
SEVERITY = Severity.ERROR


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    return "a number"


@register
def check(spec: Spec) -> Iterator[Problem]:
    spec.index  # noqa: B018 - the walk loads every referenced file, whose keys are checked too
    for source in spec.sources:
        for pointer, value in source.nonstring_keys:
            text = str(pointer[-1])
            yield spec.problem(ID, Loc(source, pointer),
                               f"mapping key {text} is read by YAML as {_kind(value)}, not a string; quote it: "
                               f"\"{text}\"")
