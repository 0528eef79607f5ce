"""Ready-to-run curl commands for people: the startup banner's and the dashboard's."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from mockserver.auth import SAMPLE_BASIC, SAMPLE_TOKEN, sample_credentials, schemes_of
from mockserver.spec import iter_operations, load_spec, path_regex, spec_path


def curl_line(slug: str, base_url: str, tokens: Sequence[str] = (), basic: Sequence[str] = ()) -> str:
    """A copy-pastable curl command for the vendor's banner request, with credentials that work."""
    from mockserver.vendors import get_vendor

    vendor = get_vendor(slug)
    spec = load_spec(spec_path(slug))
    wanted = vendor.curl_path.split("?", 1)[0]
    operation: dict[str, Any] = {}
    for path, method, candidate in iter_operations(spec):
        if method == "get" and re.fullmatch(path_regex(path), wanted):
            operation = candidate
    user, _, password = basic[0].partition(":") if basic else (*SAMPLE_BASIC[:1], "", SAMPLE_BASIC[1])
    headers, query = sample_credentials(operation.get("security", []), schemes_of(spec),
                                        token=tokens[0] if tokens else SAMPLE_TOKEN,
                                        api_key=tokens[0] if tokens else "mock-api-key",
                                        basic=(user, password))
    url = base_url + vendor.curl_path
    if query:
        url += ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in query.items())
    parts = ["curl -s"] + [f"-H '{name}: {value}'" for name, value in headers.items()] + [f"'{url}'"]
    return " ".join(parts)
