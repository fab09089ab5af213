"""A data plugin's registration: its standard files, jurisdiction files and declared data files
(:func:`data_plugin`, public as :func:`corengine.plugin.data_plugin`).

Nothing here reads a file or imports the model until a hook asks for it, so registering a plugin at start-up
(``corengine --help``) costs only the plugin's own module.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from corengine.hookspecs import hookimpl

if TYPE_CHECKING:
    from corengine.model.data_files import DataFile
    from corengine.model.jurisdiction import Jurisdiction

T = TypeVar("T")

STANDARDS_FOLDER = "data/standards"
"""Where :func:`data_plugin` looks for a package's standard files, relative to the package."""


class DataPlugin:
    """A plugin package's data files, and the two registration hooks every data plugin needs.

    Build it with :func:`data_plugin`; expose its hooks from the plugin module (pluggy registers the module,
    so the hooks must be module attributes)::

        PACKAGE = data_plugin("corengine_mycp", jurisdictions=["mycp.yaml"], files={"refund.yaml": RefundRules})
        corengine_register_standards = PACKAGE.corengine_register_standards
        corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
        corengine_register_data_files = PACKAGE.corengine_register_data_files

    Files are read when first asked for and kept (a plugin's data does not change while it runs). The plugin's
    own data files (read with :meth:`load`) are declared with the class each is read into, in ``files`` or with
    :meth:`declare`, so that ``corengine plugin check`` reads them too (``corengine_register_data_files``).
    """

    def __init__(
        self,
        data: Path,
        jurisdictions: tuple[str, ...],
        standards: str,
        files: Mapping[str, type | str] | None = None,
    ) -> None:
        self.data = data
        """The package's ``data`` folder."""
        self.jurisdiction_files = jurisdictions
        """Jurisdiction files, relative to :attr:`data`."""
        self.standards_folder = data.parent / standards
        """The folder of standard files."""
        self.declared: dict[str, type | str] = {}
        """The plugin's own data files (relative to :attr:`data`) with the class each is read into."""
        self._cache: dict[tuple[str, type], Any] = {}
        self._lock = threading.Lock()
        for name, cls in (files or {}).items():
            self.declare(name, cls)

    def declare(self, name: str, cls: type | str) -> None:
        """Declare the data file ``name`` (relative to :attr:`data`) as read into the attrs class ``cls``, for
        ``corengine plugin check``; for a class defined after the :class:`DataPlugin` (in the same module).
        ``cls`` may be ``"package.module:Class"``, imported only when the files are listed (so registering the
        plugin does not import the module that defines it).

        :raises ValueError: when ``name`` is a jurisdiction file or is already declared with another class.
        :raises TypeError: when ``cls`` is not an attrs class.
        """
        if name in self.jurisdiction_files:
            raise ValueError(f"{name!r} is a jurisdiction file (read as Jurisdiction); declare only other files")
        earlier = self.declared.get(name)
        if earlier is not None and earlier is not cls and _class_name(earlier) != _class_name(cls):
            raise ValueError(f"{name!r} is already declared as read into {_label(earlier)}, not {_label(cls)}")
        if isinstance(cls, str):
            if ":" not in cls:
                raise ValueError(f"{cls!r} must be 'package.module:Class'")
        else:
            from corengine.model.data_files import DataFile

            DataFile(self.path(name), cls)  # an attrs class, or TypeError
        self.declared[name] = cls

    def path(self, name: str) -> Path:
        """A data file's path, relative to :attr:`data`."""
        return self.data / name

    def load(self, name: str, cls: type[T]) -> T:
        """The data file ``name`` (relative to :attr:`data`) read into ``cls``, once; an
        :class:`InputError` naming the file and line when it does not fit."""
        key = (name, cls)
        with self._lock:
            if key not in self._cache:
                from corengine.model.converter import load_file

                self._cache[key] = load_file(self.path(name), cls)
            found: T = self._cache[key]
        return found

    def standards(self) -> list[Path]:
        """The package's standard files (``*.yaml``, ``*.yml``, ``*.json``), sorted by name."""
        try:
            names = os.listdir(self.standards_folder)  # (not Path.glob: a fifth of the time, at every start-up)
        except OSError:
            return []
        return sorted(
            self.standards_folder / name for name in names if os.path.splitext(name)[1] in (".yaml", ".yml", ".json")
        )

    def jurisdictions(self) -> list[Jurisdiction]:
        """The package's jurisdictions, each read once."""
        from corengine.model.jurisdiction import Jurisdiction

        return [self.load(name, Jurisdiction) for name in self.jurisdiction_files]

    def jurisdiction(self) -> Jurisdiction:
        """The package's only jurisdiction (a plugin for one province)."""
        found = self.jurisdictions()
        if len(found) != 1:
            raise LookupError(f"{self.data}: {len(found)} jurisdiction files, not one")
        return found[0]

    @hookimpl
    def corengine_register_standards(self) -> list[Path]:
        """The hook registering :meth:`standards`."""
        return self.standards()

    @hookimpl
    def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
        """The hook registering :meth:`jurisdictions`."""
        return self.jurisdictions()

    def data_files(self) -> list[DataFile]:
        """The package's jurisdiction files (read as :class:`Jurisdiction`), then its declared files."""
        from corengine.model.data_files import DataFile
        from corengine.model.jurisdiction import Jurisdiction

        found = [DataFile(self.path(name), Jurisdiction) for name in self.jurisdiction_files]
        return found + [DataFile(self.path(name), _imported(cls)) for name, cls in self.declared.items()]

    @hookimpl
    def corengine_register_data_files(self) -> list[DataFile]:
        """The hook declaring :meth:`data_files` (nothing is read)."""
        return self.data_files()


def data_plugin(
    package: str,
    jurisdictions: list[str] | tuple[str, ...] = (),
    standards: str = STANDARDS_FOLDER,
    files: Mapping[str, type | str] | None = None,
) -> DataPlugin:
    """The data of the plugin package ``package`` (its import name, e.g. ``"corengine_alberta"``).

    :param package: the package holding a ``data/`` folder.
    :param jurisdictions: jurisdiction files in ``data/`` (e.g. ``["alberta.yaml"]``).
    :param standards: the folder of standard files, relative to the package (default ``data/standards``).
    :param files: the plugin's own data files in ``data/`` with the attrs class each is read into (e.g.
        ``{"pir-refund.yaml": RefundRules}``, or ``"package.module:Class"`` to import it only when the files are
        listed), for ``corengine plugin check``; more with :meth:`DataPlugin.declare`.
    :returns: a :class:`DataPlugin` whose hooks register the standards and jurisdictions and declare the data files.
    """
    module = importlib.import_module(package)
    if module.__file__ is None:
        raise ValueError(f"{package!r} is not a package with files")
    return DataPlugin(Path(module.__file__).parent / "data", tuple(jurisdictions), standards, files)


def _class_name(cls: type | str) -> str:
    return cls if isinstance(cls, str) else f"{cls.__module__}:{cls.__qualname__}"


def _label(cls: type | str) -> str:
    return cls if isinstance(cls, str) else cls.__qualname__


def _imported(cls: type | str) -> type:
    """``cls``, or the class ``"package.module:Class"`` names."""
    if not isinstance(cls, str):
        return cls
    module, _, name = cls.partition(":")
    found = getattr(importlib.import_module(module), name)
    if not isinstance(found, type):
        raise TypeError(f"{cls} is {type(found).__name__}, not a class")
    return found
