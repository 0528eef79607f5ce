"""The service-order report: a one-page PDF, sent raw or base64 in JSON as the Accept header asks."""

from __future__ import annotations

import base64

from mockserver.store import Record
from mockserver.vendors.base import JSON, Call, Reply, ok
from mockserver.vendors.flowretail.common import decimal, order_of

OCTET = "application/octet-stream"
PAGE_LINES = 40  # what fits on an A4 page at 11 pt after the heading


def quality(accept: str, media_type: str) -> float:
    """The q-value the Accept header gives `media_type` (its most specific matching range wins)."""
    kind, _, sub = media_type.partition("/")
    best_specificity, best_q = -1, 0.0
    for entry in accept.split(","):
        media_range, *params = (part.strip() for part in entry.split(";"))
        range_kind, _, range_sub = media_range.lower().partition("/")
        if (range_kind, range_sub) == (kind, sub):
            specificity = 2
        elif (range_kind, range_sub) == (kind, "*"):
            specificity = 1
        elif (range_kind, range_sub) == ("*", "*"):
            specificity = 0
        else:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if specificity > best_specificity:
            best_specificity, best_q = specificity, q
    return best_q


def negotiate(accept: str | None) -> str:
    """The report form to send: the one Accept prefers; JSON when it has no preference or allows neither.

    A missing Accept, `*/*` or `application/*` leave the choice to the server, and JSON is what the rest
    of the API answers. An Accept that allows neither form also gets JSON: the spec declares no 406.
    """
    if not accept or not accept.strip():
        return JSON
    json_q, octet_q = quality(accept, JSON), quality(accept, OCTET)
    return OCTET if octet_q > json_q else JSON


def pdf_text(text: str) -> bytes:
    """A PDF string literal in WinAnsi encoding; characters it lacks become '?'."""
    flat = " ".join(text.split())
    raw = flat.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def build_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid PDF 1.7: one A4 page with a heading and lines of Helvetica, and a correct xref."""
    text = [b"BT", b"/F1 16 Tf", b"50 790 Td", pdf_text(title) + b" Tj", b"/F1 11 Tf", b"0 -28 Td"]
    for line in lines[:PAGE_LINES]:
        text += [pdf_text(line) + b" Tj", b"0 -16 Td"]
    stream = b"\n".join([*text, b"ET"])
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title " + pdf_text(title) + b" /Producer (ticketmock) >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def money(amount: float | int, currency: str) -> str:
    return f"{decimal(amount):,.2f} {currency}".replace(",", " ")


def report_lines(call: Call, order: Record) -> list[str]:
    store = call.store["stores"].get(order["storeUid"])
    customer = call.store["customers"].find(order["customerUid"])
    currency = call.store["tenants"].get(order["tenantUid"])["currency"]
    lines = [
        order["title"],
        f"Store: {store['name']}",
        f"Customer: {customer['name'] if customer else '-'}",
        f"Status: {order['serviceStatusName']} ({order['serviceState']})",
        f"Service type: {order['serviceTypeName']}",
        f"Created: {order['createdAt'][:10]}",
        "",
        "Parts",
    ]
    lines += [f"  {item['quantity']} x {item['name']}: {money(item['totalPrice'], currency)}"
              for item in order["items"]] or ["  none"]
    hours = call.store["hours"].group("serviceOrderUid", order["serviceOrderUid"])
    lines += ["", "Work"]
    lines += [f"  {h['hours']} h at {money(h['rate'], currency)}: {money(h['amount'], currency)}"
              for h in hours] or ["  none"]
    totals = order["totals"]
    lines += ["", f"Parts total: {money(totals['partsTotal'], currency)}",
              f"Work total: {money(totals['workTotal'], currency)}",
              f"Grand total: {money(totals['grandTotal'], currency)}"]
    return lines


def get_service_order_report(call: Call) -> Reply:
    order = order_of(call)
    file_name = f"service-order-{order['serviceNumber']}.pdf"
    content = build_pdf(f"Service order {order['serviceNumber']}", report_lines(call, order))
    if negotiate(call.headers.get("accept")) == OCTET:
        return Reply(200, content, OCTET, {"Content-Disposition": f'attachment; filename="{file_name}"'})
    return ok({"fileName": file_name, "contentType": "application/pdf",
               "content": base64.b64encode(content).decode("ascii")})
