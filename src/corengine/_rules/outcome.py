"""The core's outcome decision: the rule in force on the audit date turns a score into a verdict.

Kept apart from scoring so a plugin can take over the decision for its own standards (through the
``corengine_decide_outcome`` hook) while reusing the same score.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import attrs

from corengine._rules.audit_checks import program_of
from corengine._rules.reuse import Reuse
from corengine._rules.scoring import format_percent, format_percent_against, round_to
from corengine._util.dates import add_months, month_end
from corengine.model import (
    CONFIDENCE,
    Audit,
    AuditScore,
    CertificateRule,
    ElementScore,
    Outcome,
    ResolvedStandard,
    Result,
    Rule,
    RuleVersion,
)
from corengine.model.findings import Finding, Quantity, Status, decided, number_text


def article(word: str) -> str:
    """``an internal``, ``a maintenance``: the article English puts before ``word``."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def rule_for(resolved: ResolvedStandard, audit: Audit) -> tuple[Rule, RuleVersion] | None:
    """The first rule covering the audit's type and program with a version in force on its date."""
    return resolved.standard.rule_in_force(audit.audit_type, program_of(resolved.standard, audit), audit.audit_date)


def applied_rule(result: Result) -> tuple[Rule, RuleVersion] | None:
    """The rule and version the outcome of ``result`` applied, as the outcome records them; for an outcome that
    records no version (a plugin's own decision), the rule in force on the audit's date, as it was decided."""
    outcome = result.outcome
    if outcome.rule and outcome.rule_version is not None:
        for rule in result.standard.standard.rules:
            if rule.id == outcome.rule:
                for version in rule.versions:
                    if version.start == outcome.rule_version:
                        return rule, version
    return rule_for(result.standard, result.audit)


def _compared(value: Fraction, version: RuleVersion) -> Fraction:
    if version.rounding is None:
        return value
    return round_to(value, Fraction(1, 10**version.rounding.places), version.rounding.mode)


CHECK_VALUES = {
    "auditor": "auditors",
    "records_months": "records_months_minimum",
    "certificate": "certificates",
    "maintenance_due": "certificates",
}
"""The RuleVersion value a check decides, where its name is not the value's (the others share it)."""

OWN_SOURCES = {"certificates", "on_fail"}
"""Values whose records carry their own confidence and sources (a certificate, a fail option): a finding cites
those first, and an override's source only where the record has none."""


class _Recorder:
    """Builds findings that all carry the rule, version, source and plugin, under the confidence policy."""

    def __init__(self, resolved: ResolvedStandard, rule: Rule, version: RuleVersion, strict: bool) -> None:
        self.rule, self.version, self.strict = rule, version, strict
        self.plugin = resolved.plugin_for(rule.id, version.start.isoformat())
        self.findings: list[Finding] = []

    def add(self, check: str, ok: bool | None, message: str, **details: Any) -> None:
        """Record a check (the finding :meth:`make` builds from the same arguments)."""
        self.findings.append(self.make(check, ok, message, **details))

    def make(
        self,
        check: str,
        ok: bool | None,
        message: str,
        required: Quantity | None = None,
        measured: Quantity | None = None,
        subject: str = "",
        subject_kind: str = "",
        due: dt.date | None = None,
        reference: tuple[str, ...] = (),
        confidence: str | None = None,
        reading: str = "",
        decisive: bool = False,
        advisory: bool = False,
    ) -> Finding:
        """A check's finding; ``decisive`` findings pass or fail whatever the value's confidence, and a shortfall
        on an ``advisory`` check is an advisory whatever its confidence (unless strict)."""
        value = CHECK_VALUES.get(check, check)
        source = self.version.source_of(value)
        if source is not None and value not in OWN_SOURCES:
            # an override set the value this check decides: its source and confidence, over the version's
            # per-field ones (auditors_confidence, deadline_confidence...)
            reference, confidence = source.reference, source.confidence
        # the value's own confidence and sources: an override's where one set it, else the version's
        confidence = confidence or (self.version.confidence if source is None else source.confidence)
        reference = reference or (self.version.reference if source is None else source.reference)
        status: Status = "info" if ok is None else decided(ok, confidence, self.strict or decisive)
        if advisory and status == "fail" and not self.strict:
            status = "advisory"
        return Finding(
            check=f"{self.rule.id}.{check}",
            status=status,
            message=message,
            required=required,
            measured=measured,
            subject=subject,
            subject_kind=subject_kind,
            due=due,
            sources=reference,
            confidence=confidence,
            reading=reading,
            plugin=self.plugin,
            rule_version=self.version.start,
        )


def _element_finding(rec: _Recorder, element: ElementScore) -> Finding:
    """The element-minimum finding of one element score."""
    version = rec.version
    minimum = version.element_minimum
    assert minimum is not None
    percent = element.percent
    if percent is None:
        return rec.make(
            "element_minimum",
            None,
            f"element {element.id} has no applicable questions",
            required=Quantity.of(minimum, "%", ">="),
            subject=element.id,
            subject_kind="element",
        )
    ok = _compared(percent, version) >= minimum
    return rec.make(
        "element_minimum",
        ok,
        f"element {element.id} ({element.title}) {_shown(percent, minimum, version)} "
        f"{'meets' if ok else 'is below'} the {minimum}% element minimum",
        required=Quantity.of(minimum, "%", ">="),
        measured=_percent(percent, element.earned, element.available),
        subject=element.id,
        subject_kind="element",
        reading="" if version.rounding is not None else EXACT,
    )


def _certificate_gap(cert: CertificateRule, audit: Audit) -> str | None:
    """Why ``cert`` cannot be granted, or None when every condition holds."""
    if cert.audit_types and audit.audit_type not in cert.audit_types:
        return f"only for {', '.join(cert.audit_types)} audits"
    if cert.auditors and audit.auditor.kind not in cert.auditors:
        return f"needs {article(' or '.join(cert.auditors))} auditor, not {audit.auditor.kind}"
    missing = [m for m in cert.methods if m not in audit.methods_used]
    if missing:
        return f"needs verification methods {'+'.join(cert.methods)}; the audit did not use {'+'.join(missing)}"
    if cert.min_records_months is not None:
        months = audit.employer.records_months
        if months is None:
            return f"needs {cert.min_records_months} months of records; the audit does not state records_months"
        if months < cert.min_records_months:
            return f"needs {cert.min_records_months} months of records, the employer has {months}"
    return None


def _shown(value: Fraction | None, threshold: Fraction, version: RuleVersion) -> str:
    """The percentage as the comparison saw it: enough places to show the side of the threshold, or the
    rounded value the rule compares."""
    if value is None or version.rounding is None:
        return format_percent_against(value, threshold)
    compared = _compared(value, version)
    return f"{format_percent(value)} ({number_text(compared)}% as the rule rounds it)"


def _percent(percent: Fraction, earned: Fraction, available: Fraction) -> Quantity:
    return Quantity(number=percent, unit="%", text=f"{earned}/{available}")


EXACT = "compared exactly, not rounded: the published sources state no rounding"
"""The reading the core takes at a percentage threshold when the rule gives no rounding."""


def _records_only_gap(cert: CertificateRule, audit: Audit) -> bool:
    """Whether the certificate is missed only on its months of records, a value the policy lets advise: which
    audit types, auditors and methods a certificate is for define it and always decide."""
    months = cert.min_records_months
    return (
        months is not None
        and audit.employer.records_months is not None
        and audit.employer.records_months < months
        and _certificate_gap(attrs.evolve(cert, min_records_months=None), audit) is None
    )


def _deadlines(rec: _Recorder, version: RuleVersion, audit: Audit) -> None:
    partner_decides = version.lateness == "partner-decides"
    checks = (
        ("data_gathering_days", version.data_gathering_days, audit.start_date, audit.audit_date, "<="),
        ("report_days", version.report_days, audit.audit_date, audit.report_date, "<="),
        ("notice_days", version.notice_days, audit.notice_date, audit.start_date, ">="),
    )
    for check, limit, first, last, compare in checks:
        if limit is None:
            continue
        if first is None or last is None:
            missing = [name for name, day in zip(DEADLINE_DATES[check], (first, last), strict=True) if day is None]
            rec.add(
                check,
                False,
                f"the {limit}-day {DEADLINE_WORDS[check]} cannot be checked: the audit does not record "
                + " or ".join(missing),
                required=Quantity.of(limit, "days", compare),
                reference=version.deadline_reference,
                confidence=version.deadline_confidence,
                advisory=True,
                reading=UNRECORDED,
            )
            continue
        days = (last - first).days
        ok = days <= limit if compare == "<=" else days >= limit
        if check == "data_gathering_days":
            message = f"data gathering took {_days(days)} ({'within' if ok else 'over'} the {limit}-day limit)"
        elif check == "report_days":
            message = f"the report was submitted {_days(days)} after the audit ({'within' if ok else 'over'} the {limit}-day limit)"
        else:
            when = f"{_days(days)} before" if days >= 0 else f"{_days(-days)} after"
            message = (
                f"the audit was announced {when} it started ({'meets' if ok else 'short of'} the {limit}-day notice)"
            )
        due = first + dt.timedelta(days=limit) if compare == "<=" else last - dt.timedelta(days=limit)
        if not ok and partner_decides:
            message += "; no published page says what lateness causes: the partner decides whether it accepts the work"
        rec.add(
            check,
            ok,
            message,
            required=Quantity.of(limit, "days", compare),
            measured=Quantity.of(days, "days"),
            due=due,
            reference=version.deadline_reference,
            confidence=version.deadline_confidence,
            advisory=partner_decides,
            reading=LATE if partner_decides else "",
        )
    if version.revision_days is not None:
        rec.add(
            "revision_days",
            None,
            f"each revision round the partner asks for must be answered within {version.revision_days} days",
            required=Quantity.of(version.revision_days, "days", "<="),
            reference=version.deadline_reference,
            confidence=version.deadline_confidence,
        )


DEADLINE_DATES = {
    "data_gathering_days": ("start_date", "audit_date"),
    "report_days": ("audit_date", "report_date"),
    "notice_days": ("notice_date", "start_date"),
}
"""The audit's two dates each day limit is measured between."""
DEADLINE_WORDS = {"data_gathering_days": "data-gathering limit", "report_days": "report limit", "notice_days": "notice"}
UNRECORDED = "a day limit the audit's dates cannot show is an advisory (--strict makes it decisive): record the date"
"""The reading the core takes where a rule sets a day limit and the audit lacks one of its dates."""


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


LATE = "a missed day limit is an advisory: the partner decides whether it still accepts late work"
"""The reading the core takes where a rule's ``lateness`` is ``partner-decides``."""


def _records(rec: _Recorder, version: RuleVersion, audit: Audit) -> None:
    needed = version.records_months_minimum
    if needed is None:
        return
    months = audit.employer.records_months
    if months is None:
        rec.add(
            "records_months",
            None,
            f"this audit needs at least {needed} months of records; the audit does not state records_months, "
            "so this was not checked",
            required=Quantity.of(needed, "months", ">="),
        )
        return
    ok = months >= needed
    rec.add(
        "records_months",
        ok,
        f"{months} months of records {'meet' if ok else 'are fewer than'} the {needed} months this audit needs",
        required=Quantity.of(needed, "months", ">="),
        measured=Quantity.of(months, "months"),
    )


def decide(
    resolved: ResolvedStandard, audit: Audit, score: AuditScore, strict: bool = False, reuse: Reuse | None = None
) -> Outcome:
    """Apply the rule in force to ``score``; every check becomes a finding.

    A shortfall against a value of confidence L is an advisory and does not fail the audit unless ``strict``.
    ``reuse`` is the calling Engine's tables (element findings that repeat); without one nothing is kept, and
    the outcome is the same.
    """
    findings_kept = (Reuse.off() if reuse is None else reuse).element_findings
    found = rule_for(resolved, audit)
    program = program_of(resolved.standard, audit)
    if found is None:
        reason = Finding(
            check="no-rule",
            status="fail",
            plugin=resolved.source.plugin,
            subject=program,
            subject_kind="program",
            message=f"{resolved.standard.id} has no rule in force on {audit.audit_date} for {article(audit.audit_type)} "
            f"audit in the {program} program",
        )
        return Outcome(
            passed=False, certificate=None, reasons=(reason,), plugin=resolved.source.plugin, program=program
        )
    rule, version = found
    rec = _Recorder(resolved, rule, version, strict)
    rec.add(
        "version",
        None,
        f"{rule.title}: rules in force from {version.start}"
        + (f" to {version.end}" if version.end else "")
        + (f". {version.note}" if version.note else ""),
    )

    if version.auditors:
        ok = audit.auditor.kind in version.auditors
        rec.add(
            "auditor",
            ok,
            f"{article(audit.audit_type)} audit must be conducted by {article(' or '.join(version.auditors))} auditor",
            required=Quantity.names(version.auditors, "in"),
            measured=Quantity.names((audit.auditor.kind,)),
            confidence=version.auditors_confidence,
        )
    if version.methods_required:
        missing = [m for m in version.methods_required if m not in audit.methods_used]
        rec.add(
            "methods_required",
            not missing,
            "all required verification methods were used"
            if not missing
            else f"the audit did not use required method(s) {'+'.join(missing)}",
            required=Quantity.names(version.methods_required, "all"),
            measured=Quantity.names(audit.methods_used),
            confidence=version.methods_confidence,
        )

    if version.not_accepted:
        rec.add("not_accepted", False, version.not_accepted)
    _deadlines(rec, version, audit)
    _records(rec, version, audit)
    percent = score.percent
    reading = "" if version.rounding is not None else EXACT
    if version.overall_minimum is not None:
        ok = percent is not None and _compared(percent, version) >= version.overall_minimum
        rec.add(
            "overall_minimum",
            ok,
            f"overall {_shown(percent, version.overall_minimum, version)} "
            f"{'meets' if ok else 'is below'} the {version.overall_minimum}% minimum",
            required=Quantity.of(version.overall_minimum, "%", ">="),
            measured=None if percent is None else _percent(percent, score.earned, score.available),
            reading=reading,
        )
    else:
        rec.add(
            "overall_minimum",
            None,
            "no overall minimum applies",
            measured=None if percent is None else Quantity.of(percent, "%"),
        )
    if version.element_minimum is not None:
        # an element's finding depends on the rule in force, the plugin, strictness and the element's totals
        # alone: reused when they repeat (the Engine's Reuse.element_findings)
        kept = findings_kept.table((resolved, rule, version), (bool(strict),))
        for element in score.elements:
            if not element.counted:  # a score rule leaves it out of the minimums (its own finding says so)
                continue
            earned, available = element.earned, element.available
            key = (
                element.id,
                element.title,
                earned.numerator,
                earned.denominator,
                available.numerator,
                available.denominator,
            )
            finding: Finding | None = kept.get(key)
            if finding is None:
                finding = findings_kept.put(kept, key, _element_finding(rec, element))
            rec.findings.append(finding)
    else:
        rec.add("element_minimum", None, "element scores are not counted against a minimum in this period")
    if version.mandatory_full_marks:
        mandatory = {q.id for _, q in resolved.standard.questions() if q.mandatory}
        for element in score.elements:
            for question in element.questions:
                if question.id in mandatory and question.status == "scored" and question.counted and element.counted:
                    ok = question.earned == question.available
                    rec.add(
                        "mandatory_full_marks",
                        ok,
                        f"mandatory question {question.id} {'has' if ok else 'does not have'} full marks",
                        required=Quantity.of(question.available, "points", ">="),
                        measured=Quantity.of(question.earned, "points"),
                        subject=question.id,
                        subject_kind="question",
                    )

    passed = all(f.status != "fail" for f in rec.findings)
    certificate: CertificateRule | None = None
    own = tuple(c for c in version.certificates if not c.programs or program in c.programs)
    if passed and own:
        for cert in own:
            gap = _certificate_gap(cert, audit)
            if gap is None:
                certificate = cert
                rec.add(
                    "certificate",
                    True,
                    f"grants {cert.certificate}" + (f". {cert.note}" if cert.note else ""),
                    required=Quantity.names((cert.certificate,)),
                    subject=program,
                    subject_kind="program",
                    reference=cert.reference,
                    confidence=cert.confidence,
                )
                break
            rec.add(
                "certificate",
                None,
                f"{cert.certificate} not granted: {gap}",
                required=Quantity.names((cert.certificate,)),
                subject=program,
                subject_kind="program",
                reference=cert.reference,
                confidence=cert.confidence,
            )
        # The confidence policy: a certificate missed only on a condition of confidence L is granted subject to
        # an advisory (and refused with --strict), unless one whose conditions all hold comes later.
        lenient = next(
            (
                cert
                for cert in own
                if (cert.confidence or version.confidence_of("certificates")) == "L" and _records_only_gap(cert, audit)
            ),
            None,
        )
        if certificate is None and lenient is not None and not strict:
            certificate = lenient
            rec.add(
                "certificate",
                False,
                f"grants {lenient.certificate} subject to an advisory: {_certificate_gap(lenient, audit)}, "
                "a condition of low confidence",
                required=Quantity.names((lenient.certificate,)),
                subject=program,
                subject_kind="program",
                reference=lenient.reference,
                confidence="L",
            )
        elif certificate is None:
            passed = False
            # the certificates' own conditions decide here: the finding carries their confidence and sources
            # (the strongest of them), not the version's marks'
            levels = [cert.confidence or version.confidence_of("certificates") for cert in version.certificates]
            strongest = min(levels, key=CONFIDENCE.index)
            sources = tuple(dict.fromkeys(s for cert in version.certificates for s in cert.reference))
            rec.add(
                "certificate",
                False,
                "the score passes but no certificate's conditions are met",
                subject=program,
                subject_kind="program",
                reference=sources,
                confidence=strongest,
                reading=""
                if strongest != "L"
                else "a certificate's audit types, auditors and methods define it: missing one decides, whatever the "
                "confidence of the value",
                decisive=True,
            )
    if certificate is not None:
        for after in certificate.maintenance_due:
            due = month_end(add_months(audit.audit_date, after))
            rec.add(
                "maintenance_due",
                None,
                f"maintenance audit due in {due:%B %Y} "
                f"({after} months after this audit)" + (f"; {certificate.note}" if certificate.note else ""),
                required=Quantity.on(due, "by"),
                subject="maintenance",
                subject_kind="audit",
                due=due,
                reference=certificate.reference,
                confidence=certificate.confidence,
                reading="due by the last day of the month named",
            )
    if passed and certificate is None and version.on_pass:
        rec.add("on_pass", True, version.on_pass)
    if not passed:
        for option in version.on_fail:
            low_ok = option.overall_at_least is None or (percent is not None and percent >= option.overall_at_least)
            high_ok = option.overall_below is None or (percent is not None and percent < option.overall_below)
            if low_ok and high_ok:
                when = f" within {option.within_days} days" if option.within_days else ""
                rec.add(
                    "on_fail",
                    None,
                    f"{option.outcome}{when}",
                    due=audit.audit_date + dt.timedelta(days=option.within_days) if option.within_days else None,
                    reference=option.reference,
                    confidence=option.confidence,
                )

    granted = certificate.certificate if certificate else (version.on_pass or None) if passed else None
    months = certificate.months if certificate else None
    return Outcome(
        passed=passed,
        certificate=granted,
        reasons=tuple(rec.findings),
        certificate_months=months,
        valid_until=add_months(audit.audit_date, months) if months else None,
        rule=rule.id,
        plugin=rec.plugin,
        program=program,
        rule_version=version.start,
    )
