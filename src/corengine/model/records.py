"""The audit document, its dated rules, the audit and the results, as frozen attrs classes.

Everything a plugin ships as YAML and everything a user types into a workbook structures into these
classes through :mod:`corengine.converter`; nothing else in the core reads raw dictionaries.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
from attrs import field, frozen

from corengine._util.dates import in_force
from corengine.model.converter import register_fast_hook, structure_value
from corengine.model.findings import Finding as Finding
from corengine.model.findings import Quantity as Quantity
from corengine.model.validators import FieldError as FieldError
from corengine.model.validators import (
    above_zero,
    calendar_year,
    day_span,
    interview_levels,
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

V = TypeVar("V")

if TYPE_CHECKING:
    from corengine._io.loading import LineMap

METHODS = ("D", "I", "O")
"""Verification methods: documentation, interviews, observation."""

CONFIDENCE = ("H", "M", "L")
"""How well a rule value is sourced: government page or two partners (H), one partner (M), a blog or old page (L)."""

AUDITOR_KINDS = ("external", "internal", "candidate", "self-assessor")
"""Who conducted the audit; rules say which kinds may conduct which audit types."""

CERTIFICATIONS = ("ISO45001", "CSA-Z45001", "CSA-Z1000")
"""Outside occupational health and safety management-system certifications an employer may hold: ISO 45001
(2018), CSA Z45001 (2019) and CSA Z1000 (2014)."""

EQUIVALENCY_TREATMENTS = ("route", "information", "not-accepted")
"""What a province makes of an outside certification: a ``route`` to its certificate, ``information`` only, or
``not-accepted`` in place of its audits."""

AUDIT_TYPES = (
    "certification",
    "recertification",
    "maintenance",
    "internal",
    "external",
    "self-assessment",
    "administrative",
    "limited-scope",
    "action-plan",
)
"""Audit types the core knows; a standard may declare more in ``audit_types``."""

IN_LIEU_OF_MAINTENANCE = ("action-plan",)
"""Audit types that stand in for a maintenance audit when they pass (a partner's action plan)."""


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


@frozen
class Scoring:
    """How a question turns a response into points."""

    method: str = field(default="awarded", validator=non_empty)
    """Built-in: ``awarded`` (auditor gives points), ``all_or_nothing`` and ``range`` (from tallies);
    plugins may register more. ``scoring: NAME`` is short for ``scoring: {method: NAME}``."""
    steps: tuple[Fraction, ...] = ()
    """For ``awarded``: the only point values allowed (empty: any value from 0 to the maximum)."""
    threshold: Fraction | None = field(default=None, validator=percent_range)
    """For ``all_or_nothing``: the percentage of positive tallies that earns full points."""
    rounding: str = field(default="down", validator=one_of(("down", "up", "half_up", "half_even")))
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


@frozen
class Question:
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
    """Common themes (see :mod:`corengine.evidence`) when they differ from the element's."""

    def __attrs_post_init__(self) -> None:
        for step in self.scoring.steps:
            if not 0 <= step <= self.points:
                raise FieldError("scoring", f"step {step} must lie between 0 and the question's {self.points} points")


@frozen
class Element:
    """A group of questions with its own percentage (and possibly its own minimum)."""

    id: str = field(validator=non_empty)
    """The partner's element number or letter."""
    title: str = field(validator=non_empty)
    """The element's name."""
    questions: tuple[Question, ...] = field(validator=unique_ids)
    """The questions, in the partner's order."""
    themes: tuple[str, ...] = field(default=(), validator=known_themes)
    """Common themes the element maps to (see :mod:`corengine.evidence`), main theme first; the crosswalk
    between provinces compares documents through them."""
    confidence: str | None = field(default=None, validator=one_of(CONFIDENCE))
    """How well sourced the element's structure (its questions and points) is, where it is known to differ."""
    note: str = ""
    """Why: e.g. the structure is assumed from an older tool."""


CYCLE_COUNTS = ("audit", "calendar-year")
"""How a certification cycle counts its years and months: from the certifying ``audit`` (year 1 is the 12 months
ending at its first deadline; month N is the calendar month N months after the audit), or by ``calendar-year``
(year 1 is the calendar year of the certifying audit; month N is that year's month, 1 for January)."""


@frozen
class CycleAudit:
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


@frozen
class CycleYear:
    """What one year of a certification cycle requires: every audit listed, each passed by the deadline."""

    year: int = field(validator=[positive, month_span])
    """The cycle's year, 1 for the year of the certifying audit."""
    audits: tuple[CycleAudit, ...] = field(validator=attrs.validators.min_len(1))
    """The audits required; each must be passed (several make a year need several passed audits)."""
    in_month: int | None = field(default=None, validator=[non_negative, month_span])
    """Due in month N: the last allowed day is the last day of that month."""
    before_month: int | None = field(default=None, validator=[positive, month_span])
    """Due before month N: the last allowed day is the last day of the month before it."""
    reference: tuple[str, ...] = ()
    """Public sources, when they differ from the cycle's."""
    confidence: str | None = field(default=None, validator=attrs.validators.optional(one_of(CONFIDENCE)))
    """Confidence of the deadline, when it differs from the cycle's (L: a missed deadline is an advisory)."""
    note: str = ""
    """What the sources say about it."""

    def __attrs_post_init__(self) -> None:
        if (self.in_month is None) == (self.before_month is None):
            raise FieldError("in_month", "give either in_month or before_month, not both or neither")


@frozen
class CertificationCycle:
    """The audits each year of a certificate's cycle requires and their deadlines, checked by ``corengine cycle``."""

    years: tuple[CycleYear, ...] = field(validator=attrs.validators.min_len(1))
    """The years with requirements (the certifying audit itself need not be listed)."""
    counted_from: str = field(default="audit", validator=one_of(CYCLE_COUNTS))
    """``audit`` (months after the certifying audit) or ``calendar-year`` (months of each calendar year)."""
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
            if self.counted_from == "calendar-year":
                month = year.in_month if year.in_month is not None else year.before_month
                if (month is not None and not 1 <= month <= 12) or year.before_month == 1:
                    raise FieldError(
                        "years",
                        f"year {year.year}: a calendar year's months run from 1 to 12 (before_month from 2), "
                        f"not {month}",
                    )


@frozen
class CertificateRule:
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


@frozen
class FailOption:
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


@frozen
class Rounding:
    """A rounding the partner applies before comparing a percentage with a threshold."""

    places: int = 0
    """Decimal places kept."""
    mode: str = field(default="half_up", validator=one_of(("down", "up", "half_up", "half_even")))
    """How the dropped digits are rounded."""


@frozen
class RuleVersion:
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


@frozen
class Rule:
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


OVERRIDE_FIXED = ("start", "reference", "confidence")
"""RuleVersion fields an override may not set: it keeps the version's start and brings its own source."""


@frozen
class RuleOverride:
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


@frozen
class SampleRow:
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


@frozen
class ReferenceTable:
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


@frozen
class SampleTableVersion:
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


@frozen
class Sampling:
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


@frozen
class Standard:
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


class PerStandard(Generic[V]):
    """Values derived from a standard, built once per standard object (a standard is frozen) and the other
    objects and values they depend on; an entry goes when its standard is collected."""

    def __init__(self) -> None:
        self._found: dict[tuple[Any, ...], tuple[weakref.ref[Standard], tuple[object, ...], V]] = {}

    def get(
        self, standard: Standard, build: Callable[[], V], objects: tuple[object, ...] = (), values: tuple[Any, ...] = ()
    ) -> V:
        """The value built for ``standard``, the ``objects`` (by identity: held, so no id is reused while the
        entry lives) and the hashable ``values``; else ``build()``, kept for them."""
        key = (id(standard), *map(id, objects), *values)
        found = self._found.get(key)
        if found is not None and found[0]() is standard and all(a is b for a, b in zip(found[1], objects, strict=True)):
            return found[2]
        value = build()

        def forget(_: weakref.ref[Standard]) -> None:
            self._found.pop(key, None)

        self._found[key] = (weakref.ref(standard, forget), objects, value)
        return value

    def __contains__(self, key: object) -> bool:
        """Whether a value is kept under ``(id(standard), *ids of the objects, *values)``."""
        return key in self._found


# --------------------------------------------------------------------------- the audit


@frozen
class Tally:
    """A count of positive results out of a total (interviews, observations or documents)."""

    positive: int = field(validator=non_negative)
    """How many were positive."""
    total: int = field(validator=non_negative)
    """How many were taken."""

    def __attrs_post_init__(self) -> None:
        if self.positive > self.total:
            raise FieldError("positive", f"must be <= total ({self.total}), not {self.positive}")


@frozen
class Response:
    """The auditor's answer to one question: points, tallies, or N/A with a reason."""

    points: Fraction | None = field(default=None, validator=non_negative)
    """Points awarded (for ``awarded`` questions)."""
    interviews: Tally | None = None
    """Positive interviews out of those asked."""
    observations: Tally | None = None
    """Positive observations out of those made."""
    documents: Tally | None = None
    """Documents meeting the criteria out of those sampled."""
    na: str | None = None
    """Not applicable, with the reason."""
    note: str = ""
    """The auditor's note (shown in reports and action plans)."""

    def tallies(self) -> dict[str, Tally]:
        """The tallies given, by name."""
        found = {
            "interviews": self.interviews,
            "observations": self.observations,
            "documents": self.documents,
        }
        return {name: tally for name, tally in found.items() if tally is not None}

    def has_tally(self) -> bool:
        return self.interviews is not None or self.observations is not None or self.documents is not None

    def __attrs_post_init__(self) -> None:
        forms = (self.points is not None) + self.has_tally() + (self.na is not None)
        if forms > 1:
            raise FieldError(
                "na" if self.na is not None else "points",
                "give points, tallies or na, not more than one of them",
            )
        if self.na is not None and not self.na.strip():
            raise FieldError("na", "must give the reason the question is not applicable")


_WHOLE_LIMIT = 10**15
"""Whole numbers the converter reads (:data:`corengine.converter.MAX_WHOLE_DIGITS` digits)."""


_COMMON: dict[tuple[str, int, int], Response] = {}
"""One :class:`Response` per distinct common answer (responses are frozen, so equal ones are interchangeable;
scoring reuses pure methods' results by response identity). Emptied when it reaches :data:`_COMMON_LIMIT`."""

_COMMON_LIMIT = 20_000

SHARED: set[int] = set()
"""The ids of the responses in :data:`_COMMON`: ``id(response) in SHARED`` tells whether a response is the one
object the reader hands out for its answer (each stays alive while its id is here: both are emptied together).
Scoring reuses results only for these; any other response (with a note, built by hand) is one of a kind."""


def _common(key: tuple[str, int, int]) -> Response:
    kind, first, second = key
    if kind == "points":
        response = Response(points=Fraction(first))
    elif kind == "interviews":
        response = Response(interviews=Tally(first, second))
    elif kind == "observations":
        response = Response(observations=Tally(first, second))
    else:
        response = Response(documents=Tally(first, second))
    if len(_COMMON) >= _COMMON_LIMIT:
        _COMMON.clear()
        SHARED.clear()
    _COMMON[key] = response
    SHARED.add(id(response))
    return response


def _fast_response(value: Any) -> Response | None:
    """The two common answers, ``{points: N}`` (a whole number) and ``{TALLY: {positive, total}}``, as the
    converter would structure them (the classes' own validators run the first time an answer is met); None for
    anything else (the generated hook takes it)."""
    if type(value) is not dict or len(value) != 1:
        return None
    for kind, inner in value.items():
        if kind == "points":
            if type(inner) is not int or not -_WHOLE_LIMIT < inner < _WHOLE_LIMIT:
                return None
            key = ("points", inner, 0)
        elif kind in _TALLIES:
            if type(inner) is not dict or len(inner) != 2:
                return None
            positive, total = inner.get("positive"), inner.get("total")
            if (
                type(positive) is not int
                or type(total) is not int
                or not -_WHOLE_LIMIT < positive < _WHOLE_LIMIT
                or not -_WHOLE_LIMIT < total < _WHOLE_LIMIT
            ):
                return None
            key = (kind, positive, total)
        else:
            return None
        found = _COMMON.get(key)
        return found if found is not None else _common(key)
    return None  # pragma: no cover - a dict of length 1 has one item


_TALLIES = frozenset(("interviews", "observations", "documents"))


register_fast_hook(Response, _fast_response)


@frozen
class Employer:
    """The employer profile that eligibility, sampling and certificates depend on."""

    name: str = field(validator=non_empty)
    """Legal or trade name."""
    workers: int | None = field(default=None, validator=non_negative)
    """Workers, management included, counted by the partner's rule."""
    fte: Fraction | None = field(default=None, validator=non_negative)
    """Full-time equivalents, where the program sizes by FTE."""
    payroll_hours: int | None = field(default=None, validator=non_negative)
    """Annual payroll hours, from which FTE can be derived."""
    sites: int | None = field(default=None, validator=non_negative)
    """Work sites."""
    active_sites: int | None = field(default=None, validator=non_negative)
    """Sites active at audit time (none means an administrative audit)."""
    records_months: int | None = field(default=None, validator=non_negative)
    """Months of health and safety system records."""
    account: str | None = None
    """Workers' compensation account number."""
    industry: str | None = None
    """Industry or rate code."""
    worksites: tuple[str, ...] = ()
    """Names of every worksite; each must be visited at least once over a certificate's cycle."""
    classification_units: tuple[str, ...] = ()
    """Workers' compensation classification units; each must be covered at least once over the cycle."""


@frozen
class Auditor:
    """Who conducted the audit."""

    name: str = field(validator=non_empty)
    """Full name."""
    kind: str = field(validator=one_of(AUDITOR_KINDS))
    """external, internal, candidate or self-assessor."""
    certificate: str | None = None
    """The auditor's certification number."""
    built_system: bool = False
    """Whether the auditor helped build the system being audited (disqualifying in some provinces)."""


@frozen
class AuditHistory:
    """Facts about the employer's past certificates that the audit itself cannot show, which some audit types
    depend on (an action plan in lieu of a maintenance audit: each partner's eligibility conditions). Every field
    is optional: a fact left out is reported as something to record, never assumed."""

    good_standing: bool | None = None
    """Whether the employer holds a current certificate in good standing with its partner."""
    last_recertification_percent: Fraction | None = field(default=None, validator=percent_range)
    """Overall score of the last certification or recertification audit (the external audit that began this
    certificate's cycle), in percent."""
    full_cycles_completed: int | None = field(default=None, validator=non_negative)
    """Complete certificate cycles (certification or recertification, then the maintenance years) finished
    before this one."""
    consecutive_cor_years: int | None = field(default=None, validator=non_negative)
    """Consecutive years the employer has held a certificate, up to this audit."""
    previous_year_action_plan: bool | None = None
    """Whether last year's maintenance was also an action plan (so this is a second-year action plan)."""
    previous_action_plan_percent: Fraction | None = field(default=None, validator=percent_range)
    """Score of last year's action plan, in percent (when last year's maintenance was an action plan)."""
    ohs_orders_in_cycle: int | None = field(default=None, validator=non_negative)
    """Occupational health and safety orders issued to the employer during this certificate's cycle."""
    certified_auditor_on_staff: bool | None = None
    """Whether the employer has a certified (internal) auditor on staff."""
    certification_instrument_year: int | None = field(default=None, validator=calendar_year)
    """Year of the audit instrument the last certification or recertification used (e.g. 2023 for the 2023 SECOR
    Evaluation)."""
    hs_representative_required: bool | None = None
    """Whether the law requires the employer to have a health and safety representative."""

    def __attrs_post_init__(self) -> None:
        if self.previous_year_action_plan is False and self.previous_action_plan_percent is not None:
            raise FieldError(
                "previous_action_plan_percent",
                "gives last year's action plan score, but previous_year_action_plan is false",
            )


@frozen
class Audit:
    """An audit workbook: who, when, against which standard, and the answers."""

    standard: str = field(validator=non_empty)
    """Id of the standard audited against."""
    audit_type: str = field(validator=non_empty)
    """certification, recertification, maintenance, ..."""
    audit_date: dt.date
    """The date rules are judged by: the last day of on-site work."""
    employer: Employer
    """The employer audited."""
    auditor: Auditor
    """Who audited."""
    program: str | None = None
    """The program audited (COR, SECOR, Large...); defaults to the standard's first."""
    standard_version: str | None = None
    """The document version the auditor used, checked against the standard's."""
    start_date: dt.date | None = None
    """First day of data gathering."""
    report_date: dt.date | None = None
    """When the report was submitted."""
    notice_date: dt.date | None = None
    """When the partner was notified of the audit."""
    cycle_year: int | None = field(default=None, validator=calendar_year)
    """Deprecated: write ``extensions: {bc: {cycle_year: ...}}`` (read there when the BC plugin is installed;
    kept for one release)."""
    methods_used: tuple[str, ...] = field(default=METHODS, validator=one_of(METHODS))
    """Verification methods the audit used (a documentation-only audit lists only D)."""
    interviews_conducted: int | None = field(default=None, validator=non_negative)
    """Interviews done, to compare against the sample plan."""
    interviews_by_level: dict[str, int] = field(factory=dict, validator=interview_levels)
    """Interviews held in person, by level (``senior-management``, ``managers``, ``supervisors``, ``workers``,
    ``contractors``...): checked against the levels the standard's sampling requires."""
    questionnaires: int | None = field(default=None, validator=non_negative)
    """Worker questionnaires used in place of worker interviews (they count as worker interviews, up to the
    standard's questionnaire share)."""
    sites_visited: int | None = field(default=None, validator=non_negative)
    """Sites visited, to compare against the sample plan (defaults to the number of worksites named)."""
    worksites_visited: tuple[str, ...] = ()
    """Names of the worksites this audit visited (from ``employer.worksites``)."""
    classification_units_covered: tuple[str, ...] = ()
    """Classification units this audit covered (from ``employer.classification_units``)."""
    responses: dict[str, Response] = attrs.Factory(dict)
    """Responses keyed by question id."""
    notes: str = ""
    """Free text for the report."""
    history: AuditHistory | None = None
    """The employer's certificate history, where the audit type's conditions depend on it (an action plan in
    lieu of a maintenance audit)."""
    extensions: dict[str, Any] = attrs.Factory(dict)
    """Fields a plugin adds, under its name (``{bc: {cycle_year: 2025}}``): each block is checked by the class the
    plugin registers, and an audit read from a file holds that class's instance here."""


# --------------------------------------------------------------------------- results


@frozen
class QuestionScore:
    """Points for one question and how they were reached."""

    id: str
    """Question id."""
    element: str
    """Element id."""
    status: str
    """``scored``, ``na`` (left the denominator), ``excluded`` (not in this program) or ``unanswered``
    (scored 0; validation rejects it, so only a library caller skipping validation sees it)."""
    earned: Fraction
    """Points earned (0 when not scored)."""
    available: Fraction
    """Points counted in the denominator (0 when not scored)."""
    method: str
    """Scoring method used."""
    explanation: str
    """One line: from the response to the points."""


@frozen
class ElementScore:
    """An element's total."""

    id: str
    """Element id."""
    title: str
    """Element title."""
    earned: Fraction
    """Points earned."""
    available: Fraction
    """Points available after N/A and exclusions."""
    questions: tuple[QuestionScore, ...]
    """Each question's score."""
    _percent: Fraction | None = field(init=False, repr=False, eq=False)

    @_percent.default
    def _exact_percent(self) -> Fraction | None:
        earned, available = self.earned, self.available
        if available == 0:
            return None
        if earned.denominator == 1 == available.denominator:  # whole points (most are): one normalisation
            return Fraction(100 * earned.numerator, available.numerator)
        return 100 * earned / available

    @property
    def percent(self) -> Fraction | None:
        """Exact percentage, or None when nothing in the element was scored."""
        return self._percent


@frozen
class AuditScore:
    """Scoring alone, before any rule decides the outcome."""

    standard: str
    """Standard id."""
    standard_version: str
    """Standard version."""
    program: str
    """Program scored."""
    elements: tuple[ElementScore, ...]
    """Each element's total."""

    earned: Fraction = field(init=False)
    """Points earned overall."""
    available: Fraction = field(init=False)
    """Points available overall."""

    @earned.default
    def _earned(self) -> Fraction:
        return exact_sum(e.earned for e in self.elements)

    @available.default
    def _available(self) -> Fraction:
        return exact_sum(e.available for e in self.elements)

    @property
    def percent(self) -> Fraction | None:
        """Exact overall percentage, or None when nothing was scored."""
        return None if self.available == 0 else 100 * self.earned / self.available


@frozen
class Outcome:
    """What the rules decide from a score: pass or not, which certificate, and why."""

    passed: bool
    """Whether the audit met every rule."""
    certificate: str | None
    """Certificate granted, or None."""
    reasons: tuple[Finding, ...]
    """Every check and its result, in the order decided."""
    certificate_months: int | None = None
    """Length of the certificate."""
    valid_until: dt.date | None = None
    """Expiry, counted from the audit date."""
    rule: str = ""
    """The rule id that decided."""
    plugin: str = ""
    """The plugin that decided."""
    program: str = ""
    """The program the certificate belongs to (COR, SECOR, Large COR...)."""
    strict: bool = False
    """Whether advisories were made decisive (``--strict``)."""

    @property
    def advisories(self) -> tuple[Finding, ...]:
        """Shortfalls against values the project cannot confirm: the audit passed subject to these."""
        return tuple(f for f in self.reasons if f.status == "advisory")


@frozen
class SamplePlan:
    """Minimum samples for an audit."""

    standard: str
    """Standard id."""
    workers: int
    """Workers counted."""
    sites: int | None
    """Sites, if given."""
    interviews_minimum: int | None
    """Minimum interviews, None when the partner decides."""
    sites_minimum: int | None
    """Minimum sites to visit."""
    questionnaires_maximum: int | None
    """Most worker interviews questionnaires may replace."""
    reasons: tuple[Finding, ...] = ()
    """Where each number comes from."""


@frozen
class EligibilityRequest:
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


@frozen
class Partner:
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


@frozen
class SizeBand:
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


@frozen
class CountingRule:
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


@frozen
class Note:
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


@frozen
class RecordsMinimum:
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


@frozen
class EligibilityVersion:
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


@frozen
class Equivalency:
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


@frozen
class Jurisdiction:
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


# --------------------------------------------------------------------------- audit-document mapping

FORMS = ("document", "record")
"""Evidence forms: a ``document`` is a written part of the system (policy, procedure, plan) judged by its
issue or review date; a ``record`` is dated proof the system runs (inspections, minutes), counted."""


@frozen
class EvidenceKind:
    """One kind of documentary evidence in the controlled vocabulary (the core's or a plugin's)."""

    id: str = field(validator=non_empty)
    """Short lower-case id used in ``expects`` and in evidence indexes, e.g. ``inspection-record``."""
    title: str = field(validator=non_empty)
    """Human name."""
    description: str = field(validator=non_empty)
    """One line: what counts as this kind."""
    form: str = field(default="document", validator=one_of(FORMS))
    """``document`` (judged by its issue or review date) or ``record`` (dated, counted)."""

    def __attrs_post_init__(self) -> None:
        if not all(c.islower() or c.isdigit() or c == "-" for c in self.id) or self.id.startswith("-"):
            raise FieldError("id", f"must be lower-case letters, digits and hyphens, not {self.id!r}")


@frozen
class Expectation:
    """One piece of evidence a question expects: a kind of document or record, roles to interview, or
    something to observe (exactly one of ``kind``, ``interview`` and ``observe``)."""

    kind: str | None = None
    """An evidence kind from the vocabulary (documents and records)."""
    interview: tuple[str, ...] = field(default=(), validator=known_roles)
    """Roles the auditor interviews (see ``corengine.evidence.ROLES``)."""
    observe: str = ""
    """What the auditor observes at the sites visited."""
    count: int = field(default=1, validator=positive)
    """For a kind: how many documents or records at least (within the window when one is set)."""
    within_months: int | None = field(default=None, validator=[positive, month_span])
    """For a kind: only evidence dated within this many months before the audit counts (a document's
    issue or review date, a record's date)."""
    months: int | None = field(default=None, validator=[positive, month_span])
    """For a record kind: records must span at least this many calendar months (within the window; the window
    is this many months when ``within_months`` is unset)."""
    about: str = ""
    """What the evidence must show, in a few words."""
    confidence: str | None = field(default=None, validator=attrs.validators.optional(one_of(CONFIDENCE)))
    """How well the numbers are sourced, when they come from a published rule; unset: the project's reading."""

    def __attrs_post_init__(self) -> None:
        given = [
            name
            for name, value in (("kind", self.kind), ("interview", self.interview), ("observe", self.observe))
            if value
        ]
        if len(given) != 1:
            raise FieldError(
                given[1] if len(given) > 1 else "kind",
                "give exactly one of kind, interview or observe" + (f", not {' and '.join(given)}" if given else ""),
            )
        if self.kind is None:
            for name in ("within_months", "months"):
                if getattr(self, name) is not None:
                    raise FieldError(name, "applies only to a kind of document or record")
            if self.count != 1:
                raise FieldError("count", "applies only to a kind of document or record")

    @property
    def window(self) -> int | None:
        """Months before the audit date in which evidence counts (None: any date up to the audit)."""
        return self.within_months if self.within_months is not None else self.months


@frozen
class ManualSection:
    """A section of the employer's health and safety manual (a written part of the system)."""

    id: str = field(validator=non_empty)
    """The employer's section number, e.g. ``"3.2"``."""
    title: str = field(validator=non_empty)
    """The section's title."""
    kinds: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Evidence kinds it provides (e.g. ``[policy]`` or ``[inspection-program, corrective-action-log]``)."""
    reviewed: dt.date | None = None
    """When it was issued, signed or last reviewed; unset means undated (never counts as current)."""
    note: str = ""
    """Anything a reader should know."""


@frozen
class RecordSet:
    """A set of dated records of one kind (e.g. 24 site inspections from September 2023 to August 2024)."""

    kind: str = field(validator=non_empty)
    """Evidence kind of the records."""
    title: str = field(validator=non_empty)
    """What they are, in the employer's words."""
    count: int = field(validator=positive)
    """How many records."""
    first: dt.date
    """Date of the oldest record."""
    last: dt.date
    """Date of the newest record."""
    note: str = ""
    """Anything a reader should know (gaps, sites covered)."""

    def __attrs_post_init__(self) -> None:
        if self.last < self.first:
            raise FieldError("last", f"must be on or after first ({self.first}), not {self.last}")


@frozen
class EvidenceIndex:
    """An employer's index of its manual and records, checked against an audit document by ``readiness``."""

    employer: str = field(validator=non_empty)
    """The employer's name."""
    standard: str | None = None
    """The audit document the index was prepared for (informational)."""
    program: str | None = None
    """The program the employer will be audited in (e.g. Small); defaults to the standard's first."""
    audit_date: dt.date | None = None
    """The planned audit date readiness is judged on (``--on`` overrides it; default today)."""
    manual: tuple[ManualSection, ...] = field(default=(), validator=unique_ids)
    """Manual sections, each with the kinds it provides and its review date."""
    records: tuple[RecordSet, ...] = ()
    """Record sets with kind, count and date range."""
    not_applicable: dict[str, str] = attrs.Factory(dict)
    """Questions that do not apply to the employer (only where the standard allows N/A), with the reason."""


@frozen
class LoadedAudit:
    """An audit with where it came from, so later problems can still name the file and line."""

    audit: Audit
    """The structured audit."""
    source: str
    """File name for messages."""
    lines: LineMap = attrs.Factory(dict)
    """Line of each path inside the file."""


@frozen
class Result:
    """Everything a score command shows: the audit, the standard used, the score and the outcome."""

    audit: Audit
    """The audit scored."""
    standard: ResolvedStandard
    """The standard with overlays applied."""
    score: AuditScore
    """Points per question, element and overall."""
    outcome: Outcome
    """Pass or fail, certificate and every reason."""


@frozen
class StandardSource:
    """Where a standard comes from: its file and the plugin that registered it."""

    id: str
    """The standard's id (the file's name without suffix)."""
    path: Path
    """The data file."""
    plugin: str
    """The registering plugin's name (``<file>`` for ``--standard-file``)."""


@frozen
class ResolvedStandard:
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
