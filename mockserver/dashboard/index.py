"""The index a base URL answers in a browser: the API's operations with links, instead of a 404."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from mockserver.spec import iter_operations


def api_index(slug: str, spec: Mapping[str, Any], base: str, dashboard: str) -> dict[str, Any]:
    """What the index shows: the API, where its documents are, every operation with its Swagger UI link.

    `base` is where the API is served, under the session's path prefix when the request used one.
    """
    operations = []
    for path, method, operation in iter_operations(dict(spec)):
        tag = (operation.get("tags") or ["default"])[0]
        anchor = f"{base}/ui/#/{quote_anchor(tag)}/{quote_anchor(operation.get('operationId', ''))}"
        operations.append({"method": method.upper(), "path": base + path, "operationId": operation.get("operationId"),
                           "summary": operation.get("summary", ""), "ui": anchor})
    return {"api": slug, "title": spec.get("info", {}).get("title", slug), "basePath": base,
            "ui": f"{base}/ui/", "openapi": f"{base}/openapi.json", "dashboard": dashboard,
            "operations": operations}


def quote_anchor(text: str) -> str:
    """Swagger UI's deep-link form of a tag or operationId (spaces become underscores)."""
    return re.sub(r"\s", "_", text)


def render_index(index: Mapping[str, Any]) -> str:
    """The index as a small HTML page (no script, no external resource)."""
    esc = html.escape
    rows = "\n".join(
        f'<tr><td class="m">{esc(op["method"])}</td><td><a href="{esc(op["ui"])}">{esc(op["path"])}</a></td>'
        f'<td>{esc(op["operationId"] or "")}</td><td>{esc(op["summary"])}</td></tr>'
        for op in index["operations"])
    title = esc(index["title"])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}: ticketmock</title>
<style>
body{{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d2330}}
h1{{font-size:1.4rem;margin:0 0 .3rem}} code,td.m{{font-family:ui-monospace,monospace}}
nav a{{margin-right:1rem}} table{{border-collapse:collapse;width:100%;margin-top:1rem}}
td,th{{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e3e6ec;vertical-align:top}}
td.m{{font-weight:600;color:#2b5fb4}} a{{color:#2b5fb4}}
</style></head>
<body>
<h1>{title}</h1>
<p>Base URL <code>{esc(index["basePath"])}</code>: {len(index["operations"])} operations, served by ticketmock.</p>
<nav><a href="{esc(index["ui"])}">Swagger UI</a><a href="{esc(index["openapi"])}">openapi.json</a>
<a href="{esc(index["dashboard"])}">Dashboard</a></nav>
<table><thead><tr><th>Method</th><th>Path</th><th>operationId</th><th>Summary</th></tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""
