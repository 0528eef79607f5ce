"""Helpers shared by the test modules (kept out of conftest so tests can import them)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


FROZEN_NOW = "2026-11-20T09:30:00+00:00"


def make_app(*apis: str, **options: Any) -> Any:
    """A mock of the given APIs (default: all) with response validation on and a frozen clock."""
    from datetime import datetime

    from mockserver.app import MockOptions, create_app

    options.setdefault("validate_responses", True)
    options.setdefault("seed", 1)
    options.setdefault("freeze_time", datetime.fromisoformat(FROZEN_NOW))
    return create_app(list(apis) or None, MockOptions(**options))


def make_client(*apis: str, **options: Any) -> Any:
    """A synchronous test client on a fresh mock (see make_app)."""
    from starlette.testclient import TestClient

    return TestClient(make_app(*apis, **options), raise_server_exceptions=False)


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
        import os

        import httpx

        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [str(Path(sys.executable).with_name("ticketmock")), "serve", "--port", str(self.port), *args]
        self._log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(command, cwd=repo_path(), stdout=self._log, stderr=subprocess.STDOUT,
                                        text=True, env={**os.environ, **(env or {})})
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
        if self.process.poll() is None:
            self.process.kill()
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
