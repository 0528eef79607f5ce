"""Targets: loopback detection, credentials from the environment, token exchange, headers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contracts.targets import (
    MOCK_TOKEN,
    TargetError,
    env_credentials,
    exchange_token,
    is_loopback_url,
    mock_credentials,
    parse_header,
    resolve_target,
)


@pytest.mark.parametrize(("url", "loopback"), [
    ("http://127.0.0.1:8000/bobdesk", True),
    ("http://localhost:8000", True),
    ("http://[::1]:8000", True),
    ("https://api.bob-desk.com/api/v3.0", False),
    ("http://10.0.0.7", False),
])
def test_loopback_detection(url: str, loopback: bool) -> None:
    assert is_loopback_url(url, resolve=lambda host: ["93.184.216.34"]) is loopback


def test_a_name_is_loopback_only_if_every_address_is() -> None:
    assert is_loopback_url("http://mock.internal", resolve=lambda host: ["127.0.0.1", "::1"])
    assert not is_loopback_url("http://mock.internal", resolve=lambda host: ["127.0.0.1", "10.1.1.1"])

    def fails(host: str) -> list[str]:
        raise OSError("no such host")

    assert not is_loopback_url("http://nowhere.invalid", resolve=fails)


def test_remote_targets_default_to_read_only() -> None:
    remote = resolve_target("bobdesk", base_url="https://api.bob-desk.com/api/v3.0", environ={},
                            resolve=lambda host: ["93.184.216.34"])
    assert not remote.loopback and not remote.writes_allowed
    opted_in = resolve_target("bobdesk", base_url="https://api.bob-desk.com/api/v3.0", environ={},
                              allow_writes=True, resolve=lambda host: ["93.184.216.34"])
    assert opted_in.writes_allowed
    local = resolve_target("bobdesk", base_url="http://127.0.0.1:8000/bobdesk/api/v3.0", environ={})
    assert local.writes_allowed


def test_mock_credentials_cover_every_scheme() -> None:
    assert mock_credentials("jifeline").schemes == {"OAuth2": {"bearer": MOCK_TOKEN}}
    spacebring = mock_credentials("spacebring")
    assert spacebring.schemes["BasicAuth"] == {"username": "contract-user", "password": "contract-pass"}
    assert "spacebring-network-id" in spacebring.headers


def test_environment_credentials_per_scheme() -> None:
    environ = {"TICKETMOCK_SPACEBRING_USERNAME": "client-id", "TICKETMOCK_SPACEBRING_PASSWORD": "s3cret-pass",
               "TICKETMOCK_SPACEBRING_TOKEN": "oauth-token-xyz", "TICKETMOCK_SPACEBRING_NETWORK_ID": "net-1"}
    credentials = env_credentials("spacebring", "https://api.spacebring.com", environ)
    assert credentials.schemes == {"BasicAuth": {"username": "client-id", "password": "s3cret-pass"},
                                   "OAuth2": {"bearer": "oauth-token-xyz"}}
    assert credentials.headers == {"spacebring-network-id": "net-1"}
    assert set(credentials.secrets()) >= {"s3cret-pass", "oauth-token-xyz"}


def test_client_credentials_are_exchanged_at_the_token_endpoint() -> None:
    calls: list[dict[str, Any]] = []

    def post(url: str, **kwargs: Any) -> httpx.Response:
        calls.append({"url": url, **kwargs})
        return httpx.Response(200, json={"access_token": "exchanged-token", "expires_in": 3600})

    environ = {"TICKETMOCK_JIFELINE_CLIENT_ID": "cid", "TICKETMOCK_JIFELINE_CLIENT_SECRET": "client-secret-1",
               "TICKETMOCK_JIFELINE_API_KEY": "key-123"}
    credentials = env_credentials("jifeline", "https://partner-api-001.prd.jifeline.cloud", environ, post=post)
    assert calls[0]["url"] == "https://partner-api-001.prd.jifeline.cloud/oauth2/token"
    assert calls[0]["data"] == {"grant_type": "client_credentials", "client_id": "cid",
                                "client_secret": "client-secret-1"}
    # Jifeline's spec declares no API key scheme (the newer authentication page dropped x-api-key).
    assert credentials.schemes == {"OAuth2": {"bearer": "exchanged-token"}}
    assert "client-secret-1" in credentials.secrets()


def test_failed_exchange_is_a_target_error_naming_the_variables() -> None:
    def post(url: str, **kwargs: Any) -> httpx.Response:
        return httpx.Response(401, json={"error": "invalid_client"})

    with pytest.raises(TargetError, match="answered 401; check TICKETMOCK_BLOXS_CLIENT_ID"):
        exchange_token("bloxs", "https://tenant.bloxs.io", "k", "s", post=post)
    with pytest.raises(TargetError, match="bobdesk has no token endpoint"):
        exchange_token("bobdesk", "https://api.bob-desk.com", "k", "s")


def test_headers() -> None:
    assert parse_header("X-Trace: abc: def") == ("X-Trace", "abc: def")
    with pytest.raises(TargetError, match="expected 'Name: value'"):
        parse_header("no colon")
    with pytest.raises(TargetError, match="expected an http"):
        resolve_target("bobdesk", base_url="ftp://x", environ={})
