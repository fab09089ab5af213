"""Names a facade module loads on first use (PEP 562): ``corengine``, ``corengine.plugin`` and ``corengine.model``
list each public name with the module that defines it, and import that module only when the name is asked for."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    module: str,
    homes: Mapping[str, tuple[str, str]],
    namespace: dict[str, Any],
    submodules: bool = False,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of the module named ``module`` (whose globals are ``namespace``):
    ``homes`` maps each name to ``(defining module, name there)``; a name is imported on first use and kept in
    ``namespace``. With ``submodules``, an attribute that names no entry may be a submodule not imported yet
    (``corengine.model.converter``)."""

    def __getattr__(name: str) -> Any:
        try:
            home, attribute = homes[name]
        except KeyError:
            if submodules and not name.startswith("_"):
                try:
                    return importlib.import_module(f"{module}.{name}")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{module}.{name}":
                        raise
            raise AttributeError(f"module {module!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(home), attribute)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *homes})

    return __getattr__, __dir__
