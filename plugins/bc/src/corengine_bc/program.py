"""WorkSafeBC program rules the core's model has no field for, as frozen attrs classes read from YAML.

``data/program.yaml`` holds them: the calendar-year audit cycle, the external auditor's notice where the
rule in force sets none, and the COR incentive's bands and disqualifiers. Loaded through the core's strict
converter, so a typo'd key in the data is reported like any other.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
from attrs import field, frozen

from corengine.plugin import (
    CONFIDENCE,
    AuditorCurrency,
    FieldError,
    Incentives,
    MoneyRounding,
    data_plugin,
    in_force,
    non_negative,
    one_of,
)

PACKAGE = data_plugin("corengine_bc", jurisdictions=["bc.yaml"])
"""BC's data: the standard in ``data/standards/``, the province in ``data/bc.yaml``, the program rules in
``data/program.yaml``."""
DATA = PACKAGE.data


@frozen
class CalendarYearRule:
    """One audit per calendar year over the cycle, its on-site work completed by 31 December."""

    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the rule is."""
    cycle_years: int = field(default=3, validator=non_negative)
    """Calendar years in a certificate's cycle (certification, then maintenance audits)."""
    note: str = ""
    """What the sources say and how an audit's year is read."""


@frozen
class ExternalNotice:
    """The notice an external auditor files, for rules whose data sets no ``notice_days``."""

    partners: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Partners whose standards it applies to."""
    days: int = field(validator=non_negative)
    """Fewest days between the notice and the start of the audit."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    note: str = ""
    """Where it applies."""


@frozen
class IncentiveBand:
    """One band of the incentive: when it applies (``below``/``up_to`` on ``measure``) and what it pays."""

    measure: str = field(default="base", validator=one_of(("base", "assessment")))
    """What the bounds compare: the base assessment or the total assessment."""
    below: Fraction | None = field(default=None, validator=non_negative)
    """The band applies while ``measure`` is strictly below this (dollars)."""
    up_to: Fraction | None = field(default=None, validator=non_negative)
    """The band applies while ``measure`` is at most this (dollars)."""
    percent: Fraction | None = field(default=None, validator=non_negative)
    """The incentive is this percentage of ``of``."""
    of: str = field(default="base", validator=one_of(("base", "assessment")))
    """What ``percent`` is taken of."""
    amount: Fraction | None = field(default=None, validator=non_negative)
    """A fixed incentive (dollars), instead of a percentage."""
    maximum: Fraction | None = field(default=None, validator=non_negative)
    """The most the band pays (dollars)."""
    small_employer: bool = False
    """Whether the band belongs to the small-employer guideline (the amounts decide, not the employer's size)."""
    reference: tuple[str, ...] = ()
    """Public sources, when they differ from the version's."""
    confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """Confidence, when it differs from the version's."""
    note: str = ""
    """The band as people say it."""

    def __attrs_post_init__(self) -> None:
        if (self.percent is None) == (self.amount is None):
            raise FieldError("percent", "give either percent or amount, not both or neither")


@frozen
class Disqualifier:
    """Something in the employer's record that cancels the incentive."""

    id: str = field(validator=attrs.validators.min_len(1))
    """Short name given on the command line."""
    reason: str = field(validator=attrs.validators.min_len(1))
    """Why it cancels the incentive, as a clause."""


@frozen
class IncentiveVersion:
    """The incentive's rates, bands and conditions from ``start``."""

    start: dt.date
    """First incentive year it applies to (its 1 January)."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    bands: tuple[IncentiveBand, ...] = field(validator=attrs.validators.min_len(1))
    """Bands chosen by the amounts (total and base assessment), first match wins; the last must have no bound."""
    rounding: MoneyRounding
    """How the incentive is rounded to the cent."""
    conditions: tuple[str, ...] = ()
    """Statements every answer carries."""
    disqualifiers: tuple[Disqualifier, ...] = ()
    """What cancels the incentive."""
    disqualifier_reference: tuple[str, ...] = ()
    """Sources of the disqualifiers."""
    note: str = ""
    """What the sources say or leave unsaid."""

    def __attrs_post_init__(self) -> None:
        last = self.bands[-1]
        if last.below is not None or last.up_to is not None:
            raise FieldError("bands", "the last band must have no bound, so that every amount falls in a band")


@frozen
class Program:
    """Everything in ``data/program.yaml``."""

    calendar_year: CalendarYearRule
    """The audit cycle by calendar year."""
    external_notice: ExternalNotice
    """The external auditor's notice."""
    incentive: tuple[IncentiveVersion, ...] = field(validator=attrs.validators.min_len(1))
    """The incentive over time."""

    def incentive_for(self, year: int | None) -> IncentiveVersion:
        """The version in force for incentive ``year`` (the latest start on or before its 1 January), or the
        latest when no year is given; raises :class:`LookupError` when none applies."""
        if year is None:
            return max(self.incentive, key=lambda v: v.start)
        version = in_force(self.incentive, dt.date(year, 1, 1))
        if version is None:
            first = min(v.start for v in self.incentive)
            raise LookupError(f"no incentive rules for {year}: the data starts in {first.year}")
        return version


PACKAGE.declare("program.yaml", Program)
PACKAGE.declare("auditors.yaml", AuditorCurrency)
PACKAGE.declare("incentives.yaml", Incentives)


def program() -> Program:
    """The plugin's program data (read once)."""
    return PACKAGE.load("program.yaml", Program)
