"""The crosswalk between provinces' audit documents, through common themes and evidence kinds."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from corengine import Engine
from corengine._cli.main import cli
from corengine._rules.readiness import COVERED, MISSING, NOT_CHECKABLE, crosswalk, strict_enough
from corengine._rules.scoring import applies
from corengine.model import Expectation, Standard
from tests.helpers import ROOT, bundled_engine, golden, run_ok

STANDARDS = ["ab-acsa-cor", "ab-acsa-secor", "ab-esc-cor", "bc-bccsa-cor", "on-ihsa-cor2020"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return bundled_engine()


def full_marks(standard: Standard, program: str) -> dict[str, Any]:
    """A valid audit of ``standard`` with every question at full points."""
    responses: dict[str, Any] = {}
    for _, question in standard.questions():
        if not applies(question, program):
            continue
        if question.scoring.method == "awarded":
            responses[question.id] = {"points": str(question.points)}
        else:
            tally = question.scoring.tally or "interviews"
            responses[question.id] = {tally: {"positive": 10, "total": 10}}
    return {
        "standard": standard.id,
        "program": program,
        "audit_type": "certification",
        "audit_date": "2024-10-18",
        "employer": {"name": "Crosswalk Ltd.", "workers": 30, "records_months": 12},
        "auditor": {"name": "Ada Auditor", "kind": "external"},
        "responses": responses,
    }


@pytest.mark.parametrize(("source", "target"), list(itertools.product(STANDARDS, STANDARDS)))
def test_crosswalk_works_between_any_two_shipped_standards(engine: Engine, source: str, target: str) -> None:
    standard = engine.standard(source)
    result = engine.score(engine.audit_from_data(full_marks(standard, standard.programs[0])))
    goal = engine.standard(target)
    walk = crosswalk(result, goal, goal.programs[0])
    assert [q.id for q in walk.questions] == [q.id for _, q in goal.questions() if applies(q, goal.programs[0])]
    assert walk.estimate is not None and 0 <= walk.estimate <= 100
    for question in walk.questions:
        for item in question.checks:
            if item.status == NOT_CHECKABLE:
                assert item.expectation.kind is None
            if item.status == MISSING:
                assert not item.matches
    if source == target:
        assert walk.estimate == 100, "a full-marks audit covers its own document"
        assert all(q.status in (COVERED, NOT_CHECKABLE) for q in walk.questions)


def test_evidence_is_credited_by_the_points_the_source_question_earned(engine: Engine) -> None:
    standard = engine.standard("ab-acsa-cor")
    data = full_marks(standard, "COR")
    data["responses"]["7.2"] = {"documents": {"positive": 5, "total": 10}}
    result = engine.score(engine.audit_from_data(data))
    walk = crosswalk(result, engine.standard("bc-bccsa-cor"), "Large")
    q92 = next(q for q in walk.questions if q.id == "9.2")
    (inspections,) = q92.checks
    assert inspections.expectation.kind == "inspection-record"
    # 7.2 (5/10) is the only ACSA question checking 12 months of inspections; 3.4 and 7.3 check only recency
    assert (inspections.status, inspections.credit) == ("partial", Fraction(1, 2))
    assert [(m.question, m.current) for m in inspections.matches][:1] == [("7.2", True)]


def test_a_weaker_source_requirement_earns_no_credit() -> None:
    yearly = Expectation(kind="policy", within_months=12)
    assert strict_enough(Expectation(kind="policy", within_months=12), yearly)
    assert not strict_enough(Expectation(kind="policy", within_months=36), yearly)
    assert not strict_enough(Expectation(kind="policy"), yearly)
    assert strict_enough(yearly, Expectation(kind="policy"))
    assert not strict_enough(
        Expectation(kind="inspection-record", within_months=12), Expectation(kind="inspection-record", months=12)
    )


def test_crosswalk_output_is_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    golden(
        "crosswalk-alberta-to-ontario.txt",
        run_ok("crosswalk", "examples/alberta-acsa-cor-certification-pass.yaml", "--to", "on-ihsa-cor2020"),
    )
    golden(
        "crosswalk-ontario-to-bc.md",
        run_ok("crosswalk", "examples/ontario-external-pass.yaml", "--to", "bc-bccsa-cor", "--format", "md"),
    )


def test_crosswalk_json_is_deterministic_and_labelled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = ("crosswalk", "examples/bc-large-certification.yaml", "--to", "ab-esc-cor", "--format", "json")
    first, second = run_ok(*args), run_ok(*args)
    assert first == second
    data = json.loads(first)
    assert data["label"] == "Coverage estimate from documents and records only — not an audit score."
    assert data["source"]["standard"] == "bc-bccsa-cor" and data["target"]["standard"] == "ab-esc-cor"
    assert {t["theme"] for t in data["themes"]} <= {
        "policy-leadership",
        "hazard-assessment",
        "hazard-control",
        "inspections",
        "training-orientation",
        "emergency-response",
        "incident-investigation",
        "records-statistics",
        "committees-representatives",
        "contractors-procurement",
        "legislation",
        "management-review-change",
        "ppe",
        "preventive-maintenance",
        "company-rules",
    }


def test_an_invalid_source_audit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("standard: ab-acsa-cor\n")
    result = CliRunner().invoke(cli, ["crosswalk", str(path), "--to", "bc-bccsa-cor"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
