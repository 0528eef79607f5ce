"""Shared pytest configuration: factories live in tests/helpers.py, not here; servers the tests need."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import RedisServer


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One real redis-server for the test run (each test uses a key prefix of its own)."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        yield server
    finally:
        server.stop()
