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
    PartnerCycle,
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


CycleState = Literal["none", "current", "cancelled", "lapsed"]
CYCLE_STATES: tuple[str, ...] = ("none", "current", "cancelled", "lapsed")


@frozen
class Cycle:
    """The cycle's deadlines as of ``on``, and the findings that explain them."""

    on: dt.date
    """The date the deadlines are judged on."""
    certificate: str | None
    """The certificate whose cycle this is, or None when no audit granted one."""
    valid_until: dt.date | None
    """The certificate's last valid day (inclusive) while it is current on ``on``; None when no certificate is
    open, or it was cancelled or has lapsed (``state`` says which, ``ended`` when)."""
    complete: bool
    """A cycle is open and no deadline was missed or failed (upcoming and due ones are not gaps yet)."""
    deadlines: tuple[Deadline, ...]
    """Every deadline in the cycle, in order (none after a cancellation: a cancelled certificate's cycle ends)."""
    findings: tuple[Finding, ...]
    """The cycle's opening, one finding per deadline, then the recertification and the audits that count for
    nothing (for people and reports)."""
    state: CycleState = "current"
    """``none`` (no certificate), ``current``, ``cancelled`` (a maintenance deadline failed or was missed where
    that cancels it) or ``lapsed`` (its last valid day passed with no recertification)."""
    renew_by: dt.date | None = None
    """The recertification audit's deadline: the last valid day, or the end of its month where the partner times
    it by the month of the expiry date (ESC's 1-year COR)."""
    ended: dt.date | None = None
    """The day a cancelled certificate's missed or failed deadline fell on, or a lapsed one's last valid day."""

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


def deadline_of(
    cycle: CertificationCycle, year: CycleYear, opened: dt.date, months: int | None = None
) -> tuple[dt.date, dt.date]:
    """The last allowed day of ``year``'s audits in a cycle opened by an audit on ``opened`` (granting a certificate
    of ``months``), and the first day an audit counts for it: "in month N" allows all of month N (up to its
    ``day`` when given), "before month N" ends on the last day of month N-1; by the ``anniversary`` "month N" is
    the very day N months after the certifying audit ("before month N" the day before it)."""
    if cycle.counted_from == "anniversary":
        if year.in_month is not None:
            last = add_months(opened, year.in_month)
        else:
            assert year.before_month is not None
            last = add_months(opened, year.before_month) - dt.timedelta(days=1)
        return last, add_months(last, -12) + dt.timedelta(days=1)
    month = year.in_month if year.in_month is not None else (year.before_month or 1) - 1
    if cycle.counted_from == "calendar-year":
        calendar = opened.year + year.year - 1
        last = _on_day(month_end(dt.date(calendar, month, 1)), year.day)
        return last, dt.date(calendar, 1, 1)
    base = opened.replace(day=1)
    if cycle.counted_from == "expiry-month":
        # Month N of the expiry month: the month of the expiry date, brought back by the certificate's length.
        length = months or 0
        base = add_months(add_months(opened, length).replace(day=1), -length)
    last = _on_day(month_end(add_months(base, month)), year.day)
    return last, add_months(month_end(add_months(base, month)), -12) + dt.timedelta(days=1)


def _on_day(last: dt.date, day: int | None) -> dt.date:
    """``last`` (a month's last day), or that month's ``day`` when it is earlier."""
    return last if day is None or day >= last.day else last.replace(day=day)


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


_COUNTED = {
    "audit": "after the certifying audit",
    "calendar-year": "of the calendar year",
    "anniversary": "after the certificate date (its anniversary)",
    "expiry-month": "counted from the month of the expiry date",
}


@frozen
class _Judged:
    """What ``_cycle_deadlines`` found: the deadlines and their findings, the audits that counted for one, and
    those too soon after the audit before them to count."""

    deadlines: list[Deadline]
    findings: list[Finding]
    counted: list[Result]
    too_soon: list[tuple[Result, dt.date]]


def _cycle_deadlines(
    cycle: CertificationCycle,
    opening: Result,
    results: list[Result],
    on: dt.date,
    inherited: tuple[str, tuple[str, ...]],
    strict: bool,
    whose: str = "",
) -> _Judged:
    """Each audit each year of ``cycle`` requires, judged as of ``on`` (``whose``: the partner whose own timing
    the cycle is, for the reading)."""
    judged = _Judged([], [], [], [])
    opened = opening.audit.audit_date
    previous = opened
    for year in sorted(cycle.years, key=lambda y: y.year):
        due, window_start = deadline_of(cycle, year, opened, opening.outcome.certificate_months)
        confidence = year.confidence or cycle.confidence or inherited[0]
        sources = year.reference or cycle.reference or inherited[1]
        if cycle.counted_from == "anniversary":
            when = (
                f"on or before the day {year.in_month} months"
                if year.in_month is not None
                else f"before the day {year.before_month} months"
            )
        elif year.in_month is not None:
            when = f"in month {year.in_month}" + (f" up to day {year.day}" if year.day is not None else "")
        else:
            when = f"before month {year.before_month}"
        counted = _COUNTED[cycle.counted_from]
        for required in year.audits:
            candidates = [r for r in results if window_start <= r.audit.audit_date <= due and _counts(required, r)]
            done = candidates
            if cycle.min_months_between is not None:
                soonest = add_months(previous, cycle.min_months_between)
                done = [r for r in candidates if r.audit.audit_date >= soonest]
                judged.too_soon.extend((r, previous) for r in candidates if r.audit.audit_date < soonest)
            judged.counted.extend(done)
            state, done_on = _state(done, due, window_start, on)
            if done_on is not None:
                previous = max(previous, done_on)
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
            spacing = (
                f"; at least {cycle.min_months_between} months after the audit before it"
                if cycle.min_months_between is not None
                else ""
            )
            judged.deadlines.append(Deadline(check, subject, due, state, done_on))
            judged.findings.append(
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
                    reading=(f"{whose}'s timing: " if whose else "")
                    + f"year {year.year} of the cycle: due {when} {counted}, so by {due}{spacing}",
                    plugin=opening.outcome.plugin,
                )
            )
    return judged


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


_MAINTAINING = ("maintenance", *IN_LIEU_OF_MAINTENANCE)
"""Audit types that keep a certificate in its cycle (never renew it)."""


def _timing(start: Result) -> tuple[PartnerCycle | None, bool]:
    """The partner's own timing for ``start``'s certificate, and whether any partner's is encoded for it."""
    standard = start.standard.standard
    certificate = start.outcome.certificate
    encoded = [p for p in standard.partner_cycles if certificate in p.certificates]
    chosen = next((p for p in encoded if p.applies(standard.partner, certificate, start.audit.audit_date)), None)
    return chosen, bool(encoded)


def check_cycle(results: list[Result], on: dt.date | None = None, strict: bool = False) -> Cycle:
    """The cycle opened by the latest certifying audit among ``results``, judged as of ``on`` (default today).
    Audits dated after ``on`` have not happened yet on that date and are left out.

    The deadlines come from the certificate's partner's own timing when the standard encodes one
    (``partner_cycles``), else from the granted certificate's ``cycle`` data (every audit each year requires),
    else from the outcome's ``maintenance_due`` findings. A deadline of confidence L that is missed is an advisory,
    unless ``strict``. A deadline missed or failed that cancels the certificate ends the cycle; a certificate whose
    recertification deadline has passed has lapsed; a maintenance audit or action plan renews neither."""
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
        return Cycle(on, None, None, False, (), (finding,), state="none")
    start = opening[-1]
    months = start.outcome.certificate_months
    assert months is not None
    certificate = start.outcome.certificate
    end = add_months(start.audit.audit_date, months)  # "valid until": the last day it is valid
    in_cycle = [r for r in ordered if start.audit.audit_date <= r.audit.audit_date <= end]
    plugin = start.outcome.plugin
    partner = start.standard.standard.partner
    chosen, encoded = _timing(start)
    granted = _certificate_rule(start)
    if chosen is not None:
        timing = (
            f"maintenance and recertification timing: {partner}'s own (from {chosen.start}, confidence "
            f"{chosen.confidence})" + (f": {chosen.note}" if chosen.note else "")
        )
    elif encoded:
        timing = (
            f"no maintenance timing of {partner or 'the partner'} is encoded for the {certificate}: "
            "the provincial rule is used"
        )
    else:
        timing = ""
    findings = [
        Finding(
            check="cycle.certificate",
            status="info",
            message=f"{certificate} from the {start.audit.audit_type} audit of "
            f"{start.audit.audit_date}, valid until {end}; {len(in_cycle)} audit(s) in the cycle{not_yet}",
            subject=start.outcome.program,
            subject_kind="program" if start.outcome.program else "",
            due=end,
            sources=chosen.reference if chosen is not None else (),
            confidence=chosen.confidence if chosen is not None else None,
            reading=timing,
            plugin=plugin,
        )
    ]
    deadlines: list[Deadline] = []
    counted: list[Result] = []
    too_soon: list[tuple[Result, dt.date]] = []
    dues = [f for f in start.outcome.reasons if f.subject_kind == "audit" and f.subject == "maintenance" and f.due]
    data = chosen.cycle if chosen is not None else granted[0].cycle if granted is not None else None
    recertify_by = "expiry-date"
    if data is not None:
        inherited = (
            (chosen.confidence, chosen.reference) if chosen is not None else granted[1:] if granted else ("", ())
        )
        judged = _cycle_deadlines(data, start, ordered, on, inherited, strict, (partner or "") if chosen else "")
        deadlines, counted, too_soon = judged.deadlines, judged.counted, judged.too_soon
        findings += judged.findings
        recertify_by = data.recertify_by
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
        counted += done
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
    # A deadline missed or failed that cancels the certificate (a failing finding) ends its cycle: nothing after
    # it is judged, and no audit after it restores the certificate.
    cancelling = next(
        (i for i, d in enumerate(deadlines) if d.state in ("failed", "missed") and findings[i + 1].status == "fail"),
        None,
    )
    ended: dt.date | None = None
    if cancelling is not None:
        ended = deadlines[cancelling].due
        # The year's other requirements due the same day are still judged; nothing due after it is.
        kept = [i for i, d in enumerate(deadlines) if d.due <= ended]
        findings = [findings[0], *(findings[i + 1] for i in kept)]
        deadlines = [deadlines[i] for i in kept]
        counted = [r for r in counted if r.audit.audit_date <= ended]
    renew_by = month_end(end) if recertify_by == "expiry-month" else end
    if cancelling is None:
        _coverage(in_cycle, end, on, plugin, deadlines, findings)
    last_periodic = max((d.due for d in deadlines if _yearly(d)), default=None)
    status: CycleState
    if cancelling is not None:
        status = "cancelled"
    elif on > renew_by:
        status, ended = "lapsed", end
    else:
        status = "current"
    confidence, sources = (
        (chosen.confidence, chosen.reference) if chosen is not None else granted[1:] if granted else (None, ())
    )
    findings.append(
        _recertification(certificate, status, end, renew_by, ended, on, confidence, sources, plugin, strict)
    )
    findings += _not_counted(
        ordered,
        start,
        counted,
        too_soon,
        certificate,
        end,
        renew_by,
        ended if status == "cancelled" else None,
        last_periodic,
        plugin,
    )
    complete = not any(f.status == "fail" for f in findings)
    return Cycle(
        on,
        certificate,
        end if status == "current" else None,
        complete,
        tuple(deadlines),
        tuple(findings),
        state=status,
        renew_by=renew_by if status == "current" else None,
        ended=ended,
    )


def _yearly(deadline: Deadline) -> bool:
    """A deadline of a year of the cycle (not a worksite or unit to cover by its end)."""
    return deadline.check not in ("cycle.worksites", "cycle.classification_units")


def _coverage(
    in_cycle: list[Result], end: dt.date, on: dt.date, plugin: str, deadlines: list[Deadline], findings: list[Finding]
) -> None:
    """Every worksite and classification unit the employer lists, covered by an audit of the cycle by its last
    valid day."""
    latest = in_cycle[-1].audit.employer
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
            state: State = "met" if by is not None else "missed" if on > end else "due"
            done_on = by.audit.audit_date if by is not None else None
            message = {
                "met": f"{label} {name!r} was covered by the audit of {done_on}",
                "missed": f"{label} {name!r} was not covered by any audit in the cycle (valid until {end})",
                "due": f"{label} {name!r} has not been covered by an audit in this cycle yet (valid until {end})",
            }[state]
            deadlines.append(Deadline(check, name, end, state, done_on))
            findings.append(
                Finding(
                    check=check,
                    status=_STATUS[state],
                    message=message,
                    subject=name,
                    subject_kind=kind,
                    required=Quantity.on(end, "by"),
                    measured=None if done_on is None else Quantity.on(done_on),
                    due=end,
                    plugin=plugin,
                    reading="one not covered yet is open, not missed, until the certificate's last valid day",
                )
            )


def _recertification(
    certificate: str | None,
    state: CycleState,
    end: dt.date,
    renew_by: dt.date,
    ended: dt.date | None,
    on: dt.date,
    confidence: str | None,
    sources: tuple[str, ...],
    plugin: str,
    strict: bool,
) -> Finding:
    """The recertification the certificate needs: due by ``renew_by``, or missed (it lapsed), or moot (cancelled)."""
    by_month = f" (the month of the expiry date {end} sets its timing)" if renew_by != end else ""
    if state == "cancelled":
        status: Status = "info"
        message = (
            f"the {certificate} was cancelled (deadline {ended}): its cycle ended, so it cannot be renewed; "
            "a new certification audit is needed"
        )
    elif state == "lapsed":
        status = decided(False, confidence, strict)
        message = (
            f"no recertification audit by {renew_by}{by_month}: the {certificate} lapsed (valid until {end}); "
            "a maintenance audit or an action plan never renews an expired certificate"
        )
    else:
        status = "info"
        message = f"recertification audit due by {renew_by}{by_month}: the {certificate} is valid until {end}"
    return Finding(
        check="cycle.recertification",
        status=status,
        message=message,
        subject="recertification",
        subject_kind="audit",
        required=Quantity.on(renew_by, "by"),
        due=renew_by,
        sources=sources,
        confidence=confidence,
        reading="only a certifying audit (certification or recertification) that passes renews a certificate",
        plugin=plugin,
    )


def _not_counted(
    ordered: list[Result],
    start: Result,
    counted: list[Result],
    too_soon: list[tuple[Result, dt.date]],
    certificate: str | None,
    end: dt.date,
    renew_by: dt.date,
    cancelled: dt.date | None,
    last_periodic: dt.date | None,
    plugin: str,
) -> list[Finding]:
    """An ``info`` finding for each maintenance audit or action plan after the certifying audit that keeps the
    certificate in no way, saying why."""
    found: list[Finding] = []
    soon = {id(r): before for r, before in too_soon}
    for result in ordered:
        audit = result.audit
        if audit.audit_date < start.audit.audit_date or result is start or audit.audit_type not in _MAINTAINING:
            continue
        if any(r is result for r in counted):
            continue
        what = f"the {audit.audit_type} audit of {audit.audit_date}"
        if cancelled is not None and audit.audit_date > cancelled:
            why = f"came after the {certificate} was cancelled (deadline {cancelled}): it does not restore it"
        elif audit.audit_date > end:
            why = (
                f"came after the {certificate} ended (valid until {end}): a maintenance audit or an action plan "
                "never renews an expired certificate"
            )
        elif id(result) in soon:
            why = f"came too soon after the audit of {soon[id(result)]}: it counts for no year of the cycle"
        elif last_periodic is None:
            why = (
                f"does not maintain or renew the {certificate}: it has no maintenance year; "
                f"a recertification audit is due by {renew_by}"
            )
        elif last_periodic is not None and audit.audit_date > last_periodic:
            why = (
                f"falls in the recertification year (after the last maintenance deadline, {last_periodic}): it does "
                f"not maintain the {certificate}; a recertification audit is due by {renew_by}"
            )
        else:
            continue
        found.append(
            Finding(
                check="cycle.not_counted",
                status="info",
                message=f"{what} {why}",
                subject=f"{audit.audit_type} audit of {audit.audit_date}",
                subject_kind="audit",
                measured=Quantity.on(audit.audit_date),
                plugin=plugin,
            )
        )
    return found
