"""A standard's scoring plan (:mod:`corengine._rules.scoring_plan`): what one Engine keeps per question is the
result computed afresh, for every program, every kind of points, and whatever was scored before; and what it
keeps is bounded."""

from __future__ import annotations

import copy
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest

from corengine import Engine, InputError
from corengine._rules.scoring import BUILTIN_METHODS, score_audit
from corengine._rules.scoring_plan import Plans
from corengine.model import Question, Response
from tests.helpers import StandardsPlugin, basic_audit, make_engine

STANDARD = """\
id: plan-test
title: Two programs and points that are not whole (test data)
version: "1"
jurisdiction: ZZ
programs: [COR, SECOR]
elements:
  - id: "A"
    title: Points available that are not whole
    questions:
      - {id: "A.1", text: Half points available, points: 2.5}
  - id: "H"
    title: Points earned that are not whole
    questions:
      - {id: "A.2", text: Halved by its method, points: 10, scoring: halves}
  - id: "E"
    title: COR only
    questions:
      - {id: "E.1", text: Only COR answers this too, points: 10, programs: [COR]}
  - id: "B"
    title: COR only at first
    questions:
      - {id: "B.1", text: Only COR answers this, points: 10, programs: [COR]}
      - {id: "B.2", text: Both answer this, points: 10}
  - id: "C"
    title: Counted
    questions:
      - {id: "C.1", text: Last, points: 10, na_allowed: true}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    programs: [COR, SECOR]
    versions:
      - start: 2010-01-01
        reference: [https://example.org/plan]
        confidence: H
        element_minimum: 50
"""


def halves(question: Question, response: Response) -> tuple[Fraction, str]:
    assert response.points is not None
    return response.points / 2, f"half of {response.points}"


HALVES = attrs.evolve(next(m for m in BUILTIN_METHODS if m.name == "awarded"), name="halves", score=halves, pure=True)


class HalvesPlugin:
    name = "halves"

    from corengine.plugin import hookimpl

    @hookimpl
    def corengine_register_scoring_methods(self) -> list[Any]:
        return [HALVES]


def engine_for(tmp_path: Path, reuse: bool = True) -> Engine:
    path = tmp_path / "plan-test.yaml"
    path.write_text(STANDARD, encoding="utf-8")
    return Engine(plugins=[StandardsPlugin(path), HalvesPlugin()], load_entrypoints=False, environ={}, reuse=reuse)


def audit(program: str = "COR", **responses: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {"A.1": {"points": 2}, "A.2": {"points": 7}, "B.2": {"points": 8}, "C.1": {"points": 9}}
    if program == "COR":
        answers["B.1"] = {"points": 6}
        answers["E.1"] = {"points": 5}
    return {
        "standard": "plan-test",
        "audit_type": "certification",
        "audit_date": "2024-05-10",
        "program": program,
        "employer": {"name": "E"},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {**answers, **responses},
    }


def scores(engine: Engine, data: dict[str, Any]) -> list[tuple[str, Any, Any, Any, Any]]:
    result = engine.score(engine.audit_from_data(copy.deepcopy(data)))
    return [(e.id, e.earned, e.available, tuple((q.id, q.status, q.earned, q.available) for q in e.questions), None)
            for e in result.score.elements]  # fmt: skip


def test_kept_scores_that_are_not_whole_numbers_sum_as_they_were_computed(tmp_path: Path) -> None:
    engine, fresh = engine_for(tmp_path), engine_for(tmp_path, reuse=False)
    first, again = scores(engine, audit()), scores(engine, audit())  # the second reads every score kept
    assert first == again == scores(fresh, audit())
    assert first[0] == ("A", 2, Fraction(5, 2), (("A.1", "scored", 2, Fraction(5, 2)),), None)  # 2 of 2.5
    assert first[1] == ("H", Fraction(7, 2), 10, (("A.2", "scored", Fraction(7, 2), 10),), None)  # 7 halved


def test_what_one_program_kept_is_not_read_for_another(tmp_path: Path) -> None:
    engine = engine_for(tmp_path)
    assert scores(engine, audit("COR"))[3][3][0] == ("B.1", "scored", 6, 10)
    secor = scores(engine, audit("SECOR"))
    assert secor == scores(engine_for(tmp_path, reuse=False), audit("SECOR"))
    assert secor[3][:3] == ("B", 8, 10) and secor[3][3][0] == ("B.1", "excluded", 0, 0)
    # scored directly (no validation): a response kept for COR is still excluded for SECOR
    loaded = engine.audit_from_data(audit("COR")).audit
    standard = engine.standard("plan-test")
    direct = score_audit(standard, loaded, "SECOR", engine.methods(), engine.reuse)
    assert [(q.id, q.status) for q in direct.elements[3].questions] == [("B.1", "excluded"), ("B.2", "scored")]
    assert [(q.id, q.status) for q in direct.elements[2].questions] == [("E.1", "excluded")]  # every one excluded
    # and validated: the program's own check runs for a response found valid under the other
    with pytest.raises(InputError) as raised:
        engine.score(engine.audit_from_data(audit("SECOR", **{"B.1": {"points": 6}})))
    assert [p.message for p in raised.value.problems] == [
        "question B.1 is not answered in the SECOR program (only COR)"
    ]


def test_a_question_left_unanswered_after_its_na_was_kept_scores_unanswered(tmp_path: Path) -> None:
    engine = engine_for(tmp_path)
    with_na = audit(**{"C.1": {"na": "none here"}})
    scores(engine, with_na)  # a short N/A reason is shared: its score is kept
    data = audit()
    del data["responses"]["C.1"]
    loaded = engine.audit_from_data(data).audit
    direct = score_audit(engine.standard("plan-test"), loaded, "COR", engine.methods(), engine.reuse)
    assert [(q.id, q.status, q.explanation) for q in direct.elements[4].questions] == [
        ("C.1", "unanswered", "no response: 0 of 10")
    ]


def test_an_element_left_out_by_a_score_rule_leaves_the_later_elements_checked(tmp_path: Path) -> None:
    path = tmp_path / "plan-test.yaml"
    path.write_text(
        STANDARD
        + """\
score_rules:
  - treatment: not_counted
    start: 2020-01-01
    elements: ["A"]
    reason: element A is not counted (test data)
    reference: [https://example.org/plan]
    confidence: H
""",
        encoding="utf-8",
    )
    engine = Engine(plugins=[StandardsPlugin(path), HalvesPlugin()], load_entrypoints=False, environ={})
    result = engine.score(engine.audit_from_data(audit()))
    assert [f.subject for f in result.outcome.reasons if f.check == "certification.element_minimum"] == [
        "H",
        "E",
        "B",
        "C",
    ]


def test_the_plans_count_each_kept_result_once_and_keep_at_most_their_limit() -> None:
    engine = make_engine()
    result = engine.score(engine.audit_from_data(basic_audit()))
    plan = engine.reuse.plans.of(result.standard.standard, engine.methods())
    valid = sum(len(s.valid) for s in plan.slots.values())
    kept = sum(len(s.scores) for s in plan.slots.values())
    assert valid > 0 and kept > 0
    assert len(engine.reuse.plans) == engine.reuse.plans.budget.used == valid + kept + len(plan._whole)
    assert plan.whole(7) is plan.whole(7) == 7  # one Fraction per whole number
    one = Plans(limit=1)
    small = one.of(result.standard.standard, engine.methods())
    slot = next(iter(small.slots.values()))
    first, second = Response(points=Fraction(1)), Response(points=Fraction(2))
    small.keep_valid(slot, first)
    assert len(one) == 1 and one.budget.used == 1  # a limit of one keeps one
    small.keep_valid(slot, second)  # the second empties the plans first, then is kept
    assert list(slot.valid.values()) == [second] and one.budget.used == 1
