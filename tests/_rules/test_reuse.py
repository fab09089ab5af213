"""Results an Engine reuses for the same question and answer (its ``Engine.reuse``, a
:class:`corengine._rules.reuse.Reuse`) are the results computed afresh: the same problems, scores, explanations,
findings and documents, whatever was scored before; and what one Engine keeps is its own."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corengine import Engine, InputError
from corengine._rules.reuse import PureResults, Reuse
from corengine._rules.scoring import BUILTIN_METHODS, ScoringMethod, answer_form, score_audit
from corengine._views.documents import result_document
from corengine._views.render import result_json
from corengine.model import Question, Response, Tally
from tests.helpers import EXAMPLES, basic_audit, bundled_engine, make_engine

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
    assert len(afresh.reuse.results) == len(afresh.reuse.element_findings) == len(afresh.reuse.responses) == 0
    assert decided(afresh, data, strict=False) == first == decided(engine, data, strict=False)
    assert result_json(afresh.score(afresh.audit_from_data(data)))["outcome"]["passed"] is True


def test_results_are_stored_and_reused() -> None:
    engine = bundled_engine()
    data = example(AUDITS[0])
    one = engine.score(engine.audit_from_data(copy.deepcopy(data)))
    stored = len(engine.reuse.results)
    assert stored > 0 and len(engine.reuse.element_findings) > 0
    two = engine.score(engine.audit_from_data(copy.deepcopy(data)))
    assert len(engine.reuse.results) == stored  # nothing new to store
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


def test_a_table_is_bounded_and_stores_no_failure() -> None:
    table = PureResults(limit=3)
    keys = [object() for _ in range(4)]
    assert [table.get((k,), lambda n=n: n) for n, k in enumerate(keys)] == [0, 1, 2, 3]
    assert len(table) == 1  # emptied when the fourth came
    assert table.get((keys[3],), lambda: "again") == 3

    def fails() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        table.get((keys[0],), fails)
    assert table.get((keys[0],), lambda: 7) == 7


def test_equal_objects_that_are_not_the_same_are_computed_apart() -> None:
    table = PureResults()
    a, b = Response(points=Fraction(1)), Response(points=Fraction(1))
    assert a == b and a is not b
    assert table.get((a,), lambda: "a") == "a"
    assert table.get((b,), lambda: "b") == "b"
    assert table.get((a,), lambda: "b", values=(1,)) == "b"  # plain values are part of the key
    assert table.get((a,), lambda: "c", values=(1,)) == "b"


def test_a_limit_of_zero_stores_nothing() -> None:
    table = PureResults(limit=0)
    key = (object(),)
    assert table.get(key, lambda: 1) == 1
    assert table.get(key, lambda: 2) == 2
    assert len(table) == 0


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
    key = (id(standard), id(methods), "Large")
    assert key in reuse.layouts
    pinned = attrs.evolve(standard, version="other")  # a standard that only this test holds
    score_audit(pinned, audit, "Large", methods, reuse)
    pinned_key = (id(pinned), id(methods), "Large")
    assert pinned_key in reuse.layouts
    del pinned
    gc.collect()
    assert pinned_key not in reuse.layouts and key in reuse.layouts
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
    assert len(Reuse.off().results) == 0


def test_an_entry_holds_the_objects_its_key_names() -> None:
    engine = make_engine()
    result = engine.score(engine.audit_from_data(basic_audit()))
    standard, audit = result.standard.standard, result.audit
    element, question = standard.elements[0], standard.elements[0].questions[1]
    method = engine.methods()["awarded"]
    response = audit.responses[question.id]
    key = (element, question, method, response)
    ids = tuple(map(id, key))
    assert engine.reuse.results.entries[ids][1] == key
    assert engine.reuse.results.lookup(ids)[0] is result.score.elements[0].questions[1]
    assert engine.reuse.results.lookup((0, 0, 0, 0)) is None


def test_a_table_of_one_stores_one_and_the_default_table_is_read_through_entries() -> None:
    table = PureResults(limit=1)
    first, second = object(), object()
    assert table.get((first,), lambda: "a") == "a"
    assert len(table) == 1 and table.lookup((id(first),)) == "a"
    assert table.get((second,), lambda: "b") == "b"
    assert len(table) == 1 and table.lookup((id(first),)) is None
    default = PureResults()
    assert default.limit == 50_000
    default.get((first,), lambda: "c")
    assert dict(default.entries) == {(id(first),): ("c", (first,))}
