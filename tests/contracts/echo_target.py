"""A hostile target for redaction tests: it reflects every request header back in every encoding.

Each answer is 200 with a JSON array where the specs expect objects, so Schemathesis reports a schema
violation and prints the array as evidence: the credential headers raw, base64-encoded (alone and
inside a longer text), URL-encoded, JSON-escaped (non-ASCII), cut short with "...", and placed where
the report's line truncation cuts them in two. `POST .../oauth2/token`
and `POST .../Authorization` hand out EXCHANGED_TOKEN, for client-credential runs.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import uvicorn

EXCHANGED_TOKEN = "xt-7f3a9c41d2e8b0"


# Schemathesis shows the first 20 lines of a value: the credential headers go first, the rest is left out.
REFLECTED = ("authorization", "x-api-key", "x-signature", "spacebring-network-id")


def reflections(name: str, value: str) -> list[str]:
    return [
        f"{name}: {value}",
        base64.b64encode(value.encode("latin-1")).decode(),
        base64.b64encode(f"{name}: {value}".encode("latin-1")).decode(),  # the value at another alignment
        quote(value, safe=""),
        value[: max(len(value) // 2, 5)] + "...",  # a target that cuts values short itself
        "x" * 50 + value,  # cut by the report's 80-column truncation in the middle of the value
    ]


async def echo_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
    if scope["method"] == "POST" and scope["path"].endswith(("/oauth2/token", "/Authorization")):
        body: Any = {"access_token": EXCHANGED_TOKEN, "token": EXCHANGED_TOKEN, "expires_in": 3600}
    else:
        present = dict(headers)
        body = [line for name in REFLECTED if name in present for line in reflections(name, present[name])]
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def echo_server() -> Iterator[str]:
    """The echo target over real HTTP on a free loopback port; yields its origin."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(echo_app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the echo target did not start within 10 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
