"""The plugin manager factory and a typed façade over ``pm.hook``.

No global manager: every :class:`~corengine.engine.Engine` builds its own, so embedding products and
tests can run with entry points off and plugins registered by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pluggy

from . import defaults, hookspecs
from .errors import CorengineError, DuplicateError, PluginError
from .model import Audit, AuditScore, EligibilityRequest, Finding, Jurisdiction, Outcome, SamplePlan, Standard
from .scoring import Problem, ScoringMethod

if TYPE_CHECKING:
    import click

    from .standards import ResolvedStandard

DISABLE_ENV = "CORENGINE_DISABLE_PLUGINS"
"""Comma-separated plugin names (entry-point names, or ``corengine.defaults``) not to load."""

TRACE_ENV = "CORENGINE_TRACE"
"""Set to 1 to trace every hook call and result to stderr."""

DEFAULTS_NAME = "corengine.defaults"

T = TypeVar("T")


@attrs.frozen
class PluginInfo:
    """What ``corengine plugins`` shows about one registered plugin."""

    name: str
    """Registered name (the entry-point name for installed plugins)."""
    version: str
    """Its distribution's version, or ``-`` for plugins registered by hand."""
    distribution: str
    """Its distribution's name, or ``-``."""
    hooks: tuple[str, ...]
    """Hooks it implements."""


def get_plugin_manager(
    load_entrypoints: bool = True, plugins: Iterable[object] = (), environ: dict[str, str] | None = None
) -> tuple[pluggy.PluginManager, dict[str, tuple[str, str]]]:
    """A fresh manager: specs, the core defaults, entry points (minus disabled ones), then ``plugins``.

    :returns: the manager and, per plugin name, its (distribution, version).
    """
    env = os.environ if environ is None else environ
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    disabled = {name.strip() for name in env.get(DISABLE_ENV, "").split(",") if name.strip()}
    for name in disabled:
        pm.set_blocked(name)
    distributions: dict[str, tuple[str, str]] = {}
    if DEFAULTS_NAME not in disabled:
        pm.register(defaults, name=DEFAULTS_NAME)
        distributions[DEFAULTS_NAME] = ("corengine", _version("corengine"))
    if load_entrypoints:
        for entry in sorted(metadata.entry_points(group=hookspecs.PROJECT), key=lambda e: e.name):
            if pm.is_blocked(entry.name) or pm.has_plugin(entry.name):
                continue
            try:
                plugin = entry.load()
            except Exception as exc:
                raise PluginError(
                    f"plugin {entry.name!r} ({entry.value}) failed to load: {type(exc).__name__}: {exc}"
                ) from exc
            _register(pm, plugin, entry.name)
            dist = entry.dist
            distributions[entry.name] = (dist.name, dist.version) if dist else ("-", "-")
    installed_names: dict[str, str] | None = None
    for plugin in plugins:
        if isinstance(plugin, types.ModuleType):
            # A plugin module registered by hand keeps its entry-point name, so findings read the same
            # whether the plugin runs in isolation or installed.
            if installed_names is None:
                installed_names = {e.value: e.name for e in metadata.entry_points(group=hookspecs.PROJECT)}
            name = installed_names.get(plugin.__name__, plugin.__name__)
        else:
            name = str(getattr(plugin, "name", type(plugin).__name__))
        if pm.is_blocked(name) or pm.is_registered(plugin):
            continue
        _register(pm, plugin, name)
        distributions.setdefault(name, ("-", "-"))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise _contract_error(pm.get_name(exc.plugin) or repr(exc.plugin), exc) from exc
    if env.get(TRACE_ENV, "") not in ("", "0"):
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    return pm, distributions


def _register(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        pm.register(plugin, name=name)
    except ValueError as exc:
        raise PluginError(f"plugin {name!r} cannot be registered: {exc}") from exc
    except pluggy.PluginValidationError as exc:
        raise _contract_error(name, exc) from exc


def _contract_error(name: str, exc: pluggy.PluginValidationError) -> PluginError:
    detail = re.sub(r"\s+in plugin <.*?>$", "", str(exc).strip(), flags=re.S)
    detail = re.sub(r"^Plugin .*?\n", "", detail)
    return PluginError(f"plugin {name!r} does not fit the contract: {detail}")


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


class Hooks:
    """Typed calls into the plugins; every failure names the plugin and the hook."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    @contextmanager
    def _guard(self, hook: str) -> Iterator[None]:
        try:
            yield
        except CorengineError:
            raise
        except Exception as exc:
            raise PluginError(
                f"plugin {self._culprit(hook, exc)!r} failed in hook {hook}: {type(exc).__name__}: {exc}"
            ) from exc

    def _culprit(self, hook: str, exc: BaseException) -> str:
        impls = {impl.function.__code__: impl.plugin_name for impl in getattr(self.pm.hook, hook).get_hookimpls()}
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code in impls:
                return str(impls[tb.tb_frame.f_code])
            tb = tb.tb_next
        return "?"

    def _collect(self, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call a 1:N hook plugin by plugin, so each result is paired with the plugin that returned it."""
        caller = getattr(self.pm.hook, hook)
        implementing = {impl.plugin_name for impl in caller.get_hookimpls()}
        registered = [(name, plugin) for name, plugin in self.pm.list_name_plugin() if plugin is not None]
        results = []
        for name in (name for name, _ in registered if name in implementing):
            others = [plugin for other, plugin in registered if other != name]
            with self._guard(hook):
                for result in self.pm.subset_hook_caller(hook, remove_plugins=others)(**kwargs):
                    results.append((name, result))
        return results

    def _unique(self, hook: str, kind: str, key: Callable[[T], str]) -> dict[str, tuple[str, T]]:
        found: dict[str, tuple[str, T]] = {}
        for plugin, items in self._collect(hook):
            for item in items:
                ident = key(item)
                if ident in found:
                    raise DuplicateError(
                        f"{kind} {ident!r} is registered by both plugin {found[ident][0]!r} and plugin {plugin!r}"
                    )
                found[ident] = (plugin, item)
        return found

    def standards(self) -> dict[str, tuple[str, Path]]:
        return self._unique("corengine_register_standards", "standard", lambda p: Path(p).stem)

    def scoring_methods(self) -> dict[str, tuple[str, ScoringMethod]]:
        return self._unique("corengine_register_scoring_methods", "scoring method", lambda m: m.name)

    def jurisdictions(self) -> dict[str, tuple[str, Jurisdiction]]:
        return self._unique("corengine_register_jurisdictions", "jurisdiction", lambda j: j.code)

    def commands(self) -> dict[str, tuple[str, click.Command]]:
        return self._unique("corengine_register_commands", "command", lambda c: c.name or "")

    def validate_audit(self, standard: Standard, audit: Audit) -> list[tuple[str, Problem]]:
        return [
            (plugin, problem)
            for plugin, problems in self._collect("corengine_validate_audit", standard=standard, audit=audit)
            for problem in problems
        ]

    def decide_outcome(
        self, resolved: ResolvedStandard, audit: Audit, score: AuditScore, strict: bool = False
    ) -> Outcome:
        with self._guard("corengine_decide_outcome"):
            outcome = self.pm.hook.corengine_decide_outcome(resolved=resolved, audit=audit, score=score, strict=strict)
        if outcome is None:
            raise PluginError("no plugin decided the outcome (is corengine.defaults disabled?)")
        assert isinstance(outcome, Outcome)
        return outcome

    def review_outcome(
        self, resolved: ResolvedStandard, audit: Audit, outcome: Outcome, strict: bool = False
    ) -> list[Finding]:
        return [
            finding
            for plugin, findings in self._collect(
                "corengine_review_outcome", resolved=resolved, audit=audit, outcome=outcome, strict=strict
            )
            for finding in (attrs.evolve(f, plugin=f.plugin or plugin) for f in findings)
        ]

    def check_eligibility(
        self,
        request: EligibilityRequest,
        jurisdiction: Jurisdiction,
        standard_lookup: Callable[[str], Standard],
    ) -> list[Finding]:
        return [
            finding
            for plugin, findings in self._collect(
                "corengine_check_eligibility",
                request=request,
                jurisdiction=jurisdiction,
                standard_lookup=standard_lookup,
            )
            for finding in (attrs.evolve(f, plugin=f.plugin or plugin) for f in findings)
        ]

    def plan_sample(
        self, standard: Standard, workers: int, sites: int | None, on: dt.date, program: str | None = None
    ) -> SamplePlan | None:
        with self._guard("corengine_plan_sample"):
            plan = self.pm.hook.corengine_plan_sample(
                standard=standard, workers=workers, sites=sites, on=on, program=program
            )
        assert plan is None or isinstance(plan, SamplePlan)
        return plan

    def info(self, distributions: dict[str, tuple[str, str]]) -> list[PluginInfo]:
        infos = []
        for name, plugin in sorted(p for p in self.pm.list_name_plugin() if p[1] is not None):
            hooks = tuple(sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or []))
            dist, version = distributions.get(name, ("-", "-"))
            infos.append(PluginInfo(name, version, dist, hooks))
        return infos
