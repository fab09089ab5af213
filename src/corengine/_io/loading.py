"""Reading YAML and JSON strictly: safe YAML only, no duplicate keys, no aliases, bounded size.

The reader returns plain data plus a map from each path inside it to its line, so a later error about
``responses["2.4"].points`` can still say ``audit.yaml:31``. Dates stay strings here; the converter
validates them, so ``2023-02-30`` is reported like every other bad value instead of as a YAML crash.

YAML is read with the meaning of the YAML 1.2 core schema (section 10.3 of the 1.2.2 specification), not
PyYAML's YAML 1.1 one: only ``true``/``false`` (and their ``True``/``TRUE`` spellings) are booleans, so ``yes``,
``no``, ``on``, ``off``, ``y`` and ``n`` stay text; ``020`` is the decimal 20 (octal is ``0o20``); ``1:00`` is
text, not 60; ``1_000`` is text; there are no timestamps. Values no file needs and no later step could use
safely are refused where they are written, with the line and path: ``.nan`` and ``.inf`` (and JSON's ``NaN``
and ``Infinity``), numbers too long for the interpreter to convert, and lone surrogates in JSON strings.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import yaml

from corengine.errors import InputError, Problem, problem

MAX_BYTES = 5 * 1024 * 1024
"""Largest file read: a real audit document is well under 1 MiB; anything bigger is a mistake or hostile."""

MAX_DEPTH = 64
"""Deepest nesting accepted; real files nest fewer than ten levels."""

MAX_ENTRIES = 100_000
"""Most entries one mapping or list may hold: five times the 20,000-question scale the engine is built for (the
largest installed standard has 69 questions). A YAML file is refused at the first entry beyond, before its values
are built; a JSON one once parsed (the parser is compiled and the text at most :data:`MAX_BYTES`)."""

MAX_VALUES = 200_000
"""Most values one YAML file may hold (each key, scalar, mapping and list counts one), counted before any is
built: PyYAML builds a node of each at some 5-10 µs and 500 bytes apiece, so a 5 MiB file of a million values
would take seconds and half a gigabyte. A 20,000-question audit holds about 80,000; the largest installed
standard a few thousand (a generated 20,000-question one, about 360,000: write such a file as JSON)."""

MAX_JSON_VALUES = 500_000
"""Most values one JSON file may hold (each scalar, object and array counts one; keys do not), counted as the
parsed text is checked, before it is structured: JSON is parsed by compiled code, at a fraction of YAML's cost
a value, so its limit is higher."""

PathKey = tuple[str | int, ...]
Location = int | str
"""A line number in a text file, or a cell such as ``"Responses!G12"`` in a spreadsheet."""
LineMap = dict[PathKey, Location]


class YamlLines(dict[PathKey, Location]):
    """The line map of a YAML file, which also knows the 1-based column where each path's value starts."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: dict[PathKey, int] = {}
        """Column of each path's value."""


class JsonLines(YamlLines):
    """The line map of a JSON text (that parsed), worked out as far as it is read: placing a problem reads it, so
    a valid file never pays for it, and placing one near the start of a large file scans only that far (a path
    the text does not hold, as far as the end of its parent)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text: str | None = text
        self._scan: Iterator[tuple[str, PathKey, int]] | None = None
        self._starts: list[int] = []

    def _until(self, key: PathKey | None = None) -> None:
        """Scan on until ``key`` is placed or cannot be there (None: to the end)."""
        text = self._text
        if text is None:
            return
        if self._scan is None:
            self._scan = _json_events(text)
            self._starts = [0, *(match.end() for match in re.finditer("\n", text))]
        parent = key[:-1] if key else None
        for kind, path, offset in self._scan:
            if kind == "value" and not dict.__contains__(self, path):
                line = bisect.bisect_right(self._starts, offset)
                dict.__setitem__(self, path, line)
                self.columns[path] = offset - self._starts[line - 1] + 1
                if path == key:
                    return
            elif kind == "end" and path == parent:
                return
        self._text = self._scan = None

    def __getstate__(self) -> dict[str, Any]:
        self._until()  # a scan under way cannot be pickled or copied: finish it
        return dict(self.__dict__)

    def _placed(self, key: object) -> bool:
        if not dict.__contains__(self, key) and isinstance(key, tuple):
            self._until(key)
        return dict.__contains__(self, key)

    def __contains__(self, key: object) -> bool:
        return self._placed(key)

    def __getitem__(self, key: PathKey) -> Location:
        self._placed(key)
        return super().__getitem__(key)

    def get(self, key: PathKey, default: Any = None) -> Any:
        self._placed(key)
        return super().get(key, default)

    def __iter__(self) -> Iterator[PathKey]:
        self._until()
        return super().__iter__()

    def __len__(self) -> int:
        self._until()
        return super().__len__()

    def items(self) -> Any:
        self._until()
        return super().items()

    def keys(self) -> Any:
        self._until()
        return super().keys()

    def values(self) -> Any:
        self._until()
        return super().values()


Early = list[tuple[PathKey | None, Problem]]
"""Problems found while reading a file, each with the path it makes unusable (None when it concerns no value):
later checks skip those paths instead of reporting them again."""

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"

CORE_SCHEMA: dict[str, re.Pattern[str]] = {
    _NULL: re.compile(r"(?:null|Null|NULL|~|)\Z"),
    _BOOL: re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"),
    _INT: re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z"),
    _FLOAT: re.compile(
        r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN)\Z"
    ),
}
"""The YAML 1.2.2 core schema's tag resolution (section 10.3.2), in its order: a plain scalar matching none of
these is text. The patterns are matched against the whole scalar (``\\Z``, so no trailing newline slips by)."""

_FIRST = {_NULL: ["~", "n", "N", ""], _BOOL: list("tTfF"), _INT: list("-+0123456789"), _FLOAT: list("-+.0123456789")}
"""The characters each pattern can start with (PyYAML looks resolvers up by the first character)."""

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Loader = cast(type[yaml.SafeLoader], type("_CoreSchemaLoader", (_Base,), {"yaml_implicit_resolvers": {}}))
"""The safe loader (libyaml's where installed) with PyYAML's YAML 1.1 implicit resolvers replaced by the 1.2
core schema's; the walker below builds every value itself, so PyYAML's constructors are never used."""
for _tag, _pattern in CORE_SCHEMA.items():
    _Loader.add_implicit_resolver(_tag, _pattern, _FIRST[_tag])


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting every string that either YAML 1.1 or the 1.2 core schema would read as
    something else (``yes``, ``0E0``, ``1e5``), so what it writes reads back as written."""


for _tag, _pattern in CORE_SCHEMA.items():
    _Dumper.add_implicit_resolver(_tag, _pattern, _FIRST[_tag])


def dump_yaml(data: Any) -> str:
    """Plain data as YAML text that this module reads back to the same data."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


_PLAIN_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_KEEP_AS_TEXT = {"tag:yaml.org,2002:timestamp"}
"""An explicit ``!!timestamp`` is kept as its text: the converter validates dates."""

_SURROGATE = re.compile("[\ud800-\udfff]")


def int_digit_limit() -> int:
    """The most digits the interpreter converts between text and int (0: no limit)."""
    getter = getattr(sys, "get_int_max_str_digits", None)
    return int(getter()) if getter is not None else 0


def _too_long(digits: int) -> str | None:
    limit = int_digit_limit()
    if limit and digits > limit:
        return f"a number written with {digits} digits is too long (at most {limit} digits are read)"
    return None


def _surrogate_message(text: str) -> str | None:
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return (
        f"text contains a lone surrogate (U+{ord(found.group()):04X}), which is not a character: "
        "write the character itself or its full surrogate pair"
    )


def _integer(text: str) -> int | str:
    """A core-schema integer's value, or the message saying why it cannot be read."""
    if text[:2] in ("0o", "0x"):
        value = int(text[2:], 8 if text[1] == "o" else 16)  # linear time: powers of two are not limited
        limit = int_digit_limit()
        if limit and value >= 10**limit:
            return f"the number {text[:12]}... is too large (at most {limit} decimal digits are read)"
        return value
    if len(text) <= 640:  # the interpreter's lowest possible digit limit: converted whatever it is set to
        return int(text)
    too_long = _too_long(len(text.lstrip("+-")))
    return too_long if too_long is not None else int(text)


class ExactFloat(float):
    """A decimal number read from YAML: the float Python makes of it, carrying the text it was written as, so
    that where the engine expects a number it is read exactly from that text (``19.99999999999999999`` is not
    20), as JSON decimals are; elsewhere it behaves as the float."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, value: float, text: str) -> ExactFloat:
        made = super().__new__(cls, value)
        made.text = text
        return made

    def __repr__(self) -> str:
        return self.text

    def __reduce__(self) -> tuple[type[ExactFloat], tuple[float, str]]:
        return ExactFloat, (float(self), self.text)


def _float(text: str) -> float | str:
    """A core-schema float's value, or the message saying why it cannot be read."""
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        return f"{text} is not a number corengine reads (no infinities or NaN); write a number, or quote it as text"
    value = float(text)
    if math.isinf(value):
        return f"the number {text if len(text) <= 30 else text[:27] + '...'} is out of range"
    return value


def format_path(path: PathKey) -> str:
    """Render ``("responses", "2.4", "points")`` as ``responses["2.4"].points``."""
    out = ""
    for part in path:
        if isinstance(part, int) and part.bit_length() <= 64:
            out += f"[{part}]"
        elif not isinstance(part, str):  # a key plain data may hold (a float, None): shown as its value
            out += f"[{_shown_key(part)}]"
        elif part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part)}]"
    return out


def _shown_key(key: object) -> str:
    if isinstance(key, int):  # too long to print (the interpreter refuses past 4,300 digits)
        return f"a number of about {int(key.bit_length() * 0.30103)} digits"
    try:
        shown = repr(key)
    except (ValueError, RecursionError):
        return f"a {type(key).__name__}"
    return shown if len(shown) <= 40 else shown[:37] + "..."


def line_for(lines: LineMap, path: PathKey) -> Location | None:
    """The line (or cell) of ``path`` or of its nearest ancestor that has one."""
    return position(lines, path)[0]


def position(lines: LineMap, path: PathKey) -> tuple[Location | None, int | None]:
    """The line (or cell) and column (YAML only) of ``path`` or of its nearest ancestor that has a line."""
    while True:
        if path in lines:
            return lines[path], lines.columns.get(path) if isinstance(lines, YamlLines) else None
        if not path:
            return None, None
        path = path[:-1]


def located(source: str, lines: LineMap, path: PathKey, message: str, hint: str | None = None) -> Problem:
    """The record of a problem at ``path`` inside ``source``, with the line and column the map gives."""
    line, column = position(lines, path)
    return problem(source, format_path(path), message, line, column, hint)


class ShapeError(InputError):
    """A file refused for its shape before it was built whole: a list where a mapping is expected at the top
    level, or a mapping or list wider than :data:`MAX_ENTRIES`. The text itself may be valid YAML or JSON."""


_TOP_LIST = "expected a mapping at the top level, got a list"


def _too_wide(kind: str) -> str:
    return f"a {kind} of more than {MAX_ENTRIES} entries (at most {MAX_ENTRIES} are read)"


def _yaml_shape(text: str, source: str, mapping: bool) -> None:
    """Walk the YAML events of ``text`` (no value is built) and raise :class:`ShapeError` at a list at the top
    level when ``mapping`` is asked for, at the first entry beyond :data:`MAX_ENTRIES` in one mapping or list, or
    at the first value beyond :data:`MAX_VALUES`. A text too short to hold so many stops at its first value.
    Broken YAML is left for the composer to report as it always has."""
    loader = _Loader(text)
    stack: list[list[Any]] = []  # [items seen, is a mapping, path, key pending]
    scalar, starts = yaml.ScalarEvent, (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    nodes = {scalar, yaml.AliasEvent, *starts}
    ends = {yaml.SequenceEndEvent, yaml.MappingEndEvent}
    values = 0
    try:
        while loader.check_event():
            event = loader.get_event()  # type: ignore[no-untyped-call]
            kind = type(event)
            if kind in ends:
                stack.pop()
                continue
            if kind not in nodes:
                continue
            values += 1
            if values > MAX_VALUES:
                message = f"the file holds more than {MAX_VALUES} values (at most {MAX_VALUES} are read)"
                _shape_error(source, (), event, message)
            if stack:
                top = stack[-1]
                top[0] += 1
                if not top[1]:
                    if top[0] > MAX_ENTRIES:
                        _shape_error(source, top[2], event, _too_wide("list"))
                elif top[0] % 2:  # a key
                    top[3] = event.value if kind is scalar else "?"
                    if (top[0] + 1) // 2 > MAX_ENTRIES:
                        _shape_error(source, top[2], event, _too_wide("mapping"))
            else:
                if mapping and kind is yaml.SequenceStartEvent:
                    raise ShapeError([problem(source, "", _TOP_LIST)])
                if len(text) * 2 < MAX_VALUES:  # a value takes at least half a character ("a:" is 3 values
                    return  # in a flow list), so a text this short holds no more values, nor wider a mapping
            if kind in starts:
                if len(stack) > MAX_DEPTH:
                    return  # the composer reports it, as before
                path: PathKey = ()
                if stack:
                    top = stack[-1]
                    path = (*top[2], top[3]) if top[1] else (*top[2], top[0] - 1)
                stack.append([0, kind is yaml.MappingStartEvent, path, None])
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()


def _shape_error(source: str, path: PathKey, event: yaml.Event, message: str) -> None:
    mark = event.start_mark
    at = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    raise ShapeError([problem(source, format_path(path), message, *at)])


class _Walker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = YamlLines()
        self.seen: set[int] = set()
        self.problems: Early = []

    def at(self, node: yaml.Node, path: PathKey, message: str) -> Problem:
        mark = node.start_mark
        return problem(self.source, format_path(path), message, mark.line + 1, mark.column + 1)

    def fail(self, node: yaml.Node, path: PathKey, message: str) -> InputError:
        return InputError([self.at(node, path, message)])

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        if id(node) in self.seen:
            raise self.fail(node, path, "YAML anchors and aliases are not allowed; write the value out")
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            raise self.fail(node, path, f"nested deeper than {MAX_DEPTH} levels")
        self.lines[path] = node.start_mark.line + 1
        self.lines.columns[path] = node.start_mark.column + 1
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _COLLECTION_TAGS:
            raise self.fail(node, path, f"unsupported YAML tag {node.tag!r}; only plain values are allowed")
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, path, "keys must be plain text (no complex keys or merges)")
                key = str(key_node.value)
                if key in result:  # kept as given first; reported, and the rest of the file still checked
                    first = self.lines[(*path, key)]
                    message = f"duplicate key {key!r} (first given on line {first})"
                    self.problems.append(((*path, key), self.at(key_node, path, message)))
                    continue
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.tag not in _PLAIN_TAGS and node.tag not in _KEEP_AS_TEXT:
            raise self.fail(node, path, f"unsupported YAML tag {node.tag!r}; only plain values are allowed")
        value = self.scalar(node)
        if isinstance(value, _Refused):  # reported, and the rest of the file still checked
            self.problems.append((path, self.at(node, path, value.message)))
            return None
        return value

    def scalar(self, node: yaml.ScalarNode) -> Any:
        """The value of a scalar by the YAML 1.2 core schema (an explicit ``!!int`` and the like must match
        the schema's pattern for that tag), or why it is refused."""
        return _scalar_value(str(node.value), node.tag)


def _scalar_value(text: str, tag: str) -> Any:
    """The value of the scalar ``text`` resolved to ``tag`` (one of the plain tags or kept as text), or the
    :class:`_Refused` saying why it is not read."""
    if tag == _STR or tag in _KEEP_AS_TEXT:
        bad = _surrogate_message(text)  # libyaml refuses them; the pure-Python reader does not
        return text if bad is None else _Refused(bad)
    if not CORE_SCHEMA[tag].match(text):
        shown = text if len(text) <= 30 else text[:27] + "..."
        return _Refused(f"{shown!r} is not a valid !!{tag.rsplit(':', 1)[1]} value")
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text.lower() == "true"
    if tag == _INT:
        number: int | float | str = _integer(text)
    else:
        number = _float(text)
        number = ExactFloat(number, text) if isinstance(number, float) else number
    return _Refused(number) if isinstance(number, str) else number


class _Refused:
    """A value the reader will not hand on: its place is reported and the value becomes None."""

    def __init__(self, message: str) -> None:
        self.message = message


def parse_yaml(text: str, source: str, mapping: bool = False) -> tuple[Any, LineMap]:
    """Parse one YAML document into plain data and a line map; ``mapping``: a list at the top level is refused
    before it is built (:class:`ShapeError`), as is any mapping or list wider than :data:`MAX_ENTRIES`."""
    data, lines, early = _parse_yaml(text, source, mapping)
    if early:
        raise InputError([p for _, p in early])
    return data, lines


def _parse_yaml(text: str, source: str, mapping: bool = False) -> tuple[Any, LineMap, Early]:
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:  # only text not decoded from a file can hold one; libyaml could not encode it
        line, column = _line_column(text, surrogate.start())
        message = f"not valid YAML: {_surrogate_message(text)}"
        raise InputError([problem(source, "", message, line, column)])
    if text.count("\n") * 2 + text.count(",") > MAX_VALUES:
        # likely over a limit (a line of a block mapping holds about two values, a flow list one a comma): the
        # walk alone refuses it without building anything, at a third of the cost of building up to the limit
        _yaml_shape(text, source, mapping)
    try:
        return _built_from_events(text, source, mapping)
    except _Unusual:  # anchors, tags, complex keys, deep nesting, several documents, broken YAML: read as before
        return _composed(text, source, mapping)


def _composed(text: str, source: str, mapping: bool) -> tuple[Any, LineMap, Early]:
    """The data, line map and problems of ``text`` by composing its nodes and walking them (what
    :func:`_built_from_events` leaves to it), its shape checked first."""
    _yaml_shape(text, source, mapping)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        at = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        tab = _tab_indent(text, mark.line) if mark is not None else None
        if mark is not None and tab is not None:
            message = "not valid YAML: this line is indented with a tab; tabs cannot indent YAML: use spaces"
            raise InputError([problem(source, "", message, mark.line + 1, tab)]) from None
        raise InputError([problem(source, "", f"not valid YAML: {exc.problem}", *at)]) from None
    except yaml.YAMLError as exc:
        raise InputError([problem(source, "", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise InputError([problem(source, "", f"nested deeper than {MAX_DEPTH} levels")]) from None
    if node is None:
        return None, {}, []
    walker = _Walker(source)
    data = walker.build(node, ())
    return data, walker.lines, walker.problems


class _Unusual(Exception):
    """The event builder met what it leaves to the composer and walker (which say what is wrong with it)."""


class _Frame:
    """A mapping or list being built from the events: what it holds, its path, and the entries seen (keys and
    values each count one in a mapping, as :func:`_yaml_shape` counts them)."""

    __slots__ = ("container", "is_mapping", "key", "path", "seen", "skip", "skip_value")

    def __init__(self, container: Any, is_mapping: bool, path: PathKey, skip: bool) -> None:
        self.container = container
        self.is_mapping = is_mapping
        self.path = path
        self.seen = 0
        self.key: str = ""
        self.skip = skip
        """Not built: the value of a duplicate key (counted, as the shape walk counts it, and nothing else)."""
        self.skip_value = False
        """The value of the key just read is a duplicate's: skipped."""


def _built_from_events(text: str, source: str, mapping: bool) -> tuple[Any, LineMap, Early]:
    """The data, line map and problems of ``text`` built in one pass over its YAML events, with the shape
    limits of :func:`_yaml_shape` checked on the way (its :class:`ShapeError` at the same event): the same
    answer as composing the text and walking its nodes, without building a node of each value (half the time
    of a large file). Raises :class:`_Unusual` at anything but plain mappings, lists and scalars in one
    document (an anchor, an alias, an explicit tag, a key that is not a scalar, nesting near
    :data:`MAX_DEPTH`, broken YAML), which the composer and walker then read and report as they always have."""
    loader = _Loader(text)
    lines = YamlLines()
    columns = lines.columns
    problems: Early = []
    resolve: Callable[[type[yaml.Node], str | None, Any], str] = loader.resolve
    scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    stack: list[_Frame] = []
    values = 0
    root: Any = None
    try:
        loader.get_event()  # type: ignore[no-untyped-call]  # the stream's start
        if loader.check_event(yaml.StreamEndEvent):
            return None, {}, []
        if not loader.check_event(yaml.DocumentStartEvent):
            raise _Unusual()
        loader.get_event()  # type: ignore[no-untyped-call]
        while True:
            event = loader.get_event()  # type: ignore[no-untyped-call]
            kind = type(event)
            if kind in ends:
                stack.pop()
                if not stack:
                    break
                continue
            if kind is not scalar and kind is not mapping_start and kind is not sequence_start:
                raise _Unusual()  # an alias, or a second document
            if event.anchor is not None or event.tag is not None:
                raise _Unusual()
            values += 1
            if values > MAX_VALUES:
                message = f"the file holds more than {MAX_VALUES} values (at most {MAX_VALUES} are read)"
                _shape_error(source, (), event, message)
            skip = False
            if stack:
                top = stack[-1]
                top.seen += 1
                if not top.is_mapping:
                    if top.seen > MAX_ENTRIES:
                        _shape_error(source, top.path, event, _too_wide("list"))
                    path: PathKey = (*top.path, top.seen - 1)
                    skip = top.skip
                elif top.seen % 2:  # a key
                    if kind is not scalar:
                        raise _Unusual()
                    if (top.seen + 1) // 2 > MAX_ENTRIES:
                        _shape_error(source, top.path, event, _too_wide("mapping"))
                    key = str(event.value)
                    top.key = key
                    top.skip_value = False
                    if top.skip:
                        continue
                    # a plain key is never a merge (``<<``): the loader resolves by the core schema, which has
                    # no merge key; an explicit ``!!merge`` is a tag, left to the walker above
                    if key in top.container:  # kept as given first; reported, and the rest of the file still checked
                        first = lines[(*top.path, key)]
                        message = f"duplicate key {key!r} (first given on line {first})"
                        mark = event.start_mark
                        at = problem(source, format_path(top.path), message, mark.line + 1, mark.column + 1)
                        problems.append(((*top.path, key), at))
                        top.skip_value = True
                    continue
                else:
                    path = (*top.path, top.key)
                    skip = top.skip or top.skip_value
            else:
                if mapping and kind is sequence_start:
                    raise ShapeError([problem(source, "", _TOP_LIST)])
                path = ()
            if len(path) >= MAX_DEPTH - 1:
                raise _Unusual()
            if kind is scalar:
                if skip:
                    continue
                mark = event.start_mark
                lines[path] = mark.line + 1
                columns[path] = mark.column + 1
                tag = resolve(scalar_node, event.value, event.implicit)
                if tag not in _PLAIN_TAGS:
                    raise _Unusual()
                value = _scalar_value(str(event.value), tag)
                if isinstance(value, _Refused):  # reported, and the rest of the file still checked
                    at = problem(source, format_path(path), value.message, mark.line + 1, mark.column + 1)
                    problems.append((path, at))
                    value = None
                if not stack:
                    root = value
                    break
                if top.is_mapping:
                    top.container[top.key] = value
                else:
                    top.container.append(value)
                continue
            is_mapping = kind is mapping_start
            container: Any = {} if is_mapping else []
            if not skip:
                mark = event.start_mark
                lines[path] = mark.line + 1
                columns[path] = mark.column + 1
                if resolve(mapping_node if is_mapping else sequence_node, None, event.implicit) not in (
                    _COLLECTION_TAGS
                ):
                    raise _Unusual()
                if not stack:
                    root = container
                elif top.is_mapping:
                    top.container[top.key] = container
                else:
                    top.container.append(container)
            stack.append(_Frame(container, is_mapping, path, skip))
        if not loader.check_event(yaml.DocumentEndEvent):
            raise _Unusual()
        loader.get_event()  # type: ignore[no-untyped-call]
        if not loader.check_event(yaml.StreamEndEvent):
            raise _Unusual()  # a second document
    except yaml.YAMLError:
        raise _Unusual() from None
    finally:
        loader.dispose()
    return root, lines, problems


def _tab_indent(text: str, line: int) -> int | None:
    """The 1-based column of the first tab in the indentation of ``line`` (0-based) of ``text``, or None: the
    parser's own words for a tab there ("found character that cannot start any token") do not say it is the tab."""
    lines = text.splitlines()
    if line >= len(lines):
        return None
    indent = lines[line][: len(lines[line]) - len(lines[line].lstrip(" \t"))]
    return indent.index("\t") + 1 if "\t" in indent else None


class _Duplicates(dict[str, Any]):
    """A JSON object that repeated keys: the value given first is kept, the repeats are reported."""

    def __init__(self, items: dict[str, Any], repeated: list[str]) -> None:
        super().__init__(items)
        self.repeated = repeated


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    repeated: list[str] = []
    for key, value in items:
        if key in result:
            repeated.append(key)
        else:
            result[key] = value
    return _Duplicates(result, repeated) if repeated else result


def parse_json(text: str, source: str, floats_as_text: bool = True, mapping: bool = False) -> Any:
    """Parse JSON strictly: a duplicate key, nesting deeper than :data:`MAX_DEPTH`, ``NaN`` and ``Infinity``
    (not JSON, though Python reads them), an integer too long for the interpreter to convert and a string
    holding a lone surrogate (``"\\ud800"``) are each refused with its line, column and path.

    Decimal numbers are kept exact as their text (``"7.5"``), unless ``floats_as_text`` is false (a result
    file, whose numbers were written from floats, reads back as the same floats).

    ``mapping``: a list at the top level is refused before it is parsed (:class:`ShapeError`); an object or
    array wider than :data:`MAX_ENTRIES` is refused always.
    """
    data, early = _parse_json(text, source, floats_as_text, mapping)
    if early:
        raise InputError([p for _, p in early])
    return data


_Found = list[tuple[PathKey, str, str | None]]
"""Problems found in parsed JSON: the path, the message and, for a repeated key, the key (placed at its
second appearance)."""


_JSON_LIST = re.compile(r"[ \t\n\r]*\[")


def _parse_json(text: str, source: str, floats_as_text: bool = True, mapping: bool = False) -> tuple[Any, Early]:
    if mapping and _JSON_LIST.match(text):
        raise ShapeError([problem(source, "", _TOP_LIST)])

    def constant(name: str) -> _Refused:
        return _Refused(f"{name} is not a number JSON allows (no infinities or NaN)")

    def integer(digits: str) -> int | _Refused:
        too_long = _too_long(len(digits.lstrip("-")))
        return int(digits) if too_long is None else _Refused(too_long)

    def decimal(digits: str) -> float | _Refused:
        value = _float(digits)
        return _Refused(value) if isinstance(value, str) else value

    try:
        data = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_float=str if floats_as_text else decimal,
            parse_int=integer,
            parse_constant=constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError([problem(source, "", f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)]) from None
    except RecursionError:
        raise InputError([problem(source, "", f"nested deeper than {MAX_DEPTH} levels")]) from None
    found: _Found = []
    try:
        data = _checked_json(data, (), found, [0])
    except _TooMany:
        message = f"the file holds more than {MAX_JSON_VALUES} values (at most {MAX_JSON_VALUES} are read)"
        raise ShapeError([problem(source, "", message)]) from None
    if not found:
        return data, []
    wide = [
        (path, message) for path, message, _ in found if message.startswith(("a mapping of more", "a list of more"))
    ]
    if wide:  # refused for its shape alone: placed by a scan that stops at the collection's start
        values, _ = _json_positions(text, {path for path, _ in wide})
        places = [(values.get(path), path, message) for path, message in wide]
        raise ShapeError(
            [
                problem(source, format_path(path), message, *(_line_column(text, at) if at is not None else ()))
                for at, path, message in places
            ]
        )
    values, keys = _json_positions(text)
    early: Early = []
    refuse = False
    for path, message, key in found:
        offset = values.get(path)
        if key is not None:  # a repeated key: at its second appearance, naming the first
            offsets = keys.get((*path, key), [])
            offset = offsets[1] if len(offsets) > 1 else offset
            if offsets:
                message += f" (first given on line {_line_column(text, offsets[0])[0]})"
            refuse = True
        refuse = refuse or message.startswith("nested deeper")
        line, column = _line_column(text, offset) if offset is not None else (None, None)
        place = (*path, key) if key is not None else path
        early.append((place or None, problem(source, format_path(path), message, line, column)))
    if refuse:  # a repeated key or too deep a nesting: the file is refused outright
        raise InputError([p for _, p in early])
    return data, early


class _TooMany(Exception):
    """A JSON text holds more than :data:`MAX_JSON_VALUES` values."""


def _checked_json(value: Any, path: PathKey, found: _Found, count: list[int]) -> Any:
    """``value`` with every refused value replaced by None, each reported in ``found`` with its path; ``count``
    holds the values checked so far (:class:`_TooMany` past :data:`MAX_JSON_VALUES`)."""
    count[0] += 1
    if count[0] > MAX_JSON_VALUES:
        raise _TooMany
    if len(path) > MAX_DEPTH:
        found.append((path, f"nested deeper than {MAX_DEPTH} levels", None))
        return None
    if isinstance(value, _Refused):
        found.append((path, value.message, None))
        return None
    if isinstance(value, str):
        bad = _surrogate_message(value)
        if bad is not None:
            found.append((path, bad, None))
            return None
        return value
    if isinstance(value, dict | list) and len(value) > MAX_ENTRIES:
        found.append((path, _too_wide("mapping" if isinstance(value, dict) else "list"), None))
        return None
    if isinstance(value, dict):
        if isinstance(value, _Duplicates):
            found += [(path, f"duplicate key {key!r}", key) for key in dict.fromkeys(value.repeated)]
            value = dict(value)
        for key in list(value):
            bad = _surrogate_message(key)
            if bad is not None:
                found.append(((*path, key), f"the key {bad[0].lower()}{bad[1:]}", None))
                del value[key]
            else:
                value[key] = _checked_json(value[key], (*path, key), found, count)
        return value
    if isinstance(value, list):
        return [_checked_json(item, (*path, index), found, count) for index, item in enumerate(value)]
    return value


_JSON_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([{\[])|([}\]])|(,)|(:)|([^\s{}\[\],:"]+))', re.S)


def _json_events(text: str) -> Iterator[tuple[str, PathKey, int]]:
    """The places of a JSON text (one that parsed) in order: ``("value", path, offset)`` where each value starts,
    ``("key", path, offset)`` where each key is written (every time), ``("end", path, offset)`` where each object
    or array closes."""
    stack: list[list[Any]] = []  # [path, is_object, key or index, expecting a key]

    def here() -> PathKey:
        if not stack:
            return ()
        path, _, at, _ = stack[-1]
        return (*path, at)

    for match in _JSON_TOKEN.finditer(text):
        string, opening, closing, comma = match.group(1, 2, 3, 4)
        if string is not None and stack and stack[-1][1] and stack[-1][3]:
            stack[-1][2], stack[-1][3] = json.loads(string), False
            yield "key", here(), match.start(1)
        elif opening is not None:
            path = here()
            yield "value", path, match.start(2)
            stack.append([path, opening == "{", 0, opening == "{"])
        elif closing is not None:
            if stack:
                yield "end", stack.pop()[0], match.start(3)
        elif comma is not None:
            if stack and stack[-1][1]:
                stack[-1][3] = True
            elif stack:
                stack[-1][2] += 1
        elif match.group(5) is None:  # a string value, a number or a literal
            yield "value", here(), match.start(1) if string is not None else match.start(6)


def _json_positions(
    text: str, wanted: set[PathKey] | None = None
) -> tuple[dict[PathKey, int], dict[PathKey, list[int]]]:
    """Where each value of a JSON text (one that parsed) starts, by its path, and where each key is written
    (every time, so a repeated key can be placed); only run to place a problem the reader found, so ordinary
    files never pay for it. With ``wanted``, the scan stops once each of those paths' values is placed."""
    values: dict[PathKey, int] = {}
    keys: dict[PathKey, list[int]] = {}
    for kind, path, offset in _json_events(text):
        if kind == "key":
            keys.setdefault(path, []).append(offset)
        elif kind == "value":
            values.setdefault(path, offset)
            if wanted is not None and path in wanted and wanted.issubset(values):
                break
    return values, keys


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset)
    return line + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_bytes(path: str | Path) -> tuple[bytes, str]:
    """Read a file (``-`` is stdin) within the size limit; returns (bytes, name for messages)."""
    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        if str(path) == "-":
            raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError([problem(name, "", f"cannot read: {exc.strerror}")]) from None
    check_size(raw, name)
    return raw, name


def check_size(raw: bytes, name: str) -> None:
    """Refuse input over the size limit, wherever it came from."""
    if len(raw) > MAX_BYTES:
        raise InputError([problem(name, "", f"larger than {MAX_BYTES // (1024 * 1024)} MiB; refusing to read it")])


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a file (``-`` is stdin) as UTF-8 within the size limit; returns (text, name for messages)."""
    raw, name = read_bytes(path)
    return decode_text(raw, name), name


def decode_text(raw: bytes, name: str) -> str:
    """``raw`` as UTF-8 text (a byte-order mark is dropped), or one problem naming the bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([problem(name, "", f"not UTF-8 text (bad byte at offset {exc.start})")]) from None


def parse(text: str, source: str, mapping: bool = False) -> tuple[Any, LineMap]:
    """Parse by file name: ``.json`` as JSON, anything else as YAML (a superset). ``mapping``: the caller
    expects a mapping, so a list at the top level is refused before it is built (:class:`ShapeError`)."""
    if source.endswith(".json"):
        return parse_json(text, source, mapping=mapping), JsonLines(text)
    return parse_yaml(text, source, mapping)


def parse_checked(text: str, source: str, mapping: bool = False) -> tuple[Any, LineMap, Early]:
    """Like :func:`parse`, but a duplicate YAML key is returned as a problem (the value given first is kept),
    so the rest of the file can still be checked in the same pass; every other problem raises."""
    if source.endswith(".json"):
        data, early = _parse_json(text, source, mapping=mapping)
        return data, JsonLines(text), early
    return _parse_yaml(text, source, mapping)


# --------------------------------------------------------------------------- which format a file is

ZIP_SIGNATURE = b"PK\x03\x04"
"""How every zip archive starts, an ``.xlsx`` (and an ``.ods``) among them."""
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an Excel 97-2003 ``.xls`` (a Compound File) starts."""
ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument"
"""An OpenDocument file's first zip entry: ``mimetype``, stored, holding the document's media type."""

SAVE_AS_XLSX = "save it as .xlsx (Excel 2007-365 workbook) and read that"
REFUSED_SUFFIXES = {
    ".ods": f"an OpenDocument spreadsheet (.ods) cannot be read; {SAVE_AS_XLSX}",
    ".xls": f"an Excel 97-2003 workbook (.xls) cannot be read; {SAVE_AS_XLSX}",
    ".csv": "a CSV file cannot be read (one sheet of text, no fields or types); use .xlsx or .yaml",
}
"""Spreadsheet formats that look readable but are not, by file ending, with what to do instead."""


def refused_format(name: str) -> str | None:
    """Why a file named ``name`` cannot be read or written as an audit workbook, or None when it can be."""
    lowered = name.lower()
    return next((why for suffix, why in REFUSED_SUFFIXES.items() if lowered.endswith(suffix)), None)


def input_format(raw: bytes, name: str) -> str:
    """``"xlsx"`` or ``"text"`` (YAML or JSON): how to read ``raw``, a file named ``name``, decided by its content
    as well as its name. A file named ``.ods``, ``.xls`` or ``.csv`` is refused, saying what to save instead, and
    so is an OpenDocument or Excel 97-2003 file by its content; any other zip archive is read as a workbook
    whatever its name (``upload``, say); a file named ``.xlsx`` that holds text is refused, saying to name it for
    what it is."""
    why = refused_format(name)
    if why is not None:
        raise InputError([problem(name, "", why)])
    if raw.startswith(ZIP_SIGNATURE):
        if raw[30:].startswith(ODS_MIMETYPE):
            raise InputError([problem(name, "", REFUSED_SUFFIXES[".ods"])])
        return "xlsx"
    if raw.startswith(OLE_SIGNATURE):
        raise InputError([problem(name, "", REFUSED_SUFFIXES[".xls"])])
    if name.lower().endswith(".xlsx") and raw.strip():
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return "xlsx"  # the workbook reader says it is not a zip archive
        raise InputError(
            [
                problem(
                    name,
                    "",
                    "named .xlsx but holds text, not a workbook (an .xlsx file is a zip archive); "
                    "if it is YAML or JSON, name it .yaml or .json",
                )
            ]
        )
    return "text"
