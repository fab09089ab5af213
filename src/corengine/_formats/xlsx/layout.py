"""What the audit workbook holds and where: the Audit sheet's fields, the Responses sheet's columns, and how
exact numbers and a question's scoring are written in cells. The writer and the reader share it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from attrs import frozen

from corengine._io.loading import MAX_BYTES, PathKey
from corengine.model import Standard
from corengine.model.extensions import AuditExtension, ExtensionField, extension_fields

MAX_UNPACKED = 10 * MAX_BYTES
"""Largest total size of a workbook's unpacked parts: a real workbook unpacks to well under 1 MiB."""

FIXED_TIME = dt.datetime(2000, 1, 1)
"""Created and modified time written into every workbook, so the same standard gives the same bytes."""

ZIP_TIME = (1980, 1, 1, 0, 0, 0)

INSTRUCTIONS, AUDIT, RESPONSES = "Instructions", "Audit", "Responses"
TALLIES = ("interviews", "observations", "documents")

# --------------------------------------------------------------------------- layout


def _date_help(text: str) -> str:
    return f"{text} (YYYY-MM-DD)"


AUDIT_FIELDS: tuple[tuple[str, str, str], ...] = (
    # key, kind, what to write
    ("standard", "text", "The standard audited against (do not change)."),
    ("standard_version", "text", "The standard's version this workbook was made for (do not change)."),
    ("program", "text", "The program audited (do not change: the questions listed depend on it)."),
    ("audit_type", "text", "certification, recertification, maintenance, internal, external, ..."),
    ("audit_date", "date", _date_help("Last day of on-site work: the rules in force on it apply")),
    ("start_date", "date", _date_help("Optional: first day of data gathering")),
    ("report_date", "date", _date_help("Optional: when the report was submitted")),
    ("notice_date", "date", _date_help("Optional: when the partner was notified of the audit")),
    ("methods_used", "methods", "Verification methods used: D documentation, I interviews, O observation."),
    ("interviews_conducted", "int", "Optional: interviews done (compared with the sampling minimum)."),
    ("sites_visited", "int", "Optional: sites visited (defaults to the number of worksites visited)."),
    ("worksites_visited", "list", "Optional: names from employer.worksites, separated by semicolons."),
    ("classification_units_covered", "list", "Optional: names from employer.classification_units."),
    ("employer.name", "text", "Legal or trade name."),
    ("employer.workers", "int", "Workers, management included, counted by the partner's rule."),
    ("employer.fte", "number", "Optional: full-time equivalents, where programs size by FTE."),
    ("employer.payroll_hours", "int", "Optional: annual payroll hours (FTE is derived from them)."),
    ("employer.sites", "int", "Work sites."),
    ("employer.active_sites", "int", "Optional: sites active at audit time (0: an administrative audit)."),
    ("employer.records_months", "int", "Months of health and safety system records."),
    ("employer.account", "text", "Optional: workers' compensation account number."),
    ("employer.industry", "text", "Optional: industry or rate code."),
    ("employer.worksites", "list", "Optional: every worksite's name, separated by semicolons."),
    ("employer.classification_units", "list", "Optional: classification units, separated by semicolons."),
    ("auditor.name", "text", "Full name."),
    ("auditor.kind", "text", "external, internal, candidate or self-assessor."),
    ("auditor.certificate", "text", "Optional: the auditor's certification number."),
    ("auditor.built_system", "bool", "Optional: yes if the auditor helped build the system audited."),
    ("notes", "text", "Optional: free text for the report."),
    ("cycle_year", "int", "Optional: the calendar year the audit counts for (one audit per calendar year, BC)."),
    ("interviews_by_level", "levels", "Optional: interviews by level, e.g. managers=3; supervisors=4; workers=13."),
    ("questionnaires", "int", "Optional: worker questionnaires used in place of worker interviews."),
)
"""One row per field of the Audit sheet, from row 2, in this order; the key is the data path."""

ADDED_FIELDS = ("cycle_year", "interviews_by_level", "questionnaires")
"""Rows added at the end after workbooks were in use: a workbook made before them ends early, and that is fine."""

FIELD_PATHS: dict[str, PathKey] = {"cycle_year": ("extensions", "bc", "cycle_year")}
"""Rows whose value lives elsewhere in the audit than their label says: the ``cycle_year`` row (kept where it was,
so workbooks already in use still read) fills BC's extension field ``extensions.bc.cycle_year``."""

EXTENSION_PREFIX = "extensions."
"""How an extension field's row is labelled: ``extensions.NAME.FIELD``, its data path."""


def extension_rows(extensions: Mapping[str, AuditExtension] | None) -> tuple[ExtensionField, ...]:
    """The Audit sheet's rows for the registered audit extensions, below :data:`AUDIT_FIELDS`: every field of every
    extension, extensions by name, fields in their class's order; a field that already has a row of its own
    (:data:`FIELD_PATHS`: BC's ``cycle_year``) keeps that row and gets no second one."""
    placed = set(FIELD_PATHS.values())
    return tuple(
        item
        for name in sorted(extensions or {})
        for item in extension_fields((extensions or {})[name])
        if item.path not in placed
    )


PREREQUISITE_PREFIX = "prerequisites."
"""How a prerequisite's row is labelled: ``prerequisites.ID``, its data path (its value: the date it happened)."""
PREREQUISITE_ROWS = 20
"""The most prerequisite rows the Audit sheet may hold below the extensions' (the reader's bound)."""


@frozen
class PrerequisiteRow(ExtensionField):
    """A prerequisite of the standard as a row of the Audit sheet: ``prerequisites.ID``, a date."""

    @property
    def key(self) -> str:
        return f"{PREREQUISITE_PREFIX}{self.name}"

    @property
    def path(self) -> PathKey:
        return ("prerequisites", self.name)


def prerequisite_rows(standard: Standard, program: str) -> tuple[PrerequisiteRow, ...]:
    """The Audit sheet's rows for the facts ``standard`` requires before an audit of ``program`` starts, one per
    prerequisite id, below the extensions' rows."""
    rules = {p.id: p for p in standard.prerequisites if not p.programs or program in p.programs}
    return tuple(
        PrerequisiteRow("", ident, "date", help=f"{rule.text} ({rule.confidence})", required=True)
        for ident, rule in rules.items()
    )[:PREREQUISITE_ROWS]


AUDIT_HEADERS = ("Field", "Value", "What to write")
LOCKED_FIELDS = {"standard", "standard_version", "program"}

RESPONSE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Question", 10),
    ("Text", 60),
    ("Max points", 9),
    ("Methods", 9),
    ("Scoring", 36),
    ("Guidance and evidence", 50),
    ("Points", 9),
    ("Tally", 13),
    ("Positive", 9),
    ("Total", 9),
    ("N/A reason", 30),
    ("Note", 40),
)
"""The Responses sheet's columns (header in row 1) and their widths."""

(COL_ID, COL_TEXT, COL_MAX, COL_METHODS, COL_SCORING, COL_GUIDANCE) = ("A", "B", "C", "D", "E", "F")
(COL_POINTS, COL_TALLY, COL_POSITIVE, COL_TOTAL, COL_NA, COL_NOTE) = ("G", "H", "I", "J", "K", "L")
ELEMENT_PREFIX = "Element "

COLUMN_HELP = {
    "Question": "the question's number in the partner's document (do not change)",
    "Text": "what the auditor checks",
    "Max points": "the most points the question can earn",
    "Methods": "how it is verified: D documentation, I interviews, O observation",
    "Scoring": "how the answer becomes points; MANDATORY questions need full marks where the rules say so",
    "Guidance and evidence": "how to score it and what evidence to look for",
    "Points": "for questions the auditor scores: the points awarded (0 to the maximum, or one of the steps listed)",
    "Tally": "for questions scored from tallies: which tally the Positive and Total columns count",
    "Positive": "for tally questions: how many interviews, observations or documents were positive",
    "Total": "for tally questions: how many were taken (more than 0)",
    "N/A reason": "only where the Scoring column says N/A allowed: why the question does not apply",
    "Note": "optional: the auditor's note, shown in reports and action plans",
}
