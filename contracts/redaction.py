"""Secrets out of every report: raw, base64, URL- and JSON-encoded, and cut short by a truncation.

The kit knows every secret it sends (environment variables, `--header` values, exchanged tokens),
so it removes each one from all it prints or writes in every encoding a report could show it in:
a target that echoes `Authorization: Basic ...` back shows the credential base64-encoded, a query
string shows it percent-encoded, a JSON body escaped, and a truncated value shows only its start.
"""

from __future__ import annotations

import base64
import bisect
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

REDACTED = "[REDACTED]"
# Fragments shorter than this are not searched for where a report was cut: too many false hits.
MIN_FRAGMENT = 4
# What a truncated value ends with in Schemathesis' output ("...", "// Output truncated...",
# "<...truncated, N bytes total>") and in common tools ("…").
TRUNCATION_MARKERS = ("...", "…", "<...truncated", "// Output truncated")
# Characters RFC 3986 allows unencoded in a path segment; clients differ in which they encode.
PATH_SAFE = "!$&'()*+,;=:@/~"
AUTH_SCHEME_WORDS = ("basic", "bearer", "token", "apikey", "digest", "hmac", "signature")


@dataclass(frozen=True)
class Secret:
    """A value that must never be printed; `variable` is the environment variable holding it, if any."""

    value: str
    variable: str | None = None

    def reference(self) -> str | None:
        """The shell text that expands to the value, for runnable reproductions."""
        return f"${self.variable}" if self.variable else None


@dataclass(frozen=True)
class BasicPair:
    """Basic credentials: `user:pass` is a secret of its own, and so is each half."""

    username: Secret
    password: Secret

    def joined(self) -> Secret:
        return Secret(f"{self.username.value}:{self.password.value}")

    def wire_forms(self) -> list[Secret]:
        """`user:pass` base64-encoded as clients send it (UTF-8, or Latin-1 as requests does), a secret
        of its own: a target may echo the header value encoded once more."""
        joined = self.joined().value
        found = [Secret(base64.b64encode(joined.encode("utf-8")).decode("ascii"))]
        try:
            found.append(Secret(base64.b64encode(joined.encode("latin-1")).decode("ascii")))
        except UnicodeEncodeError:
            pass
        return found

    def reference(self) -> str | None:
        user, password = self.username.reference(), self.password.reference()
        return f"{user}:{password}" if user and password else None


def header_secrets(value: str) -> list[Secret]:
    """The secrets in a `--header` value: the whole value, the credential after an auth scheme word,
    and the halves of a Basic credential."""
    value = value.strip()
    found = [Secret(value)]
    word, _, rest = value.partition(" ")
    rest = rest.strip()
    if rest and word.lower() in AUTH_SCHEME_WORDS:
        found.append(Secret(rest))
        if word.lower() == "basic" and (pair := decode_basic(rest)):
            found += [Secret(pair[0]), Secret(pair[1]), Secret(f"{pair[0]}:{pair[1]}")]
    return found


def decode_basic(credential: str) -> tuple[str, str] | None:
    try:
        raw = base64.b64decode(credential, validate=True)
    except ValueError:
        return None
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("latin-1")
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def encodings(value: str) -> set[str]:
    """Every form in which a report could show the value (see the module docstring)."""
    forms = {value}
    for encoded in (quote(value, safe=""), quote(value, safe="/"), quote(value, safe=PATH_SAFE), quote_plus(value)):
        forms |= {encoded, re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), encoded)}
    for escaped in (json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]):
        forms |= {escaped, escaped.replace("/", "\\/")}
    forms |= base64_forms(value.encode("utf-8"))
    try:  # HTTP clients encode Basic credentials as Latin-1 where they can (requests does)
        forms |= base64_forms(value.encode("latin-1"))
    except UnicodeEncodeError:
        pass
    return {form for form in forms if form}


def base64_forms(raw: bytes) -> set[str]:
    """The value base64-encoded alone, and the part of its encoding that is the same wherever it sits
    inside a longer encoded text (each of the three byte alignments), in both alphabets."""
    forms: set[str] = set()
    whole = base64.b64encode(raw).decode("ascii")
    forms |= {whole, whole.rstrip("=")}
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode("ascii")
        # Character i carries bits 6i..6i+5; keep those made of the value's bits only.
        core = encoded[(8 * offset + 5) // 6:(8 * (offset + len(raw))) // 6]
        if len(core) >= MIN_FRAGMENT:
            forms.add(core)
    return forms | {form.replace("+", "-").replace("/", "_") for form in forms}


class Redactor:
    """Replaces every known secret, in every form, with [REDACTED]."""

    def __init__(self, secrets: Iterable[Secret | BasicPair] = ()) -> None:
        given = list(secrets)
        flat: list[Secret] = []
        for secret in given:
            if isinstance(secret, BasicPair):
                flat += [secret.username, secret.password, secret.joined(), *secret.wire_forms()]
            else:
                flat.append(secret)
        self.secrets = tuple(s for s in dict.fromkeys(flat) if s.value.strip())
        self.pairs = tuple(s for s in given if isinstance(s, BasicPair))
        self._forms = sorted({f for s in self.secrets for f in encodings(s.value.strip())}, key=len, reverse=True)
        self._whole = re.compile("|".join(map(re.escape, self._forms))) if self._forms else None
        # Overlapping matches of each form's first and last few characters find where a cut-short form starts or ends.
        self._heads = self._keys([f[:MIN_FRAGMENT] for f in self._forms if len(f) > MIN_FRAGMENT])
        self._tails = self._keys([f[-MIN_FRAGMENT:] for f in self._forms if len(f) > MIN_FRAGMENT])

    @staticmethod
    def _keys(keys: list[str]) -> re.Pattern[str] | None:
        return re.compile("(?=(" + "|".join(map(re.escape, sorted(set(keys)))) + "))") if keys else None

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def text(self, text: str) -> str:
        """The text with every secret, whole or cut short, replaced by [REDACTED]."""
        if self._whole is None:
            return text
        spans = [match.span() for match in self._whole.finditer(text)] + self._fragments(text)
        for begin, finish in reversed(_merged(spans)):
            text = text[:begin] + REDACTED + text[finish:]
        return text

    def _fragments(self, text: str) -> list[tuple[int, int]]:
        """A form's start that runs into a truncation marker or a line end, and its end right after a marker."""
        markers = [m for marker in TRUNCATION_MARKERS for m in re.finditer(r" ?" + re.escape(marker) + " ?", text)]
        ends = sorted({len(text)} | {m.start() for m in re.finditer(r"\r?\n", text)} | {m.start() for m in markers})
        starts = sorted({m.end() for m in markers})
        spans: list[tuple[int, int]] = []
        for match in self._heads.finditer(text) if self._heads else ():
            begin = match.start()
            for form in self._forms:
                if form.startswith(match.group(1)):
                    agreed = _common_prefix(text, begin, form)
                    cut = _last_in(ends, begin + MIN_FRAGMENT, begin + agreed)
                    if cut is not None:
                        spans.append((begin, cut))
        for match in self._tails.finditer(text) if self._tails else ():
            finish = match.start() + MIN_FRAGMENT
            for form in self._forms:
                if form.endswith(match.group(1)):
                    agreed = _common_suffix(text, finish, form)
                    cut = _first_in(starts, finish - agreed, finish - MIN_FRAGMENT)
                    if cut is not None:
                        spans.append((cut, finish))
        return spans


def _common_prefix(text: str, begin: int, form: str) -> int:
    size = 0
    while size < len(form) and begin + size < len(text) and text[begin + size] == form[size]:
        size += 1
    return size


def _common_suffix(text: str, finish: int, form: str) -> int:
    size = 0
    while size < len(form) and finish - size > 0 and text[finish - size - 1] == form[-size - 1]:
        size += 1
    return size


def _last_in(positions: list[int], low: int, high: int) -> int | None:
    index = bisect.bisect_right(positions, high) - 1
    return positions[index] if index >= 0 and positions[index] >= low else None


def _first_in(positions: list[int], low: int, high: int) -> int | None:
    index = bisect.bisect_left(positions, low)
    return positions[index] if index < len(positions) and positions[index] <= high else None


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for begin, finish in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged
