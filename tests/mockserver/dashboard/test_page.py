"""The dashboard page as HTTP sees it: one self-contained document, a strict policy, quiet polling."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from tests.helpers import SLUGS, make_client


def test_the_page_is_self_contained_and_its_policy_allows_exactly_its_inline_code() -> None:
    client = make_client()
    page = client.get("/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    scripts = re.findall(r"<script>(.*?)</script>", page.text, re.S)
    styles = re.findall(r"<style>(.*?)</style>", page.text, re.S)
    assert len(scripts) == 1 and len(styles) == 1
    for code in scripts + styles:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert not re.search(r"""(src|href)=["']https?://""", page.text)  # nothing from elsewhere (no CDN)
    config = json.loads(re.search(r'<script type="application/json" id="config">(.*?)</script>', page.text, re.S)[1])
    assert sorted(api["slug"] for api in config["apis"]) == SLUGS and config["session"] == "default"
    bobdesk = next(api for api in config["apis"] if api["slug"] == "bobdesk")
    assert bobdesk["curl"] == "curl -s -H 'Authorization: Bearer mock-token' '{BASE}/tickets'"
    assert "createTicket" in bobdesk["operationIds"]
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["cache-control"] == "no-store"


def test_the_page_under_a_session_prefix_acts_on_that_session() -> None:
    page = make_client("bobdesk").get("/_session/ci-7/")
    config = json.loads(re.search(r'id="config">(.*?)</script>', page.text, re.S)[1])
    assert config["session"] == "ci-7"


def test_the_dashboards_reads_stay_out_of_the_log_and_its_writes_do_not() -> None:
    lines: list[str] = []
    client = make_client("bobdesk", log=lines.append)
    quiet = {"X-Ticketmock-Client": "dashboard"}
    client.get("/")
    client.get("/_ticketmock/journal?after=0", headers=quiet)
    client.get("/_ticketmock/apis", headers=quiet)
    client.post("/_ticketmock/reset", headers=quiet)
    client.get("/_ticketmock/apis")
    assert [line.split(" ")[:3] for line in lines] == [["POST", "/_ticketmock/reset", "200"],
                                                       ["GET", "/_ticketmock/apis", "200"]]


def test_swagger_ui_and_the_documents_are_not_journalled_as_api_traffic() -> None:
    from tests.helpers import journal_of

    client = make_client("bobdesk")
    for path in ("/bobdesk/api/v3.0/ui/", "/bobdesk/api/v3.0/ui/swagger-ui.css", "/bobdesk/api/v3.0/openapi.json",
                 "/_session/alice/bobdesk/api/v3.0/ui/", "/", "/bobdesk/api/v3.0"):
        assert client.get(path).status_code == 200, path
    client.get("/bobdesk/api/v3.0/tickets", headers={"Authorization": "Bearer t"})
    assert [entry["path"] for entry in journal_of(client.app)] == ["/bobdesk/api/v3.0/tickets"]
    assert journal_of(client.app, "alice") == []
