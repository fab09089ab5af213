"""YAML scenario tests for every plugin package, collected by pytest (``docs/scenarios.md``).

A file is a scenario file when it is named ``test_*.yaml`` (or ``.yml``) **and** has a top-level ``scenarios:``
key; any other YAML file, such as another project's ``test_config.yaml``, is left alone without a word. The ini
option ``corengine_scenarios = off`` turns collection off for a project.

A scenario has a full-sentence name, one subject (``audit``, ``eligibility``, ``sample`` or ``command``) and an
``expect`` block. The whole file is read before any scenario runs (:mod:`corengine.testing.scenarios`): an unknown key
at any level fails the file with a message naming the closest known key. The scenarios of one file share one
engine, built when the first of them runs: with only the plugins ``plugins:`` names (entry points off), or
with everything installed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import os
import warnings
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from corengine._host.engine import Engine
from corengine._io.loading import MAX_BYTES, parse, read_text
from corengine._rules.scoring import format_percent
from corengine.errors import CorengineError, InputError
from corengine.model import EligibilityRequest, Result
from corengine.model.converter import unstructure
from corengine.model.findings import Finding
from corengine.testing.scenarios import (
    FINDING_KEYS,
    LEGACY_FINDING_KEYS,
    SUBJECTS,
    UNSET,
    AuditExpect,
    AuditSubject,
    CommandExpect,
    CommandSubject,
    EligibilityExpect,
    SampleExpect,
    SampleSubject,
    Scenario,
    ScenarioError,
    build_audit,
    declares_scenarios,
    deep_merge,
    expected_values,
    finding_row,
    matcher,
    matches,
    read_scenario_file,
    safe_name,
)
from corengine.testing.scenarios import ScenarioFile as ScenarioRecords

INI = "corengine_scenarios"
"""The ini option: ``declared`` (the default: files with a top-level ``scenarios:`` key) or ``off``."""
MODES = ("declared", "off")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        INI,
        "corengine scenario files: 'declared' collects test_*.yaml files with a top-level 'scenarios:' key; "
        "'off' collects none",
        default="declared",
    )


def _mode(config: pytest.Config) -> str:
    mode = str(config.getini(INI)).strip() or "declared"
    if mode not in MODES:
        raise pytest.UsageError(f"{INI} = {mode!r}: expected one of {', '.join(MODES)}")
    return mode


def pytest_configure(config: pytest.Config) -> None:
    _mode(config)


def is_scenario_file(file_path: Path) -> bool:
    """Whether ``file_path`` is a scenario file: named ``test_*.yaml``/``.yml`` with a top-level ``scenarios:``."""
    if file_path.suffix not in (".yaml", ".yml") or not file_path.name.startswith("test_"):
        return False
    try:
        with open(file_path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        return False
    return declares_scenarios(raw)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if _mode(parent.config) == "off" or not is_scenario_file(file_path):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


MAX_FINDINGS_SHOWN = 30
"""The most findings a failing scenario lists (failing and advisory ones first); the rest are counted."""
MAX_ELEMENTS_SHOWN = 30
"""The most element scores a failing audit scenario lists."""
_FIRST = {"fail": 0, "advisory": 1}


def findings_summary(findings: tuple[Finding, ...]) -> str:
    """The findings, one per line (``check status 'subject': message``), failing then advisory ones first, at
    most :data:`MAX_FINDINGS_SHOWN`: what a failing scenario prints so its author sees why."""
    if not findings:
        return "findings: none"
    ordered = sorted(findings, key=lambda f: _FIRST.get(f.status, 2))
    lines = [
        f"  {safe_name(f.check)} {f.status} {safe_name(f.subject)!r}: {safe_name(f.message)}"
        for f in ordered[:MAX_FINDINGS_SHOWN]
    ]
    more = len(ordered) - MAX_FINDINGS_SHOWN
    if more > 0:
        lines.append(f"  ... and {more} more")
    return f"findings ({len(findings)}, failing and advisory first):\n" + "\n".join(lines)


def audit_summary(result: Result) -> str:
    """What an audit scenario measured: the outcome, the overall and each element's points and percent (half up to
    2 places, as tables show them), then :func:`findings_summary`."""
    outcome, score = result.outcome, result.score
    certificate = "none" if outcome.certificate is None else safe_name(outcome.certificate)
    lines = [
        f"measured: passed {str(outcome.passed).lower()}, certificate {certificate}, "
        f"overall {score.earned}/{score.available} = {format_percent(score.percent)}"
    ]
    elements = [
        f"{safe_name(e.id)} {e.earned}/{e.available} = {format_percent(e.percent)}"
        + ("" if e.counted else " (not counted)")
        for e in score.elements[:MAX_ELEMENTS_SHOWN]
    ]
    more = len(score.elements) - MAX_ELEMENTS_SHOWN
    if more > 0:
        elements.append(f"... and {more} more")
    lines.append(f"elements: {'; '.join(elements) or 'none'}")
    lines.append(findings_summary(outcome.reasons))
    return "\n".join(lines)


class ScenarioFile(pytest.File):
    """One scenario file: read whole and strictly, its scenarios sharing one engine."""

    records: ScenarioRecords
    _engine: Engine | None = None

    def collect(self) -> Iterator[pytest.Item]:
        text, source = read_text(self.path)
        data, lines = parse(text, source)
        self.records = read_scenario_file(data, source, lines)
        for scenario in self.records.scenarios:
            yield ScenarioItem.from_parent(self, name=safe_name(scenario.name), scenario=scenario)

    def new_engine(self) -> Engine:
        """An engine as the file asks: its ``plugins`` only (entry points off) or everything installed, plus its
        ``standard_files``."""
        if self.records.plugins:
            modules = []
            for index, name in enumerate(self.records.plugins):
                try:
                    modules.append(importlib.import_module(name))
                except Exception as exc:  # a typo'd or broken module: one line naming it, not a traceback
                    raise ScenarioError(
                        f"{self.path.name}: plugins[{index}]: cannot import {name!r}: {type(exc).__name__}: {exc}"
                    ) from None
            engine = Engine(plugins=modules, load_entrypoints=False)
        else:
            engine = Engine()
        for name in self.records.standard_files:
            engine.add_standard_file(self.path.parent / name)
        return engine

    def engine(self) -> Engine:
        """The file's engine, built once for all its scenarios."""
        if self._engine is None:
            self._engine = self.new_engine()
        return self._engine

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioError | CorengineError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


class ScenarioItem(pytest.Item):
    """One scenario, run against its file's engine."""

    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    @property
    def file(self) -> ScenarioFile:
        parent = self.parent
        assert isinstance(parent, ScenarioFile)
        return parent

    def runtest(self) -> None:
        spec, expect = self.scenario.spec, self.scenario.expect
        if isinstance(spec, AuditSubject) and isinstance(expect, AuditExpect):
            self._run_audit(spec, expect)
        elif isinstance(spec, EligibilityRequest) and isinstance(expect, EligibilityExpect):
            self._run_eligibility(spec, expect)
        elif isinstance(spec, SampleSubject) and isinstance(expect, SampleExpect):
            self._run_sample(spec, expect)
        elif isinstance(spec, CommandSubject) and isinstance(expect, CommandExpect):
            self._run_command(spec, expect)
        else:  # pragma: no cover - read_scenario_file pairs them
            raise ScenarioError(f"a {self.scenario.subject} scenario with {type(expect).__name__}")

    # ------------------------------------------------------------------ subjects

    def _run_audit(self, spec: AuditSubject, expect: AuditExpect) -> None:
        data: Any = {}
        if spec.base is not UNSET:
            text, source = read_text(self.path.parent / str(spec.base))
            data, _ = parse(text, source)
        data = build_audit(data, spec.replace or (), spec.changes or {})
        engine = self.file.engine()
        try:
            result = engine.score(
                engine.audit_from_data(data, f"{self.path.name}[{self.name}]"), strict=bool(spec.strict)
            )
        except InputError as exc:
            if expect.errors is UNSET:
                raise
            for wanted in expect.errors:
                if not any(str(wanted) in str(line) for line in exc.problems):
                    raise ScenarioError(f"no error contains {wanted!r}; errors were:\n{exc}") from None
            return
        try:
            self._check_audit(result, expect)
        except ScenarioError as exc:  # what failed, then what was measured and found, so the author sees why
            raise ScenarioError(f"{exc}\n{audit_summary(result)}") from None

    def _check_audit(self, result: Result, expect: AuditExpect) -> None:
        if expect.errors is not UNSET:
            raise ScenarioError(f"expected errors {expect.errors}, but the audit scored")
        outcome, score = result.outcome, result.score
        actual = {
            "passed": outcome.passed,
            "certificate": outcome.certificate,
            "certificate_months": outcome.certificate_months,
            "valid_until": outcome.valid_until.isoformat() if outcome.valid_until else None,
            "overall": f"{score.earned}/{score.available}",
            "percent": None if score.percent is None else float(round(score.percent, 2)),
        }
        for key, value in expected_values(expect).items():
            self._same(key, actual[key], value)
        for element_id, wanted in (expect.elements or {}).items():
            element = next((e for e in score.elements if e.id == element_id), None)
            if element is None:
                raise ScenarioError(f"no element {element_id!r} in the score")
            got = {
                "earned": str(element.earned),
                "available": str(element.available),
                "percent": None if element.percent is None else float(round(element.percent, 2)),
            }
            for key, value in expected_values(wanted).items():
                self._same(f"elements[{element_id}].{key}", got[key], str(value) if key != "percent" else value)
        for qid, wanted in (expect.questions or {}).items():
            question = next((q for e in score.elements for q in e.questions if q.id == qid), None)
            if question is None:
                raise ScenarioError(f"no question {qid!r} in the score")
            got = {"earned": str(question.earned), "available": str(question.available), "status": question.status}
            for key, value in expected_values(wanted).items():
                self._same(f"questions[{qid}].{key}", got[key], str(value) if key != "status" else value)
        self._findings(outcome.reasons, expect.findings, expect.no_findings)

    def _run_eligibility(self, request: EligibilityRequest, expect: EligibilityExpect) -> None:
        answer = self.file.engine().eligibility_answer(request)
        try:
            if expect.programs is not UNSET:
                programs = [p.program for p in answer.programs if p.size == "pass"]
                self._same("programs", programs, expect.programs)
            if expect.may_start is not UNSET:
                starts = {p.program: p.may_start for p in answer.programs}
                self._same("may_start", starts, expect.may_start)
            self._findings(answer.findings, expect.findings, expect.no_findings)
        except ScenarioError as exc:
            measured = "; ".join(f"{p.program} size {p.size}, may start {p.may_start}" for p in answer.programs)
            raise ScenarioError(f"{exc}\nprograms: {measured or 'none'}\n{findings_summary(answer.findings)}") from None

    def _run_sample(self, spec: SampleSubject, expect: SampleExpect) -> None:
        on = None if spec.on is UNSET else dt.date.fromisoformat(str(spec.on))
        sites = None if spec.sites is UNSET else spec.sites
        program = None if spec.program is UNSET else spec.program
        plan = self.file.engine().sample(str(spec.standard), spec.workers, sites, on, program)
        got = unstructure(plan)
        try:
            for key, value in expected_values(expect).items():
                self._same(key, got[key], value)
            self._findings(plan.reasons, expect.findings, expect.no_findings)
        except ScenarioError as exc:
            measured = ", ".join(f"{key} {got[key]}" for key in got if key != "reasons")
            raise ScenarioError(f"{exc}\nplan: {measured}\n{findings_summary(plan.reasons)}") from None

    def _run_command(self, spec: CommandSubject, expect: CommandExpect) -> None:
        from click.testing import CliRunner

        from corengine._cli.main import Context, cli

        context = Context()
        if self.file.records.plugins or self.file.records.standard_files:
            context._engine = self.file.new_engine()  # a command may add standard files: its own engine
        # What a command says is checked, not how it is laid out: lines wide enough never to wrap or be cut.
        wide = {"COLUMNS": "10000"}
        folder = self.path.parent
        args = [self._command_arg(index, str(arg), folder) for index, arg in enumerate(spec.args)]
        # Paths are the scenario file's, as its audit base is: the command runs in the scenario file's folder.
        with contextlib.chdir(folder):
            result = CliRunner().invoke(cli, args, env=wide, obj=context, catch_exceptions=False)
        wanted_code = 0 if expect.exit_code is UNSET else expect.exit_code
        if result.exit_code != wanted_code:
            raise ScenarioError(
                f"exit_code: expected {wanted_code!r}, got {result.exit_code!r}; output was:\n{result.output}"
            )
        for text in expect.output_contains or []:
            if str(text) not in result.output:
                raise ScenarioError(f"output lacks {text!r}; output was:\n{result.output}")

    def _command_arg(self, index: int, arg: str, folder: Path) -> str:
        """A command argument, as given where it is not a path found only from the working directory. Such a path
        (how scenarios read paths before 0.2) is made absolute, with a warning naming the scenario-relative form."""
        option, equals, given = arg.partition("=") if arg.startswith("-") else ("", "", arg)
        if (arg.startswith("-") and not equals) or given in ("", "-") or os.path.isabs(given):
            return arg  # an option without a value (its value is the next argument), standard input, absolute
        if (folder / given).exists() or not Path(given).is_file():
            return arg
        found = Path(given).resolve()
        new = os.path.relpath(found, folder)
        warnings.warn_explicit(  # at the scenario's line: the file to change
            f"{self.name}: args[{index}]: {given!r} is found from the working directory, not the scenario file's "
            f"folder; paths relative to the working directory are deprecated; use the path relative to the scenario "
            f"file: {new!r}",
            DeprecationWarning,
            str(self.path),
            self.scenario.line or 0,
        )
        return f"{option}={found}" if equals else str(found)

    # ------------------------------------------------------------------ checks

    @staticmethod
    def _same(what: str, got: Any, wanted: Any) -> None:
        if isinstance(wanted, float | int) and not isinstance(wanted, bool) and isinstance(got, Fraction):
            got = float(got)
        if got != wanted:
            raise ScenarioError(f"{what}: expected {wanted!r}, got {got!r}")

    @staticmethod
    def _findings(findings: tuple[Finding, ...], wanted: Any, unwanted: Any) -> None:
        rows = [finding_row(f) for f in findings]
        for match in wanted or ():
            if not any(matches(row, match) for row in rows):
                raise ScenarioError(f"no finding matches {match}")
        for match in unwanted or ():
            if any(matches(row, match) for row in rows):
                raise ScenarioError(f"a finding matches {match}, which should not be")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioError | CorengineError):
            return f"{self.path.name}: {self.name}\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        line = self.scenario.line
        return self.path, (line - 1 if line else 0), f"scenario: {self.name}"


__all__ = [
    "FINDING_KEYS",
    "LEGACY_FINDING_KEYS",
    "SUBJECTS",
    "ScenarioError",
    "ScenarioFile",
    "ScenarioItem",
    "audit_summary",
    "deep_merge",
    "finding_row",
    "findings_summary",
    "is_scenario_file",
    "matcher",
    "matches",
]
