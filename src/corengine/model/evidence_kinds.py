"""The controlled vocabulary of audit-document mapping: evidence kinds, interview roles and common themes.

Every question of a standard says what it ``expects`` in these words, so an employer's evidence index can be
checked against it (``corengine readiness``) and two provinces' documents can be compared
(``corengine crosswalk``). The core's lists are below. A plugin adds evidence kinds as data, in its standard
file (``evidence_kinds:``); they can be used in that standard and in every standard extending it. Roles and
themes are closed: the crosswalk works only because every province maps to the same themes.

An unknown kind in a standard, or a plugin kind whose id the core already has, is a load error naming the
file, the line and the path (:func:`check_standard`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from attrs import frozen

from corengine._io.loading import LineMap, PathKey, located, parse, read_text
from corengine._util.records import Record
from corengine.errors import InputError
from corengine.model.evidence import EvidenceKind
from corengine.model.standard import Standard
from corengine.model.themes import ROLES as ROLES
from corengine.model.themes import THEMES as THEMES


def _kind(ident: str, title: str, description: str, form: str = "document") -> EvidenceKind:
    return EvidenceKind(ident, title, description, form)


KINDS: tuple[EvidenceKind, ...] = (
    # ---- policy, leadership and administration (documents)
    _kind("policy", "Health and safety policy", "The written policy, signed and dated by the senior manager."),
    _kind(
        "violence-harassment-policy",
        "Violence and harassment policies",
        "Workplace violence and harassment policies, procedures and program.",
    ),
    _kind(
        "responsibilities",
        "Responsibilities and accountabilities",
        "Written health and safety duties for each level (job descriptions, manual section).",
    ),
    _kind("objectives", "Objectives and targets", "Written health and safety objectives, targets and their status."),
    _kind("resource-plan", "Resource plan", "Health and safety budget or resource plan."),
    _kind("company-rules", "Company safety rules", "The written company safety rules."),
    _kind(
        "discipline-procedure",
        "Enforcement and discipline procedure",
        "The written enforcement or progressive discipline process.",
    ),
    _kind("document-control", "Document control", "Document control procedure and master list of current versions."),
    _kind("records-procedure", "Records procedure", "How records are kept, retrieved, protected and retained."),
    _kind("legislation-copies", "Legislation copies", "Current copies of the applicable Act, regulations and code."),
    _kind("legal-register", "Legal register", "Register of the legal requirements that apply, with its review."),
    _kind("change-procedure", "Management of change", "Management-of-change procedure."),
    # ---- hazards (documents)
    _kind(
        "hazard-assessment",
        "Formal hazard assessment",
        "Inventory of jobs and tasks with their hazards, risk ratings and controls.",
    ),
    _kind(
        "hazard-assessment-procedure",
        "Hazard assessment procedure",
        "How hazards are identified and rated, who takes part, and when assessments are reviewed.",
    ),
    _kind(
        "flha-procedure",
        "Field-level hazard assessment procedure",
        "Procedure and form for site-specific or field-level hazard assessments.",
    ),
    _kind(
        "violence-risk-assessment",
        "Violence risk assessment",
        "Assessment of the risk of workplace violence for the work and the workplace.",
    ),
    _kind("safe-work-practices", "Safe work practices", "Written safe work practices for hazardous work."),
    _kind(
        "safe-job-procedures",
        "Safe job procedures",
        "Step-by-step written procedures for critical or high-risk tasks.",
    ),
    _kind(
        "ppe-program", "PPE requirements", "Personal protective equipment required by task, with selection and care."
    ),
    _kind(
        "hazardous-products",
        "Hazardous products inventory",
        "WHMIS product inventory with current safety data sheets.",
    ),
    _kind("working-alone-procedure", "Working alone procedure", "Working-alone hazard assessment and procedure."),
    _kind("fall-protection-plan", "Fall protection plan", "Fall protection plans for work at height."),
    _kind(
        "maintenance-program",
        "Preventive maintenance program",
        "Inventory of equipment, tools and vehicles with inspection and service schedules.",
    ),
    # ---- inspections, training, emergencies, incidents, committees, contractors (documents)
    _kind(
        "inspection-program",
        "Inspection program",
        "Inspection procedure: schedule, who inspects, checklists and follow-up.",
    ),
    _kind("training-matrix", "Training matrix", "Training required for each position or occupation."),
    _kind("orientation-program", "Orientation program", "The orientation checklist and its content."),
    _kind("emergency-response-plan", "Emergency response plan", "Emergency response plans, corporate and site."),
    _kind(
        "first-aid-assessment", "First aid assessment", "First aid assessment: attendants, kits and facilities needed."
    ),
    _kind(
        "incident-procedure",
        "Incident procedure",
        "Incident reporting and investigation procedure and forms, including legal notifications.",
    ),
    _kind("work-refusal-procedure", "Work refusal procedure", "How workers report hazards and refuse unsafe work."),
    _kind(
        "committee-terms",
        "Committee terms of reference",
        "Terms of reference or written duties of the committee or representative.",
    ),
    _kind(
        "committee-roster",
        "Committee membership",
        "Current committee membership or representative designation, and how members were selected.",
    ),
    _kind(
        "contractor-procedure",
        "Contractor procedure",
        "Contractor prequalification, orientation, monitoring and prime-contractor coordination.",
    ),
    _kind("visitor-procedure", "Visitor and public protection", "Procedure protecting visitors and the public."),
    _kind(
        "purchasing-procedure",
        "Purchasing procedure",
        "Health and safety criteria applied before buying goods or services.",
    ),
    # ---- records (dated, counted)
    _kind(
        "management-review",
        "Management review",
        "Minutes or report of senior management's review of the system, with actions.",
        "record",
    ),
    _kind(
        "acknowledgement",
        "Signed acknowledgements",
        "Signed acknowledgements of the policy, responsibilities or rules.",
        "record",
    ),
    _kind(
        "performance-review",
        "Performance reviews",
        "Performance reviews with a health and safety component.",
        "record",
    ),
    _kind("discipline-record", "Enforcement records", "Records of rules enforced and discipline applied.", "record"),
    _kind(
        "flha",
        "Field-level hazard assessments",
        "Completed site-specific or field-level hazard assessment forms.",
        "record",
    ),
    _kind("inspection-record", "Inspection records", "Planned workplace inspection reports.", "record"),
    _kind(
        "corrective-action-log",
        "Corrective action log",
        "Tracked corrective actions (owner, due date, closure) from hazards, inspections and incidents.",
        "record",
    ),
    _kind(
        "pre-use-inspection",
        "Pre-use inspections",
        "Equipment and vehicle pre-use inspection checklists.",
        "record",
    ),
    _kind("maintenance-log", "Maintenance log", "Maintenance and repair records for equipment and vehicles.", "record"),
    _kind(
        "ppe-record",
        "PPE records",
        "PPE issue, inspection, replacement and respirator fit-test records.",
        "record",
    ),
    _kind("training-record", "Training records", "Training records and certificates (tickets).", "record"),
    _kind("orientation-record", "Orientation records", "Signed orientation checklists for new workers.", "record"),
    _kind(
        "competency-record",
        "Competency records",
        "Practical evaluations or sign-offs of a worker's competence.",
        "record",
    ),
    _kind(
        "first-aid-record",
        "First aid records",
        "First aid certificates and first aid kit inspections.",
        "record",
    ),
    _kind(
        "safety-meeting-record",
        "Safety meeting records",
        "Safety meeting or toolbox talk minutes with attendance.",
        "record",
    ),
    _kind("drill-record", "Emergency drill records", "Emergency drill reports and evaluations.", "record"),
    _kind(
        "incident-report",
        "Incident reports",
        "Incident and near-miss reports and investigations with corrective actions.",
        "record",
    ),
    _kind(
        "regulator-notification",
        "Notifications to regulators",
        "Reports made to the OHS regulator and the workers' compensation board.",
        "record",
    ),
    _kind(
        "statistics",
        "Statistics",
        "Injury and incident statistics, leading indicators and trend analyses.",
        "record",
    ),
    _kind(
        "committee-minutes",
        "Committee minutes",
        "Committee meeting minutes or the representative's activity notes, with the employer's responses.",
        "record",
    ),
    _kind(
        "hazard-report", "Hazard and concern reports", "Workers' hazard and concern reports with responses.", "record"
    ),
    _kind(
        "contractor-prequalification",
        "Contractor prequalification files",
        "Contractors' safety credentials checked before hire (clearance, COR or SECOR, statistics).",
        "record",
    ),
    _kind(
        "contractor-monitoring",
        "Contractor orientation and monitoring",
        "Contractor orientations, monitoring, evaluations and coordination meetings.",
        "record",
    ),
    _kind("visitor-log", "Visitor logs", "Visitor sign-in and briefing records.", "record"),
    _kind("check-in-log", "Check-in logs", "Working-alone check-in records.", "record"),
    _kind(
        "change-record",
        "Change records",
        "Records of changes assessed under the management-of-change procedure.",
        "record",
    ),
)
"""The core's evidence kinds; a plugin adds more in its standard's ``evidence_kinds``."""


@frozen(repr=False, eq=False)
class Vocabulary(Record):
    """The evidence kinds a standard can use: the core's plus those its plugin data adds."""

    kinds: Mapping[str, EvidenceKind]
    """Kinds by id, the core's first."""
    added: frozenset[str] = frozenset()
    """Ids added by plugin data."""

    def get(self, ident: str) -> EvidenceKind | None:
        return self.kinds.get(ident)

    def suggest(self, ident: str) -> str:
        import difflib

        close = difflib.get_close_matches(ident, list(self.kinds), n=1)
        return f"did you mean {close[0]!r}? " if close else ""

    def unknown(self, ident: str) -> str:
        return (
            f"unknown evidence kind {ident!r} ({self.suggest(ident)}`corengine map STANDARD --vocabulary` lists them)"
        )


CORE = {kind.id: kind for kind in KINDS}


def vocabulary(standard: Standard) -> Vocabulary:
    """The vocabulary of a resolved standard (its ``evidence_kinds`` include those of the standards it extends)."""
    kinds = dict(CORE)
    kinds.update({kind.id: kind for kind in standard.evidence_kinds if kind.id not in CORE})
    return Vocabulary(kinds, frozenset(k.id for k in standard.evidence_kinds))


def standard_problems(standard: Standard, inherited: tuple[EvidenceKind, ...] = ()) -> Iterator[tuple[PathKey, str]]:
    """Unknown kinds, kinds that clash with the core, and window fields on document kinds, by path."""
    known = {**CORE, **{k.id: k for k in inherited}}
    for index, kind in enumerate(standard.evidence_kinds):
        if kind.id in CORE:
            yield ("evidence_kinds", index, "id"), f"{kind.id!r} is already a core evidence kind; use it as it is"
        elif kind.id in known:
            yield ("evidence_kinds", index, "id"), f"{kind.id!r} is already declared by a standard this one extends"
        known[kind.id] = kind
    for e, element in enumerate(standard.elements):
        for q, question in enumerate(element.questions):
            for x, expectation in enumerate(question.expects):
                if expectation.kind is None:
                    continue
                path: PathKey = ("elements", e, "questions", q, "expects", x)
                found = known.get(expectation.kind)
                if found is None:
                    yield (*path, "kind"), Vocabulary(known).unknown(expectation.kind)
                elif found.form == "document" and expectation.months is not None:
                    yield (*path, "months"), f"applies only to record kinds; {found.id!r} is a document"


def check_standard(standard: Standard, source: str, inherited: tuple[EvidenceKind, ...] = ()) -> None:
    """Raise :class:`InputError` naming file, line and path for every vocabulary problem of one standard file.

    The file is parsed again for line numbers only when there is a problem.
    """
    found = list(standard_problems(standard, inherited))
    if not found:
        return
    lines: LineMap = {}
    try:
        text, name = read_text(source)
        _, lines = parse(text, name)
    except InputError:  # pragma: no cover - the file was just loaded
        pass
    raise InputError([located(source, lines, path, message) for path, message in found])


def themes_of(element_themes: tuple[str, ...], question_themes: tuple[str, ...]) -> tuple[str, ...]:
    """A question's themes: its own when it names any, else its element's."""
    return question_themes or element_themes


__all__ = ["CORE", "KINDS", "ROLES", "THEMES", "Vocabulary", "check_standard", "standard_problems", "vocabulary"]
