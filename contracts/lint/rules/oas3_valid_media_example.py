"""Media-type examples (`example`, `examples`, referenced component examples) match their schema.

Direction-aware, which Spectral is not (stoplightio/spectral#1274): in a request body example
a `readOnly` property is an error and a required `readOnly` property may be left out; in a
response example the same holds for `writeOnly`. In webhooks (`webhooks`, `x-webhooks`) and
callbacks the API sends the request and the consumer answers, so there it is the other way
round: a `readOnly` property in a webhook request example is fine. `nullable` is honoured
(OpenAPI 3.0.3: a nullable enum allows null only when it lists null), `discriminator` is
ignored, formats (date-time, date, uuid, email, ...) are checked. Each problem points at the
offending value inside the example, in the file where the example is written, and one cause is
one problem (a `$ref` written inside an example value is reported once, not as the errors it
causes). A string example of a non-JSON media type (XML, CSV) is not parsed, so it is skipped.

Passing::

    paths:
      /tickets:
        post:
          requestBody:
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Ticket"}
                example: {title: Leaking tap}
          responses:
            "201":
              description: Created.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Ticket"}
                  example: {id: 7, title: Leaking tap}
    components:
      schemas:
        Ticket:
          type: object
          required: [id, title]
          properties:
            id: {type: integer, readOnly: true}
            title: {type: string}

Failing (a request may not send the readOnly `id`; the response's `id` is not an integer)::

    paths:
      /tickets:
        post:
          requestBody:
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Ticket"}
                example: {id: 7, title: Leaking tap}
          responses:
            "201":
              description: Created.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Ticket"}
                  example: {id: seven, title: Leaking tap}
    components:
      schemas:
        Ticket:
          type: object
          required: [id, title]
          properties:
            id: {type: integer, readOnly: true}
            title: {type: string}
"""

from __future__ import annotations

from collections.abc import Iterator

from contracts.lint.document import Spec, is_json_media, message_side
from contracts.lint.model import Problem, Severity
from contracts.lint.registry import register
from contracts.lint.validation import check_value, iter_examples

ID = "oas3-valid-media-example"
SEVERITY = Severity.ERROR


@register
def check(spec: Spec) -> Iterator[Problem]:
    seen: set[tuple[int, tuple[str | int, ...], str]] = set()
    for visit in spec.index.roles("MediaType"):
        node, loc = visit.node, visit.loc
        if "schema" not in node:
            continue
        media = str(loc.pointer[-1]) if loc.pointer else ""
        side = message_side(visit)
        what = {"request": f"{side} body", "response": side}.get(visit.direction, "media type")
        direction = visit.sender_direction
        for value, where, label in iter_examples(spec, node, loc):
            key = (id(where.source), where.pointer, direction)
            if key in seen or (isinstance(value, str) and not is_json_media(media)):
                continue
            seen.add(key)
            yield from check_value(spec, ID, node["schema"], loc / "schema", value, where, direction,
                                   f"{what} {label} ({media}) does not match its schema", side)
