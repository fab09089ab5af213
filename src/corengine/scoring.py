"""Scoring: responses to points, points to element and overall totals, in exact fractions.

Scoring knows nothing about pass marks; :mod:`corengine.outcome` applies the rules to the result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction

from attrs import frozen

from .model import Audit, AuditScore, ElementScore, Question, QuestionScore, Response, Standard, Tally, exact_sum

Problem = tuple[tuple[str | int, ...], str]
"""A validation problem: the path inside the audit and what is wrong."""


@frozen
class ScoringMethod:
    """A named way to turn a response into points; plugins register more through a hook."""

    name: str
    """The name questions give in ``scoring.method``."""
    score: Callable[[Question, Response], tuple[Fraction, str]]
    """Points earned and a one-line explanation; called only on validated responses."""
    validate: Callable[[Question, Response], list[str]]
    """Problems with a response to a question using this method (empty when fine)."""
    description: str = ""
    """One line for ``corengine plugins`` and docs."""


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
    scale: int = 10**places
    units: int = (2 * value.numerator * scale + value.denominator) // (2 * value.denominator)
    return units


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
    units = _half_up_units(value, places)
    sign, units = ("-", -units) if units < 0 else ("", units)
    whole, rest = divmod(units, 10**places)
    return f"{sign}{whole}.{rest:0{places}d}%" if places else f"{sign}{whole}%"


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


def _all_or_nothing_score(question: Question, response: Response) -> tuple[Fraction, str]:
    positive, total = _tally(question, response)
    threshold = question.scoring.threshold if question.scoring.threshold is not None else Fraction(100)
    share = Fraction(100 * positive, total)
    earned = question.points if share >= threshold else Fraction(0)
    verdict = "meets" if earned else "is below"
    return earned, (
        f"{positive}/{total} positive = {format_percent(share)} {verdict} the {threshold}% threshold"
        f" -> {earned} of {question.points}"
    )


def _range_score(question: Question, response: Response) -> tuple[Fraction, str]:
    positive, total = _tally(question, response)
    exact = question.points * Fraction(positive, total)
    earned = min(round_to(exact, question.scoring.step, question.scoring.rounding), question.points)
    return earned, (
        f"{positive}/{total} positive x {question.points} = {exact}"
        f", rounded {question.scoring.rounding.replace('_', ' ')} to {question.scoring.step} -> {earned}"
    )


BUILTIN_METHODS = (
    ScoringMethod("awarded", _awarded_score, _awarded_validate, "the auditor awards 0..max points"),
    ScoringMethod(
        "all_or_nothing",
        _all_or_nothing_score,
        _tally_validate,
        "full points when positive tallies reach the threshold",
    ),
    ScoringMethod(
        "range",
        _range_score,
        _tally_validate,
        "points in proportion to positive tallies, rounded as the standard says",
    ),
)


# --------------------------------------------------------------------------- the audit


def applies(question: Question, program: str) -> bool:
    """Whether ``program`` answers ``question`` (questions reserved for another program are excluded)."""
    return not question.programs or program in question.programs


def score_audit(standard: Standard, audit: Audit, program: str, methods: Mapping[str, ScoringMethod]) -> AuditScore:
    """Score a validated audit; N/A and excluded questions leave the denominator, unanswered ones score 0."""
    elements = []
    for element in standard.elements:
        scores = []
        for question in element.questions:
            response = audit.responses.get(question.id)
            method = question.scoring.method
            if not applies(question, program):
                scores.append(
                    QuestionScore(
                        question.id,
                        element.id,
                        "excluded",
                        Fraction(0),
                        Fraction(0),
                        method,
                        f"not answered in the {program} program",
                    )
                )
            elif response is None:
                scores.append(
                    QuestionScore(
                        question.id,
                        element.id,
                        "unanswered",
                        Fraction(0),
                        question.points,
                        method,
                        f"no response: 0 of {question.points}",
                    )
                )
            elif response.na is not None:
                scores.append(
                    QuestionScore(
                        question.id,
                        element.id,
                        "na",
                        Fraction(0),
                        Fraction(0),
                        method,
                        f"not applicable: {response.na}",
                    )
                )
            else:
                earned, why = methods[method].score(question, response)
                scores.append(QuestionScore(question.id, element.id, "scored", earned, question.points, method, why))
        elements.append(
            ElementScore(
                element.id,
                element.title,
                exact_sum(s.earned for s in scores),
                exact_sum(s.available for s in scores),
                tuple(scores),
            )
        )
    return AuditScore(standard.id, standard.version, program, tuple(elements))
