"""The Redis backend on its own: key layout and fixture checks, replicas kept across registry reads."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis

from mockserver.app import MockOptions, create_app
from mockserver.state import StateError, check_backend, open_backend
from mockserver.state.redis import RedisBackend, client_url, safe_url
from tests.helpers import RedisServer


def backend_for(server: RedisServer, prefix: str | None = None) -> RedisBackend:
    return RedisBackend(server.url, prefix or f"test-{uuid.uuid4().hex[:10]}:")


def test_urls_are_printed_without_their_password_and_valkey_is_redis() -> None:
    assert safe_url("redis://:s3cret@db.example:6380/2") == "redis://:***@db.example:6380/2"
    assert safe_url("rediss://user:s3cret@[::1]:6380/0") == "rediss://user:***@[::1]:6380/0"
    assert safe_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert client_url("valkey://h:1/0") == "redis://h:1/0" and client_url("valkeys://h:1/0") == "rediss://h:1/0"
    with pytest.raises(StateError, match="expected redis://HOST:PORT/DB"):
        open_backend("http://user:pw@example.com")


def test_an_incompatible_layout_or_other_fixtures_refuse_to_start(redis_server: RedisServer) -> None:
    app = create_app(["bobdesk"], MockOptions())
    prefix = f"test-{uuid.uuid4().hex[:10]}:"
    client = redis.Redis.from_url(redis_server.url)
    client.set(f"{prefix}layout", 99)
    with pytest.raises(StateError, match="key layout 99 under prefix"):
        check_backend(backend_for(redis_server, prefix), app.runtime.baselines)
    client.set(f"{prefix}layout", 1)
    client.hset(f"{prefix}v1:fixtures", "bobdesk", "someone-elses")
    with pytest.raises(StateError, match="the bobdesk fixtures differ from those of the other ticketmock processes"):
        check_backend(backend_for(redis_server, prefix), app.runtime.baselines)
    check_backend(backend_for(redis_server), app.runtime.baselines)  # a fresh prefix is fine


def test_an_unreachable_redis_is_one_line_naming_the_url_without_password(tmp_path: object) -> None:
    app = create_app(["bobdesk"], MockOptions())
    with pytest.raises(StateError) as refused:
        check_backend(RedisBackend("redis://:pw-123@127.0.0.1:9/0"), app.runtime.baselines)
    assert "redis://:***@127.0.0.1:9/0 cannot be reached" in str(refused.value) and "pw-123" not in str(refused.value)
    assert "\n" not in str(refused.value)


def test_reading_the_registry_keeps_the_replicas(redis_server: RedisServer) -> None:
    app = create_app(["bobdesk"], MockOptions(backend=backend_for(redis_server)))
    backend = app.runtime.backend

    async def scenario() -> None:
        await app.runtime.start()
        session = await app.runtime.sessions.open("default", api="bobdesk")
        store = await backend.store(session, "bobdesk")
        listed = await backend.all()
        assert [s.name for s in listed] == ["default"] and listed[0] is session
        assert await backend.store(session, "bobdesk", fresh=True) is store
        await backend.close()

    asyncio.run(scenario())


def test_reloading_fixtures_is_refused_when_processes_share_the_state(redis_server: RedisServer) -> None:
    from click.testing import CliRunner
    from starlette.testclient import TestClient

    from mockserver.cli import main

    app = create_app(["bobdesk"], MockOptions(backend=backend_for(redis_server)))
    with TestClient(app) as client:
        refused = client.post("/_ticketmock/apis/bobdesk/reset", params={"reload": "true"})
        assert refused.status_code == 409 and "restart the processes" in refused.json()["detail"]
        assert client.post("/_ticketmock/apis/bobdesk/reset").status_code == 200
    result = CliRunner().invoke(main, ["serve", "--watch", "--state", redis_server.url, "--port", "0"])
    assert result.exit_code == 2 and "--watch reloads the fixtures of one process" in result.output
