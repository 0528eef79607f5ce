"""The documents the mock serves: OAuth2 flows on the mock, session prefixes, what the mock accepts."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from mockserver.served import MOCK_TAG
from tests.helpers import SLUGS, make_client, spec_of

MOCK_BASES = {"bloxs": "/bloxs", "jifeline": "/jifeline", "spacebring": "/spacebring",
              "bobdesk": "/bobdesk/api/v3.0", "flowretail": "/flowretail/v2"}


def flows(document: dict[str, Any]) -> dict[str, str]:
    return {f"{name}.{flow}.{key}": url
            for name, scheme in document["components"]["securitySchemes"].items()
            for flow, settings in (scheme.get("flows") or {}).items()
            for key, url in settings.items() if key.endswith("Url")}


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("prefix", ["", "/_session/alice"])
def test_every_flow_url_is_a_path_the_mock_serves(slug: str, prefix: str) -> None:
    client = make_client(slug)
    base = MOCK_BASES[slug]
    document = client.get(f"{prefix}{base}/openapi.json").json()
    for where, url in flows(document).items():
        assert url.startswith(f"{prefix}{base}/"), (where, url)
        assert url.removeprefix(prefix + base) in document["paths"], (where, url)
    for scheme in document["components"]["securitySchemes"].values():
        assert "ticketmock" in scheme["description"]


def test_the_served_flows_and_the_files_in_specs() -> None:
    client = make_client("jifeline", "spacebring")
    assert flows(client.get("/jifeline/openapi.json").json()) == {
        "OAuth2.clientCredentials.tokenUrl": "/jifeline/oauth2/token"}
    assert flows(client.get("/spacebring/openapi.json").json()) == {
        "OAuth2.authorizationCode.authorizationUrl": "/spacebring/oauth2/authorize",
        "OAuth2.authorizationCode.tokenUrl": "/spacebring/oauth2/token",
        "OAuth2.authorizationCode.refreshUrl": "/spacebring/oauth2/token"}
    # the specs keep the vendor's URLs
    assert flows(spec_of("jifeline"))["OAuth2.clientCredentials.tokenUrl"] == \
        "https://partner-api-001.prd.jifeline.cloud/oauth2/token"
    assert flows(spec_of("spacebring"))["OAuth2.authorizationCode.tokenUrl"] == "https://api.spacebring.com/oauth2/token"
    assert "/oauth2/token" not in spec_of("spacebring")["paths"]


def test_mock_only_paths_are_tagged_as_such() -> None:
    document = make_client("spacebring").get("/spacebring/openapi.json").json()
    mock_only = {path for path, item in document["paths"].items()
                 if any(MOCK_TAG in op.get("tags", []) for op in item.values() if isinstance(op, dict))}
    assert mock_only == {"/oauth2/authorize", "/oauth2/token"}
    assert any(tag["name"] == MOCK_TAG for tag in document["tags"])


def test_a_token_endpoint_a_flow_names_takes_basic_client_credentials() -> None:
    client = make_client("jifeline", basic=["my-client:my-secret"])
    basic = "Basic " + base64.b64encode(b"my-client:my-secret").decode()
    # what Swagger UI sends for the client-credentials flow
    issued = client.post("/jifeline/oauth2/token", data={"grant_type": "client_credentials", "scope": ""},
                         headers={"Authorization": basic})
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    listed = client.get("/jifeline/v2/tickets/pending-tickets", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200
    wrong = client.post("/jifeline/oauth2/token", data={"grant_type": "client_credentials"},
                        headers={"Authorization": "Basic " + base64.b64encode(b"my-client:guess").decode()})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    neither = client.post("/jifeline/oauth2/token", data={"grant_type": "client_credentials"})
    assert neither.status_code == 401 and "Authorization: Basic" in neither.json()["error_description"]
    schema = client.get("/jifeline/openapi.json").json()["paths"]["/oauth2/token"]["post"]["requestBody"]
    assert schema["content"]["application/x-www-form-urlencoded"]["schema"]["required"] == ["grant_type"]
