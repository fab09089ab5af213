"""corengine: an open, plugin-based rules engine for Canadian COR and SECOR audits.

Plugins write ``from corengine import hookimpl`` (and the rest of their API from :mod:`corengine.plugin`);
products write ``from corengine import Engine``. Every name here is public; the folders whose names start with
``_`` are the engine's own and may change in any release (``docs/architecture.md`` draws them).

The names are loaded on first use (PEP 562), so ``import corengine`` costs only what a caller touches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corengine import _compat
from corengine._io.distributions import VERSION
from corengine._util.lazy import lazy_names

if TYPE_CHECKING:
    from corengine._batch.impact import Rescorer
    from corengine._batch.impact import run as run_impact
    from corengine._batch.runner import discover as discover_audits
    from corengine._batch.runner import run as run_batch
    from corengine._host.engine import Engine
    from corengine._rules.eligibility import Answer as EligibilityAnswer
    from corengine._rules.eligibility import ProgramAnswer
    from corengine._views.documents import result_document
    from corengine._views.payloads import SampleRequest
    from corengine._views.render import result_bytes, result_json
    from corengine.errors import CorengineError, DuplicateError, InputError, PluginError, Problem, UnknownStandardError
    from corengine.hookspecs import hookimpl, hookspec
    from corengine.model import Audit, EligibilityRequest, LoadedAudit, Outcome, Result
    from corengine.model.findings import Finding, Quantity

_compat.install()

__version__ = VERSION

_HOMES: dict[str, tuple[str, str]] = {
    "Audit": ("corengine.model", "Audit"),
    "CorengineError": ("corengine.errors", "CorengineError"),
    "DuplicateError": ("corengine.errors", "DuplicateError"),
    "EligibilityAnswer": ("corengine._rules.eligibility", "Answer"),
    "EligibilityRequest": ("corengine.model", "EligibilityRequest"),
    "Engine": ("corengine._host.engine", "Engine"),
    "Finding": ("corengine.model.findings", "Finding"),
    "InputError": ("corengine.errors", "InputError"),
    "LoadedAudit": ("corengine.model", "LoadedAudit"),
    "Outcome": ("corengine.model", "Outcome"),
    "PluginError": ("corengine.errors", "PluginError"),
    "Problem": ("corengine.errors", "Problem"),
    "ProgramAnswer": ("corengine._rules.eligibility", "ProgramAnswer"),
    "Quantity": ("corengine.model.findings", "Quantity"),
    "Rescorer": ("corengine._batch.impact", "Rescorer"),
    "Result": ("corengine.model", "Result"),
    "SampleRequest": ("corengine._views.payloads", "SampleRequest"),
    "UnknownStandardError": ("corengine.errors", "UnknownStandardError"),
    "discover_audits": ("corengine._batch.runner", "discover"),
    "hookimpl": ("corengine.hookspecs", "hookimpl"),
    "hookspec": ("corengine.hookspecs", "hookspec"),
    "result_bytes": ("corengine._views.render", "result_bytes"),
    "result_document": ("corengine._views.documents", "result_document"),
    "result_json": ("corengine._views.render", "result_json"),
    "run_batch": ("corengine._batch.runner", "run"),
    "run_impact": ("corengine._batch.impact", "run"),
}
"""Each public name: the module that defines it and its name there."""

__all__ = [
    "Audit",
    "CorengineError",
    "DuplicateError",
    "EligibilityAnswer",
    "EligibilityRequest",
    "Engine",
    "Finding",
    "InputError",
    "LoadedAudit",
    "Outcome",
    "PluginError",
    "Problem",
    "ProgramAnswer",
    "Quantity",
    "Rescorer",
    "Result",
    "SampleRequest",
    "UnknownStandardError",
    "__version__",
    "discover_audits",
    "hookimpl",
    "hookspec",
    "result_bytes",
    "result_document",
    "result_json",
    "run_batch",
    "run_impact",
]


__getattr__, __dir__ = lazy_names(__name__, _HOMES, globals())
