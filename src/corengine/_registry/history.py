"""History-aware decisions: the ``AuditHistory`` facts an audit's type depends on (an action plan, a corrective
action report, a recertification), read from the employer's audits recorded in the registry where the audit file
leaves them out.

Each fact is derived from the stored results dated before the audit, never assumed:

- ``good_standing``: the employer's standing on the audit date (``_rules/standing.py`` over the stored audits' cycle)
  is current (good standing, maintenance due, renewal due).
- ``last_recertification_percent``: the overall percent of the latest stored certifying audit (a certification or
  recertification that granted a certificate).
- ``full_cycles_completed``: stored certificates of 3 years or more renewed by a later certifying audit on or before
  their last valid day; a first stored certifying audit of type ``recertification`` counts the cycle it renewed.
- ``consecutive_cor_years``: whole years from the first certifying audit of an unbroken chain (each certificate
  renewed on or before its last valid day) to the audit date; unknown when the chain starts with a recertification
  (its earlier years are not recorded).
- ``previous_year_action_plan`` and ``previous_action_plan_percent``: whether the 12 months before the audit hold a
  stored action plan (and its overall percent), a maintenance audit or a certifying audit instead.

The facts no stored audit shows (OHS orders, an auditor on staff, the instrument's year, the duty to have a
representative) are named as missing. The decision itself stays the plugin's: the facts are given to the audit and
it is scored as usual.
"""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction

import attrs
from attrs import frozen

from corengine._rules.cycle import check_cycle
from corengine._rules.eligibility import version_in_force
from corengine._rules.standing import CURRENT, standing
from corengine._util.dates import add_months
from corengine.errors import InputError
from corengine.model import IN_LIEU_OF_MAINTENANCE, AuditHistory, Jurisdiction, Result, SizeBand
from corengine.model.audit import Audit
from corengine.model.findings import Finding

HISTORY_TYPES = (*IN_LIEU_OF_MAINTENANCE, "corrective-action-report", "recertification")
"""Audit types whose conditions depend on the employer's history."""

DERIVED = (
    "good_standing",
    "last_recertification_percent",
    "full_cycles_completed",
    "consecutive_cor_years",
    "previous_year_action_plan",
    "previous_action_plan_percent",
)
"""The facts the registry can derive from stored audits."""

NOT_DERIVED = (
    "ohs_orders_in_cycle",
    "certified_auditor_on_staff",
    "certification_instrument_year",
    "hs_representative_required",
)
"""The facts no stored audit shows."""

_PLANS = (*IN_LIEU_OF_MAINTENANCE, "corrective-action-report")


@frozen
class Derived:
    """The history to score an audit with, and what came from where."""

    history: AuditHistory
    """The audit's own facts, with the missing ones filled from the registry."""
    filled: tuple[tuple[str, str], ...]
    """Each fact taken from the registry, with how it was read (``good standing on 2026-05-01``)."""
    missing: tuple[str, ...]
    """Facts neither the audit nor the registry records."""


def needs_history(audit: Audit) -> bool:
    """Whether ``audit``'s type depends on the employer's history."""
    return audit.audit_type in HISTORY_TYPES


def _percent(value: Fraction | None) -> str:
    if value is None:
        return "not scored"
    shown = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return f"{shown}%"


def _chain(certifying: list[Result]) -> list[Result]:
    """The latest unbroken chain of certifying audits: each renewed the one before on or before its last day."""
    chain: list[Result] = []
    for result in certifying:
        if chain:
            before = chain[-1]
            months = before.outcome.certificate_months or 0
            if result.audit.audit_date > add_months(before.audit.audit_date, months):
                chain = []
        chain.append(result)
    return chain


def derive(audit: Audit, prior: list[Result]) -> Derived:
    """The history facts ``audit`` leaves out, from ``prior`` (the employer's stored results)."""
    own = audit.history or AuditHistory()
    on = audit.audit_date
    before = sorted((r for r in prior if r.audit.audit_date < on), key=lambda r: r.audit.audit_date)
    certifying = [r for r in before if r.outcome.passed and r.outcome.certificate_months]
    values: dict[str, object] = {}
    filled: list[tuple[str, str]] = []

    def fill(fact: str, value: object, how: str) -> None:
        if getattr(own, fact) is None and value is not None:
            values[fact] = value
            filled.append((fact, how))

    if before:
        try:
            state = standing(check_cycle(before, on)).state
        except InputError:  # pragma: no cover - the stored audits are of one employer
            state = None
        if state is not None:
            fill("good_standing", state in CURRENT, f"{'yes' if state in CURRENT else 'no'}: {state} on {on}")
    if certifying:
        last = certifying[-1]
        percent = last.score.percent
        fill(
            "last_recertification_percent",
            percent,
            f"{_percent(percent)}: the {last.audit.audit_type} audit of {last.audit.audit_date}",
        )
        renewed = sum(
            1
            for earlier, later in itertools.pairwise(certifying)
            if (earlier.outcome.certificate_months or 0) >= 36
            and later.audit.audit_date <= add_months(earlier.audit.audit_date, earlier.outcome.certificate_months or 0)
        )
        before_registry = 1 if certifying[0].audit.audit_type == "recertification" else 0
        fill(
            "full_cycles_completed",
            renewed + before_registry,
            f"{renewed + before_registry}: certificates of 3 years or more renewed in time"
            + (" (the first stored one is a recertification: one cycle before it)" if before_registry else ""),
        )
        chain = _chain(certifying)
        if chain[0].audit.audit_type != "recertification":
            first = chain[0].audit.audit_date
            years = 0
            while add_months(first, 12 * (years + 1)) <= on:
                years += 1
            fill("consecutive_cor_years", years, f"{years}: certified without a break since {first}")
    year_ago = add_months(on, -12)
    last_year = [r for r in before if r.audit.audit_date >= year_ago]
    plans = [r for r in last_year if r.audit.audit_type in _PLANS]
    if plans:
        plan = plans[-1]
        fill("previous_year_action_plan", True, f"yes: the {plan.audit.audit_type} of {plan.audit.audit_date}")
        if own.previous_year_action_plan is not False:
            fill(
                "previous_action_plan_percent",
                plan.score.percent,
                f"{_percent(plan.score.percent)}: the {plan.audit.audit_type} of {plan.audit.audit_date}",
            )
    elif any(r.audit.audit_type == "maintenance" or r in certifying for r in last_year):
        other = next(r for r in reversed(last_year) if r.audit.audit_type == "maintenance" or r in certifying)
        fill("previous_year_action_plan", False, f"no: the {other.audit.audit_type} audit of {other.audit.audit_date}")
    history = attrs.evolve(own, **values)  # type: ignore[arg-type]
    missing = tuple(f for f in (*DERIVED, *NOT_DERIVED) if getattr(history, f) is None and not _moot(history, f))
    return Derived(history, tuple(filled), missing)


@frozen
class Peak:
    """The largest workforce the employer's stored audits show in a band's look-back span before an audit."""

    workers: int
    """The largest ``employer.workers`` recorded."""
    audit: Result
    """The stored audit that recorded it."""
    months: int
    """The band's look-back span."""
    band: SizeBand
    """The size band that counts the span."""


def lookback_band(jurisdiction: Jurisdiction, partner: str | None, program: str, on: dt.date) -> SizeBand | None:
    """The size band for ``program`` (the partner's own, else the province's) in force on ``on`` that counts the
    size over months before the audit (``lookback_months``)."""
    version = version_in_force(jurisdiction, on)
    if version is None:
        return None
    bands = [b for b in version.bands if b.partner is not None and b.partner == partner]
    bands = bands or [b for b in version.bands if b.partner is None]
    return next((b for b in bands if b.program == program and b.lookback_months), None)


def peak(audit: Audit, prior: list[Result], band: SizeBand) -> Peak | None:
    """The largest workforce stored in the ``band``'s look-back span before ``audit``, when it exceeds the
    audit's own (None otherwise, or when the audit records no workers)."""
    months = band.lookback_months
    own = audit.employer.workers
    if months is None or own is None:
        return None
    since = add_months(audit.audit_date, -months)
    span = [r for r in prior if since <= r.audit.audit_date < audit.audit_date and r.audit.employer.workers is not None]
    largest = max(span, key=lambda r: (r.audit.employer.workers or 0, r.audit.audit_date), default=None)
    if largest is None or (largest.audit.employer.workers or 0) <= own:
        return None
    return Peak(largest.audit.employer.workers or 0, largest, months, band)


def size_finding(top: Peak, audit: Audit, plugin: str) -> Finding:
    """The finding that says the employer was sized by a stored audit in the band's look-back span."""
    return Finding(
        check="registry.size",
        status="info",
        message=f"{top.workers} employees on the {top.audit.audit.audit_type} audit of {top.audit.audit.audit_date}, "
        f"within the {top.months} months before this audit (which records {audit.employer.workers}): "
        f"{top.band.program} counts the size at any time in the past {top.months} months, so the employer is "
        f"sized at {top.workers}",
        subject=top.band.program,
        subject_kind="program",
        sources=top.band.reference,
        confidence=top.band.confidence,
        reading="the largest number of workers any stored audit in the span records is the employer's size",
        plugin=plugin,
    )


def _moot(history: AuditHistory, fact: str) -> bool:
    """A fact that does not apply: last year's plan score when last year's maintenance was not a plan."""
    return fact == "previous_action_plan_percent" and history.previous_year_action_plan is False


def finding(derived: Derived, stored: int, on: dt.date, reasons: tuple[Finding, ...] = ()) -> Finding:
    """The finding recorded with the stored result: which facts came from the registry, and which are missing.

    It is an advisory when a fact still missing is one the decision names (a finding of ``reasons`` checks it
    without a value: ``<plugin>.action_plan.<fact>`` with nothing measured), information otherwise: a missing fact
    is never a silent pass."""
    parts = [f"{fact} = {how}" for fact, how in derived.filled]
    message = (
        f"history from the registry ({stored} stored audit(s) before {on}): "
        + ("; ".join(parts) if parts else "no fact the audit leaves out could be derived")
        + (
            f"; not recorded in the audit or the registry: {', '.join(derived.missing)}"
            " (record them in the audit's history to check them)"
            if derived.missing
            else ""
        )
    )
    needed = [
        fact
        for fact in derived.missing
        if any(f.check.endswith(f".{fact}") and f.measured is None and f.status != "pass" for f in reasons)
    ]
    if needed:
        message += f"; the decision needs {', '.join(needed)}"
    return Finding(
        check="registry.history",
        status="advisory" if needed else "info",
        message=message,
        subject=", ".join(fact for fact, _ in derived.filled),
        reading="a fact is read from the stored audits dated before this one; a fact the audit records is kept",
        plugin="corengine",
    )


__all__ = [
    "DERIVED",
    "HISTORY_TYPES",
    "NOT_DERIVED",
    "Derived",
    "Peak",
    "derive",
    "finding",
    "lookback_band",
    "needs_history",
    "peak",
    "size_finding",
]
