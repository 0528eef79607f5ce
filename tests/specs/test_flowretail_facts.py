"""Documented Flow Retail facts that the spec must keep.

Sources: https://docs.flowretail.com/api/service and its linked pages.

Tags: [S4] the seed page (Service page text), [API] docs.flowretail.com/api/service and its embedded OpenAPI
document, [DEV] the earlier developers/api-documentation/service page, [AUTH] the authentication page, [OH] the
order-handling page (shared paging and sort parameters), [SHIP] the ServiceShipment page, [CFG] the config page.
"""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.spec import iter_operations
from tests.helpers import lookup, resolve_ref, spec_of

SPEC = spec_of("flowretail")
ORDERS = "/tenants/{tenantUid}/stores/{storeUid}/serviceorders"
ORDER = ORDERS + "/{serviceOrderUid}"
SEARCH = ORDERS + "/search"
PUBLIC = ORDERS + "/publicpage/{publicPageHash}"
ITEM = ORDER + "/items/{serviceOrderItemUid}"
EVENT = ORDER + "/events/{serviceEventUid}"
HOURS = ORDER + "/hours/{serviceHoursUid}"
TYPE = "/tenants/{tenantUid}/servicetypes/{serviceTypeUid}"
STATUS = "/tenants/{tenantUid}/servicestatuses/{serviceStatusUid}"
RATES = "/tenants/{tenantUid}/hourlyrates"
RATE = RATES + "/{hourlyRateUid}"

UID_PATTERN = "^[A-Za-z0-9-_]+"
OPTIONAL_UID_PATTERN = "^[A-Za-z0-9-_]*"
JSON = "application/json"
LIST_200 = ("paths", ORDERS, "get", "responses", "200", "content", JSON, "schema")
ORDER_SCHEMA = ("paths", ORDER, "get", "responses", "200", "content", JSON, "schema")
ANY_TOKEN = [{"accessToken": []}, {"authToken": []}, {"integrationToken": []}]


def body(path: str, method: str) -> tuple[str, ...]:
    return ("paths", path, method, "requestBody", "content", JSON, "schema")


def param(path: str, name: str, *rest: str, method: str | None = None) -> tuple[str, ...]:
    where: tuple[str, ...] = ("paths", path, method) if method else ("paths", path)
    return (*where, "parameters", f"name={name}", *rest)


FACTS: list[tuple[str, tuple[str | int, ...], Any]] = [
    # servers and security
    ("API production server", ("servers", 0, "url"), "https://api.flowretail.com/v2"),
    ("API stage server", ("servers", 1, "url"), "https://api.stage.flowretail.com/v2"),
    ("API list is secured by any one of three tokens", ("paths", ORDERS, "get", "security"), ANY_TOKEN),
    ("API accessToken is http bearer", ("components", "securitySchemes", "accessToken", "scheme"), "bearer"),
    ("API accessToken description", ("components", "securitySchemes", "accessToken", "description"),
     "Access token recevied after user login with a deviceToken"),
    ("API authToken description", ("components", "securitySchemes", "authToken", "description"),
     "Token received from the auth service"),
    ("AUTH integrationToken is a bearer token", ("components", "securitySchemes", "integrationToken", "scheme"),
     "bearer"),
    # path parameters
    ("S4 tenantUid pattern", param(ORDERS, "tenantUid", "schema", "pattern"), UID_PATTERN),
    ("S4 storeUid pattern", param(ORDERS, "storeUid", "schema", "pattern"), UID_PATTERN),
    ("S4 serviceOrderUid pattern", param(ORDER, "serviceOrderUid", "schema", "pattern"), UID_PATTERN),
    ("S4 service order item uid pattern", param(ITEM, "serviceOrderItemUid", "schema", "pattern"), UID_PATTERN),
    ("S4 service event uid pattern", param(EVENT, "serviceEventUid", "schema", "pattern"), UID_PATTERN),
    ("S4 service hours uid pattern", param(HOURS, "serviceHoursUid", "schema", "pattern"), UID_PATTERN),
    ("S4 service type uid pattern", param(TYPE, "serviceTypeUid", "schema", "pattern"), UID_PATTERN),
    ("S4 service status uid pattern", param(STATUS, "serviceStatusUid", "schema", "pattern"), UID_PATTERN),
    ("S4 hourly rate uid pattern", param(RATE, "hourlyRateUid", "schema", "pattern"), UID_PATTERN),
    ("S4 tenantUid description", param(ORDERS, "tenantUid", "description"), "Reference to a tenant."),
    # paging and sorting
    ("OH pageNumber is an integer", param(ORDERS, "pageNumber", "schema", "type", method="get"), "integer"),
    ("OH pageSize is an integer", param(ORDERS, "pageSize", "schema", "type", method="get"), "integer"),
    ("OH sortBy is a string", param(ORDERS, "sortBy", "schema", "type", method="get"), "string"),
    ("OH sortDirection is ASC/DESC", param(ORDERS, "sortDirection", "schema", "enum", method="get"), ["ASC", "DESC"]),
    ("OH sortDirection style form", param(ORDERS, "sortDirection", "style", method="get"), "form"),
    ("OH sortDirection explode false", param(ORDERS, "sortDirection", "explode", method="get"), False),
    ("DEV list sorts by serviceOrderUid by default", param(ORDERS, "sortBy", "schema", "default", method="get"),
     "serviceOrderUid"),
    ("DEV serviceTypeUids filter is a string array",
     param(ORDERS, "serviceTypeUids", "schema", "items", "type", method="get"), "string"),
    ("DEV assignedUserUids filter is an array", param(ORDERS, "assignedUserUids", "schema", "type", method="get"),
     "array"),
    ("DEV createdFromStoreUids filter is an array",
     param(ORDERS, "createdFromStoreUids", "schema", "type", method="get"), "array"),
    # list envelope
    ("API list envelope requires items and paging", (*LIST_200, "required"), ["items", "paging"]),
    ("API list items are service orders", (*LIST_200, "properties", "items", "items", "title"),
     "ServiceOrderResponseSchema"),
    # service order
    ("API service order schema title", (*ORDER_SCHEMA, "title"), "ServiceOrderResponseSchema"),
    ("API serviceOrderUid is a UID", (*ORDER_SCHEMA, "properties", "serviceOrderUid", "allOf", 0, "pattern"),
     UID_PATTERN),
    ("API tenantUid is a UID", (*ORDER_SCHEMA, "properties", "tenantUid", "pattern"), UID_PATTERN),
    ("API orderProductLineUid is a UID", (*ORDER_SCHEMA, "properties", "orderProductLineUid", "pattern"),
     UID_PATTERN),
    ("DEV requiresPriceEstimate is boolean", (*ORDER_SCHEMA, "properties", "requiresPriceEstimate", "type"),
     "boolean"),
    ("DEV estimatedPrice is a number", (*ORDER_SCHEMA, "properties", "estimatedPrice", "type"), "number"),
    ("DEV createdAt is date-time", (*ORDER_SCHEMA, "properties", "createdAt", "format"), "date-time"),
    ("DEV readyAtNeeded is date-time", (*ORDER_SCHEMA, "properties", "readyAtNeeded", "format"), "date-time"),
    ("DEV totals fields", (*ORDER_SCHEMA, "properties", "totals", "required"),
     ["grandTotal", "partsTotal", "workTotal"]),
    # bodies and answers shown by the seed
    ("S4 delete service order answers No Content", ("paths", ORDER, "delete", "responses", "204", "description"),
     "No Content"),
    ("S4 delete item answers No Content", ("paths", ITEM, "delete", "responses", "204", "description"),
     "No Content"),
    ("S4 delete event answers No Content", ("paths", EVENT, "delete", "responses", "204", "description"),
     "No Content"),
    ("S4 delete hours answers No Content", ("paths", HOURS, "delete", "responses", "204", "description"),
     "No Content"),
    ("S4 update order has a ^[A-Za-z0-9-_]+ uid", (*body(ORDER, "put"), "properties", "serviceTypeUid", "pattern"),
     UID_PATTERN),
    ("S4 update event uid field pattern", (*body(EVENT, "put"), "properties", "tenantUserUid", "pattern"),
     UID_PATTERN),
    ("S4 update hours uid field pattern", (*body(HOURS, "put"), "properties", "hourlyRateUid", "pattern"),
     OPTIONAL_UID_PATTERN),
    ("S4 create hourly rate uid field pattern", (*body(RATES, "post"), "properties", "hourlyRateUid", "pattern"),
     OPTIONAL_UID_PATTERN),
    ("S4 create sales order customer uid pattern",
     (*body(ORDER + "/salesorders", "post"), "properties", "customerUid", "pattern"), UID_PATTERN),
    ("S4 search createdFrom is a date", (*body(SEARCH, "post"), "properties", "createdFrom", "format"), "date"),
    ("S4 search createdTo is a date", (*body(SEARCH, "post"), "properties", "createdTo", "format"), "date"),
    ("S4 search createdFrom is GTE", (*body(SEARCH, "post"), "properties", "createdFrom", "description"),
     "GTE date, e.g. 2006-05-04"),
    ("S4 search createdTo is LTE", (*body(SEARCH, "post"), "properties", "createdTo", "description"),
     "LTE date, e.g. 2006-05-04"),
    ("S4 report as a binary file", ("paths", ORDER + "/report", "get", "responses", "200", "content",
                                    "application/octet-stream", "schema", "format"), "binary"),
    ("S4 report as base64 in JSON", ("paths", ORDER + "/report", "get", "responses", "200", "content", JSON,
                                     "schema", "properties", "content", "format"), "byte"),
]


@pytest.mark.parametrize(("fact", "keys", "expected"), FACTS, ids=[f[0] for f in FACTS])
def test_documented_fact(fact: str, keys: tuple[str | int, ...], expected: Any) -> None:
    assert lookup(SPEC, *keys) == expected


# The 32 operations on the vendor's Service page, by their vendor summaries [S4].
VENDOR_SUMMARIES = {
    "List all service-orders for a tenant store", "Create a new service-order",
    "Get the data for a given service-order", "Update data on a given service-order",
    "Delete a given service-order", "Add a new service-order item", "Update a service-order item",
    "Delete a service-order item", "List all events for a service order", "Create a new service-order event",
    "Get a service-order event", "Update a service-order event", "Delete a service-order event",
    "List hours for a service-order", "Create new hours entry for a service-order", "Get a service hours entry",
    "Update a service hours entry", "Delete a service hours entry", "List notifications for a service-order",
    "List service types", "Update a service type", "Get a list of statuses for a service order",
    "Create a new service status", "Update a given service status", "Get a service order by the public page hash",
    "List sales orders for a service-order", "Create sales order for a service-order",
    "Get reports for service-orders", "List hourly rates", "Create a new hourly rate", "Update hourly rate",
    "Search for service orders",
}


def test_s4_every_service_operation_is_present() -> None:
    summaries = [op["summary"] for _, _, op in iter_operations(SPEC)]
    assert len(summaries) == 32
    assert set(summaries) == VENDOR_SUMMARIES


def test_dev_list_path_is_the_documented_one() -> None:
    assert lookup(SPEC, "paths", ORDERS, "get", "operationId") == "listServiceOrders"
    assert "x-provenance" not in lookup(SPEC, "paths", ORDERS, "get")


def test_api_every_operation_takes_any_of_the_three_tokens() -> None:
    assert all(op["security"] == ANY_TOKEN for _, _, op in iter_operations(SPEC))


def test_api_service_order_required_fields() -> None:
    required = lookup(SPEC, *ORDER_SCHEMA, "required")
    seed = {
        "serviceOrderUid", "tenantUid", "storeUid", "orderProductLineUid", "orderUid", "customerUid",
        "createdFromStoreUid", "assignedUserUid", "assignedUserDisplayName", "serviceTypeUid", "serviceTypeName",
        "serviceStatusUid", "serviceStatusName", "serviceState", "title", "serviceNumber", "externalServiceNumber",
        "description", "locationLabel", "priority", "requiresPriceEstimate", "estimatedPrice", "maxPrice",
        "readyAtEstimate", "readyAtNeeded", "publicPageHash", "warranty", "createdAt", "createdBy",
        "lastModifiedAt", "lastModifiedBy", "totals", "items", "assets",
    }
    newer = {"rmaOrderItemUid", "rmaOrderUid"}  # added by the current [API] page
    assert set(required) == seed | newer
    assert set(required) == set(lookup(SPEC, *ORDER_SCHEMA, "properties"))


def test_dev_example_enum_values_are_allowed() -> None:
    assert "NOT_STARTED" in lookup(SPEC, *ORDER_SCHEMA, "properties", "serviceState", "enum")
    assert "NONE" in lookup(SPEC, *ORDER_SCHEMA, "properties", "priority", "enum")
    assert "NONE" in lookup(SPEC, *body(ORDER, "put"), "properties", "priority", "enum")  # [S4]


def test_dev_service_order_item_fields() -> None:
    item = lookup(SPEC, *ORDER_SCHEMA, "properties", "items", "items", "properties")
    numbers = {"quantity", "price", "costPrice", "originalPrice", "totalPrice", "totalCostPrice"}
    strings = {"serviceOrderItemUid", "serviceOrderUid", "warehouseUid", "tenantUserUid", "productUid",
               "salesOrderUid", "name", "sku", "serialNumber", "note", "tenantUserDisplayName"}
    assert {name for name in numbers if item[name]["type"] == "number"} == numbers
    assert {name for name in strings if item[name]["type"] == "string"} == strings
    assert item["createdAt"]["format"] == "date-time"


def test_dev_cfg_paging_fields() -> None:
    paging = lookup(SPEC, *LIST_200, "properties", "paging", "properties")
    assert {name: field["type"] for name, field in paging.items()} == {
        "pageNumber": "integer", "pageSize": "integer", "totalCount": "integer"}


def test_s4_sales_orders_and_hourly_rates_lists_page_without_sorting() -> None:
    for path in (ORDER + "/salesorders", RATES):
        names = {resolve_ref(SPEC, p)["name"] for p in lookup(SPEC, "paths", path, "get", "parameters")}
        assert names == {"pageNumber", "pageSize"}


def test_s4_public_page_hash_has_no_pattern() -> None:
    assert "pattern" not in lookup(SPEC, *param(PUBLIC, "publicPageHash", "schema"))


def test_s4_report_media_types() -> None:
    content = lookup(SPEC, "paths", ORDER + "/report", "get", "responses", "200", "content")
    assert set(content) == {"application/octet-stream", JSON}


def test_s4_sales_order_invoice_address_is_optional() -> None:
    schema = lookup(SPEC, *body(ORDER + "/salesorders", "post"))
    assert "invoiceAddress" in schema["properties"]
    assert "invoiceAddress" not in schema["required"]
