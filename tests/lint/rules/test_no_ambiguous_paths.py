"""no-ambiguous-paths: templated paths that can match one request, for a method they share."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "no-ambiguous-paths"

OK = '{responses: {"200": {description: OK.}}}'


def test_ambiguous_pairs_as_redocly_finds_them_but_only_for_shared_methods() -> None:
    text = f"""
        openapi: 3.0.3
        info: {{title: Tickets, version: "1"}}
        paths:
          /good/{{id}}: {{get: {OK}}}
          /good/last: {{get: {OK}}}
          /good/{{id}}/{{pet}}: {{get: {OK}}}
          /good/last/{{id}}: {{get: {OK}}}
          /{{id}}/ambiguous: {{get: {OK}}}
          /ambiguous/{{id}}: {{get: {OK}}}
          /pet/last: {{get: {OK}}}
          /pet/first: {{get: {OK}}}
          /{{entity}}/{{id}}/last: {{get: {OK}}}
          /pet/first/{{id}}: {{get: {OK}}}
          /{{kind}}/mine: {{delete: {OK}}}
    """
    # /{{kind}}/mine shares no method with /good/{{id}} (DELETE vs GET): a router tells them apart.
    assert found(text, RULE) == [(RULE, 8, 3), (RULE, 9, 3), (RULE, 12, 3)]
    assert problems(text, RULE)[0].message == (
        "path '/{id}/ambiguous' and '/good/{id}' (line 4) can match the same request (GET); rename a segment so "
        "that every request has one path")


def test_concrete_beside_templated_and_identical_paths_are_not_reported_here() -> None:
    text = f"""
        openapi: 3.0.3
        info: {{title: Tickets, version: "1"}}
        paths:
          /tickets/{{id}}: {{get: {OK}}}
          /tickets/search: {{get: {OK}}}
          /tickets/{{ticketId}}: {{get: {OK}}}
    """
    assert found(text, RULE) == []
    assert found(text, "no-identical-paths") == [("no-identical-paths", 6, 3)]


def test_a_parameter_that_cannot_take_the_literal_segment_is_not_ambiguous() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /issues/comments/{commentId}:
            get: {responses: {"200": {description: OK.}}}
          /issues/{issueNumber}/events:
            parameters:
              - {name: issueNumber, in: path, required: true, schema: {type: integer}}
            get: {responses: {"200": {description: OK.}}}
          /issues/{state}/labels:
            get:
              parameters:
                - {name: state, in: path, required: true, schema: {type: string, enum: [open, closed]}}
              responses: {"200": {description: OK.}}
          /issues/{slug}/notes:
            parameters:
              - {name: slug, in: path, required: true, schema: {type: string, pattern: "^[a-z]+$"}}
            get: {responses: {"200": {description: OK.}}}
          /issues/{uuid}/files:
            parameters:
              - {name: uuid, in: path, required: true, schema: {type: string, format: uuid}}
            get: {responses: {"200": {description: OK.}}}
    """
    # Only the pattern admits "comments": GET /issues/comments/notes matches two paths.
    assert found(text, RULE) == [(RULE, 15, 3)]
