"""Plugin discovery without :mod:`importlib.metadata`: entry points and versions read from the installed
distributions' own files.

Importing :mod:`importlib.metadata` (and the ``email``, ``zipfile`` and ``csv`` packages it pulls in) costs
more than everything else a ``corengine score`` start-up does apart from its own modules. What the engine needs
from it is small: the entry points of one group, and the name and version of the distributions that provide
them. Both are plain text in each ``*.dist-info`` folder (``entry_points.txt``, the ``METADATA`` header), found
on :data:`sys.path` in order, the first distribution of a name winning, as :mod:`importlib.metadata` finds
them. Where a path entry is something else (a zip archive or an egg), :func:`entry_points` and
:func:`version` ask :mod:`importlib.metadata` instead, so nothing is missed.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

_NORMAL = re.compile(r"[-_.]+")


def normalized(name: str) -> str:
    """A distribution name as PEP 503 compares it (``Corengine_Alberta`` and ``corengine-alberta`` are one)."""
    return _NORMAL.sub("-", name).lower()


class Distribution(NamedTuple):
    """An installed distribution, by its metadata folder (a named tuple, not an attrs class: this module is
    imported by every start-up, and a tuple class costs a tenth of an attrs class to create)."""

    path: Path | None
    """The ``NAME-VERSION.dist-info`` (or ``.egg-info``) folder; None for one importlib.metadata found (in a zip
    archive), whose name and version are then given."""
    given: tuple[str, str] = ("", "")
    """Name and version, when there is no folder to read them from."""

    def _header(self) -> dict[str, str]:
        """The first ``Name`` and ``Version`` of the metadata file's header."""
        if self.path is None:
            return {"Name": self.given[0], "Version": self.given[1]}
        return _header(self.path)

    @property
    def name(self) -> str:
        """The name as the distribution writes it (``corengine-alberta``)."""
        return self._header().get("Name") or (self.path.name.split("-")[0] if self.path else "-")

    @property
    def version(self) -> str:
        header = self._header().get("Version")
        if header or self.path is None:
            return header or "-"
        parts = self.path.name.rsplit(".", 1)[0].split("-")
        return parts[1] if len(parts) > 1 else "-"


@functools.cache
def _header(folder: Path) -> dict[str, str]:
    """The first ``Name`` and ``Version`` of a metadata folder's ``METADATA`` (or ``PKG-INFO``) header, the lines
    before the first blank one: read once per folder."""
    found: dict[str, str] = {}
    for filename in ("METADATA", "PKG-INFO"):
        try:
            with open(folder / filename, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    if not line.strip():
                        break
                    key, sep, value = line.partition(":")
                    if sep and key in ("Name", "Version") and key not in found:
                        found[key] = value.strip()
        except OSError:
            continue
        return found
    return found


class EntryPoint(NamedTuple):
    """One ``name = module:attribute`` line of a distribution's ``entry_points.txt``."""

    name: str
    value: str
    group: str
    dist: Distribution | None = None

    def load(self) -> Any:
        """Import the module and return the attribute the entry point names (the module itself without one)."""
        module_name, _, attribute = self.value.partition(":")
        found: Any = importlib.import_module(module_name.strip())
        for part in attribute.split("[")[0].strip().split(".") if attribute.strip() else ():
            found = getattr(found, part)
        return found


class _Unreadable(Exception):
    """A path entry this module does not read (a zip archive or egg): ask importlib.metadata."""


def _distributions() -> list[Distribution]:
    """Every distribution on :data:`sys.path`, the first of each name only."""
    return list(_each_distribution())


def _each_distribution() -> Iterator[Distribution]:
    """The distributions on :data:`sys.path` in order, the first of each name only, each folder listed only when
    the one before it is used up (:func:`version` stops at the first match)."""
    seen: set[str] = set()
    for entry in sys.path:
        folder = entry or "."
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")))
        except NotADirectoryError:
            if os.path.isfile(folder):
                raise _Unreadable(folder) from None
            continue
        except OSError:
            continue
        for name in names:
            path = Path(folder) / name
            key = normalized(name.rsplit(".", 1)[0].split("-")[0])
            if key in seen:
                continue
            seen.add(key)
            if path.is_dir():  # (an ``.egg-info`` file is a distutils header alone: no entry points)
                yield Distribution(path)


def _parse(text: str, group: str, dist: Distribution | None) -> list[EntryPoint]:
    """The entry points of ``group`` in an ``entry_points.txt`` (INI: ``[group]`` then ``name = value``)."""
    found: list[EntryPoint] = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section == group:
            name, sep, value = line.partition("=")
            if sep:
                found.append(EntryPoint(name.strip(), value.strip(), group, dist))
    return found


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group`` of every installed distribution, as ``importlib.metadata.entry_points``
    gives them."""
    try:
        distributions = _distributions()
    except _Unreadable:
        return _from_metadata(group)
    found: list[EntryPoint] = []
    for dist in distributions:
        assert dist.path is not None  # (only importlib.metadata's are without a folder)
        try:
            text = (dist.path / "entry_points.txt").read_text(encoding="utf-8")
        except OSError:
            continue
        if f"[{group}]" in text.replace(" ", ""):
            found += _parse(text, group, dist)
    return found


def _from_metadata(group: str) -> list[EntryPoint]:
    from importlib import metadata

    found: list[EntryPoint] = []
    for entry in metadata.entry_points(group=group):
        dist = None if entry.dist is None else Distribution(None, (entry.dist.name, entry.dist.version))
        found.append(EntryPoint(entry.name, entry.value, group, dist))
    return found


def version(distribution: str) -> str | None:
    """The installed version of ``distribution``, or None when it is not installed."""
    wanted = normalized(distribution)
    try:
        for dist in _each_distribution():
            if dist.path is not None and normalized(dist.path.name.rsplit(".", 1)[0].split("-")[0]) == wanted:
                return dist.version
        return None
    except _Unreadable:
        from importlib import metadata

        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            return None


VERSION: str = version("corengine") or "0+unknown"
"""The installed corengine's version (``0+unknown`` when it runs from a source tree that was never installed)."""
