"""The plugin contract: registration, duplicates, failures named, disable and trace switches, isolation."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from attrs import frozen

from corengine import Engine, hookimpl, hookspecs
from corengine._rules.scoring import ScoringMethod
from corengine.errors import DuplicateError, PluginError
from corengine.model import (
    Audit,
    AuditScore,
    EligibilityRequest,
    Finding,
    Jurisdiction,
    Outcome,
    ResolvedStandard,
    SamplePlan,
    Standard,
)
from corengine.model.data_files import DataFile
from corengine.model.extensions import AuditExtension, extension
from corengine.model.lifecycle import IncentiveQuestion
from tests.helpers import ROOT, TEST_STANDARD, StandardsPlugin, basic_audit


class Other:
    name = "other"

    @hookimpl
    def corengine_register_standards(self) -> list[Path]:
        return [TEST_STANDARD]


def test_two_plugins_claiming_one_standard_id_is_an_error_naming_both() -> None:
    engine = Engine(plugins=[StandardsPlugin(), Other()], load_entrypoints=False, environ={})
    with pytest.raises(DuplicateError) as info:
        engine.sources()
    assert str(info.value) == "standard 'test-basic' is registered by both plugin 'test-standards' and plugin 'other'"


class Raising:
    name = "raising"

    @hookimpl
    def corengine_validate_audit(self, standard: Standard, audit: Audit) -> list[Any]:
        raise ZeroDivisionError("division by zero")


def test_a_plugin_that_raises_is_named_with_its_hook() -> None:
    engine = Engine(plugins=[StandardsPlugin(), Raising()], load_entrypoints=False, environ={})
    with pytest.raises(PluginError) as info:
        engine.score(engine.audit_from_data(basic_audit()))
    assert str(info.value) == (
        "plugin 'raising' failed in hook corengine_validate_audit: ZeroDivisionError: division by zero"
    )


class Bad:
    name = "bad"

    @hookimpl
    def corengine_register_standard(self) -> list[Path]:  # a typo'd hook name
        return []


def test_a_hook_name_outside_the_contract_is_rejected_naming_the_plugin() -> None:
    with pytest.raises(PluginError) as info:
        Engine(plugins=[Bad()], load_entrypoints=False, environ={})
    assert str(info.value).startswith(
        "plugin 'bad' does not fit the contract: unknown hook 'corengine_register_standard'"
    )


def test_the_disable_switch_blocks_named_plugins() -> None:
    engine = Engine(
        plugins=[StandardsPlugin(), Other()], load_entrypoints=False, environ={"CORENGINE_DISABLE_PLUGINS": "other"}
    )
    assert sorted(engine.sources()) == ["test-basic"]
    assert [p.name for p in engine.plugins()] == ["corengine.defaults", "test-standards"]


def test_the_trace_switch_writes_hook_calls_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    engine = Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={"CORENGINE_TRACE": "1"})
    engine.sources()
    assert "corengine_register_standards" in capsys.readouterr().err


def test_a_plugin_that_fails_to_load_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from corengine._io import distributions as entrypoints

    broken = entrypoints.EntryPoint(name="broken", value="corengine_no_such_module.plugin", group="corengine")
    monkeypatch.setattr(entrypoints, "entry_points", lambda group: [broken])
    with pytest.raises(PluginError) as info:
        Engine(environ={})
    assert str(info.value) == (
        "plugin 'broken' (corengine_no_such_module.plugin) failed to load: "
        "ModuleNotFoundError: No module named 'corengine_no_such_module'"
    )


# --------------------------------------------------------------------------- every hook, exercised


@frozen
class EveryHookFields:
    """The test plugin's audit extension fields."""

    mood: str = "calm"
    """A fact only this plugin reads."""


class EveryHook:
    """Implements every hook once, so the contract is exercised end to end."""

    name = "every-hook"

    def __init__(self) -> None:
        self.called: set[str] = set()

    @hookimpl
    def corengine_register_standards(self) -> list[Path]:
        self.called.add("corengine_register_standards")
        return [TEST_STANDARD]

    @hookimpl
    def corengine_register_scoring_methods(self) -> list[ScoringMethod]:
        self.called.add("corengine_register_scoring_methods")
        return [ScoringMethod("constant", lambda q, r: (q.points, "always full"), lambda q, r: [], "test")]

    @hookimpl
    def corengine_register_audit_extensions(self) -> list[AuditExtension]:
        self.called.add("corengine_register_audit_extensions")
        return [AuditExtension("every-hook", EveryHookFields)]

    @hookimpl
    def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
        self.called.add("corengine_register_jurisdictions")
        return [Jurisdiction(code="ZZ", name="Test province")]

    @hookimpl
    def corengine_register_data_files(self) -> list[DataFile]:
        self.called.add("corengine_register_data_files")
        return [DataFile(TEST_STANDARD, EveryHookFields)]

    @hookimpl
    def corengine_validate_audit(self, standard: Standard, audit: Audit) -> list[Any]:
        self.called.add("corengine_validate_audit")
        return [] if audit.notes != "bad" else [(("notes",), "notes may not say bad")]

    @hookimpl
    def corengine_adjust_score(
        self, resolved: ResolvedStandard, audit: Audit, score: AuditScore, rules_on: dt.date
    ) -> AuditScore | None:
        self.called.add("corengine_adjust_score")
        self.rules_on = rules_on
        return None

    @hookimpl
    def corengine_decide_outcome(
        self, resolved: ResolvedStandard, audit: Audit, score: AuditScore, strict: bool
    ) -> Outcome | None:
        self.called.add("corengine_decide_outcome")
        if audit.audit_type != "action-plan":
            return None
        return Outcome(True, "Action plan accepted", (Finding("plan", "pass", "accepted"),), plugin=self.name)

    @hookimpl
    def corengine_review_outcome(
        self, resolved: ResolvedStandard, audit: Audit, outcome: Outcome, strict: bool
    ) -> list[Finding]:
        self.called.add("corengine_review_outcome")
        return [Finding("review", "info", "reviewed")]

    @hookimpl
    def corengine_check_eligibility(
        self, request: EligibilityRequest, jurisdiction: Jurisdiction, standard_lookup: Callable[[str], Standard]
    ) -> list[Finding]:
        self.called.add("corengine_check_eligibility")
        return [Finding("zz.size", "pass", f"{request.employees} employees is fine")]

    @hookimpl
    def corengine_incentive_eligibility(self, question: IncentiveQuestion) -> list[Finding]:
        self.called.add("corengine_incentive_eligibility")
        return [Finding("zz-rebate", "advisory", f"cannot tell for {question.employer}")]

    @hookimpl(tryfirst=True)
    def corengine_plan_sample(self, standard: Standard, workers: int, sites: int | None, on: dt.date) -> SamplePlan:
        self.called.add("corengine_plan_sample")
        return SamplePlan(standard.id, workers, sites, 3, None, None)

    @hookimpl
    def corengine_register_commands(self) -> list[click.Command]:
        self.called.add("corengine_register_commands")
        return [click.Command("hello", callback=lambda: click.echo("hello"))]


def test_every_hook_is_called_through_the_engine() -> None:
    plugin = EveryHook()
    engine = Engine(plugins=[plugin], load_entrypoints=False, environ={})
    assert "constant" in engine.methods()
    data = basic_audit()
    data["notes"] = "bad"
    assert engine.problems(engine.audit_from_data(data)) == ["<data>: notes: notes may not say bad"]
    data.update(notes="", audit_type="action-plan", extensions={"every-hook": {"mood": "glad"}})
    result = engine.score(engine.audit_from_data(data))
    assert extension(result.audit, "every-hook", EveryHookFields) == EveryHookFields("glad")
    assert (result.outcome.certificate, result.outcome.plugin) == ("Action plan accepted", "every-hook")
    assert [(f.check, f.status) for f in result.outcome.reasons] == [
        ("plan", "pass"),
        ("review", "info"),
        ("sampling.interviews", "info"),  # the plugin's plan sets a minimum the audit reports no count for
    ]
    assert result.outcome.reasons[1].plugin == "every-hook"
    findings = engine.eligibility(EligibilityRequest("zz", employees=4))
    assert [(f.check, f.plugin) for f in findings] == [("zz.size", "every-hook")]
    assert engine.sample("test-basic", 40).interviews_minimum == 3
    question = IncentiveQuestion("E", dt.date(2025, 1, 1), (), "no certificate", False, None, None, None, ())
    assert [(f.check, f.plugin) for f in engine.hooks.incentive_eligibility(question)] == [("zz-rebate", "every-hook")]
    assert list(engine.hooks.commands()) == ["hello"]
    assert engine.data_files() == [("every-hook", DataFile(TEST_STANDARD, EveryHookFields))]
    assert plugin.called == {name for name in dir(hookspecs) if name.startswith("corengine_")}
    assert plugin.rules_on == result.audit.audit_date


def test_every_hook_is_documented_with_its_exact_signature() -> None:
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for name in (n for n in dir(hookspecs) if n.startswith("corengine_")):
        spec = getattr(hookspecs, name)
        signature = f"def {name}{inspect.signature(spec)}".replace("'", "")
        assert signature in docs, f"docs/plugins.md lacks `{signature}`"
        summary = inspect.getdoc(spec).splitlines()[0]  # type: ignore[union-attr]
        assert re.match(r"^[A-Z][a-z]+ ", summary), f"{name}: summary should start with an imperative verb"


def test_hook_specs_are_typed_and_firstresult_ones_say_so() -> None:
    for name in (n for n in dir(hookspecs) if n.startswith("corengine_")):
        spec = getattr(hookspecs, name)
        signature = inspect.signature(spec)
        assert signature.return_annotation is not inspect.Signature.empty
        assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values())
        firstresult = spec.corengine_spec["firstresult"]
        assert firstresult == ("Stops at the first non-None result." in (spec.__doc__ or ""))


def test_an_engine_without_entry_points_knows_only_what_it_was_given() -> None:
    engine = Engine(load_entrypoints=False, environ={})
    assert engine.sources() == {}
    assert [p.name for p in engine.plugins()] == ["corengine.defaults"]
