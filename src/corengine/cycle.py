"""A certificate's cycle across several audits: maintenance on time, every worksite and unit covered.

One audit cannot show these; the history of an employer's audits can. The cycle starts at the latest
audit that granted a certificate and runs for the certificate's length.
"""

from __future__ import annotations

import calendar
import datetime as dt

from .engine import Result
from .errors import InputError
from .model import Finding
from .outcome import add_months


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def check_cycle(results: list[Result]) -> list[Finding]:
    """Findings about the cycle opened by the latest certifying audit among ``results``."""
    if not results:
        raise InputError(["give at least one audit"])
    employers = {r.audit.employer.account or r.audit.employer.name for r in results}
    if len(employers) > 1:
        raise InputError([f"the audits are of different employers: {', '.join(sorted(employers))}"])
    ordered = sorted(results, key=lambda r: r.audit.audit_date)
    opening = [r for r in ordered if r.outcome.passed and r.outcome.certificate_months]
    if not opening:
        return [Finding("cycle.certificate", False, "none of the audits granted a certificate, so no cycle is open")]
    start = opening[-1]
    months = start.outcome.certificate_months
    assert months is not None
    end = add_months(start.audit.audit_date, months)
    in_cycle = [r for r in ordered if start.audit.audit_date <= r.audit.audit_date < end]
    plugin = start.outcome.plugin
    findings = [
        Finding(
            "cycle.certificate",
            None,
            f"{start.outcome.certificate} from the {start.audit.audit_type} audit of {start.audit.audit_date}, "
            f"valid until {end}; {len(in_cycle)} audit(s) in the cycle",
            plugin=plugin,
        )
    ]
    cert = next((f for f in start.outcome.reasons if f.rule.endswith(".certificate") and f.passed), None)
    for due in (f for f in start.outcome.reasons if f.rule.endswith(".maintenance_due")):
        year, month = (int(x) for x in due.required.split("-"))
        deadline = _month_end(dt.date(year, month, 1))
        window_start = add_months(deadline, -12) + dt.timedelta(days=1)
        done = [
            r
            for r in in_cycle
            if r is not start and r.audit.audit_type == "maintenance" and window_start <= r.audit.audit_date <= deadline
        ]
        passed = [r for r in done if r.outcome.passed]
        if passed:
            ok, message = True, f"maintenance audit due by {deadline} was passed on {passed[0].audit.audit_date}"
        elif done:
            ok, message = (
                False,
                f"the maintenance audit of {done[0].audit.audit_date} failed: the certificate is cancelled",
            )
        else:
            ok, message = (
                False,
                f"no maintenance audit by {deadline}: a missed maintenance audit cancels the certificate",
            )
        findings.append(
            Finding(
                "cycle.maintenance",
                ok,
                message,
                required=f"a passed maintenance audit by {deadline}",
                reference=due.reference or (cert.reference if cert else ()),
                confidence=due.confidence,
                plugin=due.plugin,
                rule_version=due.rule_version,
            )
        )
    latest = in_cycle[-1].audit.employer
    for label, listed, covered in (
        ("worksite", latest.worksites, {s for r in in_cycle for s in r.audit.worksites_visited}),
        (
            "classification unit",
            latest.classification_units,
            {u for r in in_cycle for u in r.audit.classification_units_covered},
        ),
    ):
        for name in listed:
            ok = name in covered
            findings.append(
                Finding(
                    f"cycle.{label.replace(' ', '_')}s",
                    ok,
                    f"{label} {name!r} {'was' if ok else 'has not been'} covered by an audit in this cycle",
                    subject=name,
                    plugin=plugin,
                )
            )
    return findings
