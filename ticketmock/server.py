"""The mock in a background thread of this process: a uvicorn Server with an event loop of its own.

A thread rather than a subprocess: it is up in the time the app takes to build (no second
interpreter importing Connexion), it cannot outlive the test run (a daemon thread ends with the
process, even when pytest is killed), and there is no child output or exit status to collect. What
a thread shares with the tests is handled here: the import and the build run with warnings ignored
(Connexion's and Starlette's deprecations would fail a suite that turns warnings into errors),
uvicorn adds no logging handler (the process's configuration stays as the user set it; uvicorn's
own loggers are set to warnings) and no signal handler (it only installs them in the main
thread), and an error in the thread is kept and raised by `start`, never left to the thread's
excepthook.
"""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any


def build_app(apis: Sequence[str] | None, *, seed: int | None, freeze_time: datetime | None,
              fixtures_dir: Path | None, validate_responses: bool, latency_ms: float) -> Any:
    """The mock as an ASGI app (raises FixtureError for invalid fixture files, KeyError for an unknown slug)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from mockserver.app import MockOptions, create_app

        options = MockOptions(seed=seed, freeze_time=freeze_time, fixtures_dir=fixtures_dir,
                              validate_responses=validate_responses, latency_ms=latency_ms)
        return create_app(list(apis) if apis else None, options)


class BackgroundServer:
    """Serves `app` on `host:port` (0: a free port) in a daemon thread until `stop()`."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int = 0) -> None:
        import uvicorn

        from mockserver.server import protocol_for

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._socket.bind((host, port))
            self._socket.listen(128)
        except OSError as exc:
            self._socket.close()
            raise OSError(f"ticketmock cannot listen on {host}:{port}: {exc.strerror}; choose another port "
                          "(0 picks a free one)") from None
        self.port: int = self._socket.getsockname()[1]
        # Clients reach a wildcard address through loopback.
        shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, f"[{host}]" if family == socket.AF_INET6 else host)
        self.url = f"http://{shown}:{self.port}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False, ws="none",
                                    lifespan="on", http=protocol_for(app.runtime.vendors))
            config.load()
        self._server = uvicorn.Server(config)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._serve, name=f"ticketmock-{self.port}", daemon=True)

    def _serve(self) -> None:
        try:
            self._server.run(sockets=[self._socket])
        except BaseException as exc:  # noqa: B036 - SystemExit too: uvicorn exits when startup fails
            self._error = exc

    def start(self, timeout: float = 30) -> None:
        """Start serving; return once the mock accepts requests (RuntimeError when it cannot)."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                reason = repr(self._error) if self._error else f"not up after {timeout:g} s"
                raise RuntimeError(f"ticketmock did not start on {self.url}: {reason}")
            time.sleep(0.005)

    def stop(self, timeout: float = 10) -> None:
        """Stop accepting, finish open requests, run the app's shutdown; wait for the thread."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._socket.close()

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and self._server.started
