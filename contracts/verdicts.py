"""The kit's own verdicts on a run: an operation that never got a real answer has not passed.

Schemathesis passes an operation whose every response was a documented 404 or 401: a wrong base URL
or wrong credentials then look like success. The kit fails such an operation and says which it is:
`operation_found` when every answer was 404 (naming the path it expected under which base URL), and
`credentials_accepted` when every answer was 401/403, naming the credential types the operation's
security requirement allows when none of them was given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from contracts.redaction import decode_basic
from contracts.results import Failure, OperationResult, RunResult
from contracts.targets import Credentials, env_name
from mockserver.spec import iter_operations

AUTH_CHECK = "credentials_accepted"
FOUND_CHECK = "operation_found"
REFUSED = frozenset({401, 403})
# The value Schemathesis puts in its invalid-credential probes: not a credential the kit sent.
PROBE_VALUE = "SCHEMATHESIS-INVALID-VALUE"

Requirements = Sequence[Mapping[str, Sequence[str]]]


def judge(result: RunResult, spec: dict[str, Any], credentials: Credentials, base: str) -> None:
    """Add a failure to every operation that was only ever answered 404, or 401/403."""
    security = {f"{method.upper()} {path}": op.get("security", spec.get("security", []))
                for path, method, op in iter_operations(spec)}
    schemes: dict[str, Any] = spec.get("components", {}).get("securitySchemes", {})
    answered = [label for label, op in result.operations.items() if any(s < 400 for s in statuses(result, op))]
    for label, op in result.operations.items():
        seen = statuses(result, op)
        total = sum(seen.values())
        if not total or set(seen) - REFUSED - {404}:
            continue
        if set(seen) == {404}:
            op.failures.insert(0, not_found(op, total, base, elsewhere=[a for a in answered if a != label]))
        elif set(seen) <= REFUSED:
            op.failures.insert(0, refused(op, total, result.slug, security.get(label, []), schemes, credentials))
        else:
            counts = ", ".join(f"{count} x {status}" for status, count in sorted(seen.items()))
            op.failures.insert(0, Failure(
                op.label, AUTH_CHECK, "No request got past authentication or routing",
                f"all {total} responses were 401, 403 or 404 ({counts}): check the credentials (see the README, "
                f"'Credentials for a real target') and the base URL (expected {op.label} under {base})", ""))


def statuses(result: RunResult, op: OperationResult) -> dict[int, int]:
    """The operation's statuses over every phase, the stateful one included."""
    merged = dict(op.statuses)
    for status, count in result.stateful_statuses.get(op.label, {}).items():
        merged[status] = merged.get(status, 0) + count
    return merged


def not_found(op: OperationResult, total: int, base: str, *, elsewhere: list[str]) -> Failure:
    message = f"every response was 404: is the base URL right? (expected {op.label} under {base})"
    if elsewhere:
        message += (f"\n{len(elsewhere)} other operation(s) got answers under this base URL, so perhaps no request "
                    "named an existing record, or the target serves this path elsewhere")
    return Failure(op.label, FOUND_CHECK, f"All {total} responses were 404", message, "")


def refused(op: OperationResult, total: int, slug: str, requirements: Requirements, schemes: Mapping[str, Any],
            credentials: Credentials) -> Failure:
    title = "Every request was refused as unauthenticated"
    mismatch = credential_mismatch(op.operation_id or op.label, requirements, schemes,
                                   offered=offered_schemes(credentials, schemes),
                                   sent=sent_kinds(op.sent, schemes))
    if mismatch:
        hint = ", ".join(dict.fromkeys(variable_for(slug, schemes[name]) for alternative in requirements
                                       for name in alternative if name in schemes))
        return Failure(op.label, AUTH_CHECK, title, f"{mismatch} (all {total} responses were 401/403; set {hint})", "")
    return Failure(op.label, AUTH_CHECK, title,
                   f"all {total} responses were 401/403: the credentials are missing or wrong for this target "
                   "(see the README, 'Credentials for a real target')", "")


def credential_mismatch(operation: str, requirements: Requirements, schemes: Mapping[str, Any], *,
                        offered: set[str], sent: list[str]) -> str | None:
    """'createSupportTicket accepts OAuth2 only; Basic was sent' when no credential of an allowed type was
    given; None when one was (then the credentials themselves are wrong) or the operation needs none."""
    if not requirements or any(set(alternative) <= offered for alternative in requirements):
        return None
    accepted = " or ".join(dict.fromkeys(" + ".join(label_of(schemes.get(name, {})) for name in alternative)
                                         for alternative in requirements))
    given = sorted({label_of(schemes[name]) for name in offered if name in schemes})
    if sent:
        return f"{operation} accepts {accepted} only; {' and '.join(sent)} was sent"
    if given:
        return (f"{operation} accepts {accepted} only; {' and '.join(given)} was given, which it does not take, "
                "so no credential was sent")
    return f"{operation} accepts {accepted} only; no credential was given"


def label_of(scheme: Mapping[str, Any]) -> str:
    """How people name a security scheme: Basic, Bearer, OAuth2, API key (header x-api-key)."""
    kind = scheme.get("type")
    if kind == "http":
        return str(scheme.get("scheme", "http")).capitalize()
    if kind == "oauth2":
        return "OAuth2"
    if kind == "openIdConnect":
        return "OpenID Connect"
    if kind == "apiKey":
        return f"API key ({scheme.get('in')} {scheme.get('name')})"
    return str(kind)


def bearer_like(scheme: Mapping[str, Any]) -> bool:
    return scheme.get("type") in ("oauth2", "openIdConnect") or (
        scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer")


def offered_schemes(credentials: Credentials, schemes: Mapping[str, Any]) -> set[str]:
    """The security schemes the kit's credentials can satisfy: configured ones and `--header` ones."""
    names = set(credentials.schemes)
    headers = {name.lower(): value for name, value in credentials.headers.items()}
    word = headers.get("authorization", "").split(" ", 1)[0].lower()
    for name, scheme in schemes.items():
        if (word == "bearer" and bearer_like(scheme)) or (
                word == "basic" and scheme.get("type") == "http" and str(scheme.get("scheme")).lower() == "basic"):
            names.add(name)
        in_header = scheme.get("type") == "apiKey" and scheme.get("in") == "header"
        if in_header and str(scheme.get("name")).lower() in headers:
            names.add(name)
    return names


def sent_kinds(markers: Iterable[str], schemes: Mapping[str, Any]) -> list[str]:
    """What the requests carried, from the markers the runner recorded (see credential_markers)."""
    kinds: list[str] = []
    api_keys = {str(s.get("name")).lower(): label_of(s) for s in schemes.values()
                if s.get("type") == "apiKey" and s.get("in") == "header"}
    for marker in sorted(set(markers)):
        if marker.startswith("authorization:"):
            kinds.append(marker.partition(":")[2].capitalize())
        elif marker in api_keys:
            kinds.append(api_keys[marker])
    return kinds


def credential_markers(headers: Mapping[str, Sequence[str]]) -> set[str]:
    """`authorization:<scheme word>` and the lower-case names of the headers a request carried."""
    markers: set[str] = set()
    for name, values in headers.items():
        if any(PROBE_VALUE in value or PROBE_VALUE in ":".join(decode_basic(value.rpartition(" ")[2]) or ())
               for value in values):
            continue
        if name.lower() == "authorization":
            markers |= {f"authorization:{value.split(' ', 1)[0].lower()}" for value in values if value}
        else:
            markers.add(name.lower())
    return markers


def variable_for(slug: str, scheme: Mapping[str, Any]) -> str:
    """The environment variable that gives the kit a credential of this scheme."""
    if bearer_like(scheme):
        return env_name(slug, "TOKEN")
    if scheme.get("type") == "http" and str(scheme.get("scheme")).lower() == "basic":
        return f"{env_name(slug, 'USERNAME')} and {env_name(slug, 'PASSWORD')}"
    return env_name(slug, "API_KEY")
