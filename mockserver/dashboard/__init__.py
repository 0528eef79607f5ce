"""The pages people open in a browser: the dashboard at `/` and `/_ticketmock/`, and an index of the
operations at every base URL (`/bobdesk/api/v3.0`, `/_ticketmock`) instead of a 404.

They sit outside the journal (they are not API traffic) and read nothing but the specs and the
options: everything the dashboard shows, it fetches from the control API, like any other client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.curl import curl_line
from mockserver.dashboard.index import api_index, render_index
from mockserver.dashboard.page import ApiCard, DashboardPage
from mockserver.journal import CONTROL_PREFIX
from mockserver.scope import PREFIX_KEY, requested_session
from mockserver.sessions import NAME
from mockserver.spec import iter_operations, load_spec

if TYPE_CHECKING:
    from mockserver.app import Runtime

PAGE_METHODS = ("GET", "HEAD")
DASHBOARD_PATHS = ("/", CONTROL_PREFIX + "/")


class PagesMiddleware:
    """Answers GET and HEAD of the dashboard and of the base URLs; everything else passes through."""

    def __init__(self, app: ASGIApp, *, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime
        self._page: DashboardPage | None = None
        self._specs: dict[str, tuple[str, Mapping[str, Any]]] | None = None

    def specs(self) -> dict[str, tuple[str, Mapping[str, Any]]]:
        """Base path -> (slug, spec) of every API and of the control API."""
        if self._specs is None:
            from mockserver.control import CONTROL_SPEC

            specs: dict[str, tuple[str, Mapping[str, Any]]] = {
                base: (slug, load_spec(self.runtime.vendors[slug].spec_path))
                for slug, base in self.runtime.base_paths.items()}
            specs[CONTROL_PREFIX] = ("_ticketmock", load_spec(CONTROL_SPEC))
            self._specs = specs
        return self._specs

    def page(self) -> DashboardPage:
        if self._page is None:
            options = self.runtime.options
            cards = []
            for base, (slug, spec) in self.specs().items():
                if slug.startswith("_"):
                    continue
                operation_ids = sorted(op["operationId"] for _, _, op in iter_operations(dict(spec)))
                cards.append(ApiCard(slug, spec["info"]["title"], base, operation_ids,
                                     curl_line(slug, "{BASE}", options.tokens, options.basic)))
            self._page = DashboardPage(cards, CONTROL_PREFIX)
        return self._page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.answer(scope) if scope["type"] == "http" else None
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)

    def answer(self, scope: Scope) -> Response | None:
        path, method = scope["path"], scope["method"]
        session = requested_session(scope)
        if not NAME.fullmatch(session):
            return None  # the session middleware refuses the name in the API's envelope
        prefix = scope.get(PREFIX_KEY, "")
        if path in DASHBOARD_PATHS:
            if method not in PAGE_METHODS:
                return JSONResponse({"type": "about:blank", "title": "Method Not Allowed", "status": 405,
                                     "detail": f"{path} is the dashboard page; it answers GET and HEAD"},
                                    405, {"Allow": ", ".join(PAGE_METHODS)}, "application/problem+json")
            page = self.page()
            return HTMLResponse(page.render(session), headers=dict(page.headers()))
        target = self.specs().get(path.rstrip("/"))
        if target is None or method not in PAGE_METHODS:
            return None
        slug, spec = target
        index = api_index(slug, spec, prefix + path.rstrip("/"), prefix + "/")
        if "text/html" in Headers(scope=scope).get("accept", ""):
            return HTMLResponse(render_index(index), headers={"Cache-Control": "no-store",
                                                              "X-Content-Type-Options": "nosniff"})
        return JSONResponse(index, headers={"Cache-Control": "no-store"})
