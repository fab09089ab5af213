"""Audit extension fields: facts only one plugin needs, under ``extensions: {NAME: {...}}`` in an audit.

A plugin registers an :class:`AuditExtension` (its name and an attrs class) through
``corengine_register_audit_extensions``. Reading an audit structures each block with that class, strictly
(unknown keys with a "did you mean", wrong types, the class's validators), in the same pass as every other problem
of the file; the audit then holds the class's instance at ``audit.extensions[NAME]``. Keys a plugin moved out of
the core's audit model (``moved``) are still read at the top level for a release, with a DeprecationWarning.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs
from attrs import field, frozen

from corengine._io.loading import LineMap, PathKey
from corengine.model.converter import structure_partial, structure_value
from corengine.model.validators import non_empty

T = TypeVar("T")


@frozen
class AuditExtension:
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


__all__ = ["AuditExtension", "deprecation", "extension", "move_deprecated", "structure_extensions"]
