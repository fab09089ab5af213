"""Audit-document mapping: the evidence map of a standard, an employer's readiness, and the crosswalk.

Everything here is exact (fractions) and deterministic. Readiness is an **estimate** from documents and
records only: interviews and observation cannot be checked from an index, and nothing here is a score.

How one expectation of a kind is checked against an index on a date ``on``:

* evidence dated after ``on`` does not exist yet; a manual section counts as one document at its ``reviewed``
  date, a record set as ``count`` records spread evenly over the calendar months from ``first`` to ``last``;
* with a window of W months (``within_months``, else ``months``), only evidence dated on or after ``on``
  minus W months counts: a record set partly inside counts ``count × months inside ÷ months spanned``,
  rounded down; an undated manual section never counts as current;
* credit = the least of 1, records counted ÷ ``count`` and months covered ÷ ``months``;
* covered when the credit is 1; thin when evidence of the kind exists but falls short (too few, too old,
  fewer months, undated); missing when the index has nothing of the kind.

A question's credit is the mean of its document and record expectations' credits; its points at risk are
its points × (1 − credit). An element's estimate is Σ points × credit ÷ Σ points over its checkable questions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from fractions import Fraction

from attrs import frozen

from corengine._rules.scoring import applies
from corengine._util.dates import add_months, month_index
from corengine.model import Element, EvidenceIndex, Expectation, Question, Result, Standard, exact_sum
from corengine.model.evidence_kinds import ROLES, THEMES, Vocabulary, themes_of

COVERED, THIN, MISSING = "covered", "thin", "missing"
NOT_CHECKABLE, NA = "interview/observation", "n/a"
PARTIAL = "partial"

ESTIMATE_LABEL = "Readiness estimate from documents and records only — not an audit score and not a prediction of one."
COVERAGE_LABEL = "Coverage estimate from documents and records only — not an audit score."


# --------------------------------------------------------------------------- describing expectations


def describe(expectation: Expectation, vocabulary: Vocabulary | None = None) -> str:
    """One line: what the expectation asks for."""
    if expectation.interview:
        text = "interview " + ", ".join(expectation.interview)
    elif expectation.observe:
        return "observe " + expectation.observe
    else:
        kind = vocabulary.get(expectation.kind or "") if vocabulary else None
        text = (kind.title if kind else expectation.kind or "") + f" [{expectation.kind}]"
        if expectation.count > 1:
            text += f" ×{expectation.count}"
        if expectation.months is not None:
            text += f" over {expectation.months} months"
        if expectation.within_months is not None:
            text += f" within {expectation.within_months} months"
    return text + (f": {expectation.about}" if expectation.about else "")


# --------------------------------------------------------------------------- readiness


@frozen
class Item:
    """One piece of indexed evidence: a manual section (count 1 at its review date) or a record set."""

    kind: str
    label: str
    count: int
    first: dt.date | None
    last: dt.date | None


def items_of(index: EvidenceIndex) -> dict[str, list[Item]]:
    """Index entries by kind, in index order."""
    found: dict[str, list[Item]] = {}
    for section in index.manual:
        for kind in section.kinds:
            label = f"manual {section.id} {section.title}"
            found.setdefault(kind, []).append(Item(kind, label, 1, section.reviewed, section.reviewed))
    for records in index.records:
        item = Item(records.kind, f"records {records.title}", records.count, records.first, records.last)
        found.setdefault(records.kind, []).append(item)
    return found


@frozen
class Check:
    """One expectation of a question against the index."""

    expectation: Expectation
    """What the question expects."""
    status: str
    """covered, thin, missing, or interview/observation (not checked from documents)."""
    credit: Fraction | None
    """From 0 to 1; None when not checked."""
    found: str = ""
    """What the index provides, in a few words."""
    problems: tuple[str, ...] = ()
    """Why it is thin: too few, too old, fewer months, undated."""
    sources: tuple[str, ...] = ()
    """Index entries that counted."""


def check(expectation: Expectation, items: Sequence[Item], on: dt.date, form: str = "document") -> Check:
    """Check one expectation against the index entries of its kind (see the module's rules)."""
    if expectation.kind is None:
        return Check(expectation, NOT_CHECKABLE, None)
    existing = [it for it in items if it.first is None or it.first <= on]
    if not existing:
        return Check(expectation, MISSING, Fraction(0), "nothing of this kind in the index")
    window = expectation.window
    start = add_months(on, -window) if window is not None else None
    have = 0
    months: set[int] = set()
    sources: list[str] = []
    undated = stale = 0
    newest: dt.date | None = None
    for it in existing:
        if it.first is None or it.last is None:
            if start is None:
                have += it.count
                sources.append(it.label)
            else:
                undated += 1
            continue
        newest = max(newest, min(it.last, on)) if newest else min(it.last, on)
        low = max(it.first, start) if start is not None else it.first
        high = min(it.last, on)
        if high < low:
            stale += 1
            continue
        span = month_index(it.last) - month_index(it.first) + 1
        inside = month_index(high) - month_index(low) + 1
        have += it.count if inside >= span else it.count * inside // span
        months.update(range(month_index(low), month_index(high) + 1))
        sources.append(it.label)
    credit = min(Fraction(1), Fraction(have, expectation.count))
    if expectation.months is not None:
        credit = min(credit, Fraction(len(months), expectation.months))
    noun = "document" if form == "document" else "record"
    found = f"{have} {noun}{'s' if have != 1 else ''}"
    if expectation.months is not None or (form == "record" and months):
        found += f" over {len(months)} month{'s' if len(months) != 1 else ''}"
    if start is not None:
        found += f" dated on or after {start}"
    if credit == 1:
        return Check(expectation, COVERED, credit, found, (), tuple(sources))
    problems = []
    if have == 0 and stale:
        problems.append(f"too old: newest {newest}, needs one dated on or after {start}")
    if undated:
        problems.append(f"undated: {undated} manual section{'s' if undated != 1 else ''} without a review date")
    if have < expectation.count and not (have == 0 and (stale or undated)):
        problems.append(f"too few: {have} of {expectation.count}")
    if expectation.months is not None and len(months) < expectation.months:
        problems.append(f"fewer months: {len(months)} of {expectation.months}")
    return Check(expectation, THIN, credit, found, tuple(problems), tuple(sources))


@frozen
class QuestionReadiness:
    """One question's readiness."""

    id: str
    """Question id."""
    text: str
    """Question text."""
    points: Fraction
    """Its points."""
    status: str
    """covered, thin, missing, interview/observation (nothing to check in documents) or n/a."""
    credit: Fraction | None
    """Mean credit of its document and record expectations; None when not checked."""
    at_risk: Fraction
    """Points × (1 − credit); 0 when not checked."""
    checks: tuple[Check, ...]
    """Each expectation's check."""
    na: str = ""
    """The index's reason when not applicable."""


@frozen
class ElementReadiness:
    """One element's readiness."""

    id: str
    """Element id."""
    title: str
    """Element title."""
    themes: tuple[str, ...]
    """Its themes."""
    questions: tuple[QuestionReadiness, ...]
    """Questions answered in the program."""
    checked: Fraction
    """Points of the questions checked against the index."""
    ready: Fraction
    """Σ points × credit."""

    @property
    def at_risk(self) -> Fraction:
        return self.checked - self.ready

    @property
    def estimate(self) -> Fraction | None:
        """Readiness estimate in percent; None when no question of the element can be checked."""
        return None if self.checked == 0 else 100 * self.ready / self.checked

    def count(self, status: str) -> int:
        return sum(1 for q in self.questions if q.status == status)


@frozen
class Readiness:
    """Readiness of an employer's evidence index for a standard on a date: an estimate, never a score."""

    standard: Standard
    """The standard checked against."""
    program: str
    """The program whose questions were checked."""
    on: dt.date
    """The date evidence is judged on."""
    index: EvidenceIndex
    """The employer's index."""
    elements: tuple[ElementReadiness, ...]
    """Per element."""
    warnings: tuple[str, ...] = ()
    """What the reader should know before trusting the estimate (the index names another standard), each a
    ``file:line: path: message`` line."""

    @property
    def checked(self) -> Fraction:
        return exact_sum(e.checked for e in self.elements)

    @property
    def ready(self) -> Fraction:
        return exact_sum(e.ready for e in self.elements)

    @property
    def at_risk(self) -> Fraction:
        return self.checked - self.ready

    @property
    def estimate(self) -> Fraction | None:
        return None if self.checked == 0 else 100 * self.ready / self.checked


def _combine(checks: Sequence[Check]) -> tuple[str, Fraction | None]:
    documentary = [c for c in checks if c.credit is not None]
    if not documentary:
        return NOT_CHECKABLE, None
    credit = exact_sum(c.credit for c in documentary if c.credit is not None) / len(documentary)
    if all(c.status == COVERED for c in documentary):
        return COVERED, credit
    if all(c.status == MISSING for c in documentary):
        return MISSING, credit
    return THIN, credit


def other_standard(standard: Standard, index: EvidenceIndex) -> str | None:
    """Why ``index`` may not fit ``standard``: the index says it was prepared for another standard (its
    ``standard:``), or None. The check still runs: the documents may serve both, but the estimate is for
    ``standard``'s questions."""
    if index.standard is None or index.standard == standard.id:
        return None
    return (
        f"the index was prepared for {index.standard!r} but is checked against {standard.id!r}; the estimate is for "
        f"{standard.id}'s questions (check the standard named, or correct the index's standard)"
    )


def readiness(standard: Standard, vocabulary: Vocabulary, index: EvidenceIndex, on: dt.date, program: str) -> Readiness:
    """Check every question ``program`` answers against ``index`` on ``on``."""
    by_kind = items_of(index)
    elements = []
    for element in standard.elements:
        questions = []
        for question in element.questions:
            if not applies(question, program):
                continue
            checks = tuple(
                check(
                    x,
                    by_kind.get(x.kind or "", ()),
                    on,
                    kind.form if x.kind and (kind := vocabulary.get(x.kind)) else "document",
                )
                for x in question.expects
            )
            if question.id in index.not_applicable:
                questions.append(
                    QuestionReadiness(
                        question.id, question.text, question.points, NA, None, Fraction(0), checks,
                        index.not_applicable[question.id],
                    )
                )  # fmt: skip
                continue
            status, credit = _combine(checks)
            at_risk = Fraction(0) if credit is None else question.points * (1 - credit)
            questions.append(
                QuestionReadiness(question.id, question.text, question.points, status, credit, at_risk, checks)
            )
        if not questions:
            continue
        checked = exact_sum(q.points for q in questions if q.credit is not None)
        ready = exact_sum(q.points * q.credit for q in questions if q.credit is not None)
        elements.append(ElementReadiness(element.id, element.title, element.themes, tuple(questions), checked, ready))
    return Readiness(standard, program, on, index, tuple(elements))


# --------------------------------------------------------------------------- crosswalk


@frozen
class Match:
    """A source question whose evidence a target expectation can reuse."""

    question: str
    """Source question id."""
    earned: Fraction
    """Points it earned in the source audit."""
    available: Fraction
    """Points it was scored out of."""
    same_theme: bool
    """Whether it shares a theme with the target question."""
    current: bool = True
    """Whether the source question's expectation is at least as strict (window, months, count) as the target's;
    a match that is not only shows the evidence exists and earns no credit."""


@frozen
class CrossCheck:
    """One expectation of a target question against the source audit's evidence."""

    expectation: Expectation
    """The target's expectation."""
    status: str
    """covered, partial, thin (the kind is there, but not checked as recently or as long as the target needs),
    missing, or interview/observation (never carried over)."""
    credit: Fraction | None
    """Best matching source question's earned ÷ available; None when not documentary."""
    matches: tuple[Match, ...]
    """Source questions expecting the same kind, best first."""


@frozen
class CrossQuestion:
    """One target question."""

    id: str
    """Target question id."""
    element: str
    """Target element id."""
    text: str
    """Question text."""
    points: Fraction
    """Points."""
    themes: tuple[str, ...]
    """Its themes (main first)."""
    status: str
    """covered, partial, missing or interview/observation."""
    credit: Fraction | None
    """Mean of its documentary expectations' credits."""
    checks: tuple[CrossCheck, ...]
    """Each expectation."""


@frozen
class Crosswalk:
    """Which evidence from an audit against one standard covers which parts of another standard."""

    source: Result
    """The scored source audit."""
    target: Standard
    """The standard crossed to."""
    program: str
    """The target program whose questions are listed."""
    questions: tuple[CrossQuestion, ...]
    """Every target question the program answers."""

    def points(self, questions: Iterable[CrossQuestion] | None = None) -> tuple[Fraction, Fraction]:
        """(points checked, points covered) over documentary questions."""
        chosen = [q for q in (self.questions if questions is None else questions) if q.credit is not None]
        return exact_sum(q.points for q in chosen), exact_sum(q.points * q.credit for q in chosen if q.credit)

    @property
    def estimate(self) -> Fraction | None:
        checked, covered = self.points()
        return None if checked == 0 else 100 * covered / checked


Source = tuple[Question, Expectation, tuple[str, ...], Fraction, Fraction]


def strict_enough(source: Expectation, target: Expectation) -> bool:
    """Whether evidence the source expectation checked also meets the target's window, months and count."""
    if target.window is not None and (source.window is None or source.window > target.window):
        return False
    if target.months is not None and (source.months or 0) < target.months:
        return False
    return source.count >= target.count


def _evidence_of(result: Result) -> dict[str, list[Source]]:
    scores = {q.id: q for e in result.score.elements for q in e.questions}
    by_kind: dict[str, list[Source]] = {}
    for element, question in result.standard.standard.questions():
        score = scores.get(question.id)
        if score is None or score.status != "scored" or score.available == 0:
            continue
        themes = themes_of(element.themes, question.themes)
        for expectation in question.expects:
            if expectation.kind is not None:
                by_kind.setdefault(expectation.kind, []).append(
                    (question, expectation, themes, score.earned, score.available)
                )
    return by_kind


def crosswalk(result: Result, target: Standard, program: str) -> Crosswalk:
    """Cross a scored audit to ``target``: each documentary expectation is covered by source questions that
    expect the same kind of evidence (those sharing a theme first) and earned points in the audit."""
    evidence = _evidence_of(result)
    out = []
    for element, question in target.questions():
        if not applies(question, program):
            continue
        themes = themes_of(element.themes, question.themes)
        checks = []
        for expectation in question.expects:
            if expectation.kind is None:
                checks.append(CrossCheck(expectation, NOT_CHECKABLE, None, ()))
                continue
            seen: dict[str, Match] = {}
            for source, source_expectation, source_themes, earned, available in evidence.get(expectation.kind, ()):
                current = strict_enough(source_expectation, expectation)
                if source.id not in seen or (current and not seen[source.id].current):
                    same = bool(set(themes) & set(source_themes))
                    seen[source.id] = Match(source.id, earned, available, same, current)
            matches = sorted(
                seen.values(), key=lambda m: (not m.current, not m.same_theme, -(m.earned / m.available), m.question)
            )
            credit = max((m.earned / m.available for m in matches if m.current), default=Fraction(0))
            if credit == 1:
                status = COVERED
            elif credit > 0:
                status = PARTIAL
            else:
                status = THIN if matches else MISSING
            checks.append(CrossCheck(expectation, status, credit, tuple(matches)))
        documentary = [c for c in checks if c.credit is not None]
        mean: Fraction | None = None
        if not documentary:
            status = NOT_CHECKABLE
        else:
            mean = credit = exact_sum(c.credit for c in documentary if c.credit is not None) / len(documentary)
            if credit == 1:
                status = COVERED
            elif credit > 0 or any(c.status == THIN for c in documentary):
                status = PARTIAL
            else:
                status = MISSING
        out.append(
            CrossQuestion(question.id, element.id, question.text, question.points, themes, status, mean, tuple(checks))
        )
    return Crosswalk(result, target, program, tuple(out))


def theme_summary(walk: Crosswalk) -> list[tuple[str, int, Fraction, Fraction, int]]:
    """Per theme (by each question's main theme): questions, points checked, points covered, I/O-only questions."""
    rows = []
    for theme in THEMES:
        questions = [q for q in walk.questions if q.themes and q.themes[0] == theme]
        if not questions:
            continue
        checked, covered = walk.points(questions)
        only = sum(1 for q in questions if q.credit is None)
        rows.append((theme, len(questions), checked, covered, only))
    return rows


def element_of(standard: Standard, ident: str) -> Element:
    return next(e for e in standard.elements if e.id == ident)


__all__ = [
    "COVERAGE_LABEL",
    "ESTIMATE_LABEL",
    "ROLES",
    "Check",
    "CrossQuestion",
    "Crosswalk",
    "ElementReadiness",
    "QuestionReadiness",
    "Readiness",
    "check",
    "crosswalk",
    "describe",
    "readiness",
]
