"""The registry, the spec folders, the fixture files and `ticketmock apis` must name the same APIs."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mockserver.cli import main
from mockserver.spec import SPECS_DIR
from mockserver.vendors import REGISTRY, SLUGS, get_vendor


def test_spec_folders_registry_and_fixtures_agree() -> None:
    folders = {p.parent.name for p in SPECS_DIR.glob("*/openapi.yaml")}
    assert folders == set(REGISTRY) == set(SLUGS)
    for slug in SLUGS:
        vendor = get_vendor(slug)
        assert vendor.slug == slug and vendor.fixtures_path.is_file() and vendor.spec_path.is_file()


def test_ticketmock_apis_reports_every_spec_folder() -> None:
    result = CliRunner().invoke(main, ["apis", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {row["slug"] for row in rows} == {p.parent.name for p in SPECS_DIR.glob("*/openapi.yaml")}
    bobdesk = next(row for row in rows if row["slug"] == "bobdesk")
    assert bobdesk == {
        "slug": "bobdesk", "title": "Bob! Desk API", "spec": "specs/bobdesk/openapi.yaml",
        "vendorBaseUrl": "https://api.bob-desk.com/api/v3.0", "mockBaseUrl": "http://127.0.0.1:8000/bobdesk/api/v3.0",
        "operations": 11, "inferredOperations": 1, "inferredSchemas": bobdesk["inferredSchemas"]}
    assert bobdesk["inferredSchemas"] > 0


def test_every_vendor_handles_every_operation_of_its_spec() -> None:
    from mockserver.spec import iter_operations, load_spec

    for slug in SLUGS:
        vendor = get_vendor(slug)
        operations = {op["operationId"] for _, _, op in iter_operations(load_spec(vendor.spec_path))}
        assert set(vendor.handlers) == operations, slug
