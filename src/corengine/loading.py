"""Reading YAML and JSON strictly: safe YAML only, no duplicate keys, no aliases, bounded size.

The reader returns plain data plus a map from each path inside it to its line, so a later error about
``responses["2.4"].points`` can still say ``audit.yaml:31``. Dates stay strings here; the converter
validates them, so ``2023-02-30`` is reported like every other bad value instead of as a YAML crash.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem, problem

MAX_BYTES = 5 * 1024 * 1024
"""Largest file read: a real audit document is well under 1 MiB; anything bigger is a mistake or hostile."""

MAX_DEPTH = 64
"""Deepest nesting accepted; real files nest fewer than ten levels."""

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


Early = list[tuple[PathKey | None, Problem]]
"""Problems found while reading a file, each with the path it makes unusable (None when it concerns no value):
later checks skip those paths instead of reporting them again."""

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = yaml.constructor.SafeConstructor()
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_KEEP_AS_TEXT = {"tag:yaml.org,2002:timestamp"}


def format_path(path: PathKey) -> str:
    """Render ``("responses", "2.4", "points")`` as ``responses["2.4"].points``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part)}]"
    return out


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
        if node.tag in _KEEP_AS_TEXT:
            return node.value
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, path, f"unsupported YAML tag {node.tag!r}; only plain values are allowed")
        return _SCALARS.construct_object(node)


def parse_yaml(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse one YAML document into plain data and a line map."""
    data, lines, early = _parse_yaml(text, source)
    if early:
        raise InputError([p for _, p in early])
    return data, lines


def _parse_yaml(text: str, source: str) -> tuple[Any, LineMap, Early]:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise InputError([problem(source, "", f"not valid YAML: {exc.problem}", line, column)]) from None
    except yaml.YAMLError as exc:
        raise InputError([problem(source, "", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise InputError([problem(source, "", f"nested deeper than {MAX_DEPTH} levels")]) from None
    if node is None:
        return None, {}, []
    walker = _Walker(source)
    data = walker.build(node, ())
    return data, walker.lines, walker.problems


def _no_duplicates(source: str) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise InputError([problem(source, "", f"duplicate key {key!r}")])
            result[key] = value
        return result

    return pairs


def parse_json(text: str, source: str) -> Any:
    """Parse JSON, rejecting duplicate keys; floats are kept exact as decimal strings."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates(source), parse_float=str)
    except json.JSONDecodeError as exc:
        raise InputError([problem(source, "", f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)]) from None
    except RecursionError:
        raise InputError([problem(source, "", "nested too deeply")]) from None


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


def parse(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse by file name: ``.json`` as JSON, anything else as YAML (a superset)."""
    if source.endswith(".json"):
        return parse_json(text, source), {}
    return parse_yaml(text, source)


def parse_checked(text: str, source: str) -> tuple[Any, LineMap, Early]:
    """Like :func:`parse`, but a duplicate YAML key is returned as a problem (the value given first is kept),
    so the rest of the file can still be checked in the same pass; every other problem raises."""
    if source.endswith(".json"):
        return parse_json(text, source), {}, []
    return _parse_yaml(text, source)


def __getattr__(name: str) -> Any:
    """``corengine.loading.load_file`` moved to :func:`corengine.converter.load_file` (kept for one release)."""
    if name == "load_file":
        warnings.warn(
            "corengine.loading.load_file is deprecated; import load_file from corengine.converter",
            DeprecationWarning,
            stacklevel=2,
        )
        from .converter import load_file

        return load_file
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
