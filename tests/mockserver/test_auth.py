"""Credential checks per security scheme, restrictions, issued tokens and their expiry."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from mockserver.auth import Authenticator, CredentialPolicy, Presented, Scheme, TokenRegistry, sample_credentials
from mockserver.clock import FrozenClock
from mockserver.errors import Unauthenticated
from mockserver.store import Store

SCHEMES = {
    "bearer": Scheme("bearer", "bearer"),
    "basic": Scheme("basic", "basic"),
    "key": Scheme("key", "apiKey", "header", "x-api-key"),
}
CLOCK = FrozenClock(datetime(2026, 1, 1, tzinfo=UTC))


class Checker:
    """An authenticator with its policy and token registry, as one request's session supplies them."""

    def __init__(self, policy: CredentialPolicy, clock: FrozenClock = CLOCK) -> None:
        self.authenticator = Authenticator("demo", SCHEMES)
        self.policy = policy
        self.store = Store()
        self.registry = TokenRegistry(self.store, clock)

    def check(self, requirements: list[dict[str, list[str]]], credentials: Presented) -> str | None:
        return self.authenticator.check(requirements, credentials, self.policy, self.registry)


def make_auth(**policy: object) -> Checker:
    return Checker(CredentialPolicy.from_options(**policy))  # type: ignore[arg-type]


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
    auth = Checker(CredentialPolicy.from_options(tokens=["good"]), clock)
    auth.registry.issue("issued", timedelta(hours=1))
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


def test_a_strict_policy_accepts_only_what_it_was_given_or_issued() -> None:
    auth = Checker(CredentialPolicy.from_values(["given-token", "kit-user:kit-pass"], strict=True))
    assert auth.check([{"bearer": []}], presented(authorization="Bearer given-token")) == "bearer"
    assert auth.check([{"key": []}], presented(x_api_key="given-token")) == "key"
    assert auth.check([{"basic": []}], presented(authorization=basic("kit-user", "kit-pass"))) == "basic"
    for requirement, credentials in (("bearer", presented(authorization="Bearer anything")),
                                     ("key", presented(x_api_key="anything")),
                                     ("basic", presented(authorization=basic("kit-user", "wrong")))):
        with pytest.raises(Unauthenticated, match="created with strictAuth"):
            auth.check([{requirement: []}], credentials)
    auth.registry.issue("issued-here", timedelta(minutes=5))
    assert auth.check([{"bearer": []}], presented(authorization="Bearer issued-here")) == "bearer"
    assert auth.policy.accepts_client("kit-user", "kit-pass") and not auth.policy.accepts_client("x", "y")


def test_issued_tokens_are_bounded_oldest_and_expired_first() -> None:
    store = Store()
    for n in range(5):
        store.issue_token(f"t{n}", expires_at=100.0 if n == 1 else 1000.0, now=0.0, limit=5)
    store.issue_token("t5", 1000.0, now=500.0, limit=5)  # t1 has expired: it goes first
    assert list(store.tokens) == ["t0", "t2", "t3", "t4", "t5"]
    store.issue_token("t6", 1000.0, now=500.0, limit=5)  # nothing expired: the oldest goes
    assert list(store.tokens) == ["t2", "t3", "t4", "t5", "t6"]
