"""Scoring: exact points per method, N/A and program exclusions, and the invariants hypothesis checks."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corengine import Engine
from corengine._rules.scoring import (
    BUILTIN_METHODS,
    ScoringMethod,
    _tally,
    display_percent,
    format_percent,
    round_to,
    score_audit,
    scoring_problems,
)
from corengine.model import Element, Question, QuestionScore, Response, Scoring, Standard, Tally
from tests.helpers import basic_audit

METHODS = {m.name: m for m in BUILTIN_METHODS}


def score(engine: Engine, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    return engine.score(engine.audit_from_data(data)).score


def test_the_basic_audit_scores_exactly(engine: Engine, audit_data: dict[str, Any]) -> None:
    result = score(engine, audit_data)
    assert [(e.id, e.earned, e.available) for e in result.elements] == [("1", 25, 30), ("2", 30, 40)]
    assert (result.earned, result.available, result.percent) == (55, 70, Fraction(550, 7))
    explanations = {q.id: q.explanation for e in result.elements for q in e.questions}
    assert explanations == {
        "1.1": "awarded 8 of 10",
        "1.2": "awarded 10 of 10",
        "1.3": "7/9 positive x 10 = 70/9, rounded down to a whole point -> 7",
        "2.1": "10/13 positive = 76.92% meets the 70% threshold -> 20 of 20",
        "2.2": "awarded 5 of 10",
        "2.3": "2/3 positive x 10 = 20/3, rounded half up to a multiple of 5 points -> 5",
    }


def test_na_leaves_the_denominator(engine: Engine, audit_data: dict[str, Any]) -> None:
    audit_data["responses"]["1.3"] = {"na": "no workers on site"}
    element = score(engine, audit_data).elements[0]
    assert (element.earned, element.available) == (18, 20)
    assert element.questions[2].status == "na"


def test_small_program_excludes_large_only_questions(engine: Engine, audit_data: dict[str, Any]) -> None:
    audit_data["program"] = "Small"
    del audit_data["responses"]["2.2"]
    element = score(engine, audit_data).elements[1]
    assert (element.earned, element.available) == (25, 30)
    assert element.questions[1].status == "excluded"


def test_all_or_nothing_just_below_the_threshold_earns_nothing(engine: Engine, audit_data: dict[str, Any]) -> None:
    audit_data["responses"]["2.1"] = {"interviews": {"positive": 69, "total": 100}}
    assert score(engine, audit_data).elements[1].questions[0].earned == 0
    audit_data["responses"]["2.1"] = {"interviews": {"positive": 70, "total": 100}}
    assert score(engine, audit_data).elements[1].questions[0].earned == 20


@pytest.mark.parametrize(
    ("value", "mode", "expected"),
    [
        (Fraction(25, 2), "down", 12),
        (Fraction(25, 2), "up", 13),
        (Fraction(25, 2), "half_up", 13),
        (Fraction(25, 2), "half_even", 12),
        (Fraction(27, 2), "half_even", 14),
        (Fraction(37, 3), "half_up", 12),
    ],
)
def test_rounding_modes(value: Fraction, mode: str, expected: int) -> None:
    assert round_to(value, Fraction(1), mode) == expected


def test_display_percent_rounds_half_up_but_thresholds_use_exact_values() -> None:
    assert display_percent(Fraction(79995, 1000)) == 80.0
    assert display_percent(Fraction(79994, 1000)) == 79.99
    assert display_percent(None) is None


# --------------------------------------------------------------------------- hypothesis invariants

tallies = st.integers(min_value=1, max_value=60).flatmap(
    lambda total: st.builds(Tally, st.integers(min_value=0, max_value=total), st.just(total))
)


@st.composite
def question_and_response(draw: st.DrawFn) -> tuple[Question, Response]:
    points = Fraction(draw(st.integers(min_value=0, max_value=40)), draw(st.sampled_from([1, 2, 4])))
    method = draw(st.sampled_from(["awarded", "all_or_nothing", "range"]))
    if method == "awarded":
        question = Question(id="q", text="t", points=points)
        earned = Fraction(draw(st.integers(min_value=0, max_value=100)), 100) * points
        return question, Response(points=earned)
    scoring = Scoring(
        method=method,
        threshold=Fraction(draw(st.integers(min_value=0, max_value=100))),
        rounding=draw(st.sampled_from(["down", "up", "half_up", "half_even"])),
        step=draw(st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(5)])),
    )
    question = Question(id="q", text="t", points=points, scoring=scoring)
    return question, Response(interviews=draw(tallies))


@given(question_and_response())
def test_a_question_never_scores_outside_zero_to_its_points(pair: tuple[Question, Response]) -> None:
    question, response = pair
    method = METHODS[question.scoring.method]
    assert method.validate(question, response) == []
    earned, _ = method.score(question, response)
    assert 0 <= earned <= question.points


@given(st.integers(min_value=0, max_value=10), st.integers(min_value=0, max_value=10))
def test_adding_points_never_lowers_a_score(shared_engine: Engine, first: int, second: int) -> None:
    data = basic_audit()
    low, high = sorted((first, second))
    data["responses"]["1.1"] = {"points": low}
    before = score(shared_engine, data)
    data["responses"]["1.1"] = {"points": high}
    after = score(shared_engine, data)
    assert after.earned >= before.earned
    assert after.percent is not None and before.percent is not None and after.percent >= before.percent


@given(st.integers(min_value=1, max_value=30).flatmap(lambda t: st.tuples(st.integers(0, t), st.just(t))))
def test_marking_a_question_na_scores_the_rest_as_if_it_did_not_exist(
    shared_engine: Engine, tally: tuple[int, int]
) -> None:
    data = basic_audit()
    data["responses"]["1.3"] = {"interviews": {"positive": tally[0], "total": tally[1]}}
    with_na = dict(data, responses=dict(data["responses"], **{"1.3": {"na": "not applicable here"}}))
    na_score = score(shared_engine, with_na)
    full = score(shared_engine, data)
    dropped = full.elements[0].questions[2]
    assert na_score.earned == full.earned - dropped.earned
    assert na_score.available == full.available - dropped.available


def test_scores_stay_within_their_totals_for_every_question(engine: Engine, audit_data: dict[str, Any]) -> None:
    result = score(engine, audit_data)
    for element in result.elements:
        assert 0 <= element.earned <= element.available
        for question in element.questions:
            assert 0 <= question.earned <= question.available


@settings(max_examples=50)
@given(st.lists(st.integers(min_value=0, max_value=10), min_size=2, max_size=2))
def test_score_is_within_zero_and_max_for_random_awarded_points(shared_engine: Engine, points: list[int]) -> None:
    data = basic_audit()
    data["responses"]["1.1"] = {"points": points[0]}
    data["responses"]["2.2"] = {"points": points[1]}
    result = score(shared_engine, data)
    assert 0 <= result.earned <= result.available


def test_score_audit_scores_a_missing_response_as_zero_for_library_callers(
    engine: Engine, audit_data: dict[str, Any]
) -> None:
    audit = engine.audit_from_data(audit_data).audit
    audit = attrs.evolve(audit, responses={k: v for k, v in audit.responses.items() if k != "1.1"})
    result = score_audit(engine.standard("test-basic"), audit, "Large", engine.methods())
    assert result.elements[0].questions[0] == QuestionScore(
        "1.1", "1", "unanswered", Fraction(0), Fraction(10), "awarded", "no response: 0 of 10"
    )
    assert (result.elements[0].earned, result.elements[0].available) == (17, 30)


def test_format_percent_of_nothing_scored_is_n_a() -> None:
    assert (format_percent(None), format_percent(Fraction(1, 3)), format_percent(Fraction(1, 3), 1)) == (
        "n/a",
        "0.33%",
        "0.3%",
    )


def test_several_tallies_are_summed_unless_the_question_names_one() -> None:
    summing = Question(id="q", text="t", points=Fraction(10), scoring=Scoring(method="range"))
    both = Response(interviews=Tally(3, 4), documents=Tally(5, 6))
    assert _tally(summing, both) == (8, 10)
    assert _tally(summing, Response(observations=Tally(2, 3))) == (2, 3)
    named = Question(id="q", text="t", points=Fraction(10), scoring=Scoring(method="range", tally="observations"))
    assert _tally(named, both) == (0, 0)  # the named tally is missing (validation refuses it; a caller may not)
    assert _tally(named, Response(observations=Tally(2, 3), interviews=Tally(1, 1))) == (2, 3)


def test_every_scoring_problem_of_a_standard_is_reported() -> None:
    @attrs.frozen
    class Each:
        each: int = attrs.field(validator=attrs.validators.gt(0))

    def one_check(question: Question, params: Any) -> list[str]:
        return ["too many for the question"] if params.each > question.points else []

    per_item = ScoringMethod("per_item", lambda q, r: (Fraction(0), ""), lambda q, r: [], params=Each, check=one_check)
    methods = {m.name: m for m in (*BUILTIN_METHODS, per_item)}

    def question(qid: str, method: str, params: dict[str, Any] | None = None) -> Question:
        return Question(id=qid, text="t", points=Fraction(10), scoring=Scoring(method=method, params=params or {}))

    standard = Standard(
        id="s",
        title="S",
        version="1",
        jurisdiction="ZZ",
        programs=("COR",),
        elements=(
            Element(
                id="1",
                title="One",
                questions=(
                    question("1.1", "awardd"),
                    question("1.2", "rnage"),
                    question("1.3", "per_item", {"each": 0}),
                    question("1.4", "per_item", {"each": -1}),
                    question("1.5", "per_item", {"each": 20}),
                    question("1.6", "per_item", {"each": 30}),
                    question("1.7", "awarded", {"each": 1}),
                    question("1.8", "awarded", {"each": 1}),
                ),
            ),
        ),
    )
    at = ("elements", 0, "questions")
    known = "registered: all_or_nothing, awarded, per_item, range"
    assert scoring_problems(standard, methods) == [
        ((*at, 0, "scoring", "method"), f"unknown scoring method 'awardd' (did you mean 'awarded'? {known})"),
        ((*at, 1, "scoring", "method"), f"unknown scoring method 'rnage' (did you mean 'range'? {known})"),
        ((*at, 2, "scoring", "params", "each"), "'each' must be > 0: 0"),
        ((*at, 3, "scoring", "params", "each"), "'each' must be > 0: -1"),
        ((*at, 4, "scoring", "params"), "too many for the question"),
        ((*at, 5, "scoring", "params"), "too many for the question"),
        ((*at, 6, "scoring", "params"), "scoring method 'awarded' takes no params"),
        ((*at, 7, "scoring", "params"), "scoring method 'awarded' takes no params"),
    ]
    assert scoring_problems(standard, {})[0] == (
        (*at, 0, "scoring", "method"),
        "unknown scoring method 'awardd' (registered: none)",
    )


@st.composite
def tally_questions(draw: st.DrawFn) -> tuple[Question, Response]:
    """Tally questions with fractional points, thresholds and steps, and every rounding mode."""
    points = Fraction(draw(st.integers(min_value=0, max_value=40)), draw(st.sampled_from([1, 2, 3, 4])))
    denominator = draw(st.sampled_from([1, 3, 100]))
    scoring = Scoring(
        method=draw(st.sampled_from(["all_or_nothing", "range"])),
        threshold=Fraction(draw(st.integers(min_value=0, max_value=100 * denominator)), denominator),
        rounding=draw(st.sampled_from(["down", "up", "half_up", "half_even"])),
        step=draw(st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(1, 3), Fraction(5), Fraction(5, 2)])),
    )
    return Question(id="q", text="t", points=points, scoring=scoring), Response(interviews=draw(tallies))


@given(tally_questions())
@settings(max_examples=400)
def test_tally_scoring_equals_its_definition_in_exact_fractions(pair: tuple[Question, Response]) -> None:
    """The integer paths (cross-multiplied thresholds, whole-number rounding) give exactly what the written rule
    gives in Fraction arithmetic: full points when 100 x positive / total >= threshold; the points times the
    share, rounded to the step as the standard says, never above the points."""
    question, response = pair
    assert response.interviews is not None
    positive, total = response.interviews.positive, response.interviews.total
    scoring = question.scoring
    earned, _ = METHODS[scoring.method].score(question, response)
    if scoring.method == "all_or_nothing":
        assert scoring.threshold is not None
        assert earned == (question.points if Fraction(100 * positive, total) >= scoring.threshold else 0)
    else:
        exact = question.points * Fraction(positive, total)
        assert earned == min(round_to(exact, scoring.step, scoring.rounding), question.points)


@pytest.mark.parametrize(
    ("mode", "positive", "expected"),
    [
        # 10 points x positive/8, to whole points: 5/8 x 10 = 6.25, 7/8 x 10 = 8.75, 3/8 x 10 = 3.75; 1/4 -> 2.5
        ("down", 5, 6),
        ("up", 5, 7),
        ("half_up", 5, 6),
        ("half_even", 5, 6),
        ("half_up", 2, 3),  # 2.5: half up
        ("half_even", 2, 2),  # 2.5: half to the even 2
        ("half_even", 6, 8),  # 7.5: half to the even 8
        ("half_up", 7, 9),
        ("half_even", 7, 9),
        ("down", 8, 10),
        ("up", 0, 0),
    ],
)
def test_range_rounding_at_the_half_and_between(mode: str, positive: int, expected: int) -> None:
    scoring = Scoring(method="range", rounding=mode, step=Fraction(1))
    question = Question(id="q", text="t", points=Fraction(10), scoring=scoring)
    earned, text = METHODS["range"].score(question, Response(interviews=Tally(positive, 8)))
    assert earned == expected
    exact = Fraction(10 * positive, 8)
    assert (
        text == f"{positive}/8 positive x 10 = {exact}, rounded {mode.replace('_', ' ')} to a whole point -> {expected}"
    )


def test_all_or_nothing_compares_a_fractional_threshold_exactly() -> None:
    """200/3 % (66.67 rounded) needs two thirds: 2 of 3 meets it exactly, 99 of 149 (66.44%) does not."""
    scoring = Scoring(method="all_or_nothing", threshold=Fraction(200, 3))
    question = Question(id="q", text="t", points=Fraction(5), scoring=scoring)
    method = METHODS["all_or_nothing"]
    assert method.score(question, Response(interviews=Tally(2, 3))) == (
        5,
        "2/3 positive = 66.67% meets the 200/3% threshold -> 5 of 5",
    )
    assert method.score(question, Response(interviews=Tally(99, 149)))[0] == 0
    at_80 = Question(
        id="q", text="t", points=Fraction(5), scoring=Scoring(method="all_or_nothing", threshold=Fraction(80))
    )
    assert method.score(at_80, Response(interviews=Tally(99, 124)))[0] == 0  # 79.84%: within 1% is still below
    assert method.score(at_80, Response(interviews=Tally(4, 5)))[0] == 5  # exactly 80%


@pytest.mark.parametrize("step", ["0", "-1/2"])
def test_a_range_step_that_is_not_above_zero_is_refused_where_the_standard_gives_it(step: str) -> None:
    from corengine.model.converter import structure_value

    with pytest.raises(ValueError, match=rf"^must be greater than 0, not {Fraction(step)}$"):
        structure_value({"method": "range", "step": step}, Scoring)


def test_a_tally_method_called_directly_says_what_answer_it_expected() -> None:
    """``ScoringMethod.validate`` is public (plugins wrap the built-in methods): with no tally at all it asks for
    one, and with another tally than the one the question names it names that one."""
    anything = Question(id="q", text="t", points=Fraction(10), scoring=Scoring(method="range"))
    named = Question(id="q", text="t", points=Fraction(10), scoring=Scoring(method="range", tally="documents"))
    validate = METHODS["range"].validate
    assert validate(anything, Response()) == ["expected a tally with positive and total"]
    assert validate(named, Response(interviews=Tally(1, 2))) == ["expected documents with positive and total"]
