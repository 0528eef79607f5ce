"""The public names: `ticketmock.__all__` is exactly what the package offers, and importing it is cheap."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import ticketmock


def test_all_names_exactly_the_public_members() -> None:
    assert ticketmock.__all__ == sorted(ticketmock.__all__)
    for name in ticketmock.__all__:  # every one resolves (they are imported on first use)
        assert getattr(ticketmock, name) is not None
    public = {name for name, value in vars(ticketmock).items()
              if not name.startswith("_") and not isinstance(value, ModuleType)  # submodules are not the API
              and name != "annotations"}  # from __future__ import annotations
    assert public == set(ticketmock.__all__)
    assert set(dir(ticketmock)) >= set(ticketmock.__all__)


def test_importing_the_package_imports_neither_httpx_nor_the_server() -> None:
    probe = "import sys, ticketmock, ticketmock.pytest_plugin; " \
            "print(sorted(m for m in ('httpx', 'mockserver', 'connexion', 'uvicorn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        ticketmock.Run  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert str(exc) == "module 'ticketmock' has no attribute 'Run'"
    else:
        raise AssertionError("ticketmock.Run resolved")
