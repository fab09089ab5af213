"""Scoring: responses to points, points to element and overall totals, in exact fractions.

Scoring knows nothing about pass marks; :mod:`corengine._rules.outcome` applies the rules to the result.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable, Mapping
from fractions import Fraction
from operator import itemgetter
from typing import Any, Literal, TypeVar, cast

import attrs
from attrs import field, frozen

from corengine._io.loading import PathKey
from corengine._rules.reuse import Reuse
from corengine._rules.scoring_plan import Kept, Slot, Totals
from corengine._rules.scoring_plan import applies as applies
from corengine._util.records import Record
from corengine.model import (
    Audit,
    AuditScore,
    Element,
    ElementScore,
    Question,
    QuestionScore,
    Response,
    ScoreRule,
    Standard,
    Tally,
    exact_sum,
)
from corengine.model.converter import structure_partial, structure_value
from corengine.model.findings import number_text
from corengine.model.validators import one_of

T = TypeVar("T")

Problem = tuple[tuple[str | int, ...], str]
"""A validation problem: the path inside the audit and what is wrong."""


ANSWER_FORMS = ("points", "tally", "any")
"""How a scoring method is answered: ``points`` awarded by the auditor, a ``tally`` (positive of total
interviews, observations or documents), or ``any`` of them (the method's ``validate`` decides; a blank workbook
opens every answer column)."""

AnswerForm = Literal["points", "tally", "any"]

BUILTIN_FORMS: dict[str, AnswerForm] = {"awarded": "points", "all_or_nothing": "tally", "range": "tally"}
"""The answer form of each built-in method."""


@frozen(repr=False, eq=False)
class ScoringMethod(Record):
    """A named way to turn a response into points; plugins register more through a hook."""

    name: str
    """The name questions give in ``scoring.method`` (or ``scoring: NAME``)."""
    score: Callable[[Question, Response], tuple[Fraction, str]]
    """Points earned and a one-line explanation; called only on validated responses."""
    validate: Callable[[Question, Response], list[str]]
    """Problems with a response to a question using this method (empty when fine)."""
    description: str = ""
    """One line for ``corengine plugins`` and docs."""
    answer: AnswerForm = field(default="any", validator=one_of(ANSWER_FORMS))
    """How a response is written: ``points``, ``tally`` or ``any`` (``new``, the workbook and ``show`` present
    the question so; the default ``any`` opens every answer column)."""
    params: type | None = None
    """An attrs class the standard's ``scoring.params`` are structured into when the standard loads (unknown keys,
    wrong types and the class's validators are reported with the standard's file, line and path); ``None``: the
    method takes no params. Read them in ``score`` and ``validate`` with :func:`params_of`."""
    check: Callable[[Question, Any], list[str]] | None = None
    """Checks of the structured params against the question they score (e.g. that they fit its points), called
    when the standard loads with ``(question, params)``; each message is a problem at ``scoring.params``."""
    pure: bool = False
    """``score`` and ``validate`` depend on the question and the response alone (no clock, no files, no state):
    the engine may then reuse their results for the same question and response object, as it does for the
    built-in methods. Leave it ``False`` when in doubt."""


def params_of(question: Question, cls: type[T]) -> T:
    """The question's ``scoring.params`` as ``cls`` (the class its method declares); the standard's load already
    checked them, so this only converts."""
    value: T = structure_value(question.scoring.params, cls)
    return value


def answer_form(question: Question, methods: Mapping[str, ScoringMethod] | None = None) -> AnswerForm:
    """How a response to ``question`` is written: by the built-in method's form, else by the registered
    method's declared form (``any`` when the method is not known)."""
    name = question.scoring.method
    if name in BUILTIN_FORMS:
        return BUILTIN_FORMS[name]
    method = (methods or {}).get(name)
    return method.answer if method is not None else "any"


def scoring_problems(standard: Standard, methods: Mapping[str, ScoringMethod]) -> list[tuple[PathKey, str]]:
    """Each question of one standard file whose scoring names no registered method, or whose params its method
    rejects: (path inside the standard, message)."""
    found: list[tuple[PathKey, str]] = []
    known = sorted(methods)
    for e, element in enumerate(standard.elements):
        for q, question in enumerate(element.questions):
            at: PathKey = ("elements", e, "questions", q, "scoring")
            scoring = question.scoring
            method = methods.get(scoring.method)
            if method is None:
                import difflib  # (only for a problem: not imported by a valid standard)

                close = difflib.get_close_matches(scoring.method, known, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                found.append(
                    (
                        (*at, "method"),
                        f"unknown scoring method {scoring.method!r} ({hint}registered: {', '.join(known) or 'none'})",
                    )
                )
                continue
            if method.params is None:
                if scoring.params:
                    found.append(((*at, "params"), f"scoring method {method.name!r} takes no params"))
                continue
            value, issues = structure_partial(scoring.params, method.params)
            if issues:
                found += [((*at, "params", *path), message) for path, message, _ in issues]
                continue
            if method.check is not None:
                found += [((*at, "params"), message) for message in method.check(question, value)]
    return found


def round_to(value: Fraction, step: Fraction, mode: str) -> Fraction:
    """Round ``value`` to a multiple of ``step`` the way the standard names."""
    units = value / step
    if mode == "down":
        whole = math.floor(units)
    elif mode == "up":
        whole = math.ceil(units)
    elif mode == "half_up":
        whole = math.floor(units + Fraction(1, 2))
    elif mode == "half_even":
        whole = round(units)
    else:  # pragma: no cover - the model's validator admits only the four above
        raise ValueError(f"unknown rounding {mode!r}")
    return whole * step


def _half_up_units(value: Fraction, places: int) -> int:
    """``value`` in units of 10**-places, rounded half up (exact integer arithmetic)."""
    return _half_up_ratio(value.numerator, value.denominator, places)


def _half_up_ratio(numerator: int, denominator: int, places: int) -> int:
    """``numerator / denominator`` (``denominator`` > 0, not necessarily in lowest terms) in units of
    10**-places, rounded half up: the same as :func:`_half_up_units` of the fraction, without building it."""
    scale: int = 10**places
    units: int = (2 * numerator * scale + denominator) // (2 * denominator)
    return units


def _units_text(units: int, places: int) -> str:
    sign, units = ("-", -units) if units < 0 else ("", units)
    whole, rest = divmod(units, 10**places)
    return f"{sign}{whole}.{rest:0{places}d}%" if places else f"{sign}{whole}%"


def display_percent(value: Fraction | None, places: int = 2) -> float | None:
    """A percentage for people: rounded half up; thresholds never compare this value."""
    if value is None:
        return None
    scale: int = 10**places
    return _half_up_units(value, places) / scale


def format_percent(value: Fraction | None, places: int = 2) -> str:
    """Text form of :func:`display_percent`, e.g. ``80.00%`` or ``n/a``."""
    if value is None:
        return "n/a"
    return _units_text(_half_up_units(value, places), places)


def format_percent_against(value: Fraction | None, threshold: Fraction, places: int = 2) -> str:
    """:func:`format_percent`, with more places where 2 would hide which side of ``threshold`` the value is on
    (79.995% is below 80%, but prints as 80.00%); the exact fraction where no decimal shows it."""
    if value is None or value >= threshold:
        return format_percent(value, places)
    for shown in range(places, 13):
        if Fraction(_half_up_units(value, shown), 10**shown) < threshold:
            return format_percent(value, shown)
    return f"{value}% (exactly)"


# --------------------------------------------------------------------------- built-in methods


def _awarded_validate(question: Question, response: Response) -> list[str]:
    if response.points is None:
        return ["expected points (this question is scored by the auditor), not tallies"]
    if response.points > question.points:
        return [f"points must be <= {question.points}, not {response.points}"]
    steps = question.scoring.steps
    if steps and response.points not in steps:
        allowed = ", ".join(str(s) for s in steps)
        return [f"points must be one of {allowed}, not {response.points}"]
    return []


def _awarded_score(question: Question, response: Response) -> tuple[Fraction, str]:
    assert response.points is not None
    return response.points, f"awarded {response.points} of {question.points}"


def _tally(question: Question, response: Response) -> tuple[int, int]:
    """(positive, total) from the tally the question names, or from every tally given."""
    name = question.scoring.tally
    if name is not None:
        tally: Tally | None = getattr(response, name)
        return (tally.positive, tally.total) if tally is not None else (0, 0)
    positive = total = 0
    for tally in (response.interviews, response.observations, response.documents):
        if tally is not None:
            positive += tally.positive
            total += tally.total
    return positive, total


def _tally_label(question: Question) -> str:
    return question.scoring.tally or "tallies"


def _tally_validate(question: Question, response: Response) -> list[str]:
    tallies = response.tallies()
    name = question.scoring.tally
    if response.points is not None:
        return [f"expected {name or 'tallies'} (positive/total), not points: this question is scored from tallies"]
    if not tallies or (name is not None and name not in tallies):
        return [f"expected {name or 'a tally'} with positive and total"]
    if _tally(question, response)[1] == 0:
        return [f"{_tally_label(question)} total must be > 0 (mark the question na if nothing could be sampled)"]
    return []


_ZERO = Fraction(0)
_HUNDRED = Fraction(100)


def _all_or_nothing_score(question: Question, response: Response) -> tuple[Fraction, str]:
    positive, total = _tally(question, response)
    threshold = question.scoring.threshold if question.scoring.threshold is not None else _HUNDRED
    # (a total of 0 is refused by validation; a caller that skipped it gets a ZeroDivisionError below)
    # share = 100 * positive / total >= threshold, compared exactly by cross-multiplying whole numbers
    met = 100 * positive * threshold.denominator >= threshold.numerator * total
    earned = question.points if met else _ZERO
    verdict = "meets" if earned else "is below"
    shown = _units_text(_half_up_ratio(100 * positive, total, 2), 2)  # format_percent(share), exactly
    return earned, (
        f"{positive}/{total} positive = {shown} {verdict} the {threshold}% threshold -> {earned} of {question.points}"
    )


def _rounded_ratio(numerator: int, denominator: int, mode: str) -> int:
    """``numerator / denominator`` (``denominator`` > 0) rounded to a whole number as :func:`round_to` rounds
    units: the same integer, from whole numbers alone."""
    if mode == "down":
        return numerator // denominator
    if mode == "up":
        return -(-numerator // denominator)
    if mode == "half_up":
        return (2 * numerator + denominator) // (2 * denominator)
    if mode == "half_even":
        whole, rest = divmod(numerator, denominator)
        twice = 2 * rest
        return whole if twice < denominator or (twice == denominator and whole % 2 == 0) else whole + 1
    raise ValueError(f"unknown rounding {mode!r}")  # pragma: no cover - the model admits only the four above


def _range_score(question: Question, response: Response) -> tuple[Fraction, str]:
    positive, total = _tally(question, response)
    points, scoring = question.points, question.scoring
    step = scoring.step  # > 0 (the model refuses others); a total of 0 is refused by validation
    # points * positive / total in units of step, as whole numbers: the same rounding as round_to
    top, bottom = points.numerator * positive, points.denominator * total
    exact = Fraction(top, bottom)
    whole = _rounded_ratio(top * step.denominator, bottom * step.numerator, scoring.rounding)
    earned = min(Fraction(whole * step.numerator, step.denominator), points)
    return earned, (
        f"{positive}/{total} positive x {points} = {exact}"
        f", rounded {scoring.rounding.replace('_', ' ')} to {_step_words(step)} -> {earned}"
    )


def _step_words(step: Fraction) -> str:
    """What a range question's points are rounded to, in words: ``a whole point``, ``a multiple of 0.5 points``."""
    if step == 1:
        return "a whole point"
    return f"a multiple of {number_text(step)} points"


BUILTIN_METHODS = (
    ScoringMethod(
        "awarded", _awarded_score, _awarded_validate, "the auditor awards 0..max points", answer="points", pure=True
    ),
    ScoringMethod(
        "all_or_nothing",
        _all_or_nothing_score,
        _tally_validate,
        "full points when positive tallies reach the threshold",
        answer="tally",
        pure=True,
    ),
    ScoringMethod(
        "range",
        _range_score,
        _tally_validate,
        "points in proportion to positive tallies, rounded as the standard says",
        answer="tally",
        pure=True,
    ),
)


# --------------------------------------------------------------------------- the audit


def _totals(score: QuestionScore) -> Totals:
    earned, available = score.earned, score.available
    return (
        score,
        earned.numerator if earned.denominator == 1 else None,
        available.numerator if available.denominator == 1 else None,
    )


def _scored(element: Element, question: Question, method: ScoringMethod, response: Response) -> Totals:
    earned, why = method.score(question, response)
    return _totals(QuestionScore(question.id, element.id, "scored", earned, question.points, method.name, why))


def score_audit(
    standard: Standard,
    audit: Audit,
    program: str,
    methods: Mapping[str, ScoringMethod],
    reuse: Reuse | None = None,
) -> AuditScore:
    """Score a validated audit; N/A and excluded questions leave the denominator, unanswered ones score 0.

    ``reuse`` is the calling Engine's tables (the standard's scoring plan, pure methods' results); without one
    nothing is kept, and the score is the same."""
    reuse = Reuse.off() if reuse is None else reuse
    plan = reuse.plans.of(standard, methods)
    elements = []
    responses = audit.responses
    given: Callable[[str], Response | None] = responses.get
    shared = reuse.responses.shared
    keep, whole = plan.keep_score, plan.whole
    for element, entries, kept in plan.layout(sys.intern(program)):
        if kept is not None:
            # every question answered by a response scored before (the common case): the kept scores in one pass
            ids, tables = kept
            found_or_none: list[Any] = list(map(_kept_score, tables, map(id, map(given, ids))))
            if None not in found_or_none:
                hits = cast("list[Kept]", found_or_none)
                earned_parts: list[Any] = list(map(_second, hits))
                available_parts: list[Any] = list(map(_third, hits))
                if None not in earned_parts and None not in available_parts:
                    elements.append(
                        ElementScore(
                            element.id,
                            element.title,
                            whole(sum(earned_parts)),
                            whole(sum(available_parts)),
                            tuple(map(_first, hits)),
                        )
                    )
                    continue
        scores: list[QuestionScore] = []
        # the element's totals, kept as whole numbers while every value is one (most points are)
        earned_whole = available_whole = 0
        fractions: list[tuple[Fraction, Fraction]] = []
        for slot in entries:
            if type(slot) is not Slot:  # a question the program does not answer: its score, counted nowhere
                scores.append(slot)  # type: ignore[arg-type]
                continue
            response = given(slot.id)
            if response is None:
                question = slot.question
                found: Totals = _totals(
                    QuestionScore(
                        question.id,
                        element.id,
                        "unanswered",
                        _ZERO,
                        question.points,
                        question.scoring.method,
                        f"no response: 0 of {question.points}",
                    )
                )
            else:
                hit = slot.scores.get(id(response))
                if hit is not None:
                    found = hit[:3]
                elif response.na is not None:
                    question = slot.question
                    found = (
                        QuestionScore(
                            question.id,
                            element.id,
                            "na",
                            _ZERO,
                            _ZERO,
                            question.scoring.method,
                            f"not applicable: {response.na}",
                        ),
                        0,
                        0,
                    )
                    if id(response) in shared:  # N/A leaves the denominator whatever the method: kept for any
                        keep(slot, response, found)
                else:
                    method = slot.method or methods[slot.question.scoring.method]
                    found = _scored(element, slot.question, method, response)
                    if slot.pure and id(response) in shared:
                        keep(slot, response, found)
            score, earned, available = found
            scores.append(score)
            if earned is not None and available is not None:
                earned_whole += earned
                available_whole += available
            else:
                fractions.append((score.earned, score.available))
        earned_total, available_total = whole(earned_whole), whole(available_whole)
        for earned_part, available_part in fractions:
            earned_total += earned_part
            available_total += available_part
        elements.append(ElementScore(element.id, element.title, earned_total, available_total, tuple(scores)))
    return AuditScore(standard.id, standard.version, program, tuple(elements))


_kept_score: Callable[[dict[int, Kept], int], Kept | None] = dict.get
_first: Callable[[Kept], QuestionScore] = itemgetter(0)
_second: Callable[[Kept], int | None] = itemgetter(1)
_third: Callable[[Kept], int | None] = itemgetter(2)


def score_rules_in_force(standard: Standard, program: str, audit_type: str, on: dt.date) -> tuple[ScoreRule, ...]:
    """The standard's score rules in force on ``on`` for ``program`` and ``audit_type``."""
    return tuple(r for r in standard.score_rules if r.applies(on, program, audit_type))


def apply_score_rules(
    standard: Standard, score: AuditScore, audit_type: str, on: dt.date, strict: bool = False
) -> AuditScore:
    """``score`` with the elements and questions of the score rules in force on ``on`` left out of the totals
    (scored and shown, marked not counted). A rule of confidence L is applied only when ``strict``; otherwise it
    is recorded as deferred, an advisory reading (the confidence policy)."""
    rules = score_rules_in_force(standard, score.program, audit_type, on)
    if not rules:
        return score
    applied = tuple(r for r in rules if r.confidence != "L" or strict)
    deferred = tuple(r for r in rules if r not in applied)
    elements_out = {e for r in applied for e in r.elements}
    questions_out = {q for r in applied for q in r.questions}
    elements = []
    for element in score.elements:
        questions = tuple(
            attrs.evolve(q, counted=False) if q.id in questions_out and q.counted else q for q in element.questions
        )
        if questions != element.questions:
            counted = [q for q in questions if q.counted]
            element = attrs.evolve(
                element,
                earned=exact_sum(q.earned for q in counted),
                available=exact_sum(q.available for q in counted),
                questions=questions,
            )
        if element.id in elements_out:
            element = attrs.evolve(element, counted=False)
        elements.append(element)
    return attrs.evolve(score, elements=tuple(elements), rules_applied=applied, rules_deferred=deferred)


def answer_text(question: Question, methods: Mapping[str, ScoringMethod] | None = None) -> str:
    """How a response to ``question`` is written (by its method's answer form: points, a tally, or either)."""
    scoring = question.scoring
    form = answer_form(question, methods)
    points = ""
    if form in ("points", "any"):
        allowed = ", ".join(str(s) for s in scoring.steps) if scoring.steps else f"0 to {question.points}"
        points = f"{{points: N}} with N one of {allowed}" if scoring.steps else f"{{points: N}} with N from {allowed}"
    tally = ""
    if form in ("tally", "any"):
        by_method = {"I": "interviews", "O": "observations", "D": "documents"}
        kinds = [by_method[m] for m in ("I", "O", "D") if m in question.methods]
        name = scoring.tally or (kinds[0] if kinds else "interviews")
        others = "" if scoring.tally else " (or " + ", ".join(k for k in by_method.values() if k != name) + "; summed)"
        tally = f"{{{name}: {{positive: N, total: N}}}}{others}"
    form_text = " or ".join(part for part in (points, tally) if part)
    if question.na_allowed:
        form_text += ", or {na: reason}"
    return form_text
