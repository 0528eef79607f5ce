"""The dashboard page: server-rendered HTML with its CSS and JavaScript inline, no other resource."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class ApiCard:
    """What the page says about one served API (the session prefix is added in the browser)."""

    slug: str
    title: str
    base_path: str
    operation_ids: Sequence[str]
    curl: str  # with {BASE} where the base URL goes

    def as_json(self) -> dict[str, Any]:
        return {"slug": self.slug, "title": self.title, "basePath": self.base_path,
                "operationIds": list(self.operation_ids), "curl": self.curl}


def digest(text: str) -> str:
    """A Content-Security-Policy source for one inline script or style."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


class DashboardPage:
    """Renders the page; the assets are read once, and the policy allows exactly them."""

    def __init__(self, apis: Sequence[ApiCard], control_prefix: str) -> None:
        self.apis = apis
        self.control_prefix = control_prefix
        self.template = Template((HERE / "page.html").read_text(encoding="utf-8"))
        self.css = (HERE / "dashboard.css").read_text(encoding="utf-8")
        self.js = (HERE / "dashboard.js").read_text(encoding="utf-8")
        # Inline script and style only, each allowed by its hash; fetches go to this origin only.
        self.policy = (f"default-src 'none'; script-src {digest(self.js)}; style-src {digest(self.css)}; "
                       "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
                       "frame-ancestors 'none'")

    def headers(self) -> Mapping[str, str]:
        return {"Content-Security-Policy": self.policy, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}

    def render(self, session: str) -> str:
        """The page acting on `session` first (the browser can switch to another)."""
        config = {"control": self.control_prefix, "session": session, "apis": [api.as_json() for api in self.apis]}
        # "<" escaped so that no value can close the script element the configuration sits in.
        data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
        return self.template.substitute(css=self.css, js=self.js, config=data, session=html.escape(session),
                                        rows="\n".join(self.row(api) for api in self.apis))

    @staticmethod
    def row(api: ApiCard) -> str:
        esc = html.escape
        base = esc(api.base_path)
        return (f'<tr data-slug="{esc(api.slug)}">'
                f'<td><strong>{esc(api.title)}</strong><br><span class="muted mono">{esc(api.slug)}</span></td>'
                f'<td><code class="base">{base}</code></td>'
                f'<td><a class="ui" href="{base}/ui/">Swagger UI</a><br>'
                f'<a class="index" href="{base}">{len(api.operation_ids)} operations</a></td>'
                f'<td class="num records">-</td>'
                f'<td><code class="curl">{esc(api.curl.replace("{BASE}", api.base_path))}</code>'
                f'<button type="button" class="copy">Copy</button></td>'
                f'<td><button type="button" class="reset">Reset</button></td></tr>')
