"""A certificate's life beyond one audit, as dated plugin data: what keeps an auditor current (a partner's
qualification period and the audits it asks for).

A plugin declares a file read into :class:`AuditorCurrency` (``data_plugin(files={"auditors.yaml":
AuditorCurrency})``); the registry reads every such file the installed plugins declare
(``corengine_register_data_files``) and judges each stored audit's auditor on the audit date."""

from __future__ import annotations

import datetime as dt

import attrs
from attrs import field, frozen

from corengine.model.validators import FieldError, month_span, non_empty, non_negative, one_of
from corengine.model.vocabulary import AUDITOR_KINDS, CONFIDENCE


@frozen
class AuditorCurrencyRule:
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


@frozen
class AuditorCurrency:
    """A plugin's file of auditor currency rules, one list per file."""

    auditors: tuple[AuditorCurrencyRule, ...] = field(validator=attrs.validators.min_len(1))


__all__ = ["AuditorCurrency", "AuditorCurrencyRule"]
