"""A bounded, seeded fuzz run: every operation of the five APIs and the control API, its example request
mutated in types, encodings, sizes and unicode.

The properties: nothing is a 5xx (response validation is on, so a 2xx that breaks the spec is one), a
4xx comes in the API's envelope, and a rejected request leaves every API's state as it was. Accepted
writes may change the state; the mock is reset after each one so that the examples stay valid.

`TICKETMOCK_FUZZ_CASES` (default 400) and `TICKETMOCK_FUZZ_SEED` change the run; with `-s` it prints
its figures. A failure names the seed and the case, so `TICKETMOCK_FUZZ_SEED=... ` replays it.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.helpers import (
    CONTROL,
    SLUGS,
    ExampleRequest,
    encode_body,
    error_shape_problems,
    example_requests,
    make_client,
    state_hash,
)

SEED = int(os.environ.get("TICKETMOCK_FUZZ_SEED", "20261120"))
CASES = int(os.environ.get("TICKETMOCK_FUZZ_CASES", "400"))
OPERATIONS = [request for slug in (*SLUGS, CONTROL) for request in example_requests(slug)]

# Values of every JSON type that break types, formats, bounds and encodings.
WEIRD_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, -0.0, 2**31, 2**63, 2**64, -(2**63) - 1, 1e308, 5e-324,
    "", " ", "x" * 10_000, "0", "-1", "true", "null", "2026-02-30", "2026-11-20T25:61:00Z", "not-a-uuid",
    "00000000-0000-0000-0000-000000000000", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --",
    "\u0000", "nul\u0000byte", "🚀", "\U0001f4a7" * 1000, "\u202eRTL", "ǅ", "١٢٣", "e\u0301", "\ufeffbom",
    "\ud83d\ude80", "\ud800", "a\udfffb", "%ED%A0%80", "\\ud800", [], [None], [[[]]], {}, {"": ""}, {"$ref": "#/x"},
]
# Raw values for path and query parameters, already percent-encoded where needed.
WEIRD_TEXT = [
    "", "%20", "%00", "..", "%2e%2e", "%2F", "x" * 5000, "-1", "0", "9" * 30, "9" * 5000, "1e999", "NaN",
    "%C3%A9", "%ED%A0%80", "%FF", "%F0%9F%9A%80", "null", "true", "[]", "%7B%7D", "a%26b%3Dc", "%0D%0AX:1",
    "2026-02-30", "00000000-0000-0000-0000-000000000000",
]
BAD_AUTHORIZATION = ["", "Bearer", "Bearer ", "Bearer " + "x" * 10_000, "Basic !!!", "Basic " + "QQ==" * 2000,
                     "Negotiate abc", "bearer mock-token extra", "Bearer \u00e9"]
MEDIA_TYPES = ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=latin-1",
               "application/json-patch+json", "application/x-www-form-urlencoded", "", "*/*", "application/"]


@dataclass
class Case:
    """One mutated request: what changed, and the arguments for ExampleRequest.send."""

    what: str
    send: dict[str, Any] = field(default_factory=dict)
    routed: bool = True  # False when the mutation may send the request to no operation


Mutator = Callable[[random.Random, ExampleRequest], Case]


def leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every member and element path of a JSON value, the root included."""
    paths = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            paths += leaf_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            paths += leaf_paths(child, (*path, index))
    return paths


def replaced(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(body))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copy


def dropped(body: Any, path: tuple[Any, ...]) -> Any:
    copy = json.loads(json.dumps(body))
    node = copy
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return copy


def encoded(request: ExampleRequest, body: Any) -> bytes:
    return encode_body(body, request.media_type or "application/json")


# --- body mutators ----------------------------------------------------------------------------------


def retype(rng: random.Random, request: ExampleRequest) -> Case:
    path = rng.choice(leaf_paths(request.body))
    value = rng.choice(WEIRD_VALUES)
    body = replaced(request.body, path, value)
    return Case(f"body {list(path)} = {str(value)[:40]!r}", {"content": encoded(request, body)})


def drop_member(rng: random.Random, request: ExampleRequest) -> Case:
    paths = [p for p in leaf_paths(request.body) if p]
    if not paths:
        return retype(rng, request)
    path = rng.choice(paths)
    return Case(f"body without {list(path)}", {"content": encoded(request, dropped(request.body, path))})


def add_member(rng: random.Random, request: ExampleRequest) -> Case:
    path = rng.choice(leaf_paths(request.body))
    node = request.body
    for key in path:
        node = node[key]
    if isinstance(node, dict):
        name = rng.choice(["unknown", "", "$where", "__proto__", "é", "\ud83d\ude80", "a" * 300])
        body = replaced(request.body, path, {**node, name: rng.choice(WEIRD_VALUES)})
    elif isinstance(node, list):
        body = replaced(request.body, path, [*node, rng.choice(WEIRD_VALUES)])
    else:
        return retype(rng, request)
    return Case(f"body {list(path)} with one more member or element", {"content": encoded(request, body)})


def resize(rng: random.Random, request: ExampleRequest) -> Case:
    path = rng.choice(leaf_paths(request.body))
    value = rng.choice([
        "é" * 200_000, ["x"] * 20_000, {f"k{n}": n for n in range(5000)},
        json.loads("[" * 500 + "]" * 500), json.loads('{"a":' * 500 + "1" + "}" * 500),
    ])
    body = replaced(request.body, path, value)
    return Case(f"body {list(path)} made huge or deep", {"content": encoded(request, body)})


def mangle_text(rng: random.Random, request: ExampleRequest) -> Case:
    text = encoded(request, request.body)
    cut = rng.randrange(len(text) + 1)
    mutations: list[tuple[str, bytes]] = [
        ("cut short", text[:cut]),
        ("invalid UTF-8", text[:cut] + b"\xff\xfe" + text[cut:]),
        ("UTF-16", text.decode().encode("utf-16")),
        ("with a BOM", b"\xef\xbb\xbf" + text),
        ("trailing garbage", text + b"}{]"),
        ("a lone surrogate", text.replace(b'"', b'"\\udc00', 1) if b'"' in text else b'"\\udc00"'),
        ("a huge integer", text[:1] + b'"n": ' + b"7" * rng.choice([400, 5000]) + b"," + text[1:]
         if text.startswith(b"{") and len(text) > 2 else b"9" * 5000),
        ("NaN", text[:1] + b'"n": NaN,' + text[1:] if text.startswith(b"{") and len(text) > 2 else b"NaN"),
        ("duplicate members", text[:-1] + b"," + text[1:] if text.startswith(b"{") and len(text) > 2 else text),
        ("the empty body", b""),
        ("whitespace only", b" \r\n\t"),
        ("a NUL byte", text[:cut] + b"\x00" + text[cut:]),
    ]
    what, content = rng.choice(mutations)
    return Case(f"body text {what}", {"content": content})


def media_type(rng: random.Random, request: ExampleRequest) -> Case:
    value = rng.choice(MEDIA_TYPES)
    headers = {k: v for k, v in request.headers.items()}
    headers["Content-Type"] = value
    return Case(f"Content-Type {value!r}", {"headers": headers, "content": encoded(request, request.body)})


# --- parameter and header mutators --------------------------------------------------------------------


def path_parameter(rng: random.Random, request: ExampleRequest) -> Case:
    if not request.path_values:
        return query_parameter(rng, request)
    name, _ = rng.choice(request.path_values)
    value = rng.choice(WEIRD_TEXT)
    return Case(f"path {name} = {value[:40]!r}", {"path": request.path_with(name, value)}, routed=False)


def query_parameter(rng: random.Random, request: ExampleRequest) -> Case:
    names = [name for name, where in request.parameters if where == "query"] or ["unknown"]
    name = rng.choice([*names, "unknown"])
    value = rng.choice(WEIRD_TEXT)
    pairs = [f"{k}={v}" for k, v in request.query.items() if k != name]
    pairs += [f"{name}={value}"] * rng.choice([1, 1, 2])
    return Case(f"query {name} = {value[:40]!r}", {"path": request.path + "?" + "&".join(pairs), "query": {}})


def header(rng: random.Random, request: ExampleRequest) -> Case:
    headers: dict[str, Any] = dict(request.headers)
    declared = [name for name, where in request.parameters if where == "header"]
    choice = rng.randrange(4)
    if choice == 0 and headers:
        name = rng.choice(list(headers))
        del headers[name]
        what = f"without header {name}"
    elif choice == 1:
        value = rng.choice(BAD_AUTHORIZATION)
        headers["Authorization"] = value.encode("utf-8")
        what = f"Authorization {value[:30]!r}"
    elif choice == 2 and declared:
        name = rng.choice(declared)
        value = rng.choice(WEIRD_TEXT)
        headers[name] = value
        what = f"header {name} = {value[:30]!r}"
    else:
        headers["X-Fuzz"] = rng.choice([b"\xff\xfe", "é".encode(), b"a" * 8000, b"%ED%A0%80"])
        what = "an odd extra header"
    return Case(what, {"headers": headers})


BODY_MUTATORS: list[Mutator] = [retype, retype, drop_member, add_member, resize, mangle_text, mangle_text, media_type]
OTHER_MUTATORS: list[Mutator] = [path_parameter, query_parameter, header]


def mutate(rng: random.Random, request: ExampleRequest) -> Case:
    if request.media_type == "application/json" and rng.random() < 0.6:
        return rng.choice(BODY_MUTATORS)(rng, request)
    return rng.choice(OTHER_MUTATORS)(rng, request)


def test_fuzzed_requests_are_never_5xx_and_rejected_ones_change_nothing() -> None:
    rng = random.Random(SEED)
    client = make_client()
    before = state_hash(client)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    for number in range(CASES):
        request = OPERATIONS[number % len(OPERATIONS)]
        case = mutate(rng, request)
        response = request.send(client, **case.send)
        statuses[response.status_code] += 1
        where = f"case {number} (seed {SEED}): {request.method} {request.path} ({request.operation_id}) {case.what}"
        if response.status_code >= 500:
            failures.append(f"{where}: {response.status_code} {response.text[:300]}")
        elif response.status_code >= 400:
            operation_id = request.operation_id if case.routed else None
            failures += [f"{where}: {p}" for p in error_shape_problems(request.slug, operation_id, response)]
            if state_hash(client) != before:
                failures.append(f"{where}: rejected with {response.status_code}, but the state changed")
                client.post("/_ticketmock/reset")
                before = state_hash(client)
        elif request.method != "GET":
            # Accepted: back to the fixtures, and no armed fault (a fuzzed one could delay or fail later cases).
            client.delete("/_ticketmock/faults")
            client.post("/_ticketmock/reset")
            before = state_hash(client)
    by_class = Counter(f"{status // 100}xx" for status in statuses.elements())
    print(f"\nfuzz: {CASES} requests over {len(OPERATIONS)} operations (seed {SEED}): "
          f"{dict(sorted(by_class.items()))}; 5xx: {by_class['5xx']}; "
          f"rejected requests that changed the state: {sum('the state changed' in f for f in failures)}")
    assert failures == []
    assert by_class["4xx"] >= CASES // 4 and by_class["2xx"] >= CASES // 10  # both sides of every check are hit
