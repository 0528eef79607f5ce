"""The credentials the helpers' clients send, per API, the way a real client sends them.

Bob! Desk, Flow Retail and Spacebring get a bearer token (Spacebring also its network header);
Jifeline and Bloxs exchange client credentials at their token endpoints first (`/oauth2/token`,
`/Authorization`) and send the token they got, exchanging again when it has expired.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Callable, Generator
from dataclasses import dataclass

import httpx

# The shipped fixtures' Spacebring network (a bearer token must name its network in a header).
SPACEBRING_NETWORK = "626fe777-1d75-4ace-b1e4-32896bcad566"
NETWORK_HEADER = "spacebring-network-id"


@dataclass(frozen=True)
class Credentials:
    """What a session's clients send. A strict session accepts exactly these (and what it issues)."""

    token: str = "ticketmock-token"
    client_id: str = "ticketmock-client"
    client_secret: str = "ticketmock-secret"
    spacebring_network: str = SPACEBRING_NETWORK

    def accepted(self) -> list[str]:
        """The session's `tokens`: the bearer token, and the client credentials as `id:secret`."""
        return [self.token, f"{self.client_id}:{self.client_secret}"]


# slug -> (token endpoint under the API's base URL, how the credentials are sent, the answer's token field)
TOKEN_ENDPOINTS: dict[str, tuple[str, Callable[[str, str], dict[str, object]], str]] = {
    "jifeline": ("/oauth2/token", lambda cid, secret: {"data": {"grant_type": "client_credentials", "client_id": cid,
                                                                 "client_secret": secret}}, "access_token"),
    "bloxs": ("/Authorization", lambda cid, secret: {"json": {"apiKey": cid, "apiSecret": secret}}, "token"),
}


class TokenExchange(httpx.Auth):
    """Bearer tokens from the API's token endpoint: fetched before the first request, fetched again
    when the API answers 401 (the session's clock moved past the token's lifetime).

    An answer of the token endpoint other than 200 is handed back as the request's answer, so an
    injected fault on it reaches the code under test as the failure it is.
    """

    requires_response_body = True

    def __init__(self, slug: str, base_url: str, credentials: Credentials) -> None:
        path, encode, self._field = TOKEN_ENDPOINTS[slug]
        self._url = base_url.rstrip("/") + path
        self._body = encode(credentials.client_id, credentials.client_secret)
        self.token: str | None = None

    def _exchange(self) -> httpx.Request:
        return httpx.Request("POST", self._url, **self._body)  # type: ignore[arg-type]

    def _take(self, response: httpx.Response) -> bool:
        if response.status_code != 200:
            return False
        token = response.json().get(self._field)
        self.token = token if isinstance(token, str) and token else None
        return self.token is not None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        fresh = self.token is None
        if fresh and not self._take((yield self._exchange())):
            return  # the token endpoint's answer is the answer
        request.headers["Authorization"] = f"Bearer {self.token}"
        response = yield request
        if response.status_code == 401 and not fresh and self._take((yield self._exchange())):
            request.headers["Authorization"] = f"Bearer {self.token}"
            yield request


def client_settings(slug: str, base_url: str, credentials: Credentials,
                    exchanges: dict[str, TokenExchange]) -> tuple[dict[str, str], httpx.Auth | None]:
    """Headers and auth for a client of `slug`; `exchanges` keeps one token per API and session."""
    if slug in TOKEN_ENDPOINTS:
        exchange = exchanges.get(slug)
        if exchange is None:
            exchange = exchanges[slug] = TokenExchange(slug, base_url, credentials)
        return {}, exchange
    headers = {"Authorization": f"Bearer {credentials.token}"}
    if slug == "spacebring":
        headers[NETWORK_HEADER] = credentials.spacebring_network
    return headers, None


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every client: httpx builds one per client otherwise (certifi's bundle,
    about 20 ms), which would be most of a test's cost."""
    return httpx.create_ssl_context()
