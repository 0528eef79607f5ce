"""Every class of bad input the hardening review found, replayed against every API and the control API.

Each test asserts the same three things: no 5xx, the error in the API's own envelope, and every API's
state (the JSON of `GET /_ticketmock/apis/{slug}/state`, hashed) unchanged. What only a real server
sees (bodies that break off, malformed HTTP) is sent over raw sockets to a `ticketmock serve` process.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO

import httpx
import pytest

from tests.helpers import (
    CONTROL,
    SLUGS,
    ExampleRequest,
    ServerProcess,
    encode_body,
    error_shape_problems,
    example_requests,
    make_client,
    state_hash,
)

ALL = [request for slug in (*SLUGS, CONTROL) for request in example_requests(slug)]
JSON_BODIES = [request for request in ALL if request.media_type == "application/json"]
WRITES = [request for request in ALL if request.method not in ("GET", "HEAD")]
READS = [request for request in ALL if request.method == "GET"]
BIG = "__big_number__"  # stands for an integer literal json.dumps cannot write


def first_leaf(value: Any, kind: type | tuple[type, ...], path: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """The path of the first leaf of that type (bool excluded from numbers), depth first."""
    if isinstance(value, kind) and not isinstance(value, bool):
        return path
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        found = first_leaf(child, kind, (*path, key))
        if found is not None:
            return found
    return None


def with_value(body: Any, kind: type | tuple[type, ...], value: Any) -> tuple[Any, str]:
    """The body with its first leaf of `kind` replaced by `value` (or `value` added), and the field."""
    body = json.loads(json.dumps(body))
    path = first_leaf(body, kind)
    if not path:
        if isinstance(body, list):
            return [*body, value], f"[{len(body)}]"
        body = dict(body or {})
        body["note"] = value
        return body, "note"
    node = body
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return body, "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path).lstrip(".")


def with_member(body: Any, name: str) -> Any:
    return [*body, {name: 1}] if isinstance(body, list) else {**(body or {}), name: 1}


def check_refused(request: ExampleRequest, response: Any, status: int = 400) -> list[str]:
    """Problems with an answer that should be a refusal in the API's envelope."""
    where = f"{request.method} {request.path} ({request.operation_id})"
    if response.status_code != status:
        return [f"{where}: {response.status_code}, expected {status}: {response.text[:200]}"]
    return [f"{where}: {problem}" for problem in error_shape_problems(request.slug, request.operation_id, response)]


def check_no_server_error(request: ExampleRequest, response: Any) -> list[str]:
    where = f"{request.method} {request.path} ({request.operation_id})"
    if response.status_code >= 500:
        return [f"{where}: {response.status_code}: {response.text[:200]}"]
    if response.status_code >= 400:
        return [f"{where}: {p}" for p in error_shape_problems(request.slug, request.operation_id, response)]
    return []


# --- 1. lone surrogates ------------------------------------------------------------------------------


def test_bloxs_filter_with_a_lone_surrogate_is_400_in_its_envelope() -> None:
    client = make_client()
    request = next(r for r in JSON_BODIES if r.operation_id == "filterServiceTickets")
    before = state_hash(client)
    response = request.send(client, content=b'{"sorting":{"columnName":"\\ud800","order":"asc"}}')
    assert response.status_code == 400
    assert response.json()["errors"] == {"sorting.columnName": [
        "the string holds a lone UTF-16 surrogate (\\ud800), which is not a character; write characters beyond "
        "U+FFFF as a surrogate pair (\\ud83d\\ude00) or as UTF-8"]}
    assert error_shape_problems("bloxs", request.operation_id, response) == []
    assert state_hash(client) == before


def test_lone_surrogates_in_any_json_body_are_400_and_every_read_still_works() -> None:
    client = make_client()
    before = state_hash(client)
    problems: list[str] = []
    for request in JSON_BODIES:
        in_value, field_name = with_value(request.body, str, "Fuite \ud800 cuisine")
        for body, field_wanted in ((in_value, field_name), (with_member(request.body, "x\udfff"), None)):
            response = request.send(client, content=json.dumps(body).encode())
            problems += check_refused(request, response)
            if field_wanted and response.status_code == 400 and field_wanted not in response.text:
                problems.append(f"{request.operation_id}: the answer does not name {field_wanted}: {response.text}")
    # A valid surrogate pair is a character like any other: an escaped emoji is accepted.
    create = next(r for r in JSON_BODIES if r.operation_id == "createTicket")
    assert create.send(client, content=b'{"title": "Fuite \\ud83d\\udca7"}').status_code == 200
    assert problems == []
    assert state_hash(client) != before  # the emoji ticket; and every state dump still answers 200
    for request in READS:
        problems += check_no_server_error(request, request.send(client))
    assert problems == []


def test_lone_surrogates_in_paths_queries_and_headers_are_never_5xx() -> None:
    client = make_client()
    before = state_hash(client)
    problems: list[str] = []
    encoded = "%ED%A0%80"  # U+D800 as (invalid) UTF-8, percent-encoded
    for request in ALL:
        segments = request.path.split("/")
        path = "/".join([*segments[:-1], encoded]) if len(segments) > 3 else request.path
        query = "&".join([*(f"{name}={value}" for name, value in request.query.items()), f"q={encoded}"])
        response = request.send(client, path=f"{path}?{query}", query={},
                                headers={**request.headers, "X-Note": b"\xed\xa0\x80"})
        routed = request if path == request.path else replace(request, operation_id="(no operation)")
        problems += check_no_server_error(routed, response)
        if response.status_code >= 300:
            problems += [] if state_hash(client) == before else [f"{request.operation_id} changed the state"]
        else:
            client.post("/_ticketmock/reset")
    assert problems == []


# --- 3. huge numbers --------------------------------------------------------------------------------


def huge(request: ExampleRequest, digits: int) -> tuple[bytes, str]:
    body, field_name = with_value(request.body, (int, float), BIG)
    return json.dumps(body).replace(f'"{BIG}"', "9" * digits).encode(), field_name


@pytest.mark.parametrize("digits", [310, 1000, 4301, 100_000])
def test_integer_literals_beyond_a_double_are_400_in_every_json_body(digits: int) -> None:
    client = make_client()
    before = state_hash(client)
    problems: list[str] = []
    for request in JSON_BODIES:
        content, field_name = huge(request, digits)
        response = request.send(client, content=content)
        problems += check_refused(request, response)
        if response.status_code == 400 and f"an integer of {digits} digits" not in response.text:
            problems.append(f"{request.operation_id}: {field_name} not explained: {response.text[:300]}")
    assert problems == []
    assert state_hash(client) == before


def test_the_largest_double_is_still_a_number() -> None:
    client = make_client("flowretail")
    item = next(r for r in JSON_BODIES if r.operation_id == "addServiceOrderItem")
    largest = str(int(sys.float_info.max))  # 309 digits
    response = item.send(client, content=json.dumps({**item.body, "price": BIG}).replace(f'"{BIG}"', largest).encode())
    assert response.status_code == 201, response.text
    assert response.json()["price"] == int(largest)


FLOWRETAIL_AMOUNTS = {
    "addServiceOrderItem": ("quantity", "price", "costPrice"),
    "updateServiceOrderItem": ("quantity", "price", "costPrice"),
    "createServiceOrderHours": ("hours",),
    "updateServiceOrderHours": ("hours",),
    "createHourlyRate": ("rate",),
    "updateHourlyRate": ("rate",),
    "createServiceOrder": ("estimatedPrice", "maxPrice"),
    "updateServiceOrder": ("estimatedPrice", "maxPrice"),
}


def test_flowretail_amounts_of_a_thousand_digits_are_refused_naming_the_field() -> None:
    client = make_client("flowretail")
    before = state_hash(client, ["flowretail"])
    problems: list[str] = []
    for request in (r for r in JSON_BODIES if r.operation_id in FLOWRETAIL_AMOUNTS):
        for name in FLOWRETAIL_AMOUNTS[request.operation_id]:
            for literal in ("1" * 1000, "-" + "9" * 1000, "1" * 1000 + ".5"):
                content = json.dumps({**request.body, name: BIG}).replace(f'"{BIG}"', literal).encode()
                response = request.send(client, content=content)
                problems += check_refused(request, response)
                if response.status_code == 400:
                    body = response.json()
                    if body["code"] != "MALFORMED_REQUEST" or body["errors"][0]["field"] != name:
                        problems.append(f"{request.operation_id} {name}={literal[:5]}...: {body}")
    assert problems == []
    assert state_hash(client, ["flowretail"]) == before  # the counters (uids, numbers) too


def test_control_api_numbers_over_4300_digits_are_400() -> None:
    client = make_client("bobdesk")
    fault = b'{"api": "bobdesk", "operationId": "createTicket", "status": ' + b"4" * 5000 + b"}"
    response = client.post("/_ticketmock/faults", headers={"Content-Type": "application/json"}, content=fault)
    assert response.status_code == 400
    assert "status: an integer of 5000 digits" in response.json()["detail"]
    assert client.get("/_ticketmock/faults").json() == {"faults": []}
    response = client.delete("/_ticketmock/faults/" + "7" * 5000)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("a number in the request has more than 4300 digits")


# --- oversize queries and the trailing-slash redirect ------------------------------------------------


def test_oversize_query_strings_are_never_5xx_and_change_nothing() -> None:
    client = make_client()
    before = state_hash(client)
    problems: list[str] = []
    for request in READS:
        response = request.send(client, query={**request.query, "filler": "é" * 10_000})
        problems += check_no_server_error(request, response)
    assert problems == []
    assert state_hash(client) == before


def test_trailing_slash_redirects_are_relative_whatever_the_host_header() -> None:
    client = make_client()
    problems: list[str] = []
    for request in READS:
        response = request.send(client, path=request.path + "/", headers={**request.headers, "Host": "evil.example"})
        location = response.headers.get("location", "")
        if response.status_code != 307 or location.split("?")[0] != request.path:
            problems.append(f"{request.path}/: {response.status_code} Location {location!r}")
    for base in ("/bloxs", "/jifeline", "/_ticketmock"):  # base URLs answer with their index (dashboard/index.py)
        response = client.get(base, headers={"Host": "evil.example"}, follow_redirects=False)
        if response.status_code != 200 or "evil.example" in response.text:
            problems.append(f"{base}: {response.status_code} {response.text[:200]}")
    response = client.get("/bobdesk/api/v3.0//evil.example/", headers={"Host": "evil.example"},
                          follow_redirects=False)
    assert not response.headers.get("location", "/").startswith("//")
    assert problems == []


# --- 7. Host and Origin attacks on the control API and every API -------------------------------------


def test_a_host_that_names_no_loopback_address_is_421_in_every_apis_envelope() -> None:
    """DNS rebinding: a page whose name now points at 127.0.0.1 sends its own name as Host."""
    client = make_client(host="127.0.0.1", base_url="http://127.0.0.1:8000")
    before = state_hash(client)
    problems: list[str] = []
    for host in ("evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io:8000",
                 "127.0.0.1:8000@evil.example", "", "[::2]:8000", "0.0.0.0:8000"):
        for request in ALL:
            response = request.send(client, headers={**request.headers, "Host": host,
                                                     "X-Ticketmock-Session": "rebound"})
            problems += [f"Host {host!r}: {p}" for p in check_refused(request, response, 421)]
            if "Host header" not in response.text:
                problems.append(f"Host {host!r} {request.operation_id}: the answer does not say why")
    assert problems == []
    assert state_hash(client) == before
    assert [s["name"] for s in client.get("/_ticketmock/sessions").json()["sessions"]] == ["default"]


def test_cross_site_control_requests_are_refused_and_change_nothing() -> None:
    """What a page on another site can send without a preflight: a foreign Origin, a non-JSON body."""
    client = make_client(host="127.0.0.1", base_url="http://127.0.0.1:8000")
    before = state_hash(client)
    problems: list[str] = []
    for request in WRITES:
        if request.slug != CONTROL:
            continue
        body = encode_body(request.body, request.media_type) if request.media_type else b"{}"
        for media_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
            foreign = request.send(client, headers={"Origin": "https://evil.example", "Content-Type": media_type},
                                   content=body)
            problems += [f"foreign {media_type}: {p}" for p in check_refused(request, foreign, 403)]
            no_origin = request.send(client, headers={"Content-Type": media_type}, content=body)
            problems += [f"{media_type}: {p}" for p in check_refused(request, no_origin, 415)]
    assert problems == []
    assert state_hash(client) == before
    assert [s["name"] for s in client.get("/_ticketmock/sessions").json()["sessions"]] == ["default"]
    assert client.get("/_ticketmock/faults").json() == {"faults": []}


# --- over a real server: abandoned and broken bodies, malformed HTTP ---------------------------------


@dataclass
class RawResponse:
    """An HTTP response read off a socket, with the parts `error_shape_problems` reads."""

    status_code: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


def read_response(stream: BinaryIO) -> RawResponse:
    """One response from a socket's file (several may follow each other on one connection)."""
    status_line = stream.readline()
    if not status_line:
        raise AssertionError("the server closed the connection without an answer")
    headers = {}
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.lower()] = value.strip()
    body = stream.read(int(headers.get("content-length", "0")))
    return RawResponse(int(status_line.split()[1]), headers, body)


@dataclass
class Server:
    host: str
    port: int

    def exchange(self, data: bytes) -> RawResponse:
        with socket.create_connection((self.host, self.port), timeout=10) as sock:
            sock.sendall(data)
            return read_response(sock.makefile("rb"))

    def abandon(self, data: bytes) -> None:
        """Send, then close the connection without waiting for an answer."""
        with socket.create_connection((self.host, self.port), timeout=10) as sock:
            sock.sendall(data)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=f"http://{self.host}:{self.port}", timeout=10)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One `ticketmock serve` process for the module."""
    with ServerProcess("--seed", "1", "--quiet") as process:
        yield Server("127.0.0.1", process.port)


def head(request: ExampleRequest, *extra: str, path: str | None = None) -> bytes:
    """The request line and headers of an example request, with extra header lines."""
    target = path or request.path
    if request.query:
        target += "?" + "&".join(f"{name}={value}" for name, value in request.query.items())
    lines = [f"{request.method} {target} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in request.headers.items()]
    if request.media_type:
        lines.append(f"Content-Type: {request.media_type}")
    return ("\r\n".join([*lines, *extra]) + "\r\n\r\n").encode("latin-1")


def body_bytes(request: ExampleRequest) -> bytes:
    return encode_body(request.body, request.media_type) if request.media_type else b"{}"


def journal(client: httpx.Client) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = client.get("/_ticketmock/journal").json()["entries"]
    return entries


def wait_for_journal(client: httpx.Client, count: int) -> list[dict[str, Any]]:
    """The journal once it holds `count` entries (an abandoned request is journalled when it is done)."""
    deadline = time.monotonic() + 20
    while len(entries := journal(client)) < count:
        assert time.monotonic() < deadline, f"{len(entries)} of {count} requests journalled"
        time.sleep(0.05)
    return entries


def test_bodies_that_break_off_never_reach_a_handler(server: Server) -> None:
    with server.client() as client:
        # A ticket of our own first, so that even a reset that slipped through would show.
        create = next(r for r in JSON_BODIES if r.operation_id == "createTicket")
        assert create.send(client).status_code == 200
        client.delete("/_ticketmock/journal")
        before = state_hash(client)
        sent = 0
        broken: list[str] = []
        for request in sorted(WRITES, key=lambda r: r.slug != CONTROL):  # control calls first: not journalled
            body = body_bytes(request)
            # The client stops before Content-Length is reached.
            server.abandon(head(request, f"Content-Length: {len(body) + 100}") + body)
            # A chunked body whose last chunk never comes.
            server.abandon(head(request, "Transfer-Encoding: chunked") + b"%x\r\n%s\r\n" % (len(body), body))
            # An invalid chunk size: the server refuses it, and the request must not act either.
            bad_size = head(request, "Transfer-Encoding: chunked") + b"zz\r\n" + body + b"\r\n0\r\n\r\n"
            response = server.exchange(bad_size)
            broken += check_refused(request, response)
            sent += 3 if request.slug != CONTROL else 0
        entries = wait_for_journal(client, sent)
        assert broken == []
        assert [e for e in entries if e["status"] != 400 or "broke off" not in e["validation"]] == []
        assert state_hash(client) == before
        assert client.get("/_ticketmock/faults").json() == {"faults": []}


def test_bodies_that_break_off_over_one_connection_pipelined(server: Server) -> None:
    """A good request followed on the same connection by a broken one: the first gets its answer, the
    second the refusal, in that order."""
    with server.client() as client:
        before = state_hash(client)
    reset = next(r for r in ALL if r.operation_id == "resetAll")
    good = next(r for r in READS if r.operation_id == "listTickets")
    data = head(good) + head(reset, "Transfer-Encoding: chunked") + b"2\r\n{}\r\nzz\r\n"
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(data)
        stream = sock.makefile("rb")
        first, second = read_response(stream), read_response(stream)
    assert first.status_code == 200 and "tickets" in first.json()
    assert second.status_code == 400 and "chunk size" in second.json()["detail"]
    with server.client() as client:
        assert state_hash(client) == before


def test_malformed_http_is_answered_in_json_in_the_apis_envelope(server: Server) -> None:
    cases: dict[str, tuple[int, bytes, bytes]] = {
        "Content-Length not a number": (400, b"Content-Length: abc", b"{}"),
        "negative Content-Length": (400, b"Content-Length: -1", b"{}"),
        "two Content-Lengths": (400, b"Content-Length: 2\r\nContent-Length: 3", b"{}"),
        "Content-Length with chunking": (400, b"Content-Length: 2\r\nTransfer-Encoding: chunked",
                                         b"2\r\n{}\r\n0\r\n\r\n"),
        "invalid chunk size": (400, b"Transfer-Encoding: chunked", b"-5\r\n{}\r\n0\r\n\r\n"),
        "control character in a header value": (400, b"X-Note: a\x01b", b""),
        "control character in a header name": (400, b"X\x7fNote: ab", b""),
        "header fields over 64 KiB": (431, b"X-Filler: " + b"a" * 70_000, b""),
    }
    problems: list[str] = []
    with server.client() as client:
        before = state_hash(client)
        for request in WRITES:
            base = head(request)[:-2]  # without the blank line that ends the head
            for name, (status, extra, body) in cases.items():
                response = server.exchange(base + extra + b"\r\n\r\n" + body)
                problems += [f"{name}: {p}" for p in check_refused(request, response, status)]
            long_url = head(request, path=request.path + "?q=" + "a" * 70_000)
            problems += [f"long URL: {p}" for p in check_refused(request, server.exchange(long_url), 414)]
        # under a session's path prefix the refusal is still in the API's envelope
        first = WRITES[0]
        prefixed = head(first, path=f"/_session/broken{first.path}")[:-2] + b"Content-Length: abc\r\n\r\n{}"
        problems += [f"prefixed: {p}" for p in check_refused(first, server.exchange(prefixed), 400)]
        assert state_hash(client) == before
    garbage = server.exchange(b"HELLO\r\n\r\n")
    assert garbage.status_code == 400 and garbage.headers["content-type"] == "application/problem+json"
    assert "not valid HTTP/1.1" in garbage.json()["detail"]
    # A URL that cannot be read names no API: the answer is a plain problem document.
    raw_utf8 = server.exchange("GET /bobdesk/api/v3.0/tickets/é HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert raw_utf8.status_code == 400 and "Invalid char in url path" in raw_utf8.json()["detail"]
    assert problems == []
