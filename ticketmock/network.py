"""Where the helpers may send requests: loopback addresses only, unless the user opts in."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


class NetworkRefused(Exception):
    """A client was asked for a mock that is not on this machine and nobody opted in."""


def is_loopback_url(url: str) -> bool:
    """True only for `localhost` and literal loopback addresses (127.0.0.0/8, ::1), never by a DNS lookup.

    The contract kit's rule (contracts.targets): a name that resolves to 127.0.0.1 today may resolve
    elsewhere tomorrow, and a safety check must not hang on a resolver.
    """
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def check_local(url: str, *, allowed: bool) -> None:
    """Raise NetworkRefused (one line, naming the opt-ins) for a non-loopback URL unless `allowed`."""
    if not allowed and not is_loopback_url(url):
        raise NetworkRefused(
            f"ticketmock: refusing to send requests to {url}: it is not a loopback address; if it is a mock you "
            "trust, pass allow_remote=True (or run pytest with --ticketmock-allow-remote, or set "
            "ticketmock_allow_remote = true in its configuration)")
