"""corengine: an open, plugin-based rules engine for Canadian COR and SECOR audits.

Plugins write ``from corengine import hookimpl``; products write ``from corengine import Engine``.
"""

from __future__ import annotations

from .document import result_document
from .engine import Engine
from .entrypoints import version
from .errors import CorengineError, DuplicateError, InputError, PluginError, Problem, UnknownStandardError
from .findings import Finding, Quantity
from .hookspecs import hookimpl, hookspec
from .model import Audit, LoadedAudit, Outcome, Result
from .render import result_json

__version__ = version("corengine") or "0+unknown"

__all__ = [
    "Audit",
    "CorengineError",
    "DuplicateError",
    "Engine",
    "Finding",
    "InputError",
    "LoadedAudit",
    "Outcome",
    "PluginError",
    "Problem",
    "Quantity",
    "Result",
    "UnknownStandardError",
    "__version__",
    "hookimpl",
    "hookspec",
    "result_document",
    "result_json",
]
