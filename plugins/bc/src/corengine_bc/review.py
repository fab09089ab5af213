"""Findings BC adds to a decided outcome, for rules the standard's data cannot express.

* the calendar-year cycle: one audit per calendar year, its on-site work completed by 31 December, and
  which years the next audits fall in;
* the external auditor's notice on rules that set no ``notice_days`` (a Small COR audit or a Large COR
  maintenance audit by an external auditor the company hires).

Whether the program audited (Large or Small) is the one the employer's FTE fits is the jurisdiction's data
(``eligibility`` in data/bc.yaml), checked by the core.
"""

from __future__ import annotations

import datetime as dt

from corengine.plugin import (
    Audit,
    Finding,
    Jurisdiction,
    Outcome,
    Quantity,
    ResolvedStandard,
    decided,
    rule_for,
)

from .fields import bc_fields
from .program import Program

CERTIFYING = ("certification", "recertification")


def calendar_year(program: Program, audit: Audit, outcome: Outcome, strict: bool = False) -> list[Finding]:
    """Which calendar year the audit counts for, whether its on-site work ended within it, and what is next."""
    rule = program.calendar_year
    year = audit.audit_date.year
    cycle_year = bc_fields(audit).cycle_year

    def finding(
        check: str,
        ok: bool | None,
        message: str,
        confidence: str | None = None,
        due: dt.date | None = None,
        subject: str = "",
        reading: str = "",
    ) -> Finding:
        confidence = confidence or rule.confidence
        deadline = due or dt.date(cycle_year or year, 12, 31)
        return Finding(
            check=f"bc.{check}",
            status="info" if ok is None else decided(ok, confidence, strict),
            message=message,
            subject=subject,
            subject_kind="audit" if subject else "",
            required=Quantity.on(deadline, "by"),
            measured=None if ok is None else Quantity.on(audit.audit_date),
            due=deadline,
            sources=rule.reference,
            confidence=confidence,
            reading=reading,
        )

    if cycle_year is not None and cycle_year != year:
        return [
            finding(
                "calendar_year",
                False,
                f"the audit is recorded as the employer's {cycle_year} audit, but its on-site work was "
                f"completed on {audit.audit_date}: on-site work for the {cycle_year} audit had to be complete "
                f"by 31 December {cycle_year} (one audit per calendar year)",
            )
        ]
    start = audit.start_date
    if cycle_year is None and start is not None and start.year < year:
        return [
            finding(
                "calendar_year",
                False,
                f"the audit began on {start} but its on-site work was completed on {audit.audit_date}, after "
                f"31 December {start.year}: it cannot count as the {start.year} audit, whose on-site work had to "
                f"be complete within {start.year} (one audit per calendar year); the audit records no cycle "
                f"year, so an audit begun in {start.year} is read as that year's",
                confidence="L",
                due=dt.date(start.year, 12, 31),
                reading=f"an audit that records no cycle year and began in {start.year} is read as that year's",
            )
        ]
    found = [
        finding(
            "calendar_year",
            True,
            f"on-site work completed on {audit.audit_date}, within {year}: this is the employer's {year} audit "
            f"(one audit per calendar year, on-site work complete by 31 December)",
        )
    ]
    if outcome.passed and audit.audit_type in CERTIFYING:
        last = year + rule.cycle_years - 1
        for due in range(year + 1, last + 1):
            # Due by 31 December of that year, so the core's cycle check looks for a passed maintenance audit
            # from 1 January to 31 December of that year.
            found.append(
                finding(
                    "maintenance_due",
                    None,
                    f"maintenance audit due in calendar year {due}, its on-site work complete by 31 December {due}",
                    due=dt.date(due, 12, 31),
                    subject="maintenance",
                )
            )
        found.append(
            finding(
                "cycle",
                None,
                f"recertification due in {last + 1}, the year after the cycle's last maintenance audit",
                due=dt.date(last + 1, 12, 31),
                subject="recertification",
            )
        )
    elif outcome.passed and audit.audit_type == "maintenance":
        found.append(
            finding(
                "cycle",
                None,
                f"next audit due in {year + 1} (maintenance or recertification, by the year of the cycle), "
                f"on-site work complete by 31 December {year + 1}",
                due=dt.date(year + 1, 12, 31),
            )
        )
    return found


def external_notice(program: Program, resolved: ResolvedStandard, audit: Audit, strict: bool = False) -> list[Finding]:
    """The partner's notice for an external audit, where the rule in force does not check it."""
    rule = program.external_notice
    standard = resolved.standard
    if audit.auditor.kind != "external" or standard.partner not in rule.partners:
        return []
    found = rule_for(resolved, audit)
    checked_by_rule = found is not None and found[1].notice_days is not None

    def finding(ok: bool | None, message: str, measured: Quantity | None = None) -> Finding:
        return Finding(
            check="bc.external_notice",
            status="info" if ok is None else decided(ok, rule.confidence, strict),
            message=message,
            required=Quantity.of(rule.days, "days", ">="),
            measured=measured,
            sources=rule.reference,
            confidence=rule.confidence,
        )

    if audit.notice_date is None or audit.start_date is None:
        missing = " and ".join(
            name for name, value in (("notice_date", audit.notice_date), ("start_date", audit.start_date)) if not value
        )
        return [
            finding(
                None,
                f"{standard.partner}'s external auditors file the audit notice at least {rule.days} days before "
                f"the audit starts; the audit records no {missing}, so the notice was not checked",
            )
        ]
    if checked_by_rule:
        return []
    days = (audit.start_date - audit.notice_date).days
    ok = days >= rule.days
    return [
        finding(
            ok,
            f"the external audit was announced {days} days before it started "
            f"({'meets' if ok else 'short of'} {standard.partner}'s {rule.days}-day notice for external auditors)",
            measured=Quantity.of(days, "days"),
        )
    ]


def review(
    program: Program,
    jurisdiction: Jurisdiction,
    resolved: ResolvedStandard,
    audit: Audit,
    outcome: Outcome,
    strict: bool = False,
) -> list[Finding]:
    """Every BC finding for an audit of a BC standard (empty for other provinces)."""
    if resolved.standard.jurisdiction != jurisdiction.code:
        return []
    return [
        *external_notice(program, resolved, audit, strict),
        *calendar_year(program, audit, outcome, strict),
    ]


__all__ = ["calendar_year", "external_notice", "review"]
