"""Flow Retail at the HTTP edge: bad input, credentials, paging under inserts, the report, the spec's examples."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from mockserver.spec import iter_operations
from mockserver.vendors.flowretail.report import negotiate
from tests.helpers import auth_for, make_client, spec_of
from tests.mockserver.vendors.test_flowretail import (
    AUTH,
    BASE,
    JOHANNA,
    MAIN,
    MARTIN,
    ORDERS,
    REPAIR,
    STORE,
    TENANT,
    assert_error,
    create_order,
    records,
    state,
)

SPEC = spec_of("flowretail")
NEW_ORDER = {"title": "Gear tune-up", "serviceTypeUid": REPAIR, "customerUid": JOHANNA}


# --- bad input: the vendor's error body, a 4xx, and nothing changed --------------------------------------


def send_raw(client: Any, method: str, url: str, content: bytes, content_type: str) -> Any:
    return client.request(method, url, headers={**AUTH, "Content-Type": content_type}, content=content)


BAD_BODIES = [
    ("malformed JSON", b'{"title": "Gear tune-up",', "application/json", 400, "MALFORMED_REQUEST"),
    ("wrong content type", b"title=Gear", "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ("text body", b'{"title": "x"}', "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ("invalid UTF-8", b'{"title": "Gear \xff tune-up"}', "application/json", 400, "MALFORMED_REQUEST"),
    ("missing required field", b'{"title": "Gear"}', "application/json", 400, "VALIDATION_FAILED"),
    ("wrong type", b'{"title": 7, "serviceTypeUid": "a", "customerUid": "b"}', "application/json", 400,
     "VALIDATION_FAILED"),
    ("enum miss", b'{"title": "x", "serviceTypeUid": "a", "customerUid": "b", "priority": "ASAP"}',
     "application/json", 400, "VALIDATION_FAILED"),
    ("not an object", b"[]", "application/json", 400, "VALIDATION_FAILED"),
]


@pytest.mark.parametrize(("case", "content", "content_type", "status", "code"), BAD_BODIES,
                         ids=[case[0] for case in BAD_BODIES])
def test_bad_bodies_get_the_error_body_and_change_nothing(case: str, content: bytes, content_type: str,
                                                          status: int, code: str) -> None:
    client = make_client("flowretail")
    before = state(client)
    assert_error(send_raw(client, "POST", ORDERS, content, content_type), status, code)
    assert_error(send_raw(client, "PUT", f"{ORDERS}/{MAIN}", content, content_type), status, code) \
        if case not in ("missing required field", "wrong type", "enum miss") else None
    assert state(client) == before


def test_field_errors_name_the_fields() -> None:
    client = make_client("flowretail")
    response = client.post(ORDERS, headers=AUTH, json={"title": 7, "priority": "ASAP"})
    fields = {e["field"] for e in assert_error(response, 400, "VALIDATION_FAILED")["errors"]}
    assert fields == {"title", "priority", "serviceTypeUid", "customerUid"}  # the last two are missing


def test_a_body_over_the_size_limit_is_413() -> None:
    client = make_client("flowretail", max_body_bytes=2048)
    before = state(client)
    response = client.post(ORDERS, headers=AUTH, json={**NEW_ORDER, "description": "x" * 3000})
    assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert state(client) == before


def test_unknown_fields_are_not_forbidden_and_not_stored() -> None:
    client = make_client("flowretail")
    created = client.post(ORDERS, headers=AUTH, json={**NEW_ORDER, "colour": "red", "serviceOrderUid": "so_mine"})
    assert created.status_code == 201
    assert "colour" not in created.json() and created.json()["serviceOrderUid"] != "so_mine"
    uid = created.json()["serviceOrderUid"]
    assert "colour" not in next(o for o in records(client, "serviceOrders") if o["serviceOrderUid"] == uid)


@pytest.mark.parametrize("url", [
    f"{ORDERS}/!bad",
    f"{ORDERS}/%20so",
    f"{ORDERS}/{MAIN}/events/*x",
    f"{BASE}/tenants/@tenant/stores/{STORE}/serviceorders",
    f"{BASE}/tenants/{TENANT}/stores/.store/serviceorders",
    f"{BASE}/tenants/{TENANT}/hourlyrates/~rate",
])
def test_path_ids_of_the_wrong_shape_are_400(url: str) -> None:
    client = make_client("flowretail")
    before = state(client)
    method = "put" if "hourlyrates" in url else "get"
    assert_error(client.request(method, url, headers=AUTH, json={} if method == "put" else None), 400,
                 "VALIDATION_FAILED")
    assert state(client) == before


@pytest.mark.parametrize(("method", "path", "body"), [
    ("get", "/so_unknown", None),
    ("put", "/so_unknown", {"title": "x"}),
    ("delete", "/so_unknown", None),
    ("post", "/so_unknown/items", {"name": "x", "quantity": 1, "price": 1}),
    ("put", f"/{MAIN}/items/si_unknown", {"quantity": 2}),
    ("delete", f"/{MAIN}/events/se_unknown", None),
    ("get", f"/{MAIN}/hours/sh_unknown", None),
    ("post", f"/{MAIN}/salesorders", {"customerUid": JOHANNA, "itemUids": ["si_unknown"], "orderAddress": {
        "name": "J", "addressLine1": "Gate 1", "postalCode": "0555", "city": "Oslo", "countryCode": "NO"}}),
])
def test_unknown_ids_are_404_and_change_nothing(method: str, path: str, body: Any) -> None:
    client = make_client("flowretail")
    before = state(client)
    response = client.request(method, f"{ORDERS}{path}", headers=AUTH, json=body)
    assert "does not exist" in assert_error(response, 404, "NOT_FOUND")["message"]
    assert state(client) == before


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("put", f"/{MAIN}", {"serviceStatusUid": "ss_unknown"}, "serviceStatusUid"),
    ("put", f"/{MAIN}", {"customerUid": ""}, "customerUid"),
    ("put", f"/{MAIN}", {"assignedUserUid": "us_unknown"}, "assignedUserUid"),
    ("post", "", {**NEW_ORDER, "serviceTypeUid": "ty_unknown"}, "serviceTypeUid"),
    ("post", f"/{MAIN}/hours", {"tenantUserUid": MARTIN, "hourlyRateUid": "hr_unknown", "hours": 1}, "hourlyRateUid"),
])
def test_unknown_records_named_in_the_body_are_400_naming_the_field(method: str, path: str, body: Any,
                                                                      field: str) -> None:
    client = make_client("flowretail")
    before = state(client)
    response = client.request(method, f"{ORDERS}{path}", headers=AUTH, json=body)
    error = assert_error(response, 400, "VALIDATION_FAILED")
    assert [e["field"] for e in error["errors"]] == [field] and "does not exist" in error["message"]
    assert state(client) == before


def test_unknown_routes_and_methods_answer_in_the_vendor_shape() -> None:
    client = make_client("flowretail")
    assert_error(client.get(f"{BASE}/tenants/{TENANT}/nothing-here", headers=AUTH), 404, "NOT_FOUND")
    response = client.patch(f"{ORDERS}/{MAIN}", headers=AUTH, json={})
    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "PUT", "DELETE"}


# --- credentials -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Authorization": ""}, {"Authorization": "Bearer"},
                                     {"Authorization": "Bearer has spaces"}, {"Authorization": "Basic bW9jazpwdw=="},
                                     {"Authorization": "Token abc"}])
def test_missing_or_malformed_credentials_are_401(headers: dict[str, str]) -> None:
    client = make_client("flowretail")
    before = state(client)
    response = client.post(ORDERS, headers=headers, json=NEW_ORDER)
    assert_error(response, 401, "UNAUTHORIZED")
    assert response.headers["www-authenticate"].startswith('Bearer realm="flowretail"')
    assert state(client) == before


def test_any_of_the_three_bearer_schemes_is_accepted_and_configured_tokens_restrict() -> None:
    assert auth_for("flowretail", "getServiceOrderReport") == {"Authorization": "Bearer mock-token"}
    client = make_client("flowretail", tokens=["integration-token-1"])
    assert client.get(f"{ORDERS}/{MAIN}", headers={"Authorization": "Bearer integration-token-1"}).status_code == 200
    refused = client.get(f"{ORDERS}/{MAIN}", headers={"Authorization": "Bearer someone-else"})
    assert "--token" in assert_error(refused, 401, "UNAUTHORIZED")["message"]
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]


# --- paging --------------------------------------------------------------------------------------------


def test_walking_the_pages_finds_every_order_once() -> None:
    client = make_client("flowretail")
    expected = {o["serviceOrderUid"] for o in records(client, "serviceOrders") if o["storeUid"] == STORE}
    for size in (1, 4, 10, 100):
        seen: list[str] = []
        number = 1
        while True:
            page = client.get(ORDERS, headers=AUTH, params={"pageNumber": number, "pageSize": size}).json()
            assert page["paging"] == {"pageNumber": number, "pageSize": size, "totalCount": len(expected)}
            if not page["items"]:
                break
            seen += [o["serviceOrderUid"] for o in page["items"]]
            number += 1
        assert len(seen) == len(set(seen)) and set(seen) == expected
        assert number == -(-len(expected) // size) + 1


def test_inserts_while_paging_do_not_shift_the_pages_already_read() -> None:
    client = make_client("flowretail")
    first = client.get(ORDERS, headers=AUTH, params={"pageSize": 5}).json()["items"]
    created = [create_order(client)["serviceOrderUid"] for _ in range(3)]
    again = client.get(ORDERS, headers=AUTH, params={"pageSize": 5}).json()["items"]
    assert again == first
    rest: list[str] = []
    number = 2
    while page := client.get(ORDERS, headers=AUTH, params={"pageSize": 5, "pageNumber": number}).json()["items"]:
        rest += [o["serviceOrderUid"] for o in page]
        number += 1
    seen = [o["serviceOrderUid"] for o in first] + rest
    assert len(seen) == len(set(seen)) == 23 + 3 and seen[-3:] == created


def test_sub_lists_page_too() -> None:
    client = make_client("flowretail")
    for name in ("Check 1", "Check 2", "Check 3"):
        client.post(f"{ORDERS}/{MAIN}/events", headers=AUTH, json={"title": name})
    page = client.get(f"{ORDERS}/{MAIN}/events", headers=AUTH, params={"pageSize": 2, "pageNumber": 2}).json()
    assert [e["title"] for e in page["items"]] == ["Check 2", "Check 3"]
    assert page["paging"] == {"pageNumber": 2, "pageSize": 2, "totalCount": 4}
    assert_error(client.get(ORDERS, headers=AUTH, params={"pageSize": 101}), 400, "VALIDATION_FAILED")
    assert_error(client.get(ORDERS, headers=AUTH, params={"pageNumber": 0}), 400, "VALIDATION_FAILED")


# --- the report ----------------------------------------------------------------------------------------


def check_pdf(content: bytes, *texts: bytes) -> None:
    """A parseable PDF: header, trailer, and an xref whose offsets point at the objects."""
    assert content.startswith(b"%PDF-1.7\n") and content.endswith(b"%%EOF\n")
    start = int(re.search(rb"startxref\n(\d+)\n", content).group(1))  # type: ignore[union-attr]
    assert content[start:].startswith(b"xref\n0 7\n")
    offsets = [int(line[:10]) for line in content[start:].split(b"\n")[3:9]]
    for number, offset in enumerate(offsets, start=1):
        assert content[offset:].startswith(f"{number} 0 obj\n".encode())
    length = int(re.search(rb"/Length (\d+) >>\nstream\n", content).group(1))  # type: ignore[union-attr]
    stream = content.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")
    for text in texts:
        assert text in content


def test_report_as_a_raw_file_or_as_base64_json() -> None:
    client = make_client("flowretail")
    raw = client.get(f"{ORDERS}/{MAIN}/report", headers={**AUTH, "Accept": "application/octet-stream"})
    assert raw.status_code == 200 and raw.headers["content-type"] == "application/octet-stream"
    assert 'filename="service-order-10452.pdf"' in raw.headers["content-disposition"]
    check_pdf(raw.content, b"Service order 10452", b"Brake service and gear tune-up", b"Johanna Berg",
              b"Grand total: 1 573.00 NOK")
    as_json = client.get(f"{ORDERS}/{MAIN}/report", headers={**AUTH, "Accept": "application/json"})
    assert as_json.headers["content-type"] == "application/json"
    body = as_json.json()
    assert (body["fileName"], body["contentType"]) == ("service-order-10452.pdf", "application/pdf")
    assert base64.b64decode(body["content"]) == raw.content


def test_report_of_a_new_order_carries_its_number_and_title() -> None:
    client = make_client("flowretail")
    order = create_order(client, title="Tubeless setup (front & rear)")
    raw = client.get(f"{ORDERS}/{order['serviceOrderUid']}/report",
                     headers={**AUTH, "Accept": "application/octet-stream"}).content
    check_pdf(raw, b"Service order 10459", b"Tubeless setup \\(front & rear\\)")


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "application/json"),
    ("*/*", "application/json"),
    ("application/*", "application/json"),
    ("text/html", "application/json"),  # no 406 in the spec: JSON rather than refusing
    ("application/pdf", "application/json"),
    ("application/octet-stream", "application/octet-stream"),
    ("application/octet-stream, */*;q=0.8", "application/octet-stream"),
    ("application/json;q=0.1, application/octet-stream", "application/octet-stream"),
    ("application/octet-stream;q=0.5, application/json;q=0.9", "application/json"),
    ("application/json;q=0, */*", "application/octet-stream"),
])
def test_report_form_follows_accept(accept: str | None, expected: str) -> None:
    assert negotiate(accept) == expected
    client = make_client("flowretail")
    headers = dict(AUTH) if accept is None else {**AUTH, "Accept": accept}
    response = client.get(f"{ORDERS}/{MAIN}/report", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == expected


# --- the spec's examples against the fixtures ------------------------------------------------------------

PATH_IDS = {"tenantUid": TENANT, "storeUid": STORE, "serviceOrderUid": MAIN,
            "serviceOrderItemUid": "si_QmkdaFEz29BK2MvXnwZEXd", "serviceEventUid": "se_Sg0pSmF3VwNc3Rb72zOofM",
            "serviceHoursUid": "sh_3YiLL5Ke8cR0sOWBe8q1cv", "serviceTypeUid": REPAIR,
            "serviceStatusUid": "ss_VEV7QftRfXjz7bQ278tjjY", "hourlyRateUid": "hr_Ot6MhqeBqPwzJjiuGGUAIT",
            "publicPageHash": "esBBo-nmIUHGIhAb0gN98Nr9HzGvfNxA"}
OPERATIONS = [(method, path, op) for path, method, op in iter_operations(SPEC)]


def example_of(content: dict[str, Any]) -> Any:
    return next(iter(content.values())).get("example")


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=[o[2]["operationId"] for o in OPERATIONS])
def test_requests_built_from_the_spec_examples_work(method: str, path: str, operation: dict[str, Any]) -> None:
    client = make_client("flowretail")
    body = example_of(operation["requestBody"]["content"]) if "requestBody" in operation else None
    response = client.request(method.upper(), BASE + path.format(**PATH_IDS), headers=AUTH, json=body)
    # This create example shows what made a fixture record, so replaying it meets that record: the item
    # it bills is the one the order example shows billed already.
    if operation["operationId"] == "createServiceOrderSalesOrder":
        assert_error(response, 409, "ITEM_ALREADY_BILLED")
        return
    assert response.status_code < 300, response.text


READS = {  # operationId whose 200 example shows fixture records exactly
    "getServiceOrder": None, "getServiceOrderByPublicPageHash": None, "getServiceOrderEvent": None,
    "getServiceOrderHours": None, "listServiceOrderEvents": "items", "listServiceOrderHours": "items",
    "listServiceOrderNotifications": "items", "listServiceOrderSalesOrders": "items", "listServiceTypes": "items",
    "listServiceStatuses": "items", "listHourlyRates": "items", "listServiceOrders": "items",
}


@pytest.mark.parametrize(("method", "path", "operation"),
                         [o for o in OPERATIONS if o[2]["operationId"] in READS],
                         ids=[o[2]["operationId"] for o in OPERATIONS if o[2]["operationId"] in READS])
def test_the_spec_example_records_are_in_the_fixtures(method: str, path: str, operation: dict[str, Any]) -> None:
    client = make_client("flowretail")
    example = example_of(operation["responses"]["200"]["content"])
    answer = client.get(BASE + path.format(**PATH_IDS), headers=AUTH, params={"pageSize": 100}).json()
    if READS[operation["operationId"]] is None:
        assert answer == example
    else:
        for record in example["items"]:
            assert record in answer["items"]
