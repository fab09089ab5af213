"""YAML scenario tests for every plugin package: files named ``test_*.yaml`` are collected by pytest.

A scenario has a full-sentence name, one subject (``audit``, ``eligibility``, ``sample`` or ``command``)
and an ``expect`` block. Audits are usually a bundled example with a few changes (``base`` + ``set``), so
each scenario shows exactly what differs. ``plugins:`` at the top of a file runs its scenarios with only
those plugins registered and entry points off (the plugin in isolation).
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
import warnings
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest

from .converter import structure, unstructure
from .engine import Engine
from .errors import CorengineError, InputError
from .findings import Finding, status_of
from .loading import parse, read_text
from .model import EligibilityRequest

SUBJECTS = ("audit", "eligibility", "sample", "command")
FILE_KEYS = {"plugins", "standard_files", "scenarios"}
SCENARIO_KEYS = {"name", "expect", *SUBJECTS}


class ScenarioError(Exception):
    """A scenario file is malformed or a scenario's expectation does not hold."""


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix in (".yaml", ".yml") and file_path.name.startswith("test_"):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def deep_merge(base: Any, changes: Any) -> Any:
    """``changes`` over ``base``: mappings merge key by key, anything else replaces (null deletes a key)."""
    if isinstance(base, dict) and isinstance(changes, dict):
        merged = dict(base)
        for key, value in changes.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = deep_merge(base.get(key), value)
        return merged
    return changes


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        text, source = read_text(self.path)
        data, _ = parse(text, source)
        if not isinstance(data, dict) or set(data) - FILE_KEYS or "scenarios" not in data:
            raise ScenarioError(f"{self.path}: expected a mapping with keys {sorted(FILE_KEYS)}")
        names: set[str] = set()
        for index, scenario in enumerate(data["scenarios"]):
            if not isinstance(scenario, dict) or set(scenario) - SCENARIO_KEYS or "name" not in scenario:
                raise ScenarioError(
                    f"{self.path}: scenarios[{index}] needs a name and keys from {sorted(SCENARIO_KEYS)}"
                )
            if scenario["name"] in names:
                raise ScenarioError(f"{self.path}: scenario name {scenario['name']!r} appears twice")
            names.add(scenario["name"])
            yield ScenarioItem.from_parent(
                self,
                name=scenario["name"],
                scenario=scenario,
                plugins=tuple(data.get("plugins", ())),
                standard_files=tuple(data.get("standard_files", ())),
            )


FINDING_KEYS = (
    "check",
    "status",
    "message",
    "subject",
    "subject_kind",
    "required",
    "measured",
    "due",
    "confidence",
    "sources",
    "reading",
    "plugin",
    "rule_version",
)
"""Keys a scenario may match a finding on; ``message`` and ``reading`` match a part of the text."""

LEGACY_FINDING_KEYS = {"rule": "check", "passed": "status", "reference": "sources"}
"""Pre-0.3 scenario keys, still read for one release with a warning naming the new key."""


def finding_row(finding: Finding) -> dict[str, Any]:
    """A finding as a scenario compares it: typed values as data and as their text (``>= 80%``)."""
    row: dict[str, Any] = unstructure(finding)
    for key in ("required", "measured"):
        quantity = getattr(finding, key)
        row[f"{key}_data"] = row[key]
        row[key] = "" if quantity is None else str(quantity)
        row[f"{key}_bare"] = "" if quantity is None else str(attrs.evolve(quantity, unit=""))
        row[f"{key}_words"] = "" if quantity is None else quantity.text
    return row


def matcher(wanted: Any) -> dict[str, Any]:
    """A scenario's finding matcher with legacy keys translated (warning once each) and unknown keys refused."""
    if not isinstance(wanted, dict):
        raise ScenarioError(f"a finding matcher is a mapping of {', '.join(FINDING_KEYS)}; got {wanted!r}")
    out: dict[str, Any] = {}
    for key, value in wanted.items():
        if key in LEGACY_FINDING_KEYS:
            new = LEGACY_FINDING_KEYS[key]
            warnings.warn(
                f"scenario finding key {key!r} is deprecated; use {new!r}"
                + (" with 'pass', 'fail', 'advisory' or 'info'" if key == "passed" else ""),
                DeprecationWarning,
                stacklevel=2,
            )
            if key == "passed":
                value = status_of(value)
            key = new
        if key not in FINDING_KEYS:
            close = difflib.get_close_matches(str(key), FINDING_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ScenarioError(f"unknown finding key {key!r}{hint}; expected one of {', '.join(FINDING_KEYS)}")
        out[key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def matches(row: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Whether ``row`` has every value ``wanted`` gives."""
    for key, value in wanted.items():
        if key in ("message", "reading"):
            if str(value) not in row[key]:
                return False
        elif key in ("required", "measured"):
            if isinstance(value, dict):
                if any(row[f"{key}_data"] is None or row[f"{key}_data"].get(k) != v for k, v in value.items()):
                    return False
            elif str(value) not in (row[key], row[f"{key}_bare"], row[f"{key}_words"]):
                return False
        elif row.get(key) != value:
            return False
    return True


class ScenarioItem(pytest.Item):
    def __init__(
        self,
        *,
        scenario: dict[str, Any],
        plugins: tuple[str, ...],
        standard_files: tuple[str, ...],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.plugin_names = plugins
        self.standard_files = standard_files

    def engine(self) -> Engine:
        if self.plugin_names:
            engine = Engine(plugins=[importlib.import_module(n) for n in self.plugin_names], load_entrypoints=False)
        else:
            engine = Engine()
        for name in self.standard_files:
            engine.add_standard_file(self.path.parent / name)
        return engine

    def runtest(self) -> None:
        subjects = [s for s in SUBJECTS if s in self.scenario]
        if len(subjects) != 1:
            raise ScenarioError(f"give exactly one of {', '.join(SUBJECTS)}")
        expect = self.scenario.get("expect") or {}
        if not expect:
            raise ScenarioError("a scenario needs an expect block")
        getattr(self, f"_run_{subjects[0]}")(self.scenario[subjects[0]], expect)

    # ------------------------------------------------------------------ subjects

    def _run_audit(self, spec: dict[str, Any], expect: dict[str, Any]) -> None:
        data: Any = {}
        if "base" in spec:
            text, source = read_text(self.path.parent / spec["base"])
            data, _ = parse(text, source)
        data = deep_merge(data, spec.get("set", {}))
        engine = self.engine()
        try:
            result = engine.score(
                engine.audit_from_data(data, f"{self.path.name}[{self.name}]"), strict=bool(spec.get("strict"))
            )
        except InputError as exc:
            if "errors" not in expect:
                raise
            for wanted in expect["errors"]:
                if not any(wanted in str(line) for line in exc.problems):
                    raise ScenarioError(f"no error contains {wanted!r}; errors were:\n{exc}") from None
            return
        if "errors" in expect:
            raise ScenarioError(f"expected errors {expect['errors']}, but the audit scored")
        outcome, score = result.outcome, result.score
        actual = {
            "passed": outcome.passed,
            "certificate": outcome.certificate,
            "certificate_months": outcome.certificate_months,
            "valid_until": outcome.valid_until.isoformat() if outcome.valid_until else None,
            "overall": f"{score.earned}/{score.available}",
            "percent": None if score.percent is None else float(round(score.percent, 2)),
        }
        for key, value in expect.items():
            if key in actual:
                self._same(key, actual[key], value.isoformat() if isinstance(value, dt.date) else value)
        for element_id, wanted in expect.get("elements", {}).items():
            element = next((e for e in score.elements if e.id == str(element_id)), None)
            if element is None:
                raise ScenarioError(f"no element {element_id!r} in the score")
            got = {
                "earned": str(element.earned),
                "available": str(element.available),
                "percent": None if element.percent is None else float(round(element.percent, 2)),
            }
            for key, value in wanted.items():
                self._same(f"elements[{element_id}].{key}", got[key], value)
        for qid, wanted in expect.get("questions", {}).items():
            question = next((q for e in score.elements for q in e.questions if q.id == str(qid)), None)
            if question is None:
                raise ScenarioError(f"no question {qid!r} in the score")
            got = {
                "earned": str(question.earned),
                "available": str(question.available),
                "status": question.status,
            }
            for key, value in wanted.items():
                self._same(f"questions[{qid}].{key}", got[key], str(value) if key != "status" else value)
        self._findings(outcome.reasons, expect)

    def _run_eligibility(self, spec: dict[str, Any], expect: dict[str, Any]) -> None:
        request = structure(spec, EligibilityRequest, f"{self.path.name}[{self.name}].eligibility")
        answer = self.engine().eligibility_answer(request)
        if "programs" in expect:
            programs = [p.program for p in answer.programs if p.size == "pass"]
            self._same("programs", programs, expect["programs"])
        if "may_start" in expect:
            starts = {p.program: p.may_start for p in answer.programs}
            self._same("may_start", starts, expect["may_start"])
        self._findings(answer.findings, expect)

    def _run_sample(self, spec: dict[str, Any], expect: dict[str, Any]) -> None:
        on = dt.date.fromisoformat(str(spec["on"])) if "on" in spec else None
        plan = self.engine().sample(spec["standard"], spec["workers"], spec.get("sites"), on, spec.get("program"))
        got = unstructure(plan)
        for key, value in expect.items():
            if key in ("findings", "no_findings"):
                continue
            self._same(key, got[key], value)
        self._findings(plan.reasons, expect)

    def _run_command(self, spec: dict[str, Any], expect: dict[str, Any]) -> None:
        from click.testing import CliRunner

        from .cli import cli

        # What a command says is checked, not how it is laid out: lines wide enough never to wrap or be cut.
        wide = {"COLUMNS": "10000"}
        result = CliRunner().invoke(cli, [str(a) for a in spec["args"]], env=wide, catch_exceptions=False)
        self._same("exit_code", result.exit_code, expect.get("exit_code", 0))
        for text in expect.get("output_contains", []):
            if text not in result.output:
                raise ScenarioError(f"output lacks {text!r}; output was:\n{result.output}")

    # ------------------------------------------------------------------ checks

    @staticmethod
    def _same(what: str, got: Any, wanted: Any) -> None:
        if isinstance(wanted, float | int) and not isinstance(wanted, bool) and isinstance(got, Fraction):
            got = float(got)
        if got != wanted:
            raise ScenarioError(f"{what}: expected {wanted!r}, got {got!r}")

    @staticmethod
    def _findings(findings: tuple[Finding, ...], expect: dict[str, Any]) -> None:
        rows = [finding_row(f) for f in findings]
        shown = "\n".join(f"  {r['check']} {r['status']} {r['subject']!r}: {r['message']}" for r in rows)
        for wanted in expect.get("findings", []):
            wanted = matcher(wanted)
            if not any(matches(row, wanted) for row in rows):
                raise ScenarioError(f"no finding matches {wanted}; findings were:\n{shown}")
        for unwanted in expect.get("no_findings", []):
            unwanted = matcher(unwanted)
            if any(matches(row, unwanted) for row in rows):
                raise ScenarioError(f"a finding matches {unwanted}, which should not be; findings were:\n{shown}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioError | CorengineError):
            return f"{self.path.name}: {self.name}\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.name}"


__all__ = ["ScenarioFile", "ScenarioItem", "deep_merge"]
