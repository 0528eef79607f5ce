"""Credential checks for the security schemes a spec declares (pure: headers in, verdict out).

By default the mock accepts any well-formed credential, so a frontend can start with any token.
`--token` and `--basic` restrict what is accepted; tokens the mock issued through a vendor's token
endpoint are always accepted until they expire.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from mockserver.clock import Clock, iso
from mockserver.errors import Challenge, Unauthenticated
from mockserver.store import Store

# RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
BEARER_TOKEN = re.compile(r"^[A-Za-z0-9\-._~+/]+=*$")


@dataclass(frozen=True, slots=True)
class Scheme:
    """One entry of `components.securitySchemes`, reduced to what checking needs."""

    name: str
    kind: str  # "bearer" | "basic" | "apiKey"
    location: str = "header"  # apiKey only: header | query | cookie
    parameter: str = "Authorization"

    @classmethod
    def from_spec(cls, name: str, definition: Mapping[str, Any]) -> Scheme:
        kind = definition.get("type")
        if kind == "http":
            http_scheme = str(definition.get("scheme", "")).lower()
            if http_scheme not in ("bearer", "basic"):
                raise ValueError(f"security scheme {name!r}: http scheme {http_scheme!r} is not supported "
                                 "(bearer and basic are)")
            return cls(name, http_scheme)
        if kind == "apiKey":
            return cls(name, "apiKey", definition["in"], definition["name"])
        if kind in ("oauth2", "openIdConnect"):
            return cls(name, "bearer")
        raise ValueError(f"security scheme {name!r}: type {kind!r} is not supported")


@dataclass(frozen=True, slots=True)
class Presented:
    """The credentials a request carries, already split out of its headers, query and cookies."""

    headers: Mapping[str, str]  # lower-case names
    query: Mapping[str, str] = field(default_factory=dict)
    cookies: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CredentialPolicy:
    """What the mock accepts. Empty sets mean: any well-formed credential, unless `strict`.

    A strict policy (a session created with `strictAuth`) accepts only the values it was given and
    the tokens its token endpoints issued, so a contract test's "wrong credentials" are refused.
    """

    tokens: frozenset[str] = frozenset()
    basic: frozenset[tuple[str, str]] = frozenset()
    strict: bool = False

    @classmethod
    def from_options(cls, tokens: Iterable[str] = (), basic: Iterable[str] = ()) -> CredentialPolicy:
        pairs = set()
        for entry in basic:
            user, sep, password = entry.partition(":")
            if not sep or not user:
                raise ValueError(f"--basic {entry!r}: expected USER:PASS, e.g. --basic alice:s3cret")
            pairs.add((user, password))
        return cls(frozenset(tokens), frozenset(pairs))

    @classmethod
    def from_values(cls, values: Iterable[str], *, strict: bool = False) -> CredentialPolicy:
        """A session's `tokens`: bearer tokens and API keys as given, and `user:password` values also
        as basic credentials (and as client credentials at a token endpoint)."""
        given = list(values)
        pairs = {(user, password) for user, sep, password in (v.partition(":") for v in given) if sep and user}
        return cls(frozenset(given), frozenset(pairs), strict)

    def accepts_token(self, value: str) -> bool:
        """A bearer token or API key that the mock did not issue."""
        return value in self.tokens if self.strict or self.tokens else True

    def accepts_pair(self, user: str, password: str) -> bool:
        """Basic credentials, or client credentials at a token endpoint."""
        return (user, password) in self.basic if self.strict or self.basic else True

    def accepts_client(self, client_id: str, client_secret: str) -> bool:
        """Client credentials at a token endpoint: any non-empty pair unless restricted."""
        return bool(client_id and client_secret) and self.accepts_pair(client_id, client_secret)


class TokenRegistry:
    """The tokens one API's token endpoint issued in a session, with their expiry (kept in its store)."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def issue(self, token: str, lifetime: timedelta) -> datetime:
        now = self._clock.now()
        expires = now + lifetime
        self._store.issue_token(token, expires.timestamp(), now=now.timestamp())
        return expires

    def status(self, token: str) -> str:
        """'unknown', 'valid' or 'expired'."""
        expires = self._store.tokens.get(token)
        if expires is None:
            return "unknown"
        return "valid" if self._clock.now().timestamp() < expires else "expired"

    def expiry(self, token: str) -> datetime | None:
        expires = self._store.tokens.get(token)
        return None if expires is None else datetime.fromtimestamp(expires, UTC)


class Authenticator:
    """Checks a request against an operation's security requirements for one API."""

    def __init__(self, realm: str, schemes: Mapping[str, Scheme]) -> None:
        self.realm = realm
        self.schemes = schemes

    def check(self, requirements: Sequence[Mapping[str, Sequence[str]]], presented: Presented,
              policy: CredentialPolicy, registry: TokenRegistry) -> str | None:
        """Return the name of the scheme set that let the request in, or raise Unauthenticated.

        `requirements` is the operation's `security` list: any one entry must be satisfied, and
        within an entry every scheme must be.
        """
        if not requirements or any(not entry for entry in requirements):
            return None
        first_reason = ""
        for entry in requirements:
            reasons = [self._check_one(self.schemes[name], presented, policy, registry) for name in entry]
            failures = [reason for reason in reasons if reason]
            if not failures:
                return "+".join(entry)
            first_reason = first_reason or failures[0]
        raise Unauthenticated(first_reason, self._challenges(requirements, presented))

    def _check_one(self, scheme: Scheme, presented: Presented, policy: CredentialPolicy,
                   registry: TokenRegistry) -> str:
        if scheme.kind == "apiKey":
            return self._check_api_key(scheme, presented, policy)
        header = presented.headers.get("authorization", "")
        kind, _, credential = header.strip().partition(" ")
        expected = "Bearer" if scheme.kind == "bearer" else "Basic"
        if not header:
            return f"missing credentials: send an 'Authorization: {expected} ...' header"
        if kind.lower() != expected.lower():
            return f"the Authorization header uses scheme {kind!r}; this operation expects {expected}"
        credential = credential.strip()
        if scheme.kind == "bearer":
            return self._check_bearer(credential, policy, registry)
        return self._check_basic(credential, policy)

    @staticmethod
    def _refusal(policy: CredentialPolicy, what: str, option: str) -> str:
        if policy.strict:
            return f"unknown {what}: this session was created with strictAuth and accepts only the " \
                   "credentials it was given or issued"
        return f"unknown {what} (the mock was started with {option})"

    def _check_bearer(self, token: str, policy: CredentialPolicy, registry: TokenRegistry) -> str:
        if not BEARER_TOKEN.match(token):
            return "malformed bearer token: expected 'Authorization: Bearer <token>' with a token of " \
                   "letters, digits and -._~+/"
        status = registry.status(token)
        if status == "expired":
            expired = registry.expiry(token)
            return f"the access token expired at {iso(expired) if expired else '?'}; request a new one"
        if status == "valid" or policy.accepts_token(token):
            return ""
        return self._refusal(policy, "bearer token", "--token and this is not one of them")

    def _check_basic(self, credential: str, policy: CredentialPolicy) -> str:
        try:
            decoded = base64.b64decode(credential, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return "malformed basic credentials: expected base64 of 'user:password'"
        user, sep, password = decoded.partition(":")
        if not sep or not user:
            return "malformed basic credentials: the decoded value must be 'user:password'"
        if not policy.accepts_pair(user, password):
            return self._refusal(policy, f"user {user!r} or wrong password", "--basic")
        return ""

    def _check_api_key(self, scheme: Scheme, presented: Presented, policy: CredentialPolicy) -> str:
        source = {"header": presented.headers, "query": presented.query, "cookie": presented.cookies}
        lookup = scheme.parameter.lower() if scheme.location == "header" else scheme.parameter
        value = source.get(scheme.location, {}).get(lookup, "")
        if not value.strip():
            return f"missing API key: send it in the {scheme.location} {scheme.parameter!r}"
        if not policy.accepts_token(value):
            return self._refusal(policy, f"API key in {scheme.parameter!r}", "--token")
        return ""

    def _challenges(self, requirements: Sequence[Mapping[str, Sequence[str]]], presented: Presented) -> list[Challenge]:
        kinds: list[str] = []
        for entry in requirements:
            for name in entry:
                kind = self.schemes[name].kind
                if kind in ("bearer", "basic") and kind not in kinds:
                    kinds.append(kind)
        challenges = []
        for kind in kinds:
            params = f'realm="{self.realm}"'
            if kind == "bearer" and presented.headers.get("authorization"):
                params += ', error="invalid_token"'  # RFC 6750 3.1: a token was sent but refused
            challenges.append(Challenge("Bearer" if kind == "bearer" else "Basic", params))
        return challenges


SAMPLE_TOKEN = "mock-token"
SAMPLE_API_KEY = "mock-api-key"
SAMPLE_BASIC = ("mock-user", "mock-pass")


def sample_credentials(requirements: Sequence[Mapping[str, Sequence[str]]], schemes: Mapping[str, Scheme], *,
                       token: str = SAMPLE_TOKEN, api_key: str = SAMPLE_API_KEY,
                       basic: tuple[str, str] = SAMPLE_BASIC) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and query parameters that satisfy the first security requirement of an operation.

    These are what the startup banner's curl lines and the tests send; the mock accepts them unless
    it was started with --token / --basic (then pass the configured values in).
    """
    headers: dict[str, str] = {}
    query: dict[str, str] = {}
    entry = next(iter(requirements), {}) if requirements else {}
    for name in entry:
        scheme = schemes[name]
        if scheme.kind == "bearer":
            headers["Authorization"] = f"Bearer {token}"
        elif scheme.kind == "basic":
            encoded = base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {encoded}"
        elif scheme.location == "query":
            query[scheme.parameter] = api_key
        elif scheme.location == "header":
            headers[scheme.parameter] = api_key
    return headers, query


def schemes_of(spec: Mapping[str, Any]) -> dict[str, Scheme]:
    """Every security scheme a spec declares, by name."""
    declared = spec.get("components", {}).get("securitySchemes", {})
    return {name: Scheme.from_spec(name, definition) for name, definition in declared.items()}
