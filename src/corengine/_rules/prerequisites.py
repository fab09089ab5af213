"""Step ``prerequisites`` of a decision: the facts a standard requires before an audit starts (a pre-audit
approval, a registration milestone), each a dated rule of the standard's data, against the dates the audit records
under ``prerequisites``. A fact the audit does not record is a finding too, by the confidence policy (an L
prerequisite advises; M and H decide), never silence."""

from __future__ import annotations

import datetime as dt

from corengine._util.dates import add_months
from corengine.model import Audit, Prerequisite, ResolvedStandard
from corengine.model.findings import Finding, Quantity, decided


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def _months(months: int) -> str:
    return "1 month" if months == 1 else f"{months} months"


def in_force(resolved: ResolvedStandard, audit: Audit, program: str) -> list[Prerequisite]:
    """The standard's prerequisites that apply to ``audit`` (its date, program and type)."""
    return [p for p in resolved.standard.prerequisites if p.applies(audit.audit_date, program, audit.audit_type)]


def findings(resolved: ResolvedStandard, audit: Audit, program: str, strict: bool) -> list[Finding]:
    """One finding per prerequisite in force: met, not met, or not recorded."""
    return [_finding(resolved, audit, p, strict) for p in in_force(resolved, audit, program)]


def _finding(resolved: ResolvedStandard, audit: Audit, rule: Prerequisite, strict: bool) -> Finding:
    began = audit.start_date or audit.audit_date
    fact = audit.prerequisites.get(rule.id)
    measured: Quantity | None = None
    due: dt.date | None = None
    ok = False
    said = f"the audit does not record {rule.id} (prerequisites.{rule.id}: the date it happened)"
    if rule.kind == "before":
        days = rule.days or 0
        due = began - dt.timedelta(days=days)
        required = Quantity.of(days, "days", ">=") if rule.days else Quantity.words("on or before the audit started")
        if fact is not None:
            gap = (began - fact).days
            ok = gap >= days
            measured = Quantity.of(gap, "days")
            when = f"{_days(gap)} before" if gap >= 0 else f"{_days(-gap)} after"
            needed = f"at least {_days(days)} before it" if rule.days else "on or before the day it started"
            said = f"{rule.id} on {fact}, {when} the audit started (required: {needed})"
    else:
        months = rule.months or 0
        required = Quantity.of(months, "months", "<=" if rule.kind == "within_months" else ">=")
        if fact is not None:
            due = add_months(fact, months)
            if rule.kind == "within_months":
                ok = audit.audit_date <= due
                said = (
                    f"{rule.id} on {fact}: the audit on {audit.audit_date} is "
                    f"{'within' if ok else 'later than'} the {_months(months)} after it (by {due})"
                )
            else:
                ok = began >= due
                said = (
                    f"{rule.id} on {fact}: the audit started {began}, "
                    f"{'at least' if ok else 'less than'} {_months(months)} after it (from {due})"
                )
    status = decided(ok, rule.confidence, strict)
    return Finding(
        check=f"prerequisite.{rule.id}",
        status=status,
        message=f"{rule.text}: {said}",
        required=required,
        measured=measured,
        due=due if fact is not None else None,
        sources=rule.reference,
        confidence=rule.confidence,
        reading=rule.reading,
        plugin=resolved.source.plugin,
        rule_version=rule.start,
    )
