"""Fixture loading: every shipped file is valid; bad data stops startup naming file, record, field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mockserver.fixtures import FixtureError, check_fixtures, fixture_file, read_fixtures
from mockserver.vendors import SLUGS, get_vendor


@pytest.mark.parametrize("slug", SLUGS)
def test_shipped_fixtures_are_valid_and_rich(slug: str) -> None:
    vendor = get_vendor(slug)
    fixtures = read_fixtures(vendor.fixtures_path, vendor.collections)
    check_fixtures(vendor.fixtures_path, vendor, fixtures)
    main = vendor.collections[0].name
    assert len(fixtures[main]) >= 25, f"{slug}: at least 25 records in {main}"


def write(tmp_path: Path, data: object) -> Path:
    (tmp_path / "bobdesk.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return tmp_path


def bobdesk_data() -> dict[str, list[dict[str, object]]]:
    vendor = get_vendor("bobdesk")
    return read_fixtures(vendor.fixtures_path, vendor.collections)


def test_invalid_field_is_named_with_file_and_record(tmp_path: Path) -> None:
    data = bobdesk_data()
    data["tickets"][2]["status"] = "exploded"
    directory = write(tmp_path, data)
    vendor = get_vendor("bobdesk")
    path = fixture_file(vendor, directory)
    with pytest.raises(FixtureError) as caught:
        check_fixtures(path, vendor, read_fixtures(path, vendor.collections))
    message = str(caught.value)
    assert str(path) in message
    assert f"tickets[2] (_id {data['tickets'][2]['_id']!r})" in message
    assert "field 'status': 'exploded' is not one of" in message


def test_unknown_collection_and_duplicate_keys_are_refused(tmp_path: Path) -> None:
    vendor = get_vendor("bobdesk")
    path = fixture_file(vendor, write(tmp_path, {"tikets": []}))
    with pytest.raises(FixtureError, match="unknown collection\\(s\\) tikets; this vendor has: clients"):
        read_fixtures(path, vendor.collections)
    data = bobdesk_data()
    data["tickets"].append(dict(data["tickets"][0]))
    path = fixture_file(vendor, write(tmp_path, data))
    with pytest.raises(FixtureError, match="duplicate _id"):
        check_fixtures(path, vendor, read_fixtures(path, vendor.collections))


def test_broken_yaml_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bobdesk.yaml").write_text("tickets: [unclosed", encoding="utf-8")
    vendor = get_vendor("bobdesk")
    with pytest.raises(FixtureError, match="not valid YAML"):
        read_fixtures(fixture_file(vendor, tmp_path), vendor.collections)


def test_directory_without_the_vendor_falls_back_to_shipped_data(tmp_path: Path) -> None:
    vendor = get_vendor("bobdesk")
    assert fixture_file(vendor, tmp_path) == vendor.fixtures_path
