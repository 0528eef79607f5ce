"""Bloxs mock: bad input, credentials and the ProblemDetails envelope; bad input never changes state."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import auth_for, make_client

TICKETS = "/bloxs/api/v1/maintenance/servicetickets"
STATE = "/_ticketmock/apis/bloxs/state"
AUTH = auth_for("bloxs", "createServiceTicket")
JSON_AUTH = {**AUTH, "Content-Type": "application/json"}
TRACE_ID = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-00$")
TYPE = "https://tools.ietf.org/html/rfc9110#section-15.5."
# Every operation with a JSON body: (method, path).
BODY_OPERATIONS = [
    ("POST", "/bloxs/Authorization"),
    ("POST", TICKETS),
    ("PUT", TICKETS),
    ("POST", f"{TICKETS}/filter"),
    ("POST", f"{TICKETS}/notes"),
    ("POST", f"{TICKETS}/done"),
]


@pytest.fixture
def client() -> Iterator[Any]:
    with make_client("bloxs") as test_client:
        yield test_client


def assert_problem(reply: Any, status: int, *, errors: bool) -> dict[str, Any]:
    """The reply is Bloxs's (Validation)ProblemDetails for `status`, with or without `errors`."""
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"] == "application/problem+json"
    problem = reply.json()
    assert problem["status"] == status
    assert problem["type"].startswith(TYPE)
    assert TRACE_ID.match(problem["traceId"])
    if errors:
        assert problem["title"] == "One or more validation errors occurred."
        assert problem["errors"] and all(isinstance(m, list) and m for m in problem["errors"].values())
    else:
        assert "errors" not in problem
        assert problem["detail"]
    return problem


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS)
def test_malformed_json_is_a_400_on_the_body(client: Any, method: str, path: str) -> None:
    before = client.get(STATE).content
    reply = client.request(method, path, content=b'{"reference": "100245",', headers=JSON_AUTH)
    problem = assert_problem(reply, 400, errors=True)
    assert "not valid JSON" in problem["errors"]["$"][0]
    assert client.get(STATE).content == before


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS)
def test_a_wrong_content_type_is_a_415(client: Any, method: str, path: str) -> None:
    before = client.get(STATE).content
    reply = client.request(method, path, content=b"reference=100245", headers={**AUTH, "Content-Type": "text/plain"})
    problem = assert_problem(reply, 415, errors=False)
    assert problem["title"] == "Unsupported Media Type"
    assert problem["type"] == f"{TYPE}16"
    assert "text/plain" in problem["detail"]
    assert client.get(STATE).content == before


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS)
def test_a_body_over_the_size_limit_is_a_413(method: str, path: str) -> None:
    with make_client("bloxs", max_body_bytes=2048) as client:
        before = client.get(STATE).content
        body = '{"message": "' + "x" * 4096 + '"}'
        reply = client.request(method, path, content=body.encode(), headers=JSON_AUTH)
        problem = assert_problem(reply, 413, errors=False)
        assert problem["title"] == "Payload Too Large"
        assert problem["type"] == f"{TYPE}14"
        assert client.get(STATE).content == before


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS)
def test_invalid_utf8_is_a_400(client: Any, method: str, path: str) -> None:
    before = client.get(STATE).content
    reply = client.request(method, path, content=b'{"message": "caf\xe9"}', headers=JSON_AUTH)
    problem = assert_problem(reply, 400, errors=True)
    assert "UTF-8" in problem["errors"]["$"][0]
    assert client.get(STATE).content == before


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS[1:])
def test_an_empty_body_is_a_400(client: Any, method: str, path: str) -> None:
    before = client.get(STATE).content
    reply = client.request(method, path, content=b"", headers={**AUTH, "Content-Type": "application/json"})
    assert_problem(reply, 400, errors=True)
    assert client.get(STATE).content == before


def test_unknown_fields_are_ignored_as_asp_net_does_and_never_stored(client: Any) -> None:
    # Bloxs's bodies do not forbid unknown properties (no additionalProperties: false): System.Text.Json
    # skips them. They must not end up in the stored ticket either.
    body = {"reportingDate": "2026-03-05", "stateName": "Active", "priority": 2, "description": "Deurbel defect.",
            "realEstateObjectReference": "OBJ-0330", "reporterReference": "REL-004561", "colour": "red",
            "$closingDate": "2020-01-01T00:00:00Z"}
    created = client.post(TICKETS, json=body, headers=AUTH)
    assert created.status_code == 200
    assert "colour" not in created.json()
    stored = next(t for t in client.get(STATE).json()["collections"]["tickets"]
                  if t["reference"] == created.json()["reference"])
    assert "colour" not in stored and stored["$closingDate"] is None
    update = {"reference": "100245", "stateName": "Active", "priority": 2, "description": "x", "colour": "blue",
              "reference2": "100244"}
    assert "colour" not in client.put(TICKETS, json=update, headers=AUTH).json()


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("PUT", TICKETS, {"reference": 100245, "stateName": "Active", "priority": 2, "description": "x"}, "reference"),
    ("POST", f"{TICKETS}/notes", {"reference": ["100245"], "message": "x"}, "reference"),
    ("POST", f"{TICKETS}/done", {"externalIdentifier": {"id": "WO-2026-00871"}}, "externalIdentifier"),
    ("PUT", TICKETS, {"reference": "1" * 101, "stateName": "Active", "priority": 2, "description": "x"}, "reference"),
    ("POST", f"{TICKETS}/done", {"reference": "100245", "closingDate": "12-03-2026"}, "closingDate"),
    ("POST", TICKETS, {"reportingDate": "2026-02-30", "stateName": "Active", "priority": 2, "description": "x",
                       "realEstateObjectReference": "OBJ-0318", "reporterReference": "REL-004512"}, "reportingDate"),
])
def test_identifiers_and_values_of_the_wrong_shape_are_a_400(client: Any, method: str, path: str,
                                                              body: dict[str, Any], field: str) -> None:
    before = client.get(STATE).content
    problem = assert_problem(client.request(method, path, json=body, headers=AUTH), 400, errors=True)
    assert field in problem["errors"]
    assert client.get(STATE).content == before


@pytest.mark.parametrize(("method", "path", "raw", "field"), [
    ("POST", f"{TICKETS}/filter", b'{"paging": {"pageNumber": 2147483648}}', "paging.pageNumber"),
    ("PUT", TICKETS, b'{"reference": "100245", "stateName": "Active", "priority": 2, "description": "x", '
                     b'"expectedCosts": 1e400}', "expectedCosts"),
    ("POST", TICKETS, b'{"reportingDate": "2026-03-05", "stateName": "Active", "priority": 2, "description": "x", '
                      b'"realEstateObjectReference": "OBJ-0318", "reporterReference": "REL-004512", '
                      b'"mandateAmount": NaN}', "mandateAmount"),
])
def test_numbers_dotnet_cannot_bind_are_a_400(client: Any, method: str, path: str, raw: bytes, field: str) -> None:
    before = client.get(STATE).content
    reply = client.request(method, path, content=raw, headers={**AUTH, "Content-Type": "application/json"})
    problem = assert_problem(reply, 400, errors=True)
    assert list(problem["errors"]) == [field]
    assert client.get(STATE).content == before


def test_a_query_identifier_of_the_wrong_shape_is_a_400(client: Any) -> None:
    before = client.get(STATE).content
    problem = assert_problem(client.get(TICKETS, params={"reference": "1" * 101}, headers=AUTH), 400, errors=True)
    assert list(problem["errors"]) == ["reference"]
    assert client.get(STATE).content == before


@pytest.mark.parametrize(("method", "path", "body"), [
    ("PUT", TICKETS, {"reference": "100999", "stateName": "Active", "priority": 2, "description": "x"}),
    ("POST", f"{TICKETS}/notes", {"externalIdentifier": "WO-2026-99999", "message": "x"}),
    ("POST", f"{TICKETS}/done", {"reference": "abc"}),
])
def test_unknown_identifiers_are_a_404(client: Any, method: str, path: str, body: dict[str, Any]) -> None:
    before = client.get(STATE).content
    problem = assert_problem(client.request(method, path, json=body, headers=AUTH), 404, errors=False)
    assert problem["title"] == "Not Found" and problem["type"] == f"{TYPE}5"
    assert "does not exist" in problem["detail"]
    assert client.get(STATE).content == before


def test_unknown_routes_and_methods_answer_in_the_envelope(client: Any) -> None:
    assert_problem(client.get("/bloxs/api/v1/maintenance/servicetickets/123", headers=AUTH), 404, errors=False)
    wrong = assert_problem_405(client.delete(TICKETS, headers=AUTH))
    assert wrong.headers["allow"] == "GET, POST, PUT, HEAD"


def assert_problem_405(reply: Any) -> Any:
    assert reply.status_code == 405
    problem = reply.json()
    assert problem["type"] == f"{TYPE}6" and problem["title"] == "Method Not Allowed" and "errors" not in problem
    return reply


def test_the_trace_id_is_deterministic_and_differs_per_error(client: Any) -> None:
    first = client.get(TICKETS, params={"reference": "100999"}, headers=AUTH).json()["traceId"]
    second = client.get(TICKETS, params={"reference": "100999"}, headers=AUTH).json()["traceId"]
    other = client.get(TICKETS, params={"reference": "100998"}, headers=AUTH).json()["traceId"]
    assert first == second != other


# --- credentials -------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [
    ("GET", f"{TICKETS}?reference=100245"), ("POST", TICKETS), ("PUT", TICKETS), ("POST", f"{TICKETS}/filter"),
    ("GET", f"{TICKETS}/states"), ("GET", f"{TICKETS}/costscategories"), ("GET", f"{TICKETS}/problemcategories"),
    ("POST", f"{TICKETS}/notes"), ("POST", f"{TICKETS}/done"),
])
def test_no_credentials_is_a_401_with_a_bearer_challenge(client: Any, method: str, path: str) -> None:
    before = client.get(STATE).content
    reply = client.request(method, path, json={"reference": "100245", "message": "x"})
    problem = assert_problem(reply, 401, errors=False)
    assert problem["title"] == "Unauthorized" and problem["type"] == f"{TYPE}2"
    assert reply.headers["www-authenticate"] == 'Bearer realm="bloxs"'
    assert client.get(STATE).content == before


@pytest.mark.parametrize("header", ["Bearer", "Bearer two words", "Bearer caf\u00e9",
                                    "Basic bW9jay11c2VyOm1vY2stcGFzcw==", "mock-token", "bloxs 1a2b3c"])
def test_malformed_credentials_are_a_401(client: Any, header: str) -> None:
    reply = client.get(f"{TICKETS}/states", headers={"Authorization": header.encode()})
    assert_problem(reply, 401, errors=False)
    assert reply.headers["www-authenticate"].startswith("Bearer ")


def test_the_token_endpoint_needs_no_credentials_and_its_token_is_accepted(client: Any) -> None:
    issued = client.post("/bloxs/Authorization", json={"apiKey": "7c1e4b2a", "apiSecret": "3f9a6d1c"})
    assert issued.status_code == 200
    bearer = {"Authorization": f"Bearer {issued.json()['token']}"}
    assert client.get(f"{TICKETS}/states", headers=bearer).status_code == 200


def test_the_token_endpoint_refuses_missing_credentials_with_field_errors(client: Any) -> None:
    problem = assert_problem(client.post("/bloxs/Authorization", json={"apiKey": "k"}), 400, errors=True)
    assert problem["errors"] == {"apiSecret": ["The apiSecret field is required."]}
