"""The library entry point: one object that finds standards, validates, scores and decides.

An :class:`Engine` owns its plugin manager and caches; creating one has no side effects beyond reading
entry points (which can be switched off for embedding and tests).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import attrs

from corengine._host.manager import DEFAULTS_NAME, Hooks, PluginInfo, get_plugin_manager
from corengine.errors import CorengineError, InputError, Problem, UnknownStandardError

FILE_PLUGIN = "<file>"

if TYPE_CHECKING:
    from corengine._io.loading import (
        Early,
        LineMap,
    )
    from corengine._rules.decision import DecisionHooks
    from corengine._rules.eligibility import Answer
    from corengine._rules.scoring import ScoringMethod
    from corengine.model import (
        Audit,
        EligibilityRequest,
        Jurisdiction,
        LoadedAudit,
        ResolvedStandard,
        Result,
        SamplePlan,
        Standard,
        StandardSource,
    )
    from corengine.model.data_files import DataFile
    from corengine.model.extensions import AuditExtension
    from corengine.model.findings import Finding


class Engine:
    """Scores, explains and validates audits against the standards the plugins provide."""

    def __init__(
        self,
        plugins: Iterable[object] = (),
        load_entrypoints: bool = True,
        environ: dict[str, str] | None = None,
        reuse: bool = True,
    ) -> None:
        from corengine._rules.reuse import Reuse

        self.reuse = Reuse() if reuse else Reuse.off()
        """What this Engine keeps between audits: compiled standards, pure methods' results, shared responses
        (:class:`~corengine._rules.reuse.Reuse`); it goes with the Engine. ``reuse=False`` keeps no result
        between audits (the same results, computed afresh each time)."""
        self.pm, self._distributions = get_plugin_manager(load_entrypoints, plugins, environ, self.reuse)
        self.hooks = Hooks(self.pm)
        self._sources: dict[str, StandardSource] | None = None
        self._extra: dict[str, StandardSource] = {}
        self._resolved: dict[str, ResolvedStandard] = {}
        self._methods: dict[str, ScoringMethod] | None = None
        self._extensions: dict[str, AuditExtension] | None = None
        self._jurisdictions: dict[str, tuple[str, Jurisdiction]] | None = None

    # ------------------------------------------------------------------ plugins and standards

    def plugins(self) -> list[PluginInfo]:
        """Registered plugins with version and hooks."""
        return self.hooks.info(self._distributions)

    def sources(self) -> dict[str, StandardSource]:
        """Every standard id known, with its file and plugin (files are not read)."""
        from corengine._rules.standards import source_from_path

        if self._sources is None:
            self._sources = {
                ident: source_from_path(Path(path), plugin) for ident, (plugin, path) in self.hooks.standards().items()
            }
        return {**self._sources, **self._extra}

    def add_standard_file(self, path: str | Path) -> Standard:
        """Use a standard from a file that no plugin installs (a partner drafting its document)."""
        from corengine._rules.standards import resolve
        from corengine.model import StandardSource

        source = StandardSource("", Path(path), FILE_PLUGIN)
        standard = resolve(source, self._lookup, methods=self.methods()).standard
        source = attrs.evolve(source, id=standard.id)
        earlier = self._extra.get(standard.id)
        if earlier is not None and not _same_file(earlier.path, source.path):
            raise CorengineError(
                f"{path}: standard {standard.id!r} is also given by {earlier.path}; give one file per standard"
            )
        self._extra[standard.id] = source
        self._resolved.pop(standard.id, None)
        return standard

    def _lookup(self, ident: str) -> StandardSource:
        sources = self.sources()
        if ident not in sources:
            known = ", ".join(sorted(sources)) or "none"
            raise UnknownStandardError(f"unknown standard {ident!r} (installed: {known})")
        return sources[ident]

    def resolve(self, ident: str) -> ResolvedStandard:
        """The standard ``ident`` with every ``extends`` applied (cached)."""
        from corengine._rules.standards import resolve

        if ident not in self._resolved:
            self._resolved[ident] = resolve(self._lookup(ident), self._lookup, methods=self.methods())
        return self._resolved[ident]

    def standard(self, ident: str) -> Standard:
        return self.resolve(ident).standard

    def methods(self) -> dict[str, ScoringMethod]:
        if self._methods is None:
            self._methods = {name: method for name, (_, method) in self.hooks.scoring_methods().items()}
        return self._methods

    def audit_extensions(self) -> dict[str, AuditExtension]:
        """The audit extension fields plugins register, by name (``extensions: {NAME: {...}}`` in an audit)."""
        if self._extensions is None:
            self._extensions = {name: ext for name, (_, ext) in self.hooks.audit_extensions().items()}
        return self._extensions

    def jurisdictions(self) -> dict[str, tuple[str, Jurisdiction]]:
        """Provinces by code, with the plugin that registered each (read from the plugins once per Engine, as the
        methods are: every audit's program-size step looks its jurisdiction up)."""
        if self._jurisdictions is None:
            self._jurisdictions = self.hooks.jurisdictions()
        return self._jurisdictions

    def data_files(self) -> list[tuple[str, DataFile]]:
        """The data files the plugins declare (jurisdiction files and their own), with the plugin declaring each;
        nothing is read (``corengine plugin check`` reads them)."""
        return self.hooks.data_files()

    # ------------------------------------------------------------------ audits

    def load_audit(self, path: str | Path) -> LoadedAudit:
        """Read an audit workbook (YAML or JSON; ``-`` for stdin; a spreadsheet when the file is a zip archive or
        its name ends in ``.xlsx``; an ``.ods``, ``.xls`` or ``.csv`` is refused, saying what to save instead).

        A file that does not structure raises :class:`InputError` with every problem found in one pass: its
        structure and every check against the standard that can run on the rest (see :func:`read_audit`).
        """
        from corengine._io.loading import read_bytes

        raw, source = read_bytes(path)
        return self._load_raw(raw, source)

    def load_audit_bytes(self, data: bytes | BinaryIO, name: str) -> LoadedAudit:
        """Read an audit from bytes or a binary stream (an upload); ``name`` is the file name the user gave, and
        messages name it. The content chooses the format with the name (:func:`input_format`): a zip archive is a
        spreadsheet whatever its name, else ``.json`` is JSON and anything else YAML.

        The same limits and checks as :meth:`load_audit` apply; nothing touches the file system.
        """
        from corengine._io.loading import MAX_BYTES, check_size

        if not isinstance(data, bytes):
            data = data.read(MAX_BYTES + 1)
        check_size(data, name)
        return self._load_raw(data, name)

    def _load_raw(self, raw: bytes, name: str) -> LoadedAudit:
        from corengine._io.loading import decode_text, input_format, parse_checked

        if input_format(raw, name) == "xlsx":
            from corengine._formats.xlsx import read_workbook_checked

            notes: list[Finding] = []
            fields, source, cells, early = read_workbook_checked(
                name, raw, standards=self.standard, extensions=self.audit_extensions(), notes=notes
            )
            return attrs.evolve(self._read_audit(fields, source, cells, early), notes=tuple(notes))
        parsed, lines, early = parse_checked(decode_text(raw, name), name, mapping=True)
        return self._read_audit(parsed, name, lines, early)

    def audit_from_data(
        self, data: Mapping[str, Any], source: str = "<data>", lines: LineMap | None = None
    ) -> LoadedAudit:
        """Structure an audit from plain data (as JSON would give it). Any mapping will do (a
        ``types.MappingProxyType``, a read-only view), at any depth; a value of the wrong kind anywhere (a float
        key, ``10**5000`` points, an object) is an :class:`InputError` naming its path, as in a file."""
        return self._read_audit(plain_data(data), source, lines or {}, [])

    def _read_audit(self, data: Any, source: str, lines: LineMap, early: Early) -> LoadedAudit:
        from corengine._rules.audit_checks import read_audit
        from corengine.model import LoadedAudit

        audit = read_audit(data, source, lines, early, self.standard, self.methods, self.audit_extensions, self.reuse)
        return LoadedAudit(audit, source, lines)

    def problems(self, loaded: LoadedAudit) -> list[Problem]:
        """Every problem with the audit against its standard, as located records (empty when valid)."""
        from corengine._io.loading import located
        from corengine._rules.audit_checks import validate_audit

        audit = loaded.audit
        try:
            standard = self.standard(audit.standard)
        except UnknownStandardError as exc:
            return [located(loaded.source, loaded.lines, ("standard",), str(exc))]
        found = validate_audit(standard, audit, self.methods(), self.reuse)
        found += [p for _, p in self.hooks.validate_audit(standard, audit)]
        return [located(loaded.source, loaded.lines, path, message) for path, message in found]

    def check(self, loaded: LoadedAudit) -> None:
        """Raise :class:`InputError` listing every problem, or return when the audit is valid."""
        found = self.problems(loaded)
        if found:
            raise InputError(found)

    def score(self, loaded: LoadedAudit | Audit, strict: bool = False, rules_on: dt.date | None = None) -> Result:
        """Validate, score and decide; raises :class:`InputError` on an invalid audit.

        A shortfall against a rule value of confidence L is an advisory that does not fail the audit;
        ``strict`` makes every advisory a failure. ``rules_on`` judges the audit by the rules in force on that
        date instead of its audit date (its own dates still count for deadlines and certificates; see
        :mod:`corengine._rules.pinning`).
        """
        from corengine._rules.audit_checks import program_of
        from corengine._rules.decision import decide_audit
        from corengine._rules.scoring import apply_score_rules, score_audit
        from corengine.model import Audit, LoadedAudit, Result

        if isinstance(loaded, Audit):
            loaded = LoadedAudit(loaded, "<audit>")
        self.check(loaded)
        audit = loaded.audit
        resolved = self.resolve(audit.standard)
        pinned = None
        if rules_on is not None:
            from corengine._rules.pinning import pin

            pinned = pin(resolved, rules_on, audit.audit_date)
        if pinned is not None:
            resolved = pinned.resolved
        on = rules_on or audit.audit_date
        score = score_audit(resolved.standard, audit, program_of(resolved.standard, audit), self.methods(), self.reuse)
        score = apply_score_rules(resolved.standard, score, audit.audit_type, on, strict)
        score = self.hooks.adjust_score(resolved, audit, score, strict, on)
        outcome = decide_audit(resolved, audit, score, strict, self._decision_hooks(), pinned, rules_on)
        if loaded.notes:  # how the file was read (a formula's saved value used): info, after the verdicts
            outcome = attrs.evolve(outcome, reasons=(*outcome.reasons, *loaded.notes))
        return Result(audit, resolved, score, outcome)

    def _decision_hooks(self) -> DecisionHooks:
        from corengine._rules.decision import DecisionHooks

        return DecisionHooks(
            self.hooks.decide_outcome, self.hooks.review_outcome, self.hooks.plan_sample, self.jurisdictions().get
        )

    # ------------------------------------------------------------------ employer questions

    def eligibility(self, request: EligibilityRequest) -> list[Finding]:
        """Which program applies and whether an audit may start, from the province's plugins."""
        jurisdictions = self.jurisdictions()
        code = request.province.upper()
        if code not in jurisdictions:
            known = ", ".join(sorted(jurisdictions)) or "none"
            raise UnknownStandardError(f"no installed plugin covers province {request.province!r} (covered: {known})")
        plugin, jurisdiction = jurisdictions[code]
        findings = self.hooks.check_eligibility(attrs.evolve(request, province=code), jurisdiction, self.standard)
        return [attrs.evolve(f, plugin=plugin) if f.plugin == DEFAULTS_NAME else f for f in findings]

    def eligibility_answer(self, request: EligibilityRequest) -> Answer:
        """:meth:`eligibility` grouped per program: whether the size qualifies and whether an audit may start."""
        from corengine._rules.eligibility import answer

        findings = self.eligibility(request)
        return answer(request.province.upper(), request.on or dt.date.today(), findings)

    def sample(
        self, ident: str, workers: int, sites: int | None = None, on: dt.date | None = None, program: str | None = None
    ) -> SamplePlan:
        """Minimum interviews, sites and questionnaires for an audit of ``ident``."""
        resolved = self.resolve(ident)
        if program is not None and program not in resolved.standard.programs:
            raise UnknownStandardError(
                f"{ident} has no program {program!r} (programs: {', '.join(resolved.standard.programs)})"
            )
        plan = self.hooks.plan_sample(resolved.standard, workers, sites, on or dt.date.today(), program)
        if plan is None:
            raise UnknownStandardError(f"{ident} publishes no sampling table and no plugin plans its samples")
        return attrs.evolve(
            plan,
            reasons=tuple(
                attrs.evolve(f, plugin=resolved.source.plugin) if f.plugin == DEFAULTS_NAME else f for f in plan.reasons
            ),
        )


__all__ = ["Engine"]


def plain_data(data: Any) -> Any:
    """``data`` as the reader takes it: a ``dict`` as it is; any other top-level mapping (a read-only view) copied
    with every mapping below made a ``dict`` and every list or tuple a ``list``, as JSON gives them (other values
    are kept: the reader judges them). Shared and cyclic parts stay shared (a memo, as :func:`copy.deepcopy`
    keeps); the walk uses its own stack, so no nesting depth overflows it."""
    if type(data) is dict or not isinstance(data, Mapping):
        # A dict as JSON gives it (the usual case) is read as it is: the reader takes any mapping below the top
        # (tested), and a copy of every audit would cost more than scoring it.
        return data
    memo: dict[int, Any] = {}

    def copied(value: Any) -> Any:
        """The copy of ``value``, its items filled in later."""
        if id(value) in memo:
            return memo[id(value)]
        if isinstance(value, Mapping):
            memo[id(value)] = {}
        elif isinstance(value, list | tuple):
            memo[id(value)] = []
        else:
            return value
        pending.append(value)
        return memo[id(value)]

    pending: list[Any] = []
    top = copied(data)
    while pending:
        value = pending.pop()
        target = memo[id(value)]
        if isinstance(value, Mapping):
            for key, item in value.items():
                target[key] = copied(item)
        else:
            target.extend(copied(item) for item in value)
    return top


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (the same file given twice is one standard, not two)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)
