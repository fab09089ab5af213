"""The module paths of corengine 0.1, kept importable for one release (removed in 0.3.0).

Before 0.2 the core was one flat package: ``corengine.batch``, ``corengine.converter``, ``corengine.scoring`` and
56 more modules side by side. They now live in the layered folders (see ``docs/architecture.md``). A plugin or
program written against an old path keeps working: importing ``corengine.<old>`` gives a module whose every
attribute is read from the new home, with a ``DeprecationWarning`` that names the new path, as pytest and pluggy
do for moved names. :data:`MOVED` is the whole table; CHANGELOG.md lists the same moves for people.

This module imports nothing of corengine at import time, so ``corengine/__init__`` can install the finder first.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import warnings
from types import ModuleType
from typing import Any

REMOVED_IN = "0.3.0"

MOVED: dict[str, str] = {
    "batch": "corengine._batch.runner",
    "batch_formats": "corengine._batch.formats",
    "cache": "corengine._io.cache",
    "cli": "corengine._cli.main",
    "cli_batch": "corengine._cli.batch",
    "cli_mapping": "corengine._cli.mapping",
    "cli_plugin": "corengine._cli.plugin",
    "cli_report": "corengine._cli.report",
    "cli_serve": "corengine._cli.serve",
    "cli_types": "corengine._cli.params",
    "converter": "corengine.model.converter",
    "cycle": "corengine._rules.cycle",
    "dates": "corengine._util.dates",
    "defaults": "corengine._host.defaults",
    "document": "corengine._views.documents",
    "eligibility": "corengine._rules.eligibility",
    "engine": "corengine._host.engine",
    "entrypoints": "corengine._io.distributions",
    "escaping": "corengine._util.escaping",
    "evidence": "corengine.model.evidence_kinds",
    "evidence_index": "corengine._formats.evidence_index",
    "explain": "corengine._views.explain",
    "extensions": "corengine.model.extensions",
    "findings": "corengine.model.findings",
    "impact": "corengine._batch.impact",
    "loading": "corengine._io.loading",
    "mapping": "corengine._rules.readiness",
    "openapi": "corengine._http.openapi",
    "outcome": "corengine._rules.outcome",
    "output": "corengine._io.output",
    "payloads": "corengine._views.payloads",
    "pinning": "corengine._rules.pinning",
    "plan": "corengine._rules.action_plan",
    "plugin_check": "corengine._kit.check",
    "plugins": "corengine._host.manager",
    "pytest_plugin": "corengine.testing.pytest_plugin",
    "render": "corengine._views.render",
    "report": "corengine._views.report",
    "sampling": "corengine._rules.sampling",
    "scaffold": "corengine._kit.scaffold",
    "scenarios": "corengine.testing.scenarios",
    "schema": "corengine._views.schema",
    "scoring": "corengine._rules.scoring",
    "serve": "corengine._http.app",
    "standards": "corengine._rules.standards",
    "textlayout": "corengine._util.textlayout",
    "themes": "corengine.model.themes",
    "validation": "corengine._rules.audit_checks",
    "validators": "corengine.model.validators",
    "workbook": "corengine._formats.yaml_workbook",
    "xlsx": "corengine._formats.xlsx",
}
"""Old module name (under ``corengine.``) -> the module that holds its names now."""

PUBLIC: dict[str, str] = {
    "batch.discover": "corengine.discover_audits",
    "batch.run": "corengine.run_batch",
    "impact.Rescorer": "corengine.Rescorer",
    "impact.run": "corengine.run_impact",
    "engine.Engine": "corengine.Engine",
    "engine.Result": "corengine.Result",
    "engine.LoadedAudit": "corengine.LoadedAudit",
    "loading.load_file": "corengine.model.converter.load_file",
    "document.result_document": "corengine.result_document",
    "render.result_json": "corengine.result_json",
    "cli.cli": "corengine._cli.main.cli (run the ``corengine`` command instead)",
}
"""Where a documented name has a public home that is not simply its new module."""


ELSEWHERE: dict[str, str] = {"loading.load_file": "corengine.model.converter"}
"""Names that left their old module for another one (``load_file`` moved to the converter in 0.2)."""

SPLIT: dict[str, tuple[str, ...]] = {
    "serve": (
        "corengine._http.limits",
        "corengine._http.problems",
        "corengine._http.requests",
        "corengine._http.middleware",
        "corengine._http.server",
    ),
}
"""Old modules split in several: after :data:`MOVED`'s module, a name is looked for in these, in order."""


def _homes(old: str) -> tuple[str, ...]:
    return (MOVED[old], *SPLIT.get(old, ()))


def _find(old: str, name: str) -> tuple[str, Any]:
    """The module now holding ``corengine.<old>.<name>``, and the value; AttributeError when none has it."""
    for module in (ELSEWHERE[f"{old}.{name}"],) if f"{old}.{name}" in ELSEWHERE else _homes(old):
        found = importlib.import_module(module)
        if hasattr(found, name):
            return module, getattr(found, name)
    raise AttributeError(f"module 'corengine.{old}' has no attribute {name!r}")


def new_path(old: str, name: str, module: str) -> str:
    """The path to write instead of ``corengine.<old>.<name>``, found in ``module``."""
    return PUBLIC.get(f"{old}.{name}", f"{module}.{name}")


class _Moved:
    """Finds ``corengine.<old>`` for every old module and makes it a forwarding module (a meta path finder and
    its loader; not derived from ``importlib.abc``, whose import would cost every command start-up)."""

    def find_spec(
        self, fullname: str, path: Any = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        package, _, old = fullname.partition(".")
        if package != "corengine" or old not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)  # type: ignore[arg-type]  # a loader by protocol

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def get_code(self, fullname: str) -> Any:
        """``python -m corengine.<old>`` (``corengine.schema`` was run so): warn, then run the new module."""
        old = fullname.partition(".")[2]
        message = f"python -m {fullname} is deprecated; use python -m {MOVED[old]} (removed in {REMOVED_IN})"
        source = (
            "import runpy, warnings\n"
            f"warnings.warn({message!r}, DeprecationWarning, stacklevel=1)\n"
            f"runpy.run_module({MOVED[old]!r}, run_name='__main__', alter_sys=True)\n"
        )
        return compile(source, f"<{fullname}, moved to {MOVED[old]}>", "exec")

    def exec_module(self, module: ModuleType) -> None:
        old = module.__name__.partition(".")[2]
        target = MOVED[old]
        module.__doc__ = f"Deprecated: moved to {target} (this path is removed in {REMOVED_IN})."

        def __getattr__(name: str) -> Any:
            if name.startswith("__") and name.endswith("__"):
                raise AttributeError(name)
            module, value = _find(old, name)
            warnings.warn(
                f"corengine.{old}.{name} is deprecated; use {new_path(old, name, module)}"
                f" (corengine.{old} is removed in {REMOVED_IN})",
                DeprecationWarning,
                stacklevel=2,
            )
            return value

        def __dir__() -> list[str]:
            return sorted({name for module in _homes(old) for name in dir(importlib.import_module(module))})

        module.__getattr__ = __getattr__  # type: ignore[method-assign]
        module.__dir__ = __dir__  # type: ignore[method-assign]


def install() -> None:
    """Put the finder of old paths on ``sys.meta_path`` once (after the normal finders: a real module wins)."""
    if not any(isinstance(finder, _Moved) for finder in sys.meta_path):
        sys.meta_path.append(_Moved())
