"""The plugin manager factory and a typed façade over ``pm.hook``.

No global manager: every :class:`~corengine._host.engine.Engine` builds its own, so embedding products and
tests can run with entry points off and plugins registered by hand.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import os
import re
import sys
import types
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs
import pluggy

from corengine import hookspecs
from corengine._host import defaults
from corengine._io import distributions as entrypoints
from corengine._util.records import Record
from corengine.errors import CorengineError, DuplicateError, InputError, PluginError
from corengine.model.vocabulary import CORE_PLUGIN

if TYPE_CHECKING:
    import click

    from corengine._rules.reuse import Reuse
    from corengine._rules.scoring import Problem, ScoringMethod
    from corengine.model import (
        Audit,
        AuditScore,
        EligibilityRequest,
        Finding,
        Jurisdiction,
        Outcome,
        Question,
        ResolvedStandard,
        Response,
        SamplePlan,
        Standard,
    )
    from corengine.model.data_files import DataFile
    from corengine.model.extensions import AuditExtension
    from corengine.model.lifecycle import IncentiveQuestion

DISABLE_ENV = "CORENGINE_DISABLE_PLUGINS"
"""Comma-separated plugin names (entry-point names, or ``corengine.defaults``) not to load."""

ONLY_ENV = "CORENGINE_PLUGINS"
"""Comma-separated entry-point names: when set, only these installed plugins are loaded (plugins passed by hand
and ``corengine.defaults`` are not affected). A test suite sets it to run against known plugins only, whatever
else is installed beside them."""

TRACE_ENV = "CORENGINE_TRACE"
"""Set to 1 to trace every hook call and result to stderr."""

DEFAULTS_NAME = CORE_PLUGIN

T = TypeVar("T")

ESCAPING = (Exception, SystemExit, KeyboardInterrupt)
"""What plugin code may raise that the engine catches and reports as a :class:`PluginError` naming the plugin:
every error, and the two exits, so a process embedding the library never exits because a plugin called
``sys.exit()`` or raised ``KeyboardInterrupt``. :class:`CorengineError` (bad input) passes through unchanged."""


class PluginWarning(UserWarning):
    """Something about the plugin set-up that does not stop the engine (an unknown name to disable)."""


@attrs.frozen(repr=False, eq=False)
class PluginInfo(Record):
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
    load_entrypoints: bool = True,
    plugins: Iterable[object] = (),
    environ: dict[str, str] | None = None,
    reuse: Reuse | None = None,
) -> tuple[pluggy.PluginManager, dict[str, tuple[str, str]]]:
    """A fresh manager: specs, the core defaults, entry points (only those :data:`ONLY_ENV` names when it is set,
    minus disabled ones), then ``plugins``. The core's defaults decide with ``reuse`` (the Engine's tables).

    :returns: the manager and, per plugin name, its (distribution, version).
    """
    env = os.environ if environ is None else environ
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    disabled = _names(env, DISABLE_ENV)
    only = _names(env, ONLY_ENV)
    for name in disabled:
        pm.set_blocked(name)
    distributions: dict[str, tuple[str, str]] = {}
    if DEFAULTS_NAME not in disabled:
        pm.register(defaults.Defaults(reuse), name=DEFAULTS_NAME)
        distributions[DEFAULTS_NAME] = ("corengine", entrypoints.VERSION)  # (read once, at import)
    if load_entrypoints:
        for entry in sorted(entrypoints.entry_points(hookspecs.PROJECT), key=lambda e: e.name):
            if pm.is_blocked(entry.name) or pm.has_plugin(entry.name) or (only and entry.name not in only):
                continue
            try:
                plugin = entry.load()
            except ESCAPING as exc:
                raise PluginError(
                    f"plugin {entry.name!r} ({entry.value}) failed to load: {type(exc).__name__}: {exc}",
                    plugin=entry.name,
                ) from exc
            _register(pm, plugin, entry.name)
            dist = entry.dist
            distributions[entry.name] = (dist.name, dist.version) if dist else ("-", "-")
    installed_names: dict[str, str] | None = None
    given: list[str] = []
    for plugin in plugins:
        if isinstance(plugin, types.ModuleType):
            # A plugin module registered by hand keeps its entry-point name, so findings read the same
            # whether the plugin runs in isolation or installed.
            if installed_names is None:
                installed_names = {e.value: e.name for e in entrypoints.entry_points(hookspecs.PROJECT)}
            name = installed_names.get(plugin.__name__, plugin.__name__)
        else:
            name = str(getattr(plugin, "name", type(plugin).__name__))
        given.append(name)
        if pm.is_blocked(name) or pm.is_registered(plugin):
            continue
        _register(pm, plugin, name)
        distributions.setdefault(name, ("-", "-"))
    if disabled:
        _warn_unknown(disabled, given, DISABLE_ENV)
    if only:
        _warn_unknown(only - {DEFAULTS_NAME}, given, ONLY_ENV)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise _contract_error(pm.get_name(exc.plugin) or repr(exc.plugin), exc) from exc
    if env.get(TRACE_ENV, "") not in ("", "0"):
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    return pm, distributions


def _names(env: Mapping[str, str], variable: str) -> set[str]:
    """The comma-separated names in an environment variable (blank items left out)."""
    return {name.strip() for name in env.get(variable, "").split(",") if name.strip()}


def _warn_unknown(names: set[str], given: list[str], variable: str) -> None:
    """Warn (:class:`PluginWarning`) about names in ``variable`` that no plugin has, listing those that
    exist: a misspelt name would otherwise leave a plugin running (or missing) without a word."""
    installed = {DEFAULTS_NAME, *given, *(e.name for e in entrypoints.entry_points(hookspecs.PROJECT))}
    unknown = sorted(names - installed)
    if unknown:
        shown = ", ".join(repr(name) for name in unknown)
        warnings.warn(
            f"{variable} names no installed plugin: {shown} (installed: {', '.join(sorted(installed))})",
            PluginWarning,
            stacklevel=3,
        )


def _register(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        pm.register(plugin, name=name)
    except ValueError as exc:
        raise PluginError(f"plugin {name!r} cannot be registered: {exc}") from exc
    except pluggy.PluginValidationError as exc:
        raise _contract_error(name, exc) from exc
    except CorengineError:
        raise
    except ESCAPING as exc:
        raise PluginError(f"plugin {name!r} cannot be registered: {_what(exc)}") from exc


def _contract_error(name: str, exc: pluggy.PluginValidationError) -> PluginError:
    detail = re.sub(r"\s+in plugin <.*?>$", "", str(exc).strip(), flags=re.S)
    detail = re.sub(r"^Plugin .*?\n", "", detail)
    return PluginError(f"plugin {name!r} does not fit the contract: {detail}")


def _what(exc: BaseException) -> str:
    """An exception as ``Type: message`` (just ``Type`` when it has no message, as ``KeyboardInterrupt``)."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _shown(value: Any, limit: int = 60) -> str:
    """A value a plugin returned, as its type and a short ``repr``, for a message."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{type(value).__name__} {text}"


def _is_path(item: Any) -> bool:
    return isinstance(item, (str, os.PathLike))


def _is_method(item: Any) -> bool:
    from corengine._rules.scoring import ScoringMethod

    return (
        isinstance(item, ScoringMethod)
        and isinstance(item.name, str)
        and callable(item.score)
        and callable(item.validate)
    )


def _is_problem(item: Any) -> bool:
    return (
        isinstance(item, tuple)
        and len(item) == 2
        and isinstance(item[0], (tuple, list))
        and all(isinstance(part, (str, int)) and not isinstance(part, bool) for part in item[0])
        and isinstance(item[1], str)
    )


def _is_command(item: Any) -> bool:
    import click

    return isinstance(item, click.Command) and isinstance(item.name, str) and bool(item.name)


def _instance(module: str, name: str) -> Callable[[Any], bool]:
    """A check that an item is an instance of the class ``name`` of ``corengine.<module>``, imported when the
    check first runs."""

    def check(item: Any) -> bool:
        return isinstance(item, getattr(importlib.import_module(f"corengine.{module}"), name))

    return check


RETURNS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "corengine_register_standards": (_is_path, "paths (str or pathlib.Path)"),
    "corengine_register_scoring_methods": (_is_method, "ScoringMethod objects"),
    "corengine_register_jurisdictions": (_instance("model.jurisdiction", "Jurisdiction"), "Jurisdiction objects"),
    "corengine_register_audit_extensions": (_instance("model.extensions", "AuditExtension"), "AuditExtension objects"),
    "corengine_register_data_files": (_instance("model.data_files", "DataFile"), "DataFile objects"),
    "corengine_register_commands": (_is_command, "named click.Command objects"),
    "corengine_validate_audit": (_is_problem, "(path, message) problems: a tuple of str|int and a str"),
    "corengine_review_outcome": (_instance("model.findings", "Finding"), "Finding objects"),
    "corengine_check_eligibility": (_instance("model.findings", "Finding"), "Finding objects"),
    "corengine_incentive_eligibility": (_instance("model.findings", "Finding"), "Finding objects"),
}
"""What each 1:N hook must return: a list (or tuple) whose every item passes the check, described for messages."""

SINGLE: dict[str, tuple[str, str]] = {
    "corengine_adjust_score": ("model.results", "AuditScore"),
    "corengine_decide_outcome": ("model.results", "Outcome"),
    "corengine_plan_sample": ("model.results", "SamplePlan"),
}
"""What each first-result hook must return, when it does not return None: the class, by its module (under
``corengine``) and name, imported when a hook first returns one (so registering plugins imports no record)."""


def _score_ok(value: Any) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], (Fraction, int))
        and not isinstance(value[0], bool)
        and isinstance(value[1], str)
    )


def _messages_ok(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value)


class Hooks:
    """Typed calls into the plugins; every failure names the plugin and the hook.

    Every call into plugin code goes through :meth:`_guard`: hooks, the ``score`` and ``validate`` of the
    scoring methods a plugin registers, and the commands it adds. An error there becomes a
    :class:`PluginError` naming the plugin and the hook; so do ``SystemExit`` and ``KeyboardInterrupt``, so an
    embedding process never exits because of a plugin. A :class:`CorengineError` (bad input, which the plugin
    found in the user's data) passes through unchanged. What a hook returns is checked against the type its
    spec declares, and a wrong type is a :class:`PluginError` naming the plugin.
    """

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self._routes: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, Any], ...]] = {}
        self._expected: dict[str, type] = {}
        """The caller of one plugin's implementation of a first-result hook, by hook, plugin and the names
        registered when it was made (building one costs more than the call)."""

    @contextmanager
    def _guard(self, where: str, plugin: str, passing: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
        """Run plugin code: report what escapes it as a :class:`PluginError` naming ``plugin`` and ``where``
        (``hook NAME``); :class:`CorengineError` and the exceptions in ``passing`` pass through."""
        try:
            yield
        except CorengineError:
            raise
        except ESCAPING as exc:
            if passing and isinstance(exc, passing):
                raise
            raise PluginError(f"plugin {plugin!r} failed in {where}: {_what(exc)}", plugin, where) from exc

    @staticmethod
    def _wrong(plugin: str, where: str, value: Any, expected: str) -> PluginError:
        return PluginError(f"plugin {plugin!r} returned {_shown(value)} from {where}; expected {expected}")

    def _check_list(self, plugin: str, hook: str, value: Any) -> list[Any]:
        check, what = RETURNS[hook]
        if not isinstance(value, (list, tuple)):
            raise self._wrong(plugin, f"hook {hook}", value, f"a list of {what}")
        for item in value:
            if not check(item):
                raise self._wrong(plugin, f"hook {hook}", item, f"a list of {what}, not one holding it")
        return list(value)

    def _registered(self) -> list[tuple[str, object]]:
        return [(name, plugin) for name, plugin in self.pm.list_name_plugin() if plugin is not None]

    def _route(self, hook: str, first: bool) -> tuple[tuple[str, Any], ...]:
        """Each plugin implementing ``hook`` with a caller of its implementation alone: in pluggy's calling order
        (``tryfirst`` first, ``trylast`` last, else the last registered first) for a ``first`` hook, else in
        registration order. One route per hook while the same plugins are registered."""
        names = tuple(name for name, plugin in self.pm.list_name_plugin() if plugin is not None)
        key = (hook, names) if first else (hook + " all", names)
        found = self._routes.get(key)
        if found is None:
            caller = getattr(self.pm.hook, hook)
            registered = self._registered()
            if first:
                order = [
                    impl.plugin_name
                    for impl in reversed(caller.get_hookimpls())
                    if not (impl.hookwrapper or impl.wrapper)
                ]
            else:
                implementing = {impl.plugin_name for impl in caller.get_hookimpls()}
                order = [name for name, _ in registered if name in implementing]
            found = self._routes[key] = tuple(
                (
                    name,
                    self.pm.subset_hook_caller(hook, remove_plugins=[p for other, p in registered if other != name]),
                )
                for name in order
            )
        return found

    def _call(self, hook: str, name: str, subset: Any, kwargs: dict[str, Any]) -> Any:
        """``subset(**kwargs)`` guarded as :meth:`_guard` does (written out: called several times per audit)."""
        try:
            return subset(**kwargs)
        except CorengineError:
            raise
        except ESCAPING as exc:
            where = f"hook {hook}"
            raise PluginError(f"plugin {name!r} failed in {where}: {_what(exc)}", name, where) from exc

    def _collect(self, hook: str, **kwargs: Any) -> list[tuple[str, list[Any]]]:
        """Call a 1:N hook plugin by plugin, so each result is paired with the plugin that returned it, and
        checked against the type the hook declares."""
        results = []
        for name, subset in self._route(hook, first=False):
            for result in self._call(hook, name, subset, kwargs):
                results.append((name, self._check_list(name, hook, result)))
        return results

    def _first(self, hook: str, **kwargs: Any) -> tuple[str, Any] | None:
        """Call a first-result hook plugin by plugin, in pluggy's order (``tryfirst`` first, ``trylast`` last,
        else the last registered first), until one returns something; check it and name who returned it."""
        expected = self._expected.get(hook)
        if expected is None:
            module, class_name = SINGLE[hook]
            expected = self._expected[hook] = getattr(importlib.import_module(f"corengine.{module}"), class_name)
        for name, subset in self._route(hook, first=True):
            result = self._call(hook, name, subset, kwargs)
            if result is None:
                continue
            if not isinstance(result, expected):
                raise self._wrong(name, f"hook {hook}", result, f"{expected.__name__} or None")
            return name, result
        return None

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
        found: dict[str, tuple[str, ScoringMethod]] = self._unique(
            "corengine_register_scoring_methods", "scoring method", lambda m: m.name
        )
        return {name: (plugin, self._guarded_method(plugin, method)) for name, (plugin, method) in found.items()}

    def _guarded_method(self, plugin: str, method: ScoringMethod) -> ScoringMethod:
        """``method`` with its ``score`` and ``validate`` run through :meth:`_guard` and their results checked."""
        hook = "corengine_register_scoring_methods"
        score_at = f"scoring method {method.name!r} score (hook {hook})"
        validate_at = f"scoring method {method.name!r} validate (hook {hook})"
        score, validate = method.score, method.validate

        # Called once per question of every audit: the guard is written out inline (the same handling as
        # :meth:`_guard`, without a context manager's cost), and the common result shapes are checked first.
        def guarded_score(question: Question, response: Response) -> tuple[Fraction, str]:
            try:
                value = score(question, response)
            except CorengineError:
                raise
            except ESCAPING as exc:
                raise PluginError(f"plugin {plugin!r} failed in {score_at}: {_what(exc)}") from exc
            common = type(value) is tuple and len(value) == 2 and type(value[0]) is Fraction and type(value[1]) is str
            if not (common or _score_ok(value)):
                raise self._wrong(plugin, score_at, value, "a (points, explanation) tuple: a Fraction and a str")
            return value

        def guarded_validate(question: Question, response: Response) -> list[str]:
            try:
                value = validate(question, response)
            except CorengineError:
                raise
            except ESCAPING as exc:
                raise PluginError(f"plugin {plugin!r} failed in {validate_at}: {_what(exc)}") from exc
            if type(value) is list and not value:
                return []
            if not _messages_ok(value):
                raise self._wrong(plugin, validate_at, value, "a list of str (problems with the response)")
            return list(value)

        check = method.check
        if check is None:
            return attrs.evolve(method, score=guarded_score, validate=guarded_validate)
        check_at = f"scoring method {method.name!r} check (hook {hook})"

        def guarded_check(question: Question, params: Any) -> list[str]:
            assert check is not None
            with self._guard(check_at, plugin):
                value = check(question, params)
            if not _messages_ok(value):
                raise self._wrong(plugin, check_at, value, "a list of str (problems with the params)")
            return list(value)

        return attrs.evolve(method, score=guarded_score, validate=guarded_validate, check=guarded_check)

    def jurisdictions(self) -> dict[str, tuple[str, Jurisdiction]]:
        return self._unique("corengine_register_jurisdictions", "jurisdiction", lambda j: j.code)

    def data_files(self) -> list[tuple[str, DataFile]]:
        """Every data file the plugins declare, with the plugin declaring it, in registration order."""
        return [(plugin, item) for plugin, items in self._collect("corengine_register_data_files") for item in items]

    def jurisdiction_errors(self) -> list[tuple[str, InputError]]:
        """Each plugin whose jurisdictions hook stops at an error in its input (a jurisdiction file that does not
        structure), with the error; the hook is called plugin by plugin, so one bad file does not hide another."""
        hook = "corengine_register_jurisdictions"
        implementing = {impl.plugin_name for impl in self.pm.hook.corengine_register_jurisdictions.get_hookimpls()}
        registered = self._registered()
        found: list[tuple[str, InputError]] = []
        for name in (name for name, _ in registered if name in implementing):
            others = [plugin for other, plugin in registered if other != name]
            try:
                with self._guard(f"hook {hook}", name):
                    self.pm.subset_hook_caller(hook, remove_plugins=others)()
            except InputError as exc:
                found.append((name, exc))
        return found

    def audit_extensions(self) -> dict[str, tuple[str, AuditExtension]]:
        return self._unique("corengine_register_audit_extensions", "audit extension", lambda x: x.name)

    def commands(self) -> dict[str, tuple[str, click.Command]]:
        found: dict[str, tuple[str, click.Command]] = self._unique(
            "corengine_register_commands", "command", lambda c: c.name or ""
        )
        return {name: (plugin, self._guarded_command(plugin, command)) for name, (plugin, command) in found.items()}

    def _guarded_command(self, plugin: str, command: click.Command) -> click.Command:
        from corengine._host.lazy_command import LazyCommand

        if isinstance(command, LazyCommand):
            name = command.name

            def load() -> click.Command:
                with self._guard(f"command {name!r} (hook corengine_register_commands)", plugin):
                    real = command.load()
                if not _is_command(real) or real.name != name:
                    raise self._wrong(
                        plugin, f"command {name!r} ({command.target})", real, f"a click.Command named {name!r}"
                    )
                return self._guarded_command(plugin, real)

            return command.with_loader(load)
        return self._guarded_one(plugin, command)

    def _guarded_one(self, plugin: str, command: click.Command) -> click.Command:
        """A copy of ``command`` whose parsing and invocation run through :meth:`_guard`. Click's own signals
        (usage errors, ``ctx.exit()``, abort) pass; ``sys.exit()`` inside the command does not."""
        import click

        passing = (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort)
        where = f"command {command.name!r} (hook corengine_register_commands)"
        guarded = copy.copy(command)
        kind = type(command)

        def invoke(ctx: click.Context) -> Any:
            with self._guard(where, plugin, passing):
                return kind.invoke(guarded, ctx)

        def parse_args(ctx: click.Context, args: list[str]) -> list[str]:
            with self._guard(where, plugin, passing):
                return kind.parse_args(guarded, ctx, args)

        guarded.invoke = invoke  # type: ignore[method-assign]
        guarded.parse_args = parse_args  # type: ignore[method-assign]
        return guarded

    def validate_audit(self, standard: Standard, audit: Audit) -> list[tuple[str, Problem]]:
        return [
            (plugin, (tuple(path), message))
            for plugin, problems in self._collect("corengine_validate_audit", standard=standard, audit=audit)
            for path, message in problems
        ]

    def adjust_score(
        self, resolved: ResolvedStandard, audit: Audit, score: AuditScore, strict: bool, rules_on: dt.date
    ) -> AuditScore:
        found = self._first(
            "corengine_adjust_score", resolved=resolved, audit=audit, score=score, strict=strict, rules_on=rules_on
        )
        return score if found is None else cast(AuditScore, found[1])

    def decide_outcome(
        self,
        resolved: ResolvedStandard,
        audit: Audit,
        score: AuditScore,
        strict: bool = False,
        rules_on: dt.date | None = None,
    ) -> Outcome:
        found = self._first(
            "corengine_decide_outcome",
            resolved=resolved,
            audit=audit,
            score=score,
            strict=strict,
            rules_on=rules_on or audit.audit_date,
        )
        if found is None:
            raise PluginError("no plugin decided the outcome (is corengine.defaults disabled?)")
        outcome: Outcome = found[1]
        return outcome

    def review_outcome(
        self,
        resolved: ResolvedStandard,
        audit: Audit,
        outcome: Outcome,
        strict: bool = False,
        rules_on: dt.date | None = None,
    ) -> list[Finding]:
        return [
            finding
            for plugin, findings in self._collect(
                "corengine_review_outcome",
                resolved=resolved,
                audit=audit,
                outcome=outcome,
                strict=strict,
                rules_on=rules_on or audit.audit_date,
            )
            for finding in (attrs.evolve(f, plugin=f.plugin or plugin) for f in findings)
        ]

    def incentive_eligibility(self, question: IncentiveQuestion) -> list[Finding]:
        """Each plugin's incentive findings for the registry's ``question``, with the plugin named."""
        return [
            finding
            for plugin, findings in self._collect("corengine_incentive_eligibility", question=question)
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
        found = self._first(
            "corengine_plan_sample", standard=standard, workers=workers, sites=sites, on=on, program=program
        )
        plan: SamplePlan | None = None if found is None else found[1]
        return plan

    def info(self, distributions: dict[str, tuple[str, str]]) -> list[PluginInfo]:
        infos = []
        for name, plugin in sorted(p for p in self.pm.list_name_plugin() if p[1] is not None):
            hooks = tuple(sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or []))
            dist, version = distributions.get(name, ("-", "-"))
            infos.append(PluginInfo(name, version, dist, hooks))
        return infos
