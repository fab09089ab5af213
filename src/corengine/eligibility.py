"""The core's eligibility answer from a jurisdiction's data: which program by size, which certificate by
months of records (read from the baseline standard's certification rule, so the numbers live once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from .model import EligibilityRequest, EligibilityVersion, Finding, Jurisdiction, SizeBand, Standard


def version_in_force(jurisdiction: Jurisdiction, on: dt.date) -> EligibilityVersion | None:
    """The sizing with the latest start on or before ``on``."""
    candidates = [v for v in jurisdiction.eligibility if v.start <= on]
    return max(candidates, key=lambda v: v.start) if candidates else None


def decimal_text(value: Fraction) -> str:
    """``19.5`` where the fraction is a finite decimal, else the exact ``a/b`` (never a rounded float)."""
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    if den != 1:
        return str(value)
    return str(Decimal(value.numerator) / Decimal(value.denominator))


def _size(request: EligibilityRequest, jurisdiction: Jurisdiction, measure: str) -> tuple[Fraction | None, str]:
    if measure == "employees":
        if request.employees is None:
            return None, "employees not given"
        return Fraction(request.employees), f"{request.employees} employees"
    if request.fte is not None:
        return request.fte, f"{decimal_text(request.fte)} FTE"
    if request.payroll_hours is not None and jurisdiction.fte_hours:
        fte = Fraction(request.payroll_hours, jurisdiction.fte_hours)
        return fte, f"{request.payroll_hours} payroll hours / {jurisdiction.fte_hours} = {decimal_text(fte)} FTE"
    if request.employees is not None:
        return Fraction(request.employees), f"{request.employees} employees (taken as FTE: no hours given)"
    return None, "neither FTE nor payroll hours given"


def _span(band: SizeBand) -> str:
    """``10 or fewer``, ``11 or more``, ``2 to 19``, ``below 20``: the band as people say it."""
    parts = []
    if band.min is not None:
        parts.append(f"{band.min} or more" if band.max is None and band.below is None else f"{band.min}")
    if band.max is not None:
        parts.append(f"to {band.max}" if band.min is not None else f"{band.max} or fewer")
    if band.below is not None:
        parts.append(f"to below {band.below}" if band.min is not None else f"below {band.below}")
    return " ".join(parts) or "any size"


def check(
    request: EligibilityRequest,
    jurisdiction: Jurisdiction,
    standard_lookup: Callable[[str], Standard],
    plugin: str,
) -> list[Finding]:
    """Programs the employer qualifies for, and whether its records allow a certification audit."""
    on = request.on or dt.date.today()
    version = version_in_force(jurisdiction, on)
    if not jurisdiction.eligibility:
        return []
    if version is None:
        return [
            Finding(
                "eligibility",
                False,
                f"{jurisdiction.code} has no eligibility data in force on {on}",
                plugin=plugin,
            )
        ]
    findings: list[Finding] = []

    def add(rule: str, passed: bool | None, message: str, **kw: object) -> None:
        kw.setdefault("reference", version.reference)
        kw.setdefault("confidence", version.confidence)
        findings.append(Finding(rule, passed, message, plugin=plugin, rule_version=version.start, **kw))  # type: ignore[arg-type]

    for note in version.notes:
        add("eligibility.note", None, note)
    size, described = _size(request, jurisdiction, version.measure)
    bands = [b for b in version.bands if b.partner == request.partner] if request.partner else []
    bands = bands or [b for b in version.bands if b.partner is None]
    eligible: list[str] = []
    for band in bands:
        span = _span(band)
        if size is None:
            add(
                "eligibility.size",
                None,
                f"{band.program}: {span} {version.measure}; {described}",
                required=span,
            )
            continue
        ok = (
            (band.min is None or size >= band.min)
            and (band.max is None or size <= band.max)
            and (band.below is None or size < band.below)
        )
        if ok:
            eligible.append(band.program)
        add(
            "eligibility.size",
            ok,
            (
                f"{band.program} is open to employers of any size"
                if span == "any size"
                else f"{band.program} is for {span} {version.measure}"
            )
            + f": {described} {'qualifies' if ok else 'does not qualify'}"
            + (f". {band.note}" if band.note else ""),
            required=span,
            measured=described,
            subject=band.program,
            reference=band.reference or version.reference,
            confidence=band.confidence or version.confidence,
        )
    for rule in jurisdiction.counting:
        if request.partner is None or rule.partner == request.partner:
            text = f"{rule.partner} counts: {', '.join(rule.counts)}"
            if rule.excludes:
                text += f"; not counted: {', '.join(rule.excludes)}"
            if rule.lookback_months:
                text += f"; the size must hold at any time in the previous {rule.lookback_months} months"
            add(
                "eligibility.counting",
                None,
                text,
                reference=rule.reference,
                confidence=rule.confidence,
                subject=rule.partner,
            )
    if request.records_months is not None and jurisdiction.baseline:
        findings.extend(
            _records(
                request.records_months,
                on,
                eligible or [b.program for b in bands],
                standard_lookup(jurisdiction.baseline),
                plugin,
            )
        )
    return findings


def _records(months: int, on: dt.date, programs: list[str], baseline: Standard, plugin: str) -> list[Finding]:
    findings = []
    for program in programs:
        rule = next(
            (
                r
                for r in baseline.rules
                if "certification" in r.audit_types and (not r.programs or program in r.programs)
            ),
            None,
        )
        version = rule.in_force(on) if rule else None
        if rule is None or version is None:
            continue
        reachable = [c for c in version.certificates if c.min_records_months is None or months >= c.min_records_months]
        needs = [c.min_records_months for c in version.certificates if c.min_records_months is not None]
        ok: bool | None
        if not needs:
            message = f"{program}: the rules in force set no minimum months of records for a certification audit"
            ok = None
        elif reachable:
            best = reachable[0]
            message = f"{program}: {months} months of records allow a certification audit for {best.certificate}" + (
                f" (needs {best.min_records_months})" if best.min_records_months else ""
            )
            ok = True
        else:
            message = (
                f"{program}: {months} months of records are too few for a certification audit "
                f"(at least {min(needs)} needed)"
            )
            ok = False
        findings.append(
            Finding(
                f"{rule.id}.records",
                ok,
                message,
                required=f">= {min(needs)}" if needs else "",
                measured=str(months),
                reference=version.reference,
                confidence=version.confidence,
                plugin=plugin,
                rule_version=version.start,
                subject=program,
            )
        )
    return findings
