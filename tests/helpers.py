"""Helpers shared by the test modules (kept out of conftest so tests can import them)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver.spec import SPECS_DIR, load_spec, resolve_ref, spec_path

SLUGS = sorted(p.parent.name for p in SPECS_DIR.glob("*/openapi.yaml"))


def spec_of(slug: str) -> dict[str, Any]:
    return load_spec(spec_path(slug))


def lookup(spec: dict[str, Any], *keys: str | int) -> Any:
    """Walk into a spec, following `$ref`s at every step.

    A key `name=limit` selects the list item whose `name` is `limit` (after resolving references),
    so `lookup(spec, "paths", "/x", "get", "parameters", "name=limit", "schema", "maximum")` reads a
    parameter's bound without caring about its position or whether it is a shared component.
    """
    node: Any = resolve_ref(spec, spec)
    trail: list[str] = []
    for key in keys:
        trail.append(str(key))
        node = resolve_ref(spec, node)
        if isinstance(key, str) and "=" in key and isinstance(node, list):
            field, _, wanted = key.partition("=")
            matches = [item for item in (resolve_ref(spec, i) for i in node) if str(item.get(field)) == wanted]
            if len(matches) != 1:
                raise KeyError(f"{'/'.join(trail)}: {len(matches)} items match {key!r}")
            node = matches[0]
        else:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                raise KeyError(f"{'/'.join(trail)}: not found") from None
    return resolve_ref(spec, node)


def repo_path(*parts: str) -> Path:
    return SPECS_DIR.parent.joinpath(*parts)


def readme_python(first_line: str) -> str:
    """The README's Python block that starts with `first_line` (exactly one must)."""
    import re

    blocks = re.findall(r"```python\n(.*?)```", repo_path("README.md").read_text(encoding="utf-8"), flags=re.S)
    found = [block for block in blocks if block.startswith(first_line)]
    assert len(found) == 1, f"the README has {len(found)} Python blocks starting with {first_line!r}"
    return found[0]


FROZEN_NOW = "2026-11-20T09:30:00+00:00"


def make_app(*apis: str, **options: Any) -> Any:
    """A mock of the given APIs (default: all) with response validation on and a frozen clock."""
    from datetime import datetime

    from mockserver.app import MockOptions, create_app

    options.setdefault("validate_responses", True)
    options.setdefault("seed", 1)
    options.setdefault("freeze_time", datetime.fromisoformat(FROZEN_NOW))
    return create_app(list(apis) or None, MockOptions(**options))


def make_client(*apis: str, base_url: str = "http://testserver", **options: Any) -> Any:
    """A synchronous test client on a fresh mock (see make_app); `base_url` sets the Host it sends."""
    from starlette.testclient import TestClient

    return TestClient(make_app(*apis, **options), base_url=base_url, raise_server_exceptions=False)


def auth_for(slug: str, operation_id: str) -> dict[str, str]:
    """Headers that satisfy an operation's first security requirement with the sample credentials."""
    from mockserver.auth import sample_credentials, schemes_of
    from mockserver.spec import iter_operations

    spec = spec_of(slug)
    for _, _, operation in iter_operations(spec):
        if operation["operationId"] == operation_id:
            headers, _ = sample_credentials(operation.get("security", []), schemes_of(spec))
            return headers
    raise KeyError(f"{slug} has no operation {operation_id!r}")


def control(app: Any, method: str, path: str, **kwargs: Any) -> Any:
    """Call the control API of an in-process mock (a fresh test client each time) and return the JSON."""
    from starlette.testclient import TestClient

    response = TestClient(app, raise_server_exceptions=False).request(method, f"/_ticketmock{path}", **kwargs)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def journal_of(app: Any, session: str = "default") -> list[dict[str, Any]]:
    headers = {"X-Ticketmock-Session": session}
    entries: list[dict[str, Any]] = control(app, "GET", "/journal", headers=headers)["entries"]
    return entries


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerProcess:
    """A real `ticketmock serve` process on a free loopback port, answering when constructed.

    It writes to a temporary file, not a pipe, so a chatty server can never block on a full pipe;
    if it does not come up, the error shows what it printed.
    """

    def __init__(self, *args: str, port: int | None = None, env: dict[str, str] | None = None,
                 timeout: float = 30) -> None:
        import httpx

        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [str(Path(sys.executable).with_name("ticketmock")), "serve", "--port", str(self.port), *args]
        self._log = tempfile.TemporaryFile(mode="w+")
        # A process group of its own: closing stops its worker processes (--workers N) with it.
        self.process = subprocess.Popen(command, cwd=repo_path(), stdout=self._log, stderr=subprocess.STDOUT,
                                        text=True, env={**os.environ, **(env or {})}, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/_ticketmock/health", timeout=2).status_code < 500:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise AssertionError(f"{' '.join(command)} did not come up:\n{self.output()}")
            time.sleep(0.05)

    def output(self) -> str:
        """Everything the process printed so far."""
        self._log.seek(0)
        return self._log.read()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        """Send `sig` and wait for the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        """Stop the server and every process it started: politely, then for good."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # workers a killed parent left behind
        except ProcessLookupError:
            pass
        if self.process.poll() is None:
            self.process.wait(timeout=10)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        self._log.close()


@contextmanager
def running_server(*args: str, timeout: float = 30) -> Iterator[str]:
    """A real, quiet `ticketmock serve` process on a free port: yields its origin, then stops it."""
    with ServerProcess("--quiet", *args, timeout=timeout) as server:
        try:
            yield server.url
        finally:
            try:
                server.stop(timeout=10)
            except subprocess.TimeoutExpired:
                server.close()


# --- example requests and state, for the bad-input and fuzz tests ------------------------------------

CONTROL = "_ticketmock"
# Per API: the error body's media type and the members every error body has (the vendor's envelope).
ERROR_SHAPES: dict[str, tuple[str, frozenset[str]]] = {
    "bloxs": ("application/problem+json", frozenset({"type", "title", "status", "traceId"})),
    "bobdesk": ("application/json", frozenset({"message", "code"})),
    "flowretail": ("application/json", frozenset({"status", "code", "message"})),
    "jifeline": ("application/problem+json", frozenset({"status", "type", "title", "detail"})),
    "spacebring": ("application/json", frozenset({"message", "type"})),
    CONTROL: ("application/problem+json", frozenset({"type", "title", "status", "detail"})),
}
# Jifeline's token endpoint answers errors as RFC 6749 does.
OAUTH_ERROR_SHAPE = ("application/json", frozenset({"error", "error_description"}))


@dataclass(frozen=True)
class ExampleRequest:
    """One operation's request as its spec examples give it (the shipped fixtures make them valid)."""

    slug: str
    operation_id: str
    method: str
    path: str  # the mock path: base path and example path parameters filled in
    query: dict[str, str]
    headers: dict[str, str]
    media_type: str | None  # None: the operation takes no body
    body: Any
    parameters: tuple[tuple[str, str], ...] = ()  # (name, location) of every declared parameter
    path_values: tuple[tuple[str, str], ...] = ()  # (name, example) of the path parameters
    template: str = ""  # the mock path template, e.g. /bobdesk/api/v3.0/tickets/{ticketId}

    def path_with(self, name: str, value: str) -> str:
        """The path with one path parameter set to `value` (inserted as is: percent-encode it yourself)."""
        values = {**dict(self.path_values), name: value}
        path = self.template
        for key, text in values.items():
            path = path.replace("{" + key + "}", text)
        return path

    def send(self, client: Any, *, path: str | None = None, query: dict[str, str] | None = None,
             headers: dict[str, Any] | None = None, content: bytes | None = None) -> Any:
        """Send it through a test client; keyword arguments replace the example's parts."""
        sent_headers = dict(self.headers if headers is None else headers)
        if content is None and self.media_type is not None:
            content = encode_body(self.body, self.media_type)
        if content is not None and self.media_type is not None:
            sent_headers.setdefault("Content-Type", self.media_type)
        return client.request(self.method, self.path if path is None else path,
                              params=self.query if query is None else query, headers=sent_headers,
                              content=content, follow_redirects=False)


def encode_body(body: Any, media_type: str) -> bytes:
    if media_type == "application/x-www-form-urlencoded":
        from urllib.parse import urlencode

        return urlencode(body).encode()
    return json.dumps(body).encode()


def _example_of(node: dict[str, Any]) -> Any:
    if "example" in node:
        return node["example"]
    examples = node.get("examples") or {}
    for example in examples.values():
        if "value" in example:
            return example["value"]
    schema = node.get("schema") or {}
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    return schema.get("enum", [None])[0]


def control_spec() -> dict[str, Any]:
    from mockserver.control import CONTROL_SPEC

    return load_spec(CONTROL_SPEC)


def example_requests(slug: str) -> list[ExampleRequest]:
    """Every operation of an API (or of the control API, slug `_ticketmock`) as an example request."""
    from mockserver.auth import sample_credentials, schemes_of
    from mockserver.spec import inline_refs, iter_operations, mock_base_path

    spec = control_spec() if slug == CONTROL else spec_of(slug)
    base = f"/{CONTROL}" if slug == CONTROL else mock_base_path(slug, spec)
    requests = []
    for template, method, raw in iter_operations(spec):
        operation = inline_refs(spec, raw)
        params = inline_refs(spec, spec["paths"][template].get("parameters", [])) + operation.get("parameters", [])
        headers, query = sample_credentials(operation.get("security", spec.get("security", [])), schemes_of(spec))
        path = template
        path_values = []
        for param in params:
            value = _example_of(param)
            if param["in"] == "path":
                path = path.replace("{" + param["name"] + "}", str(value))
                path_values.append((param["name"], str(value)))
            elif param.get("required") and param["in"] == "query":
                query[param["name"]] = str(value).lower() if isinstance(value, bool) else str(value)
            elif param["in"] == "header" and (param.get("required") or value is not None):
                headers[param["name"]] = str(value)
        media_type, body = None, None
        content = (operation.get("requestBody") or {}).get("content") or {}
        if content:
            media_type = "application/json" if "application/json" in content else next(iter(content))
            body = _example_of(content[media_type])
        requests.append(ExampleRequest(slug, operation["operationId"], method.upper(), base + path, query,
                                       headers, media_type, body, tuple((p["name"], p["in"]) for p in params),
                                       tuple(path_values), base + template))
    return requests


def state_hash(client: Any, slugs: Iterable[str] = SLUGS) -> str:
    """A digest of every API's state dump (its records and counters)."""
    digest = hashlib.sha256()
    for slug in slugs:
        response = client.get(f"/_ticketmock/apis/{slug}/state")
        assert response.status_code == 200, response.text
        digest.update(response.content)
    return digest.hexdigest()


def error_shape_problems(slug: str, operation_id: str | None, response: Any) -> list[str]:
    """What is wrong with an error response for the API's envelope ([] when it is the vendor's)."""
    media_type, members = OAUTH_ERROR_SHAPE if operation_id == "createAccessToken" else ERROR_SHAPES[slug]
    problems = []
    if response.headers.get("content-type", "").split(";")[0] != media_type:
        problems.append(f"content-type {response.headers.get('content-type')!r}, expected {media_type}")
    try:
        body = response.json()
    except ValueError:
        return [*problems, f"body is not JSON: {response.content[:200]!r}"]
    if not isinstance(body, dict) or not members <= set(body):
        problems.append(f"body {str(body)[:200]} lacks {sorted(members - set(body or {}))}")
    elif "status" in body and body["status"] != response.status_code:
        problems.append(f"body status {body['status']} != {response.status_code}")
    return problems


class RedisServer:
    """A real `redis-server` on a free loopback port with a temporary directory, for the tests.

    `make test` installs Debian's redis-server when the machine has none; without it this fails
    with one line saying how to get it (no test is skipped for want of Redis).
    """

    def __init__(self, directory: Path, *, port: int | None = None, persistent: bool = False) -> None:
        import shutil

        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: `apt-get install redis-server` (make test does it "
                               "on Debian), or put a redis-server (or valkey-server) binary on PATH")
        self.binary = binary
        self.directory = directory
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.persistent = persistent  # an append-only file: what was written survives a restart
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        import redis

        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--save", "", "--appendonly", "yes" if self.persistent else "no", "--appendfsync", "always",
             "--daemonize", "no", "--logfile", str(self.directory / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server on port {self.port} did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def redis_backend(url: str) -> Any:
    """A Redis backend under a prefix of its own: tests share one server and never see each other."""
    import uuid

    from mockserver.state.redis import RedisBackend

    return RedisBackend(url, prefix=f"test-{uuid.uuid4().hex[:12]}:")


# --- a real browser: Debian's Chromium driven by Playwright ------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
# Headless, no sandbox (CI runs as root in a container), and nothing that talks to Google's servers.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """A Playwright browser context on Debian's Chromium with a fresh profile in `profile` (never
    Playwright's own browser download, which cannot work here)."""
    import pytest

    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium package) or "
                    "`apt-get install chromium`", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        try:
            yield context
        finally:
            context.close()
