"""A base URL opened in a browser answers with the API's operations and links, not a 404."""

from __future__ import annotations

import pytest

from mockserver.spec import iter_operations
from tests.helpers import SLUGS, control_spec, journal_of, make_client, spec_of

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
BASES = {"bloxs": "/bloxs", "jifeline": "/jifeline", "spacebring": "/spacebring", "bobdesk": "/bobdesk/api/v3.0",
         "flowretail": "/flowretail/v2"}


@pytest.mark.parametrize("slug", SLUGS)
def test_a_base_url_lists_every_operation_with_links(slug: str) -> None:
    client = make_client(slug)
    base = BASES[slug]
    for path in (base, base + "/"):
        page = client.get(path, headers=HTML, follow_redirects=False)
        assert page.status_code == 200, page.text
        assert page.headers["content-type"].startswith("text/html")
        for template, _, operation in iter_operations(spec_of(slug)):
            assert f">{base}{template}</a>" in page.text, template
            assert operation["operationId"] in page.text
        assert f'href="{base}/ui/"' in page.text and f'href="{base}/openapi.json"' in page.text
        assert 'href="/"' in page.text  # the dashboard
    assert journal_of(client.app) == []  # pages are not API traffic


def test_the_index_is_json_for_clients_that_do_not_ask_for_html() -> None:
    client = make_client("bobdesk")
    index = client.get("/_session/alice/bobdesk/api/v3.0").json()
    assert index["api"] == "bobdesk" and index["basePath"] == "/_session/alice/bobdesk/api/v3.0"
    assert index["ui"] == "/_session/alice/bobdesk/api/v3.0/ui/" and index["dashboard"] == "/_session/alice/"
    create = next(op for op in index["operations"] if op["operationId"] == "createTicket")
    assert create == {"method": "POST", "path": "/_session/alice/bobdesk/api/v3.0/tickets",
                      "operationId": "createTicket", "summary": create["summary"],
                      "ui": "/_session/alice/bobdesk/api/v3.0/ui/#/Tickets/createTicket"}


def test_the_control_api_base_url_lists_its_operations_and_the_dashboard_is_one_slash_further() -> None:
    client = make_client("bobdesk")
    index = client.get("/_ticketmock", headers=HTML)
    assert index.status_code == 200
    for _, _, operation in iter_operations(control_spec()):
        assert operation["operationId"] in index.text
    dashboard = client.get("/_ticketmock/", headers=HTML)
    assert dashboard.status_code == 200 and "<title>ticketmock dashboard</title>" in dashboard.text


def test_other_methods_on_a_base_url_keep_the_vendor_answers() -> None:
    client = make_client("bobdesk")
    answer = client.post("/bobdesk/api/v3.0", headers={"Authorization": "Bearer t"})
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert client.post("/").status_code == 405 and client.post("/").headers["allow"] == "GET, HEAD"


def test_an_invalid_session_prefix_is_refused_not_rendered() -> None:
    client = make_client("bobdesk")
    answer = client.get("/_session/bad%20name/bobdesk/api/v3.0", headers=HTML)
    assert answer.status_code == 400 and "is not a valid session name" in answer.json()["message"]
    assert client.get("/_session/bad%20name/", headers=HTML).status_code == 400


def test_the_pages_leave_the_control_apis_own_documents_404s_and_405s_alone() -> None:
    client = make_client("bobdesk")
    assert client.get("/_ticketmock/ui/").status_code == 200
    assert client.get("/_ticketmock/openapi.json").json()["info"]["title"] == "ticketmock control API"
    wrong_method = client.delete("/_ticketmock/apis")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "GET, HEAD"
    assert client.post("/_ticketmock/").status_code == 405
    assert "did you mean GET /_ticketmock/apis?" in client.get("/_ticketmock/apiz").json()["detail"]
