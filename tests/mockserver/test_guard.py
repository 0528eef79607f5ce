"""The control API belongs to whoever started the mock: Host, Origin, token, JSON bodies and CORS."""

from __future__ import annotations

import hmac
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from mockserver.cli import main
from tests.helpers import (
    CONTROL,
    ServerProcess,
    error_shape_problems,
    example_requests,
    make_client,
    state_hash,
)

ORIGIN = "http://127.0.0.1:8000"
EVIL = "https://evil.example"
TOKEN = "tm-control-7f3a9c"
TICKETS = "/bobdesk/api/v3.0/tickets"
BOBDESK_AUTH = {"Authorization": "Bearer mock-token"}


def guarded(*apis: str, **options: Any) -> Any:
    """A test client of a mock bound to 127.0.0.1 (unless `host` says otherwise), sending Host 127.0.0.1:8000."""
    options.setdefault("host", "127.0.0.1")
    return make_client(*(apis or ("bobdesk",)), base_url=options.pop("base_url", ORIGIN), **options)


def create_ticket(client: Any) -> str:
    create = next(r for r in example_requests("bobdesk") if r.operation_id == "createTicket")
    response = create.send(client)
    assert response.status_code == 200, response.text
    ticket_id: str = response.json()["ticket_id"]
    return ticket_id


def has_ticket(client: Any, ticket: str, headers: dict[str, str] | None = None) -> bool:
    return ticket in client.get("/_ticketmock/apis/bobdesk/state", headers=headers or {}).text


def problem_of(response: Any, status: int) -> str:
    """The detail of a control API refusal, after checking status and shape."""
    assert response.status_code == status, response.text
    assert error_shape_problems(CONTROL, None, response) == []
    detail: str = response.json()["detail"]
    return detail


# --- 7. cross-site requests --------------------------------------------------------------------------


def test_a_cross_site_simple_post_cannot_reset_and_changes_nothing() -> None:
    client = guarded()
    ticket = create_ticket(client)
    before = state_hash(client, ["bobdesk"])
    # What a form or fetch() on another site can send without a preflight: text/plain, a form, multipart.
    simple = [("text/plain", b"{}"), ("application/x-www-form-urlencoded", b"a=b"),
              ("multipart/form-data; boundary=x", b"--x--\r\n")]
    for media_type, body in simple:
        headers = {"Origin": EVIL, "Content-Type": media_type}
        assert "evil.example" in problem_of(client.post("/_ticketmock/reset", headers=headers, content=body), 403)
        created = client.post("/_ticketmock/sessions", headers=headers, content=b'{"name": "planted"}')
        assert created.status_code == 403
    assert state_hash(client, ["bobdesk"]) == before
    assert has_ticket(client, ticket)
    assert [s["name"] for s in client.get("/_ticketmock/sessions").json()["sessions"]] == ["default"]


def test_control_bodies_must_be_json() -> None:
    client = guarded()
    ticket = create_ticket(client)
    before = state_hash(client, ["bobdesk"])
    refused = {
        "text/plain": 415, "application/x-www-form-urlencoded": 415, "": 415, "application/xml": 415,
        "application/jsonp": 415,
    }
    writes = [r for r in example_requests(CONTROL) if r.method in ("POST", "PUT", "DELETE")]
    assert {r.operation_id for r in writes} >= {"resetAll", "putSnapshot", "createSession", "injectFault"}
    for request in writes:
        body = b'{"name": "x"}' if request.media_type is None else None
        for media_type, status in refused.items():
            headers = {"Content-Type": media_type} if media_type else {}
            response = client.request(request.method, request.path, params=request.query, headers=headers,
                                      content=body or b"{}")
            assert "JSON bodies only" in problem_of(response, status), request.operation_id
        not_json = request.send(client, headers={"Content-Type": "application/json"}, content=b"{'a': 1}")
        assert "not valid JSON" in problem_of(not_json, 400), request.operation_id
        huge = request.send(client, headers={"Content-Type": "application/json"}, content=b"[" + b"9" * 5000 + b"]")
        assert huge.status_code == 400, request.operation_id
    assert state_hash(client, ["bobdesk"]) == before
    assert has_ticket(client, ticket)
    # JSON (any +json type, any charset) and no body at all are what the control API takes.
    assert client.post("/_ticketmock/reset").status_code == 200
    assert client.post("/_ticketmock/reset", json={}).status_code == 200
    assert client.post("/_ticketmock/apis/bobdesk/reset", content=b"{}",
                       headers={"Content-Type": "application/merge-patch+json"}).status_code == 200
    assert client.post("/_ticketmock/clock", content=b'{"advance": "PT1H"}',
                       headers={"Content-Type": "application/json; charset=utf-8"}).status_code == 200
    assert not has_ticket(client, ticket)  # the resets took effect


def test_foreign_origins_are_refused_and_local_ones_allowed() -> None:
    client = guarded()
    state = "/_ticketmock/apis/bobdesk/state"
    for origin in (EVIL, "null", "http://localhost.evil.example", "http://127.0.0.1.evil.example:8000",
                   "http://127.0.0.1:8000.evil.example", "http://localhost:8000/", "file://"):
        response = client.get(state, headers={"Origin": origin})
        assert "tickets" not in response.text
        problem_of(response, 403)
        assert "access-control-allow-origin" not in response.headers
    for origin in ("http://localhost:5173", "http://127.0.0.1:3000", "http://[::1]:8080", "https://localhost"):
        response = client.get(state, headers={"Origin": origin})
        assert response.status_code == 200 and response.headers["access-control-allow-origin"] == origin
    assert client.get(state).status_code == 200  # curl, test code: no Origin
    # The mock's own pages (its dashboard): same scheme, host and port as the Host header, also where
    # --cors-origin replaces the local default.
    named = guarded(cors_origins=["https://app.example.com"])
    for origin, host in ((ORIGIN, "127.0.0.1:8000"), ("http://localhost", "localhost:80"),
                         ("http://[::1]:9", "[::1]:9"), ("http://LOCALHOST:8000", "localhost:8000")):
        assert named.post("/_ticketmock/reset", headers={"Origin": origin, "Host": host}).status_code == 200
    for origin, host in (("https://127.0.0.1:8000", "127.0.0.1:8000"), ("http://127.0.0.1:8001", "127.0.0.1:8000")):
        assert named.post("/_ticketmock/reset", headers={"Origin": origin, "Host": host}).status_code == 403


def test_cors_origin_replaces_the_local_default_on_the_control_api_but_not_the_own_origin() -> None:
    client = guarded(cors_origins=["https://app.example.com"])
    state = "/_ticketmock/apis/bobdesk/state"
    allowed = client.get(state, headers={"Origin": "https://app.example.com"})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert "https://app.example.com" in problem_of(client.get(state, headers={"Origin": "http://localhost:5173"}), 403)
    assert client.get(state, headers={"Origin": ORIGIN}).status_code == 200


def test_the_own_origin_on_a_non_loopback_bind_is_the_hosts() -> None:
    client = guarded(host="0.0.0.0", control_token=TOKEN)
    headers = {"Host": "192.168.1.5:8000", "Authorization": f"Bearer {TOKEN}"}
    own = client.post("/_ticketmock/reset", headers={**headers, "Origin": "http://192.168.1.5:8000"})
    other_port = client.post("/_ticketmock/reset", headers={**headers, "Origin": "http://192.168.1.5:9000"})
    assert (own.status_code, other_port.status_code) == (200, 403)


def test_a_foreign_preflight_of_the_control_api_is_refused_whatever_cors_allows() -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    for cors in ([], ["*"], ["https://app.example.com"]):
        client = guarded(cors_origins=cors)
        refused = client.options("/_ticketmock/reset", headers={**preflight, "Origin": EVIL})
        problem_of(refused, 403)
        assert "access-control-allow-origin" not in refused.headers
    local = guarded().options("/_ticketmock/reset", headers={**preflight, "Origin": "http://localhost:5173",
                                                             "Access-Control-Request-Headers": "authorization"})
    assert local.status_code == 200
    assert local.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert local.headers["access-control-allow-headers"] == "authorization"


def test_cors_star_sends_a_literal_star_without_credentials() -> None:
    client = guarded(cors_origins=["*"])
    answer = client.get(TICKETS, headers={"Origin": EVIL, **BOBDESK_AUTH})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in answer.headers
    preflight = client.options(TICKETS, headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in preflight.headers
    # '*' opens the vendor APIs, not the control API
    assert "tickets" not in client.get("/_ticketmock/apis/bobdesk/state", headers={"Origin": EVIL}).text
    local = client.get("/_ticketmock/apis", headers={"Origin": "http://localhost:5173"})
    assert local.status_code == 200 and local.headers["access-control-allow-origin"] == "http://localhost:5173"
    # Listed origins keep credentials: they are named, not echoed from anyone.
    named = guarded(cors_origins=["https://app.example.com"]).get(
        TICKETS, headers={"Origin": "https://app.example.com", **BOBDESK_AUTH})
    assert named.headers["access-control-allow-origin"] == "https://app.example.com"
    assert named.headers["access-control-allow-credentials"] == "true"


# --- 7. DNS rebinding: the Host header (every API's envelope: test_bad_input.py) ------------------------


def test_loopback_hosts_pass_and_allow_host_adds_names() -> None:
    client = guarded(allowed_hosts=["Mock.Test"])
    for host in ("localhost", "LOCALHOST:8000", "127.0.0.1", "127.1.2.3:9", "[::1]:8000", "[::1]", "mock.test:80"):
        assert client.get("/_ticketmock/apis", headers={"Host": host}).status_code == 200, host
    assert client.get("/_ticketmock/apis", headers={"Host": "other.test"}).status_code == 421


def test_the_host_check_applies_only_to_a_loopback_bind() -> None:
    on_network = guarded(host="0.0.0.0", control_token=TOKEN)
    assert on_network.get(TICKETS, headers={"Host": "mock.lan:8000", **BOBDESK_AUTH}).status_code == 200
    in_process = make_client("bobdesk")  # no --host: embedded in a test client, nothing listens
    assert in_process.get(TICKETS, headers={"Host": "evil.example", **BOBDESK_AUTH}).status_code == 200


# --- 8. the control token ----------------------------------------------------------------------------


def test_the_control_token_is_required_on_every_control_request() -> None:
    client = guarded(control_token=TOKEN)
    problems: list[str] = []
    refusals = {"none": None, "wrong": "Bearer tm-control-7f3a9d", "prefix": f"Bearer {TOKEN[:-1]}",
                "longer": f"Bearer {TOKEN}x", "basic": f"Basic {TOKEN}", "bare": TOKEN, "empty bearer": "Bearer "}
    for request in example_requests(CONTROL):
        for name, value in refusals.items():
            headers = {**request.headers, **({"Authorization": value} if value is not None else {})}
            response = request.send(client, headers=headers)
            if response.status_code != 401 or not response.headers["www-authenticate"].startswith("Bearer"):
                problems.append(f"{name} {request.operation_id}: {response.status_code}")
            problems += [f"{name} {request.operation_id}: {p}" for p in error_shape_problems(CONTROL, None, response)]
            if TOKEN in response.text:
                problems.append(f"{name} {request.operation_id}: the answer shows the token")
    assert problems == []
    authorized = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/_ticketmock/apis", headers=authorized).status_code == 200
    assert client.get("/_ticketmock/apis", headers={"Authorization": f"bearer  {TOKEN} "}).status_code == 200
    # The vendor APIs keep their own credentials; the control API's description and UI are state-free pages.
    assert client.get(TICKETS, headers=BOBDESK_AUTH).status_code == 200
    assert client.get("/_ticketmock/openapi.json").status_code == 200
    assert client.get("/_ticketmock/ui/").status_code == 200
    assert client.post("/_ticketmock/openapi.json").status_code == 401
    # A browser's preflight carries no credentials; the request after it does.
    preflight = client.options("/_ticketmock/reset", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 200


def test_the_control_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    client = guarded(control_token=TOKEN)
    assert client.get("/_ticketmock/apis", headers={"Authorization": "Bearer guess"}).status_code == 401
    assert client.get("/_ticketmock/apis").status_code == 401
    assert client.get("/_ticketmock/apis", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert compared == [(b"guess", TOKEN.encode()), (b"", TOKEN.encode()), (TOKEN.encode(), TOKEN.encode())]


def test_the_control_token_is_not_in_the_options_repr() -> None:
    from mockserver.app import MockOptions

    assert TOKEN not in repr(MockOptions(control_token=TOKEN))


# --- 8. binding: through the command line ------------------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])  # (an address the machine lacks is refused for that first)
def test_a_non_loopback_host_without_a_control_token_refuses_to_start(host: str) -> None:
    code, output = run("serve", "--host", host, "--port", "0")
    assert code == 1
    assert len(output.strip().splitlines()) == 1
    assert f"--host {host} is not a loopback address" in output
    assert "--control-token" in output and "--insecure-control" in output and "TICKETMOCK_CONTROL_TOKEN" in output


@pytest.mark.parametrize("token", ["has space", "tab\there", "é-non-ascii"])
def test_a_control_token_that_cannot_be_a_header_is_refused_without_showing_it(token: str) -> None:
    code, output = run("serve", "--control-token", token, "--port", "0")
    assert code == 2 and "printable ASCII" in output and token not in output


class Served:
    """What `serve` handed to uvicorn.run, instead of listening."""

    app: Any = None
    host: str = ""


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> type[Served]:
    import uvicorn

    def run_nothing(app: Any, host: str, **kwargs: Any) -> None:
        Served.app, Served.host = app, host

    monkeypatch.setattr(uvicorn, "run", run_nothing)
    Served.app, Served.host = None, ""
    return Served


def test_a_non_loopback_host_with_insecure_control_starts_with_a_warning(served: type[Served]) -> None:
    code, output = run("serve", "--host", "0.0.0.0", "--port", "0", "--insecure-control", "--api", "bobdesk")
    assert code == 0, output
    assert "Warning: listening on 0.0.0.0, which other machines can reach" in output
    assert "control API (reset, state dumps, snapshots) without any credential" in output
    assert served.host == "0.0.0.0" and served.app.runtime.options.host == "0.0.0.0"


def test_a_non_loopback_host_with_a_control_token_starts_without_showing_it(served: type[Served]) -> None:
    code, output = run("serve", "--host", "0.0.0.0", "--port", "0", "--api", "bobdesk",
                       env={"TICKETMOCK_CONTROL_TOKEN": TOKEN})
    assert code == 0, output
    assert "Warning: listening on 0.0.0.0" in output and "requires the control token" in output
    assert "Control token required" in output and TOKEN not in output
    options = served.app.runtime.options
    assert options.control_token == TOKEN and options.host == "0.0.0.0"


def test_loopback_hosts_start_without_a_warning(served: type[Served]) -> None:
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        code, output = run("serve", "--host", host, "--port", "0", "--api", "bobdesk", "--allow-host", "mock.test")
        assert code == 0 and "Warning" not in output, output
        assert served.app.runtime.options.allowed_hosts == ("mock.test",)


# --- over a real server: DNS rebinding, the token end to end ------------------------------------------


def exchange(port: int, request: str) -> tuple[int, str]:
    """One raw HTTP/1.1 exchange: the Host header is exactly what the request text says."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode("latin-1"))
        stream = sock.makefile("rb")
        status = int(stream.readline().split()[1])
        length, chunked = 0, False
        while (line := stream.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            chunked = chunked or (name.lower() == "transfer-encoding" and "chunked" in value.lower())
        if not chunked:
            return status, stream.read(length).decode()
        body = b""  # a streamed answer (a state dump): chunks until the empty one
        while size := int(stream.readline().split(b";")[0], 16):
            body += stream.read(size)
            stream.readline()
        return status, body.decode()


def test_dns_rebinding_over_a_real_socket_reads_and_changes_nothing() -> None:
    with ServerProcess("--seed", "1", "--quiet") as server, httpx.Client(base_url=server.url) as client:
        ticket = create_ticket(client)
        before = state_hash(client)
        rebound = f"evil.example:{server.port}"
        # The page at http://evil.example:PORT, its name now pointing at 127.0.0.1: same-origin to the browser.
        for target in ("/_ticketmock/apis/bobdesk/state", "/_ticketmock/snapshot", "/_ticketmock/journal",
                       f"{TICKETS}?limit=100", f"{TICKETS}/{ticket}/notes"):
            status, body = exchange(server.port, f"GET {target} HTTP/1.1\r\nHost: {rebound}\r\n"
                                                 f"Origin: http://{rebound}\r\nAuthorization: Bearer x\r\n\r\n")
            assert status == 421 and ticket not in body and "Host header" in body, (target, body)
        status, body = exchange(server.port, f"POST /_ticketmock/reset HTTP/1.1\r\nHost: {rebound}\r\n"
                                             "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        assert status == 421
        # Two Host headers, one of them loopback: refused all the same.
        status, _ = exchange(server.port, f"POST /_ticketmock/reset HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                                          f"Host: {rebound}\r\nContent-Length: 0\r\n\r\n")
        assert status in (400, 421)
        assert state_hash(client) == before
        status, body = exchange(server.port, "GET /_ticketmock/apis/bobdesk/state HTTP/1.1\r\n"
                                             f"Host: localhost:{server.port}\r\n\r\n")
        assert status == 200 and ticket in body
        log = server.output()
    assert "Traceback" not in log


def test_the_control_token_end_to_end_with_the_snapshot_commands(tmp_path: Path) -> None:
    env = {"TICKETMOCK_CONTROL_TOKEN": TOKEN}
    with ServerProcess("--seed", "1", env=env) as server:
        assert httpx.post(f"{server.url}/_ticketmock/reset").status_code == 401
        authorized = {"Authorization": f"Bearer {TOKEN}"}
        assert httpx.post(f"{server.url}/_ticketmock/reset", headers=authorized).status_code == 200
        file = tmp_path / "default.json"
        code, output = run("snapshot", "save", str(file), "--url", server.url, env={"TICKETMOCK_CONTROL_TOKEN": ""})
        assert code == 1 and "answered 401" in output and "--control-token or TICKETMOCK_CONTROL_TOKEN" in output
        code, output = run("snapshot", "save", str(file), "--url", server.url, env=env)
        assert code == 0 and file.exists(), output
        code, output = run("snapshot", "load", str(file), "--url", server.url, "--control-token", TOKEN,
                           env={"TICKETMOCK_CONTROL_TOKEN": ""})
        assert code == 0 and "loaded" in output, output
        code, output = run("snapshot", "load", str(file), "--url", server.url, "--control-token", "wrong")
        assert code == 1 and "does not match" in output and TOKEN not in output
        printed = server.output()
    assert "Control token required" in printed
    assert TOKEN not in printed
    assert "POST /_ticketmock/reset 401" in printed


def test_the_control_client_takes_the_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from mockserver.client import ControlClient

    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return httpx.Response(200, json={"apis": []})

    monkeypatch.setenv("TICKETMOCK_CONTROL_TOKEN", TOKEN)
    with ControlClient(transport=httpx.MockTransport(handler)) as client:
        client.call("GET", "/apis")
    with ControlClient(token="given", transport=httpx.MockTransport(handler)) as client:
        client.call("GET", "/apis")
    monkeypatch.delenv("TICKETMOCK_CONTROL_TOKEN")
    with ControlClient(transport=httpx.MockTransport(handler)) as client:
        client.call("GET", "/apis")
    assert seen == [f"Bearer {TOKEN}", "Bearer given", None]

