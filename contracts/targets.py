"""Where a contract run goes (the in-process mock or a base URL) and with which credentials."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from contracts.mocksession import MockSession, is_ticketmock, open_session
from contracts.redaction import BasicPair, Secret, header_secrets
from mockserver.auth import schemes_of
from mockserver.hosts import is_loopback_url
from mockserver.spec import iter_operations, load_spec, mock_base_path, spec_path

# The in-process mock only accepts these, so that a missing or wrong credential is refused and
# Schemathesis' ignored_auth check has something to find.
MOCK_TOKEN = "contract-token"
MOCK_API_KEY = "contract-api-key"
MOCK_BASIC = ("contract-user", "contract-pass")
ENV_PREFIX = "TICKETMOCK_"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TargetError(Exception):
    """The target cannot be used (unreachable, bad credentials, bad option): exit code 2."""


@dataclass(frozen=True)
class Credentials:
    """Per security scheme: {"bearer": ...} | {"username": ..., "password": ...} | {"api_key": ...}.

    `secrets` lists every value the reports must never show (with the variable that holds it, for
    runnable reproductions); `notes` are said once per run, e.g. that a token was exchanged.
    """

    schemes: dict[str, dict[str, str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    secrets: tuple[Secret | BasicPair, ...] = ()
    notes: tuple[str, ...] = ()

    def with_headers(self, entries: Sequence[str]) -> Credentials:
        """Plus `--header 'Name: value'` entries; every such value is a secret, whole and in parts."""
        extra = dict(parse_header(entry) for entry in entries)
        found = [secret for value in extra.values() for secret in header_secrets(value)]
        return Credentials(self.schemes, {**self.headers, **extra}, (*self.secrets, *found), self.notes)


@dataclass(frozen=True)
class Target:
    slug: str
    base_url: str | None  # None: the in-process mock
    credentials: Credentials
    allow_writes: bool = False
    app: Any = None  # the ASGI app when in-process
    loopback: bool = True  # decided once, by resolve_target, from the URL's literal host (no DNS)
    session: MockSession | None = None  # the kit's own session on a running ticketmock server
    given_url: str | None = None  # the base URL as the user gave it (base_url is inside the session)

    def close(self) -> None:
        """Remove what the run left behind on the target (its ticketmock session)."""
        if self.session is not None:
            self.session.close()

    @property
    def in_process(self) -> bool:
        return self.base_url is None

    @property
    def writes_allowed(self) -> bool:
        """Writes go to loopback targets always, elsewhere only with --allow-writes."""
        return self.loopback or self.allow_writes

    def describe(self) -> str:
        if self.in_process:
            return "in-process mock"
        if self.session is not None:
            return f"{self.given_url} (a ticketmock server: in session {self.session.name}, deleted afterwards)"
        return str(self.base_url)

    @property
    def shown_url(self) -> str | None:
        """The base URL to name in messages: the user's, not the session's."""
        return self.given_url or self.base_url


def env_name(slug: str, key: str) -> str:
    return f"{ENV_PREFIX}{slug.upper()}_{key}"


def mock_credentials(slug: str) -> Credentials:
    """What the in-process mock accepts, per scheme of the vendor's spec."""
    schemes: dict[str, dict[str, str]] = {}
    for name, scheme in schemes_of(load_spec(spec_path(slug))).items():
        if scheme.kind == "bearer":
            schemes[name] = {"bearer": MOCK_TOKEN}
        elif scheme.kind == "basic":
            schemes[name] = {"username": MOCK_BASIC[0], "password": MOCK_BASIC[1]}
        else:
            schemes[name] = {"api_key": MOCK_API_KEY}
    headers = {"spacebring-network-id": SPACEBRING_NETWORK} if slug == "spacebring" else {}
    return Credentials(schemes, headers)


SPACEBRING_NETWORK = "626fe777-1d75-4ace-b1e4-32896bcad566"  # the mock's fixture network


def env_credentials(slug: str, base_url: str, environ: Mapping[str, str], *,
                    post: Callable[..., httpx.Response] | None = None) -> Credentials:
    """Credentials for a live target from TICKETMOCK_<SLUG>_* variables (see the README).

    TOKEN (bearer), API_KEY, USERNAME + PASSWORD (basic), CLIENT_ID + CLIENT_SECRET (exchanged at
    the vendor's token endpoint: Jifeline's OAuth2 client credentials, Bloxs' /Authorization), and
    NETWORK_ID (Spacebring's network header, needed with a bearer token).
    """
    def get(key: str) -> str:
        return environ.get(env_name(slug, key), "")

    def secret(key: str) -> Secret:
        return Secret(get(key), env_name(slug, key))

    token = get("TOKEN")
    client_id, client_secret = get("CLIENT_ID"), get("CLIENT_SECRET")
    notes: tuple[str, ...] = ()
    if not token and client_id and client_secret:
        token = exchange_token(slug, base_url, client_id, client_secret, post=post)
        notes = (f"the bearer token came from exchanging {env_name(slug, 'CLIENT_ID')} and "
                 f"{env_name(slug, 'CLIENT_SECRET')} at {TOKEN_ENDPOINTS[slug][0]}; reproductions read it from "
                 f"{env_name(slug, 'TOKEN')}: set that to a token from there first",)
    schemes: dict[str, dict[str, str]] = {}
    for name, scheme in schemes_of(load_spec(spec_path(slug))).items():
        if scheme.kind == "bearer" and token:
            schemes[name] = {"bearer": token}
        elif scheme.kind == "basic" and get("USERNAME"):
            schemes[name] = {"username": get("USERNAME"), "password": get("PASSWORD")}
        elif scheme.kind == "apiKey" and get("API_KEY"):
            schemes[name] = {"api_key": get("API_KEY")}
    headers = {"spacebring-network-id": get("NETWORK_ID")} if slug == "spacebring" and get("NETWORK_ID") else {}
    secrets: list[Secret | BasicPair] = [Secret(token, env_name(slug, "TOKEN"))]
    secrets += [secret(key) for key in ("CLIENT_ID", "CLIENT_SECRET", "API_KEY", "NETWORK_ID", "USERNAME", "PASSWORD")]
    secrets.append(BasicPair(secret("USERNAME"), secret("PASSWORD")))
    kept = tuple(s for s in secrets if (s.username.value and s.password.value if isinstance(s, BasicPair) else s.value))
    return Credentials(schemes, headers, kept, notes)


TOKEN_ENDPOINTS: dict[str, tuple[str, str, Callable[[str, str], dict[str, str]], str]] = {
    # slug: (path, form or json, payload builder, field holding the token)
    "jifeline": ("/oauth2/token", "form", lambda cid, secret: {"grant_type": "client_credentials",
                                                              "client_id": cid, "client_secret": secret},
                 "access_token"),
    "bloxs": ("/Authorization", "json", lambda cid, secret: {"apiKey": cid, "apiSecret": secret}, "token"),
}


def exchange_token(slug: str, base_url: str, client_id: str, client_secret: str, *,
                   post: Callable[..., httpx.Response] | None = None) -> str:
    """Get a bearer token from the vendor's token endpoint with client credentials."""
    if slug not in TOKEN_ENDPOINTS:
        raise TargetError(f"{slug} has no token endpoint; set {env_name(slug, 'TOKEN')} instead of client credentials")
    path, encoding, payload, field_name = TOKEN_ENDPOINTS[slug]
    send: Callable[..., httpx.Response] = post or httpx.post
    body: dict[str, str] = payload(client_id, client_secret)
    url = base_url.rstrip("/") + path
    try:
        response = send(url, data=body, timeout=30) if encoding == "form" else send(url, json=body, timeout=30)
    except httpx.HTTPError as exc:
        raise TargetError(f"token exchange at {base_url.rstrip('/')}{path} failed: {exc}") from None
    if response.status_code != 200:
        raise TargetError(f"token exchange at {base_url.rstrip('/')}{path} answered {response.status_code}; "
                          f"check {env_name(slug, 'CLIENT_ID')} and {env_name(slug, 'CLIENT_SECRET')}")
    token = response.json().get(field_name)
    if not isinstance(token, str) or not token:
        raise TargetError(f"token exchange at {path} answered 200 without a {field_name!r}")
    return token


def parse_header(entry: str) -> tuple[str, str]:
    name, sep, value = entry.partition(":")
    if not sep or not name.strip():
        raise TargetError(f"--header {entry!r}: expected 'Name: value', e.g. --header 'Authorization: Bearer xyz'")
    return name.strip(), value.strip()


def mock_base_url_path(slug: str) -> str:
    return mock_base_path(slug, load_spec(spec_path(slug)))


def operation_labels(slug: str) -> dict[str, str]:
    """operationId -> "METHOD /path" for every operation of the vendor's spec."""
    return {op["operationId"]: f"{method.upper()} {path}"
            for path, method, op in iter_operations(load_spec(spec_path(slug)))}


def resolve_target(slug: str, *, base_url: str | None, headers: Sequence[str] = (), allow_writes: bool = False,
                   environ: Mapping[str, str] | None = None, app_factory: Callable[[str], Any] | None = None,
                   post: Callable[..., httpx.Response] | None = None,
                   detect: Callable[[str], bool] = is_ticketmock) -> Target:
    """Build the target: the in-process mock when base_url is None, else the URL with env credentials
    (in a session of its own when `detect` finds a ticketmock server there)."""
    if base_url is None:
        factory = app_factory or build_mock
        return Target(slug, None, mock_credentials(slug).with_headers(headers), allow_writes, factory(slug))
    if not base_url.startswith(("http://", "https://")):
        raise TargetError(f"--base-url {base_url!r}: expected an http:// or https:// URL")
    for entry in headers:
        parse_header(entry)  # a malformed --header is a usage error before any request is sent
    environ = environ if environ is not None else os.environ
    loopback = is_loopback_url(base_url)
    session = None
    given_url = base_url.rstrip("/")
    if detect(base_url):
        # The run gets a strict session of its own: the developer's data stays as it was, and only the
        # credentials below are accepted, so Schemathesis' auth checks have something to find.
        given = any(environ.get(env_name(slug, key)) for key in CREDENTIAL_KEYS)
        session = open_session(base_url, slug, accepted_values(slug, environ) if given else mock_values())
        base_url = session.base_url
        if not given:
            credentials = mock_credentials(slug)
            return Target(slug, base_url, credentials.with_headers(headers), allow_writes, loopback=loopback,
                          session=session, given_url=given_url)
    credentials = env_credentials(slug, base_url, environ, post=post)
    credentials = Credentials(credentials.schemes, credentials.headers,
                              (*credentials.secrets, *url_secrets(base_url)), credentials.notes)
    return Target(slug, base_url.rstrip("/"), credentials.with_headers(headers), allow_writes,
                  loopback=loopback, session=session, given_url=given_url)


CREDENTIAL_KEYS = ("TOKEN", "API_KEY", "USERNAME", "PASSWORD", "CLIENT_ID", "CLIENT_SECRET")


def accepted_values(slug: str, environ: Mapping[str, str]) -> list[str]:
    """What a strict ticketmock session must accept for the credentials in the environment."""
    def get(key: str) -> str:
        return environ.get(env_name(slug, key), "")

    values = [get("TOKEN"), get("API_KEY")]
    for user, password in (("USERNAME", "PASSWORD"), ("CLIENT_ID", "CLIENT_SECRET")):
        if get(user):
            values.append(f"{get(user)}:{get(password)}")
    return [value for value in values if value]


def mock_values() -> list[str]:
    return [MOCK_TOKEN, MOCK_API_KEY, f"{MOCK_BASIC[0]}:{MOCK_BASIC[1]}"]


def url_secrets(base_url: str | None) -> list[Secret]:
    """A password in the base URL (https://user:pass@host) is a secret from the start."""
    password = urlsplit(base_url).password if base_url else None
    return [Secret(password)] if password else []


def build_mock(slug: str) -> Any:
    """The mock of one API, in process, accepting only the contract credentials."""
    from mockserver.app import MockOptions, create_app

    return create_app([slug], MockOptions(seed=1, tokens=[MOCK_TOKEN, MOCK_API_KEY],
                                          basic=[f"{MOCK_BASIC[0]}:{MOCK_BASIC[1]}"]))
