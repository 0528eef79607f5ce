"""path-params: templates and in: path parameters agree (identical paths are no-identical-paths)."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "path-params"


def test_undeclared_template_and_unused_parameter() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets/{ticketId}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string}}
            get:
              responses:
                "200": {description: The ticket.}
            delete:
              responses:
                "204": {description: Deleted.}
    """
    # The path-level `id` is reported once, each operation misses {ticketId}.
    assert found(text, RULE) == [(RULE, 6, 9), (RULE, 7, 5), (RULE, 10, 5)]
    messages = [p.message for p in problems(text, RULE)]
    assert "'/tickets/{ticketId}' has no {id}" in messages[0]
    assert "does not declare path parameter 'ticketId'" in messages[1]


def test_repeated_template_but_not_identical_paths() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /a/{x}/b/{x}:
            get:
              parameters:
                - {name: x, in: path, required: true, schema: {type: string}}
              responses:
                "200": {description: OK.}
          /tickets/{id}:
            get:
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses:
                "200": {description: OK.}
          /tickets/{ticketId}:
            put:
              parameters:
                - {name: ticketId, in: path, required: true, schema: {type: string}}
              responses:
                "200": {description: OK.}
    """
    # /tickets/{id} and /tickets/{ticketId} are reported once, by no-identical-paths.
    assert found(text, RULE) == [(RULE, 4, 3)]
    assert found(text, "no-identical-paths") == [("no-identical-paths", 16, 3)]


def test_matching_parameters_pass_including_a_referenced_one() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets/{ticketId}/notes/{noteId}:
            parameters:
              - $ref: "#/components/parameters/TicketId"
            get:
              parameters:
                - {name: noteId, in: path, required: true, schema: {type: string}}
              responses:
                "200": {description: The note.}
        components:
          parameters:
            TicketId: {name: ticketId, in: path, required: true, schema: {type: string}}
    """
    assert found(text, RULE) == []
