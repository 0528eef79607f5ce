"""Fixture loading: every shipped file is valid; bad data stops startup naming file, record, field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mockserver.fixtures import FixtureError, check_fixtures, fixture_file, load_baseline, read_fixtures, stray_files
from mockserver.vendors import SLUGS, get_vendor
from tests.helpers import auth_for, example_requests, make_app, make_client


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


# --- partial files, stray files, reload ---------------------------------------------------------------


def test_a_file_with_only_tickets_takes_the_rest_from_the_shipped_fixtures(tmp_path: Path) -> None:
    """The newcomer's file: `bobdesk.yaml` holding only `tickets:`. Creating a ticket used to be a 500."""
    data = bobdesk_data()
    write(tmp_path, {"tickets": data["tickets"][:2]})
    client = make_client("bobdesk", fixtures_dir=tmp_path)
    created = client.post("/bobdesk/api/v3.0/tickets", json={"title": "Leaking tap", "location_id": None},
                          headers=auth_for("bobdesk", "createTicket"))
    assert created.status_code == 200, created.text
    state = client.get("/_ticketmock/apis/bobdesk/state").json()["collections"]
    assert len(state["tickets"]) == 3
    assert [c["_id"] for c in state["clients"]] == [c["_id"] for c in data["clients"]]
    source = client.app.runtime.fixture_sources["bobdesk"]
    assert source.path == tmp_path / "bobdesk.yaml" and "tickets" not in source.filled
    assert source.describe() == (f"{tmp_path / 'bobdesk.yaml'} (notes, dates, clients, locations, equipments, jobs, "
                                 "managers from the shipped fixtures)")


@pytest.mark.parametrize("slug", SLUGS)
def test_an_emptied_collection_is_a_startup_error_or_never_a_500(slug: str, tmp_path: Path) -> None:
    """Every collection of every API named with `[]` (the rest from the shipped data): the mock either
    refuses to start, naming the file and the collection, or answers every example request below 500."""
    vendor = get_vendor(slug)
    problems = []
    for collection in vendor.collections:
        folder = tmp_path / collection.name
        folder.mkdir()
        (folder / f"{slug}.yaml").write_text(yaml.safe_dump({collection.name: []}), encoding="utf-8")
        try:
            client = make_client(slug, fixtures_dir=folder, validate_responses=False)
        except FixtureError as exc:
            if str(folder / f"{slug}.yaml") not in str(exc):
                problems.append(f"{collection.name}: the startup error does not name the file: {exc}")
            continue
        for request in example_requests(slug):
            response = request.send(client)
            if response.status_code >= 500:
                problems.append(f"{collection.name}: {request.operation_id} {response.status_code} {response.text}")
    assert problems == []


def test_a_refused_partial_file_says_which_collections_came_from_the_shipped_data(tmp_path: Path) -> None:
    vendor = get_vendor("jifeline")
    (tmp_path / "jifeline.yaml").write_text(yaml.safe_dump({"tickets": []}), encoding="utf-8")
    with pytest.raises(FixtureError) as caught:
        load_baseline(vendor, tmp_path, make_app("jifeline").runtime.baseline_context)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'jifeline.yaml'}: jifeline fixtures: outsources")
    assert "is not in tickets" in message
    assert "the file does not name outsources," in message and "`outsources: []` for none" in message


def test_stray_files_in_the_fixtures_dir_are_named_with_a_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "bob-desk.yaml").write_text("tickets: []\n", encoding="utf-8")
    (tmp_path / "bloxs.yml").write_text("tickets: []\n", encoding="utf-8")
    (tmp_path / "spacebring.yaml").write_text("tickets: []\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("notes\n", encoding="utf-8")
    (tmp_path / "jifline").mkdir()
    (tmp_path / "jifline" / "fixtures.yaml").write_text("tickets: []\n", encoding="utf-8")
    problems = stray_files(tmp_path, SLUGS)
    assert problems == [
        f"{tmp_path / 'bloxs.yml'}: no API is called 'bloxs', so nothing loads it; did you mean bloxs.yaml? "
        f"the files are named <slug>.yaml, <slug>.json or <slug>/fixtures.yaml "
        f"({', '.join(s + '.yaml' for s in SLUGS)})",
        f"{tmp_path / 'bob-desk.yaml'}: no API is called 'bob-desk', so nothing loads it; did you mean "
        f"bobdesk.yaml? the files are named <slug>.yaml, <slug>.json or <slug>/fixtures.yaml "
        f"({', '.join(s + '.yaml' for s in SLUGS)})",
        f"{tmp_path / 'jifline/fixtures.yaml'}: no API is called 'jifline', so nothing loads it; did you mean "
        f"jifeline/fixtures.yaml? the files are named <slug>.yaml, <slug>.json or <slug>/fixtures.yaml "
        f"({', '.join(s + '.yaml' for s in SLUGS)})",
    ]


def test_reset_with_reload_rereads_the_fixture_file(tmp_path: Path) -> None:
    data = bobdesk_data()
    write(tmp_path, {"tickets": data["tickets"][:3]})
    client = make_client("bobdesk", fixtures_dir=tmp_path)
    alice = {"X-Ticketmock-Session": "alice"}
    assert client.get("/_ticketmock/apis", headers=alice).json()["apis"][0]["records"]["tickets"] == 3
    write(tmp_path, {"tickets": data["tickets"][:5]})
    plain = client.post("/_ticketmock/apis/bobdesk/reset").json()
    assert plain == {"reset": ["bobdesk"]}
    assert client.get("/_ticketmock/apis").json()["apis"][0]["records"]["tickets"] == 3
    reloaded = client.post("/_ticketmock/apis/bobdesk/reset", params={"reload": "true"})
    assert reloaded.json() == {"reset": ["bobdesk"], "reloaded": [str(tmp_path / "bobdesk.yaml")]}
    assert client.get("/_ticketmock/apis").json()["apis"][0]["records"]["tickets"] == 5
    # alice keeps what she has until she resets; then she gets the file as it is now
    assert client.get("/_ticketmock/apis", headers=alice).json()["apis"][0]["records"]["tickets"] == 3
    client.post("/_ticketmock/reset", headers=alice)
    assert client.get("/_ticketmock/apis", headers=alice).json()["apis"][0]["records"]["tickets"] == 5


def test_reload_of_a_broken_file_is_a_400_and_keeps_the_data(tmp_path: Path) -> None:
    data = bobdesk_data()
    write(tmp_path, {"tickets": data["tickets"][:3]})
    client = make_client("bobdesk", fixtures_dir=tmp_path)
    (tmp_path / "bobdesk.yaml").write_text("tickets: [unclosed", encoding="utf-8")
    refused = client.post("/_ticketmock/apis/bobdesk/reset", params={"reload": "true"})
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith(f"reload: {tmp_path / 'bobdesk.yaml'}: not valid YAML")
    assert client.get("/_ticketmock/apis").json()["apis"][0]["records"]["tickets"] == 3
