"""The WCB-Alberta PIR refund estimate: the highest of three measures, capped (as data in pir-refund.yaml)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from attrs import frozen

from corengine.plugin import Finding, Quantity
from corengine.plugin import cents as cents  # shown to the cent; still importable from here


@frozen
class RefundRules:
    """PIR refund percentages in force from ``start``."""

    start: dt.date
    """First refund year these percentages apply to."""
    reference: tuple[str, ...]
    """Public sources."""
    confidence: str
    """How well sourced."""
    cor_first_year: Fraction
    """Percent of premium in the first year a COR is held."""
    cor_later_years: Fraction
    """Percent in each later year the COR is kept."""
    improvement_per_point: Fraction
    """Percent refunded per percentage point of improvement in the employer's own claim costs."""
    improvement_max: Fraction
    """Most the improvement measure pays."""
    leadership_min: Fraction
    """Least the industry-leadership measure pays when earned."""
    leadership_max: Fraction
    """Most the industry-leadership measure pays."""
    cap: Fraction
    """Most any refund pays."""
    secor_automatic: Fraction
    """Percent a SECOR holder gets automatically."""
    secor_reference: tuple[str, ...] = ()
    """Source of the SECOR figure."""
    secor_confidence: str = "M"
    """Confidence of the SECOR figure."""
    first_year_reference: tuple[str, ...] = ()
    """Source of the rule that the first-year rate is for a first-time COR holder."""
    first_year_confidence: str | None = None
    """Confidence of that rule."""
    note: str = ""
    """Conditions and caveats."""


@frozen
class RefundEstimate:
    """The refund and how each measure contributed."""

    premium: Fraction
    """Industry-rated premium for the previous calendar year, dollars."""
    percent: Fraction
    """Refund percent after the cap."""
    refund: Fraction
    """Refund, dollars."""
    measure: str
    """The measure that paid."""
    reasons: tuple[Finding, ...]
    """Each measure and the cap."""


def estimate(
    rules: RefundRules,
    premium: Fraction,
    program: str,
    cor_year: int,
    improvement: Fraction,
    leadership: Fraction,
    plugin: str,
    first_time: bool = True,
) -> RefundEstimate:
    """Apply the three measures; ``improvement`` and ``leadership`` are percentage points. The first-year COR
    rate is for a first-time COR holder; a recertifying employer (``first_time`` False) gets the later rate."""

    def finding(
        check: str,
        message: str,
        value: Fraction,
        reference: tuple[str, ...] | None = None,
        confidence: str | None = None,
    ) -> Finding:
        return Finding(
            check=f"pir_refund.{check}",
            status="info",
            message=message,
            measured=Quantity.of(value, "%"),
            sources=rules.reference if reference is None else reference,
            confidence=confidence or rules.confidence,
            plugin=plugin,
            rule_version=rules.start,
        )

    measures: list[tuple[str, Fraction]] = []
    reasons = []
    if program == "SECOR":
        measures.append(("secor", rules.secor_automatic))
        reasons.append(
            finding(
                "secor",
                f"SECOR holders get an automatic {rules.secor_automatic}%",
                rules.secor_automatic,
                reference=rules.secor_reference,
                confidence=rules.secor_confidence,
            )
        )
    else:
        first = cor_year == 1 and first_time
        held = rules.cor_first_year if first else rules.cor_later_years
        which = (
            "the first year of a first-time COR"
            if first
            else "the first year of a recertified COR (a recertifying employer gets the later-years rate)"
            if cor_year == 1
            else f"year {cor_year}"
        )
        measures.append(("cor", held))
        reasons.append(
            finding(
                "cor",
                f"COR held, {which}: {held}% of premium",
                held,
                reference=rules.first_year_reference + rules.reference if cor_year == 1 else None,
                confidence=rules.first_year_confidence if cor_year == 1 else None,
            )
        )
    improved = min(max(improvement, Fraction(0)) * rules.improvement_per_point, rules.improvement_max)
    measures.append(("improvement", improved))
    reasons.append(
        finding(
            "improvement",
            f"claim costs {improvement}% better than the employer's own history: {improved}% "
            f"({rules.improvement_per_point}% per point, at most {rules.improvement_max}%)",
            improved,
        )
    )
    lead = min(max(leadership, rules.leadership_min), rules.leadership_max) if leadership else Fraction(0)
    measures.append(("leadership", lead))
    reasons.append(
        finding(
            "leadership",
            f"industry leadership: {lead}% (paid between {rules.leadership_min}% and {rules.leadership_max}% when earned)",
            lead,
        )
    )
    name, best = max(measures, key=lambda m: m[1])
    percent = min(best, rules.cap)
    reasons.append(
        finding(
            "cap",
            f"the highest measure ({name}, {best}%) applies, capped at {rules.cap}%: {percent}%",
            percent,
        )
    )
    return RefundEstimate(premium, percent, premium * percent / 100, name, tuple(reasons))


@frozen(kw_only=True)
class RefundDocument:
    """``corengine pir-refund --format json``: the estimate's figures as exact text, and every reason."""

    premium: str
    percent: str
    refund: str
    measure: str
    reasons: tuple[Finding, ...]

    @classmethod
    def of(cls, result: RefundEstimate) -> RefundDocument:
        return cls(
            premium=str(cents(result.premium)),
            percent=str(result.percent),
            refund=str(cents(result.refund)),
            measure=result.measure,
            reasons=result.reasons,
        )
