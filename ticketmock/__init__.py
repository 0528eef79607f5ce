"""ticketmock's Python API: the vendors' mock inside your own tests and scripts.

    with ticketmock.run(apis=["bobdesk"], seed=7) as mock:
        with mock.session() as session:
            session.client("bobdesk").post("/tickets", json={"title": "Porte bloquée"})
            session.assert_called("createTicket", times=1, status=200)

The names in `__all__` are public and stable; everything else (the modules below this package
included) may change. The names are imported on first use, so loading the pytest plugin costs
a test run nothing until a test asks for the mock.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from mockserver.client import ControlError
    from ticketmock.credentials import Credentials
    from ticketmock.mock import Mock, connect, run
    from ticketmock.network import NetworkRefused
    from ticketmock.session import Session

__all__ = ["ControlError", "Credentials", "Mock", "NetworkRefused", "Session", "connect", "run"]

_HOMES = {"ControlError": "mockserver.client", "Credentials": "ticketmock.credentials", "Mock": "ticketmock.mock",
          "NetworkRefused": "ticketmock.network", "Session": "ticketmock.session", "connect": "ticketmock.mock",
          "run": "ticketmock.mock"}


def __getattr__(name: str) -> _typing.Any:
    if name in _HOMES:
        value = getattr(_importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ticketmock' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
