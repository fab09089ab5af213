"""corengine: an open, plugin-based rules engine for Canadian COR and SECOR audits.

Plugins write ``from corengine import hookimpl``; products write ``from corengine import Engine``.
"""

from __future__ import annotations

from importlib import metadata

from .engine import Engine, LoadedAudit, Result
from .errors import CorengineError, DuplicateError, InputError, PluginError, Problem, UnknownStandardError
from .hookspecs import hookimpl, hookspec

try:
    __version__ = metadata.version("corengine")
except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "CorengineError",
    "DuplicateError",
    "Engine",
    "InputError",
    "LoadedAudit",
    "PluginError",
    "Problem",
    "Result",
    "UnknownStandardError",
    "__version__",
    "hookimpl",
    "hookspec",
]
