"""Request checking: parameters, media type, body size, body syntax and schema, before any handler.

Replaces Connexion's request-validation middleware with one that compiles every validator once per
operation at startup (Connexion builds them per request), reports every invalid field instead of the
first, and raises the mock's domain errors so each vendor renders them in its own envelope.
"""

from __future__ import annotations

import copy
import json
import math
import re
import sys
import uuid
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from connexion.json_schema import Draft4RequestValidator
from connexion.lifecycle import ConnexionRequest
from connexion.middleware.abstract import RoutedAPI, RoutedMiddleware
from connexion.operations import AbstractOperation
from jsonschema import Draft4Validator, FormatChecker
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.errors import FieldError, InvalidInput, Malformed, PayloadTooLarge, UnsupportedMediaType
from mockserver.schemas import quick_check

BODY_KEY = "ticketmock.body"  # the parsed, validated request body, for the endpoint
DEFAULT_MAX_BODY = 1024 * 1024
CONTROL_MAX_BODY = 64 * 1024 * 1024  # the control API's bodies (a large session's snapshot) may be bigger


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _in_range(bits: int) -> Callable[[object], bool]:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: object) -> bool:
        return not isinstance(value, int) or isinstance(value, bool) or low <= value <= high

    return check


FORMAT_CHECKER: FormatChecker = copy.deepcopy(Draft4Validator.FORMAT_CHECKER)
FORMAT_CHECKER.checks("uuid")(_is_uuid)
FORMAT_CHECKER.checks("date")(_is_date)
FORMAT_CHECKER.checks("int32")(_in_range(32))
FORMAT_CHECKER.checks("int64")(_in_range(64))


def field_path(parts: Any, root: str = "") -> str:
    """`["ticket", "status"]` -> `ticket.status`; list indexes as `[0]`."""
    text = root
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(body)"


REQUIRED_MESSAGE = re.compile(r"^'(.+)' is a required property$")


def deepest(error: Any) -> Any:
    """For a oneOf/anyOf failure, the error of the branch the value most likely meant.

    A branch whose `enum` (e.g. a `type` discriminator) rejects the value is the wrong branch, so
    branches rank by (enum errors, errors): `{"type": "outsource", "product_ids": []}` is reported
    as "product_ids: [] is too short", not as a missing field of the `cancel` variant.
    """
    while error.context and error.validator in ("oneOf", "anyOf"):
        branches: dict[Any, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        chosen = min(branches.values(), key=lambda subs: (sum(s.validator == "enum" for s in subs), len(subs)))
        if any(s.validator == "enum" for s in chosen):
            return error  # no branch fits the discriminator: the oneOf error itself says the most
        error = min(chosen, key=lambda s: [str(p) for p in s.relative_path])
    return error


def error_field(error: Any) -> str:
    """The field a jsonschema error is about: for `required` and `additionalProperties` errors the
    missing or unexpected property itself, not the object that holds it."""
    parts = list(error.absolute_path)
    if isinstance(error.instance, dict):
        if error.validator == "required":
            # jsonschema reports each missing property as its own error: "'x' is a required property".
            named = REQUIRED_MESSAGE.match(error.message)
            parts += [named.group(1)] if named else \
                [name for name in error.validator_value if name not in error.instance][:1]
        elif error.validator == "additionalProperties":
            declared = set(error.schema.get("properties", {}))
            parts += sorted(name for name in error.instance if name not in declared)[:1]
    return field_path(parts)


@dataclass(frozen=True, slots=True)
class ParamRule:
    name: str
    location: str  # path | query | header | cookie
    required: bool
    validate: Callable[[Any], list[str]]
    nullable: bool

    def lookup(self, request: ConnexionRequest) -> Any:
        if self.location == "path":
            return request.path_params.get(self.name.replace("-", "_"))
        if self.location == "query":
            return request.query_params.get(self.name)
        if self.location == "header":
            return request.headers.get(self.name)
        return request.cookies.get(self.name)


def compile_param(param: Mapping[str, Any]) -> ParamRule:
    schema = param.get("schema", {})
    validator = Draft4RequestValidator(schema, format_checker=FORMAT_CHECKER)
    valid = quick_check(schema, response=False)

    def validate(value: Any) -> list[str]:
        return [] if valid(value) else [deepest(error).message for error in validator.iter_errors(value)]

    return ParamRule(param["name"], param["in"], bool(param.get("required")), validate,
                     bool(schema.get("nullable")))


class CheckOperation:
    """Checks one operation's requests; everything is compiled in __init__."""

    def __init__(self, next_app: ASGIApp, *, operation: AbstractOperation, max_body_bytes: int) -> None:
        self.next_app = next_app
        self.max_body_bytes = max_body_bytes
        self.uri_parser = operation.uri_parser_class(operation.parameters, operation.body_definition())
        self.params = [compile_param(p) for p in operation.parameters]
        request_body = operation.request_body
        self.body_required = bool(request_body.get("required"))
        self.media_types: dict[str, Draft4RequestValidator | None] = {}
        self.quick: dict[str, Callable[[Any], bool]] = {}
        for media_type, content in (request_body.get("content") or {}).items():
            schema = content.get("schema")
            self.media_types[media_type.lower()] = (
                Draft4RequestValidator(schema, format_checker=FORMAT_CHECKER) if schema else None
            )
            if schema:  # a valid body, the common case, is recognised in microseconds (schemas.py)
                self.quick[media_type.lower()] = quick_check(schema, response=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = ConnexionRequest(scope, receive, uri_parser=self.uri_parser)
        self.check_params(request)
        # Every body is read to its end before the handler runs, also where the operation takes none:
        # a request whose body breaks off must not act, e.g. cancel a ticket.
        raw = await read_body(receive, self.max_body_bytes)
        if self.media_types:
            self.check_body(scope, raw, request)
        await self.next_app(scope, replay(raw, receive), send)

    def check_params(self, request: ConnexionRequest) -> None:
        problems: list[FieldError] = []
        for rule in self.params:
            value = rule.lookup(request)
            if value is None:
                if rule.required:
                    problems.append(FieldError(rule.name, f"the required {rule.location} parameter is missing"))
                continue
            problems += [FieldError(rule.name, message) for message in rule.validate(value)]
        if problems:
            raise InvalidInput(_summary(problems, "parameter"), fields=problems)

    def check_body(self, scope: Scope, raw: bytes, request: ConnexionRequest) -> None:
        if not raw:
            if self.body_required:
                raise InvalidInput.of("(body)", "a request body is required")
            return
        media_type = (request.mimetype or "").lower()
        if media_type not in self.media_types:
            sent = media_type or "no Content-Type"
            raise UnsupportedMediaType(f"Content-Type {sent!r} is not accepted here; send one of: "
                                       f"{', '.join(self.media_types)}")
        body = self.parse(raw, media_type)
        validator = self.media_types[media_type]
        if validator is not None and not self.quick[media_type](body):
            errors = sorted((deepest(e) for e in validator.iter_errors(body)),
                            key=lambda e: list(map(str, e.absolute_path)))
            problems = [FieldError(error_field(error), error.message) for error in errors]
            if problems:
                raise InvalidInput(_summary(problems, "body field"), fields=problems)
        scope[BODY_KEY] = body

    @staticmethod
    def parse(raw: bytes, media_type: str) -> Any:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Malformed.of("(body)", f"the body is not valid UTF-8 (byte {exc.start}); "
                                         "encode it as UTF-8") from None
        if media_type == "application/x-www-form-urlencoded":
            return dict(parse_qsl(text, keep_blank_values=True))
        if "json" in media_type:
            return parse_json(text)
        return text


# RFC 8259 section 6: numbers beyond IEEE 754 double precision are not interoperable. Python reads
# 1e999 as infinity, but integer literals exactly, up to 4,300 digits (then it raises ValueError).
MAX_JSON_INTEGER = int(sys.float_info.max)
MAX_INTEGER_DIGITS = len(str(MAX_JSON_INTEGER))  # 309
NOT_A_NUMBER = "NaN, Infinity and numbers too large for a double are not JSON numbers; send a finite number"
# A JSON string can name a lone UTF-16 surrogate only through a \u escape (the UTF-8 decoder refuses
# encoded ones), so the strings are searched only when the text holds such an escape.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class HugeInteger:
    """Stands in for an integer literal beyond a double's range until the check finds its field."""

    digits: int


def parse_integer(literal: str) -> int | HugeInteger:
    digits = len(literal) - literal.startswith("-")
    if digits > MAX_INTEGER_DIGITS:
        return HugeInteger(digits)  # never converted: the conversion is quadratic, and refused over 4,300 digits
    value = int(literal)
    return value if abs(value) <= MAX_JSON_INTEGER else HugeInteger(digits)


def parse_json(text: str) -> Any:
    """RFC 8259 JSON as the vendors read it, or Malformed naming the field that is not."""
    try:
        body = json.loads(text, parse_int=parse_integer)
    except json.JSONDecodeError as exc:
        raise Malformed.of("(body)", f"the body is not valid JSON: {exc.msg} at line {exc.lineno} "
                                     f"column {exc.colno}") from None
    except RecursionError:
        raise Malformed.of("(body)", "the body nests arrays or objects too deeply to be read") from None
    problem = unreadable(body, strings=SURROGATE_ESCAPE.search(text) is not None)
    if problem is not None:
        where, message = problem
        raise Malformed.of(field_path(where), message)
    return body


def printable(text: str) -> str:
    """The text with lone surrogates as `\\udXXX` escapes, so messages that quote it can be encoded."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def unreadable(value: Any, *, strings: bool = True) -> tuple[tuple[Any, ...], str] | None:
    """The path of the first value a JSON body may not hold, and why: NaN, an infinite or too large
    number, or (with `strings`) a lone surrogate in a string or a member name. Iterative, so bodies
    nested as deeply as the parser allows cannot exhaust the stack; names in the path are printable."""
    pending: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                return path, NOT_A_NUMBER
        elif isinstance(item, HugeInteger):
            return path, (f"an integer of {item.digits} digits is too large for a double (at most about 1.8e308) "
                          "and so not a JSON number; send a smaller number")
        elif isinstance(item, str):
            if strings and LONE_SURROGATE.search(item):
                return path, surrogate_message(item)
        elif isinstance(item, dict):
            for key in item:
                if strings and LONE_SURROGATE.search(key):
                    return (*path, printable(key)), surrogate_message(key, "member name")
            pending.extend(((*path, key), child) for key, child in reversed(list(item.items())))
        elif isinstance(item, list):
            pending.extend(((*path, index), child) for index, child in reversed(list(enumerate(item))))
    return None


def surrogate_message(text: str, holder: str = "string") -> str:
    found = LONE_SURROGATE.search(text)
    code = f"\\u{ord(found.group()):04x}" if found else "?"
    return (f"the {holder} holds a lone UTF-16 surrogate ({code}), which is not a character; write characters "
            "beyond U+FFFF as a surrogate pair (\\ud83d\\ude00) or as UTF-8")


def _summary(problems: list[FieldError], kind: str) -> str:
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"invalid {kind} {first.field}: {first.message}{more}"


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole body; Malformed when it breaks off, PayloadTooLarge past `limit`.

    The server reports a body that ends early (the client closed the connection before
    Content-Length or the last chunk, or the server refused broken chunked encoding) as
    `http.disconnect` before the last `more_body: False` message.
    """
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Malformed.of("(body)", f"the request body broke off after {size} bytes (the connection "
                                         "closed or the chunked encoding was broken); nothing was changed; "
                                         "send the whole body")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the request body is over {limit} bytes; "
                                  "send a smaller body (the limit is --max-body-bytes)")
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def replay(raw: bytes, receive: Receive) -> Receive:
    """A receive channel that yields the already-read body once, then defers to the original."""
    sent = False

    async def again() -> MutableMapping[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return again


class CheckAPI(RoutedAPI[CheckOperation]):
    def __init__(self, *args: Any, max_body_bytes: int = DEFAULT_MAX_BODY, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_body_bytes = max_body_bytes
        self.add_paths()

    def make_operation(self, operation: AbstractOperation) -> CheckOperation:
        return CheckOperation(self.next_app, operation=operation, max_body_bytes=self.max_body_bytes)


class CheckMiddleware(RoutedMiddleware[CheckAPI]):
    """Takes the place of Connexion's RequestValidationMiddleware in the stack."""

    api_cls = CheckAPI
