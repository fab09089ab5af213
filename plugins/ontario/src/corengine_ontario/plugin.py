"""Ontario's hooks: its data files, and the few rules the data cannot express.

Everything Ontario decides by numbers (the internal-audit gate, the external audit, Letters of Good Standing,
limited scope, the COR 2015 transition dates) is data in ``data/standards/``. Python only adds:

- explanations instead of bare errors: asking for SECOR (Ontario has none), and scoring on the rules-only
  COR 2015 standard before its transition date (its 19 elements are not shipped);
- the transition dates applied to the submission date (``report_date``) as well as the audit date, since
  IHSA words them as "submitted after";
- information the model has no field for, kept as data in ``data/requirements.yaml``: eligibility conditions
  (WSIB account, people, evidence window), the OHSMS age check (its 12 months read from the ``internal-gate``
  rule, so the number lives once), what comes next, and Supporting Ontario's Safe Employers;
- legislated items whose law exempts small workplaces (OHSA s.25(4)): the decision hook leaves them out of the
  mandatory-full-marks gate where the employer has that few workers, and readings the project takes where a
  source is silent are put on the findings they qualify (both listed in ``data/requirements.yaml``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corengine.plugin import data_plugin, hookimpl

PACKAGE = data_plugin("corengine_ontario", jurisdictions=["ontario.yaml"])
"""Ontario's data: the standards in ``data/standards/``, the province in ``data/ontario.yaml`` and the
requirements in ``data/requirements.yaml``."""
corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files
DATA = PACKAGE.data
CODE = "ON"
PLUGIN = "ontario"
"""The entry-point name, for findings the core does not attribute itself (sample plans)."""
PLACEHOLDERS = ("audit_date", "submitted", "evidence_from", "apply_by", "expires")
"""Names a requirement's message may use in braces."""

if TYPE_CHECKING:
    from corengine.plugin import (
        Audit,
        AuditProblem,
        AuditScore,
        CertificateRule,
        EligibilityRequest,
        Finding,
        Jurisdiction,
        Outcome,
        ResolvedStandard,
        RuleVersion,
        SamplePlan,
        Standard,
        Status,
    )
    from corengine_ontario.requirements import Requirement, Requirements


RECORDS = ("Requirement", "RuleRef", "LegislatedExemption", "Reading", "Requirements")
"""The records of ``data/requirements.yaml``, defined in :mod:`corengine_ontario.requirements` and imported on
first use (``corengine_ontario.plugin.Requirements`` works as before)."""


def __getattr__(name: str) -> Any:
    if name in RECORDS:
        from corengine_ontario import requirements as records

        return getattr(records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


PACKAGE.declare("requirements.yaml", "corengine_ontario.requirements:Requirements")


def _check_placeholders(requirements: Requirements, source: Path) -> None:
    import string

    from corengine.plugin import InputError

    problems = []
    for group in ("eligibility", "outcome", "sampling"):
        for index, item in enumerate(getattr(requirements, group)):
            for _, name, _, _ in string.Formatter().parse(item.message):
                if name is not None and name not in PLACEHOLDERS:
                    problems.append(
                        f"{source}: {group}[{index}].message: unknown placeholder {{{name}}} "
                        f"(expected one of {', '.join(PLACEHOLDERS)})"
                    )
    if problems:
        raise InputError(problems)


@cache
def requirements() -> Requirements:
    """Ontario's requirements data, loaded once (its placeholders checked)."""
    from corengine_ontario.requirements import Requirements

    loaded = PACKAGE.load("requirements.yaml", Requirements)
    _check_placeholders(loaded, PACKAGE.path("requirements.yaml"))
    return loaded


def jurisdiction() -> Jurisdiction:
    """Ontario's jurisdiction data, loaded once."""
    return PACKAGE.jurisdiction()


def _ontario(standard: Standard) -> bool:
    return standard.jurisdiction.upper() == CODE


def _versions(standard: Standard, audit: Audit) -> list[RuleVersion]:
    """The versions in force on the audit date and on the submission date, of the rule deciding the audit."""
    from corengine.plugin import program_of

    program = program_of(standard, audit)
    for rule in standard.rules:
        if audit.audit_type in rule.audit_types and (not rule.programs or program in rule.programs):
            version = rule.in_force(audit.audit_date)
            if version is not None:
                later = rule.in_force(audit.report_date) if audit.report_date else None
                return [version] + ([later] if later is not None else [])
    return []


# --------------------------------------------------------------------------- the audit


@hookimpl
def corengine_validate_audit(standard: Standard, audit: Audit) -> list[AuditProblem]:
    """Explain, rather than merely reject, two Ontario dead ends: SECOR, and COR 2015 without its questions."""
    if not _ontario(standard):
        return []
    problems: list[AuditProblem] = []
    if audit.program is not None and audit.program.upper() == "SECOR":
        problems.append(
            (
                ("program",),
                "Ontario has no SECOR: IHSA's COR is one program for employers of every size, "
                f"so audit the COR program ({standard.id} programs: {', '.join(standard.programs)})",
            )
        )
    refused = any(version.not_accepted for version in _versions(standard, audit))
    if not standard.questions() and not refused:
        problems.append(
            (
                ("standard",),
                f"{standard.id} ships rules only: corengine has no source for its questions, so it cannot "
                "score this audit. Extend it with the official audit document's structure "
                f"(a standard with 'extends: {standard.id}'), or audit on the current document.",
            )
        )
    return problems


def _for(standards: tuple[str, ...], resolved: ResolvedStandard) -> bool:
    return not standards or any(ident in resolved.chain for ident in standards)


def _with_readings(findings: tuple[Finding, ...], resolved: ResolvedStandard) -> tuple[Finding, ...]:
    """``findings`` with the data's readings put on the checks they qualify."""
    readings = {r.check: r.reading for r in requirements().readings if _for(r.standards, resolved)}
    return tuple(
        attrs.evolve(f, reading=readings[f.check]) if f.check in readings and not f.reading else f for f in findings
    )


def _exemptions(
    resolved: ResolvedStandard, audit: Audit, score: AuditScore, rule: str, start: dt.date
) -> tuple[set[str], list[Finding]]:
    """The mandatory questions the law does not reach for this employer, and a finding for each exempt question
    and for each held one that fell short (saying why it is held)."""
    from corengine.plugin import Finding, Quantity

    mandatory = {q.id for _, q in resolved.standard.questions() if q.mandatory}
    scored = {q.id: q for e in score.elements for q in e.questions if q.status == "scored" and q.id in mandatory}
    workers = audit.employer.workers
    exempt: set[str] = set()
    findings = []
    for item in requirements().legislated_exemptions:
        if not _for(item.standards, resolved):
            continue
        applies = workers is not None and workers <= item.workers_at_most
        for ident in item.questions:
            question = scored.get(ident)
            if question is None or (not applies and question.earned == question.available):
                continue
            if applies:
                exempt.add(ident)
                message = (
                    f"legislated question {ident} is not held to full marks: {item.exemption}, {item.law}, and the "
                    f"employer has {workers} workers (its points still count in the element and overall scores)"
                )
            elif workers is None:
                message = (
                    f"legislated question {ident} is held to full marks: the audit does not state employer.workers, "
                    f"so {item.exemption} (no {item.provision} where {item.workers_at_most} or fewer workers are "
                    "regularly employed) could not be applied"
                )
            else:
                message = (
                    f"legislated question {ident} is held to full marks: the employer has {workers} workers, more "
                    f"than the {item.workers_at_most} at or below which {item.exemption} lifts {item.provision}"
                )
            findings.append(
                Finding(
                    check=f"{rule}.mandatory_exemption",
                    status="info",
                    message=message,
                    subject=ident,
                    subject_kind="question",
                    required=Quantity.of(item.workers_at_most, "workers", "<="),
                    measured=None if workers is None else Quantity.of(workers, "workers"),
                    sources=item.reference,
                    confidence=item.confidence,
                    reading=item.reading,
                    plugin=PLUGIN,
                    rule_version=start,
                )
            )
    return exempt, findings


@hookimpl
def corengine_decide_outcome(
    resolved: ResolvedStandard, audit: Audit, score: AuditScore, strict: bool
) -> Outcome | None:
    """The core's decision, with legislated questions the law does not reach for this employer left out of the
    mandatory-full-marks gate, and the data's readings on the findings they qualify; None (the core decides
    alone) when neither applies."""
    from corengine.plugin import decide, rule_for

    if not _ontario(resolved.standard):
        return None
    found = rule_for(resolved, audit)
    exempt: set[str] = set()
    notes: list[Finding] = []
    if found is not None and found[1].mandatory_full_marks:
        exempt, notes = _exemptions(resolved, audit, score, found[0].id, found[1].start)
    readings = any(_for(r.standards, resolved) for r in requirements().readings)
    if not notes and not readings:
        return None
    judged = resolved
    if exempt:
        elements = tuple(
            attrs.evolve(
                element,
                questions=tuple(attrs.evolve(q, mandatory=False) if q.id in exempt else q for q in element.questions),
            )
            for element in resolved.standard.elements
        )
        judged = attrs.evolve(resolved, standard=attrs.evolve(resolved.standard, elements=elements))
    outcome = decide(judged, audit, score, strict)
    reasons = list(_with_readings(outcome.reasons, resolved))
    if notes:
        assert found is not None
        gate = [i for i, f in enumerate(reasons) if f.check == f"{found[0].id}.mandatory_full_marks"]
        at = gate[-1] + 1 if gate else min(1, len(reasons))  # after the gate's findings, or after the version
        reasons[at:at] = notes
    return attrs.evolve(outcome, reasons=tuple(reasons))


def _submission(resolved: ResolvedStandard, audit: Audit, strict: bool) -> list[Finding]:
    """A transition worded "submitted after": the rule in force on ``report_date`` may refuse the instrument."""
    from corengine.plugin import Finding, Quantity, decided, rule_for

    if audit.report_date is None or audit.report_date <= audit.audit_date:
        return []
    found = rule_for(resolved, audit)
    if found is None:
        return []
    rule, version = found
    later = rule.in_force(audit.report_date)
    if later is None or not later.not_accepted or version.not_accepted:
        return []
    return [
        Finding(
            check=f"{rule.id}.not_accepted",
            status=decided(False, later.confidence, strict),
            message=f"submitted on {audit.report_date}, on or after the {later.start} transition: {later.not_accepted}",
            required=Quantity.on(later.start, "<"),
            measured=Quantity.on(audit.report_date),
            due=later.start,
            sources=later.reference,
            confidence=later.confidence,
            plugin=resolved.plugin_for(rule.id, later.start.isoformat()),
            rule_version=later.start,
        )
    ]


def _values(audit: Audit, outcome: Outcome) -> Mapping[str, str]:
    from corengine.plugin import add_months

    submitted = audit.report_date or audit.audit_date
    return {
        "audit_date": audit.audit_date.isoformat(),
        "submitted": submitted.isoformat(),
        "evidence_from": add_months(submitted, -12).isoformat(),
        "apply_by": add_months(audit.audit_date, 12).isoformat(),
        "expires": outcome.valid_until.isoformat() if outcome.valid_until else "the certificate's expiry",
    }


def _applies(item: Requirement, resolved: ResolvedStandard, audit: Audit, passed: bool) -> bool:
    return (
        (not item.audit_types or audit.audit_type in item.audit_types)
        and _for(item.standards, resolved)
        and (item.start is None or audit.audit_date >= item.start)
        and (item.when == "always" or (item.when == "passed") == passed)
    )


@hookimpl
def corengine_review_outcome(resolved: ResolvedStandard, audit: Audit, outcome: Outcome, strict: bool) -> list[Finding]:
    """Add the submission-date transition check and Ontario's information (next steps, Safe Employers)."""
    from corengine.plugin import Finding

    if not _ontario(resolved.standard):
        return []
    findings = list(_with_readings(tuple(_submission(resolved, audit, strict)), resolved))
    passed = outcome.passed and not any(f.status == "fail" for f in findings)
    values = _values(audit, outcome)
    for item in requirements().outcome:
        if _applies(item, resolved, audit, passed):
            findings.append(
                Finding(
                    check=item.id,
                    status="info",
                    message=item.message.format_map(values),
                    sources=item.reference,
                    confidence=item.confidence,
                )
            )
    return findings


# --------------------------------------------------------------------------- employer questions


def _age_rule(on: dt.date, standard_lookup: Callable[[str], Standard]) -> tuple[str, RuleVersion, CertificateRule]:
    """The first configured rule with a system-age minimum in force on ``on``."""
    for where in requirements().ohsms_age:
        rule = next((r for r in standard_lookup(where.standard).rules if r.id == where.rule), None)
        version = rule.in_force(on) if rule is not None else None
        if version is None:
            continue
        cert = next((c for c in version.certificates if c.min_records_months is not None), None)
        if cert is not None:
            return where.rule, version, cert
    raise LookupError(on)


def _ohsms_age(request: EligibilityRequest, on: dt.date, standard_lookup: Callable[[str], Standard]) -> Finding:
    from corengine.plugin import Finding, Quantity, decided

    try:
        rule, version, cert = _age_rule(on, standard_lookup)
    except LookupError:
        places = ", ".join(f"{w.standard} {w.rule}" for w in requirements().ohsms_age)
        return Finding(
            check="ohsms_age", status="info", message=f"no system-age rule is in force on {on} (looked in {places})"
        )
    needed = cert.min_records_months or 0
    months = request.records_months
    rule_text = f"the OHSMS must have run at least {needed} months before the initial internal audit"
    confidence = cert.confidence or version.confidence
    status: Status
    if months is None:
        status = "info"
        message = f"{rule_text} (give the months of records to check)"
    else:
        status = decided(months >= needed, confidence)
        message = f"{rule_text}: {months} months {'meets' if months >= needed else 'is too few for'} it"
    return Finding(
        check=f"{rule}.ohsms_age",
        status=status,
        message=message,
        required=Quantity.of(needed, "months", ">="),
        measured=None if months is None else Quantity.of(months, "months"),
        sources=cert.reference or version.reference,
        confidence=confidence,
        reading="the months are counted before the initial internal audit (the sources name no other start)",
        rule_version=version.start,
    )


@hookimpl
def corengine_check_eligibility(
    request: EligibilityRequest, jurisdiction: Jurisdiction, standard_lookup: Callable[[str], Standard]
) -> list[Finding]:
    """Ontario's conditions beyond size: system age, WSIB account, people, evidence window."""
    from corengine.plugin import Finding

    if jurisdiction.code != CODE:
        return []
    on = request.on or dt.date.today()
    findings = [_ohsms_age(request, on, standard_lookup)]
    for item in requirements().eligibility:
        if item.start is None or on >= item.start:
            findings.append(
                Finding(
                    check=item.id,
                    status="info",
                    message=item.message,
                    sources=item.reference,
                    confidence=item.confidence,
                )
            )
    return findings


@hookimpl
def corengine_plan_sample(standard: Standard, workers: int, sites: int | None, on: dt.date) -> SamplePlan | None:
    """For an Ontario standard without a sampling table: no minimums, and why (IHSA publishes none)."""
    from corengine.plugin import Finding, SamplePlan

    if not _ontario(standard) or standard.sampling is not None:
        return None
    reasons = tuple(
        Finding(
            check=item.id,
            status="info",
            message=item.message,
            sources=item.reference,
            confidence=item.confidence,
            plugin=PLUGIN,
        )
        for item in requirements().sampling
        if item.start is None or on >= item.start
    )
    return SamplePlan(standard.id, workers, sites, None, None, None, reasons)
