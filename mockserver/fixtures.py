"""Load a vendor's fixture data into its store, validating every record against the spec.

A fixture file under `--fixtures DIR` may hold only some of an API's collections: the ones it does
not name are taken from the shipped fixtures (a collection named with `[]` starts empty). What the
records then point at is checked by the vendor's `prepare`, and a problem stops startup naming the
file and the collections that came from the shipped data.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class FixtureSource:
    """Where an API's fixture data came from: the file, and the collections it did not name, which
    were taken from the shipped fixtures."""

    path: Path
    shipped: bool  # the file is the one that ships with the vendor
    filled: tuple[str, ...] = ()

    def describe(self, root: Path | None = None) -> str:
        """`fixtures/bobdesk.yaml (clients, managers from the shipped fixtures)`, for the banner."""
        shown = self.path
        if root is not None and self.path.is_relative_to(root):
            shown = self.path.relative_to(root)
        text = f"{shown} (shipped)" if self.shipped else str(shown)
        if self.filled:
            text += f" ({', '.join(self.filled)} from the shipped fixtures)"
        return text


def stray_files(fixtures_dir: Path, slugs: Sequence[str]) -> list[str]:
    """One message per file or folder in DIR that looks like fixtures but names no API.

    A `bob-desk.yaml` would otherwise be ignored without a word, and the API would serve the shipped
    data while its author edits the file.
    """
    expected = ", ".join(f"{slug}.yaml" for slug in slugs)
    problems = []
    for entry in sorted(fixtures_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not (entry / "fixtures.yaml").is_file() or entry.name in slugs:
                continue
            name, wanted = entry.name, "{}/fixtures.yaml"
        elif entry.suffix in (".yaml", ".yml", ".json"):
            if entry.suffix in (".yaml", ".json") and entry.stem in slugs:
                continue
            name, wanted = entry.stem, "{}.yaml"
        else:
            continue
        close = difflib.get_close_matches(name.lower(), slugs, n=1, cutoff=0.6)
        hint = f"did you mean {wanted.format(close[0])}? " if close else ""
        shown = entry.name + ("/fixtures.yaml" if entry.is_dir() else "")
        problems.append(f"{fixtures_dir / shown}: no API is called {name!r}, so nothing loads it; {hint}"
                        f"the files are named <slug>.yaml, <slug>.json or <slug>/fixtures.yaml ({expected})")
    return problems


def read_named(path: Path, collections: Sequence[CollectionSpec]) -> Fixtures:
    """Parse a fixture file: the collections it names, each a list of records."""
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
    return {name: list(records) for name, records in data.items()}


def read_fixtures(path: Path, collections: Sequence[CollectionSpec]) -> Fixtures:
    """Parse a fixture file: every collection of the vendor, empty where the file names none."""
    named = read_named(path, collections)
    return {spec.name: named.get(spec.name) or [] for spec in collections}


def read_source(vendor: Vendor, fixtures_dir: Path | None) -> tuple[FixtureSource, Fixtures]:
    """The API's fixture data from DIR (collections it lacks from the shipped file), else the shipped data."""
    path = fixture_file(vendor, fixtures_dir)
    named = read_named(path, vendor.collections)
    shipped = path == vendor.fixtures_path
    filled = tuple(spec.name for spec in vendor.collections if spec.name not in named)
    if filled and not shipped:
        original = read_named(vendor.fixtures_path, vendor.collections)
        named.update({name: original.get(name) or [] for name in filled})
    fixtures = {spec.name: named.get(spec.name) or [] for spec in vendor.collections}
    return FixtureSource(path, shipped, () if shipped else filled), fixtures


def load_baseline(vendor: Vendor, fixtures_dir: Path | None,
                  context: Callable[[str, Store], Context]) -> tuple[FixtureSource, Store]:
    """Read, validate and prepare an API's fixture data; FixtureError names the file (and the collections
    taken from the shipped data) whatever went wrong."""
    source, fixtures = read_source(vendor, fixtures_dir)
    check_fixtures(source.path, vendor, fixtures)
    try:
        return source, baseline_store(vendor, fixtures, context)
    except (FixtureError, ValueError, LookupError) as exc:
        detail = str(exc)
        if len(detail) > 600:
            detail = detail[:600] + "..."
        message = f"{source.path}: {detail}"
        if source.filled:
            message += (f" (the file does not name {', '.join(source.filled)}, so they came from the shipped "
                        f"fixtures: add them to the file, e.g. `{source.filled[0]}: []` for none)")
        raise FixtureError(message) from None


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
