"""The action plan and the path to pass: what an employer fixes first, and the least it must fix.

An improvement means raising one question to full marks (the unit an auditor re-checks). The path to pass is
the smallest set of improvements that lifts a failing audit over every points threshold it misses: every
mandatory question below full marks, every element minimum, the overall minimum — compared exactly as the
rule in force compares them (its rounding included).

Why greedy is exact: within one element, any set of n improvements is beaten or matched by that element's n
largest gains, so some smallest plan takes each element's largest gains first; the gains of an element's
next improvement never grow, so after each element's own minimum is met, adding the largest next gain of any
element is optimal for the overall minimum. Tests check this against brute force on small audits.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from fractions import Fraction
from typing import Literal

from attrs import frozen

from corengine._rules.outcome import applied_rule
from corengine._rules.scoring import round_to
from corengine.model import QuestionScore, Result, RuleVersion
from corengine.model.findings import Finding

ActionReason = Literal["mandatory", "element below minimum", "overall below minimum"]
"""Why a question below full marks matters: it is mandatory, or its element or the overall score is below its
minimum."""


@frozen
class Action:
    """One question below full marks."""

    question: str
    """Question id."""
    element: str
    """Element id."""
    earned: Fraction
    """Points now."""
    available: Fraction
    """Full marks."""
    recoverable: Fraction
    """Points to gain by reaching full marks."""
    reasons: tuple[ActionReason, ...]
    """Why it matters: ``mandatory``, ``element below minimum``, ``overall below minimum``."""
    note: str
    """The auditor's note on the response."""

    @property
    def impact(self) -> tuple[int, Fraction]:
        """Sort key: fixes that clear a failing threshold first, then the most points."""
        return (-len(self.reasons), -self.recoverable)


@frozen
class PathToPass:
    """The smallest set of questions to raise to full marks so that every points threshold is met."""

    already_passing: bool
    """The points thresholds are all met already."""
    questions: tuple[str, ...]
    """Questions to raise to full marks, in document order."""
    gain: Fraction
    """Points gained."""
    overall_after: Fraction | None
    """The overall percentage after the improvements."""
    elements_after: tuple[tuple[str, Fraction | None], ...]
    """Each element's percentage after the improvements."""
    other_failures: tuple[Finding, ...]
    """Failing checks that points cannot fix (methods, auditor, records, deadlines...)."""


@frozen
class Plan:
    """The action plan and the path to pass for one audit."""

    actions: tuple[Action, ...]
    """Every question below full marks, most impact first."""
    path: PathToPass
    """The least to fix to pass."""
    rule: str
    """The rule whose thresholds were used (``rule@start``), or empty when none applies."""
    opportunities: tuple[Action, ...] = ()
    """Questions below full marks that a score rule of treatment ``opportunity`` leaves out of the totals: the
    partner treats them as opportunities for improvement, listed apart (they move no threshold)."""


def _meets(value: Fraction | None, minimum: Fraction | None, version: RuleVersion) -> bool:
    if minimum is None:
        return True
    if value is None:
        return True
    if version.rounding is not None:
        value = round_to(value, Fraction(1, 10**version.rounding.places), version.rounding.mode)
    return value >= minimum


def _percent(earned: Fraction, available: Fraction) -> Fraction | None:
    return None if available == 0 else 100 * earned / available


def _scored(result: Result) -> list[QuestionScore]:
    return [q for e in result.score.elements if e.counted for q in e.questions if q.status == "scored" and q.counted]


def passes(
    result: Result, version: RuleVersion, raised: Iterable[str], mandatory: frozenset[str]
) -> tuple[bool, Fraction | None, dict[str, Fraction | None]]:
    """Whether raising ``raised`` to full marks meets every points threshold of ``version``."""
    raised = set(raised)
    total_earned = total_available = Fraction(0)
    elements: dict[str, Fraction | None] = {}
    ok = True
    for element in result.score.elements:
        if not element.counted:
            continue
        earned = element.earned
        for q in element.questions:
            if q.id in raised and q.status == "scored" and q.counted:
                earned += q.available - q.earned
            if version.mandatory_full_marks and q.id in mandatory and q.status == "scored":
                ok = ok and (q.earned == q.available or q.id in raised)
        elements[element.id] = _percent(earned, element.available)
        ok = ok and _meets(elements[element.id], version.element_minimum, version)
        total_earned += earned
        total_available += element.available
    overall = _percent(total_earned, total_available)
    return ok and _meets(overall, version.overall_minimum, version), overall, elements


def _order(result: Result) -> dict[str, int]:
    return {q.id: i for i, q in enumerate(q for e in result.score.elements for q in e.questions)}


def build_plan(result: Result) -> Plan:
    """The action plan and the exact path to pass for ``result``."""
    found = applied_rule(result)
    mandatory = frozenset(q.id for _, q in result.standard.standard.questions() if q.mandatory)
    order = _order(result)
    prefix = f"{found[0].id}." if found is not None else ""
    short = ("fail", "advisory")  # an advisory is a shortfall too: the plan shows how to close it
    failing = {f.check for f in result.outcome.reasons if f.status in short}
    failing_elements = {
        f.subject for f in result.outcome.reasons if f.check == f"{prefix}element_minimum" and f.status in short
    }
    overall_failing = f"{prefix}overall_minimum" in failing
    actions = []
    for q in _scored(result):
        if q.earned >= q.available:
            continue
        reasons: list[ActionReason] = []
        if q.id in mandatory and f"{prefix}mandatory_full_marks" in failing:
            reasons.append("mandatory")
        if q.element in failing_elements:
            reasons.append("element below minimum")
        if overall_failing:
            reasons.append("overall below minimum")
        response = result.audit.responses.get(q.id)
        actions.append(
            Action(
                q.id,
                q.element,
                q.earned,
                q.available,
                q.available - q.earned,
                tuple(reasons),
                response.note if response else "",
            )
        )
    actions.sort(key=lambda a: (*a.impact, order[a.question]))
    opportunities = _opportunities(result)
    if found is None:
        failures = tuple(f for f in result.outcome.reasons if f.status == "fail")
        path = PathToPass(False, (), Fraction(0), result.score.percent, (), failures)
        return Plan(tuple(actions), path, "", opportunities)
    rule, version = found
    path = path_to_pass(result, rule.id, version, mandatory)
    return Plan(tuple(actions), path, f"{rule.id}@{version.start}", opportunities)


def _opportunities(result: Result) -> tuple[Action, ...]:
    rules = [r for r in result.score.rules_applied if r.treatment == "opportunity"]
    elements = {e for r in rules for e in r.elements}
    questions = {q for r in rules for q in r.questions}
    found = []
    for element in result.score.elements:
        for q in element.questions:
            if q.status != "scored" or q.earned >= q.available or (q.counted and element.counted):
                continue
            if element.id in elements or q.id in questions:
                response = result.audit.responses.get(q.id)
                note = response.note if response else ""
                found.append(Action(q.id, q.element, q.earned, q.available, q.available - q.earned, (), note))
    return tuple(found)


POINTS_CHECKS = ("overall_minimum", "element_minimum", "mandatory_full_marks", "certificate", "version", "on_fail")


def path_to_pass(result: Result, rule_id: str, version: RuleVersion, mandatory: frozenset[str]) -> PathToPass:
    """The smallest set of questions to raise to full marks (see the module docstring for why it is exact)."""
    points = {f"{rule_id}.{check}" for check in POINTS_CHECKS}
    others = tuple(f for f in result.outcome.reasons if f.status == "fail" and f.check not in points)
    ok, overall, elements = passes(result, version, (), mandatory)
    # a clean pass (whoever decided it) never gets a path; one subject to advisories gets the path that clears them
    if ok or (result.outcome.passed and not result.outcome.advisories):
        return PathToPass(True, (), Fraction(0), overall, tuple(elements.items()), others)
    order = _order(result)
    chosen: set[str] = (
        {q.id for q in _scored(result) if q.id in mandatory and q.earned < q.available}
        if version.mandatory_full_marks
        else set()
    )
    by_element: dict[str, list[QuestionScore]] = {}
    for q in _scored(result):
        if q.earned < q.available and q.id not in chosen:
            by_element.setdefault(q.element, []).append(q)
    for candidates in by_element.values():
        # largest gain last, so the next improvement of an element is a pop from the end
        candidates.sort(key=lambda q: (-(q.available - q.earned), order[q.id]), reverse=True)
    # Running totals instead of rescoring after each improvement: the whole search is O(n log n).
    counted = [e for e in result.score.elements if e.counted]
    earned = {e.id: e.earned for e in counted}
    available = {e.id: e.available for e in counted}
    for q in _scored(result):
        if q.id in chosen:
            earned[q.element] += q.available - q.earned
    for element in counted:
        queue = by_element.get(element.id, [])
        while queue and not _meets(
            _percent(earned[element.id], available[element.id]), version.element_minimum, version
        ):
            q = queue.pop()
            chosen.add(q.id)
            earned[element.id] += q.available - q.earned
    total_available = sum(available.values(), Fraction(0))
    total = sum(earned.values(), Fraction(0))
    heads = [(-(q[-1].available - q[-1].earned), order[q[-1].id], e) for e, q in by_element.items() if q]
    heapq.heapify(heads)
    while heads and not _meets(_percent(total, total_available), version.overall_minimum, version):
        _, _, element_id = heapq.heappop(heads)
        queue = by_element[element_id]
        q = queue.pop()
        chosen.add(q.id)
        total += q.available - q.earned
        if queue:
            nxt = queue[-1]
            heapq.heappush(heads, (-(nxt.available - nxt.earned), order[nxt.id], element_id))
    ok, overall, elements = passes(result, version, chosen, mandatory)
    gain = sum((q.available - q.earned for q in _scored(result) if q.id in chosen), Fraction(0))
    return PathToPass(
        False, tuple(sorted(chosen, key=order.__getitem__)), gain, overall, tuple(elements.items()), others
    )
