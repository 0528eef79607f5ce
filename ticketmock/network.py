"""Where the helpers may send requests: loopback addresses only, unless the user opts in."""

from __future__ import annotations

from mockserver.hosts import is_loopback_url


class NetworkRefused(Exception):
    """A client was asked for a mock that is not on this machine and nobody opted in."""


def check_local(url: str, *, allowed: bool) -> None:
    """Raise NetworkRefused (one line, naming the opt-ins) for a non-loopback URL unless `allowed`."""
    if not allowed and not is_loopback_url(url):
        raise NetworkRefused(
            f"ticketmock: refusing to send requests to {url}: it is not a loopback address; if it is a mock you "
            "trust, pass allow_remote=True (or run pytest with --ticketmock-allow-remote, or set "
            "ticketmock_allow_remote = true in its configuration)")
