"""Load a vendor's fixture data into its store, validating every record against the spec."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
import yaml
from jsonschema import Draft4Validator

from mockserver.schemas import quick_check
from mockserver.spec import inline_refs, load_spec
from mockserver.store import Store
from mockserver.vendors.base import CollectionSpec, Context, Vendor


class FixtureError(Exception):
    """Invalid fixture data: the message names the file, the record and the field."""


Fixtures = dict[str, list[dict[str, Any]]]


def fixture_file(vendor: Vendor, fixtures_dir: Path | None) -> Path:
    """The file to load: `<dir>/<slug>.yaml` or `<dir>/<slug>/fixtures.yaml`, else the shipped one."""
    if fixtures_dir is not None:
        for candidate in (fixtures_dir / f"{vendor.slug}.yaml", fixtures_dir / f"{vendor.slug}.json",
                          fixtures_dir / vendor.slug / "fixtures.yaml"):
            if candidate.is_file():
                return candidate
    return vendor.fixtures_path


def read_fixtures(path: Path, collections: Sequence[CollectionSpec]) -> Fixtures:
    """Parse a fixture file: a mapping from collection name to a list of records."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FixtureError(f"{path}: cannot read fixtures ({exc.strerror})") from None
    try:
        # JSON is YAML too, and a JSON parser reads large fixture sets a hundred times faster.
        data = orjson.loads(raw) if raw.lstrip()[:1] in (b"{", b"[") else None
    except orjson.JSONDecodeError:
        data = None
    try:
        if data is None:
            data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise FixtureError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise FixtureError(f"{path}: expected a mapping of collection name -> list of records")
    known = {spec.name for spec in collections}
    unknown = sorted(set(data) - known)
    if unknown:
        raise FixtureError(f"{path}: unknown collection(s) {', '.join(unknown)}; "
                           f"this vendor has: {', '.join(sorted(known))}")
    for name, records in data.items():
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise FixtureError(f"{path}: collection {name!r} must be a list of mappings")
    return {spec.name: data.get(spec.name) or [] for spec in collections}


def validators_for(vendor: Vendor) -> dict[str, Draft4Validator]:
    """One validator per collection, with the spec's `$ref`s inlined (OpenAPI 3.0 semantics)."""
    # Imported here: connexion's module import is the single largest startup cost, and the
    # `ticketmock apis` path never validates fixtures.
    from connexion.json_schema import Draft4ResponseValidator

    spec = load_spec(vendor.spec_path)
    result = {}
    for collection in vendor.collections:
        schema = collection.schema
        if isinstance(schema, str):
            schema = {"$ref": f"#/components/schemas/{schema}"}
        resolved = inline_refs(spec, dict(schema))
        result[collection.name] = Draft4ResponseValidator(resolved, format_checker=Draft4Validator.FORMAT_CHECKER)
    return result


def check_fixtures(path: Path | str, vendor: Vendor, fixtures: Mapping[str, list[dict[str, Any]]]) -> None:
    """Raise FixtureError for the first invalid record, naming file, record and field."""
    validators = validators_for(vendor)
    for collection in vendor.collections:
        seen: set[Any] = set()
        valid = quick_check(validators[collection.name].schema)
        for index, record in enumerate(fixtures[collection.name]):
            key = record.get(collection.key)
            where = f"{path}: {collection.name}[{index}] ({collection.key} {key!r})"
            if key is None:
                raise FixtureError(f"{where}: the key field {collection.key!r} is missing")
            if key in seen:
                raise FixtureError(f"{where}: duplicate {collection.key} {key!r}")
            seen.add(key)
            error = None if valid(record) else next(iter(validators[collection.name].iter_errors(record)), None)
            if error is not None:
                field = "/".join(str(part) for part in error.absolute_path) or "(record)"
                raise FixtureError(f"{where}: field {field!r}: {error.message}")


def load_into(store: Store, vendor: Vendor, fixtures: Mapping[str, list[dict[str, Any]]]) -> None:
    """Replace the store's content with (copies of) the fixture records."""
    store.collections.clear()
    store.counters.clear()
    for collection in vendor.collections:
        target = store.add(collection.new_collection())
        for record in fixtures[collection.name]:
            target.insert(copy.deepcopy(record))


def baseline_store(vendor: Vendor, fixtures: Mapping[str, list[dict[str, Any]]],
                   context: Callable[[str, Store], Context]) -> Store:
    """An API's fixture baseline: the records loaded and the vendor's `prepare` run on them.

    Sessions fork it and never write to it, so it is built once per fixture file.
    """
    store = Store()
    load_into(store, vendor, fixtures)
    if vendor.prepare is not None:
        vendor.prepare(context(vendor.slug, store))
    return store
