"""Flow Retail API v2, Service: a tenant's service orders with items, events, hours and their configuration.

The handlers live in `orders`, `lines` (what hangs under an order), `config` (types, statuses, hourly
rates) and `report`; the serviceState rules in `rules`. What the vendor does not document is done as the
spec's `x-provenance: inferred` notes say: totals from items and hours, serviceState from the status,
409 for closed orders, the error body.
"""

from __future__ import annotations

import re
from typing import Any

from mockserver.errors import ErrorReport
from mockserver.vendors.base import JSON, CollectionSpec, Context, Handler, Vendor
from mockserver.vendors.flowretail import config, lines, orders
from mockserver.vendors.flowretail.common import finite_body
from mockserver.vendors.flowretail.report import get_service_order_report
from mockserver.vendors.flowretail.rules import WORKFLOW


def owned_by_tenant(component: str) -> dict[str, Any]:
    return {"allOf": [{"$ref": f"#/components/schemas/{component}"},
                      {"required": ["$tenantUid"], "properties": {"$tenantUid": {"type": "string"}}}]}


def reference(key: str, required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    """Reference data the API never returns whole: a uid key, its tenant and a few fields."""
    return {"type": "object", "additionalProperties": False, "required": [key, "$tenantUid", *required],
            "properties": {key: {"$ref": "#/components/schemas/UID"}, "$tenantUid": {"type": "string"},
                           **properties}}


TEXT = {"type": "string"}
COLLECTIONS = (  # the service orders first: the core takes the first collection as the vendor's main one
    CollectionSpec("serviceOrders", "serviceOrderUid", "ServiceOrderResponseSchema", unique=("publicPageHash",),
                   orders=orders.SERVICE_ORDER_ORDERS),
    CollectionSpec("tenants", "tenantUid", {
        "type": "object", "additionalProperties": False, "required": ["tenantUid", "name", "currency"],
        "properties": {"tenantUid": {"$ref": "#/components/schemas/UID"}, "name": TEXT,
                       "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}}}),
    CollectionSpec("stores", "storeUid", reference("storeUid", ["name", "address", "postalCode", "city"], {
        "name": TEXT, "address": TEXT, "postalCode": TEXT, "city": TEXT})),
    CollectionSpec("users", "tenantUserUid", reference("tenantUserUid", ["displayName", "email", "role"], {
        "displayName": TEXT, "email": TEXT, "role": {"enum": ["ADMIN", "STAFF", "MECHANIC", "INTEGRATION"]}})),
    CollectionSpec("customers", "customerUid", reference("customerUid", ["name", "email", "phone"], {
        "name": TEXT, "email": {"type": "string", "nullable": True}, "phone": {"type": "string", "nullable": True}})),
    CollectionSpec("serviceTypes", "serviceTypeUid", owned_by_tenant("ServiceType")),
    CollectionSpec("serviceStatuses", "serviceStatusUid", owned_by_tenant("ServiceStatus")),
    CollectionSpec("hourlyRates", "hourlyRateUid", owned_by_tenant("HourlyRate")),
    CollectionSpec("events", "serviceEventUid", "ServiceEvent", groups=("serviceOrderUid",)),
    CollectionSpec("hours", "serviceHoursUid", "ServiceHours", groups=("serviceOrderUid",)),
    CollectionSpec("notifications", "notificationUid", {
        "allOf": [{"$ref": "#/components/schemas/Notification"},
                  {"required": ["$serviceOrderUid"], "properties": {"$serviceOrderUid": {"type": "string"}}}]},
        groups=("$serviceOrderUid",)),
    CollectionSpec("salesOrders", "salesOrderUid", "SalesOrder", groups=("serviceOrderUid",)),
)


def render_error(report: ErrorReport) -> tuple[dict[str, Any], str]:
    """The spec's Error body: the status, an UPPER_SNAKE code, the message and per-field errors."""
    code = re.sub(r"[^A-Z0-9_]", "_", report.code.upper()) or "ERROR"
    body: dict[str, Any] = {"status": report.status, "code": code if code[0].isalpha() else f"E{code}",
                            "message": report.detail}
    if report.fields:
        body["errors"] = [{"field": f.field, "message": f.message} for f in report.fields]
    return body, JSON


def prepare(context: Context) -> None:
    """Numbers only grow: start each tenant's service and sales order numbers after the fixtures' highest."""
    store = context.store
    by_uid = {o["serviceOrderUid"]: o["tenantUid"] for o in store["serviceOrders"]}
    for order in store["serviceOrders"]:
        if order["serviceNumber"].isdigit():
            store.raise_counter(f"serviceNumber:{order['tenantUid']}", int(order["serviceNumber"]))
    for sales_order in store["salesOrders"]:
        tenant = by_uid.get(sales_order["serviceOrderUid"])
        if tenant is not None and sales_order["orderNumber"].isdigit():
            store.raise_counter(f"salesOrderNumber:{tenant}", int(sales_order["orderNumber"]))


HANDLERS: dict[str, Handler] = {
    "listServiceOrders": orders.list_service_orders,
    "createServiceOrder": orders.create_service_order,
    "searchServiceOrders": orders.search_service_orders,
    "getServiceOrderByPublicPageHash": orders.get_service_order_by_public_page_hash,
    "getServiceOrder": orders.get_service_order,
    "updateServiceOrder": orders.update_service_order,
    "deleteServiceOrder": orders.delete_service_order,
    "getServiceOrderReport": get_service_order_report,
    "addServiceOrderItem": lines.add_service_order_item,
    "updateServiceOrderItem": lines.update_service_order_item,
    "deleteServiceOrderItem": lines.delete_service_order_item,
    "listServiceOrderEvents": lines.list_service_order_events,
    "createServiceOrderEvent": lines.create_service_order_event,
    "getServiceOrderEvent": lines.get_service_order_event,
    "updateServiceOrderEvent": lines.update_service_order_event,
    "deleteServiceOrderEvent": lines.delete_service_order_event,
    "listServiceOrderHours": lines.list_service_order_hours,
    "createServiceOrderHours": lines.create_service_order_hours,
    "getServiceOrderHours": lines.get_service_order_hours,
    "updateServiceOrderHours": lines.update_service_order_hours,
    "deleteServiceOrderHours": lines.delete_service_order_hours,
    "listServiceOrderNotifications": lines.list_service_order_notifications,
    "listServiceOrderSalesOrders": lines.list_service_order_sales_orders,
    "createServiceOrderSalesOrder": lines.create_service_order_sales_order,
    "listServiceTypes": config.list_service_types,
    "updateServiceType": config.update_service_type,
    "listServiceStatuses": config.list_service_statuses,
    "createServiceStatus": config.create_service_status,
    "updateServiceStatus": config.update_service_status,
    "listHourlyRates": config.list_hourly_rates,
    "createHourlyRate": config.create_hourly_rate,
    "updateHourlyRate": config.update_hourly_rate,
}

VENDOR = Vendor(
    slug="flowretail",
    title="Flow Retail",
    # Bodies may carry NaN or 1e999 (Python's JSON reader takes them); no handler ever sees one.
    handlers={operation: finite_body(handler) for operation, handler in HANDLERS.items()},
    collections=COLLECTIONS,
    render_error=render_error,
    workflow=WORKFLOW,
    prepare=prepare,
    curl_path="/tenants/tn_g3GZGwEVRpqenUV8HJ0d1n/stores/st_tKg5kVrNp6Tq6wGg3sCka8/serviceorders",
)
