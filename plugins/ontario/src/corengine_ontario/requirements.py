"""The records of Ontario's ``data/requirements.yaml`` (:func:`corengine_ontario.plugin.requirements` reads
it): kept out of the plugin module, so registering the plugin and scoring another province's audit do not build
them (``corengine_ontario.plugin.Requirement`` and the others still name them)."""

from __future__ import annotations

import datetime as dt

import attrs
from attrs import field, frozen

from corengine.plugin import CONFIDENCE, Record, one_of


@frozen(repr=False, eq=False)
class Requirement(Record):
    """A sourced statement shown as an information finding where it applies."""

    id: str
    """The finding's rule name, e.g. ``safe-employers.follow_up``."""
    message: str
    """The statement; may use the placeholders in :data:`PLACEHOLDERS`."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    audit_types: tuple[str, ...] = ()
    """Only audits of these types; empty means every type."""
    standards: tuple[str, ...] = ()
    """Only standards with one of these ids in their ``extends`` chain; empty means every Ontario standard."""
    start: dt.date | None = None
    """Only audits on or after this date."""
    when: str = field(default="always", validator=one_of(("always", "passed", "failed")))
    """Only outcomes that passed, or failed."""


@frozen(repr=False, eq=False)
class RuleRef(Record):
    """Where a number lives: a rule of a standard."""

    standard: str
    """Standard id."""
    rule: str
    """Rule id in that standard."""


@frozen(repr=False, eq=False)
class LegislatedExemption(Record):
    """Legislated (mandatory) questions whose law does not apply where few workers are regularly employed."""

    id: str
    """A short name, e.g. ``ohsa-25-4``."""
    questions: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Ids of the questions the exemption lifts out of the mandatory-full-marks gate."""
    provision: str = field(validator=attrs.validators.min_len(1))
    """The law the questions are legislated by, e.g. ``OHSA s.25(2)(j) and (k)``."""
    exemption: str = field(validator=attrs.validators.min_len(1))
    """The law that exempts small workplaces from it, e.g. ``OHSA s.25(4)``."""
    workers_at_most: int = field(validator=attrs.validators.ge(0))
    """The exemption applies where the employer's workers are at most this."""
    law: str = field(validator=attrs.validators.min_len(1))
    """What the exemption says, as a clause."""
    reading: str = field(validator=attrs.validators.min_len(1))
    """How the law's count is read from the audit (the project's reading)."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    standards: tuple[str, ...] = ()
    """Only standards with one of these ids in their ``extends`` chain; empty means every Ontario standard."""


@frozen(repr=False, eq=False)
class Reading(Record):
    """A reading the project takes where a rule's source is silent, put on the findings of one check."""

    check: str = field(validator=attrs.validators.min_len(1))
    """The finding's check id, e.g. ``internal-gate.not_accepted``."""
    reading: str = field(validator=attrs.validators.min_len(1))
    """The reading taken."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """The source whose silence the reading fills."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well that source is known."""
    standards: tuple[str, ...] = ()
    """Only standards with one of these ids in their ``extends`` chain; empty means every Ontario standard."""


@frozen(repr=False, eq=False)
class Requirements(Record):
    """The contents of ``data/requirements.yaml``."""

    ohsms_age: tuple[RuleRef, ...] = field(validator=attrs.validators.min_len(1))
    """Rules whose first certificate with ``min_records_months`` gives the OHSMS's minimum age; the first with
    a version in force on the date asked about decides."""
    eligibility: tuple[Requirement, ...] = ()
    """Conditions every eligibility answer states."""
    outcome: tuple[Requirement, ...] = ()
    """Information added to the outcome of an Ontario audit."""
    sampling: tuple[Requirement, ...] = ()
    """What a sample plan says for an Ontario standard without a sampling table."""
    legislated_exemptions: tuple[LegislatedExemption, ...] = ()
    """Legislated questions not held to full marks where the employer has few workers."""
    readings: tuple[Reading, ...] = ()
    """Readings put on the findings of the checks they qualify."""
