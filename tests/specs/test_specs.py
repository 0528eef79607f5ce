"""Rules every vendor spec must keep: validity, Connexion loading, examples, links, conventions."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import pytest
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, OAS30WriteValidator
from openapi_spec_validator import validate

from mockserver.spec import (
    HTTP_METHODS,
    MOCK_SERVER_DESCRIPTION,
    inline_refs,
    iter_operations,
    mock_base_path,
    resolve_ref,
)
from tests.helpers import SLUGS, spec_of

pytestmark = pytest.mark.parametrize("slug", SLUGS)

OPERATION_ID = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def iter_examples(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], Any]]:
    """Yield (where, direction, schema, example) for every example attached to a schema."""
    for path, method, raw in iter_operations(spec):
        op = inline_refs(spec, raw)
        params = op.get("parameters", []) + inline_refs(spec, spec["paths"][path].get("parameters", []))
        for param in params:
            if "example" in param:
                yield f"{method} {path} param {param['name']}", "write", param["schema"], param["example"]
        body = op.get("requestBody", {})
        for media, content in body.get("content", {}).items():
            for name, example in _media_examples(content):
                yield f"{method} {path} request {media}{name}", "write", content["schema"], example
        for status, response in op.get("responses", {}).items():
            for media, content in (response.get("content") or {}).items():
                if "schema" not in content:
                    continue
                for name, example in _media_examples(content):
                    yield f"{method} {path} {status} {media}{name}", "read", content["schema"], example
    for name, schema in (spec.get("components", {}).get("schemas") or {}).items():
        for where, sub, example in _schema_examples(name, schema):
            yield f"components.schemas.{where}", "any", inline_refs(spec, sub), example


def _media_examples(content: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    if "example" in content:
        yield "", content["example"]
    for name, example in (content.get("examples") or {}).items():
        if "value" in example:
            yield f" examples.{name}", example["value"]


def _schema_examples(where: str, schema: Any) -> Iterator[tuple[str, dict[str, Any], Any]]:
    if not isinstance(schema, dict):
        return
    if "example" in schema and "$ref" not in schema:
        yield where, schema, schema["example"]
    for name, sub in (schema.get("properties") or {}).items():
        yield from _schema_examples(f"{where}.{name}", sub)
    if isinstance(schema.get("items"), dict):
        yield from _schema_examples(f"{where}[]", schema["items"])


VALIDATORS = {"read": OAS30ReadValidator, "write": OAS30WriteValidator, "any": OAS30Validator}


def test_spec_is_valid_openapi_303(slug: str) -> None:
    spec = spec_of(slug)
    assert spec["openapi"] == "3.0.3"
    validate(copy.deepcopy(spec))


def test_spec_loads_in_connexion(slug: str) -> None:
    from connexion import AsyncApp

    spec = copy.deepcopy(spec_of(slug))
    app = AsyncApp(__name__)
    base = mock_base_path(slug, spec)
    app.add_api(spec, base_path=base, resolver_error=501)
    client = app.test_client()
    response = client.get(f"{base}/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == spec["info"]["title"]


def test_every_example_validates_against_its_schema(slug: str) -> None:
    spec = spec_of(slug)
    problems = []
    count = 0
    for where, direction, schema, example in iter_examples(spec):
        count += 1
        validator = VALIDATORS[direction](schema)
        problems += [f"{where}: {error.message}" for error in validator.iter_errors(example)]
    assert count > 0
    assert problems == []


def test_every_body_has_an_example(slug: str) -> None:
    spec = spec_of(slug)
    missing = []
    for path, method, raw in iter_operations(spec):
        op = inline_refs(spec, raw)
        bodies = [("request", op.get("requestBody", {}))] + list(op.get("responses", {}).items())
        for label, body in bodies:
            for media, content in (body.get("content") or {}).items():
                if "schema" in content and "example" not in content and "examples" not in content:
                    missing.append(f"{method} {path} {label} {media}")
    assert missing == []


def test_links_name_existing_operations_and_parameters(slug: str) -> None:
    spec = spec_of(slug)
    operations = {op["operationId"]: (path, op) for path, _, op in iter_operations(spec)}
    problems = []
    for path, method, raw in iter_operations(spec):
        for status, response in raw.get("responses", {}).items():
            for name, link in (resolve_ref(spec, response).get("links") or {}).items():
                link = resolve_ref(spec, link)
                target = link.get("operationId")
                if target not in operations:
                    problems.append(f"{method} {path} {status} link {name}: no operation {target!r}")
                    continue
                target_path, target_op = operations[target]
                declared = {
                    resolve_ref(spec, p)["name"]
                    for p in target_op.get("parameters", []) + spec["paths"][target_path].get("parameters", [])
                }
                for param in link.get("parameters", {}):
                    if param.split(".")[-1] not in declared:
                        problems.append(f"{method} {path} link {name}: {target} has no parameter {param!r}")
    assert problems == []


def test_schemathesis_builds_a_state_machine_with_links(slug: str) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_dict(copy.deepcopy(spec_of(slug)))
    machine = schema.as_state_machine()
    assert machine.bundles, "no links were found to drive the stateful phase"


def test_operations_follow_conventions(slug: str) -> None:
    spec = spec_of(slug)
    declared_tags = {tag["name"] for tag in spec.get("tags", [])}
    seen: dict[str, str] = {}
    problems = []
    for path, method, op in iter_operations(spec):
        where = f"{method.upper()} {path}"
        op_id = op.get("operationId", "")
        if not OPERATION_ID.match(op_id):
            problems.append(f"{where}: operationId {op_id!r} is not lowerCamelCase")
        if op_id in seen:
            problems.append(f"{where}: operationId {op_id!r} also used by {seen[op_id]}")
        seen[op_id] = where
        if not op.get("summary"):
            problems.append(f"{where}: no summary")
        if len(op.get("tags", [])) != 1 or op["tags"][0] not in declared_tags:
            problems.append(f"{where}: needs exactly one declared tag, has {op.get('tags')}")
        if "security" not in op:
            problems.append(f"{where}: security is not declared on the operation")
        if not any(code.startswith("2") or code.startswith("3") for code in op.get("responses", {})):
            problems.append(f"{where}: no success response")
    assert problems == []
    assert set(spec["paths"]) and all(m in HTTP_METHODS or m in ("parameters", "summary", "description")
                                      for item in spec["paths"].values() for m in item)


def test_servers_list_vendor_first_and_mock_last(slug: str) -> None:
    spec = spec_of(slug)
    servers = spec["servers"]
    assert len(servers) >= 2
    assert servers[0]["url"].startswith("https://")
    mock = servers[-1]
    assert mock["description"] == MOCK_SERVER_DESCRIPTION
    assert mock["url"] == f"http://127.0.0.1:8000{mock_base_path(slug, spec)}"
    assert not any(s["url"].endswith("/") for s in servers)


def test_inferred_marks_carry_a_reason(slug: str) -> None:
    spec = spec_of(slug)
    problems = []

    def visit(node: Any, where: str) -> None:
        if isinstance(node, dict):
            mark = node.get("x-provenance")
            if mark is not None:
                if mark != "inferred":
                    problems.append(f"{where}: x-provenance must be 'inferred', got {mark!r}")
                elif "Inferred:" not in str(node.get("description", "")):
                    problems.append(f"{where}: marked inferred but its description has no 'Inferred:' sentence")
                if "$ref" in node:
                    problems.append(f"{where}: x-provenance next to $ref is ignored by OpenAPI 3.0")
            for key, value in node.items():
                visit(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, f"{where}/{index}")

    visit(spec, "#")
    assert problems == []
