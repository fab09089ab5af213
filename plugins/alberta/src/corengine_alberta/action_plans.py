"""Action plans in lieu of a maintenance audit: each certifying partner's eligibility conditions, as data
(``data/action-plans.yaml``), decided by one generic check.

A condition names a fact (a field of the audit's ``history`` record, or the employer's workers) and a typed
threshold; the check compares the two exactly and gives one finding per condition (``alberta.action_plan.<fact>``).
A fact the audit does not record gives an ``info`` finding saying what to record, or an advisory (a failure with
``--strict``) for a partner whose data says an unrecorded fact is not a "yes" (``unrecorded_advises``: ACSA). A shortfall fails, or advises
when the condition's confidence is L (``corengine.model.findings.decided``).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import attrs
from attrs import field, frozen

from corengine.plugin import (
    CONFIDENCE,
    EXACT,
    Audit,
    FieldError,
    Finding,
    Quantity,
    Record,
    Status,
    decided,
    format_percent_against,
    in_force,
    non_empty,
    number_text,
    one_of,
    percent_range,
)

FACTS: dict[str, tuple[str, str, str]] = {
    # fact: (kind, unit, where the audit records it)
    "good_standing": ("bool", "", "history.good_standing"),
    "last_recertification_percent": ("number", "%", "history.last_recertification_percent"),
    "full_cycles_completed": ("number", "cycles", "history.full_cycles_completed"),
    "consecutive_cor_years": ("number", "years", "history.consecutive_cor_years"),
    "previous_action_plan_percent": ("number", "%", "history.previous_action_plan_percent"),
    "ohs_orders_in_cycle": ("number", "orders", "history.ohs_orders_in_cycle"),
    "certified_auditor_on_staff": ("bool", "", "history.certified_auditor_on_staff"),
    "certification_instrument_year": ("number", "", "history.certification_instrument_year"),
    "hs_representative_required": ("bool", "", "history.hs_representative_required"),
    "employees": ("number", "employees", "employer.workers"),
}
"""The facts a condition may name: whether each is a yes/no or a number, its unit, and the audit field holding it."""

PLAN_YEARS = ("every", "first", "second")
"""Which action plans a condition binds: every plan, a first-year plan only, or a second-year plan only."""

NAME = "alberta"


@frozen(repr=False, eq=False)
class Condition(Record):
    """One eligibility condition: a fact and the value it must have (exactly one of ``minimum``, ``maximum`` or
    ``equals``)."""

    fact: str = field(validator=one_of(FACTS))
    """The fact compared (see ``FACTS``); also the finding's check, ``alberta.action_plan.<fact>``."""
    text: str = field(validator=non_empty)
    """The condition as the partner states it, e.g. ``85% or more overall on the last certification audit``."""
    minimum: Fraction | None = None
    """The fact must be at least this."""
    maximum: Fraction | None = None
    """The fact must be at most this."""
    above: Fraction | None = None
    """The fact must be more than this ("above 90%")."""
    equals: bool | None = None
    """A yes/no fact must be this."""
    plans: str = field(default="every", validator=one_of(PLAN_YEARS))
    """``every`` plan, the ``first``-year plan only, or a ``second``-year plan only."""
    reference: tuple[str, ...] = ()
    """Public sources, when they differ from the version's."""
    confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """Confidence, when it differs from the version's."""
    reading: str = ""
    """Where the source is silent or unclear, the reading the data took."""

    def __attrs_post_init__(self) -> None:
        given = [name for name in ("minimum", "maximum", "above", "equals") if getattr(self, name) is not None]
        if len(given) != 1:
            raise FieldError("fact", f"give exactly one of minimum, maximum, above or equals, not {given or 'none'}")
        kind = FACTS[self.fact][0]
        if (kind == "bool") != (self.equals is not None):
            wanted = "equals: true or false" if kind == "bool" else "minimum, maximum or above"
            raise FieldError("fact", f"{self.fact} is a {'yes/no' if kind == 'bool' else 'number'}: give {wanted}")


def _unique_facts(_inst: object, attribute: attrs.Attribute[Any], value: tuple[Condition, ...]) -> None:
    seen: set[tuple[str, str]] = set()
    for condition in value:
        key = (condition.fact, condition.plans)
        if key in seen:
            raise FieldError(attribute.name, f"{condition.fact} ({condition.plans} plan) appears twice")
        seen.add(key)


@frozen(repr=False, eq=False)
class PlanVersion(Record):
    """A partner's conditions in force from ``start``."""

    start: dt.date
    """First audit date they apply to."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the conditions are."""
    end: dt.date | None = None
    """Last audit date they apply to (a year's published conditions)."""
    note: str = ""
    """What the sources say or leave unsaid (the start date's meaning, conditions not checked)."""
    conditions: tuple[Condition, ...] = field(default=(), validator=_unique_facts)
    """The eligibility conditions."""
    plan_minimum: Fraction | None = field(default=None, validator=percent_range)
    """The plan's own pass mark to keep the certificate, where the partner publishes one; the workbook's overall
    score is compared with it."""
    notes: tuple[str, ...] = ()
    """Conditions the audit cannot record (deadlines, the partner's approval), shown as information."""


@frozen(repr=False, eq=False)
class PartnerPlan(Record):
    """One partner's action plan (or similar maintenance option) for one program."""

    partner: str = field(validator=non_empty)
    """Partner code, as the standard's ``partner``."""
    program: str = field(validator=non_empty)
    """COR or SECOR."""
    name: str = field(validator=non_empty)
    """What the partner calls it, e.g. ``COR action plan``."""
    versions: tuple[PlanVersion, ...] = field(validator=attrs.validators.min_len(1))
    """Its conditions over time."""
    audit_type: str = "action-plan"
    """The audit type it stands for (``corrective-action-report`` needs a standard declaring that type)."""
    offered_from: dt.date | None = None
    """First date the partner offers it, where a source says so; an audit before it fails."""
    offered_reference: tuple[str, ...] = ()
    """Sources of ``offered_from``."""
    offered_confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """Confidence of ``offered_from``."""
    unrecorded_advises: bool = False
    """A fact the audit does not record is not a "yes" (ACSA: a "no" to any question means the maintenance audit is
    required): its finding is an advisory, not information."""


@frozen(repr=False, eq=False)
class ActionPlans(Record):
    """Every partner's action-plan conditions."""

    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Sources of the statement that each partner sets its own conditions."""
    plans: tuple[PartnerPlan, ...] = ()
    """Each partner's plans."""

    @property
    def audit_types(self) -> frozenset[str]:
        """The audit types some partner's plan stands for."""
        return frozenset(p.audit_type for p in self.plans)


def _plan_year(audit: Audit) -> str | None:
    """``first`` or ``second`` (last year's maintenance was also an action plan), or None when not recorded."""
    history = audit.history
    if history is None:
        return None
    if history.previous_year_action_plan is not None:
        return "second" if history.previous_year_action_plan else "first"
    return "second" if history.previous_action_plan_percent is not None else None


def _fact(audit: Audit, fact: str) -> Any:
    if fact == "employees":
        return audit.employer.workers
    return None if audit.history is None else getattr(audit.history, fact)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _shown(value: Any, condition: Condition, unit: str) -> str:
    if isinstance(value, bool):
        return _yes(value)
    number = Fraction(value)
    if unit == "%":
        bound = next(b for b in (condition.minimum, condition.above, condition.maximum) if b is not None)
        assert bound is not None
        return format_percent_against(number, bound)
    if number == 1 and unit.endswith("s"):
        unit = unit[:-1]
    return f"{number_text(number)} {unit}".strip()


def _required(condition: Condition, unit: str) -> Quantity:
    if condition.equals is not None:
        return Quantity.names((_yes(condition.equals),), "=")
    if condition.minimum is not None:
        return Quantity.of(condition.minimum, unit, ">=")
    if condition.above is not None:
        return Quantity.of(condition.above, unit, ">")
    assert condition.maximum is not None
    return Quantity.of(condition.maximum, unit, "<=")


def _measured(value: Any, unit: str) -> Quantity:
    return Quantity.names((_yes(value),)) if isinstance(value, bool) else Quantity.of(Fraction(value), unit)


def _met(value: Any, condition: Condition) -> bool:
    if condition.equals is not None:
        return bool(value) is condition.equals
    if condition.minimum is not None:
        return Fraction(value) >= condition.minimum
    if condition.above is not None:
        return Fraction(value) > condition.above
    assert condition.maximum is not None
    return Fraction(value) <= condition.maximum


def findings(
    plans: ActionPlans,
    partner: str | None,
    program: str,
    audit: Audit,
    percent: Fraction | None,
    strict: bool = False,
) -> list[Finding]:
    """One finding per condition of ``partner``'s plan in force on the audit date, the plan's own score against
    the partner's pass mark, and the notes the audit cannot check."""
    who = partner or "the partner"
    entry = next(
        (p for p in plans.plans if p.partner == partner and p.program == program and p.audit_type == audit.audit_type),
        None,
    )
    if entry is None:
        return [
            Finding(
                check="alberta.action_plan.partner",
                status=decided(False, "L", strict),
                message=f"no {audit.audit_type} conditions of {who} for {program} are encoded: confirm "
                f"with {who} that it accepts one in lieu of the maintenance audit, and on what conditions",
                subject=partner or "",
                subject_kind="partner" if partner else "",
                sources=plans.reference,
                confidence="L",
                plugin=NAME,
            )
        ]
    if entry.offered_from is not None and audit.audit_date < entry.offered_from:
        confidence = entry.offered_confidence or entry.versions[0].confidence
        return [
            Finding(
                check="alberta.action_plan.offered",
                status=decided(False, confidence, strict),
                message=f"{entry.partner} offers the {entry.name} from {entry.offered_from}: not for an audit dated "
                f"{audit.audit_date}; the maintenance audit is needed",
                subject=entry.partner,
                subject_kind="partner",
                required=Quantity.on(entry.offered_from, ">="),
                measured=Quantity.on(audit.audit_date),
                sources=entry.offered_reference or entry.versions[0].reference,
                confidence=confidence,
                plugin=NAME,
            )
        ]
    version = in_force(entry.versions, audit.audit_date)
    if version is None:
        return [
            Finding(
                check="alberta.action_plan.conditions",
                status=decided(False, "L", strict),
                message=f"no conditions of {entry.partner}'s {entry.name} in force on {audit.audit_date} "
                f"are encoded (the earliest start from {min(v.start for v in entry.versions)}): confirm them with "
                f"{entry.partner}",
                subject=entry.partner,
                subject_kind="partner",
                sources=entry.versions[0].reference,
                confidence="L",
                plugin=NAME,
            )
        ]

    found: list[Finding] = []

    def add(check: str, status: Status, message: str, **kw: Any) -> None:
        kw.setdefault("sources", version.reference)
        kw.setdefault("confidence", version.confidence)
        kw.setdefault("subject", entry.partner)
        kw.setdefault("subject_kind", "partner")
        found.append(
            Finding(
                check=f"alberta.action_plan.{check}",
                status=status,
                message=message,
                plugin=NAME,
                rule_version=version.start,
                **kw,
            )
        )

    add(
        "version",
        "info",
        f"{entry.partner} {entry.name}: conditions in force from {version.start}"
        + (f" to {version.end}" if version.end else "")
        + (f". {version.note}" if version.note else ""),
    )
    year = _plan_year(audit)
    for condition in version.conditions:
        _, unit, where = FACTS[condition.fact]
        confidence = condition.confidence or version.confidence
        sources = condition.reference or version.reference
        required = _required(condition, unit)
        reading = condition.reading or (EXACT if unit == "%" else "")
        common = {"required": required, "sources": sources, "confidence": confidence, "reading": reading}
        # Where the partner says an unrecorded fact is not a "yes": an advisory (a failure with --strict).
        unrecorded: Status = decided(False, "L", strict) if entry.unrecorded_advises else "info"
        if condition.plans != "every" and year is None:
            add(
                condition.fact,
                unrecorded,
                f"for a {condition.plans}-year plan {entry.partner} needs {condition.text}: record "
                "history.previous_year_action_plan (true when last year's maintenance was also an action plan) "
                "to check it",
                **common,
            )
            continue
        if condition.plans not in ("every", year):
            continue
        value = _fact(audit, condition.fact)
        if value is None:
            add(
                condition.fact,
                unrecorded,
                f"{entry.partner} needs {condition.text}: record {where} to check it",
                **common,
            )
            continue
        ok = _met(value, condition)
        add(
            condition.fact,
            decided(ok, confidence, strict),
            f"{entry.partner} needs {condition.text}; recorded: {_shown(value, condition, unit)} "
            f"({'met' if ok else 'not met'})",
            measured=_measured(value, unit),
            **common,
        )
    if version.plan_minimum is not None:
        minimum = version.plan_minimum
        if percent is None:
            add("plan_score", "info", f"{entry.partner}'s {entry.name} must score at least {minimum}%: nothing scored")
        else:
            ok = percent >= minimum
            add(
                "plan_score",
                decided(ok, version.confidence, strict),
                f"the plan's overall {format_percent_against(percent, minimum)} "
                f"{'meets' if ok else 'is below'} the {minimum}% {entry.partner} requires to keep the {program}",
                required=Quantity.of(minimum, "%", ">="),
                measured=Quantity.of(percent, "%"),
                reading=EXACT,
                subject=program,
                subject_kind="program",
            )
    second = next(
        (c for c in version.conditions if c.fact == "previous_action_plan_percent" and c.plans != "first"), None
    )
    if second is not None and year == "first" and second.minimum is not None:
        shown = "" if percent is None else f"this plan scored {format_percent_against(percent, second.minimum)}; "
        add(
            "next_plan",
            "info",
            f"{shown}a second-year action plan next year needs at least {second.minimum}% on this one "
            "(else the maintenance audit)",
            required=Quantity.of(second.minimum, "%", ">="),
            measured=None if percent is None else Quantity.of(percent, "%"),
            sources=second.reference or version.reference,
            confidence=second.confidence or version.confidence,
        )
    for note in version.notes:
        add("note", "info", note)
    return found


__all__ = ["FACTS", "ActionPlans", "Condition", "PartnerPlan", "PlanVersion", "findings"]
