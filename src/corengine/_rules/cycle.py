"""A certificate's cycle across several audits: maintenance on time, every worksite and unit covered.

One audit cannot show these; the history of an employer's audits can. The cycle starts at the latest
audit that granted a certificate and runs for the certificate's length. Deadlines are judged as of a date
(``on``, today by default): a deadline is **met** (a passed audit in its window), **failed** (the audit in its
window failed), **missed** (its last day is past with no audit), **due** (its window is open now) or
**upcoming** (its window has not opened). An audit dated after ``on`` has not happened yet as of ``on``: it
neither opens the cycle nor meets, fails or covers anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from attrs import frozen

from corengine._rules.outcome import applied_rule
from corengine._util.dates import add_months, month_end
from corengine.errors import InputError
from corengine.model import (
    IN_LIEU_OF_MAINTENANCE,
    CertificateRule,
    CertificationCycle,
    CycleAudit,
    CycleYear,
    Result,
)
from corengine.model.findings import Finding, Quantity, Status, decided

State = Literal["met", "failed", "missed", "due", "upcoming"]
STATES: tuple[str, ...] = ("met", "failed", "missed", "due", "upcoming")

_STATUS: dict[str, Status] = {"met": "pass", "failed": "fail", "missed": "fail", "due": "info", "upcoming": "info"}


@frozen
class Deadline:
    """One thing the cycle requires by a date, and where it stands on the date asked about."""

    check: str
    """``cycle.maintenance``, ``cycle.worksites`` or ``cycle.classification_units``."""
    subject: str
    """What is due: ``maintenance`` or the worksite or unit's name."""
    due: dt.date
    """The last day it may be done."""
    state: State
    """``met``, ``failed``, ``missed``, ``due`` or ``upcoming``."""
    done_on: dt.date | None = None
    """Date of the audit that met (or failed) it."""


@frozen
class Cycle:
    """The cycle's deadlines as of ``on``, and the findings that explain them."""

    on: dt.date
    """The date the deadlines are judged on."""
    certificate: str | None
    """The certificate whose cycle this is, or None when no audit granted one."""
    valid_until: dt.date | None
    """The certificate's end."""
    complete: bool
    """A cycle is open and no deadline was missed or failed (upcoming and due ones are not gaps yet)."""
    deadlines: tuple[Deadline, ...]
    """Every deadline in the cycle, in order."""
    findings: tuple[Finding, ...]
    """One finding per deadline (and the cycle's opening), for people and reports."""

    @property
    def missed(self) -> tuple[Deadline, ...]:
        """Deadlines missed or failed: each cancels or gaps the certificate."""
        return tuple(d for d in self.deadlines if d.state in ("missed", "failed"))


def _status(state: State, confidence: str | None, strict: bool = False) -> Status:
    """A deadline's status under the confidence policy: missing one of confidence L is an advisory (a failure
    with ``strict``)."""
    status = _STATUS[state]
    return decided(False, confidence, strict) if status == "fail" else status


def _certificate_rule(result: Result) -> tuple[CertificateRule, str, tuple[str, ...]] | None:
    """The certificate rule that granted ``result``'s certificate, with the confidence and sources it inherits."""
    found = applied_rule(result)
    if found is None:
        return None
    _, version = found
    for cert in version.certificates:
        if cert.certificate == result.outcome.certificate:
            return (
                cert,
                cert.confidence or version.confidence_of("certificates"),
                cert.reference or version.reference_of("certificates"),
            )
    return None


def deadline_of(cycle: CertificationCycle, year: CycleYear, opened: dt.date) -> tuple[dt.date, dt.date]:
    """The last allowed day of ``year``'s audits in a cycle opened by an audit on ``opened``, and the first day an
    audit counts for it: "in month N" allows all of month N, "before month N" ends on the last day of month N-1."""
    month = year.in_month if year.in_month is not None else (year.before_month or 1) - 1
    if cycle.counted_from == "calendar-year":
        calendar = opened.year + year.year - 1
        last = month_end(dt.date(calendar, month, 1))
        return last, dt.date(calendar, 1, 1)
    last = month_end(add_months(opened.replace(day=1), month))
    return last, add_months(last, -12) + dt.timedelta(days=1)


def _counts(required: CycleAudit, result: Result) -> bool:
    """Whether ``result`` is an audit of the kind ``required`` (an audit in lieu of maintenance only when passed)."""
    audit = result.audit
    if required.auditors and audit.auditor.kind not in required.auditors:
        return False
    if audit.audit_type in required.audit_types:
        return True
    return (
        "maintenance" in required.audit_types and audit.audit_type in IN_LIEU_OF_MAINTENANCE and result.outcome.passed
    )


def _cycle_deadlines(
    cycle: CertificationCycle,
    opening: Result,
    results: list[Result],
    on: dt.date,
    inherited: tuple[str, tuple[str, ...]],
    strict: bool,
) -> tuple[list[Deadline], list[Finding]]:
    """Each audit each year of ``cycle`` requires, judged as of ``on``."""
    deadlines: list[Deadline] = []
    findings: list[Finding] = []
    opened = opening.audit.audit_date
    for year in cycle.years:
        due, window_start = deadline_of(cycle, year, opened)
        confidence = year.confidence or cycle.confidence or inherited[0]
        sources = year.reference or cycle.reference or inherited[1]
        when = f"in month {year.in_month}" if year.in_month is not None else f"before month {year.before_month}"
        counted = "of the calendar year" if cycle.counted_from == "calendar-year" else "after the certifying audit"
        for required in year.audits:
            done = [r for r in results if window_start <= r.audit.audit_date <= due and _counts(required, r)]
            state, done_on = _state(done, due, window_start, on)
            name = required.named
            by_plan = any(r.outcome.passed and r.audit.audit_type in IN_LIEU_OF_MAINTENANCE for r in done)
            message = {
                "met": f"{name} due by {due} was passed on {done_on}"
                + (" (an action plan in lieu of the maintenance audit)" if by_plan and state == "met" else ""),
                "failed": f"the {name} of {done_on} failed: the certificate is cancelled",
                "missed": f"no {name} by {due}: a missed {name} cancels the certificate",
                "due": f"{name} due by {due}: not done yet (its window opened on {window_start})",
                "upcoming": f"{name} due between {window_start} and {due}",
            }[state]
            check = f"cycle.{required.audit_types[0]}"
            subject = required.label or required.audit_types[0]
            deadlines.append(Deadline(check, subject, due, state, done_on))
            findings.append(
                Finding(
                    check=check,
                    status=_status(state, confidence, strict),
                    message=message,
                    subject=subject,
                    subject_kind="audit",
                    required=Quantity.on(due, "by"),
                    measured=None if done_on is None else Quantity.on(done_on),
                    due=due,
                    sources=sources,
                    confidence=confidence,
                    reading=f"year {year.year} of the cycle: due {when} {counted}, so by {due}",
                    plugin=opening.outcome.plugin,
                )
            )
    return deadlines, findings


def _state(done: list[Result], due: dt.date, window_start: dt.date, on: dt.date) -> tuple[State, dt.date | None]:
    passed = [r for r in done if r.outcome.passed]
    if passed:
        return "met", passed[0].audit.audit_date
    if done:
        return "failed", done[0].audit.audit_date
    if on > due:
        return "missed", None
    return ("due" if on >= window_start else "upcoming"), None


def _one_plugin(results: list[Result]) -> str:
    """The plugin that decided every audit, or "" when they differ (or there are none)."""
    plugins = {r.outcome.plugin for r in results}
    return plugins.pop() if len(plugins) == 1 else ""


def check_cycle(results: list[Result], on: dt.date | None = None, strict: bool = False) -> Cycle:
    """The cycle opened by the latest certifying audit among ``results``, judged as of ``on`` (default today).
    Audits dated after ``on`` have not happened yet on that date and are left out.

    The deadlines come from the granted certificate's ``cycle`` data when it has one (every audit each year
    requires), else from the outcome's ``maintenance_due`` findings. A deadline of confidence L that is missed is
    an advisory, unless ``strict``."""
    if not results:
        raise InputError(["give at least one audit"])
    on = on or dt.date.today()
    employers = {r.audit.employer.account or r.audit.employer.name for r in results}
    if len(employers) > 1:
        raise InputError([f"the audits are of different employers: {', '.join(sorted(employers))}"])
    # As of ``on``, an audit dated later has not happened: it opens, meets, fails and covers nothing.
    ordered = sorted((r for r in results if r.audit.audit_date <= on), key=lambda r: r.audit.audit_date)
    later = len(results) - len(ordered)
    not_yet = f"; {later} audit(s) dated after {on} not counted (not done yet on that date)" if later else ""
    opening = [r for r in ordered if r.outcome.passed and r.outcome.certificate_months]
    if not opening:
        finding = Finding(
            check="cycle.certificate",
            status="fail",
            message=(
                f"none of the audits done by {on} granted a certificate, so no cycle is open on that date{not_yet}"
                if later
                else "none of the audits granted a certificate, so no cycle is open"
            ),
            plugin=_one_plugin(results),
        )
        return Cycle(on, None, None, False, (), (finding,))
    start = opening[-1]
    months = start.outcome.certificate_months
    assert months is not None
    end = add_months(start.audit.audit_date, months)
    in_cycle = [r for r in ordered if start.audit.audit_date <= r.audit.audit_date < end]
    plugin = start.outcome.plugin
    findings = [
        Finding(
            check="cycle.certificate",
            status="info",
            message=f"{start.outcome.certificate} from the {start.audit.audit_type} audit of "
            f"{start.audit.audit_date}, valid until {end}; {len(in_cycle)} audit(s) in the cycle{not_yet}",
            subject=start.outcome.program,
            subject_kind="program" if start.outcome.program else "",
            due=end,
            plugin=plugin,
        )
    ]
    deadlines: list[Deadline] = []
    granted = _certificate_rule(start)
    dues = [f for f in start.outcome.reasons if f.subject_kind == "audit" and f.subject == "maintenance" and f.due]
    if granted is not None and granted[0].cycle is not None:
        deadlines, from_data = _cycle_deadlines(granted[0].cycle, start, ordered, on, granted[1:], strict)
        findings += from_data
        dues = []
    for due in dues:
        assert due.due is not None
        deadline = due.due
        window_start = add_months(deadline, -12) + dt.timedelta(days=1)
        # A passed action plan in lieu of the maintenance audit counts; one that failed (the employer did not meet
        # the partner's conditions) leaves the maintenance audit due.
        done = [
            r
            for r in in_cycle
            if r is not start
            and window_start <= r.audit.audit_date <= deadline
            and (
                r.audit.audit_type == "maintenance"
                or (r.audit.audit_type in IN_LIEU_OF_MAINTENANCE and r.outcome.passed)
            )
        ]
        state, done_on = _state(done, deadline, window_start, on)
        by_plan = any(r.outcome.passed and r.audit.audit_type in IN_LIEU_OF_MAINTENANCE for r in done)
        message = {
            "met": f"maintenance audit due by {deadline} was passed on {done_on}"
            + (" (an action plan in lieu of the maintenance audit)" if by_plan else ""),
            "failed": f"the maintenance audit of {done_on} failed: the certificate is cancelled",
            "missed": f"no maintenance audit by {deadline}: a missed maintenance audit cancels the certificate",
            "due": f"maintenance audit due by {deadline}: not done yet (its window opened on {window_start})",
            "upcoming": f"maintenance audit due between {window_start} and {deadline}",
        }[state]
        deadlines.append(Deadline("cycle.maintenance", "maintenance", deadline, state, done_on))
        findings.append(
            Finding(
                check="cycle.maintenance",
                status=_status(state, due.confidence, strict),
                message=message,
                subject="maintenance",
                subject_kind="audit",
                required=Quantity.on(deadline, "by"),
                measured=None if done_on is None else Quantity.on(done_on),
                due=deadline,
                sources=due.sources,
                confidence=due.confidence,
                reading=due.reading,
                plugin=due.plugin,
                rule_version=due.rule_version,
            )
        )
    latest = in_cycle[-1].audit.employer
    last_day = end - dt.timedelta(days=1)
    for label, kind, listed, covered in (
        (
            "worksite",
            "site",
            latest.worksites,
            {s: r for r in reversed(in_cycle) for s in r.audit.worksites_visited},
        ),
        (
            "classification unit",
            "unit",
            latest.classification_units,
            {u: r for r in reversed(in_cycle) for u in r.audit.classification_units_covered},
        ),
    ):
        check = f"cycle.{label.replace(' ', '_')}s"
        for name in listed:
            by = covered.get(name)
            state = "met" if by is not None else "missed" if on > last_day else "due"
            done_on = by.audit.audit_date if by is not None else None
            message = {
                "met": f"{label} {name!r} was covered by the audit of {done_on}",
                "missed": f"{label} {name!r} was not covered by any audit in the cycle that ended on {last_day}",
                "due": f"{label} {name!r} has not been covered by an audit in this cycle yet (cycle ends {last_day})",
            }[state]
            deadlines.append(Deadline(check, name, last_day, state, done_on))
            findings.append(
                Finding(
                    check=check,
                    status=_STATUS[state],
                    message=message,
                    subject=name,
                    subject_kind=kind,
                    required=Quantity.on(last_day, "by"),
                    measured=None if done_on is None else Quantity.on(done_on),
                    due=last_day,
                    plugin=plugin,
                    reading="one not covered yet is open, not missed, until the cycle's last day",
                )
            )
    complete = not any(f.status == "fail" for f in findings)
    return Cycle(on, start.outcome.certificate, end, complete, tuple(deadlines), tuple(findings))
