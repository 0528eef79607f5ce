"""Validate example values against OpenAPI schema objects, with jsonschema_rs doing the work."""

# An OpenAPI 3.0 schema object is not JSON Schema: `nullable` widens the type, `readOnly` and
# `writeOnly` depend on the direction of the message, `discriminator`/`xml`/`example` carry no
# constraint, and `exclusiveMaximum` is a draft-4 boolean. So each schema is translated once per
# direction into draft-4 JSON Schema (2020-12 for OpenAPI 3.1), every `$ref` target becoming an
# entry of one `definitions` table, and compiled validators are cached by schema location.
#
# Direction: in a request example a `readOnly` property is an error (the server sets it) and
# it is not required; in a response example the same holds for `writeOnly`. Direction "any" (a
# schema's own `example`, a component example used nowhere) applies neither rule.

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from contracts.lint.document import Loc, Spec
from contracts.lint.model import Problem
from contracts.lint.source import Pointer

if TYPE_CHECKING:
    from jsonschema_rs import ValidationError

_ONE = ("items", "additionalProperties", "not", "additionalItems", "contains", "if", "then", "else",
        "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
# Annotations and OpenAPI-only keywords: no constraint on the value (and `$id`/`id` would move
# the base URI our rewritten `#/definitions/...` references resolve against).
_DROP = frozenset({
    "discriminator", "xml", "externalDocs", "example", "deprecated", "readOnly", "writeOnly", "nullable",
    "description", "title", "$id", "id", "$schema", "$anchor", "$dynamicAnchor", "$dynamicRef", "$comment",
    "$vocabulary", "default",
})
_FORBIDDEN = "x-ticketmock-forbidden"
_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z")
_FORMATS = {"uuid": lambda s: bool(_UUID.match(s)), "byte": lambda s: bool(_BASE64.match(s))}


class _Forbidden:
    """Custom keyword: any value here is an error (a readOnly/writeOnly property in the wrong direction)."""

    def __init__(self, parent_schema: dict[str, Any], value: Any, schema_path: list[str | int]) -> None:
        self.flag = str(value)

    def validate(self, instance: Any) -> None:
        raise ValueError(self.flag)


def short(value: Any, limit: int = 60) -> str:
    """A value as JSON, cut to `limit` characters for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


class ExampleValidator:
    """Validates values against schema objects of one document (translation and compilation cached)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.v30 = spec.version == "3.0"
        self.defs_key = "definitions" if self.v30 else "$defs"
        self.dialect = (
            "http://json-schema.org/draft-04/schema#" if self.v30 else "https://json-schema.org/draft/2020-12/schema"
        )
        self._names: dict[tuple[int, Pointer, str], str] = {}
        self._defs: dict[str, Any] = {}
        self._deps: dict[str, set[str]] = {}
        self._validators: dict[tuple[int, Pointer, str], jsonschema_rs.Validator | str] = {}

    def errors(self, schema: Any, loc: Loc, instance: Any, direction: str) -> list[tuple[Pointer, str]]:
        """(path inside the instance, message) for every way `instance` breaks `schema` at `loc`."""
        validator = self._validator(schema, loc, direction)
        if isinstance(validator, str):
            return [((), f"cannot be checked: its schema is not valid JSON Schema ({validator})")]
        found: list[tuple[Pointer, str]] = []
        for error in validator.iter_errors(instance):
            found.extend(explain(error, direction))
        return found

    def _validator(self, schema: Any, loc: Loc, direction: str) -> jsonschema_rs.Validator | str:
        key = (id(loc.source), loc.pointer, direction)
        if key in self._validators:
            return self._validators[key]
        deps: set[str] = set()
        top = self._translate(schema, loc, direction, deps)
        closure: set[str] = set()
        pending = list(deps)
        while pending:
            name = pending.pop()
            if name not in closure:
                closure.add(name)
                pending.extend(self._deps.get(name, ()))
        document = {"$schema": self.dialect, self.defs_key: {n: self._defs[n] for n in sorted(closure)},
                    "allOf": [top]}
        try:
            validator: jsonschema_rs.Validator | str = jsonschema_rs.validator_for(
                document, validate_formats=True, formats=_FORMATS, keywords={_FORBIDDEN: _Forbidden}
            )
        except (ValueError, jsonschema_rs.ReferencingError) as exc:
            # jsonschema_rs checks the schema against its meta-schema first (a broken regex, an
            # empty enum): say so at the example rather than silently not checking it.
            validator = str(exc).splitlines()[0]
        self._validators[key] = validator
        return validator

    def _ref(self, ref: str, loc: Loc, direction: str, deps: set[str]) -> dict[str, Any]:
        found = self.spec.lookup(ref, loc.source)
        if not isinstance(found, tuple):
            return {}  # no-unresolved-refs reports it; constrain nothing here
        node, target = found
        key = (id(target.source), target.pointer, direction)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = f"s{len(self._names)}"
            own: set[str] = set()
            self._defs[name] = {}  # placeholder: a recursive schema refers to itself
            self._defs[name] = self._translate(node, target, direction, own)
            self._deps[name] = own
        deps.add(name)
        return {"$ref": f"#/{self.defs_key}/{name}"}

    def _hidden(self, node: dict[str, Any], loc: Loc, flag: str, depth: int = 0) -> set[str]:
        """Names of properties marked `flag` (readOnly/writeOnly) here or in allOf members."""
        names: set[str] = set()
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, prop in properties.items():
                resolved, _ = self.spec.resolve(prop, loc / "properties" / name)
                if isinstance(resolved, dict) and resolved.get(flag) is True:
                    names.add(str(name))
        members = node.get("allOf")
        if isinstance(members, list) and depth < 8:
            for i, member in enumerate(members):
                resolved, where = self.spec.resolve(member, loc / "allOf" / i)
                if isinstance(resolved, dict):
                    names |= self._hidden(resolved, where, flag, depth + 1)
        return names

    def _translate(self, node: Any, loc: Loc, direction: str, deps: set[str]) -> Any:
        if not isinstance(node, dict):
            return node if isinstance(node, bool) and not self.v30 else {}
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = self._ref(ref, loc, direction, deps)
            if self.v30 or len(node) == 1:
                return target  # OpenAPI 3.0 ignores everything next to $ref
            rest = self._translate({k: v for k, v in node.items() if k != "$ref"}, loc, direction, deps)
            return {**rest, **target} if isinstance(rest, dict) else target
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROP or key.startswith("x-") or (self.v30 and key == "examples"):
                continue
            if key in _ONE:
                if isinstance(value, dict):
                    out[key] = self._translate(value, loc / key, direction, deps)
                elif isinstance(value, bool):
                    out[key] = value if not self.v30 or key == "additionalProperties" else {}
            elif key in _MAP:
                if isinstance(value, dict):
                    out[key] = {k: self._translate(v, loc / key / k, direction, deps) for k, v in value.items()}
            elif key in _LIST:
                if isinstance(value, list):
                    out[key] = [self._translate(v, loc / key / i, direction, deps) for i, v in enumerate(value)]
            else:
                out[key] = value
        if direction != "any":
            flag = "readOnly" if direction == "request" else "writeOnly"
            hidden = self._hidden(node, loc, flag)
            if hidden:
                properties = out.get("properties")
                if isinstance(properties, dict):
                    for name in hidden & set(properties):
                        properties[name] = {_FORBIDDEN: flag}
                if isinstance(out.get("required"), list):
                    out["required"] = [name for name in out["required"] if name not in hidden]
                    if not out["required"]:
                        del out["required"]  # draft 4 forbids an empty required list
        bounds = _INT_BOUNDS.get(node.get("format"))  # type: ignore[arg-type]
        if bounds and node.get("type") == "integer":
            out.setdefault("minimum", bounds[0])
            out.setdefault("maximum", bounds[1])
        if self.v30 and node.get("nullable") is True:
            if any(k in out for k in ("allOf", "anyOf", "oneOf", "not")):
                return {"anyOf": [{"type": "null"}, out]}
            kind = out.get("type")
            if isinstance(kind, str):
                out["type"] = [kind, "null"]
            if isinstance(out.get("enum"), list) and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        return out


# -- error explanation (shared with the structural check) ----------------------------------------

_CHOICE = (jsonschema_rs.ValidationErrorKind.AnyOf, jsonschema_rs.ValidationErrorKind.OneOfNotValid)


def flatten(error: ValidationError) -> list[ValidationError]:
    """Replace an anyOf/oneOf failure by the errors of the branch the value most likely meant."""
    kind = error.kind
    if isinstance(kind, _CHOICE) and kind.context:
        depth = len(error.instance_path)
        branches = [[leaf for e in branch for leaf in flatten(e)] for branch in kind.context]
        branches = [b for b in branches if b]
        if branches:
            return min(branches, key=lambda branch: _score(branch, depth))
    return [error]


def _score(branch: list[ValidationError], depth: int) -> tuple[bool, int, int]:
    """Lower is likelier: no error that shows the value is a different variant, deeper, fewer."""
    mismatch = False
    deepest = 0
    for error in branch:
        name = error.kind.name
        here = len(error.instance_path) - depth
        deepest = max(deepest, here)
        if (name == "type" and here == 0) or (name in ("enum", "const") and here <= 1):
            mismatch = True
        elif name == "required" and getattr(error.kind, "property", None) == "$ref":
            mismatch = True
        elif name == "additionalProperties" and here == 0:
            mismatch = True
    return mismatch, -deepest, len(branch)


def explain(error: ValidationError, direction: str = "any") -> Iterator[tuple[Pointer, str]]:
    """(instance path, one-line message) for a jsonschema_rs error, precise per keyword."""
    for leaf in flatten(error):
        path = tuple(leaf.instance_path)
        kind = leaf.kind
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
            for key in kind.unexpected:
                yield (*path, key), f"property {key!r} is not allowed here (additionalProperties is false)"
        elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
            yield path, f"required property {kind.property!r} is missing"
        elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Type):
            expected = " or ".join(kind.types)
            yield path, f"expected {expected}, got {_json_type(leaf.instance)} {short(leaf.instance, 40)}"
        elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Enum):
            options = ", ".join(short(o, 30) for o in kind.options[:12])
            more = ", ..." if len(kind.options) > 12 else ""
            yield path, f"{short(leaf.instance, 40)} is not one of the allowed values [{options}{more}]"
        elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Custom) and kind.keyword == _FORBIDDEN:
            prop = path[-1] if path else "?"
            flag = kind.message
            side = "request" if flag == "readOnly" else "response"
            yield path, (f"{flag} property {str(prop)!r} must not appear in a {side} example; "
                         f"remove it from the example")
        else:
            message = leaf.message
            if len(message) > 200:
                message = message[:197] + "..."
            yield path, message


# -- helpers the example rules share ------------------------------------------------------------


def validator_of(spec: Spec) -> ExampleValidator:
    """The document's shared ExampleValidator (its caches serve every example rule)."""
    found = spec.cache.get("examples")
    if not isinstance(found, ExampleValidator):
        found = spec.cache["examples"] = ExampleValidator(spec)
    return found


def iter_examples(spec: Spec, node: dict[str, Any], loc: Loc) -> Iterator[tuple[Any, Loc, str]]:
    """(value, where the value is written, label) for `example` and each `examples` entry of a node.

    `examples` entries may be `$ref`s to components/examples: the value's Loc is then inside
    the component, so a problem points where the bad value is written. `externalValue`s are skipped.
    """
    if "example" in node:
        yield node["example"], loc / "example", "example"
    examples = node.get("examples")
    if isinstance(examples, dict):
        for name, item in examples.items():
            resolved, where = spec.resolve(item, loc / "examples" / name)
            if isinstance(resolved, dict) and "value" in resolved:
                yield resolved["value"], where / "value", f"example {name!r}"


def check_value(
    spec: Spec, rule_id: str, schema: Any, schema_loc: Loc, value: Any, value_loc: Loc, direction: str, label: str,
) -> Iterator[Problem]:
    """Problems of `rule_id` for each way `value` breaks `schema`, positioned inside the value."""
    resolved, resolved_loc = spec.resolve(schema, schema_loc)
    if resolved is None:
        return
    # Key the compiled validator by the referenced component, so every use of it shares one.
    target, target_loc = (schema, schema_loc) if spec.version == "3.1" else (resolved, resolved_loc)
    for path, message in validator_of(spec).errors(target, target_loc, value, direction):
        where = value_loc
        for token in path:
            where = where / token
        yield spec.problem(rule_id, where, f"{label}: {message}")
