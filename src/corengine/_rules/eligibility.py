"""The core's eligibility answer from a jurisdiction's data: which program by size, which certificate by
months of records (read from the baseline standard's certification rule, so the numbers live once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from attrs import frozen

from corengine._util.dates import in_force
from corengine._util.records import Record
from corengine.model import (
    Audit,
    EligibilityRequest,
    EligibilityVersion,
    Jurisdiction,
    RecordsMinimum,
    SizeBand,
    Standard,
)
from corengine.model.findings import Finding, Quantity, Status, decided, number_text


def version_in_force(jurisdiction: Jurisdiction, on: dt.date) -> EligibilityVersion | None:
    """The sizing with the latest start on or before ``on``."""
    return in_force(jurisdiction.eligibility, on)


def _size(request: EligibilityRequest, jurisdiction: Jurisdiction, measure: str) -> tuple[Fraction | None, str]:
    if measure == "employees":
        if request.employees is None:
            return None, "employees not given"
        return Fraction(request.employees), _employees(request.employees)
    if request.fte is not None:
        return request.fte, f"{number_text(request.fte)} FTE"
    if request.payroll_hours is not None and jurisdiction.fte_hours:
        fte = Fraction(request.payroll_hours, jurisdiction.fte_hours)
        return fte, f"{request.payroll_hours} payroll hours / {jurisdiction.fte_hours} = {number_text(fte)} FTE"
    if request.employees is not None:
        return Fraction(request.employees), f"{_employees(request.employees)} (taken as FTE: no hours given)"
    return None, "neither FTE nor payroll hours given"


def _employees(count: int) -> str:
    return "1 employee" if count == 1 else f"{count} employees"


def _span(band: SizeBand) -> str:
    """``10 or fewer``, ``11 or more``, ``2 to 19``, ``below 20``: the band as people say it."""
    if band.min is not None and band.min == band.max:
        return f"exactly {band.min}"
    parts = []
    if band.min is not None:
        parts.append(f"{band.min} or more" if band.max is None and band.below is None else f"{band.min}")
    if band.max is not None:
        parts.append(f"to {band.max}" if band.min is not None else f"{band.max} or fewer")
    if band.below is not None:
        parts.append(f"to below {band.below}" if band.min is not None else f"below {band.below}")
    return " ".join(parts) or "any size"


def band_requirement(band: SizeBand, unit: str) -> Quantity | None:
    """The band as a typed requirement: ``<= 10 employees``, ``>= 20 FTE``, ``2 to 19 FTE``, ``< 20 FTE``."""
    upper, upper_compare = (band.max, "<=") if band.max is not None else (band.below, "<") if band.below else (None, "")
    if band.min is not None:
        return Quantity(
            number=Fraction(band.min),
            unit=unit,
            compare=">=",
            upper=None if upper is None else Fraction(upper),
            upper_compare=upper_compare,
        )
    if upper is not None:
        return Quantity(number=Fraction(upper), unit=unit, compare=upper_compare)
    return None


def check(
    request: EligibilityRequest,
    jurisdiction: Jurisdiction,
    standard_lookup: Callable[[str], Standard],
    plugin: str,
) -> list[Finding]:
    """Programs the employer qualifies for, and whether its records allow a certification audit."""
    on = request.on or dt.date.today()
    version = version_in_force(jurisdiction, on)
    equivalency = _equivalency(request, jurisdiction, on, plugin)
    if not jurisdiction.eligibility:
        return equivalency
    if version is None:
        return [
            Finding(
                check="eligibility",
                status="fail",
                message=f"{jurisdiction.code} has no eligibility data in force on {on}",
                plugin=plugin,
            ),
            *equivalency,
        ]
    findings: list[Finding] = []

    def add(check: str, status: Status, message: str, **kw: Any) -> None:
        kw.setdefault("sources", version.reference)
        kw.setdefault("confidence", version.confidence)
        findings.append(
            Finding(check=check, status=status, message=message, plugin=plugin, rule_version=version.start, **kw)
        )

    for note in version.notes:
        add(
            "eligibility.note",
            "info",
            note.text,
            sources=note.reference or version.reference,
            confidence=note.confidence or version.confidence,
        )
    size, described = _size(request, jurisdiction, version.measure)
    unit = "FTE" if version.measure == "fte" else version.measure
    bands = [b for b in version.bands if b.partner is not None and b.partner == request.partner]
    bands = bands or [b for b in version.bands if b.partner is None]
    eligible: list[str] = []
    for band in bands:
        span = _span(band)
        required = band_requirement(band, unit)
        if size is None:
            add(
                "eligibility.size",
                "info",
                f"{band.program}: {span} {unit}; {described}",
                subject=band.program,
                subject_kind="program",
                required=required,
            )
            continue
        ok = (
            (band.min is None or size >= band.min)
            and (band.max is None or size <= band.max)
            and (band.below is None or size < band.below)
        )
        if ok:
            eligible.append(band.program)
        confidence = band.confidence or version.confidence
        add(
            "eligibility.size",
            decided(ok, confidence),
            (
                f"{band.program} is open to employers of any size"
                if span == "any size"
                else f"{band.program} is for {span} {unit}"
            )
            + f": {described} {'qualifies' if ok else 'does not qualify'}"
            + (f". {band.note}" if band.note else ""),
            required=required,
            measured=Quantity(number=size, unit=unit, text=described),
            subject=band.program,
            subject_kind="program",
            sources=band.reference or version.reference,
            confidence=confidence,
            reading="sizes are compared exactly (19.9 FTE is below 20), not rounded" if unit == "FTE" else "",
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
                "info",
                text,
                sources=rule.reference,
                confidence=rule.confidence,
                subject=rule.partner,
                subject_kind="partner",
            )
    if request.records_months is not None and jurisdiction.baseline:
        findings.extend(
            _records(
                request.records_months,
                on,
                eligible or [b.program for b in bands],
                standard_lookup(jurisdiction.baseline),
                plugin,
                {r.program: r for r in version.records if r.partner == request.partner},
            )
        )
    return findings + equivalency


OUTGROWN = (
    "the sources do not say when a certified employer whose size changed must move programs, so this audit is not "
    "failed for it"
)
"""The reading where a jurisdiction's data gives no ``outgrown`` note."""


def program_size(
    jurisdiction: Jurisdiction, standard: Standard, audit: Audit, program: str, plugin: str, strict: bool = False
) -> list[Finding]:
    """Step ``program_size`` of a decision: whether ``program``, the program audited, is one the employer's size
    (the audit's ``workers``, or ``fte``/``payroll_hours`` where the jurisdiction sizes by FTE) fits on the audit
    date, by the partner's bands where it has its own. At the version's ``decides_at`` audit types a program the
    size does not fit fails by the band's confidence; at the others the band's ``outgrown`` note is stated (an
    advisory at L without one). Nothing is said for a program with no band, or a band open to any size."""
    on = audit.audit_date
    version = version_in_force(jurisdiction, on)
    if version is None or not version.decides_at:
        return []
    bands = [b for b in version.bands if b.partner is not None and b.partner == standard.partner]
    bands = bands or [b for b in version.bands if b.partner is None]
    mine = [b for b in bands if b.program == program and _span(b) != "any size"]
    if not mine:
        return []
    employer = audit.employer
    if version.measure == "fte":
        given = employer.fte is not None or (employer.payroll_hours is not None and jurisdiction.fte_hours)
        request = EligibilityRequest(
            jurisdiction.code, fte=employer.fte, payroll_hours=employer.payroll_hours, on=on, partner=standard.partner
        )
        missing = "fte or payroll_hours"
    else:
        given = employer.workers is not None
        request = EligibilityRequest(jurisdiction.code, employees=employer.workers, on=on, partner=standard.partner)
        missing = "employer.workers"
    unit = "FTE" if version.measure == "fte" else version.measure
    band = mine[0]
    sources = band.reference or version.reference
    confidence = band.confidence or version.confidence

    def finding(status: Status, message: str, **kw: Any) -> Finding:
        kw.setdefault("sources", sources)
        kw.setdefault("confidence", confidence)
        return Finding(
            check="eligibility.program_size",
            status=status,
            message=message,
            subject=program,
            subject_kind="program",
            required=band_requirement(band, unit),
            plugin=plugin,
            rule_version=version.start,
            **kw,
        )

    if not given:
        return [
            finding(
                "info",
                f"{program} is for {_span(band)} {unit}; the audit records no {missing}, so whether the employer's "
                "size fits the program audited was not checked",
            )
        ]
    sized = [f for f in check(request, jurisdiction, lambda _: standard, plugin) if f.check == "eligibility.size"]
    sized = [f for f in sized if f.measured is not None]
    if not sized:
        return []
    measured = sized[0].measured
    assert measured is not None
    described = measured.text or str(measured)
    # only a band the size fits qualifies: missing a band of confidence L is an advisory (decisive with strict),
    # not a pass
    qualifies = [str(f.subject) for f in sized if f.status == "pass"]
    first = next((f for f in sized if f.subject == program), sized[0])
    if program in qualifies:
        return [
            finding(
                "pass",
                f"{described}: the employer qualifies for {program}, the program audited",
                measured=measured,
                sources=first.sources,
                confidence=first.confidence,
                reading=first.reading,
            )
        ]
    message = f"{described}: the employer qualifies for {' or '.join(qualifies) or 'no program'}, not the {program} program audited"
    if audit.audit_type in version.decides_at:
        return [
            finding(
                decided(False, first.confidence, strict),
                message,
                measured=measured,
                sources=first.sources,
                confidence=first.confidence,
                reading=first.reading,
            )
        ]
    note = band.outgrown
    if note is None:
        return [finding(decided(False, "L", strict), message, measured=measured, confidence="L", reading=OUTGROWN)]
    return [
        finding(
            "info",
            f"{message}: {note.text}",
            measured=measured,
            sources=note.reference or version.reference,
            confidence=note.confidence or version.confidence,
        )
    ]


def _equivalency(request: EligibilityRequest, jurisdiction: Jurisdiction, on: dt.date, plugin: str) -> list[Finding]:
    """What the province makes of each outside certification the employer holds, as information:
    ``eligibility.equivalency.route``, ``.information``, ``.not_accepted``, or ``.unknown`` where its data is
    silent. None decides whether an audit may start."""
    held = tuple(dict.fromkeys(request.certifications))
    findings: list[Finding] = []
    covered: set[str] = set()
    for entry in jurisdiction.equivalency:
        if entry.start is not None and entry.start > on:
            continue
        mine = tuple(c for c in held if c in entry.certifications)
        if not mine:
            continue
        covered.update(mine)
        findings.append(
            Finding(
                check=f"eligibility.equivalency.{entry.treatment.replace('-', '_')}",
                status="info",
                message=f"{' and '.join(mine)}: {entry.text}",
                subject=entry.program or "",
                subject_kind="program" if entry.program else "",
                required=Quantity.names(entry.certifications, "in") if entry.treatment == "route" else None,
                measured=Quantity.names(mine),
                sources=entry.reference,
                confidence=entry.confidence,
                plugin=plugin,
                rule_version=entry.start,
            )
        )
    for certification in held:
        if certification not in covered:
            findings.append(
                Finding(
                    check="eligibility.equivalency.unknown",
                    status="info",
                    message=f"{certification}: {jurisdiction.code}'s data says nothing about this certification; "
                    "ask the certifying partner whether it counts toward a COR",
                    measured=Quantity.names((certification,)),
                    plugin=plugin,
                )
            )
    return findings


def _records(
    months: int,
    on: dt.date,
    programs: list[str],
    baseline: Standard,
    plugin: str,
    partner_minimums: Mapping[str, RecordsMinimum] | None = None,
) -> list[Finding]:
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
        own = (partner_minimums or {}).get(program)
        if own is not None:  # the partner's own minimum decides, with its sources and confidence
            ok = months >= own.months
            had = f"{months} month" if months == 1 else f"{months} months"
            findings.append(
                Finding(
                    check=f"{rule.id}.records" if rule is not None else "eligibility.records",
                    status=decided(ok, own.confidence),
                    message=f"{program}: {had} of records "
                    + (
                        ("meets" if months == 1 else "meet")
                        if ok
                        else ("is fewer than" if months == 1 else "are fewer than")
                    )
                    + f" the {'1 month' if own.months == 1 else f'{own.months} months'} {own.partner} requires"
                    + f" before a {program} audit"
                    + (f" ({own.note})" if own.note else ""),
                    required=Quantity.of(own.months, "months", ">="),
                    measured=Quantity.of(months, "months"),
                    sources=own.reference,
                    confidence=own.confidence,
                    plugin=plugin,
                    subject=program,
                    subject_kind="program",
                )
            )
            continue
        version = rule.in_force(on) if rule else None
        if rule is None or version is None:
            continue
        reachable = [c for c in version.certificates if c.min_records_months is None or months >= c.min_records_months]
        needs = [c.min_records_months for c in version.certificates if c.min_records_months is not None]
        status: Status
        had = f"{months} month" if months == 1 else f"{months} months"
        # The finding cites the certificate rule it applies (a 1-year SECOR on 3 months is one partner's rule),
        # falling back to the version's sources and confidence.
        deciding = (
            reachable[0]
            if reachable
            else min(
                (c for c in version.certificates if c.min_records_months is not None),
                key=lambda c: c.min_records_months or 0,
                default=None,
            )
        )
        sources = (deciding.reference if deciding else ()) or version.reference
        confidence = (deciding.confidence if deciding else None) or version.confidence
        if not needs:
            message = f"{program}: the rules in force set no minimum months of records for a certification audit"
            status = "info"
        elif reachable:
            best = reachable[0]
            message = (
                f"{program}: {had} of records {'allows' if months == 1 else 'allow'} a certification audit for {best.certificate}"
                + (f" (needs {best.min_records_months})" if best.min_records_months else "")
            )
            status = "pass"
        else:
            message = (
                f"{program}: {had} of records {'is' if months == 1 else 'are'} too few for a certification audit "
                f"(at least {min(needs)} needed)"
            )
            status = decided(False, confidence)
        findings.append(
            Finding(
                check=f"{rule.id}.records",
                status=status,
                message=message,
                required=Quantity.of(min(needs), "months", ">=") if needs else None,
                measured=Quantity.of(months, "months"),
                sources=sources,
                confidence=confidence,
                plugin=plugin,
                rule_version=version.start,
                subject=program,
                subject_kind="program",
            )
        )
    return findings


@frozen(repr=False, eq=False)
class ProgramAnswer(Record):
    """The eligibility answer for one program."""

    program: str
    """The program (COR, SECOR, Large COR...)."""
    size: Status
    """Whether the employer's size qualifies: ``pass``, ``fail``, ``advisory`` or ``info`` (size not given)."""
    may_start: Status
    """Whether an audit may start now (records, system age and the partner's conditions): ``pass``, ``fail``,
    ``advisory``, or ``info`` when nothing asked decides it."""
    eligible: bool
    """The size qualifies and nothing stops an audit from starting."""
    reasons: tuple[Finding, ...]
    """The findings about this program."""


@frozen(repr=False, eq=False)
class Answer(Record):
    """Which programs an employer qualifies for and whether an audit may start, with every reason."""

    province: str
    """Province code."""
    on: dt.date
    """The date asked about."""
    headline: str
    """One sentence derived from the per-program answers; never says "eligible" above a failing condition."""
    programs: tuple[ProgramAnswer, ...]
    """One answer per program the province's sizing names."""
    findings: tuple[Finding, ...]
    """Every finding, in the order the plugins gave them."""


def headline(province: str, programs: tuple[ProgramAnswer, ...]) -> str:
    """The answer in one sentence, derived from the per-program answers: never "eligible" above a failing
    condition."""
    sized = [p for p in programs if p.size in ("pass", "advisory")]
    if not sized:
        if any(p.size == "info" for p in programs):
            return f"{province}: the size given does not say which program applies"
        return f"{province}: no program's size fits this employer"
    parts = []
    for p in sized:
        # a size bound of low confidence is an advisory, never a refusal: the headline says so
        uncertain = ", subject to an advisory on size" if p.size == "advisory" else ""
        if p.may_start == "fail":
            parts.append(f"{p.program} by size{uncertain}, but an audit may not start yet")
        elif p.may_start == "pass":
            parts.append(f"eligible for {p.program}{uncertain}: an audit may start")
        elif p.may_start == "advisory":
            parts.append(f"eligible for {p.program}{uncertain}: an audit may start, subject to advisories")
        else:
            parts.append(f"eligible for {p.program} by size{uncertain} (whether an audit may start is not checked)")
    return f"{province}: " + "; ".join(parts)


def _worst(statuses: list[Status]) -> Status:
    order: tuple[Status, ...] = ("fail", "advisory", "pass")
    return next((status for status in order if status in statuses), "info")


def without_other_bands(answer: Answer) -> tuple[list[Finding], list[str]]:
    """The answer's findings without the size bands the employer is not in, where its size is in another band
    (a band that does not apply is no failure), and those bands' programs. With no band fitting, every band
    stays: each says why it does not."""
    if not any(p.size in ("pass", "advisory") for p in answer.programs):
        return list(answer.findings), []
    others = [p.program for p in answer.programs if p.size == "fail"]
    kept = [f for f in answer.findings if not (f.check == "eligibility.size" and f.subject in others)]
    return kept, others


def answer(province: str, on: dt.date, findings: list[Finding]) -> Answer:
    """Group ``findings`` by program: size from ``eligibility.size``, may-start from every other decisive
    finding about the program (records, system age) and from decisive findings about no program in particular."""
    programs = list(dict.fromkeys(f.subject for f in findings if f.check == "eligibility.size" and f.subject))
    general: list[Status] = [f.status for f in findings if f.check != "eligibility.size" and not f.subject]
    answers = []
    for program in programs:
        mine = [f for f in findings if f.subject == program and f.subject_kind == "program"]
        size = _worst([f.status for f in mine if f.check == "eligibility.size"])
        start = _worst([f.status for f in mine if f.check != "eligibility.size"] + general)
        eligible = size in ("pass", "advisory") and start != "fail"
        answers.append(ProgramAnswer(program, size, start, eligible, tuple(mine)))
    said = headline(province, tuple(answers))
    unanswered = next((f.message for f in findings if f.status == "fail" and not f.subject), None)
    if not answers and unanswered:  # no sizing at all (no data in force on the date): say why, not "no fit"
        said = f"{province}: no program can be answered: {unanswered}"
    return Answer(province, on, said, tuple(answers), tuple(findings))
