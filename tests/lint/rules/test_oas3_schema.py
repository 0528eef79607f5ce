"""oas3-schema: structural validity, every problem at its own node."""

from __future__ import annotations

from pathlib import Path

from tests.lint.helpers import doc, found, problems

RULE = "oas3-schema"


def test_reports_every_problem_not_only_the_first() -> None:
    text = """
        openapi: 3.0.3
        info:
          title: Tickets
        paths:
          /tickets:
            get:
              summry: List tickets
              responses:
                "200": {}
    """
    assert found(text, RULE) == [(RULE, 2, 1), (RULE, 7, 7), (RULE, 9, 9)]
    messages = [p.message for p in problems(text, RULE)]
    assert "Info: required property 'version' is missing" in messages[0]
    assert "unknown field 'summry'; did you mean 'summary'?" in messages[1]
    assert "'description'" in messages[2]


def test_explains_the_alternative_the_node_meant() -> None:
    # A path parameter without `required: true`: the Parameter/Reference oneOf is not reported as
    # "not valid under any of the schemas", but as the path variant's missing field.
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets/{id}:
            get:
              parameters:
                - name: id
                  in: path
                  schema: {type: string}
              responses:
                "200": {description: The ticket.}
    """
    found_problems = problems(text, RULE)
    assert [(p.line, p.column) for p in found_problems] == [(7, 11)]
    assert "required property 'required' is missing" in found_problems[0].message


def test_schema_type_typo_is_pointed_at_the_value() -> None:
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            Ticket:
              type: object
              nullable: "yes"
    """
    assert found(text, RULE) == [(RULE, 8, 7)]


def test_valid_3_0_and_3_1_documents_pass() -> None:
    for version in ("3.0.3", "3.1.0"):
        text = f"""
            openapi: {version}
            info: {{title: Tickets, version: "1"}}
            paths:
              /tickets:
                get:
                  responses:
                    "200":
                      description: The tickets.
        """
        assert found(text, RULE) == []


def test_3_1_document_uses_the_3_1_schema() -> None:
    text = """
        openapi: 3.1.0
        info: {title: Tickets, version: "1"}
        webhooks:
          ticketClosed:
            post:
              responses:
                "200":
                  descripton: Received.
    """
    found_problems = problems(text, RULE)
    assert [(p.line, p.column) for p in found_problems] == [(7, 9), (8, 11)]
    assert "required property 'description' is missing" in found_problems[0].message
    assert "unknown field 'descripton'; did you mean 'description'?" in found_problems[1].message


def test_objects_in_referenced_files_are_validated_as_what_their_use_implies(tmp_path: Path) -> None:
    (tmp_path / "parts.yaml").write_text(doc("""
        Limit:
          name: limit
          schema: {type: integer}
        Ticket:
          type: object
          propertys: {id: {type: string}}
    """))
    text = """
        openapi: 3.0.3
        info: {title: Tickets, version: "1"}
        paths:
          /tickets:
            get:
              parameters:
                - $ref: "parts.yaml#/Limit"
              responses:
                "200":
                  description: OK.
                  content:
                    application/json:
                      schema: {$ref: "parts.yaml#/Ticket"}
    """
    found_problems = problems(text, RULE, base=tmp_path)
    assert [(Path(p.file).name, p.line, p.column) for p in found_problems] == [
        ("parts.yaml", 1, 1), ("parts.yaml", 6, 3),
    ]
    assert "Parameter: required property 'in' is missing" in found_problems[0].message
    assert "Schema: unknown field 'propertys'; did you mean 'properties'?" in found_problems[1].message


def test_nullable_in_a_3_1_document_is_reported_at_the_keyword() -> None:
    text = """
        openapi: 3.1.0
        info: {title: Tickets, version: "1"}
        paths: {}
        components:
          schemas:
            ClosedAt: {type: string, format: date-time, nullable: true}
            Note:
              type: [string, "null"]
              nullable: true
    """
    assert found(text, RULE) == [(RULE, 6, 49), (RULE, 9, 7)]
    messages = [p.message for p in problems(text, RULE)]
    assert messages[0] == ("nullable is not an OpenAPI 3.1 keyword (3.1 schemas are JSON Schema 2020-12) and means "
                           "nothing here; write type: [\"string\", \"null\"] and remove nullable")
    assert "write \"null\" in the type list" in messages[1]
