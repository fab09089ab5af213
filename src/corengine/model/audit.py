"""The audit as an auditor fills it: the employer, the auditor, the audit history and every response."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from corengine._util.records import Record
from corengine.model.converter import register_fast_hook
from corengine.model.findings import Finding as Finding
from corengine.model.findings import Quantity as Quantity
from corengine.model.sharing import READING as READING
from corengine.model.sharing import Responses as Responses
from corengine.model.validators import FieldError as FieldError
from corengine.model.validators import (
    calendar_year,
    interview_levels,
    non_empty,
    non_negative,
    one_of,
    percent_range,
)
from corengine.model.vocabulary import AUDITOR_KINDS, METHODS

if TYPE_CHECKING:
    from corengine._io.loading import LineMap


@frozen(repr=False, eq=False)
class Tally(Record):
    """A count of positive results out of a total (interviews, observations or documents)."""

    positive: int = field(validator=non_negative)
    """How many were positive."""
    total: int = field(validator=non_negative)
    """How many were taken."""

    def __attrs_post_init__(self) -> None:
        if self.positive > self.total:
            raise FieldError("positive", f"must be <= total ({self.total}), not {self.positive}")


@frozen(repr=False, eq=False)
class Response(Record):
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
"""Whole numbers the converter reads (:data:`corengine.model.converter.MAX_WHOLE_DIGITS` digits)."""


_NA_SHARED = 200
"""The longest N/A reason shared as one response object (longer ones are each their own: a table of long free
text would cost memory)."""


def _build(key: tuple[str, Any, int]) -> Response:
    kind, first, second = key
    if kind == "na":
        return Response(na=first)
    if kind == "points":
        return Response(points=Fraction(first))
    if kind == "interviews":
        return Response(interviews=Tally(first, second))
    if kind == "observations":
        return Response(observations=Tally(first, second))
    return Response(documents=Tally(first, second))


def _fast_response(value: Any) -> Response | None:
    """The common answers, ``{points: N}`` (a whole number), ``{TALLY: {positive, total}}`` and ``{na: REASON}``
    (a short reason), as the converter would structure them (the classes' own validators run the first time an answer is met); None for
    anything else (the generated hook takes it)."""
    if type(value) is not dict or len(value) != 1:
        return None
    for kind, inner in value.items():
        if kind == "points":
            if type(inner) is not int or not -_WHOLE_LIMIT < inner < _WHOLE_LIMIT:
                return None
            key: tuple[str, Any, int] = ("points", inner, 0)
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
        elif kind == "na":
            if type(inner) is not str or len(inner) > _NA_SHARED or not inner.strip():
                return None
            key = ("na", inner, 0)
        else:
            return None
        table = READING.get()
        return _build(key) if table is None else table.get(key)
    return None  # pragma: no cover - a dict of length 1 has one item


_TALLIES = frozenset(("interviews", "observations", "documents"))


def _fast_responses(value: dict[Any, Any], other: Callable[[Any], Response]) -> dict[str, Response] | None:
    """``{id: answer}`` as :func:`_fast_response` reads each answer, in one loop (an audit has hundreds): each
    common answer looked up in the reading Engine's table, any other through ``other`` (the generated hook);
    None where a key is not plain text (the generic hook then reads the mapping, naming the key)."""
    table = READING.get()
    common = table.common if table is not None else None
    found: dict[str, Response] = {}
    for key, item in value.items():
        if type(key) is not str or not key.isascii():
            return None
        if common is not None and type(item) is dict and len(item) == 1:
            # the shapes of _fast_response, inline: the table's key, else the answer is read one by one below
            answer = None
            for kind, inner in item.items():
                if type(inner) is int:  # not True or 8.0, which equal 1 and 8
                    if kind == "points":
                        answer = common.get(("points", inner, 0))
                elif type(inner) is dict and len(inner) == 2 and kind in _TALLIES:
                    positive, total = inner.get("positive"), inner.get("total")
                    if type(positive) is int and type(total) is int:
                        answer = common.get((kind, positive, total))
            if answer is not None:
                found[key] = answer
                continue
        one = _fast_response(item)
        found[key] = one if one is not None else other(item)
    return found


register_fast_hook(Response, _fast_response, _fast_responses)


@frozen(repr=False, eq=False)
class Employer(Record):
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


@frozen(repr=False, eq=False)
class Auditor(Record):
    """Who conducted the audit."""

    name: str = field(validator=non_empty)
    """Full name."""
    kind: str = field(validator=one_of(AUDITOR_KINDS))
    """external, internal, candidate or self-assessor."""
    certificate: str | None = None
    """The auditor's certification number."""
    built_system: bool = False
    """Whether the auditor helped build the system being audited (disqualifying in some provinces)."""


@frozen(repr=False, eq=False)
class AuditHistory(Record):
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


@frozen(repr=False, eq=False)
class Audit(Record):
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
    prerequisites: dict[str, dt.date] = attrs.Factory(dict)
    """The dates the facts the standard's ``prerequisites`` name happened (``{checklist_approved: 2025-03-03,
    registered: 2024-01-15}``): a prerequisite the audit does not record is a finding, never silence."""
    extensions: dict[str, Any] = attrs.Factory(dict)
    """Fields a plugin adds, under its name (``{bc: {cycle_year: 2025}}``): each block is checked by the class the
    plugin registers, and an audit read from a file holds that class's instance here."""


# --------------------------------------------------------------------------- results


@frozen(repr=False, eq=False)
class LoadedAudit(Record):
    """An audit with where it came from, so later problems can still name the file and line."""

    audit: Audit
    """The structured audit."""
    source: str
    """File name for messages."""
    lines: LineMap = attrs.Factory(dict)
    """Line of each path inside the file."""
    notes: tuple[Finding, ...] = ()
    """``info`` findings about how the file was read (a formula cell's saved value used); scoring adds them to
    the outcome's reasons."""
