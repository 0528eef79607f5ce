"""Validate example values against OpenAPI schema objects, with jsonschema_rs doing the work."""

# An OpenAPI 3.0 schema object is not JSON Schema: `nullable` widens the type, `readOnly` and
# `writeOnly` depend on the direction of the message, `discriminator`/`xml`/`example` carry no
# constraint, and `exclusiveMaximum` is a draft-4 boolean. So each schema is translated once per
# direction into draft-4 JSON Schema (2020-12 for OpenAPI 3.1), every `$ref` target becoming an
# entry of one `definitions` table, and compiled validators are cached by schema location.
#
# Direction: in a request example a `readOnly` property is an error (the server sets it) and
# it is not required; in a response example the same holds for `writeOnly`. Direction "any" (a
# schema's own `example`, a component example used nowhere) applies neither rule. Webhooks and
# callbacks pass the direction of who sends the message (see document.Visit.sender_direction).
#
# One problem per cause: a `{"$ref": ...}` object written inside an example value is reported
# once, not as the dozens of schema errors it causes; an `unevaluatedProperties` error that only
# echoes another error of the same object (2020-12 drops the annotations of a failing subschema,
# so its valid properties look "unevaluated") keeps just the properties no subschema declares.
# `nullable`, where another rule reports its misuse (nullable-type-sibling in 3.0, oas3-schema in
# 3.1), is read as its author meant it, so the misuse is not reported again at every example.

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
        self._documents: dict[tuple[int, Pointer, str], dict[str, Any]] = {}

    def errors(self, schema: Any, loc: Loc, instance: Any, direction: str,
               side: str | None = None) -> list[tuple[Pointer, str]]:
        """(path inside the instance, message) for every cause of `instance` breaking `schema` at `loc`.

        `side` names the message in readOnly/writeOnly errors ("request", "webhook request", ...);
        by default the direction.
        """
        key = (id(loc.source), loc.pointer, direction)
        validator = self._validator(schema, loc, direction, key)
        if isinstance(validator, str):
            return [((), f"cannot be checked: its schema is not valid JSON Schema ({validator})")]
        errors = list(validator.iter_errors(instance))
        if not errors:
            return []
        leaves = [leaf for error in errors for leaf in flatten(error)]
        found: list[tuple[Pointer, str]] = []
        refs = [(path, ref) for path, ref in _ref_objects(instance, ()) if any(
            tuple(leaf.instance_path)[: len(path)] == path for leaf in leaves)]
        for path, ref in refs:
            found.append((path, f"is a {{\"$ref\": {short(ref, 80)}}} object, but example values are literal data and "
                                f"$ref is not resolved in them; write the value itself (or move the example to "
                                f"components/examples and reference it from `examples`)"))
        document = self._documents.get(key)
        for leaf in leaves:
            path = tuple(leaf.instance_path)
            if any(path[: len(ref_path)] == ref_path for ref_path, _ in refs):
                continue  # caused by the $ref object, already reported
            if isinstance(leaf.kind, _UNEVALUATED) and document is not None:
                found.extend(self._unevaluated(leaf, path, leaves, document))
                continue
            found.extend(explain(leaf, side or direction))
        return found

    def _unevaluated(self, leaf: ValidationError, path: Pointer, leaves: list[ValidationError],
                     document: dict[str, Any]) -> Iterator[tuple[Pointer, str]]:
        """Each property `unevaluatedProperties: false` really rejects, at the property."""
        unexpected = [str(name) for name in getattr(leaf.kind, "unexpected", ())]
        echoes = any(
            other is not leaf and not isinstance(other.kind, _UNEVALUATED)
            and tuple(other.instance_path)[: len(path)] == path
            for other in leaves
        )
        if echoes:
            # Another error in this object made a subschema fail and drop its annotations: keep
            # only what no subschema declares.
            holder = _walk(document, list(leaf.schema_path)[:-1])
            declared = _declared(document, holder, set())
            if declared is None:
                return
            names, patterns = declared
            unexpected = [n for n in unexpected if n not in names and not any(p.search(n) for p in patterns)]
        for name in unexpected:
            yield (*path, name), f"property {name!r} is not allowed here (unevaluatedProperties is false)"

    def _validator(self, schema: Any, loc: Loc, direction: str,
                   key: tuple[int, Pointer, str]) -> jsonschema_rs.Validator | str:
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
        self._documents[key] = document
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
        if node.get("nullable") is True:
            kind = out.get("type")
            if isinstance(kind, str):
                # OpenAPI 3.0.3: nullable adds null to the type only; an enum must still list null
                # to allow it. (In 3.1 nullable is no keyword; oas3-schema reports it, and the
                # author's meaning is kept here so every example does not repeat that problem.)
                out["type"] = [kind, "null"]
            elif kind is None and any(k in out for k in ("allOf", "anyOf", "oneOf", "not")):
                # Without a type nullable means nothing (nullable-type-sibling reports it); read it
                # as its author meant: this value or null.
                return {"anyOf": [{"type": "null"}, out]}
        return out


# -- error explanation (shared with the structural check) ----------------------------------------

_CHOICE = (jsonschema_rs.ValidationErrorKind.AnyOf, jsonschema_rs.ValidationErrorKind.OneOfNotValid)
_UNEVALUATED = jsonschema_rs.ValidationErrorKind.UnevaluatedProperties
_DEPTH = 16  # how deep _declared follows subschemas and $refs


def _ref_objects(value: Any, path: Pointer) -> Iterator[tuple[Pointer, str]]:
    """(path, ref) of every `{"$ref": "..."}` object inside an example value."""
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str):
            yield path, ref
            return
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                yield from _ref_objects(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                yield from _ref_objects(item, (*path, i))


def _walk(document: Any, tokens: list[str | int]) -> Any:
    node = document
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and isinstance(token, int) and 0 <= token < len(node):
            node = node[token]
        else:
            return None
    return node


def _declared(document: dict[str, Any], node: Any, seen: set[int],
              depth: int = 0) -> tuple[set[str], list[re.Pattern[str]]] | None:
    """Property names and patterns a translated schema and its subschemas declare; None: any name."""
    names: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    if not isinstance(node, dict) or id(node) in seen or depth > _DEPTH:
        return names, patterns
    seen.add(id(node))
    extra = node.get("additionalProperties")
    if extra is not None and extra is not False:
        return None
    if isinstance(node.get("properties"), dict):
        names.update(str(k) for k in node["properties"])
    if isinstance(node.get("patternProperties"), dict):
        for pattern in node["patternProperties"]:
            try:
                patterns.append(re.compile(str(pattern)))
            except re.error:
                return None
    members: list[Any] = []
    for keyword in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(keyword), list):
            members.extend(node[keyword])
    members.extend(node.get(k) for k in ("if", "then", "else"))
    if isinstance(node.get("dependentSchemas"), dict):
        members.extend(node["dependentSchemas"].values())
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        members.append(_walk(document, [t for t in ref[2:].split("/")]))
    for member in members:
        found = _declared(document, member, seen, depth + 1)
        if found is None:
            return None
        names |= found[0]
        patterns.extend(found[1])
    return names, patterns


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


def explain(error: ValidationError, side: str = "any") -> Iterator[tuple[Pointer, str]]:
    """(instance path, one-line message) for a jsonschema_rs error, precise per keyword.

    `side` names the kind of message in readOnly/writeOnly errors ("request", "webhook request").
    """
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
            hint = "; to allow null, the enum must list null too" if leaf.instance is None else ""
            yield path, f"{short(leaf.instance, 40)} is not one of the allowed values [{options}{more}]{hint}"
        elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Custom) and kind.keyword == _FORBIDDEN:
            prop = path[-1] if path else "?"
            flag = kind.message
            where = side if side not in ("any", "") else ("request" if flag == "readOnly" else "response")
            yield path, (f"{flag} property {str(prop)!r} must not appear in a {where} example; "
                         f"remove it from the example")
        elif isinstance(kind, _UNEVALUATED) and getattr(kind, "unexpected", None):
            for key in kind.unexpected:
                yield (*path, key), f"property {key!r} is not allowed here (unevaluatedProperties is false)"
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
    side: str | None = None,
) -> Iterator[Problem]:
    """Problems of `rule_id` for each way `value` breaks `schema`, positioned inside the value."""
    resolved, resolved_loc = spec.resolve(schema, schema_loc)
    if resolved is None:
        return
    # Key the compiled validator by the referenced component, so every use of it shares one.
    target, target_loc = (schema, schema_loc) if spec.version == "3.1" else (resolved, resolved_loc)
    for path, message in validator_of(spec).errors(target, target_loc, value, direction, side):
        where = value_loc
        for token in path:
            where = where / token
        yield spec.problem(rule_id, where, f"{label}: {message}")
