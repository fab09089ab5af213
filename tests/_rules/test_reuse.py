"""Results an Engine reuses for the same question and answer (its ``Engine.reuse``, a
:class:`corengine._rules.reuse.Reuse`) are the results computed afresh: the same problems, scores, explanations,
findings and documents, whatever was scored before; and what one Engine keeps is its own."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corengine import Engine, InputError
from corengine._rules.reuse import KeptFindings, Reuse
from corengine._rules.scoring import BUILTIN_METHODS, ScoringMethod, answer_form, score_audit
from corengine._views.documents import result_document
from corengine._views.render import result_json
from corengine.model import Question, Response, Tally
from tests.helpers import EXAMPLES, StandardsPlugin, basic_audit, bundled_engine, make_engine

AUDITS = ("alberta-acsa-cor-certification-pass.yaml", "bc-small-certification.yaml", "ontario-internal-pass.yaml")


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def engine() -> Engine:
    return bundled_engine()


@pytest.fixture(scope="module")
def afresh() -> Engine:
    """An engine that keeps nothing between audits (``Engine(reuse=False)``)."""
    return bundled_engine(reuse=False)


def answer(question: Question, draw: st.DrawFn) -> dict[str, Any]:
    """A random answer in the question's form: mostly valid, sometimes N/A, sometimes out of range."""
    roll = draw(st.integers(0, 19))
    if roll == 0:
        return {"na": "no such work"}
    if answer_form(question) == "points":
        top = int(question.points)
        return {"points": draw(st.integers(0, top + 1 if roll == 1 else top))}
    total = draw(st.integers(0 if roll == 1 else 1, 12))
    kind = question.scoring.tally or draw(st.sampled_from(["interviews", "observations", "documents"]))
    return {kind: {"positive": draw(st.integers(0, total)), "total": total}}


@st.composite
def varied(draw: st.DrawFn, engine: Engine) -> dict[str, Any]:
    data = copy.deepcopy(example(draw(st.sampled_from(AUDITS))))
    standard = engine.standard(data["standard"])
    program = data.get("program") or standard.programs[0]
    data["responses"] = {
        q.id: answer(q, draw) for _, q in standard.questions() if not q.programs or program in q.programs
    }
    return data


def decided(engine: Engine, data: dict[str, Any], strict: bool) -> str:
    """The audit's problems, or its result document and every finding, as text."""
    try:
        result = engine.score(engine.audit_from_data(copy.deepcopy(data)), strict=strict)
    except InputError as exc:
        return "\n".join(str(p) for p in exc.problems)
    scores = [
        (q.id, q.status, q.earned, q.available, q.explanation) for e in result.score.elements for q in e.questions
    ]
    return json.dumps(result_json(result), sort_keys=True, default=str) + repr(scores) + repr(result.outcome.reasons)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_reused_results_are_the_results_computed_afresh(engine: Engine, afresh: Engine, data: st.DataObject) -> None:
    audits = [data.draw(varied(engine)) for _ in range(3)]
    strict = data.draw(st.booleans())
    reused = [decided(engine, a, strict) for a in audits + audits]  # the second round reuses the first's results
    assert reused[:3] == reused[3:]
    fresh = [decided(afresh, a, strict) for a in audits]
    assert reused[:3] == fresh


def test_an_example_audit_decides_alike_afresh_and_reused(engine: Engine, afresh: Engine) -> None:
    data = example(AUDITS[0])
    first = decided(afresh, data, strict=False)
    assert len(afresh.reuse.plans) == len(afresh.reuse.element_findings) == len(afresh.reuse.responses) == 0
    assert decided(afresh, data, strict=False) == first == decided(engine, data, strict=False)
    assert result_json(afresh.score(afresh.audit_from_data(data)))["outcome"]["passed"] is True


def test_results_are_stored_and_reused() -> None:
    engine = bundled_engine()
    data = example(AUDITS[0])
    one = engine.score(engine.audit_from_data(copy.deepcopy(data)))
    stored = len(engine.reuse.plans)
    assert stored > 0 and len(engine.reuse.element_findings) > 0
    two = engine.score(engine.audit_from_data(copy.deepcopy(data)))
    assert len(engine.reuse.plans) == stored  # nothing new to store
    first, again = one.score.elements[0].questions, two.score.elements[0].questions
    assert first[2].id == "1.3" and first[2] is again[2]  # {points: 10}: the same answer, the same score
    assert first[0].id == "1.1" and first[0] is not again[0] and first[0] == again[0]  # with a note: one of a kind
    assert result_document(one) == result_document(two)


def test_common_answers_are_one_object_each_within_one_engine(engine: Engine) -> None:
    base = example(AUDITS[0])
    first = engine.audit_from_data(base).audit
    second = engine.audit_from_data(copy.deepcopy(base)).audit
    assert first.responses["1.3"] is second.responses["1.3"]
    other = bundled_engine().audit_from_data(copy.deepcopy(base)).audit
    assert other.responses["1.3"] == first.responses["1.3"] and other.responses["1.3"] is not first.responses["1.3"]
    assert first.responses["1.3"] == Response(points=Fraction(10))
    assert first.responses["1.6"] == Response(interviews=Tally(16, 20))
    assert first.responses["1.1"] == Response(points=Fraction(10), note=base["responses"]["1.1"]["note"])
    assert first.responses["1.1"] is not first.responses["1.3"]  # a note makes the answer uncommon


def test_kept_findings_are_bounded_and_a_failure_is_never_stored() -> None:
    kept = KeptFindings(limit=3)
    context = (object(),)
    table = kept.table(context, (False,))
    assert [kept.put(table, n, f"finding {n}") for n in range(3)] == ["finding 0", "finding 1", "finding 2"]
    assert len(kept) == 3 and table == {0: "finding 0", 1: "finding 1", 2: "finding 2"}
    assert kept.put(table, 3, "finding 3") == "finding 3"  # the fourth drops every table, and is not kept
    assert len(kept) == 0 and table == {}
    fresh = kept.table(context, (False,))
    assert fresh is not table and kept.put(fresh, 3, "finding 3") == "finding 3" and len(kept) == 1

    def fails() -> str:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        kept.put(fresh, 4, fails())
    assert 4 not in fresh and len(kept) == 1


def test_each_context_has_its_own_table_by_identity_and_values() -> None:
    kept = KeptFindings()
    a, b = Response(points=Fraction(1)), Response(points=Fraction(1))
    assert a == b and a is not b
    first = kept.table((a,), (False,))
    assert kept.table((a,), (False,)) is first
    assert kept.table((b,), (False,)) is not first  # equal objects that are not the same: apart
    assert kept.table((a,), (True,)) is not first  # plain values are part of the context
    assert kept.limit == 20_000


def test_a_limit_of_zero_keeps_no_finding() -> None:
    kept = KeptFindings(limit=0)
    table = kept.table((object(),))
    assert kept.put(table, "key", 1) == 1
    assert table == {} and len(kept) == 0 and kept.table((object(),)) == {}


# --------------------------------------------------------------------------- what is reused, and for whom


def counting_awarded(pure: bool) -> tuple[ScoringMethod, list[int]]:
    """An ``awarded`` method whose explanation counts its calls."""
    calls: list[int] = []

    def score(question: Question, response: Response) -> tuple[Fraction, str]:
        calls.append(1)
        assert response.points is not None
        return response.points, f"call {len(calls)}"

    builtin = next(m for m in BUILTIN_METHODS if m.name == "awarded")
    return attrs.evolve(builtin, score=score, pure=pure), calls


def basic_scores(methods: dict[str, ScoringMethod]) -> list[str]:
    engine = make_engine()
    audit = engine.audit_from_data(basic_audit()).audit
    standard = engine.standard("test-basic")
    scored = score_audit(standard, audit, "Large", methods, engine.reuse)
    return [q.explanation for e in scored.elements for q in e.questions]


def test_a_method_that_is_not_pure_is_asked_every_time() -> None:
    engine = make_engine()
    audit = engine.audit_from_data(basic_audit()).audit
    standard = engine.standard("test-basic")
    method, calls = counting_awarded(pure=False)
    methods = {**{m.name: m for m in BUILTIN_METHODS}, "awarded": method}
    first = score_audit(standard, audit, "Large", methods, engine.reuse)
    second = score_audit(standard, audit, "Large", methods, engine.reuse)
    assert len(calls) == 6  # three awarded questions, twice
    assert first.elements[0].questions[0].explanation == "call 1"
    assert second.elements[0].questions[0].explanation == "call 4"


def test_a_pure_method_is_asked_once_per_question_and_answer_and_each_set_of_methods_keeps_its_own() -> None:
    engine = make_engine()
    audit = engine.audit_from_data(basic_audit()).audit
    standard = engine.standard("test-basic")
    builtins = {m.name: m for m in BUILTIN_METHODS}
    one, one_calls = counting_awarded(pure=True)
    two, two_calls = counting_awarded(pure=True)
    first = score_audit(standard, audit, "Large", {**builtins, "awarded": one}, engine.reuse)
    again = score_audit(standard, audit, "Large", {**builtins, "awarded": one}, engine.reuse)
    other = score_audit(standard, audit, "Large", {**builtins, "awarded": two}, engine.reuse)
    assert (len(one_calls), len(two_calls)) == (3, 3)
    assert first.elements[0].questions[0] is again.elements[0].questions[0]
    assert other.elements[0].questions[0] is not first.elements[0].questions[0]
    assert [q.explanation for q in first.elements[0].questions] == [
        "call 1",
        "call 2",
        "7/9 positive x 10 = 70/9, rounded down to a whole point -> 7",  # a range question: the built-in method
    ]
    assert basic_scores(builtins)[0] == "awarded 8 of 10"  # the built-in methods, not the counting ones


def test_a_layout_goes_with_its_standard_and_the_tables_with_their_engine() -> None:
    import gc
    import weakref

    engine = make_engine()
    audit = engine.audit_from_data(basic_audit()).audit
    standard = engine.standard("test-basic")
    methods = engine.methods()
    reuse = engine.reuse
    score_audit(standard, audit, "Large", methods, reuse)
    key = reuse.plans.key(standard, methods)
    assert key in reuse.plans
    pinned = attrs.evolve(standard, version="other")  # a standard that only this test holds
    score_audit(pinned, audit, "Large", methods, reuse)
    pinned_key = reuse.plans.key(pinned, methods)
    assert pinned_key in reuse.plans
    del pinned
    gc.collect()
    assert pinned_key not in reuse.plans and key in reuse.plans
    kept = weakref.ref(reuse)
    del engine, reuse, standard, methods, audit
    gc.collect()
    assert kept() is None  # nothing outside the Engine holds its tables


def test_scoring_without_an_engine_keeps_nothing() -> None:
    engine = make_engine(reuse=False)
    audit = engine.audit_from_data(basic_audit()).audit
    standard = engine.standard("test-basic")
    method, calls = counting_awarded(pure=True)
    methods = {**{m.name: m for m in BUILTIN_METHODS}, "awarded": method}
    score_audit(standard, audit, "Large", methods)
    score_audit(standard, audit, "Large", methods)
    assert len(calls) == 6  # no reuse given: every pure result computed afresh
    assert len(Reuse.off().plans) == 0


def test_a_slot_keeps_each_score_with_the_response_it_was_computed_from() -> None:
    engine = make_engine()
    result = engine.score(engine.audit_from_data(basic_audit()))
    standard, audit = result.standard.standard, result.audit
    question = standard.elements[0].questions[1]
    plan = engine.reuse.plans.of(standard, engine.methods())
    slot = plan.slots[question.id]
    response = audit.responses[question.id]
    kept = slot.scores[id(response)]
    assert kept[0] is result.score.elements[0].questions[1] and kept[3] is response
    assert (kept[1], kept[2]) == (result.score.elements[0].questions[1].earned, 10)
    assert slot.valid[id(response)] is response  # found valid once: not validated again
    assert plan.slots[question.id] is slot and engine.reuse.plans.of(standard, engine.methods()) is plan
    kept = sum(len(s.valid) for s in plan.slots.values()), sum(len(s.scores) for s in plan.slots.values())
    assert kept[0] > 0 and kept[1] > 0
    # every kept result counted once: the valid responses, the scores and the whole numbers of the totals
    assert (
        len(engine.reuse.plans) == engine.reuse.plans.budget.used == len(plan) == kept[0] + kept[1] + len(plan._whole)
    )
    assert plan.whole(7) is plan.whole(7) == 7  # one Fraction per whole number


def test_the_plans_of_an_engine_keep_at_most_their_limit_of_results() -> None:
    from corengine._rules.scoring_plan import Plans

    engine = make_engine()
    audit = engine.audit_from_data(basic_audit()).audit
    standard = engine.standard("test-basic")
    plans = Plans(limit=4)
    plan = plans.of(standard, engine.methods())
    responses = [Response(points=Fraction(n)) for n in range(6)]
    slot = plan.slots[standard.elements[0].questions[0].id]
    for response in responses[:4]:
        plan.keep_valid(slot, response)
    assert len(plans) == 4
    plan.keep_valid(slot, responses[4])  # the fifth empties the plans first
    assert len(plans) == 1 and list(slot.valid) == [id(responses[4])]
    assert len(Plans(limit=0).of(standard, engine.methods())) == 0
    off = Plans(limit=0)
    none = off.of(standard, engine.methods())
    none.keep_valid(none.slots[slot.id], responses[5])
    assert len(off) == 0 and audit.responses  # a limit of 0 keeps nothing


# --------------------------------------------------------------------------- the reader's table of common answers


def problems_of(engine: Engine, responses: dict[str, Any]) -> list[str]:
    data = basic_audit()
    data["responses"] = {**data["responses"], **responses}
    try:
        engine.score(engine.audit_from_data(data))
    except InputError as exc:
        return [str(p) for p in exc.problems]
    return []


@pytest.mark.parametrize(
    "answer",
    [
        {"interviews": {"positive": 7.0, "total": 9}},  # equal to 7, and to the key of the answer read before
        {"interviews": {"positive": 7, "total": 9.0}},
        {"interviews": {"positive": True, "total": 9}},
        {"points": True},
        {"points": 8.0},
        {"na": "   "},
        {"na": 5},
        {"interviews": {"positive": 7, "total": 9}, "note": "x", "extra": 1},
        {"points": {"positive": 8, "total": 0}},  # the key of {points: 8} in the table, were kinds not checked
        {"na": {"positive": 8, "total": 0}},
        {"interviews": 8},
    ],
)
def test_an_answer_equal_to_a_common_one_but_of_another_type_is_read_as_a_fresh_engine_reads_it(
    answer: dict[str, Any],
) -> None:
    warm = make_engine()
    assert problems_of(warm, {}) == []  # {points: 8} and {interviews: 7 of 9} are now in its table
    fresh = make_engine(reuse=False)
    assert problems_of(warm, {"1.3": answer, "1.1": answer}) == problems_of(fresh, {"1.3": answer, "1.1": answer})


def test_a_short_na_reason_is_one_object_and_a_long_one_is_its_own() -> None:
    engine = make_engine()
    short, long = "no such work", "x" * 201
    audits = [engine.audit_from_data(basic_audit() | {"responses": {"1.1": {"na": r}}}).audit for r in (short, short)]
    assert audits[0].responses["1.1"] is audits[1].responses["1.1"] == Response(na=short)
    again = [engine.audit_from_data(basic_audit() | {"responses": {"1.1": {"na": long}}}).audit for _ in range(2)]
    assert again[0].responses["1.1"] == again[1].responses["1.1"] == Response(na=long)
    assert again[0].responses["1.1"] is not again[1].responses["1.1"]


LOW_MINIMUM = """\
id: low-minimum
title: An element minimum of confidence L (test data)
version: "1"
jurisdiction: ZZ
programs: [COR]
elements:
  - id: "A"
    title: Weak
    questions:
      - {id: "A.1", text: One, points: 10}
  - id: "B"
    title: Strong
    questions:
      - {id: "B.1", text: Two, points: 10}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - start: 2010-01-01
        reference: [https://example.org/low]
        confidence: L
        element_minimum: 50
"""


def test_an_element_finding_kept_without_strict_is_not_the_one_given_with_strict(tmp_path: Path) -> None:
    path = tmp_path / "low-minimum.yaml"
    path.write_text(LOW_MINIMUM, encoding="utf-8")
    data = {
        "standard": "low-minimum",
        "audit_type": "certification",
        "audit_date": "2024-05-10",
        "employer": {"name": "E"},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {"A.1": {"points": 4}, "B.1": {"points": 10}},
    }

    def element_a(engine: Engine, strict: bool) -> tuple[str, str, bool]:
        result = engine.score(engine.audit_from_data(copy.deepcopy(data)), strict=strict)
        found = next(f for f in result.outcome.reasons if f.check == "certification.element_minimum")
        return found.status, found.message, result.outcome.passed

    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    advisory = ("advisory", "element A (Weak) 40.00% is below the 50% element minimum", True)
    failed = ("fail", "element A (Weak) 40.00% is below the 50% element minimum", False)
    assert [element_a(engine, s) for s in (False, True, False, True)] == [advisory, failed, advisory, failed]
