"""Load a YAML or JSON file into plain Python values and remember where every node was written."""

# Positions are kept outside the data, in a side table keyed by the id() of each dict/list:
# `Source.position(pointer)` walks the data along a JSON pointer and returns the (line, column),
# 1-based, of the deepest node it reaches (the key of a mapping member, the start of a list item);
# `Source.span(pointer)` adds where that member's value ends. Each entry is one int packing the
# start and the end (line << 32 | column each), so the table costs no tuple per node.
#
# YAML is read from libyaml's event stream (yaml.CBaseLoader) rather than through yaml.compose():
# on a 5 MB spec compose() spends ~3.4 s building node objects and calling the Python resolver
# for every scalar, while the events arrive in ~0.5 s; building values straight from them keeps
# the whole load near 1.5 s and never holds a node tree in memory. Plain scalars are resolved with
# the YAML 1.2 core schema, as OpenAPI tools do: `yes`/`on` stay strings, dates stay strings
# (JSON Schema's `format: date` expects a string), `1e5` is a number.
# JSON goes through the same path, once json.loads() has confirmed it is JSON (YAML accepts more);
# a JSON file libyaml cannot read (tabs before a token) falls back to a small position-tracking
# JSON parser.

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from contracts.lint.model import LintError

Pointer = tuple[str | int, ...]

# Packed position: line * _COL_SPAN + column (both 1-based); a table entry is start * _END_SPAN + end,
# the end being the position just after the value (exclusive, as SARIF's endColumn), 0 while unknown.
_COL_SPAN = 1 << 32
_END_SPAN = 1 << 64
_ROOT = _COL_SPAN + 1  # line 1, column 1

_NULLS = {"": None, "~": None, "null": None, "Null": None, "NULL": None}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}
_TAG = "tag:yaml.org,2002:"

try:  # The C parser is what makes loading fast; PyYAML wheels ship it.
    _Loader: Any = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - source builds of PyYAML without libyaml
    _Loader = yaml.BaseLoader


def resolve_plain(value: str) -> Any:
    """Type a plain (unquoted) YAML scalar by the YAML 1.2 core schema."""
    if not value:
        return None
    first = value[0]
    if first in "0123456789+-.":
        if _INT.match(value):
            return int(value, 10)
        if _FLOAT.match(value):
            return float(value)
        if value.startswith("0o") and len(value) > 2:
            try:
                return int(value[2:], 8)
            except ValueError:
                return value
        if value.startswith("0x") and len(value) > 2:
            try:
                return int(value[2:], 16)
            except ValueError:
                return value
        return _SPECIAL_FLOATS.get(value, value)
    if first in "nN~":
        return _NULLS.get(value, value)
    if first in "tTfF":
        return _BOOLS.get(value, value)
    return value


def _resolve_tagged(value: str, tag: str) -> Any:
    """An explicitly tagged scalar (`!!int "3"`); unknown tags keep the text."""
    kind = tag[len(_TAG):] if tag.startswith(_TAG) else ""
    if kind == "str":
        return value
    resolved = resolve_plain(value)
    if kind == "int" and isinstance(resolved, int) and not isinstance(resolved, bool):
        return resolved
    if kind == "float" and isinstance(resolved, (int, float)) and not isinstance(resolved, bool):
        return float(resolved)
    if kind == "bool" and isinstance(resolved, bool):
        return resolved
    if kind == "null" and resolved is None:
        return None
    return value


class Source:
    """One parsed file: its data, its path, and the positions of its nodes.

    Side lists filled while parsing, for the rules that need what plain values forget:
    `duplicate_keys` (pointer, key) of repeated mapping keys, `nonstring_keys` (pointer, value) of
    plain YAML keys that YAML reads as a number, boolean or null, `lint_ignores`, the pointers of
    the mappings that hold an `x-lint-ignore`, and `refs` (pointer of the holder, ref) of every
    string `$ref` written anywhere, example values included.
    """

    def __init__(self, path: Path, display: str, data: Any, positions: dict[int, Any], end: int = 0) -> None:
        self.path = path
        self.display = display
        self.data = data
        self._positions = positions
        self._root = _ROOT * _END_SPAN + end
        self.duplicate_keys: list[tuple[Pointer, str]] = []
        self.nonstring_keys: list[tuple[Pointer, Any]] = []
        self.lint_ignores: list[Pointer] = []
        self.refs: list[tuple[Pointer, str]] = []

    def __repr__(self) -> str:
        return f"Source({self.display!r})"

    def _entry(self, pointer: Iterable[str | int]) -> tuple[int, Any, bool]:
        """(packed span, node, whether the whole pointer exists) of the deepest node reached."""
        packed = self._root
        node = self.data
        for token in pointer:
            table = self._positions.get(id(node))
            if table is None:
                return packed, node, False
            if isinstance(node, dict):
                key = token if isinstance(token, str) else str(token)
                if key not in node:
                    return packed, node, False
                packed = table[key]
                node = node[key]
            elif isinstance(node, list):
                try:
                    index = int(token)
                except ValueError:
                    return packed, node, False
                if not 0 <= index < len(node):
                    return packed, node, False
                packed = table[index]
                node = node[index]
            else:
                return packed, node, False
        return packed, node, True

    def position(self, pointer: Iterable[str | int]) -> tuple[int, int]:
        """(line, column) of the deepest node on `pointer` that exists; (1, 1) for the root."""
        return divmod(self._entry(pointer)[0] // _END_SPAN, _COL_SPAN)

    def span(self, pointer: Iterable[str | int]) -> tuple[int, int, int, int]:
        """(line, column, end line, end column) of the deepest node on `pointer` that exists.

        The start is where the member is written (its key); the end is just after its value
        (exclusive). Where the end is unknown it equals the start.
        """
        packed = self._entry(pointer)[0]
        start, end = divmod(packed, _END_SPAN)
        line, column = divmod(start, _COL_SPAN)
        end_line, end_column = divmod(end, _COL_SPAN) if end else (line, column)
        return line, column, end_line, end_column

    def node_at(self, pointer: Iterable[str | int]) -> tuple[Any, bool]:
        """The value at `pointer` (or the deepest one that exists) and whether the pointer exists."""
        _, node, exists = self._entry(pointer)
        return node, exists


def load(path: Path, display: str | None = None) -> Source:
    """Read and parse `path`; raise LintError with a one-line reason when that is impossible."""
    display = display if display is not None else str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LintError(display, "no such file") from None
    except IsADirectoryError:
        raise LintError(display, "is a directory, expected a YAML or JSON file") from None
    except OSError as exc:
        raise LintError(display, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LintError(display, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    return parse(text, path, display)


def parse(text: str, path: Path, display: str) -> Source:
    """Parse YAML or JSON text (JSON is YAML's flow style; see the module docstring)."""
    if path.suffix.lower() == ".json":
        # YAML accepts more than JSON (`{"a": }`, trailing commas): a .json file must be JSON.
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise LintError(display, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    try:
        return _parse_yaml(text, path, display)
    except yaml.YAMLError as exc:
        yaml_error = LintError(display, f"not valid YAML: {_yaml_reason(exc)}")
    if path.suffix.lower() == ".json" or text.lstrip()[:1] == "{":
        try:
            return _parse_json(text, path, display)
        except LintError as json_error:
            if path.suffix.lower() == ".json":
                raise json_error from None
    raise yaml_error


def _yaml_reason(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"
    return str(problem)


def _packed(mark: Any) -> int:
    return int((mark.line + 1) * _COL_SPAN + mark.column + 1)


def _parse_yaml(text: str, path: Path, display: str) -> Source:
    loader = _Loader(text)
    positions: dict[int, Any] = {}
    anchors: dict[str, Any] = {}
    duplicates: list[tuple[Pointer, str]] = []
    nonstring: list[tuple[Pointer, Any]] = []
    ignores: list[Pointer] = []
    refs: list[tuple[Pointer, str]] = []
    # One frame per open collection: [container, position table, pending key, key position,
    # merge sources, pointer of the container, parent's table, slot in it, end of the last child,
    # flow style]. A mapping alternates key / value events.
    stack: list[list[Any]] = []
    open_ids: set[int] = set()  # collections still being read: an alias to one would make a cycle
    root: Any = None
    root_end = 0
    documents = 0
    get_event = loader.get_event
    scalar_event = yaml.ScalarEvent
    mapping_start = yaml.MappingStartEvent
    sequence_start = yaml.SequenceStartEvent
    mapping_end = yaml.MappingEndEvent
    sequence_end = yaml.SequenceEndEvent
    alias_event = yaml.AliasEvent
    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar_event:
            tag = event.tag
            if tag is None:
                value: Any = resolve_plain(event.value) if event.implicit[0] else event.value
            elif tag == "!":
                value = event.value
            else:
                value = _resolve_tagged(event.value, tag)
            if event.anchor:
                anchors[event.anchor] = value
            is_new = False
        elif kind is mapping_start or kind is sequence_start:
            value = {} if kind is mapping_start else []
            positions[id(value)] = {} if kind is mapping_start else []
            if event.anchor:
                anchors[event.anchor] = value
            is_new = True
        elif kind is mapping_end or kind is sequence_end:
            frame = stack.pop()
            open_ids.discard(id(frame[0]))
            if frame[4]:
                _apply_merges(frame[0], frame[1], frame[4])
            # A block collection ends where its last value ends (its end event sits at the next
            # line's token); a flow collection ends after its closing bracket.
            end = frame[8] if frame[8] and not frame[9] else _packed(event.end_mark)
            if stack:
                frame[6][frame[7]] += end
                stack[-1][8] = end
            else:
                root_end = end
            continue
        elif kind is alias_event:
            if event.anchor not in anchors:
                line = event.start_mark.line + 1
                raise LintError(display, f"YAML alias *{event.anchor} at line {line} names no anchor")
            value = anchors[event.anchor]
            if id(value) in open_ids:
                line = event.start_mark.line + 1
                raise LintError(display, f"YAML alias *{event.anchor} at line {line} refers to a node that contains "
                                         f"it; an OpenAPI document is a tree (use $ref for recursion)")
            is_new = False
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise LintError(display, "holds several YAML documents; an OpenAPI file holds one")
            continue
        elif kind is yaml.StreamEndEvent:
            break
        else:
            continue

        parent_table: Any = None
        slot: Any = None
        if not stack:
            root = value
            where: list[str | int] = []
            if not is_new:
                root_end = _packed(event.end_mark)
        else:
            frame = stack[-1]
            container = frame[0]
            if type(container) is list:
                where = frame[5] + [len(container)] if is_new else []
                slot = len(container)
                parent_table = frame[1]
                start = _packed(event.start_mark) * _END_SPAN
                if is_new:
                    parent_table.append(start)
                else:
                    end = _packed(event.end_mark)
                    parent_table.append(start + end)
                    frame[8] = end
                container.append(value)
            elif frame[2] is _NO_KEY:
                if is_new or not isinstance(value, (str, int, float, bool)) and value is not None:
                    line = event.start_mark.line + 1
                    raise LintError(display, f"mapping key at line {line} is not a scalar; use a string key")
                # The key is the text as written (`200:` is the key "200", as in JSON).
                key_text = event.value if kind is scalar_event else str(value)
                if not isinstance(value, str):
                    nonstring.append(((*frame[5], key_text), value))
                frame[2] = key_text
                frame[3] = _packed(event.start_mark)
                continue
            else:
                key = frame[2]
                frame[2] = _NO_KEY
                start = frame[3] * _END_SPAN
                if key == "<<" and isinstance(value, (dict, list)):
                    frame[4].append((value, start))
                    if not is_new:
                        frame[8] = _packed(event.end_mark)
                        continue
                    where = frame[5] + [key]
                    parent_table = {}  # a merge source's own span is not kept
                    slot = key
                    parent_table[key] = start
                else:
                    if key in container:
                        duplicates.append((tuple(frame[5]) + (key,), key))
                    elif key == "x-lint-ignore":
                        ignores.append(tuple(frame[5]))
                    elif key == "$ref" and type(value) is str:
                        refs.append((tuple(frame[5]), value))
                    container[key] = value
                    parent_table = frame[1]
                    slot = key
                    if is_new:
                        parent_table[key] = start
                        where = frame[5] + [key]
                    else:
                        end = _packed(event.end_mark)
                        parent_table[key] = start + end
                        frame[8] = end
                        where = []
        if is_new:
            stack.append([value, positions[id(value)], _NO_KEY, 0, [], where, parent_table, slot, 0,
                          bool(event.flow_style)])
            open_ids.add(id(value))
    source = Source(path, display, root, positions, root_end)
    source.duplicate_keys = duplicates
    source.nonstring_keys = nonstring
    source.lint_ignores = ignores
    source.refs = refs
    return source


class _NoKey:
    __slots__ = ()


_NO_KEY: Any = _NoKey()


def _apply_merges(container: dict[str, Any], table: dict[str, int], merges: list[tuple[Any, int]]) -> None:
    """YAML merge keys (`<<: *base`): explicit keys win, earlier merge sources win over later ones.

    Merged members are positioned at the `<<` key (start and end alike).
    """
    for source, packed in merges:
        for item in source if isinstance(source, list) else [source]:
            if isinstance(item, dict):
                for key, value in item.items():
                    if key not in container:
                        container[key] = value
                        table[key] = packed


class _JSONParser:
    """Just enough of a JSON parser to record where each key and item starts (slow path only)."""

    _WS = re.compile(r"[ \t\n\r]*")
    _NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")

    def __init__(self, text: str, display: str) -> None:
        self.text = text
        self.display = display
        self.positions: dict[int, Any] = {}
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.decoder = json.JSONDecoder()

    def packed(self, index: int) -> int:
        line = bisect_right(self.line_starts, index)
        return line * _COL_SPAN + index - self.line_starts[line - 1] + 1

    def fail(self, index: int, what: str) -> LintError:
        line, column = divmod(self.packed(index), _COL_SPAN)
        return LintError(self.display, f"not valid JSON: {what} at line {line}, column {column}")

    def skip(self, index: int) -> int:
        return self._WS.match(self.text, index).end()  # type: ignore[union-attr]

    def value(self, index: int) -> tuple[Any, int]:
        text = self.text
        index = self.skip(index)
        char = text[index : index + 1]
        if char == "{":
            return self.object(index + 1)
        if char == "[":
            return self.array(index + 1)
        if char == '"':
            return self.string(index)
        for word, result in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, index):
                return result, index + len(word)
        match = self._NUMBER.match(text, index)
        if match and match.end() > index:
            literal = match.group()
            return (float(literal) if match.group(1) or match.group(2) else int(literal)), match.end()
        raise self.fail(index, "expected a value")

    def string(self, index: int) -> tuple[str, int]:
        try:
            value, end = self.decoder.raw_decode(self.text, index)
            return str(value), end
        except json.JSONDecodeError as exc:
            raise self.fail(exc.pos, exc.msg) from None

    def object(self, index: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        table: dict[str, int] = {}
        self.positions[id(result)] = table
        index = self.skip(index)
        if self.text[index : index + 1] == "}":
            return result, index + 1
        while True:
            index = self.skip(index)
            if self.text[index : index + 1] != '"':
                raise self.fail(index, "expected a property name in double quotes")
            start = index
            key, index = self.string(index)
            index = self.skip(index)
            if self.text[index : index + 1] != ":":
                raise self.fail(index, "expected ':'")
            result[key], index = self.value(index + 1)
            table[key] = self.packed(start) * _END_SPAN + self.packed(index)
            index = self.skip(index)
            char = self.text[index : index + 1]
            if char == "}":
                return result, index + 1
            if char != ",":
                raise self.fail(index, "expected ',' or '}'")
            index += 1

    def array(self, index: int) -> tuple[list[Any], int]:
        result: list[Any] = []
        table: list[int] = []
        self.positions[id(result)] = table
        index = self.skip(index)
        if self.text[index : index + 1] == "]":
            return result, index + 1
        while True:
            index = self.skip(index)
            start = self.packed(index)
            item, index = self.value(index)
            table.append(start * _END_SPAN + self.packed(index))
            result.append(item)
            index = self.skip(index)
            char = self.text[index : index + 1]
            if char == "]":
                return result, index + 1
            if char != ",":
                raise self.fail(index, "expected ',' or ']'")
            index += 1


def _parse_json(text: str, path: Path, display: str) -> Source:
    parser = _JSONParser(text, display)
    data, index = parser.value(0)
    end = parser.packed(index)
    index = parser.skip(index)
    if index != len(text):
        raise parser.fail(index, "extra data after the document")
    source = Source(path, display, data, parser.positions, end)
    for pointer, mapping in _mappings(data, ()):
        if "x-lint-ignore" in mapping:
            source.lint_ignores.append(pointer)
        if isinstance(mapping.get("$ref"), str):
            source.refs.append((pointer, mapping["$ref"]))
    return source


def _mappings(node: Any, pointer: Pointer) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """Every mapping under `node` with its pointer (the slow JSON path only)."""
    if isinstance(node, dict):
        yield pointer, node
        for name, value in node.items():
            if isinstance(value, (dict, list)):
                yield from _mappings(value, (*pointer, name))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, (dict, list)):
                yield from _mappings(value, (*pointer, i))
