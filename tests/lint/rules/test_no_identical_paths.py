"""no-identical-paths: paths that differ only in parameter names, reported at the later one."""

from __future__ import annotations

from tests.lint.helpers import found, problems

RULE = "no-identical-paths"


def test_identical_paths_whatever_their_methods() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets/{id}:
            get:
              responses:
                "200": {description: OK.}
          /tickets/last:
            get:
              responses:
                "200": {description: OK.}
          /tickets/{ticketId}:
            delete:
              responses:
                "204": {description: Deleted.}
          /notes/{a}/{b}:
            get:
              responses:
                "200": {description: OK.}
          /notes/{c}/{d}:
            get:
              responses:
                "200": {description: OK.}
    """
    assert found(text, RULE) == [(RULE, 12, 3), (RULE, 20, 3)]
    assert problems(text, RULE)[0].message == (
        "path '/tickets/{ticketId}' is identical to '/tickets/{id}' (line 4): they differ only in parameter names, "
        "so no router can tell them apart; merge them")
