"""The published JSON documents as attrs classes: the converter writes them and the schema generator reads them,
so ``schemas/result.schema.json`` and ``corengine score --format json`` (and ``schemas/plan.schema.json`` and
``corengine plan --format json``) cannot drift apart.

Exact values travel as text (``"803"``, ``"1606/3"``); ``percent`` fields are rounded for display only and no
threshold ever compares them. A finding's typed values travel as :class:`~corengine.model.findings.Quantity`.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Literal

from attrs import frozen

from corengine._rules.scoring import display_percent
from corengine._util.lazy import lazy_names
from corengine._util.records import Record
from corengine.model import Outcome, Result
from corengine.model.findings import Finding, Status

RESULT_FORMAT: Literal["corengine.result/2"] = "corengine.result/2"
"""Name and major version of the score result's shape."""
SCHEMA_VERSION = "2.0"
"""Version of ``schemas/result.schema.json``: the major part changes when a field changes meaning or goes."""


_HOMES = {
    "PlanAction": ("corengine._views.plan", "PlanAction"),
    "PathToPassDocument": ("corengine._views.plan", "PathToPassDocument"),
    "PlanDocument": ("corengine._views.plan", "PlanDocument"),
}
"""The action plan's documents, defined in :mod:`corengine._views.plan` beside the function that builds them and
imported on first use: ``score`` and ``explain`` do not build them (nor import the action plan)."""

__getattr__, __dir__ = lazy_names(__name__, _HOMES, globals())


def exact(value: Fraction) -> str:
    """An exact value as text: ``803`` or ``1606/3``."""
    return str(value)


@frozen(repr=False, eq=False)
class StandardRef(Record):
    """The standard that scored the audit."""

    id: str
    """Standard id."""
    version: str
    """Standard version."""
    plugin: str
    """Plugin that provides it."""
    extends: tuple[str, ...]
    """Standards it extends, nearest first."""


@frozen(repr=False, eq=False)
class AuditRef(Record):
    """The audit scored, as far as a result needs to name it."""

    type: str
    """Audit type."""
    program: str
    """Program scored."""
    date: dt.date
    """Audit date (the rules in force on it decided)."""
    employer: str
    """Employer's name."""
    auditor: str
    """Auditor's name."""
    auditor_kind: str
    """external, internal, candidate or self-assessor."""
    methods_used: tuple[str, ...]
    """Verification methods used (D, I, O)."""


@frozen(repr=False, eq=False)
class Totals(Record):
    """Points overall."""

    earned: str
    """Points earned, exact."""
    available: str
    """Points available after N/A and exclusions, exact."""
    percent: float | None
    """Percentage rounded half up to 2 places, for display only."""
    percent_exact: str | None
    """The exact percentage."""


@frozen(repr=False, eq=False)
class QuestionResult(Record):
    """One question's score."""

    __corengine_omit_defaults__ = True

    id: str
    """Question id in the partner's numbering."""
    status: Literal["scored", "na", "excluded", "unanswered"]
    """How the question counted."""
    earned: str
    """Points earned, exact."""
    available: str
    """Points available, exact."""
    method: str
    """Scoring method."""
    explanation: str
    """How the points were reached."""
    counted: bool = True
    """False where a score rule leaves the question out of its element's totals (written only then)."""


@frozen(repr=False, eq=False)
class ElementResult(Record):
    """One element's score and its minimum."""

    __corengine_omit_defaults__ = True

    id: str
    """Element id."""
    title: str
    """Element title."""
    earned: str
    """Points earned, exact."""
    available: str
    """Points available, exact."""
    percent: float | None
    """Percentage rounded half up to 2 places, for display only."""
    percent_exact: str | None
    """The exact percentage."""
    minimum: float | None
    """The element minimum applied, in percent, for display."""
    passed: bool | None
    """Whether the element met its minimum; None when not judged or only advisory."""
    status: Status | None
    """The element-minimum check's status; None when no minimum applies."""
    questions: tuple[QuestionResult, ...]
    """Each question's score."""
    counted: bool = True
    """False where a score rule leaves the element out of the overall totals and minimums (written only then)."""


@frozen(repr=False, eq=False)
class OutcomeResult(Record):
    """The decision, kept apart from the score."""

    passed: bool
    """Whether the audit met every decisive rule (advisories do not fail it unless strict)."""
    certificate: str | None
    """Certificate granted, or None."""
    certificate_months: int | None
    """Length of the certificate."""
    valid_until: dt.date | None
    """Expiry."""
    program: str
    """Program of the certificate."""
    rule: str
    """Rule id that decided."""
    plugin: str
    """Plugin that decided."""
    strict: bool
    """Whether advisories were made decisive."""
    advisories: int
    """Findings with status advisory."""
    reasons: tuple[Finding, ...]
    """Every verdict, in the order decided."""


@frozen(repr=False, eq=False)
class ResultDocument(Record):
    """``corengine score --format json``: what was scored, the score, and the decision with every reason."""

    format: Literal["corengine.result/2"]
    """Name and major version of this shape."""
    schema_version: str
    """Version of the schema that describes it."""
    standard: StandardRef
    """The standard used."""
    audit: AuditRef
    """The audit scored."""
    overall: Totals
    """Points overall."""
    elements: tuple[ElementResult, ...]
    """Each element."""
    outcome: OutcomeResult
    """The decision."""


def element_minimum(result: Result, element_id: str) -> tuple[Fraction | None, Status | None]:
    """The element minimum applied (a percentage) and the status of its check (None: not judged)."""
    for finding in result.outcome.reasons:
        required = finding.required
        if (
            finding.subject_kind == "element"
            and finding.subject == element_id
            and required is not None
            and required.unit == "%"
            and required.number is not None
        ):
            return required.number, finding.status
    return None, None


def overall_minimum(result: Result) -> tuple[Fraction | None, Status | None]:
    """The overall minimum the outcome judged (a percentage) and the status of its check (None, None: not
    judged), read from the check's typed fields."""
    check = f"{result.outcome.rule}.overall_minimum"
    for finding in result.outcome.reasons:
        required = finding.required
        if finding.check == check and required is not None and required.unit == "%" and required.number is not None:
            return required.number, finding.status
    return None, None


def outcome_result(outcome: Outcome) -> OutcomeResult:
    """The outcome as published."""
    return OutcomeResult(
        passed=outcome.passed,
        certificate=outcome.certificate,
        certificate_months=outcome.certificate_months,
        valid_until=outcome.valid_until,
        program=outcome.program,
        rule=outcome.rule,
        plugin=outcome.plugin,
        strict=outcome.strict,
        advisories=len(outcome.advisories),
        reasons=outcome.reasons,
    )


def result_document(result: Result) -> ResultDocument:
    """The score result in its published shape."""
    score, audit = result.score, result.audit
    elements = []
    for element in score.elements:
        minimum, status = element_minimum(result, element.id)
        elements.append(
            ElementResult(
                id=element.id,
                title=element.title,
                earned=exact(element.earned),
                available=exact(element.available),
                percent=display_percent(element.percent),
                percent_exact=None if element.percent is None else exact(element.percent),
                minimum=None if minimum is None else float(minimum),
                passed=None if status not in ("pass", "fail") else status == "pass",
                status=status,
                questions=tuple(
                    QuestionResult(
                        id=q.id,
                        status=q.status,  # type: ignore[arg-type]
                        earned=exact(q.earned),
                        available=exact(q.available),
                        method=q.method,
                        explanation=q.explanation,
                        counted=q.counted,
                    )
                    for q in element.questions
                ),
                counted=element.counted,
            )
        )
    return ResultDocument(
        format=RESULT_FORMAT,
        schema_version=SCHEMA_VERSION,
        standard=StandardRef(
            id=score.standard,
            version=score.standard_version,
            plugin=result.standard.source.plugin,
            extends=tuple(result.standard.chain[1:]),
        ),
        audit=AuditRef(
            type=audit.audit_type,
            program=score.program,
            date=audit.audit_date,
            employer=audit.employer.name,
            auditor=audit.auditor.name,
            auditor_kind=audit.auditor.kind,
            methods_used=audit.methods_used,
        ),
        overall=Totals(
            earned=exact(score.earned),
            available=exact(score.available),
            percent=display_percent(score.percent),
            percent_exact=None if score.percent is None else exact(score.percent),
        ),
        elements=tuple(elements),
        outcome=outcome_result(result.outcome),
    )
