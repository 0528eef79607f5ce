"""pytest options for the contract suite: `pytest contracts [--contract-base-url URL] [--contract-api SLUG]`."""

from __future__ import annotations

import pytest

from mockserver.vendors import SLUGS


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ticketmock contracts")
    group.addoption("--contract-base-url", default=None,
                    help="Run the contract suite against this running server instead of the in-process mock "
                         "(credentials from TICKETMOCK_<SLUG>_* variables; see the README).")
    group.addoption("--contract-api", action="append", default=[], choices=SLUGS, metavar="SLUG",
                    help="Only this API (repeatable). Default: all five.")
    group.addoption("--contract-max-examples", type=int, default=12,
                    help="Examples per operation and phase (default 12; the CLI defaults to 25).")
    group.addoption("--contract-allow-writes", action="store_true",
                    help="Send non-GET requests to a non-loopback --contract-base-url.")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "contract_slug" in metafunc.fixturenames:
        slugs = metafunc.config.getoption("contract_api") or list(SLUGS)
        metafunc.parametrize("contract_slug", slugs)
