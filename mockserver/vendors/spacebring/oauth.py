"""Mock-only OAuth2 endpoints of Spacebring's authorization-code flow (see oauth.yaml): approve at once, issue
one-hour access tokens that the session then accepts.

Codes and refresh tokens carry what they stand for (client, redirect URI, scope, expiry, PKCE challenge)
in themselves, base64url-encoded JSON, so the store keeps only the access tokens, as for every vendor.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mockserver.errors import InvalidInput, Unauthenticated
from mockserver.vendors.base import Call, Reply, ok

OAUTH_FILE = Path(__file__).with_name("oauth.yaml")
AUTHORIZE, TOKEN = "authorizeMockClient", "createMockOAuthToken"
ACCESS_LIFETIME = timedelta(hours=1)  # Spacebring's access tokens live one hour
CODE_LIFETIME = timedelta(minutes=10)
DEFAULT_SCOPE = "support"


class OAuthError(InvalidInput):
    """A refusal with its RFC 6749 error code (section 5.2)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def encode(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


# What each kind of grant carries, with the type of each member (anything else was not made here).
GRANT_FIELDS: dict[str, dict[str, type]] = {
    "code": {"client": str, "redirect": str, "scope": str, "exp": int},
    "refresh_token": {"client": str, "scope": str},
}


def decode(text: str, kind: str) -> dict[str, Any]:
    """What a code or refresh token stands for; OAuthError invalid_grant when it is not one of ours."""
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("kind") != kind or not all(
            isinstance(data.get(name), cls) and not isinstance(data.get(name), bool)
            for name, cls in GRANT_FIELDS[kind].items()):
        raise OAuthError("invalid_grant", f"that {kind.replace('_', ' ')} was not issued by this mock")
    pkce_ok = isinstance(data.get("challenge"), str | None) and data.get("method") in ("S256", "plain")
    if kind == "code" and not pkce_ok:
        raise OAuthError("invalid_grant", "that code was not issued by this mock")
    return data


def redirect_target(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise OAuthError("invalid_request", f"redirect_uri {uri[:200]!r} is not an http(s) URL")
    return uri


def authorize(call: Call) -> Reply:
    """GET /oauth2/authorize: approve at once, back to redirect_uri with a code and the state."""
    redirect_uri = redirect_target(call.params["redirect_uri"])
    expires = call.context.now() + CODE_LIFETIME
    code = encode({"kind": "code", "client": call.params["client_id"], "redirect": redirect_uri,
                   "scope": call.param("scope") or DEFAULT_SCOPE, "exp": int(expires.timestamp()),
                   "challenge": call.param("code_challenge"), "method": call.param("code_challenge_method", "plain"),
                   "nonce": call.context.ids.hex(16)})
    parts = urlsplit(redirect_uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + [("code", code)]
    if call.param("state") is not None:
        query.append(("state", call.params["state"]))
    location = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
    return Reply(302, None, None, {"Location": location, "Cache-Control": "no-store"})


def client_of(call: Call) -> tuple[str, str]:
    """The client ID and secret from the form body or an `Authorization: Basic` header."""
    body: dict[str, Any] = call.body
    kind, _, credential = call.headers.get("authorization", "").strip().partition(" ")
    if kind.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(credential.strip(), validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            raise Unauthenticated("the Authorization header is not Basic base64(client_id:client_secret)") from None
        return client_id, secret
    return str(body.get("client_id") or ""), str(body.get("client_secret") or "")


def verified(grant: dict[str, Any], verifier: str | None) -> bool:
    """Whether the PKCE verifier matches the code's challenge (RFC 7636); False when there was none."""
    challenge = grant.get("challenge")
    if not challenge:
        return False
    if not verifier:
        raise OAuthError("invalid_grant", "the authorization request had a code_challenge: send its code_verifier")
    if grant.get("method") == "S256":
        verifier = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    if verifier != challenge:
        raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
    return True


def create_token(call: Call) -> Reply:
    """POST /oauth2/token: authorization_code, refresh_token (and client_credentials, for scripts)."""
    body: dict[str, Any] = call.body
    grant_type = body["grant_type"]
    client_id, secret = client_of(call)
    scope = str(body.get("scope") or DEFAULT_SCOPE)
    public = False
    if grant_type == "authorization_code":
        if not body.get("code"):
            raise OAuthError("invalid_request", "grant_type authorization_code needs the code")
        grant = decode(str(body["code"]), "code")
        if grant["exp"] < call.context.now().timestamp():
            raise OAuthError("invalid_grant", "the code expired (codes live ten minutes); authorize again")
        if client_id and client_id != grant["client"]:
            raise OAuthError("invalid_grant", f"the code was issued to client {grant['client']!r}, not {client_id!r}")
        if body.get("redirect_uri") is not None and body["redirect_uri"] != grant["redirect"]:
            raise OAuthError("invalid_grant", "redirect_uri differs from the one of the authorization request")
        client_id, scope = grant["client"], grant["scope"]
        public = verified(grant, body.get("code_verifier")) and not secret  # a PKCE client without a secret
    elif grant_type == "refresh_token":
        if not body.get("refresh_token"):
            raise OAuthError("invalid_request", "grant_type refresh_token needs the refresh_token")
        grant = decode(str(body["refresh_token"]), "refresh_token")
        if client_id and client_id != grant["client"]:
            raise OAuthError("invalid_grant", f"the refresh token belongs to client {grant['client']!r}")
        client_id, scope = grant["client"], grant["scope"]
    policy = call.context.policy
    if not (policy.accepts_client(client_id, secret) or (public and policy.accepts_pair(client_id, ""))):
        raise Unauthenticated(f"client authentication failed for client_id {client_id!r}: send client_id and "
                              "client_secret in the form body or an Authorization: Basic header")
    token = "sbm_" + call.context.ids.hex(40)
    call.context.tokens.issue(token, ACCESS_LIFETIME)
    refresh = encode({"kind": "refresh_token", "client": client_id, "scope": scope, "nonce": call.context.ids.hex(16)})
    return ok({"access_token": token, "token_type": "Bearer", "expires_in": int(ACCESS_LIFETIME.total_seconds()),
               "refresh_token": refresh, "scope": scope})


def oauth_error_code(status: int, code: str, fields: list[str]) -> str:
    """The RFC 6749 `error` for a refusal at the token or authorization endpoint."""
    if code in ("invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type", "invalid_scope"):
        return code
    if status == 401:
        return "invalid_client"
    if "grant_type" in fields:
        return "unsupported_grant_type"
    if "response_type" in fields:
        return "unsupported_response_type"
    return "invalid_request"


HANDLERS = {AUTHORIZE: authorize, TOKEN: create_token}
