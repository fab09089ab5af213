"""The audit document and its dated rules: elements, questions, scoring, rule versions and overrides, the
certification cycle, sampling tables, and a standard as resolved from its plugin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import attrs
from attrs import field, frozen

from corengine._util.dates import in_force
from corengine._util.records import Record
from corengine.model.converter import structure_value
from corengine.model.evidence import EvidenceKind, Expectation
from corengine.model.findings import Finding as Finding
from corengine.model.findings import Quantity as Quantity
from corengine.model.validators import FieldError as FieldError
from corengine.model.validators import (
    above_zero,
    day_span,
    month_span,
    non_empty,
    non_negative,
    one_of,
    percent_range,
    positive,
    unique_ids,
)
from corengine.model.validators import roles as known_roles
from corengine.model.validators import themes as known_themes
from corengine.model.vocabulary import AUDITOR_KINDS, CONFIDENCE, METHODS

V = TypeVar("V")


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """Sum fractions, with a fast path for whole numbers (most points are)."""
    whole = 0
    parts: list[Fraction] = []
    for value in values:
        if value.denominator == 1:
            whole += value.numerator
        else:
            parts.append(value)
    return sum(parts, Fraction(whole)) if parts else Fraction(whole)


# --------------------------------------------------------------------------- the audit document


ROUNDING_MODES = ("down", "up", "half_up", "half_even")
"""How dropped digits are rounded: toward zero, away from zero, half up, half to even."""


@frozen(repr=False, eq=False)
class Scoring(Record):
    """How a question turns a response into points."""

    method: str = field(default="awarded", validator=non_empty)
    """Built-in: ``awarded`` (auditor gives points), ``all_or_nothing`` and ``range`` (from tallies);
    plugins may register more. ``scoring: NAME`` is short for ``scoring: {method: NAME}``."""
    steps: tuple[Fraction, ...] = ()
    """For ``awarded``: the only point values allowed (empty: any value from 0 to the maximum)."""
    threshold: Fraction | None = field(default=None, validator=percent_range)
    """For ``all_or_nothing``: the percentage of positive tallies that earns full points."""
    rounding: str = field(default="down", validator=one_of(ROUNDING_MODES))
    """For ``range``: how proportional points are rounded to ``step``."""
    step: Fraction = field(default=Fraction(1), validator=above_zero)
    """For ``range``: the granularity points are rounded to (greater than 0)."""
    tally: str | None = field(
        default=None,
        validator=attrs.validators.optional(one_of(("interviews", "observations", "documents"))),
    )
    """Which tally the tally methods read; unset means the sum of every tally given."""
    params: dict[str, Any] = attrs.Factory(dict)
    """Parameters of a registered method that declares them (``{method: NAME, params: {...}}``): checked by the
    method when the standard loads; a method that declares none takes none."""

    @classmethod
    def from_text(cls, text: str) -> Scoring:
        """The short form ``scoring: NAME``: the method with its defaults and no params."""
        return cls(method=text)


@frozen(repr=False, eq=False)
class Question(Record):
    """One question of an audit document, in the partner's numbering."""

    id: str = field(validator=non_empty)
    """The partner's number, e.g. ``"6.3"`` or ``"A.2c"``."""
    text: str = field(validator=non_empty)
    """What the auditor checks (the project's own reference wording unless the partner's is loaded)."""
    points: Fraction = field(validator=non_negative)
    """The maximum points."""
    methods: tuple[str, ...] = field(default=("D",), validator=one_of(METHODS))
    """Verification methods the question is answered by."""
    scoring: Scoring = Scoring()
    """How a response becomes points."""
    na_allowed: bool = False
    """Whether the auditor may mark it not applicable (then it leaves the denominator)."""
    mandatory: bool = False
    """Legislated or mandatory: a rule with ``mandatory_full_marks`` requires full points here."""
    programs: tuple[str, ...] = ()
    """Programs that answer this question (e.g. only ``Large``); empty means every program."""
    evidence: tuple[str, ...] = ()
    """Evidence the auditor expects: documents, records, roles to interview, things to observe."""
    guidance: str = ""
    """How to score it, in the project's own words."""
    expects: tuple[Expectation, ...] = ()
    """Structured expected evidence: document and record kinds with how many and how recent, roles to
    interview, things to observe (the project's reference reading unless the partner's is loaded)."""
    themes: tuple[str, ...] = field(default=(), validator=known_themes)
    """Common themes (see :mod:`corengine.model.evidence_kinds`) when they differ from the element's."""

    def __attrs_post_init__(self) -> None:
        for step in self.scoring.steps:
            if not 0 <= step <= self.points:
                raise FieldError("scoring", f"step {step} must lie between 0 and the question's {self.points} points")


@frozen(repr=False, eq=False)
class Element(Record):
    """A group of questions with its own percentage (and possibly its own minimum)."""

    id: str = field(validator=non_empty)
    """The partner's element number or letter."""
    title: str = field(validator=non_empty)
    """The element's name."""
    questions: tuple[Question, ...] = field(validator=unique_ids)
    """The questions, in the partner's order."""
    themes: tuple[str, ...] = field(default=(), validator=known_themes)
    """Common themes the element maps to (see :mod:`corengine.model.evidence_kinds`), main theme first; the crosswalk
    between provinces compares documents through them."""
    confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """How well sourced the element's structure (its questions and points) is, where it is known to differ."""
    note: str = ""
    """Why: e.g. the structure is assumed from an older tool."""


CYCLE_COUNTS = ("audit", "calendar-year", "anniversary", "expiry-month")
"""How a certification cycle counts its years and months: from the certifying ``audit`` (year 1 is the 12 months
ending at its first deadline; month N is the calendar month N months after the audit), by ``calendar-year``
(year 1 is the calendar year of the certifying audit; month N is that year's month, 1 for January), by the
``anniversary`` of the certificate date (month N is the very day N months after the certifying audit: "by your
certificate date") or from the ``expiry-month`` (month N is the calendar month N months after the month of the
certificate's expiry date, less the certificate's length: "based on the month of the expiry date")."""

RECERTIFY_BY = ("expiry-date", "expiry-month")
"""When the recertification audit is due: by the certificate's last valid day (``expiry-date``), or by the end of
the month of its expiry date (``expiry-month``)."""


@frozen(repr=False, eq=False)
class CycleAudit(Record):
    """One audit a year of a certification cycle requires: of one of ``audit_types``, by one of ``auditors``."""

    audit_types: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Audit types that count (any of them); a required ``maintenance`` audit is also met by a passed audit in lieu
    of it (an ``action-plan``)."""
    auditors: tuple[str, ...] = field(default=(), validator=one_of(AUDITOR_KINDS))
    """Auditor kinds that may perform it (``self-assessor``, ``internal``, ``external``...); empty means any."""
    label: str = ""
    """How messages name it (e.g. ``self-audit``); default: the first audit type and the auditors."""

    @property
    def named(self) -> str:
        """The label, or ``<type> audit`` (``by an external auditor`` when the auditors are named)."""
        if self.label:
            return self.label
        by = f" by {_article(self.auditors[0])} {' or '.join(self.auditors)} auditor" if self.auditors else ""
        return f"{self.audit_types[0]} audit{by}"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


@frozen(repr=False, eq=False)
class CycleYear(Record):
    """What one year of a certification cycle requires: every audit listed, each passed by the deadline."""

    year: int = field(validator=[positive, month_span])
    """The cycle's year, 1 for the year of the certifying audit."""
    audits: tuple[CycleAudit, ...] = field(validator=attrs.validators.min_len(1))
    """The audits required; each must be passed (several make a year need several passed audits)."""
    in_month: int | None = field(default=None, validator=[non_negative, month_span])
    """Due in month N: the last allowed day is the last day of that month."""
    before_month: int | None = field(default=None, validator=[positive, month_span])
    """Due before month N: the last allowed day is the last day of the month before it."""
    day: int | None = field(default=None, validator=attrs.validators.optional(attrs.validators.in_(range(1, 32))))
    """With ``in_month``: the last allowed day is this day of the month (1 December: ``in_month: 12, day: 1``),
    not the month's last day (a shorter month ends sooner)."""
    reference: tuple[str, ...] = ()
    """Public sources, when they differ from the cycle's."""
    confidence: str | None = field(default=None, validator=attrs.validators.optional(one_of(CONFIDENCE)))
    """Confidence of the deadline, when it differs from the cycle's (L: a missed deadline is an advisory)."""
    note: str = ""
    """What the sources say about it."""

    def __attrs_post_init__(self) -> None:
        if (self.in_month is None) == (self.before_month is None):
            raise FieldError("in_month", "give either in_month or before_month, not both or neither")
        if self.day is not None and self.in_month is None:
            raise FieldError("day", "a day of the month goes with in_month, not before_month")


@frozen(repr=False, eq=False)
class CertificationCycle(Record):
    """The audits each year of a certificate's cycle requires and their deadlines, checked by ``corengine cycle``."""

    years: tuple[CycleYear, ...]
    """The years with requirements (the certifying audit itself need not be listed; none for a certificate with no
    maintenance year, such as a 1-year COR, whose only deadline is its recertification)."""
    counted_from: str = field(default="audit", validator=one_of(CYCLE_COUNTS))
    """``audit`` (months after the certifying audit), ``calendar-year`` (months of each calendar year),
    ``anniversary`` (the day N months after the certifying audit) or ``expiry-month`` (see ``CYCLE_COUNTS``)."""
    recertify_by: str = field(default="expiry-date", validator=one_of(RECERTIFY_BY))
    """When the recertification audit is due: by the last valid day, or by the end of the expiry date's month."""
    min_months_between: int | None = field(default=None, validator=[positive, month_span])
    """An audit less than this many months after the previous audit of the cycle does not count for a year."""
    reference: tuple[str, ...] = ()
    """Public sources, when they differ from the certificate's or the rule version's."""
    confidence: str | None = field(default=None, validator=attrs.validators.optional(one_of(CONFIDENCE)))
    """Confidence, when it differs from the certificate's or the rule version's."""
    note: str = ""
    """What the sources say about the cycle."""

    def __attrs_post_init__(self) -> None:
        seen: set[int] = set()
        for year in self.years:
            if year.year in seen:
                raise FieldError("years", f"year {year.year} is listed twice")
            seen.add(year.year)
            if year.day is not None and self.counted_from == "anniversary":
                raise FieldError("years", f"year {year.year}: an anniversary deadline is a day already: no day")
            if self.counted_from == "calendar-year":
                month = year.in_month if year.in_month is not None else year.before_month
                if (month is not None and not 1 <= month <= 12) or year.before_month == 1:
                    raise FieldError(
                        "years",
                        f"year {year.year}: a calendar year's months run from 1 to 12 (before_month from 2), "
                        f"not {month}",
                    )


@frozen(repr=False, eq=False)
class PartnerCycle(Record):
    """One certifying partner's own timing for a certificate's cycle: it replaces the certificate rule's cycle
    (or its ``maintenance_due`` months) for a certificate granted on an audit of that partner's document."""

    partner: str = field(validator=non_empty)
    """The partner, as a standard's ``partner`` (``ESC``, ``AMHSA``...)."""
    certificates: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """The certificates it times (``COR (3 years)``...)."""
    start: dt.date
    """The first certifying audit date it applies to."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the partner's timing is."""
    cycle: CertificationCycle
    """The audits each year requires and their deadlines, as the partner times them."""
    end: dt.date | None = None
    """The last certifying audit date it applies to; unset means until further notice."""
    note: str = ""
    """What the sources say, in the partner's words or the project's reading."""

    def applies(self, partner: str | None, certificate: str | None, on: dt.date) -> bool:
        """Whether it times ``partner``'s ``certificate`` granted by an audit on ``on``."""
        return (
            partner == self.partner
            and certificate in self.certificates
            and self.start <= on
            and (self.end is None or on <= self.end)
        )


@frozen(repr=False, eq=False)
class CertificateRule(Record):
    """One certificate a passing audit may earn; the first whose conditions hold is granted."""

    certificate: str = field(validator=non_empty)
    """What is granted, e.g. ``COR (3 years)``, ``Letter of Good Standing``, ``External audit authorised``."""
    months: int | None = field(default=None, validator=[non_negative, month_span])
    """How long it is valid; unset when it is not a certificate with a length (a maintained COR)."""
    min_records_months: int | None = field(default=None, validator=non_negative)
    """Months of system records the employer must have."""
    methods: tuple[str, ...] = field(default=(), validator=one_of(METHODS))
    """Verification methods the audit must have used."""
    auditors: tuple[str, ...] = field(default=(), validator=one_of(AUDITOR_KINDS))
    """Auditor kinds that may earn it; empty means any."""
    audit_types: tuple[str, ...] = ()
    """Audit types that may earn it; empty means every type the rule covers."""
    programs: tuple[str, ...] = ()
    """Programs that may earn it (a rule for COR and SECOR grants ``COR (3 years)`` to one and ``SECOR (3 years)``
    to the other); empty means every program the rule covers. A certificate for another program is passed over."""
    reference: tuple[str, ...] = ()
    """Public sources, when they differ from the rule version's."""
    confidence: str | None = field(default=None, validator=attrs.validators.optional(one_of(CONFIDENCE)))
    """Confidence, when it differs from the rule version's."""
    note: str = ""
    """Anything a reader of the outcome should know (sources silent, assumed default...)."""
    maintenance_due: tuple[int, ...] = field(default=(), validator=month_span)
    """Months after the audit date in whose calendar month a maintenance audit is due (e.g. 12, 24)."""
    cycle: CertificationCycle | None = None
    """The audits each year of the certificate's cycle requires, with deadlines (``corengine cycle`` checks them;
    when set, ``maintenance_due`` is shown in outcomes but the cycle check reads this)."""


@frozen(repr=False, eq=False)
class FailOption(Record):
    """What a failing audit may do next, e.g. a limited-scope re-audit when the overall is close."""

    outcome: str = field(validator=non_empty)
    """What the employer may do or gets."""
    overall_at_least: Fraction | None = field(default=None, validator=percent_range)
    """Only when the overall percentage reaches this."""
    overall_below: Fraction | None = field(default=None, validator=percent_range)
    """Only when the overall percentage is below this."""
    within_days: int | None = field(default=None, validator=day_span)
    """The deadline, in days after the audit."""
    reference: tuple[str, ...] = ()
    """Public sources, when they differ from the rule version's."""
    confidence: str | None = field(default=None, validator=attrs.validators.optional(one_of(CONFIDENCE)))
    """Confidence, when it differs from the rule version's."""


@frozen(repr=False, eq=False)
class MoneyRounding(Record):
    """How an estimate (an incentive, a refund, a rebate) is rounded to the cent, with how well that is sourced."""

    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the rounding is."""
    mode: str = field(default="half_up", validator=one_of(ROUNDING_MODES))
    """How the digits below the cent are rounded."""
    note: str = ""
    """What the sources say about it."""


@frozen(repr=False, eq=False)
class Rounding(Record):
    """A rounding the partner applies before comparing a percentage with a threshold."""

    places: int = 0
    """Decimal places kept."""
    mode: str = field(default="half_up", validator=one_of(ROUNDING_MODES))
    """How the dropped digits are rounded."""


@frozen(repr=False, eq=False)
class ValueSource(Record):
    """Where one value of a rule version comes from when it is not the version's own source: an override's."""

    value: str = field(validator=non_empty)
    """The RuleVersion field, e.g. ``overall_minimum``."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """The public sources of the value."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the value is."""
    standard: str = ""
    """The standard whose override set it."""


@frozen(repr=False, eq=False)
class RuleVersion(Record):
    """The values of a rule from one start date until the next version's start."""

    start: dt.date
    """The first audit date this version applies to."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """The public sources (URLs) this version encodes."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the values are; L values are meant to be overridden by a partner."""
    end: dt.date | None = None
    """The last audit date it applies to: a temporary variant (a pandemic year), after which the version
    in force before it applies again."""
    note: str = ""
    """What the sources say or leave unsaid."""
    overall_minimum: Fraction | None = field(default=None, validator=percent_range)
    """Minimum overall percentage; unset means no overall minimum."""
    element_minimum: Fraction | None = field(default=None, validator=percent_range)
    """Minimum percentage in every element; unset means elements are not counted."""
    mandatory_full_marks: bool = False
    """Mandatory (legislated) questions must earn full points."""
    methods_required: tuple[str, ...] = field(default=(), validator=one_of(METHODS))
    """Verification methods the audit must use; an audit missing one fails this rule."""
    methods_optional: tuple[str, ...] = field(default=(), validator=one_of(METHODS))
    """Methods the period allows but does not require (listed so ``show`` can say so)."""
    rounding: Rounding | None = None
    """Rounding applied before thresholds; unset compares exact values."""
    auditors: tuple[str, ...] = field(default=(), validator=one_of(AUDITOR_KINDS))
    """Auditor kinds allowed to conduct this audit type; empty means any."""
    auditors_confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """Confidence of ``auditors`` when it differs from the version's (a partner page may state who audits while
    the pass marks are unpublished)."""
    methods_confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """Confidence of ``methods_required`` when it differs from the version's."""
    certificates: tuple[CertificateRule, ...] = ()
    """Certificates a pass may earn, first match wins; empty means a pass needs no certificate condition."""
    on_fail: tuple[FailOption, ...] = ()
    """What a failing audit may do next."""
    on_pass: str = ""
    """What a pass means when no certificate is listed (e.g. ``COR maintained``)."""
    data_gathering_days: int | None = field(default=None, validator=day_span)
    """Most days from ``start_date`` to ``audit_date``."""
    report_days: int | None = field(default=None, validator=day_span)
    """Most days from ``audit_date`` to ``report_date``."""
    revision_days: int | None = field(default=None, validator=day_span)
    """Most days for each round of revisions the partner asks for (shown; the audit cannot record it)."""
    notice_days: int | None = field(default=None, validator=day_span)
    """Fewest days between the audit notice (``notice_date``) and ``start_date``."""
    deadline_confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """Confidence of the day limits when it differs from the version's (they are often one partner's)."""
    deadline_reference: tuple[str, ...] = ()
    """Public sources of the day limits, when not the version's."""
    lateness: str = field(default="fails", validator=one_of(("fails", "partner-decides")))
    """What missing a day limit does: ``fails`` the audit, or ``partner-decides`` (no published page says what
    lateness causes; the partner decides whether it still accepts the work): then a missed limit is an advisory."""
    records_months_minimum: int | None = field(default=None, validator=non_negative)
    """Fewest months of health and safety system records this audit needs (maintenance audits; certificates set
    their own ``min_records_months``)."""
    not_accepted: str = ""
    """When set, audits of this type on this standard are no longer accepted from ``start`` (an old
    instrument after a transition date): the audit fails with this explanation."""
    value_sources: tuple[ValueSource, ...] = ()
    """The sources of single values an override changed; every other value keeps the version's own."""

    def source_of(self, value: str) -> ValueSource | None:
        """The source of ``value`` where an override set it, else None (the version's own source)."""
        if not self.value_sources:  # most versions: no override changed a single value
            return None
        return next((s for s in reversed(self.value_sources) if s.value == value), None)

    def confidence_of(self, value: str) -> str:
        """The confidence of ``value``: an override's where one set it, else the version's."""
        source = self.source_of(value)
        return self.confidence if source is None else source.confidence

    def reference_of(self, value: str) -> tuple[str, ...]:
        """The sources of ``value``: an override's where one set it, else the version's."""
        source = self.source_of(value)
        return self.reference if source is None else source.reference


@frozen(repr=False, eq=False)
class Rule(Record):
    """A dated rule deciding the outcome of some audit types in some programs."""

    id: str = field(validator=non_empty)
    """A short name, unique in the standard, e.g. ``certification``."""
    title: str = field(validator=non_empty)
    """What it decides."""
    audit_types: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Audit types it decides."""
    versions: tuple[RuleVersion, ...] = field(validator=attrs.validators.min_len(1))
    """Its values over time; the one in force is the latest start on or before the audit date."""
    programs: tuple[str, ...] = ()
    """Programs it decides; empty means every program of the standard."""

    def in_force(self, on: dt.date) -> RuleVersion | None:
        """The version with the latest start on or before ``on`` among those not ended by ``on``.

        A version with an ``end`` is a temporary variant: after its end the version before it applies again.
        """
        return in_force(self.versions, on)


OVERRIDE_FIXED = ("start", "reference", "confidence", "value_sources")
"""RuleVersion fields an override may not set: it keeps the version's start and brings its own source."""


@frozen(repr=False, eq=False)
class RuleOverride(Record):
    """A change to single values of an inherited rule version, with the source of the new values.

    The way a partner (or a user with ``--standard-file``) replaces a low-confidence value without restating
    the whole version: ``{rule: maintenance, start: 2023-01-01, values: {overall_minimum: 65}, reference: [...],
    confidence: M}``.
    """

    rule: str = field(validator=non_empty)
    """Id of the rule changed."""
    start: dt.date
    """Start date of the version changed."""
    values: dict[str, Any] = field()
    """New values, by RuleVersion field name (checked against the field's type)."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources of the new values."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the new values are."""
    note: str = ""
    """Why the values change."""

    @values.validator
    def _check_values(self, attribute: attrs.Attribute[Any], value: dict[str, Any]) -> None:
        if not value:
            raise FieldError(attribute.name, "must set at least one value")
        self.structured()

    def structured(self) -> dict[str, Any]:
        """The new values as the RuleVersion fields' types (raises FieldError naming a bad one)."""
        import typing

        hints = typing.get_type_hints(RuleVersion)
        allowed = [a.name for a in attrs.fields(RuleVersion) if a.name not in OVERRIDE_FIXED]
        result = {}
        for key, raw in self.values.items():
            if key not in allowed:
                raise FieldError("values", f"{key!r} cannot be overridden (overridable: {', '.join(allowed)})")
            try:
                result[key] = structure_value(raw, hints[key])
            except ValueError as exc:
                raise FieldError("values", f"{key}: {exc}") from None
        return result


@frozen(repr=False, eq=False)
class SampleRow(Record):
    """One row of a sampling table: from ``min`` to ``max`` (inclusive) the minimum is ``value``."""

    min: int = field(validator=non_negative)
    """Smallest population the row covers."""
    max: int | None = None
    """Largest population the row covers; unset means no upper bound."""
    value: str = "all"
    """``all``, a count such as ``"19"``, a percentage such as ``"33%"`` (rounded up), or ``ask``
    (the partner decides)."""
    confidence: str | None = field(default=None, validator=attrs.validators.optional(one_of(CONFIDENCE)))
    """Confidence of this row, when it differs from the table's."""
    note: str = ""
    """Where the row comes from."""


@frozen(repr=False, eq=False)
class ReferenceTable(Record):
    """A published sampling table of another partner or province, shown for comparison where the partner
    publishes none."""

    name: str = field(validator=non_empty)
    """Whose table it is (e.g. "TSCBC large-employer table, 2011")."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the table is as that partner's."""
    rows: tuple[SampleRow, ...] = field(validator=attrs.validators.min_len(1))
    """Its rows."""


@frozen(repr=False, eq=False)
class SampleTableVersion(Record):
    """A sampling table in force from ``start``."""

    start: dt.date
    """The first audit date the table applies to."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced the table is."""
    rows: tuple[SampleRow, ...] = ()
    """Rows, looked up by population."""
    interpolate: tuple[tuple[int, int], ...] = field(default=())
    """Instead of rows: known (population, minimum) points; values between are interpolated linearly
    and rounded up, below the first point every person is sampled, above the last the last applies."""

    @interpolate.validator
    def _rows_or_points(self, attribute: attrs.Attribute[Any], value: tuple[tuple[int, int], ...]) -> None:
        if value and self.rows:  # the rows would be ignored without a word
            raise FieldError(attribute.name, "give rows or interpolate points, not both")

    note: str = ""
    """What the sources leave unsaid and which default was picked."""
    programs: tuple[str, ...] = ()
    """Programs the table is for (e.g. only ``Large``); empty means every program."""
    reference_table: ReferenceTable | None = None
    """Another partner's published table, shown beside values this table only estimates (interpolated or
    assumed); it never sets the minimum."""


@frozen(repr=False, eq=False)
class Sampling(Record):
    """Minimum samples an auditor must take."""

    interviews: tuple[SampleTableVersion, ...] = ()
    """Minimum interviews by number of workers."""
    sites: tuple[SampleTableVersion, ...] = ()
    """Minimum sites visited by number of sites."""
    questionnaire_share: Fraction | None = field(default=None, validator=percent_range)
    """The largest percentage of worker interviews questionnaires may replace."""
    questionnaire_note: str = ""
    """Limits on questionnaires (e.g. never for managers or supervisors)."""
    reference: tuple[str, ...] = ()
    """Sources for the questionnaire rule."""
    questionnaire_confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """How well sourced the questionnaire share is (L: a share exceeded is an advisory)."""
    levels_required: tuple[str, ...] = field(default=(), validator=known_roles)
    """Interview levels every audit must reach (roles from the evidence vocabulary); a level the audit's
    ``interviews_by_level`` leaves out is a finding."""
    levels_reference: tuple[str, ...] = ()
    """Sources for the levels."""
    levels_confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """How well sourced the levels are (L: a missing level is an advisory)."""


SCORE_TREATMENTS = ("not_counted", "opportunity")
"""What a score rule does to its elements or questions: ``not_counted`` (scored and shown, left out of every
total and minimum) or ``opportunity`` (the same in the totals; its finding, ``scoring.opportunity``, says the
shortfalls are treated as opportunities for improvement, as the partner words it)."""


def _in_scope(rule: Prerequisite | ScoreRule, on: dt.date, program: str, audit_type: str) -> bool:
    """Whether a dated rule with ``start``, ``end``, ``programs`` and ``audit_types`` covers an audit."""
    return (
        rule.start <= on
        and (rule.end is None or on <= rule.end)
        and (not rule.programs or program in rule.programs)
        and (not rule.audit_types or audit_type in rule.audit_types)
    )


PREREQUISITE_KINDS = ("before", "within_months", "after_months")
"""How a prerequisite's date is measured against the audit: ``before`` (the fact happened on or before the audit
started, at least ``days`` days before where given: an approval, a notice), ``within_months`` (the audit ends within
``months`` of the fact: certify within 18 months of registration), ``after_months`` (the audit is at least
``months`` after the fact: a system that ran 3 months)."""


@frozen(repr=False, eq=False)
class Prerequisite(Record):
    """A fact that must hold before an audit of the standard starts, as dated data: a pre-audit approval (a
    checklist, a sampling plan), a registration milestone. Each audit records the fact's date under
    ``prerequisites: {ID: DATE}``; a fact not recorded or not met is a finding by the confidence policy."""

    id: str = field(validator=non_empty)
    """The key an audit records the fact's date under (``checklist_approved``)."""
    text: str = field(validator=non_empty)
    """What must happen, as the source says it."""
    start: dt.date
    """The first audit date it applies to."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced (L: never fails by itself)."""
    kind: str = field(default="before", validator=one_of(PREREQUISITE_KINDS))
    """How the fact's date is measured against the audit (:data:`PREREQUISITE_KINDS`)."""
    days: int | None = field(default=None, validator=non_negative)
    """``before``: at least this many days before the audit started (unset: on or before it)."""
    months: int | None = field(default=None, validator=non_negative)
    """``within_months`` and ``after_months``: the months."""
    end: dt.date | None = None
    """The last audit date it applies to; unset means until further notice."""
    programs: tuple[str, ...] = ()
    """Programs it covers; empty means every program."""
    audit_types: tuple[str, ...] = ()
    """Audit types it covers; empty means every audit type."""
    reading: str = ""
    """The reading taken where the sources are silent (e.g. what "before the audit" is measured from)."""

    def __attrs_post_init__(self) -> None:
        if self.kind != "before" and self.months is None:
            raise FieldError("months", f"a {self.kind} prerequisite needs months")
        if self.kind == "before" and self.months is not None:
            raise FieldError("months", "a before prerequisite counts days, not months (use days)")
        if self.end is not None and self.end < self.start:
            raise FieldError("end", f"ends on {self.end}, before its start {self.start}")

    def applies(self, on: dt.date, program: str, audit_type: str) -> bool:
        """Whether it is in force on ``on`` for ``program`` and ``audit_type``."""
        return _in_scope(self, on, program, audit_type)


@frozen(repr=False, eq=False)
class ScoreRule(Record):
    """Elements or questions that are scored but not counted in a period: scoring leaves them out of the totals,
    so every command (the score table, plan, report, batch, impact) reads the same overall figure."""

    treatment: str = field(validator=one_of(SCORE_TREATMENTS))
    """One of :data:`SCORE_TREATMENTS`."""
    start: dt.date
    """The first audit date (or rules date) it applies to."""
    reason: str = field(validator=non_empty)
    """Why, in the partner's words or the project's reading."""
    reference: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """The public sources."""
    confidence: str = field(validator=one_of(CONFIDENCE))
    """How well sourced it is: an L rule is an advisory reading, applied only with ``--strict``."""
    elements: tuple[str, ...] = ()
    """Element ids it covers."""
    questions: tuple[str, ...] = ()
    """Question ids it covers."""
    end: dt.date | None = None
    """The last date it applies to; unset means until further notice."""
    programs: tuple[str, ...] = ()
    """Programs it covers; empty means every program."""
    audit_types: tuple[str, ...] = ()
    """Audit types it covers; empty means every audit type."""

    def __attrs_post_init__(self) -> None:
        if not self.elements and not self.questions:
            raise FieldError("elements", "name at least one element or question the rule covers")
        if self.end is not None and self.end < self.start:
            raise FieldError("end", f"ends on {self.end}, before its start {self.start}")

    def applies(self, on: dt.date, program: str, audit_type: str) -> bool:
        """Whether it is in force on ``on`` for ``program`` and ``audit_type``."""
        return _in_scope(self, on, program, audit_type)


@frozen(repr=False, eq=False)
class Standard(Record):
    """An audit document (a partner's instrument, or a provincial baseline holding only rules)."""

    id: str = field(validator=non_empty)
    """Unique across every installed plugin; also the data file's name."""
    title: str = field(validator=non_empty)
    """Human name."""
    version: str = field(validator=non_empty)
    """The document's own version, reported with every score."""
    jurisdiction: str = field(validator=non_empty)
    """Province or territory code (AB, ON, BC...)."""
    programs: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Programs it serves (COR, SECOR, Large, Small...); an audit picks one."""
    partner: str | None = None
    """The certifying partner that owns it; unset for a provincial baseline."""
    extends: str | None = None
    """Id of the standard this one overlays: elements with the same id are replaced, new ones added;
    rules with the same id get these versions merged in by start date."""
    audit_types: tuple[str, ...] = ()
    """Audit types beyond the core's list."""
    reference_document: bool = False
    """The wording is the project's own reference text, not the partner's official document."""
    description: str = ""
    """What it is and where it comes from."""
    reference: tuple[str, ...] = ()
    """Public sources for the document's structure."""
    elements: tuple[Element, ...] = field(default=(), validator=unique_ids)
    """The elements, in order."""
    rules: tuple[Rule, ...] = field(default=(), validator=unique_ids)
    """Outcome rules."""
    sampling: Sampling | None = None
    """Sampling tables, if the partner publishes them."""
    overrides: tuple[RuleOverride, ...] = ()
    """Changes to single values of rule versions this standard inherits through ``extends``."""
    evidence_kinds: tuple[EvidenceKind, ...] = field(default=(), validator=unique_ids)
    """Evidence kinds this standard adds to the core vocabulary (usable here and in standards extending it)."""
    expects_note: str = ""
    """Where the ``expects`` data comes from (e.g. the project's reference reading of each question)."""
    score_rules: tuple[ScoreRule, ...] = ()
    """Elements or questions scored but not counted in a period (inherited through ``extends``, then these)."""
    prerequisites: tuple[Prerequisite, ...] = ()
    """Facts that must hold before an audit starts (approvals, registration milestones), as dated data; inherited
    through ``extends`` (an overlay's with the same id replaces the base's)."""
    partner_cycles: tuple[PartnerCycle, ...] = ()
    """Certifying partners' own cycle timing (inherited through ``extends``, then these): the certificate's
    partner (this standard's ``partner``) selects its entry; a partner with none keeps the certificate rule's."""
    program_names: dict[str, str] = field(factory=dict)
    """This standard's program names for the programs of the standard it ``extends`` (``{Standard: COR, Small:
    SECOR}``): every inherited question, rule, sampling table and score rule for the base's program is also for
    each name mapped onto it, so a province names the national base's programs its own way."""

    def rule_in_force(self, audit_type: str, program: str, on: dt.date) -> tuple[Rule, RuleVersion] | None:
        """The first rule covering ``audit_type`` and ``program`` with a version in force on ``on``."""
        for rule in self.rules:
            if audit_type in rule.audit_types and (not rule.programs or program in rule.programs):
                version = rule.in_force(on)
                if version is not None:
                    return rule, version
        return None

    def questions(self) -> tuple[tuple[Element, Question], ...]:
        """Every question with its element, in document order."""
        return tuple((element, question) for element in self.elements for question in element.questions)


# --------------------------------------------------------------------------- the audit


@frozen(repr=False, eq=False)
class StandardSource(Record):
    """Where a standard comes from: its file and the plugin that registered it."""

    id: str
    """The standard's id (the file's name without suffix)."""
    path: Path
    """The data file."""
    plugin: str
    """The registering plugin's name (``<file>`` for ``--standard-file``)."""


@frozen(repr=False, eq=False)
class ResolvedStandard(Record):
    """A standard with its overlays applied, and who supplied each part."""

    standard: Standard
    """The merged standard."""
    source: StandardSource
    """The file and plugin of the standard itself."""
    rule_plugins: dict[tuple[str, str], str]
    """Plugin that supplied each rule version, keyed by (rule id, start date ISO)."""
    chain: tuple[str, ...]
    """Ids from this standard down to its root baseline."""

    def plugin_for(self, rule: str, start: str) -> str:
        return self.rule_plugins.get((rule, start), self.source.plugin)
