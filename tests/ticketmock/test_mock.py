"""run() and connect(): a mock started in this process, or one running elsewhere."""

from __future__ import annotations

import http.server
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

import ticketmock
from mockserver.client import ControlError
from tests.helpers import free_port, readme_python, running_server


def test_run_serves_the_apis_asked_for_and_stops_with_its_block() -> None:
    with ticketmock.run(apis=["bobdesk", "jifeline"], seed=5, freeze_time="2026-03-01T09:00:00Z") as mock:
        assert mock.apis == ["bobdesk", "jifeline"]
        assert mock.base_url("bobdesk") == f"{mock.url}/_session/default/bobdesk/api/v3.0"
        made = mock.client("bobdesk").post("/tickets", json={"title": "In default"}).json()["ticket_id"]
        with mock.session(seed=5) as session:
            # a session with the same seed draws the same ids; the clock is the server's frozen one
            assert session.client("bobdesk").post("/tickets", json={"title": "t"}).json()["ticket_id"] == made
            assert session.now().isoformat() == "2026-03-01T09:00:00+00:00"
        assert len(mock.records("bobdesk", "tickets")) == 31
        with pytest.raises(ValueError, match="does not serve 'spacebring'"):
            mock.base_url("spacebring")
        port = int(mock.url.rsplit(":", 1)[1])
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/_ticketmock/health")
    assert not [t for t in threading.enumerate() if t.name == f"ticketmock-{port}"]


def test_two_mocks_run_side_by_side_on_a_port_given_or_picked() -> None:
    port = free_port()
    with ticketmock.run(apis=["bobdesk"], port=port) as first, ticketmock.run(apis=["bobdesk"]) as second:
        assert first.url == f"http://127.0.0.1:{port}" and second.url != first.url
        first.client("bobdesk").post("/tickets", json={"title": "Only in the first"})
        assert (len(first.records("bobdesk", "tickets")), len(second.records("bobdesk", "tickets"))) == (31, 30)
        with pytest.raises(OSError, match=rf"ticketmock cannot listen on 127\.0\.0\.1:{port}: .*0 picks a free one"):
            ticketmock.run(apis=["bobdesk"], port=port)


def test_connect_to_a_running_mock() -> None:
    with running_server("--api", "bobdesk") as url, ticketmock.connect(url) as mock:
        assert repr(mock) == f"<ticketmock.Mock at {url}, running elsewhere>"
        with mock.session(strict_auth=True) as session:
            assert session.client("bobdesk").get("/tickets").status_code == 200
        mock.close()  # closing twice is harmless
        assert httpx.get(f"{url}/_ticketmock/health").status_code == 200  # only run() stops a mock


@contextmanager
def not_a_mock() -> Iterator[str]:
    """Some other HTTP server (it answers 404 to everything the control API asks)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_connect_to_nothing_or_to_something_else_is_one_line() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ControlError, match=rf"^cannot reach the mock at {url}: .*is it running") as failed:
        ticketmock.connect(url, timeout=2)
    assert failed.value.status is None
    with not_a_mock() as other, pytest.raises(ControlError, match=r"/_ticketmock/health answered 501") as failed:
        ticketmock.connect(other, timeout=2)
    assert failed.value.status == 501


def test_a_wildcard_host_is_reached_through_loopback() -> None:
    with ticketmock.run(apis=["bobdesk"], host="0.0.0.0") as mock:
        assert mock.url.startswith("http://127.0.0.1:")
        with socket.create_connection(("127.0.0.1", int(mock.url.rsplit(":", 1)[1]))):
            pass


def test_the_readmes_python_api_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    exec(readme_python("import ticketmock\n"), {})
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/_session/default/bobdesk/api/v3\.0\n", capsys.readouterr().out)
