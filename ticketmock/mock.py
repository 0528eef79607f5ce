"""A running mock: one started in this process (`run`) or one running elsewhere (`connect`)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from mockserver.client import DEFAULT_SESSION, ControlClient, ControlError
from ticketmock.credentials import Credentials
from ticketmock.server import BackgroundServer, build_app
from ticketmock.session import Session, parse_time


class Mock(Session):
    """A running mock of the vendors' APIs. As a `Session` it acts on the mock's `default` session;
    `session()` makes isolated ones. `close()` (or leaving `with`) stops a mock that `run` started."""

    def __init__(self, control: ControlClient, base_paths: Mapping[str, str], *,
                 server: BackgroundServer | None = None, credentials: Credentials | None = None,
                 allow_remote: bool = False) -> None:
        super().__init__(control, base_paths, credentials=credentials, allow_remote=allow_remote)
        self._server = server

    def __repr__(self) -> str:
        where = "started in this process" if self._server else "running elsewhere"
        return f"<ticketmock.Mock at {self.url}, {where}>"

    def session(self, name: str | None = None, *, seed: int | None = None, freeze_time: datetime | str | None = None,
                strict_auth: bool = False, tokens: Sequence[str] = (), ttl_seconds: float | None = None) -> Session:
        """A new, isolated session starting from the fixtures; deleted by its `close()`.

        `seed` fixes its generated ids, `freeze_time` starts its clock frozen, `strict_auth` makes it
        accept only its clients' credentials, `tokens` and what its token endpoints issue.
        """
        name = name or f"s-{secrets.token_hex(6)}"
        self._control.create_session(name, seed=seed, freeze_time=freeze_time, strict_auth=strict_auth,
                                     tokens=[*self.credentials.accepted(), *tokens], ttl_seconds=ttl_seconds)
        return Session(self._control.in_session(name), self._base_paths, owned=True, credentials=self.credentials,
                       allow_remote=self.allow_remote)

    def close(self) -> None:
        """Close this handle's clients and connections; stop the mock if `run` started it."""
        try:
            super().close()
        finally:
            self._control.close()
            if self._server is not None:
                self._server.stop()
                self._server = None

    def __enter__(self) -> Mock:
        return self


def connect(url: str, *, allow_remote: bool = False, credentials: Credentials | None = None,
            timeout: float = 30) -> Mock:
    """The mock running at `url` (e.g. `http://127.0.0.1:8000`); ControlError when none answers there.

    Only the control API is asked here; `client()` refuses a non-loopback mock unless `allow_remote`.
    """
    control = ControlClient(url, session=DEFAULT_SESSION, timeout=timeout)
    try:
        control.health()
        base_paths = {api["slug"]: api["basePath"] for api in control.apis()}
    except (ControlError, KeyError, TypeError) as exc:
        control.close()
        if isinstance(exc, ControlError):
            raise
        raise ControlError(f"{url} does not answer like a ticketmock server (GET /_ticketmock/apis)") from None
    return Mock(control, base_paths, credentials=credentials, allow_remote=allow_remote)


def run(apis: Sequence[str] | None = None, *, seed: int | None = None, port: int = 0, host: str = "127.0.0.1",
        freeze_time: datetime | str | None = None, fixtures_dir: str | Path | None = None,
        validate_responses: bool = False, latency_ms: float = 0, timeout: float = 30) -> Mock:
    """Start the mock of `apis` (default: all five) in a background thread of this process.

    `port=0` picks a free port (`mock.url` says which). `seed`, `freeze_time`, `fixtures_dir`,
    `validate_responses` and `latency_ms` are `ticketmock serve`'s options of the same names.
    Use it in `with` (or call `close()`): the mock stops with it.
    """
    frozen = parse_time(freeze_time) if isinstance(freeze_time, str) else freeze_time
    app = build_app(apis, seed=seed, freeze_time=frozen, fixtures_dir=Path(fixtures_dir) if fixtures_dir else None,
                    validate_responses=validate_responses, latency_ms=latency_ms)
    server = BackgroundServer(app, host=host, port=port)
    server.start(timeout)
    try:
        mock = connect(server.url, allow_remote=True, timeout=timeout)  # this process's own server
    except BaseException:
        server.stop()
        raise
    mock._server = server
    return mock
