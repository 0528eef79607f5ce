"""Credential checks per security scheme, restrictions, issued tokens and their expiry."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from mockserver.auth import Authenticator, CredentialPolicy, Presented, Scheme, TokenRegistry, sample_credentials
from mockserver.clock import FrozenClock
from mockserver.errors import Unauthenticated

SCHEMES = {
    "bearer": Scheme("bearer", "bearer"),
    "basic": Scheme("basic", "basic"),
    "key": Scheme("key", "apiKey", "header", "x-api-key"),
}
CLOCK = FrozenClock(datetime(2026, 1, 1, tzinfo=UTC))


def make_auth(**policy: object) -> Authenticator:
    return Authenticator("demo", SCHEMES, CredentialPolicy.from_options(**policy), TokenRegistry(CLOCK))  # type: ignore[arg-type]


def presented(**headers: str) -> Presented:
    return Presented({k.lower().replace("_", "-"): v for k, v in headers.items()})


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_any_well_formed_credential_passes_by_default() -> None:
    auth = make_auth()
    assert auth.check([{"bearer": []}], presented(authorization="Bearer anything.at-all~")) == "bearer"
    assert auth.check([{"basic": []}], presented(authorization=basic("u", "p"))) == "basic"
    assert auth.check([{"key": []}], presented(x_api_key="k")) == "key"
    assert auth.check([], presented()) is None
    assert auth.check([{}], presented()) is None


@pytest.mark.parametrize(("header", "reason"), [
    ("", "missing credentials"),
    ("Bearer", "malformed bearer token"),
    ("Bearer has space", "malformed bearer token"),
    ("Token abc", "uses scheme 'Token'"),
])
def test_bad_bearer_is_refused_with_a_challenge(header: str, reason: str) -> None:
    with pytest.raises(Unauthenticated, match=reason) as caught:
        make_auth().check([{"bearer": []}], presented(authorization=header) if header else presented())
    assert [str(c) for c in caught.value.challenges][0].startswith('Bearer realm="demo"')


def test_all_schemes_of_one_requirement_are_needed() -> None:
    auth = make_auth()
    with pytest.raises(Unauthenticated, match="missing API key"):
        auth.check([{"bearer": [], "key": []}], presented(authorization="Bearer t"))
    assert auth.check([{"bearer": [], "key": []}], presented(authorization="Bearer t", x_api_key="k"))


def test_alternatives_any_one_suffices() -> None:
    auth = make_auth()
    assert auth.check([{"basic": []}, {"bearer": []}], presented(authorization="Bearer t")) == "bearer"


def test_malformed_basic_is_refused() -> None:
    auth = make_auth()
    for header in ("Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode()):
        with pytest.raises(Unauthenticated, match="malformed basic"):
            auth.check([{"basic": []}], presented(authorization=header))


def test_restrictions_accept_only_configured_values() -> None:
    auth = make_auth(tokens=["good"], basic=["alice:s3cret"])
    assert auth.check([{"bearer": []}], presented(authorization="Bearer good"))
    assert auth.check([{"key": []}], presented(x_api_key="good"))
    assert auth.check([{"basic": []}], presented(authorization=basic("alice", "s3cret")))
    with pytest.raises(Unauthenticated, match="unknown bearer token"):
        auth.check([{"bearer": []}], presented(authorization="Bearer other"))
    with pytest.raises(Unauthenticated, match="unknown user 'alice' or wrong password"):
        auth.check([{"basic": []}], presented(authorization=basic("alice", "nope")))


def test_issued_tokens_pass_restrictions_until_they_expire() -> None:
    clock = FrozenClock(datetime(2026, 1, 1, tzinfo=UTC))
    registry = TokenRegistry(clock)
    auth = Authenticator("demo", SCHEMES, CredentialPolicy.from_options(tokens=["good"]), registry)
    registry.issue("issued", timedelta(hours=1))
    assert auth.check([{"bearer": []}], presented(authorization="Bearer issued"))
    clock.advance(3600)
    with pytest.raises(Unauthenticated, match="expired at 2026-01-01T01:00:00Z"):
        auth.check([{"bearer": []}], presented(authorization="Bearer issued"))


def test_policy_parsing_and_client_credentials() -> None:
    with pytest.raises(ValueError, match="expected USER:PASS"):
        CredentialPolicy.from_options(basic=["nocolon"])
    open_policy = CredentialPolicy()
    assert open_policy.accepts_client("id", "secret") and not open_policy.accepts_client("id", "")
    strict = CredentialPolicy.from_options(basic=["id:secret"])
    assert strict.accepts_client("id", "secret") and not strict.accepts_client("id", "other")


def test_sample_credentials_satisfy_the_first_requirement() -> None:
    headers, query = sample_credentials([{"bearer": [], "key": []}], SCHEMES)
    assert headers == {"Authorization": "Bearer mock-token", "x-api-key": "mock-api-key"} and query == {}
    headers, _ = sample_credentials([{"basic": []}], SCHEMES)
    assert make_auth().check([{"basic": []}], presented(authorization=headers["Authorization"])) == "basic"
