"""A plugin's own data files, declared with the class each is read into, so ``corengine plugin check`` can read
every one of them as the plugin does (``corengine_register_data_files``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
from attrs import field, frozen

from corengine._util.records import Record


@frozen(repr=False, eq=False)
class DataFile(Record):
    """One data file of a plugin and the attrs class it is read into with :func:`~corengine.plugin.load_file`."""

    path: Path = field(converter=Path)
    """The file (YAML or JSON)."""
    cls: type = field()
    """The attrs class the plugin reads it into (its unknown keys, types and validators are what the check
    reports, with file, line and path)."""

    @cls.validator
    def _check_cls(self, attribute: attrs.Attribute[Any], value: type) -> None:
        if not (isinstance(value, type) and attrs.has(value)):
            raise TypeError(f"{attribute.name} must be an attrs class, not {value!r}")


__all__ = ["DataFile"]
