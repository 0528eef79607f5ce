"""OpenAPI schemas as JSON Schema for the fast check: it agrees with Connexion's validators."""

from __future__ import annotations

import pytest

from mockserver.fixtures import read_fixtures, validators_for
from mockserver.schemas import as_json_schema, quick_check
from mockserver.vendors import SLUGS, get_vendor


def test_nullable_admits_null_in_the_type_and_the_enum() -> None:
    schema = {"type": "string", "enum": ["a", "b"], "nullable": True, "example": "a", "x-provenance": "inferred"}
    assert as_json_schema(schema) == {"type": ["string", "null"], "enum": ["a", "b", None]}
    check = quick_check({"type": "object", "properties": {"state": schema, "nullable": {"type": "integer"}}})
    assert check({"state": None, "nullable": 3}) and check({"state": "a"})
    assert not check({"state": "c"}) and not check({"nullable": "three"})


def test_a_property_named_like_an_annotation_is_kept() -> None:
    schema = {"type": "object", "required": ["example"], "properties": {"example": {"type": "integer"}}}
    assert quick_check(schema)({"example": 1}) and not quick_check(schema)({"example": "one"})


@pytest.mark.parametrize("slug", SLUGS)
def test_the_fast_check_agrees_with_connexion_on_the_shipped_fixtures(slug: str) -> None:
    vendor = get_vendor(slug)
    fixtures = read_fixtures(vendor.fixtures_path, vendor.collections)
    for name, validator in validators_for(vendor).items():
        check = quick_check(validator.schema)
        for record in fixtures[name]:
            assert check(record) == validator.is_valid(record), (slug, name, record)
        broken = {**fixtures[name][0], vendor.collections[0].key: None} if fixtures[name] else None
        if broken is not None:
            assert check(broken) == validator.is_valid(broken)


def test_formats_and_directions_read_as_the_mock_reads_them() -> None:
    check = quick_check({"type": "object", "properties": {
        "n": {"type": "integer", "format": "int32"}, "id": {"type": "string", "format": "uuid"},
        "secret": {"type": "string", "writeOnly": True}}}, response=False)
    assert check({"n": 2**31 - 1, "id": "6b13c698-f08f-4bcf-a070-6f08e0000000", "secret": "s"})
    assert not check({"n": 2**31}) and not check({"id": "6b13c698f08f4bcfa0706f08e0000000"})
    answer = quick_check({"type": "object", "properties": {"secret": {"type": "string", "writeOnly": True}}})
    assert answer({}) and not answer({"secret": "s"})  # a response never shows a writeOnly property


def test_connexions_components_and_recursive_schemas_are_left_to_the_slow_path() -> None:
    node: dict[str, object] = {"type": "object", "properties": {}}
    node["properties"] = {"child": node}  # a schema that contains itself
    assert quick_check(node)({"child": {}}) is False
    body = {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}
    body["components"] = {"schemas": {"Body": body}}  # what Connexion hands a body validator
    assert quick_check(body)({"a": "x"}) and not quick_check(body)({"a": 1})


def mutations(value: object) -> list[object]:
    """Wrong types, nulls and edge values for every field of an example body."""
    out: list[object] = [None, "text", 7, 2**40, -1, [], {}, True, 1.5]
    if isinstance(value, dict):
        for key, field in value.items():
            for other in mutations(field)[:9] if not isinstance(field, dict | list) else [None, "x", 3]:
                out.append({**value, key: other})
            out.append({k: v for k, v in value.items() if k != key})
    return out


@pytest.mark.parametrize("slug", SLUGS)
def test_the_fast_check_never_accepts_a_body_the_request_checks_refuse(slug: str) -> None:
    from connexion.json_schema import Draft4RequestValidator

    from mockserver.checks import FORMAT_CHECKER
    from mockserver.spec import inline_refs, iter_operations, load_spec

    spec = load_spec(get_vendor(slug).spec_path)
    compared = 0
    for _, _, operation in iter_operations(spec):
        content = inline_refs(spec, operation.get("requestBody", {})).get("content", {})
        for media in content.values():
            schema, example = media.get("schema"), media.get("example")
            if not schema or example is None:
                continue
            slow = Draft4RequestValidator(schema, format_checker=FORMAT_CHECKER)
            fast = quick_check(schema, response=False)
            for body in [example, *mutations(example)]:
                if fast(body):
                    assert slow.is_valid(body), (operation["operationId"], body)
                compared += 1
    assert compared > 20
