"""Load the vendors' OpenAPI documents and answer questions about them (pure, no HTTP)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = ROOT / "specs"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MOCK_SERVER_DESCRIPTION = "ticketmock local mock"

try:  # libyaml is ~10x faster; PyYAML wheels ship it, source builds may not.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def spec_path(slug: str) -> Path:
    """Return the path of a vendor's spec file (it may not exist)."""
    return SPECS_DIR / slug / "openapi.yaml"


@functools.lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int) -> dict[str, Any]:
    with open(path, "rb") as handle:
        document = yaml.load(handle, Loader=_Loader)
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected an OpenAPI document (a mapping), got {type(document).__name__}")
    return document


def load_spec(path: Path | str) -> dict[str, Any]:
    """Parse a YAML/JSON OpenAPI document. The result is cached: treat it as read-only."""
    path = Path(path)
    return _load_cached(str(path), path.stat().st_mtime_ns)


def iter_operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (path, method, operation) for every operation in the document."""
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield path, method, operation


def vendor_base_url(spec: dict[str, Any]) -> str:
    """The vendor's production base URL: the first server in the document."""
    servers = spec.get("servers") or [{"url": ""}]
    return str(servers[0]["url"])


def vendor_base_path(spec: dict[str, Any]) -> str:
    """The path part of the vendor's base URL ('' when the API lives at the host root)."""
    url = vendor_base_url(spec)
    # A templated host ("https://{environment}") is not a valid netloc for urlsplit's port
    # parsing, but splitting still yields the path we need.
    return urlsplit(url).path.rstrip("/")


def api_slug(path: str) -> str:
    """The API a mock URL path belongs to: its first segment (`/bobdesk/api/v3.0/tickets` -> `bobdesk`)."""
    return path.lstrip("/").split("/", 1)[0]


def path_regex(template: str) -> str:
    """A spec path template as a regex body: `/tickets/{id}` -> `/tickets/[^/]+` (no anchors)."""
    return re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))


def mock_base_path(slug: str, spec: dict[str, Any]) -> str:
    """Where the mock serves an API: the slug followed by the vendor's own base path."""
    return f"/{slug}{vendor_base_path(spec)}"


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def resolve_ref(spec: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s until a non-reference node is reached."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen or not isinstance(ref, str) or not ref.startswith("#/"):
            raise ValueError(f"cannot resolve $ref {ref!r}: only local, non-circular references are supported")
        seen.add(ref)
        node = spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def inline_refs(spec: dict[str, Any], node: Any, stack: tuple[str, ...] = ()) -> Any:
    """Return `node` with every local `$ref` replaced by (a copy of) its target."""
    if isinstance(node, dict):
        if "$ref" in node:
            ref = node["$ref"]
            if ref in stack:
                raise ValueError(f"recursive $ref {ref}")
            return inline_refs(spec, resolve_ref(spec, node), stack + (ref,))
        return {key: inline_refs(spec, value, stack) for key, value in node.items()}
    if isinstance(node, list):
        return [inline_refs(spec, value, stack) for value in node]
    return node


def is_inferred(node: Any) -> bool:
    return isinstance(node, dict) and node.get("x-provenance") == "inferred"


def count_inferred(spec: dict[str, Any]) -> tuple[int, int]:
    """Count (operations, schemas) marked `x-provenance: inferred`.

    Schemas are every schema object under components.schemas, nested property schemas included.
    """
    operations = sum(1 for _, _, op in iter_operations(spec) if is_inferred(op))
    schemas = sum(1 for node in _walk((spec.get("components") or {}).get("schemas") or {}) if is_inferred(node))
    return operations, schemas
