"""Audit extension fields: facts only one plugin needs, under ``extensions: {NAME: {...}}`` in an audit.

A plugin registers an :class:`AuditExtension` (its name and an attrs class) through
``corengine_register_audit_extensions``. Reading an audit structures each block with that class, strictly
(unknown keys with a "did you mean", wrong types, the class's validators), in the same pass as every other problem
of the file; the audit then holds the class's instance at ``audit.extensions[NAME]``. Keys a plugin moved out of
the core's audit model (``moved``) are still read at the top level for a release, with a DeprecationWarning.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import itertools
import types
import typing
import warnings
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar, get_args, get_origin

import attrs
from attrs import field, frozen

from corengine._io.loading import LineMap, PathKey
from corengine._util.records import Record
from corengine.model.converter import structure_partial, structure_value
from corengine.model.validators import OneOf, non_empty

T = TypeVar("T")


@frozen(repr=False, eq=False)
class AuditExtension(Record):
    """Fields a plugin adds to audits, under ``extensions: {name: {...}}``."""

    name: str = field(validator=non_empty)
    """The key under ``extensions`` (the plugin's name, e.g. ``bc``); registered twice is an error naming both."""
    fields: type = field()
    """An attrs class the block is structured into (unknown keys, types and its validators are reported with
    the audit's file, line and path)."""
    description: str = ""
    """One line for docs."""
    moved: tuple[str, ...] = ()
    """Top-level audit keys this extension took over from the core's model: still read there for a release (into
    this extension, with a DeprecationWarning ``KEY is deprecated; use extensions: {NAME: {KEY: ...}}``)."""

    @fields.validator
    def _check_fields(self, attribute: attrs.Attribute[Any], value: type) -> None:
        if not (isinstance(value, type) and attrs.has(value)):
            raise TypeError(f"{attribute.name} must be an attrs class, not {value!r}")


@frozen(repr=False, eq=False)
class ExtensionField(Record):
    """One field of a registered audit extension, as a form presents it (a spreadsheet row, a YAML template key,
    a line of ``corengine show``)."""

    extension: str
    """The extension's name (the key under ``extensions``)."""
    name: str
    """The field's name in the extension's attrs class."""
    kind: str
    """What a form asks for: ``text``, ``int`` (a whole number), ``number``, ``date``, ``bool``, ``choice`` (one of
    :attr:`choices`) or ``list`` (several texts)."""
    choices: tuple[str, ...] = ()
    """For ``choice``: the values allowed (from the field's :func:`~corengine.model.validators.one_of`)."""
    help: str = ""
    """What to write: the field's ``metadata["help"]``, else its docstring, on one line ("" when it has neither)."""
    required: bool = False
    """True when the class gives the field no default (a block that is given must have it)."""

    @property
    def key(self) -> str:
        """The field's data path as text, ``extensions.NAME.FIELD``: the label of its spreadsheet row."""
        return f"extensions.{self.extension}.{self.name}"

    @property
    def path(self) -> PathKey:
        return ("extensions", self.extension, self.name)

    @property
    def what(self) -> str:
        """The kind in words, for help text: ``YYYY-MM-DD``, ``a whole number``, ``one of north, south``..."""
        if self.kind == "choice":
            return f"one of {', '.join(self.choices)}"
        return _KIND_WORDS[self.kind]

    @property
    def note(self) -> str:
        """What to write, on one line: ``Optional: The most workers at once (a whole number).``"""
        lead = "" if self.required else "Optional: "
        return f"{lead}{self.help.rstrip('.')} ({self.what})." if self.help else f"{lead}{self.what}."


_KIND_WORDS = {
    "text": "text",
    "int": "a whole number",
    "number": "a number",
    "date": "YYYY-MM-DD",
    "bool": "yes or no",
    "list": "separated by semicolons",
}


def extension_fields(extension: AuditExtension) -> tuple[ExtensionField, ...]:
    """The fields of ``extension``'s class, in the class's order, each with the kind of value it takes."""
    cls = extension.fields
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # a plugin's annotation that does not resolve: every field is read as text
        hints = {}
    docs = _docstrings(cls)
    found = []
    for attribute in attrs.fields(cls):
        if not attribute.init:
            continue
        hint = hints.get(attribute.name, attribute.type)
        choices = _choices(attribute.validator)
        kind = "choice" if choices else _kind(hint)
        given = attribute.metadata.get("help")
        text = given if isinstance(given, str) else docs.get(attribute.name, "")
        found.append(
            ExtensionField(
                extension.name,
                attribute.name,
                kind,
                choices,
                " ".join(text.split()),
                attribute.default is attrs.NOTHING,
            )
        )
    return tuple(found)


def _kind(hint: Any) -> str:
    args = get_args(hint)
    if get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args and len(args) == 2:
        hint = next(arg for arg in args if arg is not type(None))
    if hint is bool:
        return "bool"
    if hint is int:
        return "int"
    if hint is dt.date:
        return "date"
    if hint in (Fraction, float, Decimal):
        return "number"
    if get_origin(hint) in (tuple, list) and get_args(hint) in ((str, ...), (str,)):
        return "list"
    return "text"


def _choices(validator: Any) -> tuple[str, ...]:
    """The choices of a :func:`~corengine.model.validators.one_of` among ``validator`` (attrs' ``and_`` and
    ``optional`` wrappers looked into), else ()."""
    if isinstance(validator, OneOf):
        return validator.choices
    for inner in (*getattr(validator, "_validators", ()), getattr(validator, "validator", None)):
        if inner is not None and (found := _choices(inner)):
            return found
    return ()


def _docstrings(cls: type) -> dict[str, str]:
    """The attribute docstrings of ``cls`` (the string right below a field), read from its source; {} when the
    source is not at hand."""
    import textwrap  # (forms only: not imported by scoring)

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    found: dict[str, str] = {}
    for before, after in itertools.pairwise(body):
        if (
            isinstance(before, ast.AnnAssign)
            and isinstance(before.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[before.target.id] = inspect.cleandoc(after.value.value)
    return found


def deprecation(key: str, name: str) -> str:
    """The warning for a top-level key an extension took over."""
    return f"`{key}` is deprecated; use `extensions: {{{name}: {{{key}: ...}}}}`"


def move_deprecated(
    data: dict[str, Any], lines: LineMap, registered: Mapping[str, AuditExtension]
) -> tuple[dict[str, Any], list[tuple[PathKey, str]]]:
    """``data`` with each top-level key an extension ``moved`` put under ``extensions`` (warning once per key),
    and the problems of a key given in both places. ``lines`` gains the old key's line for the new path."""
    problems: list[tuple[PathKey, str]] = []
    for name, extension in sorted(registered.items()):
        for key in extension.moved:
            if key not in data:
                continue
            warnings.warn(deprecation(key, name), DeprecationWarning, stacklevel=2)
            data = dict(data)
            value = data.pop(key)
            blocks = data.get("extensions")
            if blocks is None:
                blocks = {}
            if not isinstance(blocks, dict):
                continue  # the structure reports it
            block = blocks.get(name, {})
            if not isinstance(block, dict):
                continue
            if key in block:
                problems.append(((key,), f"given both here and as extensions.{name}.{key}; give it once, there"))
                continue
            data["extensions"] = {**blocks, name: {**block, key: value}}
            if (key,) in lines:
                for path in (("extensions",), ("extensions", name), ("extensions", name, key)):
                    lines.setdefault(path, lines[(key,)])
    return data, problems


def structure_extensions(
    raw: Any, registered: Mapping[str, AuditExtension]
) -> tuple[dict[str, Any] | None, list[tuple[PathKey, str, str | None]]]:
    """Each block of ``raw`` (an audit's ``extensions`` mapping) as its extension's class, or the problems."""
    if not isinstance(raw, dict):
        return None, []  # the audit's own structure reports it
    result: dict[str, Any] = {}
    problems: list[tuple[PathKey, str, str | None]] = []
    for name, block in raw.items():
        extension = registered.get(name)
        if extension is None:
            known = ", ".join(sorted(registered)) or "none"
            problems.append((("extensions", name), f"unknown extension {name!r} (registered: {known})", None))
            continue
        value, issues = structure_partial(block, extension.fields)
        if isinstance(block, dict) and not issues:
            result[name] = value
        elif not isinstance(block, dict):
            problems.append((("extensions", name), "expected a mapping of keys to values", None))
        problems += [(("extensions", name, *path), message, hint) for path, message, hint in issues]
    return (None if problems else result), problems


def extension(audit: Any, name: str, cls: type[T]) -> T | None:
    """The audit's ``extensions[name]`` as ``cls`` (None when the audit gives none): an audit read from a file
    already holds the instance; one built in code may hold plain data, structured here."""
    value = audit.extensions.get(name)
    if value is None or isinstance(value, cls):
        return value
    converted: T = structure_value(value, cls)
    return converted


__all__ = [
    "AuditExtension",
    "ExtensionField",
    "deprecation",
    "extension",
    "extension_fields",
    "move_deprecated",
    "structure_extensions",
]
