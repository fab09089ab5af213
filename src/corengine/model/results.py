"""What the engine decides: question, element and audit scores, the outcome, the sample plan and the result
of one audit."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from attrs import field, frozen

from corengine._util.records import Record
from corengine.model.audit import Audit
from corengine.model.findings import Finding as Finding
from corengine.model.findings import Quantity as Quantity
from corengine.model.standard import ResolvedStandard, ScoreRule, exact_sum
from corengine.model.validators import FieldError as FieldError


@frozen(repr=False, eq=False)
class QuestionScore(Record):
    """Points for one question and how they were reached."""

    id: str
    """Question id."""
    element: str
    """Element id."""
    status: str
    """``scored``, ``na`` (left the denominator), ``excluded`` (not in this program) or ``unanswered``
    (scored 0; validation rejects it, so only a library caller skipping validation sees it)."""
    earned: Fraction
    """Points earned (0 when not scored)."""
    available: Fraction
    """Points counted in the denominator (0 when not scored)."""
    method: str
    """Scoring method used."""
    explanation: str
    """One line: from the response to the points."""
    counted: bool = True
    """False where a score rule leaves the question out of its element's totals (scored and shown only)."""


@frozen(repr=False, eq=False)
class ElementScore(Record):
    """An element's total."""

    id: str
    """Element id."""
    title: str
    """Element title."""
    earned: Fraction
    """Points earned."""
    available: Fraction
    """Points available after N/A and exclusions."""
    questions: tuple[QuestionScore, ...]
    """Each question's score."""
    counted: bool = True
    """False where a score rule leaves the element out of the overall totals and the element minimum."""
    _percent: Fraction | None = field(init=False, repr=False, eq=False)

    @_percent.default
    def _exact_percent(self) -> Fraction | None:
        earned, available = self.earned, self.available
        if available == 0:
            return None
        if earned.denominator == 1 == available.denominator:  # whole points (most are): one normalisation
            return Fraction(100 * earned.numerator, available.numerator)
        return 100 * earned / available

    @property
    def percent(self) -> Fraction | None:
        """Exact percentage, or None when nothing in the element was scored."""
        return self._percent


@frozen(repr=False, eq=False)
class AuditScore(Record):
    """Scoring alone, before any rule decides the outcome."""

    standard: str
    """Standard id."""
    standard_version: str
    """Standard version."""
    program: str
    """Program scored."""
    elements: tuple[ElementScore, ...]
    """Each element's total."""
    rules_applied: tuple[ScoreRule, ...] = ()
    """The score rules that left elements or questions out of the totals."""
    rules_deferred: tuple[ScoreRule, ...] = ()
    """The score rules of confidence L in force but not applied (without ``--strict``): advisory readings."""

    earned: Fraction = field(init=False)
    """Points earned overall."""
    available: Fraction = field(init=False)
    """Points available overall."""

    @earned.default
    def _earned(self) -> Fraction:
        return exact_sum(e.earned for e in self.elements if e.counted)

    @available.default
    def _available(self) -> Fraction:
        return exact_sum(e.available for e in self.elements if e.counted)

    @property
    def percent(self) -> Fraction | None:
        """Exact overall percentage, or None when nothing was scored."""
        return None if self.available == 0 else 100 * self.earned / self.available


@frozen(repr=False, eq=False)
class Outcome(Record):
    """What the rules decide from a score: pass or not, which certificate, and why."""

    passed: bool
    """Whether the audit met every rule."""
    certificate: str | None
    """Certificate granted, or None."""
    reasons: tuple[Finding, ...]
    """Every check and its result, in the order decided."""
    certificate_months: int | None = None
    """Length of the certificate."""
    valid_until: dt.date | None = None
    """Expiry, counted from the audit date."""
    rule: str = ""
    """The rule id that decided."""
    plugin: str = ""
    """The plugin that decided."""
    rule_version: dt.date | None = None
    """The start of the rule version that decided (None where no rule was in force, or a plugin's own decision
    did not say): plans, reports, renderings and the cycle read the version from here instead of looking it up."""
    program: str = ""
    """The program the certificate belongs to (COR, SECOR, Large COR...)."""
    strict: bool = False
    """Whether advisories were made decisive (``--strict``)."""

    @property
    def advisories(self) -> tuple[Finding, ...]:
        """Shortfalls against values the project cannot confirm: the audit passed subject to these."""
        return tuple(f for f in self.reasons if f.status == "advisory")


@frozen(repr=False, eq=False)
class SamplePlan(Record):
    """Minimum samples for an audit."""

    standard: str
    """Standard id."""
    workers: int
    """Workers counted."""
    sites: int | None
    """Sites, if given."""
    interviews_minimum: int | None
    """Minimum interviews, None when the partner decides."""
    sites_minimum: int | None
    """Minimum sites to visit."""
    questionnaires_maximum: int | None
    """Most worker interviews questionnaires may replace."""
    reasons: tuple[Finding, ...] = ()
    """Where each number comes from."""


@frozen(repr=False, eq=False)
class Result(Record):
    """Everything a score command shows: the audit, the standard used, the score and the outcome."""

    audit: Audit
    """The audit scored."""
    standard: ResolvedStandard
    """The standard with overlays applied."""
    score: AuditScore
    """Points per question, element and overall."""
    outcome: Outcome
    """Pass or fail, certificate and every reason."""
