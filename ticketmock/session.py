"""One session of a running mock, and everything a test does with it, over the control API.

Nothing here reaches into the server: the same code works against a mock the plugin started in
this process and against one started elsewhere (`--ticketmock-url`), whatever keeps its state.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import httpx

from mockserver.client import ControlClient, instant
from ticketmock.calls import SHOWN, called_message, check_keys, listing, matches
from ticketmock.credentials import Credentials, TokenExchange, client_settings, tls_context
from ticketmock.network import check_local

Records = Mapping[str, Sequence[Mapping[str, Any]]]
PREFIX = "/_session/"


class Session:
    """A session: its APIs' base URLs, httpx clients with credentials it accepts, its state, journal,
    faults and clock, and assertions on the requests it received.

    `Mock.session()` and the pytest fixture `ticketmock` make them; `close()` closes the clients it
    made and deletes the session when this handle created it.
    """

    def __init__(self, control: ControlClient, base_paths: Mapping[str, str], *, owned: bool = False,
                 credentials: Credentials | None = None, allow_remote: bool = False) -> None:
        self._control = control
        self._base_paths = dict(base_paths)
        self._owned = owned
        self._clients: list[httpx.Client] = []
        self._exchanges: dict[str, TokenExchange] = {}
        self.credentials = credentials or Credentials()
        self.allow_remote = allow_remote

    @property
    def name(self) -> str:
        return self._control.session

    @property
    def url(self) -> str:
        """The mock's origin, e.g. `http://127.0.0.1:53411`."""
        return self._control.url

    @property
    def apis(self) -> list[str]:
        """The slugs of the APIs the mock serves."""
        return list(self._base_paths)

    def __repr__(self) -> str:
        return f"<ticketmock.Session {self.name!r} of {self.url}>"

    # --- where the APIs are, and clients for them ------------------------------------------------

    def base_url(self, slug: str) -> str:
        """The API's base URL inside this session: `http://127.0.0.1:PORT/_session/NAME/bobdesk/api/v3.0`.

        A client that only changes its base URL lands in the session, no header needed.
        """
        if slug not in self._base_paths:
            raise ValueError(f"this mock does not serve {slug!r}; it serves: {', '.join(self._base_paths)}")
        return f"{self.url}{PREFIX}{self.name}{self._base_paths[slug]}"

    def client(self, slug: str, *, allow_remote: bool = False, **kwargs: Any) -> httpx.Client:
        """An httpx client on the API's base URL with credentials the session accepts.

        Jifeline and Bloxs clients exchange the session's client credentials at the API's token
        endpoint before their first request, as a real client does. Keyword arguments go to
        `httpx.Client` (headers given are added). The session closes the client in `close()`.
        """
        base, headers, auth = self._client_settings(slug, allow_remote, kwargs)
        client = httpx.Client(base_url=base, headers=headers, auth=auth, **{"verify": tls_context(), **kwargs})
        self._clients.append(client)
        return client

    def async_client(self, slug: str, *, allow_remote: bool = False, **kwargs: Any) -> httpx.AsyncClient:
        """`client()` for asyncio code: use it in `async with` (only you can close it, in your loop).

        It keeps no idle connection unless you pass `limits=`, so one left open holds no socket.
        """
        base, headers, auth = self._client_settings(slug, allow_remote, kwargs)
        kwargs = {"verify": tls_context(), "limits": httpx.Limits(max_keepalive_connections=0), **kwargs}
        return httpx.AsyncClient(base_url=base, headers=headers, auth=auth, **kwargs)

    def _client_settings(self, slug: str, allow_remote: bool,
                         kwargs: dict[str, Any]) -> tuple[str, dict[str, str], httpx.Auth | None]:
        base = self.base_url(slug)
        check_local(base, allowed=allow_remote or self.allow_remote)
        headers, auth = client_settings(slug, base, self.credentials, self._exchanges)
        headers.update(kwargs.pop("headers", None) or {})
        return base, headers, kwargs.pop("auth", auth)

    # --- state ------------------------------------------------------------------------------------

    def state(self, slug: str) -> dict[str, Any]:
        """The API's whole state in this session: `{"api", "collections": {name: [records]}, "counters"}`."""
        return self._control.state(slug)

    def records(self, slug: str, collection: str) -> list[dict[str, Any]]:
        """The records of one collection (`records("bobdesk", "tickets")`), in insertion order."""
        collections = self.state(slug)["collections"]
        if collection not in collections:
            raise ValueError(f"{slug} has no collection {collection!r}; it has: {', '.join(collections)}")
        rows: list[dict[str, Any]] = collections[collection]
        return rows

    def load(self, slug: str, fixtures: Records | str | os.PathLike[str],
             counters: Mapping[str, int] | None = None) -> dict[str, int]:
        """Put these records in place of the API's state; collections not named keep the shipped
        fixtures. `fixtures` is `{collection: [records]}` or a YAML/JSON file of that shape.
        Returns the record count per collection. Invalid records: ControlError naming the field."""
        if isinstance(fixtures, str | os.PathLike):
            fixtures = read_fixture_file(os.fspath(fixtures))
        records: dict[str, int] = self._control.load_state(slug, fixtures, counters)["records"]
        return records

    def reset(self, slug: str | None = None) -> None:
        """One API (or all) back to the fixtures."""
        self._control.reset(slug)

    def snapshot(self) -> dict[str, Any]:
        """The session's whole state as one JSON-ready document, for `restore()`."""
        return self._control.snapshot()

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        """Put a `snapshot()` back (of this session or another), all at once."""
        self._control.load_snapshot(dict(snapshot))

    # --- the journal and assertions ---------------------------------------------------------------

    def journal(self, *, api: str | None = None, operation_id: str | None = None) -> list[dict[str, Any]]:
        """The requests this session received, oldest first (method, path, status, operationId, validation...)."""
        return self._control.journal(api=api, operation_id=operation_id)

    def assert_called(self, operation_id: str, times: int | None = None, **match: Any) -> list[dict[str, Any]]:
        """Assert the operation was called (`times` times exactly, else at least once), counting only
        requests whose journal entries match every keyword: `api`, `method`, `path`, `query`, `status`,
        `validation`, `reason`, `fault` (a value, a compiled regex, or a predicate). Returns those entries.
        """
        __tracebackhide__ = True
        check_keys(match)
        entries = self.journal()
        of_operation = [e for e in entries if e.get("operationId") == operation_id]
        found = [e for e in of_operation if matches(e, match)]
        if (times is None and not found) or (times is not None and len(found) != times):
            raise AssertionError(called_message(operation_id, found=len(found), of_operation=len(of_operation),
                                                expected=times, match=match, session=self.name, entries=entries))
        return found

    def assert_not_called(self, operation_id: str, **match: Any) -> None:
        """Assert no request (matching the keywords, as in `assert_called`) reached the operation."""
        __tracebackhide__ = True
        self.assert_called(operation_id, 0, **match)

    def requests_report(self, limit: int = SHOWN) -> str:
        """The last requests, one line each, for a failure report (never raises)."""
        try:
            entries = self._control.journal()
        except Exception as exc:  # the report must not hide the test's own failure
            return f"(the journal of session {self.name!r} could not be read: {exc})"
        shown = min(limit, len(entries))
        head = f"ticketmock session {self.name!r} at {self.url}, last {shown} of {len(entries)} request(s):"
        return f"{head}\n{listing(entries, limit)}"

    # --- faults and the clock ---------------------------------------------------------------------

    def fault(self, slug: str, operation_id: str, *, status: int | None = None, latency_ms: int | None = None,
              once: bool = True) -> dict[str, Any]:
        """Make the operation fail with `status` (in the vendor's error shape) and/or answer after
        `latency_ms`: on its next request (`once`), or until `clear_faults()`."""
        return self._control.arm_fault(slug, operation_id, status=status, latency_ms=latency_ms, once=once)

    def clear_faults(self) -> None:
        self._control.clear_faults()

    def freeze(self, at: datetime | str) -> datetime:
        """Stop the session's clock at `at` (a naive datetime is UTC); returns the clock's time."""
        return parse_time(self._control.set_clock(freeze=instant(at))["now"])

    def advance(self, duration: timedelta | str | float) -> datetime:
        """Move the session's clock on by a timedelta, seconds, or an ISO 8601 duration (`PT2H`)."""
        return parse_time(self._control.set_clock(advance=iso_duration(duration))["now"])

    def resume(self) -> datetime:
        """Let a frozen clock run again from where it stands."""
        return parse_time(self._control.set_clock(resume=True)["now"])

    def now(self) -> datetime:
        return parse_time(self._control.clock()["now"])

    # --- the end ----------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the clients this handle made; delete the session if this handle created it."""
        for client in self._clients:
            client.close()
        self._clients.clear()
        if self._owned:
            self._owned = False
            self._control.delete_session(self.name)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_fixture_file(path: str) -> Records:
    import yaml

    try:
        with open(path, "rb") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise ValueError(f"cannot read fixtures from {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"{path} is not valid YAML or JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of collection name -> list of records")
    return data


def iso_duration(value: timedelta | str | float) -> str:
    """`timedelta(hours=2)` or 7200 -> `PT7200S`; text is taken as an ISO 8601 duration as it is."""
    if isinstance(value, str):
        return value
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    text = f"{abs(seconds):.6f}".rstrip("0").rstrip(".")
    return f"{'-' if seconds < 0 else ''}PT{text}S"


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(re.sub(r"Z$", "+00:00", text))
