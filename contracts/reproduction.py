"""Reproduction curls that run as printed: each secret becomes the environment variable that holds it.

Schemathesis writes one curl command per failing case. The kit rewrites it so that a secret the
user gave through `TICKETMOCK_<SLUG>_*` reads `"$TICKETMOCK_BOBDESK_TOKEN"` (and Basic credentials
`-u "$..._USERNAME:$..._PASSWORD"`), which the shell expands when the command is pasted; a secret
no variable holds (a `--header` value) is [REDACTED]. The secret itself is never printed.
"""

from __future__ import annotations

import re
import shlex

from contracts.redaction import Redactor, decode_basic

MOCK_ORIGIN = "http://localhost"
SERVE_ORIGIN = "http://127.0.0.1:8000"
# Safe inside double quotes: no expansion, no escaping, no history expansion.
DOUBLE_QUOTE_SAFE = re.compile(r'[^"\\$`!]*')
BASIC_HEADER = re.compile(r"(?i)authorization:\s*basic\s+(\S+)")
ANSI_C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b",
                  "e": "\x1b", "f": "\f", "v": "\v", "?": "?"}

Word = tuple[int, int, str]  # start, end in the command line, the value the shell sees


def reproduction(command: str, redactor: Redactor, *, in_process: bool) -> str:
    """The curl to print: `make serve`'s address for the in-process mock, secrets as variables or redacted."""
    if in_process:
        command = command.replace(f"{MOCK_ORIGIN}/", f"{SERVE_ORIGIN}/")
    if not redactor:
        return command
    line, newline, rest = command.partition("\n")  # Schemathesis may append warnings after the command
    return redactor.text(with_references(line, redactor) + newline + rest)


def with_references(line: str, redactor: Redactor) -> str:
    """The command line with every secret that has a variable replaced by a reference to it."""
    words = shell_words(line)
    if words is None:
        return line
    edits: list[tuple[int, int, str]] = []
    for index, (start, end, value) in enumerate(words):
        if index and words[index - 1][2] == "-H" and (option := basic_option(value, redactor)):
            edits.append((words[index - 1][0], end, option))
            continue
        pieces = split_secrets(value, redactor)
        if len(pieces) > 1 or (pieces and pieces[0][1]):
            edits.append((start, end, render(pieces)))
    for start, end, text in reversed(edits):
        line = line[:start] + text + line[end:]
    return line


def basic_option(header: str, redactor: Redactor) -> str | None:
    """`-u "$USER_VAR:$PASS_VAR"` for an Authorization: Basic header made of known credentials."""
    match = BASIC_HEADER.fullmatch(header)
    pair = decode_basic(match.group(1)) if match else None
    for known in redactor.pairs:
        reference = known.reference()
        if pair == (known.username.value, known.password.value) and reference:
            return f'-u "{reference}"'
    return None


def split_secrets(value: str, redactor: Redactor) -> list[tuple[str, bool]]:
    """The value as pieces: (literal text, False) and (variable reference, True)."""
    known = sorted(((s.value, ref) for s in redactor.secrets if (ref := s.reference())), key=lambda p: -len(p[0]))
    pieces: list[tuple[str, bool]] = []
    position = 0
    while known:
        found = [(value.find(secret, position), -len(secret), secret, ref) for secret, ref in known]
        hits = [hit for hit in found if hit[0] >= 0]
        if not hits:
            break
        start, _, secret, reference = min(hits)
        if start > position:
            pieces.append((value[position:start], False))
        pieces.append((reference, True))
        position = start + len(secret)
    if position < len(value) or not pieces:
        pieces.append((value[position:], False))
    return pieces


def render(pieces: list[tuple[str, bool]]) -> str:
    """One shell word: double-quoted when the literal parts allow it, else quoted piece by piece."""
    braced: list[tuple[str, bool]] = []
    for index, (text, is_reference) in enumerate(pieces):
        following = pieces[index + 1][0] if index + 1 < len(pieces) else ""
        if is_reference and (following[:1].isalnum() or following[:1] == "_"):
            text = re.sub(r"\$(\w+)$", r"${\1}", text)
        braced.append((text, is_reference))
    literals = [text for text, is_reference in braced if not is_reference]
    if all(DOUBLE_QUOTE_SAFE.fullmatch(text) and text.isprintable() for text in literals):
        return '"' + "".join(text for text, _ in braced) + '"'
    return "".join(f'"{text}"' if is_reference else shlex.quote(text) for text, is_reference in braced if text)


def shell_words(line: str) -> list[Word] | None:
    """Split a command line as a POSIX shell (plus bash's $'...') would; None when it cannot be split."""
    words: list[Word] = []
    position, size = 0, len(line)
    while position < size:
        if line[position].isspace():
            position += 1
            continue
        start, value = position, ""
        while position < size and not line[position].isspace():
            char = line[position]
            if char == "'":
                close = line.find("'", position + 1)
                if close < 0:
                    return None
                value += line[position + 1:close]
                position = close + 1
            elif line.startswith("$'", position):
                parsed = _ansi_c(line, position + 2)
                if parsed is None:
                    return None
                text, position = parsed
                value += text
            elif char == '"':
                parsed = _double_quoted(line, position + 1)
                if parsed is None:
                    return None
                text, position = parsed
                value += text
            elif char == "\\" and position + 1 < size:
                value += line[position + 1]
                position += 2
            else:
                value += char
                position += 1
        words.append((start, position, value))
    return words


def _double_quoted(line: str, position: int) -> tuple[str, int] | None:
    value = ""
    while position < len(line):
        char = line[position]
        if char == '"':
            return value, position + 1
        if char == "\\" and line[position + 1:position + 2] in ('"', "\\", "$", "`"):
            value += line[position + 1]
            position += 2
        else:
            value += char
            position += 1
    return None


def _ansi_c(line: str, position: int) -> tuple[str, int] | None:
    raw = bytearray()
    while position < len(line):
        char = line[position]
        if char == "'":
            return raw.decode("utf-8", "surrogateescape"), position + 1
        if char == "\\" and position + 1 < len(line):
            code = line[position + 1]
            if code == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", line[position + 2:position + 4]):
                raw.append(int(line[position + 2:position + 4], 16))
                position += 4
                continue
            raw += ANSI_C_ESCAPES.get(code, "\\" + code).encode("utf-8")
            position += 2
            continue
        raw += char.encode("utf-8", "surrogatepass")
        position += 1
    return None
