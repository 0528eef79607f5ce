"""Targets: loopback detection, credentials from the environment, token exchange, headers."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from contracts.redaction import BasicPair, Secret
from contracts.runner import RunSettings, config_data
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
    ("http://127.8.9.10:8000", True),
    ("http://localhost:8000", True),
    ("http://LOCALHOST:8000", True),
    ("http://[::1]:8000", True),
    ("http://[::ffff:127.0.0.1]:8000", True),
    ("https://api.bob-desk.com/api/v3.0", False),
    ("http://10.0.0.7", False),
    ("http://0.0.0.0:8000", False),
    ("http://127.1:8000", False),  # not a literal address: a resolver decides, so remote
    ("http://localhost.:8000", False),
    ("http://app.localhost:8000", False),
    ("http://mock.internal:8000", False),
])
def test_loopback_is_decided_from_the_literal_host(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


def test_a_name_resolving_to_loopback_is_remote_without_a_dns_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    lookups: list[str] = []

    def resolver(host: str, *args: Any, **kwargs: Any) -> Any:
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 0))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    monkeypatch.setattr(socket, "gethostbyname", resolver)
    # (no probe for a ticketmock server either: that is a request, which would resolve the name)
    target = resolve_target("bobdesk", base_url="http://tickets.dev.example:8000/bobdesk/api/v3.0", environ={},
                            detect=lambda url: False)
    assert not target.loopback and not target.writes_allowed
    assert config_data(target, RunSettings())["rate-limit"] == "5/s"
    assert lookups == []


def test_remote_targets_default_to_read_only() -> None:
    remote = resolve_target("bobdesk", base_url="https://api.bob-desk.com/api/v3.0", environ={})
    assert not remote.loopback and not remote.writes_allowed
    opted_in = resolve_target("bobdesk", base_url="https://api.bob-desk.com/api/v3.0", environ={},
                              allow_writes=True)
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
    assert set(credentials.secrets) >= {
        Secret("oauth-token-xyz", "TICKETMOCK_SPACEBRING_TOKEN"), Secret("net-1", "TICKETMOCK_SPACEBRING_NETWORK_ID"),
        BasicPair(Secret("client-id", "TICKETMOCK_SPACEBRING_USERNAME"),
                  Secret("s3cret-pass", "TICKETMOCK_SPACEBRING_PASSWORD"))}


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
    assert Secret("client-secret-1", "TICKETMOCK_JIFELINE_CLIENT_SECRET") in credentials.secrets
    # The exchanged token has no variable of its own: reproductions name TOKEN, and the run says so.
    assert Secret("exchanged-token", "TICKETMOCK_JIFELINE_TOKEN") in credentials.secrets
    assert "reproductions read it from TICKETMOCK_JIFELINE_TOKEN" in credentials.notes[0]


def test_failed_exchange_is_a_target_error_naming_the_variables() -> None:
    def post(url: str, **kwargs: Any) -> httpx.Response:
        return httpx.Response(401, json={"error": "invalid_client"})

    with pytest.raises(TargetError, match="answered 401; check TICKETMOCK_BLOXS_CLIENT_ID"):
        exchange_token("bloxs", "https://tenant.bloxs.io", "k", "s", post=post)
    with pytest.raises(TargetError, match="bobdesk has no token endpoint"):
        exchange_token("bobdesk", "https://api.bob-desk.com", "k", "s")


def test_a_password_in_the_base_url_is_a_secret() -> None:
    target = resolve_target("bobdesk", base_url="https://me:url-pass-31@api.bob-desk.com/api/v3.0", environ={})
    assert Secret("url-pass-31") in target.credentials.secrets


def test_headers() -> None:
    assert parse_header("X-Trace: abc: def") == ("X-Trace", "abc: def")
    with pytest.raises(TargetError, match="expected 'Name: value'"):
        parse_header("no colon")
    with pytest.raises(TargetError, match="expected an http"):
        resolve_target("bobdesk", base_url="ftp://x", environ={})
