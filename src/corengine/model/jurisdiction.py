"""A province's program data: certifying partners, size bands and counting rules, records minimums, dated
eligibility versions and equivalencies."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
from attrs import field, frozen

from corengine._util.records import Record
from corengine.model.findings import Finding as Finding
from corengine.model.findings import Quantity as Quantity
from corengine.model.validators import FieldError as FieldError
from corengine.model.validators import (
    month_span,
    non_empty,
    non_negative,
    one_of,
)
from corengine.model.vocabulary import CERTIFICATIONS, CONFIDENCE, EQUIVALENCY_TREATMENTS, RECIPROCITY_TREATMENTS


@frozen(repr=False, eq=False)
class EligibilityRequest(Record):
    """What an employer asks: which program, may the audit start."""

    province: str
    """Province code."""
    employees: int | None = None
    """Employees counted by the partner's rule."""
    fte: Fraction | None = None
    """Full-time equivalents (where the program sizes by FTE)."""
    payroll_hours: int | None = None
    """Annual payroll hours (FTE derived from it)."""
    records_months: int | None = None
    """Months of system records."""
    on: dt.date | None = None
    """The date asked about."""
    partner: str | None = None
    """Certifying partner, where its rules differ."""
    certifications: tuple[str, ...] = field(default=(), validator=one_of(CERTIFICATIONS))
    """Outside management-system certifications the employer holds (``ISO45001``, ``CSA-Z45001``,
    ``CSA-Z1000``): the answer says what the province makes of each."""


# --------------------------------------------------------------------------- jurisdictions


@frozen(repr=False, eq=False)
class Partner(Record):
    """A certifying partner (safety association) and what it is known for."""

    code: str = field(validator=non_empty)
    """Short code, e.g. ``ACSA``."""
    name: str = field(validator=non_empty)
    """Full name."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the entry is."""
    industries: tuple[str, ...] = ()
    """Industries served."""
    industry_codes: tuple[str, ...] = ()
    """Workers' compensation industry codes, where known."""
    note: str = ""
    """Aliases, clashes, doubts."""


@frozen(repr=False, eq=False)
class SizeBand(Record):
    """A program open to employers whose size lies in ``[min, max]``."""

    program: str = field(validator=non_empty)
    """Program name (SECOR, COR, Large, Small...)."""
    min: Fraction | None = None
    """Smallest size (inclusive); unset means no lower bound."""
    max: Fraction | None = None
    """Largest size (inclusive); unset means no upper bound."""
    below: Fraction | None = None
    """Sizes must be strictly below this (an exclusive bound, e.g. Small COR below 20 FTE, so 19.5 is Small)."""
    partner: str | None = None
    """Only for this partner (its boundary differs from the province's)."""
    reference: tuple[str, ...] = ()
    """Public sources, when they differ from the version's."""
    confidence: str | None = field(default=None, validator=attrs.validators.optional(one_of(CONFIDENCE)))
    """Confidence, when it differs from the version's."""
    note: str = ""
    """What the sources say about the boundary."""
    outgrown: Note | None = None
    """What the sources say follows when a certified employer's size leaves this band, stated at the audit types
    the version does not decide at (e.g. "moves to COR in the following year"); unset: an advisory at L there,
    since no source says."""
    lookback_months: int | None = field(default=None, validator=attrs.validators.optional(attrs.validators.ge(1)))
    """The size counts at any time in this many months before the audit (ACSA: "at any time in the past 12
    months"): where the employer's earlier audits are recorded (``corengine registry``), the largest size they
    show in that span is the employer's size for this band."""

    def __attrs_post_init__(self) -> None:
        if self.max is not None and self.below is not None:
            raise FieldError("below", "give max (inclusive) or below (exclusive), not both")
        if self.min is not None and self.max is not None and self.max < self.min:
            raise FieldError("max", f"{self.max} is below min {self.min}: no size fits the band")
        if self.min is not None and self.below is not None and self.below <= self.min:
            raise FieldError("below", f"{self.below} is not above min {self.min}: no size fits the band")


@frozen(repr=False, eq=False)
class CountingRule(Record):
    """Who a partner counts when sizing an employer."""

    partner: str = field(validator=non_empty)
    """Partner code."""
    counts: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Who is counted."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    excludes: tuple[str, ...] = ()
    """Who is not counted."""
    lookback_months: int | None = field(default=None, validator=month_span)
    """The size must hold at any time over this many months."""


@frozen(repr=False, eq=False)
class Note(Record):
    """A statement an answer carries, with its own source and confidence (a plain string in the data is a note
    without them: it then carries the version's sources and confidence)."""

    text: str = field(validator=non_empty)
    """The statement."""
    confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """How well sourced the statement is (L for the project's own readings)."""
    reference: tuple[str, ...] = ()
    """Public sources of the statement."""

    @classmethod
    def from_text(cls, text: str) -> Note:
        """A note given as a plain string."""
        return cls(text=text)


@frozen(repr=False, eq=False)
class RecordsMinimum(Record):
    """A certifying partner's own minimum months of a working health and safety system (records) before an
    audit of a program may start, where it differs from what the baseline standard's certificates need."""

    program: str = field(validator=non_empty)
    """The program it applies to (SECOR, COR...)."""
    months: int = field(validator=non_negative)
    """Fewest months of records."""
    partner: str = field(validator=non_empty)
    """The partner that states it (asked for with ``--partner``)."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    note: str = ""
    """What the source says."""


@frozen(repr=False, eq=False)
class EligibilityVersion(Record):
    """Program sizing in force from ``start``."""

    start: dt.date
    """First date it applies to."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    measure: str = field(default="employees", validator=one_of(("employees", "fte")))
    """What the bands count."""
    bands: tuple[SizeBand, ...] = ()
    """Programs by size."""
    notes: tuple[Note, ...] = ()
    """Statements every answer carries (e.g. "Ontario has no SECOR"): text, or text with its own confidence and
    sources."""
    records: tuple[RecordsMinimum, ...] = ()
    """Partners' own minimum months of records before an audit of a program (otherwise the certificates of the
    baseline standard's certification rule decide)."""
    decides_at: tuple[str, ...] = ("certification", "recertification")
    """Audit types at which the program audited must be one the employer's size fits (a shortfall fails by the
    band's confidence); empty: the bands answer ``eligibility`` only and audits are not checked against them."""


@frozen(repr=False, eq=False)
class Equivalency(Record):
    """What a province says about employers holding an outside management-system certification (ISO 45001,
    CSA Z45001, CSA Z1000): an eligibility answer shows it when the employer says it holds one."""

    certifications: tuple[str, ...] = field(validator=[attrs.validators.min_len(1), one_of(CERTIFICATIONS)])
    """The certifications the statement is about."""
    treatment: str = field(validator=one_of(EQUIVALENCY_TREATMENTS))
    """``route`` (a route to the program's certificate), ``information`` (stated, nothing decided from it) or
    ``not-accepted`` (it does not replace the province's audits)."""
    text: str = field(validator=non_empty)
    """The statement, as the answer shows it."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the statement is."""
    program: str | None = None
    """The program the statement concerns (the certificate a route leads to); unset for every program."""
    certificate_months: int | None = field(default=None, validator=[non_negative, month_span])
    """Length of the certificate a route gives."""
    start: dt.date | None = None
    """First date the statement applies to; unset when the sources give none."""
    proof_years: tuple[int, ...] = ()
    """Years of the certificate's cycle (2, 3) in which the employer shows the outside certificate is maintained,
    where the sources say (``registry status`` reports each year's proof as received, due or missing)."""


@frozen(repr=False, eq=False)
class Reciprocity(Record):
    """What a jurisdiction's sources say about a COR earned elsewhere (``inbound``: an employer certified in another
    jurisdiction working here) or about its own certificate taken elsewhere (``outbound``). Each plugin states only
    its own jurisdiction's rules; ``corengine reciprocity --from A --to B`` reads B's inbound and A's outbound."""

    direction: str = field(validator=one_of(("inbound", "outbound")))
    """``inbound`` (a certificate from elsewhere, here) or ``outbound`` (this jurisdiction's certificate, elsewhere)."""
    treatment: str = field(validator=one_of(RECIPROCITY_TREATMENTS))
    """What it makes of the certificate (:data:`~corengine.model.vocabulary.RECIPROCITY_TREATMENTS`)."""
    text: str = field(validator=non_empty)
    """What the source says, in one or two sentences."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced."""
    jurisdictions: tuple[str, ...] = ()
    """``inbound``: the home jurisdictions it covers; ``outbound``: the jurisdictions it concerns; empty: every
    other jurisdiction."""
    programs: tuple[str, ...] = ()
    """The home certificate's programs it covers (COR, SECOR...); empty: every program."""
    partners: tuple[str, ...] = ()
    """Home certifying partners it covers; empty: any partner."""
    excluded_partners: tuple[str, ...] = ()
    """Home certifying partners whose certificates it does not accept (Yukon's COREL: ESC/ENFORM audits)."""
    requires: tuple[str, ...] = ()
    """What the employer files or does (documents, a supplement, an audit)."""
    valid_months: int | None = field(default=None, validator=[non_negative, month_span])
    """How long what it gives lasts, in months, where the source says (the home certificate's expiry may end it
    sooner: say so in ``text``)."""
    start: dt.date | None = None
    """First date it applies to; unset when the sources give none."""
    end: dt.date | None = None
    """Last date it applies to; unset means until further notice."""

    def covers(self, other: str, program: str | None, partner: str | None, on: dt.date) -> bool:
        """Whether it concerns a certificate of ``program`` by ``partner`` and the other jurisdiction ``other`` on
        ``on`` (an unknown program or partner is covered: the rule is shown, and what it excludes said)."""
        return (
            (self.start is None or self.start <= on)
            and (self.end is None or on <= self.end)
            and (not self.jurisdictions or other in self.jurisdictions)
            and (not self.programs or program is None or program in self.programs)
            and (not self.partners or partner is None or partner in self.partners)
        )


@frozen(repr=False, eq=False)
class Jurisdiction(Record):
    """A province's program: its partners, sizing and the baseline standard whose rules decide records."""

    code: str = field(validator=non_empty)
    """Province code (AB, ON, BC)."""
    name: str = field(validator=non_empty)
    """Province name and program name."""
    baseline: str | None = None
    """Id of the standard whose certification rules say how many months of records each certificate needs."""
    fte_hours: int | None = None
    """Annual hours of one full-time equivalent, where FTE is derived from payroll hours."""
    eligibility: tuple[EligibilityVersion, ...] = ()
    """Program sizing over time."""
    counting: tuple[CountingRule, ...] = ()
    """Partners' counting rules."""
    partners: tuple[Partner, ...] = ()
    """Certifying partners."""
    equivalency: tuple[Equivalency, ...] = ()
    """What the province makes of outside management-system certifications (ISO 45001, CSA Z45001, CSA Z1000)."""
    reciprocity: tuple[Reciprocity, ...] = ()
    """What it makes of a COR earned in another jurisdiction (inbound) and where its own travels (outbound)."""
    note: Note | None = None
    """A statement about the jurisdiction as a whole, shown by ``partners`` and ``eligibility`` (e.g. "no COR program
    is known for PE", with its source): a jurisdiction with no program says so plainly instead of saying nothing."""


# --------------------------------------------------------------------------- audit-document mapping
