"""A certificate's life beyond one audit, as dated plugin data: what keeps an auditor current (a partner's
qualification period and the audits it asks for), and the incentives a certificate's standing on a date earns.

A plugin declares a file read into :class:`AuditorCurrency` (``data_plugin(files={"auditors.yaml":
AuditorCurrency})``); the registry reads every such file the installed plugins declare
(``corengine_register_data_files``) and judges each stored audit's auditor on the audit date."""

from __future__ import annotations

import datetime as dt

import attrs
from attrs import field, frozen

from corengine._util.records import Record
from corengine.model.validators import FieldError, month_span, non_empty, non_negative, one_of
from corengine.model.vocabulary import AUDITOR_KINDS, CONFIDENCE


@frozen(repr=False, eq=False)
class AuditorCurrencyRule(Record):
    """What a certifying partner asks of the auditors whose audits it accepts, in force from ``start``."""

    partner: str = field(validator=non_empty)
    """The certifying partner (the code the standards name, e.g. ``BCCSA``)."""
    start: dt.date
    """First audit date it applies to (where the source gives only a year, its first day: say so in ``note``)."""
    text: str = field(validator=non_empty)
    """What the source says, in a sentence."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    kinds: tuple[str, ...] = field(default=(), validator=one_of(AUDITOR_KINDS))
    """The auditor kinds it concerns (``internal``...); empty: every kind."""
    required: bool = True
    """Whether the partner asks for a qualified auditor at all (false: a rule that was dropped, stated)."""
    audits: int | None = field(default=None, validator=non_negative)
    """Audits the auditor must have done ..."""
    within_months: int | None = field(default=None, validator=[non_negative, month_span])
    """... within this many months (with ``audits``)."""
    requalify_months: int | None = field(default=None, validator=[non_negative, month_span])
    """How long a qualification lasts, where the source says (a recorded ``requalify by`` date wins)."""
    recertify_audits: int | None = field(default=None, validator=non_negative)
    """Audits the auditor must have done to be requalified, where the source says (stated, not checked: the
    registry does not record a requalification's conditions)."""
    end: dt.date | None = None
    """Last audit date it applies to; unset means until further notice."""
    note: str = ""
    """Doubts and readings."""

    def __attrs_post_init__(self) -> None:
        if (self.audits is None) != (self.within_months is None):
            raise FieldError("within_months", "give audits and within_months together")

    def concerns(self, kind: str) -> bool:
        """Whether it concerns an auditor of ``kind``."""
        return not self.kinds or kind in self.kinds


@frozen(repr=False, eq=False)
class AuditorCurrency(Record):
    """A plugin's file of auditor currency rules, one list per file."""

    auditors: tuple[AuditorCurrencyRule, ...] = field(validator=attrs.validators.min_len(1))


def _month_day(_inst: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    try:
        dt.date.fromisoformat(f"2001-{value}")  # a day every year has (not 02-29)
    except ValueError:
        raise FieldError(attribute.name, f"expected a day every year has, as MM-DD (12-31), not {value!r}") from None


@frozen(repr=False, eq=False)
class IncentiveRule(Record):
    """An incentive the standing of a certificate earns: judged by the registry from the employer's status on a
    day (``standing_on`` in the year of the date asked about, else that date), in force from ``start``."""

    id: str = field(validator=non_empty)
    """A short id (``nl-prime``)."""
    name: str = field(validator=non_empty)
    """Its name as the source gives it."""
    jurisdiction: str = field(validator=non_empty)
    """The jurisdiction whose partners' certificates it concerns."""
    start: dt.date
    """First date it applies to."""
    text: str = field(validator=non_empty)
    """What the source says of its conditions."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    standing_on: str | None = field(default=None, validator=_month_day)
    """The day of the year (``MM-DD``) on which the certificate must be in good standing: the latest such day on
    or before the date asked about is judged; unset: the date asked about."""
    facts: tuple[str, ...] = ()
    """Its other conditions, which the registry does not record: while any is listed the answer is "cannot
    tell", naming them."""
    end: dt.date | None = None
    """Last date it applies to; unset means until further notice."""
    note: str = ""
    """Doubts and readings."""


@frozen(repr=False, eq=False)
class Incentives(Record):
    """A plugin's file of incentive rules the registry judges."""

    incentives: tuple[IncentiveRule, ...] = field(validator=attrs.validators.min_len(1))


@frozen(repr=False, eq=False)
class AuditFact(Record):
    """A stored audit as an incentive question gives it."""

    audit_type: str
    audit_date: dt.date
    passed: bool
    certificate: str | None


@frozen(repr=False, eq=False)
class IncentiveQuestion(Record):
    """What the registry knows of an employer on a date, for ``corengine_incentive_eligibility``."""

    employer: str
    """The employer's key."""
    on: dt.date
    jurisdictions: tuple[str, ...]
    """The jurisdictions whose partners granted the employer's certificate in force on ``on`` (empty: none)."""
    status: str
    """The registry's status on ``on`` (good standing, maintenance due...: ``docs/registry.md``)."""
    current: bool
    certificate: str | None
    granted: dt.date | None
    """The day the certificate was granted (its anniversary)."""
    valid_until: dt.date | None
    audits: tuple[AuditFact, ...]
    """The stored audits dated on or before ``on``, in date order."""


__all__ = ["AuditFact", "AuditorCurrency", "AuditorCurrencyRule", "IncentiveQuestion", "IncentiveRule", "Incentives"]
