"""One problem per cause: no consequences of an example's mistake, identical problems collapse with a count."""

from __future__ import annotations

from contracts.lint.linter import lint_text
from tests.lint.helpers import doc, found, problems

MEDIA = "oas3-valid-media-example"

UNEVALUATED = """
    openapi: 3.1.0
    info: {title: Tickets, version: "1"}
    paths:
      /tickets/{id}:
        get:
          responses:
            "200":
              description: The ticket.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Ticket"}
                  example: {id: T-1, title: Leak, floor: 2, room: B, status: open, secret: s3, color: red}
    components:
      schemas:
        Base:
          type: object
          properties:
            id: {type: string}
            title: {type: string}
            floor: {type: integer}
            room: {type: string}
            status: {type: string}
            secret: {type: string, writeOnly: true}
        Ticket:
          allOf: [{$ref: "#/components/schemas/Base"}]
          unevaluatedProperties: false
"""


def test_write_only_in_a_3_1_example_is_one_problem_not_an_unevaluated_properties_echo() -> None:
    # `secret` makes the allOf member fail, which in 2020-12 leaves the five valid properties
    # "unevaluated"; only `secret` itself and `color` (declared nowhere) are problems.
    assert found(UNEVALUATED, MEDIA) == [(MEDIA, 12, 80), (MEDIA, 12, 92)]
    messages = [p.message.split(": ", 1)[1] for p in problems(UNEVALUATED, MEDIA)]
    assert messages == [
        "writeOnly property 'secret' must not appear in a response example; remove it from the example",
        "property 'color' is not allowed here (unevaluatedProperties is false)",
    ]


def test_unevaluated_properties_alone_are_reported_at_each_property() -> None:
    text = UNEVALUATED.replace(" secret: s3,", "")
    assert found(text, MEDIA) == [(MEDIA, 12, 80)]
    assert problems(text, MEDIA)[0].pointer.endswith("/example/color")


REF_IN_EXAMPLE = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets:
        get:
          responses:
            "200":
              description: The tickets.
              content:
                application/json:
                  schema:
                    type: object
                    required: [items]
                    properties:
                      items: {type: array, items: {$ref: "#/components/schemas/Ticket"}}
                  examples:
                    default:
                      value:
                        items:
                          - $ref: "#/components/examples/Ticket/value"
                    whole:
                      value: {$ref: "#/components/examples/Tickets"}
    components:
      schemas:
        Ticket:
          type: object
          required: [id, title, status, floor]
          additionalProperties: false
          properties:
            id: {type: string}
            title: {type: string}
            status: {type: string}
            floor: {type: integer}
"""


def test_a_ref_inside_an_example_value_is_one_problem() -> None:
    # Without the collapse each $ref object would also be four missing properties and an
    # unknown `$ref` property (and the whole-value one a missing `items`).
    assert found(REF_IN_EXAMPLE, MEDIA) == [(MEDIA, 20, 25), (MEDIA, 22, 19)]
    first, second = problems(REF_IN_EXAMPLE, MEDIA)
    assert first.message.endswith('does not match its schema: is a {"$ref": "#/components/examples/Ticket/value"} '
                                  "object, but example values are literal data and $ref is not resolved in them; "
                                  "write the value itself (or move the example to components/examples and reference "
                                  "it from `examples`)")
    assert second.pointer == "/paths/~1tickets/get/responses/200/content/application~1json/examples/whole/value"


def test_identical_problems_at_one_place_collapse_with_a_count() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            Ticket:
              allOf:
                - {type: object, required: [id]}
                - {type: object, required: [id]}
                - {type: object, required: [id]}
              example: {title: Leak}
    """
    (problem,) = problems(text, "oas3-valid-schema-example")
    assert (problem.line, problem.column, problem.count) == (11, 7, 3)
    assert str(problem).endswith("schema example does not match the schema: required property 'id' is missing (x3)")
    assert [p.count for p in lint_text(doc(text)) if p.rule == "oas3-valid-schema-example"] == [3]
