"""What counts as this machine: `localhost` and literal loopback addresses, never a DNS answer.

A name that resolves to 127.0.0.1 today may resolve elsewhere tomorrow (or for someone else): DNS
rebinding is made of such names, and a safety check must not hang on a resolver either. The control
API's Host check, the contract kit's "safe by default" and the Python API's network rule all ask here.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(name: str) -> bool:
    """`localhost`, 127.0.0.0/8, ::1 (and ::ffff:127.x), taken literally; brackets and case do not matter."""
    name = name.lower().removeprefix("[").removesuffix("]")
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def is_loopback_url(url: str) -> bool:
    """Whether a URL's host is this machine (see is_loopback)."""
    return is_loopback(urlsplit(url).hostname or "")
