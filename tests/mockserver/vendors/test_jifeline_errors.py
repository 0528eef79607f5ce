"""Jifeline mock: bad input in the vendor's error shapes, credentials, and the OAuth token endpoint."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from mockserver.spec import inline_refs, iter_operations
from tests.helpers import auth_for, make_client, spec_of

SLUG = "jifeline"
BASE = "/jifeline/v2/tickets"
TOKEN_URL = "/jifeline/oauth2/token"
STATE_URL = "/_ticketmock/apis/jifeline/state"
AUTH = auth_for(SLUG, "listInProgressTickets")
PROBLEM = "application/problem+json"
TICKET = "f2c4cf2d-c633-466b-b161-c01ab5bf66f0"
UNKNOWN = "3c0a1f7e-9d42-4b68-a5e1-7f2c8d0b6e94"
ONE = f"{BASE}/in-progress-tickets/{TICKET}"
JSON_HEADERS = {**AUTH, "content-type": "application/json"}
FORM = {"grant_type": "client_credentials", "client_id": "4t7g2fa4bnctelul26e5me2cu3", "client_secret": "s3cret"}


@pytest.fixture
def client() -> Any:
    return make_client(SLUG)


def assert_problem(answer: Any, status: int, *needles: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body = answer.json()
    assert set(body) == {"status", "type", "title", "detail"}
    assert body["status"] == status and body["type"] == "about:blank" and body["title"]
    for needle in needles:
        assert needle in body["detail"], body["detail"]
    return body


def assert_oauth_error(answer: Any, status: int, error: str, *needles: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert set(body) == {"error", "error_description"} and body["error"] == error
    for needle in needles:
        assert needle in body["error_description"], body["error_description"]


def unchanged(client: Any, request: Any) -> Any:
    """Send a request and check that the state dump is byte-for-byte what it was before."""
    before = client.get(STATE_URL).content
    answer = request()
    assert client.get(STATE_URL).content == before
    return answer


# --- bad input, each kind, state unchanged -----------------------------------------------------

@pytest.mark.parametrize(("method", "body"), [("put", b'{"operator_id": '), ("patch", b'{"transition": {"type"')],
                         ids=["put", "patch"])
def test_malformed_json_is_400(client: Any, method: str, body: bytes) -> None:
    answer = unchanged(client, lambda: client.request(method, ONE, content=body, headers=JSON_HEADERS))
    assert_problem(answer, 400, "not valid JSON", "line 1 column")


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_wrong_content_type_is_415(client: Any, method: str) -> None:
    answer = unchanged(client, lambda: client.request(
        method, ONE, content=b"operator_id=a41f6b0e-3c7d-4e25-8b9a-6f2d1c0e8b47",
        headers={**AUTH, "content-type": "application/x-www-form-urlencoded"}))
    assert_problem(answer, 415, "application/x-www-form-urlencoded", "application/json")


def test_a_body_over_the_size_limit_is_413() -> None:
    client = make_client(SLUG, max_body_bytes=2048)
    body = {"operator_id": "c8e2d5f1-9a3b-4d7e-a6c4-1f0b2e9d8a36", "padding": "x" * 3000}
    answer = unchanged(client, lambda: client.put(ONE, json=body, headers=AUTH))
    assert_problem(answer, 413, "2048 bytes")


def test_invalid_utf8_is_400(client: Any) -> None:
    body = b'{"operator_id": "c8e2d5f1-9a3b-4d7e-a6c4-1f0b2e9d8a36", "note": "\xff\xfe"}'
    answer = unchanged(client, lambda: client.put(ONE, content=body, headers=JSON_HEADERS))
    assert_problem(answer, 400, "not valid UTF-8")


def test_no_request_body_forbids_unknown_members() -> None:
    """Jifeline forbids no unknown members (the PUT sample even sends undocumented ones), so the mock
    ignores them instead of answering 400; test_put_changes_the_operator_and_nothing_else shows it."""
    spec = spec_of(SLUG)

    def closed_objects(node: Any) -> list[Any]:
        if isinstance(node, dict):
            found = [node] if node.get("additionalProperties") is False else []
            return found + [hit for value in node.values() for hit in closed_objects(value)]
        if isinstance(node, list):
            return [hit for value in node for hit in closed_objects(value)]
        return []

    for _, _, operation in iter_operations(spec):
        assert closed_objects(inline_refs(spec, operation.get("requestBody", {}))) == [], operation["operationId"]


@pytest.mark.parametrize(("method", "url", "body"), [
    ("get", f"{BASE}/in-progress-tickets/7179072", None),
    ("put", f"{BASE}/in-progress-tickets/7179072", {"operator_id": "c8e2d5f1-9a3b-4d7e-a6c4-1f0b2e9d8a36"}),
    ("patch", f"{BASE}/in-progress-tickets/not-a-uuid", {"transition": {"type": "complete"}}),
    ("get", f"{BASE}/closed-tickets/1f8d4c2e", None),
    ("get", f"{BASE}/outsources/{UNKNOWN}x", None),
], ids=["get", "put", "patch", "closed", "outsource"])
def test_a_path_id_of_the_wrong_shape_is_400(client: Any, method: str, url: str, body: Any) -> None:
    answer = unchanged(client, lambda: client.request(method, url, json=body, headers=AUTH))
    assert_problem(answer, 400, "-id", "uuid")


@pytest.mark.parametrize(("method", "url", "body"), [
    ("get", f"{BASE}/in-progress-tickets/{UNKNOWN}", None),
    ("put", f"{BASE}/in-progress-tickets/{UNKNOWN}", {"operator_id": "c8e2d5f1-9a3b-4d7e-a6c4-1f0b2e9d8a36"}),
    ("patch", f"{BASE}/in-progress-tickets/{UNKNOWN}", {"transition": {"type": "complete"}}),
    ("get", f"{BASE}/pending-tickets/{UNKNOWN}", None),
    ("get", f"{BASE}/prepared-tickets/{UNKNOWN}", None),
    ("get", f"{BASE}/outsourced-tickets/{UNKNOWN}", None),
    ("get", f"{BASE}/closed-tickets/{UNKNOWN}", None),
    ("get", f"{BASE}/cancelled-tickets/{UNKNOWN}", None),
    ("get", f"{BASE}/outsources/{UNKNOWN}", None),
], ids=["get", "put", "patch", "pending", "prepared", "outsourced", "closed", "cancelled", "outsource"])
def test_an_unknown_id_is_404(client: Any, method: str, url: str, body: Any) -> None:
    answer = unchanged(client, lambda: client.request(method, url, json=body, headers=AUTH))
    assert_problem(answer, 404, UNKNOWN, "does not exist")


@pytest.mark.parametrize(("method", "body", "needles"), [
    ("put", {}, ["operator_id", "required"]),
    ("put", {"operator_id": "Sanne"}, ["operator_id", "uuid"]),
    ("patch", {}, ["transition", "required"]),
    ("patch", {"transition": {"type": "reopen"}}, ["transition", "{type: complete}"]),
    ("patch", {"transition": {"type": "cancel"}}, ["transition.cancel_reason_id", "is a required property"]),
], ids=["put no operator", "put operator not uuid", "patch no transition", "patch unknown type",
        "cancel without reason"])
def test_a_body_against_the_schema_is_400(client: Any, method: str, body: Any, needles: list[str]) -> None:
    answer = unchanged(client, lambda: client.request(method, ONE, json=body, headers=AUTH))
    assert_problem(answer, 400, *needles)


def test_a_missing_body_is_400(client: Any) -> None:
    answer = unchanged(client, lambda: client.put(ONE, headers=JSON_HEADERS))
    assert_problem(answer, 400, "a request body is required")


@pytest.mark.parametrize(("segment", "query", "needle"), [
    ("in-progress-tickets", {"limit": 1001}, "limit"),
    ("closed-tickets", {"offset": -1}, "offset"),
    ("cancel-reasons", {"offset": 2**63}, "int64"),
    ("in-progress-tickets", {"ticket_number": "seven"}, "ticket_number"),
    ("in-progress-tickets", {"ticket_number": "inf"}, "ticket_number"),
    ("prepared-tickets", {"created_after": "yesterday"}, "created_after"),
    ("prepared-tickets", {"customer_id": "garage-1"}, "customer_id"),
], ids=["limit", "offset", "offset int64", "ticket_number", "ticket_number inf", "created_after", "customer_id"])
def test_bad_list_parameters_are_400(client: Any, segment: str, query: dict[str, Any], needle: str) -> None:
    answer = client.get(f"{BASE}/{segment}", params=query, headers=AUTH)
    assert_problem(answer, 400, needle)


def test_unknown_routes_and_methods_answer_problems(client: Any) -> None:
    assert_problem(client.get(f"{BASE}/open-tickets", headers=AUTH), 404)
    answer = client.delete(ONE, headers=AUTH)
    assert_problem(answer, 405)
    assert set(answer.headers["allow"].split(", ")) == {"GET", "HEAD", "PUT", "PATCH"}


# --- credentials -------------------------------------------------------------------------------

def test_no_credentials_is_401_with_a_bearer_challenge(client: Any) -> None:
    answer = client.get(f"{BASE}/in-progress-tickets")
    assert_problem(answer, 401, "missing credentials")
    assert answer.headers["www-authenticate"] == 'Bearer realm="jifeline"'


def test_a_bearer_token_alone_is_enough_for_every_operation(client: Any) -> None:
    """The newer authentication page: `Authorization: Bearer <token>` and nothing else."""
    bearer = {"Authorization": "Bearer mock-token"}
    spec = spec_of(SLUG)
    for path, method, operation in iter_operations(spec):
        if method != "get":
            continue
        url = "/jifeline" + path
        for parameter in inline_refs(spec, [*spec["paths"][path].get("parameters", []),
                                            *operation.get("parameters", [])]):
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(parameter["example"]))
        assert client.get(url, headers=bearer).status_code == 200, url
    answer = client.put(ONE, json={"operator_id": "c8e2d5f1-9a3b-4d7e-a6c4-1f0b2e9d8a36"}, headers=bearer)
    assert answer.status_code == 200, answer.text


def test_an_api_key_next_to_the_token_is_accepted_and_ignored() -> None:
    """The older page's `x-api-key` is accepted when sent, whatever it is, even when the mock restricts tokens."""
    client = make_client(SLUG, tokens=["partner-token"])
    for key in ("partner-token", "an-old-api-key", ""):
        answer = client.get(f"{BASE}/in-progress-tickets", headers={"Authorization": "Bearer partner-token",
                                                                    "x-api-key": key})
        assert answer.status_code == 200, key


def test_an_api_key_alone_is_not_enough(client: Any) -> None:
    answer = client.get(f"{BASE}/in-progress-tickets", headers={"x-api-key": "mock-api-key"})
    assert_problem(answer, 401, "missing credentials", "Authorization: Bearer")
    assert answer.headers["www-authenticate"] == 'Bearer realm="jifeline"'


@pytest.mark.parametrize("authorization", ["Bearer not a token", "Bearer ", "Basic bW9jay11c2VyOm1vY2stcGFzcw=="],
                         ids=["spaces", "empty", "basic"])
def test_malformed_credentials_are_401(client: Any, authorization: str) -> None:
    answer = client.get(f"{BASE}/closed-tickets", headers={"Authorization": authorization, "x-api-key": "k"})
    assert_problem(answer, 401)
    assert answer.headers["www-authenticate"].startswith('Bearer realm="jifeline"')


# --- the token endpoint ------------------------------------------------------------------------

def test_an_issued_token_lasts_an_hour_and_is_accepted_when_tokens_are_restricted() -> None:
    client = make_client(SLUG, tokens=["partner-api-key"], basic=["4t7g2fa4bnctelul26e5me2cu3:s3cret"])
    refused = client.get(f"{BASE}/closed-tickets", headers={"Authorization": "Bearer mock-token",
                                                            "x-api-key": "partner-api-key"})
    assert_problem(refused, 401, "unknown bearer token")

    answer = client.post(TOKEN_URL, data=FORM)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    issued = answer.json()
    assert issued["expires_in"] == 3600 and issued["token_type"] == "Bearer"
    header, claims, _ = issued["access_token"].split(".")
    payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert payload["sub"] == FORM["client_id"] and payload["exp"] - payload["iat"] == 3600

    headers = {"Authorization": f"Bearer {issued['access_token']}", "x-api-key": "partner-api-key"}
    assert client.get(f"{BASE}/closed-tickets", headers=headers).status_code == 200
    client.app.runtime.clock.advance(3600)
    assert_problem(client.get(f"{BASE}/closed-tickets", headers=headers), 401, "expired")


def test_tokens_are_cached_for_five_minutes(client: Any) -> None:
    first = client.post(TOKEN_URL, data=FORM).json()
    client.app.runtime.clock.advance(240)
    again = client.post(TOKEN_URL, data=FORM).json()
    assert again["access_token"] == first["access_token"] and again["expires_in"] == 3600 - 240
    other = client.post(TOKEN_URL, data={**FORM, "client_id": "another-client"}).json()
    assert other["access_token"] != first["access_token"]
    client.app.runtime.clock.advance(120)  # six minutes after the first request
    fresh = client.post(TOKEN_URL, data=FORM).json()
    assert fresh["access_token"] != first["access_token"] and fresh["expires_in"] == 3600


def test_an_unsupported_grant_type_is_400_unsupported_grant_type(client: Any) -> None:
    answer = unchanged(client, lambda: client.post(TOKEN_URL, data={**FORM, "grant_type": "password"}))
    assert_oauth_error(answer, 400, "unsupported_grant_type", "grant_type", "client_credentials")


def test_a_missing_parameter_is_400_invalid_request(client: Any) -> None:
    answer = unchanged(client, lambda: client.post(TOKEN_URL, data={"grant_type": "client_credentials",
                                                                    "client_id": "abc"}))
    assert_oauth_error(answer, 400, "invalid_request", "client_secret")


def test_bad_client_credentials_are_401_invalid_client() -> None:
    client = make_client(SLUG, basic=["4t7g2fa4bnctelul26e5me2cu3:s3cret"])
    answer = unchanged(client, lambda: client.post(TOKEN_URL, data={**FORM, "client_secret": "guess"}))
    assert_oauth_error(answer, 401, "invalid_client", FORM["client_id"])
    # without --basic any non-empty pair is accepted, but an empty secret never is
    open_client = make_client(SLUG)
    assert_oauth_error(open_client.post(TOKEN_URL, data={**FORM, "client_secret": ""}), 401, "invalid_client")


@pytest.mark.parametrize(("content", "content_type", "status", "needle"), [
    (json.dumps(FORM).encode(), "application/json", 415, "application/x-www-form-urlencoded"),
    (b"grant_type=client_credentials&client_id=\xff&client_secret=x", "application/x-www-form-urlencoded", 400,
     "UTF-8"),
    (b"grant_type=client_credentials&client_secret=" + b"x" * 3000, "application/x-www-form-urlencoded", 413,
     "2048 bytes"),
], ids=["json body", "invalid utf-8", "too large"])
def test_token_request_errors_use_the_oauth_shape(content: bytes, content_type: str, status: int,
                                                  needle: str) -> None:
    client = make_client(SLUG, max_body_bytes=2048)
    answer = unchanged(client, lambda: client.post(TOKEN_URL, content=content, headers={"content-type": content_type}))
    assert_oauth_error(answer, status, "invalid_request", needle)
