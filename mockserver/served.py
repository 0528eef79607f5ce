"""The documents the mock serves: each vendor's spec, adapted so that Swagger UI works against the mock.

The files in `specs/` keep the vendor's URLs; only what the mock routes and serves (openapi.json and
Swagger UI) changes:

- paths a vendor module declares as mock-only (Spacebring's OAuth2 endpoints) are added, tagged
  `ticketmock (mock only)`;
- every OAuth2 flow URL on the vendor's own host points at the mock's endpoint of that path
  (`https://partner-api-001.prd.jifeline.cloud/oauth2/token` -> `/jifeline/oauth2/token`); under
  `/_session/NAME/` the URLs get that prefix (`with_prefix`), so the token is issued in that session;
- a token endpoint that a flow names also takes the client credentials in a Basic header (RFC 6749
  section 2.3.1 requires servers to accept that, and it is how Swagger UI sends them), so the form body
  no longer has to carry them;
- every security scheme's description says what the mock accepts.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from mockserver.spec import HTTP_METHODS, resolve_ref, vendor_base_path, vendor_base_url

MOCK_TAG = "ticketmock (mock only)"
FLOW_URLS = ("authorizationUrl", "tokenUrl", "refreshUrl")
CLIENT_FIELDS = ("client_id", "client_secret")
FORM = "application/x-www-form-urlencoded"
NOTES = {
    "bearer": "ticketmock accepts any well-formed token here (unless it was started with --token) and the tokens "
              "its token endpoints issue.",
    "basic": "ticketmock accepts any user name and password here (unless it was started with --basic).",
    "apiKey": "ticketmock accepts any key here (unless it was started with --token).",
    "oauth2": "In ticketmock the flows use the mock's own endpoints: any client ID and secret are accepted (unless "
              "it was started with --basic), and the mock approves every authorization request at once.",
}


def served_spec(spec: Mapping[str, Any], base_path: str, mock_only: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The document the mock routes and serves for one API mounted at `base_path`."""
    served: dict[str, Any] = copy.deepcopy(dict(spec))
    if mock_only:
        add_mock_only(served, mock_only)
    host = urlsplit(vendor_base_url(served)).netloc
    vendor_path = vendor_base_path(served)
    for scheme in (served.get("components") or {}).get("securitySchemes", {}).values():
        kind = scheme.get("scheme", "").lower() if scheme.get("type") == "http" else scheme.get("type")
        note = NOTES.get(kind)
        if note:
            text = str(scheme.get("description") or "").rstrip()
            scheme["description"] = f"{text}\n\n{note}" if text else note
        for flow in (scheme.get("flows") or {}).values():
            for key in FLOW_URLS:
                url = urlsplit(str(flow.get(key, "")))
                path = url.path.removeprefix(vendor_path) if url.path.startswith(vendor_path) else url.path
                if url.netloc != host or path not in served["paths"]:
                    continue
                flow[key] = base_path + path
                if key == "tokenUrl":
                    accept_basic_clients(served, path)
    return served


def add_mock_only(served: dict[str, Any], fragment: Mapping[str, Any]) -> None:
    """Add a vendor's mock-only paths (an OpenAPI fragment with `paths` only), each operation tagged."""
    for path, item in fragment.get("paths", {}).items():
        if path in served["paths"]:
            raise ValueError(f"mock-only path {path} is already in the vendor's spec; the spec's own wins, so drop "
                             "it from the vendor's mock-only paths")
        item = copy.deepcopy(item)
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                item[method]["tags"] = [MOCK_TAG]
        served["paths"][path] = item
    tags = served.setdefault("tags", [])
    if not any(tag.get("name") == MOCK_TAG for tag in tags):
        tags.append({"name": MOCK_TAG, "description": "Served by ticketmock, not part of the vendor's API "
                                                      "description: what the vendor's OAuth2 flows need."})


def accept_basic_clients(served: dict[str, Any], path: str) -> None:
    """The token endpoint's form body need not carry the client credentials (a Basic header may)."""
    operation = served["paths"][path].get("post")
    content = ((operation or {}).get("requestBody") or {}).get("content", {})
    if FORM not in content:
        return
    schema = copy.deepcopy(resolve_ref(served, content[FORM].get("schema", {})))
    required = [name for name in schema.get("required", []) if name not in CLIENT_FIELDS]
    if required != schema.get("required", []):
        schema["required"] = required
        schema["description"] = (f"{schema.get('description', '')} In ticketmock the client ID and secret may come "
                                 "in an `Authorization: Basic` header instead (RFC 6749 section 2.3.1).").strip()
        content[FORM]["schema"] = schema


def with_prefix(spec: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The served document under a session's path prefix: OAuth2 flow URLs on the mock get the prefix.

    Changes `spec` in place (pass a copy) and returns it.
    """
    if not prefix:
        return spec
    for scheme in (spec.get("components") or {}).get("securitySchemes", {}).values():
        for flow in (scheme.get("flows") or {}).values():
            for key in FLOW_URLS:
                url = flow.get(key)
                if isinstance(url, str) and url.startswith("/") and not url.startswith("//"):
                    flow[key] = prefix + url
    return spec
