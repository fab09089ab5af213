"""SAFE Work Manitoba's Prevention Rebate as dated data: frozen attrs classes read from ``data/rebate.yaml``.

Loaded through the core's strict converter, so a typo'd key in the data is reported like any other, and
declared to the plugin's data so ``corengine plugin check manitoba`` reads it.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
from attrs import field, frozen

from corengine.plugin import CONFIDENCE, FieldError, MoneyRounding, in_force, non_negative, one_of

from .package import PACKAGE


@frozen
class Condition:
    """One condition the rebate needs: met with ``--<id>``, not met with ``--<unmet>``."""

    id: str = field(validator=attrs.validators.matches_re(r"[a-z][a-z0-9-]*"))
    """Short name; the command's flag that states the condition met."""
    unmet: str = field(validator=attrs.validators.matches_re(r"[a-z][a-z0-9-]*"))
    """The command's flag that states the condition not met."""
    text: str = field(validator=attrs.validators.min_len(1))
    """The condition as the source says it, as a clause."""


@frozen
class RebateVersion:
    """The rebate's rates and conditions from ``start``."""

    start: dt.date
    """First day it applies."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    percent: Fraction = field(validator=non_negative)
    """The rebate is at least this percentage of the premium ..."""
    minimum: Fraction = field(validator=non_negative)
    """... or this many dollars, whichever is greater ..."""
    cap_percent: Fraction = field(validator=non_negative)
    """... but never more than this percentage of the premium."""
    rounding: MoneyRounding
    """How the rebate is rounded to the cent."""
    conditions: tuple[Condition, ...] = field(validator=attrs.validators.min_len(1))
    """What must all hold for the rebate to be paid."""
    note: str = ""
    """What the sources say or leave unsaid."""

    def __attrs_post_init__(self) -> None:
        flags = [flag for c in self.conditions for flag in (c.id, c.unmet)]
        repeated = sorted({flag for flag in flags if flags.count(flag) > 1})
        if repeated:
            raise FieldError("conditions", f"each flag must be named once, not {', '.join(repeated)}")


@frozen
class RebateRules:
    """Everything in ``data/rebate.yaml``."""

    rebate: tuple[RebateVersion, ...] = field(validator=attrs.validators.min_len(1))
    """The rebate over time."""

    def version_on(self, day: dt.date) -> RebateVersion:
        """The version in force on ``day``; raises :class:`LookupError` when none applies."""
        version = in_force(self.rebate, day)
        if version is None:
            first = min(v.start for v in self.rebate)
            raise LookupError(f"no Prevention Rebate rules in force on {day}: the data starts on {first}")
        return version


PACKAGE.declare("rebate.yaml", RebateRules)


def rebate_rules() -> RebateRules:
    """The plugin's Prevention Rebate data (read once)."""
    return PACKAGE.load("rebate.yaml", RebateRules)
