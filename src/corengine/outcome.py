"""The core's outcome decision: the rule in force on the audit date turns a score into a verdict.

Kept apart from scoring so a plugin can take over the decision for its own standards (through the
``corengine_decide_outcome`` hook) while reusing the same score.
"""

from __future__ import annotations

import calendar
import datetime as dt
from fractions import Fraction

from .model import Audit, AuditScore, CertificateRule, Finding, Outcome, Rule, RuleVersion
from .scoring import format_percent, round_to
from .standards import ResolvedStandard
from .validation import program_of


def article(word: str) -> str:
    """``an internal``, ``a maintenance``: the article English puts before ``word``."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rule_for(resolved: ResolvedStandard, audit: Audit) -> tuple[Rule, RuleVersion] | None:
    """The first rule covering the audit's type and program with a version in force on its date."""
    program = program_of(resolved.standard, audit)
    for rule in resolved.standard.rules:
        if audit.audit_type in rule.audit_types and (not rule.programs or program in rule.programs):
            version = rule.in_force(audit.audit_date)
            if version is not None:
                return rule, version
    return None


def _compared(value: Fraction, version: RuleVersion) -> Fraction:
    if version.rounding is None:
        return value
    return round_to(value, Fraction(1, 10**version.rounding.places), version.rounding.mode)


class _Recorder:
    """Builds findings that all carry the rule, version, source and plugin."""

    def __init__(self, resolved: ResolvedStandard, rule: Rule, version: RuleVersion) -> None:
        self.rule, self.version = rule, version
        self.plugin = resolved.plugin_for(rule.id, version.start.isoformat())
        self.findings: list[Finding] = []

    def add(
        self,
        check: str,
        passed: bool | None,
        message: str,
        required: str = "",
        measured: str = "",
        subject: str = "",
        reference: tuple[str, ...] = (),
        confidence: str | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                rule=f"{self.rule.id}.{check}",
                passed=passed,
                message=message,
                required=required,
                measured=measured,
                reference=reference or self.version.reference,
                confidence=confidence or self.version.confidence,
                plugin=self.plugin,
                rule_version=self.version.start,
                subject=subject,
            )
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


def _deadlines(rec: _Recorder, version: RuleVersion, audit: Audit) -> None:
    if version.data_gathering_days is not None and audit.start_date is not None:
        days = (audit.audit_date - audit.start_date).days
        ok = days <= version.data_gathering_days
        rec.add(
            "data_gathering_days",
            ok,
            f"data gathering took {days} days "
            f"({'within' if ok else 'over'} the {version.data_gathering_days}-day limit)",
            required=f"<= {version.data_gathering_days} days",
            measured=f"{days} days",
        )
    if version.report_days is not None and audit.report_date is not None:
        days = (audit.report_date - audit.audit_date).days
        ok = days <= version.report_days
        rec.add(
            "report_days",
            ok,
            f"the report was submitted {days} days after the audit "
            f"({'within' if ok else 'over'} the {version.report_days}-day limit)",
            required=f"<= {version.report_days} days",
            measured=f"{days} days",
        )
    if version.notice_days is not None and audit.notice_date is not None and audit.start_date is not None:
        days = (audit.start_date - audit.notice_date).days
        ok = days >= version.notice_days
        rec.add(
            "notice_days",
            ok,
            f"the audit was announced {days} days before it started "
            f"({'meets' if ok else 'short of'} the {version.notice_days}-day notice)",
            required=f">= {version.notice_days} days",
            measured=f"{days} days",
        )
    if version.revision_days is not None:
        rec.add(
            "revision_days",
            None,
            f"each revision round the partner asks for must be answered within {version.revision_days} days",
            required=f"<= {version.revision_days} days",
        )


def decide(resolved: ResolvedStandard, audit: Audit, score: AuditScore) -> Outcome:
    """Apply the rule in force to ``score``; every check becomes a finding, passed or not."""
    found = rule_for(resolved, audit)
    program = program_of(resolved.standard, audit)
    if found is None:
        reason = Finding(
            rule="no-rule",
            passed=False,
            plugin=resolved.source.plugin,
            message=f"{resolved.standard.id} has no rule in force on {audit.audit_date} for {article(audit.audit_type)} "
            f"audit in the {program} program",
        )
        return Outcome(passed=False, certificate=None, reasons=(reason,), plugin=resolved.source.plugin)
    rule, version = found
    rec = _Recorder(resolved, rule, version)
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
            required=" or ".join(version.auditors),
            measured=audit.auditor.kind,
        )
    if version.methods_required:
        missing = [m for m in version.methods_required if m not in audit.methods_used]
        rec.add(
            "methods_required",
            not missing,
            "all required verification methods were used"
            if not missing
            else f"the audit did not use required method(s) {'+'.join(missing)}",
            required="+".join(version.methods_required),
            measured="+".join(audit.methods_used),
        )

    if version.not_accepted:
        rec.add("not_accepted", False, version.not_accepted)
    _deadlines(rec, version, audit)
    percent = score.percent
    if version.overall_minimum is not None:
        ok = percent is not None and _compared(percent, version) >= version.overall_minimum
        rec.add(
            "overall_minimum",
            ok,
            f"overall {format_percent(percent)} {'meets' if ok else 'is below'} the {version.overall_minimum}% minimum",
            required=f">= {version.overall_minimum}%",
            measured=f"{score.earned}/{score.available}",
        )
    else:
        rec.add("overall_minimum", None, "no overall minimum applies", measured=format_percent(percent))
    if version.element_minimum is not None:
        for element in score.elements:
            if element.percent is None:
                rec.add(
                    "element_minimum",
                    None,
                    f"element {element.id} has no applicable questions",
                    subject=element.id,
                )
                continue
            ok = _compared(element.percent, version) >= version.element_minimum
            rec.add(
                "element_minimum",
                ok,
                f"element {element.id} ({element.title}) "
                f"{format_percent(element.percent)} {'meets' if ok else 'is below'} the "
                f"{version.element_minimum}% element minimum",
                required=f">= {version.element_minimum}%",
                measured=f"{element.earned}/{element.available}",
                subject=element.id,
            )
    else:
        rec.add("element_minimum", None, "element scores are not counted against a minimum in this period")
    if version.mandatory_full_marks:
        mandatory = {q.id for _, q in resolved.standard.questions() if q.mandatory}
        for element in score.elements:
            for question in element.questions:
                if question.id in mandatory and question.status == "scored":
                    ok = question.earned == question.available
                    rec.add(
                        "mandatory_full_marks",
                        ok,
                        f"mandatory question {question.id} {'has' if ok else 'does not have'} full marks",
                        required=f"{question.available}",
                        measured=f"{question.earned}",
                        subject=question.id,
                    )

    passed = all(f.passed is not False for f in rec.findings)
    certificate: CertificateRule | None = None
    if passed and version.certificates:
        for cert in version.certificates:
            gap = _certificate_gap(cert, audit)
            if gap is None:
                certificate = cert
                rec.add(
                    "certificate",
                    True,
                    f"grants {cert.certificate}" + (f". {cert.note}" if cert.note else ""),
                    required=cert.certificate,
                    reference=cert.reference,
                    confidence=cert.confidence,
                )
                break
            rec.add(
                "certificate",
                None,
                f"{cert.certificate} not granted: {gap}",
                required=cert.certificate,
                reference=cert.reference,
                confidence=cert.confidence,
            )
        if certificate is None:
            passed = False
            rec.add("certificate", False, "the score passes but no certificate's conditions are met")
    if certificate is not None:
        for after in certificate.maintenance_due:
            due = add_months(audit.audit_date, after)
            rec.add(
                "maintenance_due",
                None,
                f"maintenance audit due in {due:%B %Y} "
                f"({after} months after this audit)" + (f"; {certificate.note}" if certificate.note else ""),
                required=f"{due:%Y-%m}",
                reference=certificate.reference,
                confidence=certificate.confidence,
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
    )
