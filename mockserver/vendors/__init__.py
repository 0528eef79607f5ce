"""The vendor registry: one line per vendor, imported only when a vendor is used."""

from __future__ import annotations

import importlib

from mockserver.vendors.base import Vendor

REGISTRY: dict[str, str] = {
    "bloxs": "mockserver.vendors.bloxs",
    "jifeline": "mockserver.vendors.jifeline",
    "spacebring": "mockserver.vendors.spacebring",
    "bobdesk": "mockserver.vendors.bobdesk",
    "flowretail": "mockserver.vendors.flowretail",
}

SLUGS: tuple[str, ...] = tuple(REGISTRY)


def get_vendor(slug: str) -> Vendor:
    """The Vendor declared by `mockserver/vendors/<slug>/__init__.py` as `VENDOR`."""
    try:
        module = REGISTRY[slug]
    except KeyError:
        raise KeyError(unknown_slug_message(slug)) from None
    vendor = importlib.import_module(module).VENDOR
    if not isinstance(vendor, Vendor) or vendor.slug != slug:
        raise TypeError(f"{module}.VENDOR must be a Vendor with slug {slug!r}")
    return vendor


def unknown_slug_message(slug: str) -> str:
    import difflib

    close = difflib.get_close_matches(slug, SLUGS, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown API {slug!r}{hint}. Known APIs: {', '.join(SLUGS)}"
