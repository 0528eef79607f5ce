"""no-unresolved-refs: local and relative-file references resolve."""

from __future__ import annotations

from pathlib import Path

from tests.lint.helpers import doc, found, problems

RULE = "no-unresolved-refs"

TEXT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets:
        get:
          responses:
            "200":
              $ref: "#/components/responses/Tciket"
            "404":
              $ref: "#/components/responses/Ticket"
    components:
      responses:
        Ticket:
          description: The ticket.
"""


def test_missing_local_target_is_reported_at_the_ref_with_a_suggestion() -> None:
    assert found(TEXT, RULE) == [(RULE, 8, 11)]
    assert "did you mean 'Ticket'?" in problems(TEXT, RULE)[0].message


def test_relative_file_refs_resolve_and_their_misses_are_reported(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text(doc("""
        Error:
          type: object
          properties:
            detail:
              $ref: "#/Missing"
    """))
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              responses:
                "200":
                  description: OK.
                  content:
                    application/json:
                      schema:
                        $ref: "common.yaml#/Error"
                "404":
                  description: Gone.
                  content:
                    application/json:
                      schema:
                        $ref: "nowhere.yaml#/Error"
    """
    found_problems = problems(text, RULE, base=tmp_path)
    assert [(p.file.endswith("common.yaml"), p.line, p.column) for p in found_problems] == [
        (True, 5, 7),  # inside the referenced file, at its own broken $ref
        (False, 18, 17),
    ]
    assert "no such file" in found_problems[1].message


def test_circular_chain_is_reported() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            A:
              $ref: "#/components/schemas/B"
            B:
              $ref: "#/components/schemas/A"
    """
    assert found(text, RULE) == [(RULE, 7, 7), (RULE, 9, 7)]


def test_remote_refs_are_not_reported() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            A:
              $ref: "https://example.com/schemas.yaml#/A"
    """
    assert found(text, RULE) == []


def test_resolving_refs_pass() -> None:
    assert found(TEXT.replace("Tciket", "Ticket"), RULE) == []
