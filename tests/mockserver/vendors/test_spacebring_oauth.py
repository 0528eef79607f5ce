"""Spacebring's mock-only OAuth2 endpoints: the authorization-code flow, PKCE, refresh, and every refusal."""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.helpers import example_requests, make_client, state_hash

AUTHORIZE, TOKEN = "/spacebring/oauth2/authorize", "/spacebring/oauth2/token"
TICKETS = "/spacebring/support/tickets/v1"
NETWORK = "626fe777-1d75-4ace-b1e4-32896bcad566"
AMSTERDAM = "67b3f389-2f02-4083-a642-3dcea78018ce"
CALLBACK = "http://localhost:3000/callback?keep=1"


def authorize(client: Any, **extra: str) -> dict[str, list[str]]:
    answer = client.get(AUTHORIZE, params={"response_type": "code", "client_id": "my-app", "redirect_uri": CALLBACK,
                                           "scope": "support", "state": "xyz", **extra}, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK.split("?")[0]
    return parse_qs(location.query)


def list_tickets(client: Any, token: str) -> Any:
    return client.get(TICKETS, params={"locationRef": AMSTERDAM},
                      headers={"Authorization": f"Bearer {token}", "spacebring-network-id": NETWORK})


def test_the_authorization_code_flow_issues_a_token_the_api_accepts() -> None:
    client = make_client("spacebring")
    query = authorize(client)
    assert query["keep"] == ["1"] and query["state"] == ["xyz"]
    issued = client.post(TOKEN, data={"grant_type": "authorization_code", "code": query["code"][0],
                                      "redirect_uri": CALLBACK, "client_id": "my-app", "client_secret": "s3cret"})
    assert issued.status_code == 200, issued.text
    body = issued.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["scope"] == "support"
    assert list_tickets(client, body["access_token"]).status_code == 200
    refreshed = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": body["refresh_token"]},
                            headers={"Authorization": "Basic " + base64.b64encode(b"my-app:s3cret").decode()})
    assert refreshed.status_code == 200 and refreshed.json()["access_token"] != body["access_token"]


def test_a_strict_session_accepts_the_tokens_its_own_endpoint_issued() -> None:
    client = make_client("spacebring")
    client.post("/_ticketmock/sessions", json={"name": "strict", "strictAuth": True, "tokens": ["app:secret"]})
    session = {"X-Ticketmock-Session": "strict"}
    query = parse_qs(urlsplit(client.get(f"/_session/strict{AUTHORIZE}", follow_redirects=False, params={
        "response_type": "code", "client_id": "app", "redirect_uri": CALLBACK}).headers["location"]).query)
    refused = client.post(TOKEN, data={"grant_type": "authorization_code", "code": query["code"][0],
                                       "client_id": "app", "client_secret": "wrong"}, headers=session)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    issued = client.post(TOKEN, data={"grant_type": "authorization_code", "code": query["code"][0],
                                      "client_id": "app", "client_secret": "secret"}, headers=session)
    token = issued.json()["access_token"]
    assert client.get(TICKETS, params={"locationRef": AMSTERDAM}, headers={
        **session, "Authorization": f"Bearer {token}", "spacebring-network-id": NETWORK}).status_code == 200
    assert list_tickets(client, "made-up").status_code == 200  # default is not strict
    assert client.get(TICKETS, params={"locationRef": AMSTERDAM}, headers={
        **session, "Authorization": "Bearer made-up", "spacebring-network-id": NETWORK}).status_code == 401


def test_pkce_lets_a_client_without_a_secret_in_and_checks_the_verifier() -> None:
    client = make_client("spacebring")
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    code = authorize(client, code_challenge=challenge, code_challenge_method="S256")["code"][0]
    wrong = client.post(TOKEN, data={"grant_type": "authorization_code", "code": code, "client_id": "my-app",
                                     "code_verifier": "w" * 50})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    right = client.post(TOKEN, data={"grant_type": "authorization_code", "code": code, "client_id": "my-app",
                                     "code_verifier": verifier})
    assert right.status_code == 200, right.text


def test_refusals_are_rfc_6749_errors_and_change_nothing() -> None:
    client = make_client("spacebring")
    before = state_hash(client, ["spacebring"])
    code = authorize(client)["code"][0]
    cases = [
        (client.post(TOKEN, data={"grant_type": "authorization_code", "code": "bm90IG91cnM"}), 400, "invalid_grant"),
        (client.post(TOKEN, data={"grant_type": "authorization_code", "code": "eyJraW5kIjoiY29kZSJ9"}), 400,
         "invalid_grant"),  # {"kind": "code"} and nothing else
        (client.post(TOKEN, data={"grant_type": "authorization_code", "code": code, "client_id": "other",
                                  "client_secret": "s"}), 400, "invalid_grant"),
        (client.post(TOKEN, data={"grant_type": "authorization_code", "code": code, "redirect_uri": "http://x/",
                                  "client_id": "my-app", "client_secret": "s"}), 400, "invalid_grant"),
        (client.post(TOKEN, data={"grant_type": "authorization_code"}), 400, "invalid_request"),
        (client.post(TOKEN, data={"grant_type": "password"}), 400, "unsupported_grant_type"),
        (client.post(TOKEN, data={"grant_type": "authorization_code", "code": code}), 401, "invalid_client"),
        (client.get(AUTHORIZE, params={"response_type": "code", "client_id": "a", "redirect_uri": "javascript:x"}),
         400, "invalid_request"),
        (client.get(AUTHORIZE, params={"response_type": "token", "client_id": "a", "redirect_uri": CALLBACK}),
         400, "unsupported_response_type"),
    ]
    for answer, status, error in cases:
        assert (answer.status_code, answer.json()["error"]) == (status, error), answer.text
        assert set(answer.json()) == {"error", "error_description"}
    client.post("/_ticketmock/clock", json={"advance": "PT11M"})
    expired = client.post(TOKEN, data={"grant_type": "authorization_code", "code": code, "client_id": "my-app",
                                       "client_secret": "s"})
    assert expired.status_code == 400 and "expired" in expired.json()["error_description"]
    assert state_hash(client, ["spacebring"]) == before


def test_the_vendors_operations_are_unchanged_by_the_mock_only_ones() -> None:
    operations = {request.operation_id for request in example_requests("spacebring")}
    assert "createMockOAuthToken" not in operations and "getSupportTickets" in operations
