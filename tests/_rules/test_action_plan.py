"""The action plan and the path to pass: exact, and the smallest plan (checked by brute force).

``corengine plan --format json`` is also pinned for examples that fail in different ways (an element below its
minimum, a legislated-item gate of low confidence) and one that passes: every field of the plan document,
compared with golden files checked by eye (``tests/golden/plans/``). After a deliberate change:
``CORENGINE_UPDATE_GOLDEN=1 pytest tests/_rules/test_action_plan.py``, then read the diff."""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from corengine._cli.main import cli
from corengine._rules.action_plan import Action, PathToPass, Plan, build_plan, passes
from corengine._rules.outcome import decide
from corengine._rules.scoring import BUILTIN_METHODS, apply_score_rules, score_audit
from corengine.model import (
    Audit,
    Auditor,
    Element,
    Employer,
    Question,
    ResolvedStandard,
    Response,
    Result,
    Rule,
    RuleVersion,
    ScoreRule,
    Standard,
    StandardSource,
)
from tests.helpers import EXAMPLES, basic_audit, golden

METHODS = {m.name: m for m in BUILTIN_METHODS}


def result_for(standard: Standard, responses: dict[str, Response]) -> Result:
    audit = Audit(
        standard=standard.id,
        audit_type="certification",
        audit_date=dt.date(2024, 1, 1),
        employer=Employer(name="E"),
        auditor=Auditor(name="A", kind="external"),
        responses=responses,
    )
    resolved = ResolvedStandard(standard, StandardSource(standard.id, Path("x.yaml"), "test"), {}, (standard.id,))
    score = score_audit(standard, audit, standard.programs[0], METHODS)
    return Result(audit, resolved, score, decide(resolved, audit, score))


@st.composite
def audits(draw: st.DrawFn) -> Result:
    elements = []
    responses = {}
    for e in range(draw(st.integers(1, 3))):
        questions = []
        for q in range(draw(st.integers(1, 3))):
            points = draw(st.integers(1, 10))
            qid = f"{e}.{q}"
            questions.append(Question(id=qid, text="t", points=Fraction(points), mandatory=draw(st.booleans())))
            responses[qid] = Response(points=Fraction(draw(st.integers(0, points))))
        elements.append(Element(id=str(e), title=f"E{e}", questions=tuple(questions)))
    version = RuleVersion(
        start=dt.date(2000, 1, 1),
        reference=("https://example.org",),
        confidence="H",
        overall_minimum=Fraction(draw(st.integers(0, 100))),
        element_minimum=draw(st.none() | st.integers(0, 100).map(Fraction)),
        mandatory_full_marks=draw(st.booleans()),
    )
    rule = Rule(id="certification", title="C", audit_types=("certification",), versions=(version,))
    standard = Standard(
        id="h", title="H", version="1", jurisdiction="ZZ", programs=("COR",), elements=tuple(elements), rules=(rule,)
    )
    return result_for(standard, responses)


@settings(max_examples=150, deadline=None)
@given(audits())
def test_the_path_to_pass_passes_and_no_smaller_set_does(result: Result) -> None:
    plan = build_plan(result)
    version = result.standard.standard.rules[0].versions[0]
    mandatory = frozenset(q.id for _, q in result.standard.standard.questions() if q.mandatory)
    assert plan.path.already_passing == result.outcome.passed
    assert passes(result, version, plan.path.questions, mandatory)[0]
    improvable = [a.question for a in plan.actions]
    for size in range(len(plan.path.questions)):
        for subset in itertools.combinations(improvable, size):
            assert not passes(result, version, subset, mandatory)[0], f"{subset} is a smaller plan"
    raised = {
        qid: Response(points=q.points) if qid in plan.path.questions else result.audit.responses[qid]
        for _, q in result.standard.standard.questions()
        for qid in [q.id]
    }
    assert result_for(result.standard.standard, raised).outcome.passed


@given(audits())
def test_the_action_plan_lists_every_question_below_full_marks_once(result: Result) -> None:
    plan = build_plan(result)
    below = {q.id for e in result.score.elements for q in e.questions if q.earned < q.available}
    assert sorted(a.question for a in plan.actions) == sorted(below)
    assert all(a.recoverable == a.available - a.earned > 0 for a in plan.actions)


def test_the_basic_audit_needs_one_question(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.score(engine.audit_from_data(basic_audit()))
    plan = build_plan(result)
    # 55/70 = 78.57%: any one of 1.1 (+2), 2.2 or 2.3 (+5) lifts it over 80%; the plan takes the largest gain,
    # first in document order
    assert plan.path.questions == ("2.2",)
    assert (plan.path.gain, plan.path.overall_after) == (5, Fraction(600, 7))
    assert [a.question for a in plan.actions] == ["2.2", "2.3", "1.3", "1.1"]
    assert plan.actions[0].reasons == ("overall below minimum",)
    assert plan.rule == "certification@2000-01-01"


def test_failures_points_cannot_fix_are_listed(engine) -> None:  # type: ignore[no-untyped-def]
    data = basic_audit()
    data["methods_used"] = ["D", "I"]
    plan = build_plan(engine.score(engine.audit_from_data(data)))
    assert [(f.check, f.status, f.message) for f in plan.path.other_failures] == [
        ("certification.methods_required", "fail", "the audit did not use required method(s) O")
    ]


# --------------------------------------------------------------------------- questions and elements left out of the totals

OPPORTUNITY = ScoreRule(
    treatment="opportunity",
    start=dt.date(2000, 1, 1),
    reason="Left out of the totals (test data).",
    reference=("https://example.org/opportunity",),
    confidence="H",
    elements=("0",),
    questions=("1.2",),
)


def with_opportunities(rules: tuple[Rule, ...]) -> Result:
    """Element 0 (first, 0 of 10) and question 1.2 (3 of 10, after 1.1 at full marks) left out of the totals; the
    counted questions hold 15 of 30 (50%), 2.2 unanswered."""
    points = Fraction(10)
    elements = (
        Element(id="0", title="E0", questions=(Question(id="0.1", text="t", points=points),)),
        Element(id="1", title="E1", questions=tuple(Question(id=i, text="t", points=points) for i in ("1.1", "1.2"))),
        Element(id="2", title="E2", questions=tuple(Question(id=i, text="t", points=points) for i in ("2.1", "2.2"))),
    )
    standard = Standard(
        id="h",
        title="H",
        version="1",
        jurisdiction="ZZ",
        programs=("COR",),
        elements=elements,
        rules=rules,
        score_rules=(OPPORTUNITY,),
    )
    responses = {
        "0.1": Response(points=Fraction(0), note="n01"),
        "1.1": Response(points=Fraction(10)),
        "1.2": Response(points=Fraction(3), note="n12"),
        "2.1": Response(points=Fraction(5), note="n21"),
    }
    audit = Audit(
        standard=standard.id,
        audit_type="certification",
        audit_date=dt.date(2024, 1, 1),
        employer=Employer(name="E"),
        auditor=Auditor(name="A", kind="external"),
        responses=responses,
    )
    resolved = ResolvedStandard(standard, StandardSource(standard.id, Path("x.yaml"), "test"), {}, (standard.id,))
    score = apply_score_rules(standard, score_audit(standard, audit, "COR", METHODS), "certification", audit.audit_date)
    return Result(audit, resolved, score, decide(resolved, audit, score))


def test_questions_left_out_of_the_totals_are_opportunities_not_actions_and_move_no_threshold() -> None:
    """An element left out before a counted one, and a left-out question after a counted one of its element:
    neither is an action or part of the path, both are opportunities, and the elements after them still count."""
    version = RuleVersion(
        start=dt.date(2000, 1, 1), reference=("https://example.org",), confidence="H", overall_minimum=Fraction(80)
    )
    rule = Rule(id="certification", title="C", audit_types=("certification",), versions=(version,))
    plan = build_plan(with_opportunities((rule,)))
    opportunities = (
        Action("0.1", "0", Fraction(0), Fraction(10), Fraction(10), (), "n01"),
        Action("1.2", "1", Fraction(3), Fraction(10), Fraction(7), (), "n12"),
    )
    assert plan == Plan(
        actions=(Action("2.1", "2", Fraction(5), Fraction(10), Fraction(5), ("overall below minimum",), "n21"),),
        # 2.1 to full marks: 20 of 30
        path=PathToPass(
            False, ("2.1",), Fraction(5), Fraction(200, 3), (("1", Fraction(100)), ("2", Fraction(50))), ()
        ),
        rule="certification@2000-01-01",
        opportunities=opportunities,
    )
    # no rule in force: no path, the failure that says why, and the opportunities all the same
    plan = build_plan(with_opportunities(()))
    assert (plan.rule, plan.path.questions, plan.path.overall_after, plan.opportunities) == (
        "",
        (),
        Fraction(50),
        opportunities,
    )
    assert [(f.check, f.status) for f in plan.path.other_failures] == [("no-rule", "fail")]


# --------------------------------------------------------------------------- the plan document, checked by eye

PLANNED = [
    "alberta-acsa-cor-certification-element-fail",
    "ontario-internal-fail",
    "bc-small-certification",
]


@pytest.mark.parametrize("name", PLANNED)
def test_the_plan_document_is_as_checked_by_eye(name: str) -> None:
    """The plan aims at every shortfall, advisories included (``--strict`` gives the same document)."""
    args = ["plan", str(EXAMPLES / f"{name}.yaml"), "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(cli, [*args, "--strict"]).stdout == result.stdout
    golden(f"plans/{name}.json", result.stdout)
