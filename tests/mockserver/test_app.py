"""HTTP glue through the bobdesk API: errors in the vendor envelope, CORS, limits, latency, concurrency."""

from __future__ import annotations

import asyncio
import time

import httpx

from tests.helpers import auth_for, make_app, make_client

BASE = "/bobdesk/api/v3.0"
AUTH = auth_for("bobdesk", "listTickets")


def test_unknown_route_and_wrong_method_use_the_vendor_envelope() -> None:
    client = make_client("bobdesk")
    missing = client.get(f"{BASE}/nothing-here", headers=AUTH)
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found" and "/nothing-here" in missing.json()["message"]
    wrong = client.delete(f"{BASE}/tickets", headers=AUTH)
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET, POST, HEAD"
    assert wrong.json() == {"message": f"{BASE}/tickets does not accept DELETE; it accepts GET, POST, HEAD",
                            "code": "method_not_allowed"}


def test_an_unknown_path_gets_the_closest_operation_path_in_the_vendor_envelope() -> None:
    client = make_client()
    missing = client.get(f"{BASE}/tikets/abc/nots", headers=AUTH)
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "message": (
        f"route '{BASE}/tikets/abc/nots' does not exist; did you mean GET, POST {BASE}/tickets/{{ticket_id}}/notes? "
        f"Every operation of this API is listed at {BASE}")}
    other_version = client.get("/bobdesk/api/v2.0/tickets", headers=AUTH)
    assert f"did you mean GET, POST {BASE}/tickets?" in other_version.json()["message"]
    spacebring = client.get("/spacebring/support/ticket/v1")
    assert spacebring.json()["type"] == "notFound"
    assert "did you mean GET, POST /spacebring/support/tickets/v1?" in spacebring.json()["message"]
    control = client.get("/_ticketmock/sesions")
    assert "did you mean GET, POST /_ticketmock/sessions?" in control.json()["detail"]
    nothing_alike = client.get(f"{BASE}/zzzzzzzzzzzzzzzzzzzzzz/qqqqqqqqqqqqqqqqqq", headers=AUTH).json()["message"]
    assert "did you mean" not in nothing_alike and nothing_alike.endswith(f"is listed at {BASE}")


def test_an_unknown_api_gets_the_closest_slug_and_the_list() -> None:
    client = make_client()
    body = client.get("/bob-desk/api/v3.0/tickets").json()
    assert body["status"] == 404 and body["detail"] == (
        "route '/bob-desk/api/v3.0/tickets' does not exist; no API is served under /bob-desk; did you mean GET, POST "
        "/bobdesk/api/v3.0/tickets? The APIs: /bloxs, /bobdesk/api/v3.0, /flowretail/v2, /jifeline, /spacebring; "
        "the dashboard: /")
    under_prefix = client.get("/_session/alice/jifline/v2/tickets/pending-tickets").json()["detail"]
    assert "did you mean GET /_session/alice/jifeline/v2/tickets/pending-tickets?" in under_prefix
    assert "no API is served under /nothing. The APIs:" in client.get("/nothing/at/all").json()["detail"]


def test_every_parameter_problem_is_reported_not_only_the_first() -> None:
    client = make_client("bobdesk")
    response = client.get(f"{BASE}/tickets", headers=AUTH,
                          params={"created_after": "yesterday", "interventions": "maybe"})
    assert response.status_code == 400
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["created_after", "interventions"]


def test_missing_credentials_get_401_with_challenge() -> None:
    response = make_client("bobdesk").get(f"{BASE}/tickets")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="bobdesk"'
    assert response.json()["code"] == "unauthorized"


def test_token_restriction() -> None:
    client = make_client("bobdesk", tokens=["team-token"])
    assert client.get(f"{BASE}/tickets", headers={"Authorization": "Bearer mock-token"}).status_code == 401
    assert client.get(f"{BASE}/tickets", headers={"Authorization": "Bearer team-token"}).status_code == 200


def test_cors_preflight_and_headers_on_errors_for_local_origins() -> None:
    client = make_client("bobdesk")
    preflight = client.options(f"{BASE}/tickets", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    error = client.get(f"{BASE}/tickets", headers={"Origin": "http://127.0.0.1:3000"})
    assert error.status_code == 401
    assert error.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"
    foreign = client.get(f"{BASE}/tickets", headers={"Origin": "https://evil.example", **AUTH})
    assert "access-control-allow-origin" not in foreign.headers


def test_configured_cors_origin_replaces_the_default() -> None:
    client = make_client("bobdesk", cors_origins=["https://app.example.com"])
    allowed = client.get(f"{BASE}/tickets", headers={"Origin": "https://app.example.com", **AUTH})
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    local = client.get(f"{BASE}/tickets", headers={"Origin": "http://localhost:5173", **AUTH})
    assert "access-control-allow-origin" not in local.headers


def test_latency_is_added_to_api_calls_but_not_control_calls() -> None:
    client = make_client("bobdesk", latency_ms=150)
    started = time.perf_counter()
    client.get(f"{BASE}/tickets", headers=AUTH)
    assert time.perf_counter() - started >= 0.15
    started = time.perf_counter()
    client.get("/_ticketmock/journal")
    assert time.perf_counter() - started < 0.15


def test_body_over_the_limit_is_413_and_changes_nothing() -> None:
    client = make_client("bobdesk", max_body_bytes=2048)
    before = client.get("/_ticketmock/apis/bobdesk/state").json()
    response = client.post(f"{BASE}/tickets", headers=AUTH, json={"title": "x" * 4096})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert client.get("/_ticketmock/apis/bobdesk/state").json() == before


def test_two_hundred_concurrent_creates_make_two_hundred_distinct_tickets() -> None:
    app = make_app("bobdesk")

    async def fire() -> tuple[list[dict[str, object]], list[httpx.Response], list[dict[str, object]]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            state = "/_ticketmock/apis/bobdesk/state"
            before = (await client.get(state)).json()["collections"]["tickets"]
            responses = await asyncio.gather(*(
                client.post(f"{BASE}/tickets", headers=AUTH, json={"title": f"Fuite n°{n}"}) for n in range(200)))
            return before, responses, (await client.get(state)).json()["collections"]["tickets"]

    before_tickets, responses, tickets = asyncio.run(fire())
    before = {t["_id"] for t in before_tickets}
    assert [r.status_code for r in responses] == [200] * 200
    created_ids = {r.json()["ticket_id"] for r in responses}
    new = [t for t in tickets if t["_id"] not in before]
    assert len(created_ids) == 200 and {t["_id"] for t in new} == created_ids
    assert len({t["number"] for t in new}) == 200
    assert sorted(t["title"] for t in new) == sorted(f"Fuite n°{n}" for n in range(200))


def test_swagger_ui_and_spec_are_served_per_api() -> None:
    client = make_client("bobdesk")
    assert client.get(f"{BASE}/openapi.json").json()["info"]["title"] == "Bob! Desk API"
    assert client.get(f"{BASE}/ui/").status_code == 200


def test_non_json_numbers_and_absurd_nesting_are_400_not_500() -> None:
    client = make_client("bobdesk")
    before = client.get("/_ticketmock/apis/bobdesk/state").json()
    headers = {**AUTH, "content-type": "application/json"}
    for body in (b'{"title": "x", "price_threshold": NaN}', b'{"title": "x", "price_threshold": 1e999}',
                 b'{"title": "x", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"):
        response = client.post(f"{BASE}/tickets", headers=headers, content=body)
        assert response.status_code == 400, body[:40]
        assert response.json()["code"] == "malformed_request"
        assert response.json()["errors"][0]["field"] in ("price_threshold", "(body)")
    assert client.get("/_ticketmock/apis/bobdesk/state").json() == before


def test_each_log_line_says_why_a_request_failed_and_marks_injected_faults() -> None:
    lines: list[str] = []
    client = make_client("bobdesk", log=lines.append)
    client.post(f"{BASE}/tickets", content=b'{"title": x}', headers={**AUTH, "Content-Type": "application/json"})
    client.post("/_ticketmock/faults", json={"api": "bobdesk", "operationId": "listTickets", "status": 503})
    client.get(f"{BASE}/tickets", headers=AUTH, params={"limit": "5"})
    assert lines[0].startswith(f"POST {BASE}/tickets 400 ")
    assert lines[0].endswith("malformed_request: (body): the body is not valid JSON: Expecting value at line 1 "
                             "column 11")
    assert lines[-1].startswith(f"GET {BASE}/tickets?limit=5 503 ") and lines[-1].endswith(" injected fault")
