"""Jifeline's error shapes: problem+json for the API, the RFC 6749 error object at the token endpoint."""

from __future__ import annotations

from typing import Any

from mockserver.errors import ErrorReport, FieldError
from mockserver.vendors.base import JSON

PROBLEM = "application/problem+json"
TOKEN_OPERATION = "createAccessToken"
# An error on `transition` itself can only be its oneOf failing, whose message says no more than that.
TRANSITION_SHAPES = (
    "send one of {type: outsource, product_ids: [at least one product uuid], provider_id: uuid, "
    "allow_customer_chat_write_access?: boolean, share_customer_information?: boolean}, {type: complete} "
    "or {type: cancel, cancel_reason_id: integer}"
)


def explain(field: FieldError) -> str:
    if field.field == "transition":
        return f"{field.message}; {TRANSITION_SHAPES}"
    return field.message


def detail_of(report: ErrorReport) -> str:
    """Every invalid field in one sentence (the problem document has no member for a list)."""
    if report.fields:
        return "; ".join(f"{f.field}: {explain(f)}" for f in report.fields)
    return report.detail


def oauth_error_code(report: ErrorReport) -> str:
    if report.status == 401:
        return "invalid_client"
    # The body schema allows only client_credentials, so a refused grant_type surfaces as its field error.
    if report.status == 400 and any(f.field == "grant_type" for f in report.fields):
        return "unsupported_grant_type"
    return "invalid_request"


def render_error(report: ErrorReport) -> tuple[dict[str, Any], str]:
    if report.operation_id == TOKEN_OPERATION:
        return {"error": oauth_error_code(report), "error_description": detail_of(report)}, JSON
    return {"status": report.status, "type": "about:blank", "title": report.title, "detail": detail_of(report)}, \
        PROBLEM
