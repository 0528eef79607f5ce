"""The OAuth 2.0 client-credentials token endpoint, with the vendor's one-hour tokens and 5-minute cache."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

from mockserver.errors import InvalidInput, Unauthenticated
from mockserver.vendors.base import Call, Reply, ok

LIFETIME = timedelta(seconds=3600)
# Jifeline caches issued tokens for five minutes: asking again within that window returns the same one.
CACHED_FOR = timedelta(minutes=5)
ISSUER = "https://partner-api-001.prd.jifeline.cloud"
KEY_ID = "kS2zsWv7eaD7c+KA1RRyOkg="


def encode_segment(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def mint(call: Call, client_id: str, now: datetime, expires: datetime) -> str:
    """A JWT-shaped access token (as the vendor's Cognito tokens are) that clients may decode for `exp`."""
    header = {"kid": KEY_ID, "alg": "RS256"}
    claims = {"sub": client_id, "token_use": "access", "scope": "", "iss": ISSUER, "client_id": client_id,
              "iat": int(now.timestamp()), "exp": int(expires.timestamp()), "jti": call.context.ids.uuid4()}
    signature = bytes.fromhex(call.context.ids.hex(512))  # 256 bytes, the size of an RS256 signature
    return ".".join(encode_segment(part) for part in (
        json.dumps(header, separators=(",", ":")).encode(),
        json.dumps(claims, separators=(",", ":")).encode(),
        signature,
    ))


def client_credentials(call: Call) -> tuple[str, str]:
    """The client ID and secret from the form body or, as RFC 6749 section 2.3.1 also allows (and Swagger UI
    sends them), from an `Authorization: Basic` header."""
    body: dict[str, Any] = call.body or {}
    given = [name for name in ("client_id", "client_secret") if body.get(name) is not None]
    if len(given) == 1:  # one half in the body: the request is incomplete, as the spec's body schema says
        missing = "client_secret" if given == ["client_id"] else "client_id"
        raise InvalidInput.of(missing, "is required (or send both in an Authorization: Basic header)")
    if given:
        return str(body["client_id"]), str(body["client_secret"])
    kind, _, credential = call.headers.get("authorization", "").strip().partition(" ")
    if kind.lower() == "basic":
        try:
            client_id, _, client_secret = base64.b64decode(credential.strip(), validate=True).decode().partition(":")
            return client_id, client_secret
        except (ValueError, UnicodeDecodeError):
            raise Unauthenticated("the Authorization header is not Basic base64(client_id:client_secret)") from None
    raise Unauthenticated("client authentication failed: send client_id and client_secret in the form body or an "
                          "Authorization: Basic header")


def create_access_token(call: Call) -> Reply:
    """POST /oauth2/token: grant_type is checked by the body schema (400 unsupported_grant_type)."""
    client_id, client_secret = client_credentials(call)
    if not call.context.policy.accepts_client(client_id, client_secret):
        raise Unauthenticated(f"client authentication failed for client_id {client_id!r}: check the client ID and "
                              "secret created in the Partner Portal")
    now = call.context.now()
    issued = call.store["access_tokens"]
    cached = [t for t in issued if t["$client_id"] == client_id and now - datetime.fromisoformat(t["$issued_at"])
              < CACHED_FOR]
    if cached:
        token = cached[-1]["access_token"]
        expires = call.context.tokens.expiry(token) or now + LIFETIME
    else:
        expires = now + LIFETIME
        token = mint(call, client_id, now, expires)
        call.context.tokens.issue(token, LIFETIME)
        issued.insert({"access_token": token, "$client_id": client_id, "$issued_at": now.isoformat()})
    # A cached token answers with what is left of its hour, so clients refresh it in time.
    return ok({"access_token": token, "expires_in": int((expires - now).total_seconds()), "token_type": "Bearer"})
