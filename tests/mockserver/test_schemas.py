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
