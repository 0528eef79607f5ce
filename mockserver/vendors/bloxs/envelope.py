"""Bloxs's error envelope: ASP.NET Core (Validation)ProblemDetails served as application/problem+json."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from mockserver.errors import ErrorReport, FieldError

PROBLEM_JSON = "application/problem+json"
VALIDATION_TITLE = "One or more validation errors occurred."

# The `type` URL ASP.NET Core (8+) puts on a problem per status (ProblemDetailsDefaults).
TYPE_URLS: dict[int, str] = {
    400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    401: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
    403: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
    404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    405: "https://tools.ietf.org/html/rfc9110#section-15.5.6",
    406: "https://tools.ietf.org/html/rfc9110#section-15.5.7",
    408: "https://tools.ietf.org/html/rfc9110#section-15.5.9",
    409: "https://tools.ietf.org/html/rfc9110#section-15.5.10",
    412: "https://tools.ietf.org/html/rfc9110#section-15.5.13",
    413: "https://tools.ietf.org/html/rfc9110#section-15.5.14",
    415: "https://tools.ietf.org/html/rfc9110#section-15.5.16",
    422: "https://tools.ietf.org/html/rfc9110#section-15.5.21",
    426: "https://tools.ietf.org/html/rfc9110#section-15.5.22",
    429: "https://tools.ietf.org/html/rfc6585#section-4",
    500: "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    502: "https://tools.ietf.org/html/rfc9110#section-15.6.3",
    503: "https://tools.ietf.org/html/rfc9110#section-15.6.4",
    504: "https://tools.ietf.org/html/rfc9110#section-15.6.5",
}

# Titles as ASP.NET Core words them where Python's HTTPStatus phrase differs.
TITLES: dict[int, str] = {
    400: VALIDATION_TITLE,
    413: "Payload Too Large",
    500: "An error occurred while processing your request.",
}

REQUIRED = re.compile(r"^'(?P<name>[^']+)' is a required property$")
BODY = "$"  # System.Text.Json's name for the request body as a whole


def trace_id(report: ErrorReport) -> str:
    """A W3C trace id as ASP.NET Core shows it (`00-<trace>-<span>-00`), derived from the report.

    The report carries no ids of the mock, so the value is a hash: the same error gives the same
    traceId in every run, which keeps tests and recorded sessions reproducible.
    """
    seed = "|".join([str(report.status), report.operation_id or "", report.detail,
                     *(f"{f.field}={f.message}" for f in report.fields)])
    digest = hashlib.sha256(seed.encode("utf-8", "surrogatepass")).hexdigest()  # any text hashes
    return f"00-{digest[:32]}-{digest[32:48]}-00"


def error_entry(problem: FieldError) -> tuple[str, str]:
    """(field name, message) for `errors`: the body's JSON names; a missing field under its own name."""
    missing = REQUIRED.match(problem.message)
    if missing:
        name, field = missing["name"], problem.field
        # The core names the missing property in `field`; the message is the authority on which one
        # (several required errors of one object may all carry the first missing name).
        if field in ("(body)", ""):
            key = name
        elif field == name or field.endswith(f".{name}"):
            key = field
        else:
            key = f"{field.rsplit('.', 1)[0]}.{name}" if "." in field else name
        return key, f"The {key} field is required."
    field = BODY if problem.field in ("(body)", "") else problem.field
    return field, problem.message


def render_error(report: ErrorReport) -> tuple[dict[str, Any], str]:
    """Every error, the token endpoint's included, as (Validation)ProblemDetails.

    400 carries `errors` (field -> messages) and no `detail`, as ASP.NET's model validation does;
    other statuses carry no `errors` but a `detail` naming what went wrong and how to fix it.
    """
    body: dict[str, Any] = {
        "type": TYPE_URLS.get(report.status, "about:blank"),
        "title": TITLES.get(report.status, report.title),
        "status": report.status,
    }
    if report.status == 400:
        errors: dict[str, list[str]] = {}
        for problem in report.fields or (FieldError("(body)", report.detail),):
            field, message = error_entry(problem)
            errors.setdefault(field, []).append(message)
        body["errors"] = errors
    else:
        body["detail"] = report.detail
    body["traceId"] = trace_id(report)
    return body, PROBLEM_JSON
