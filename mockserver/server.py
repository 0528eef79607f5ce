"""The HTTP/1.1 protocol the mock serves with: uvicorn's httptools protocol, refusing in JSON.

uvicorn answers a request it cannot parse (bad Content-Length or chunking, control characters in
headers, a URL llhttp cannot split) with a fixed plain-text 400, and has no limit on the size of the
header section. This subclass answers 400, 414 (URL over 64 KiB) and 431 (headers over 64 KiB) in the
error envelope of the API the URL names, and makes sure that the application never sees a body that
broke off as complete: the request's cycle is marked disconnected, so its body reads end in
`http.disconnect`, which the request checks refuse.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping
from urllib.parse import unquote

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from mockserver.errors import Malformed, MockError, StatusError
from mockserver.http import AllowTable, ErrorDispatcher, dump_json, route_priority
from mockserver.sessions import split_prefix
from mockserver.spec import iter_operations, load_spec, mock_base_path, path_regex
from mockserver.vendors.base import Vendor

logger = logging.getLogger("uvicorn.error")

MAX_URL_BYTES = 65_535  # the most llhttp's URL splitter takes (its offsets are 16 bits)
MAX_HEADER_BYTES = 65_536  # all header lines together
LINGER_SECONDS = 2.0  # how long a refused connection stays open for the client to read the answer

# (method, path: None when unknown, status, detail) -> (body, media type)
Render = Callable[[str | None, str | None, int, str], tuple[bytes, str]]


class Refused(Exception):
    """Raised from a parser callback: the request is over a limit."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def refusal_of(error: BaseException | None) -> tuple[int, str]:
    """The status and detail for what the parser raised (a callback's exception is its context)."""
    cause = error.__context__ if error is not None else None
    if isinstance(cause, Refused):
        return cause.status, cause.detail
    reason = str(cause or error or "unreadable request")
    return 400, f"the request is not valid HTTP/1.1 ({reason}); nothing was changed; fix the request line, " \
                "headers or body framing (Content-Length or chunked encoding)"


class Operations:
    """Which operation a method and path name, for refusals made before any routing."""

    def __init__(self, vendors: Mapping[str, Vendor]) -> None:
        self.rows: list[tuple[re.Pattern[str], str, str]] = []
        for slug, vendor in vendors.items():
            spec = load_spec(vendor.spec_path)
            base = re.escape(mock_base_path(slug, spec))
            for path, method, operation in sorted(iter_operations(spec), key=lambda row: route_priority(row[0])):
                self.rows.append((re.compile(f"^{base}{path_regex(path)}$"), method.upper(), operation["operationId"]))

    def find(self, method: str | None, path: str) -> str | None:
        return next((operation_id for pattern, verb, operation_id in self.rows
                     if verb == method and pattern.match(path)), None)


def renderer(vendors: Mapping[str, Vendor]) -> Render:
    """Renders a refusal as the ErrorDispatcher renders any error: in the envelope of the path's API and
    operation (Jifeline's token endpoint answers as OAuth2 does)."""
    dispatcher = ErrorDispatcher(vendors, AllowTable())
    operations = Operations(vendors)

    def render(method: str | None, path: str | None, status: int, detail: str) -> tuple[bytes, str]:
        if path:
            path = split_prefix(path)[1]  # /_session/NAME/bobdesk/... is Bob! Desk's
        vendor = dispatcher.vendor_for(path) if path else None
        operation_id = operations.find(method, path) if path else None
        error: MockError = Malformed(detail) if status == 400 else StatusError(status, detail)
        body, media_type = dispatcher.render(vendor, dispatcher.report(vendor, error, operation_id))
        return dump_json(body), media_type

    return render


class RefusingProtocol(HttpToolsProtocol):
    """HttpToolsProtocol with JSON refusals, a URL limit and a header-size limit."""

    render: Render

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.header_bytes = 0
        self.refused = False  # the parser failed: the rest of the connection is read and dropped
        self.refusal: bytes | None = None  # the answer, until the earlier (pipelined) requests have theirs

    # Parser callbacks: count, then let uvicorn do its part.
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.header_bytes = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_URL_BYTES:
            raise Refused(414, f"the URL is over {MAX_URL_BYTES} bytes; send long criteria in a body where the API "
                               "allows one, or fewer query parameters")

    def on_header(self, name: bytes, value: bytes) -> None:
        self.header_bytes += len(name) + len(value) + 4  # as sent: "name: value\r\n"
        if self.header_bytes > MAX_HEADER_BYTES:
            raise Refused(431, f"the header fields are over {MAX_HEADER_BYTES} bytes together; send fewer or "
                               "shorter headers")
        super().on_header(name, value)

    def data_received(self, data: bytes) -> None:
        """uvicorn's, except that a parser error is refused here instead of in plain text."""
        if self.refused:
            return
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self.refuse(*refusal_of(exc))
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()

    def refuse(self, status: int, detail: str) -> None:
        self.refused = True
        logger.warning("refused a malformed request with %d: %s", status, detail)
        owner = self.cycle if self.cycle is not None and self.cycle.more_body else None
        if owner is not None and owner.response_started:
            self.refusal = b""  # the broken request was answered already: only close
        else:
            if owner is not None:
                # The broken bytes belong to this request's body: its reads end in http.disconnect.
                owner.disconnected = True
                owner.message_event.set()
            self.refusal = self.refusal_bytes(status, detail)
        self.answer_when_idle()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self.answer_when_idle()

    def answer_when_idle(self) -> None:
        """Send the refusal and close, once every earlier (pipelined) request has its answer."""
        if self.refusal is None or self.pipeline or self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and not (cycle.response_complete or cycle.disconnected):
            return
        answer, self.refusal = self.refusal, None
        self.transport.write(answer)
        if not self.transport.can_write_eof():
            self.transport.close()
            return
        # Closing while the client still sends would reset the connection and could destroy the answer
        # before it is read: end the writing side, drop what still comes, close after a grace period.
        self.transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)

    def request_line(self) -> tuple[str | None, str | None]:
        """The method and path of the request being parsed, as far as they were read."""
        try:
            method: str | None = self.parser.get_method().decode("latin-1")
        except Exception:  # nothing of the request line was read
            method = None
        url = getattr(self, "url", b"")
        if not url.startswith(b"/"):
            return method, None
        return method, unquote(url.split(b"?", 1)[0].decode("latin-1"))

    def refusal_bytes(self, status: int, detail: str) -> bytes:
        body, media_type = self.render(*self.request_line(), status, detail)
        head = [STATUS_LINE[status]]
        head += [name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers]
        head += [b"content-type: " + media_type.encode("latin-1") + b"\r\n",
                 b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                 b"connection: close\r\n", b"\r\n"]
        return b"".join(head) + body


def protocol_for(vendors: Mapping[str, Vendor]) -> type[RefusingProtocol]:
    """The protocol class to pass to uvicorn as `http=`, refusing in these vendors' envelopes."""
    return type("MockHttpProtocol", (RefusingProtocol,), {"render": staticmethod(renderer(vendors))})


class WorkerProtocol(RefusingProtocol):
    """The protocol of `serve --workers N` worker processes, which uvicorn imports by name: it renders
    refusals for the APIs the worker serves (read once from serve's options)."""

    @staticmethod
    def render(method: str | None, path: str | None, status: int, detail: str) -> tuple[bytes, str]:
        return _worker_render()(method, path, status, detail)


@functools.cache
def _worker_render() -> Render:
    import json
    import os

    from mockserver.vendors import SLUGS, get_vendor

    params = json.loads(os.environ.get("TICKETMOCK_WORKER_OPTIONS", "{}"))
    return renderer({slug: get_vendor(slug) for slug in (params.get("api_slugs") or SLUGS)})
