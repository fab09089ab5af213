"""The audit workbook as a spreadsheet: an ``.xlsx`` an auditor fills in, read back as plain audit data.

:func:`write_workbook` makes a blank workbook for one standard and program: an *Instructions* sheet, an
*Audit* sheet (one field per row: key, value, what to write) and a *Responses* sheet (one row per question,
grouped by element, with reference columns and answer columns). Structural cells are locked and the sheets
protected without a password; answer cells are open and carry data validation. The same standard and
program always give the same bytes.

:func:`read_workbook` turns a filled workbook back into exactly the plain data a YAML workbook gives, plus a
map from data paths to cells (``Responses!G12``), so the converter and every validation report problems at
the cell. A workbook whose structure was damaged is refused with the sheet and cell named.

Workbooks are read in streaming mode (:class:`Book`), each sheet only as far as a workbook can reach: the Audit
sheet its field rows, the Responses sheet the rows of its standard (or :data:`MAX_ROWS`), each with some slack.
A value beyond, at row 1,048,576 or column XFD say, refuses the workbook at once with one problem naming the
cell; nothing else is read and memory stays small.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree.ElementTree import ParseError

from corengine._formats.yaml_workbook import scoring_summary
from corengine._io.loading import MAX_BYTES, Early, LineMap, PathKey, check_size, format_path, read_bytes
from corengine._rules.scoring import ScoringMethod, answer_form, applies
from corengine._util.escaping import set_cell, xml_text
from corengine.errors import CorengineError, InputError, problem
from corengine.model import AUDIT_TYPES, AUDITOR_KINDS, Question, Standard

MAX_UNPACKED = 10 * MAX_BYTES
"""Largest total size of a workbook's unpacked parts: a real workbook unpacks to well under 1 MiB."""

FIXED_TIME = dt.datetime(2000, 1, 1)
"""Created and modified time written into every workbook, so the same standard gives the same bytes."""

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

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

AUDIT_HEADERS = ("Field", "Value", "What to write")
_LOCKED_FIELDS = {"standard", "standard_version", "program"}

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

_COLUMN_HELP = {
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

# --------------------------------------------------------------------------- numbers and text


def _exact(value: Fraction) -> int | float | str:
    """A cell value for an exact number: an integer, a decimal that is exact as a float, else ``"p/q"``."""
    if value.denominator == 1:
        return int(value)
    as_float = float(value)
    if Fraction(repr(as_float)) == value:
        return as_float
    return str(value)


def _number_text(value: Fraction) -> str:
    return str(_exact(value))


def _default_tally(question: Question) -> str:
    """The tally named in the Tally column: the question's own, else the first its methods suggest."""
    if question.scoring.tally:
        return question.scoring.tally
    by_method = {"I": "interviews", "O": "observations", "D": "documents"}
    kinds = [by_method[m] for m in ("I", "O", "D") if m in question.methods]
    return kinds[0] if kinds else "interviews"


def _scoring_text(question: Question, methods: Mapping[str, ScoringMethod] | None = None) -> str:
    scoring = question.scoring
    parts = [scoring_summary(question, methods)]
    form = answer_form(question, methods)
    if form == "points":
        if scoring.steps:
            parts.append("points: one of " + ", ".join(_number_text(s) for s in scoring.steps))
        else:
            parts.append(f"points: 0 to {_number_text(question.points)}")
    elif form == "tally":
        parts.append(f"tally: {scoring.tally}" if scoring.tally else "tally: any (add several together)")
    else:
        parts.append("points, or a tally")
    if question.na_allowed:
        parts.append("N/A allowed")
    if question.mandatory:
        parts.append("MANDATORY")
    return "; ".join(parts)


def _guidance_text(question: Question) -> str:
    lines = [question.guidance] if question.guidance else []
    lines += [f"Evidence: {item}" for item in question.evidence]
    return "\n".join(lines)


# --------------------------------------------------------------------------- writing


def _instructions(standard: Standard, program: str) -> list[tuple[str, str]]:
    """The Instructions sheet as (style, text) lines."""
    lines = [
        ("title", f"Audit workbook: {standard.title}"),
        ("plain", f"Standard {standard.id} version {standard.version}, program {program}."),
    ]
    if standard.reference_document:
        lines.append(
            (
                "plain",
                "Question wording is corengine's reference text, not the partner's official document: "
                "read it with the partner's document at hand.",
            )
        )
    lines += [
        ("plain", ""),
        ("heading", "How to fill it in"),
        ("plain", "1. Audit sheet: fill in the Value column (B). Dates as YYYY-MM-DD; lists separated by semicolons."),
        ("plain", "2. Responses sheet: answer every question row in the white cells, in exactly one form:"),
        ("plain", "     - questions the auditor scores: Points (0 to the maximum, or one of the steps listed);"),
        ("plain", "     - questions scored from tallies: Positive and Total for the tally named in the Tally column;"),
        ("plain", "     - where the Scoring column says N/A allowed: a reason in N/A reason instead."),
        ("plain", "   A Note may be added to any question."),
        ("plain", "3. Save, then run:  corengine validate FILE.xlsx  and  corengine score FILE.xlsx"),
        ("plain", ""),
        ("heading", "Responses columns"),
    ]
    lines += [("plain", f"{name}: {_COLUMN_HELP[name]}.") for name, _ in RESPONSE_COLUMNS]
    lines += [
        ("plain", ""),
        ("heading", "Good to know"),
        (
            "plain",
            "Numbers are read exactly. Type fractions as text with a leading apostrophe ('7/10), or as decimals.",
        ),
        (
            "plain",
            "Where a question does not name its tally, pick one in the Tally column; "
            "to combine several, add their counts together.",
        ),
        (
            "plain",
            "Grey cells are reference text and locked. The sheets are protected without a password; "
            "corengine refuses a workbook whose sheets, headers, field names or question numbers were changed.",
        ),
        ("plain", "Formulas are not read in answer cells: type the values themselves."),
    ]
    return lines


def write_workbook(standard: Standard, program: str, methods: Mapping[str, ScoringMethod] | None = None) -> bytes:
    """A blank spreadsheet workbook for ``standard`` and ``program`` (the bytes of an ``.xlsx`` file).

    ``methods`` (the registered scoring methods) say which answer columns a question scored by a plugin's method
    opens: points, a tally, or both when the method does not say."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.writer.excel import ExcelWriter

    if program not in standard.programs:
        raise ValueError(f"{standard.id} has no program {program!r}")
    grey = PatternFill("solid", fgColor="F2F2F2")
    head = PatternFill("solid", fgColor="1F3864")
    band = PatternFill("solid", fgColor="D9E1F2")
    white = PatternFill("solid", fgColor="FFFFFF")
    thin = Side(style="thin", color="BFBFBF")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    open_cell = Protection(locked=False)
    bold = Font(bold=True)
    head_font = Font(bold=True, color="FFFFFF")

    wb = Workbook()
    wb.properties.creator = "corengine"
    wb.properties.title = xml_text(f"Audit workbook: {standard.id} {standard.version} ({program})")
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME

    def protect(ws: Any) -> None:
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False

    # ---- Instructions
    ws = wb.active
    ws.title = INSTRUCTIONS
    ws.column_dimensions["A"].width = 120
    for row, (style, text) in enumerate(_instructions(standard, program), start=1):
        cell = set_cell(ws.cell(row=row, column=1), text or None)
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "heading":
            cell.font = bold
        cell.alignment = Alignment(wrap_text=True)
    protect(ws)

    # ---- Audit
    ws = wb.create_sheet(AUDIT)
    for col, (title, width) in enumerate(zip(AUDIT_HEADERS, (30, 45, 80), strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font, cell.fill, cell.border = head_font, head, box
        ws.column_dimensions[cell.column_letter].width = width
    prefill: dict[str, Any] = {
        "standard": standard.id,
        "standard_version": standard.version,
        "program": program,
        "audit_type": "certification",
        "methods_used": "D, I, O",
        "auditor.kind": "external",
    }
    dates = DataValidation(type="date", operator="greaterThanOrEqual", formula1="DATE(1900,1,1)", allow_blank=True)
    dates.error, dates.errorTitle = "Type a date as YYYY-MM-DD.", "Not a date"
    wholes = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    wholes.error, wholes.errorTitle = "Type a whole number, 0 or more.", "Not a whole number"
    decimals = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    decimals.error, decimals.errorTitle = "Type a number, 0 or more.", "Not a number"
    type_list = _list_formula(AUDIT_TYPES + standard.audit_types)
    types = DataValidation(type="list", formula1=type_list, allow_blank=True)
    types.error, types.errorTitle = "Pick an audit type from the list.", "Unknown audit type"
    kinds = DataValidation(type="list", formula1=_list_formula(AUDITOR_KINDS), allow_blank=True)
    kinds.error, kinds.errorTitle = "Pick an auditor kind from the list.", "Unknown auditor kind"
    yes_no = DataValidation(type="list", formula1=_list_formula(("yes", "no")), allow_blank=True)
    yes_no.error, yes_no.errorTitle = "Pick yes or no.", "Yes or no"
    for row, (key, kind, help_text) in enumerate(AUDIT_FIELDS, start=2):
        label = ws.cell(row=row, column=1, value=key)
        label.font, label.fill, label.border, label.alignment = bold, grey, box, top
        value = set_cell(ws.cell(row=row, column=2), prefill.get(key))
        value.border, value.alignment = box, wrap
        note = ws.cell(row=row, column=3, value=help_text)
        note.fill, note.border, note.alignment = grey, box, wrap
        if key in _LOCKED_FIELDS:
            value.fill = grey
            continue
        value.fill, value.protection = white, open_cell
        coordinate = value.coordinate
        if kind == "date":
            value.number_format = "yyyy-mm-dd"
            dates.add(coordinate)
        elif kind == "int":
            wholes.add(coordinate)
        elif kind == "number":
            decimals.add(coordinate)
        elif key == "audit_type" and type_list is not None:
            types.add(coordinate)
        elif key == "auditor.kind":
            kinds.add(coordinate)
        elif kind == "bool":
            yes_no.add(coordinate)
        elif kind in ("text", "list", "levels"):
            value.number_format = "@"
    for validation in (dates, wholes, decimals, *([types] if type_list else []), kinds, yes_no):
        ws.add_data_validation(validation)
    ws.freeze_panes = "B2"
    protect(ws)

    # ---- Responses
    ws = wb.create_sheet(RESPONSES)
    for col, (title, width) in enumerate(RESPONSE_COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font, cell.fill, cell.border, cell.alignment = head_font, head, box, wrap
        ws.column_dimensions[cell.column_letter].width = width
    tally_names = DataValidation(type="list", formula1=_list_formula(TALLIES), allow_blank=True)
    tally_names.error, tally_names.errorTitle = "Pick interviews, observations or documents.", "Unknown tally"
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    counts.error, counts.errorTitle = "Type a whole number, 0 or more.", "Not a whole number"
    bounds: dict[tuple[str, ...], Any] = {}
    row = 1
    for element in standard.elements:
        questions = [q for q in element.questions if applies(q, program)]
        if not questions:
            continue
        row += 1
        total = sum((q.points for q in questions), Fraction(0))
        for col, value in enumerate((f"{ELEMENT_PREFIX}{element.id}", element.title, _exact(total)), start=1):
            set_cell(ws.cell(row=row, column=col), value)
        for col in range(1, len(RESPONSE_COLUMNS) + 1):
            cell = ws.cell(row=row, column=col)
            cell.font, cell.fill, cell.border = bold, band, box
        for question in questions:
            row += 1
            form = answer_form(question, methods)
            by_tally = form == "tally"
            custom = form == "any"
            reference = (
                question.id,
                question.text,
                _exact(question.points),
                "+".join(question.methods),
                _scoring_text(question, methods),
                _guidance_text(question) or None,
            )
            for col, value in enumerate(reference, start=1):
                cell = set_cell(ws.cell(row=row, column=col), value)
                cell.fill, cell.border, cell.alignment = grey, box, wrap
            ws.cell(row=row, column=1).number_format = "@"
            opened = {
                COL_POINTS: not by_tally,
                COL_TALLY: custom or (by_tally and not question.scoring.tally),
                COL_POSITIVE: by_tally or custom,
                COL_TOTAL: by_tally or custom,
                COL_NA: question.na_allowed,
                COL_NOTE: True,
            }
            for letter, is_open in opened.items():
                cell = ws[f"{letter}{row}"]
                cell.border, cell.alignment = box, wrap
                if is_open:
                    cell.fill, cell.protection = white, open_cell
                else:
                    cell.fill = grey
                if letter in (COL_NA, COL_NOTE, COL_TALLY):
                    cell.number_format = "@"
            if by_tally or custom:
                set_cell(ws[f"{COL_TALLY}{row}"], _default_tally(question))
            if opened[COL_TALLY]:
                tally_names.add(f"{COL_TALLY}{row}")
            if by_tally or custom:
                counts.add(f"{COL_POSITIVE}{row}")
                counts.add(f"{COL_TOTAL}{row}")
            if opened[COL_POINTS]:
                steps = tuple(_number_text(s) for s in question.scoring.steps)
                bound = ("steps", *steps) if steps else ("max", _number_text(question.points))
                if bound not in bounds:
                    bounds[bound] = _points_validation(question)
                bounds[bound].add(f"{COL_POINTS}{row}")
    for validation in (*bounds.values(), tally_names, counts):
        ws.add_data_validation(validation)
    ws.freeze_panes = "B2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    protect(ws)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return _normalised(buffer.getvalue())


def _list_formula(items: tuple[str, ...]) -> str | None:
    """A list validation's formula; None when an item cannot be listed as it is (a quote would end the formula's
    string early, a comma would split the item, a control character would not survive): then the cell gets no
    drop-down rather than a formula built from a standard's text."""
    if any('"' in item or "," in item or not item.isprintable() for item in items):
        return None
    return '"' + ",".join(items) + '"'


def _points_validation(question: Question) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    steps = question.scoring.steps
    if steps:
        allowed = ", ".join(_number_text(s) for s in steps)
        validation = DataValidation(
            type="list", formula1=_list_formula(tuple(_number_text(s) for s in steps)), allow_blank=True
        )
        validation.error = f"Points must be one of {allowed}."
    else:
        top = _exact(question.points)
        limit = str(top) if not isinstance(top, str) else repr(float(question.points))
        validation = DataValidation(type="decimal", operator="between", formula1="0", formula2=limit, allow_blank=True)
        validation.error = f"Points range from 0 to {_number_text(question.points)}; type a fraction as text ('7/10)."
        validation.errorStyle = "warning"
        allowed = f"0 to {_number_text(question.points)}"
    validation.errorTitle = "Points out of range"
    validation.promptTitle, validation.prompt = "Points", allowed
    return validation


def _normalised(raw: bytes) -> bytes:
    """The same archive with fixed entry times, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- reading

_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?(/\d+)?\s*$")
_WHOLE = re.compile(r"^\s*\d+\s*$")
_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_BOOLS = {"yes": True, "true": True, "no": False, "false": False}


class _Skip(Exception):
    """A cell whose problem was recorded; the value is left out."""


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: Early = []
        self.damaged = False
        self.lines: LineMap = {}

    def fail(self, where: str, path: PathKey, message: str) -> _Skip:
        """A value that cannot be read: the value is left out and later checks skip its path."""
        self.problems.append((path, problem(self.source, format_path(path), message, where)))
        return _Skip()

    def note(self, where: str, message: str, damage: bool = False) -> None:
        """A problem with the sheet rather than a value; ``damage`` when no answer can be trusted after it."""
        self.problems.append((None, problem(self.source, "", message, where)))
        self.damaged = self.damaged or damage

    def value(self, ws: Sheet, coordinate: str, path: PathKey, kind: str) -> Any:
        """The cell's value as plain data of ``kind``, ``None`` when blank; raises :class:`_Skip` on a problem."""
        cell = ws[coordinate]
        where = f"{ws.title}!{coordinate}"
        raw = cell.value
        if cell.data_type == "f":
            raise self.fail(where, path, f"is a formula ({_show(raw)}); type the value itself")
        if cell.data_type == "e":
            raise self.fail(where, path, f"holds the error value {raw!r}; type the value itself")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        converter = _KINDS[kind]
        try:
            return converter(raw)
        except ValueError as exc:
            raise self.fail(where, path, str(exc)) from None


def _show(raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, float):
        return _decimal(raw)
    if isinstance(raw, str):
        return repr(raw)
    return str(getattr(raw, "text", raw))


def _decimal(value: float) -> str:
    """A float's shortest exact decimal text (``7.5``, ``0.00001``), never an exponent."""
    text = format(Decimal(repr(value)), "f")
    return text[:-2] if text.endswith(".0") else text


def _as_text(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return _decimal(raw)
    if isinstance(raw, dt.datetime):
        return _show(raw)
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    raise ValueError(f"must be text, not {raw!r}")


def _as_int(raw: Any) -> int:
    if isinstance(raw, bool | dt.date | dt.time | dt.timedelta):
        raise ValueError(f"must be a whole number, not {_show(raw)}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _WHOLE.match(raw):
        return int(raw)
    raise ValueError(f"must be a whole number, not {_show(raw)}")


def _as_number(raw: Any) -> int | str:
    if isinstance(raw, dt.date | dt.time | dt.timedelta):
        raise ValueError(
            f"must be a number, not the date {_show(raw)} (a fraction such as 7/10 typed into a number cell "
            "becomes a date: type it as '7/10 or 0.7)"
        )
    if isinstance(raw, bool):
        raise ValueError(f"must be a number such as 10, 7.5 or 7/10, not {_show(raw)}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else _decimal(raw)
    if isinstance(raw, str) and _NUMBER.match(raw):
        text = raw.strip()
        try:
            Fraction(text)
        except ZeroDivisionError:
            raise ValueError(f"must be a number, not {raw!r} (division by zero)") from None
        return text
    raise ValueError(f"must be a number such as 10, 7.5 or 7/10, not {_show(raw)}")


def _as_date(raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time():
            raise ValueError(f"must be a date without a time of day, not {_show(raw)}")
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, str) and _DATE.match(raw):
        return raw.strip()
    raise ValueError(f"must be a date (YYYY-MM-DD), not {_show(raw)}")


def _as_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _BOOLS:
        return _BOOLS[raw.strip().lower()]
    raise ValueError(f"must be yes or no, not {_show(raw)}")


def _as_list(raw: Any) -> list[str]:
    return [item.strip() for item in re.split(r"[;\n]", _as_text(raw)) if item.strip()]


def _as_levels(raw: Any) -> dict[str, Any]:
    """``managers=3; supervisors=4`` as a mapping (the counts are checked when the audit is structured)."""
    levels: dict[str, Any] = {}
    for item in re.split(r"[;\n]", _as_text(raw)):
        if not item.strip():
            continue
        name, sep, count = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"expected level=count pairs such as 'workers=13; supervisors=4', not {item.strip()!r}")
        levels[name.strip()] = _as_int(count.strip())
    return levels


def _as_methods(raw: Any) -> list[str]:
    return [item for item in re.split(r"[\s,;+]+", _as_text(raw)) if item]


_KINDS: dict[str, Callable[[Any], Any]] = {
    "text": _as_text,
    "int": _as_int,
    "number": _as_number,
    "date": _as_date,
    "bool": _as_bool,
    "list": _as_list,
    "methods": _as_methods,
    "levels": _as_levels,
}


ROW_SLACK = 100
"""Rows a sheet may hold below the last one corengine writes: they are still read and reported one by one (an
unknown field, an unknown question). A value below them refuses the workbook."""

COLUMN_SLACK = 10
"""Columns a sheet may hold right of the last one corengine writes (an auditor's own notes, never read). A value
right of them refuses the workbook."""

MAX_ROWS = 50_000
"""Rows read from a sheet that nothing tighter bounds: the Responses sheet when the reader is not given the
standard, and the tables of an evidence index. Above the 20,000-question scale the engine is built for and far
beyond any real workbook (the largest installed standard has 69 questions); far below the 1,048,576 a sheet
can have."""

_FORMAT_ROWS = 1_048_576
"""Rows a sheet can have in the format: a row numbered beyond is not a spreadsheet program's."""

_FORMAT_COLUMNS = 16_384
"""Cells a row can have in the format (A to XFD): a row with more is not a spreadsheet program's."""

_ROW_ELEMENTS = 131_072
"""XML elements one row may hold (its cells, their values, rich-text runs), so a row stays small in memory."""

_OTHER_ELEMENTS = 65_536
"""XML elements a sheet may hold outside its rows until its cells end (views, column widths: a spreadsheet
program writes at most 16,384 column entries), so openpyxl never parses a flood of them."""


class Bounds(NamedTuple):
    """How far a sheet may reach: a value beyond ``rows`` or ``columns`` refuses the workbook, naming ``scope``
    (what the sheet belongs to: ``an audit workbook``, ``a workbook for ab-acsa-cor (COR)``)."""

    rows: int
    columns: int
    scope: str

    @property
    def cells(self) -> int:
        """Cell elements, with a value or only formatted, a sheet may hold: as many as its bounded area."""
        return self.rows * self.columns


class Cell(NamedTuple):
    """One cell as read: its value and openpyxl's data type (``f`` a formula, ``e`` an error value)."""

    row: int
    column: int
    value: Any = None
    data_type: str = "n"

    @property
    def coordinate(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


class Sheet:
    """A worksheet's cells that hold a value, read within its bounds (:meth:`Book.sheet`); every other cell is
    empty."""

    def __init__(self, title: str, cells: dict[tuple[int, int], Cell]) -> None:
        self.title = title
        self.cells = cells
        self.max_row = max((row for row, _ in cells), default=1)
        """The last row holding a value (1 for an empty sheet)."""

    def cell(self, row: int, column: int) -> Cell:
        return self.cells.get((row, column)) or Cell(row, column)

    def __getitem__(self, coordinate: str) -> Cell:
        match = _COORDINATE.fullmatch(coordinate)
        if match is None:
            raise KeyError(coordinate)
        return self.cell(int(match[2]), column_index(match[1]))


_COORDINATE = re.compile(r"([A-Z]{1,3})([0-9]+)")


def column_letter(column: int) -> str:
    """The letters of column ``column`` (1 is A, 27 is AA)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """The number of the column named ``letters`` (A is 1)."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


class Book:
    """An ``.xlsx`` workbook opened for streaming reads (openpyxl's read-only mode): nothing of a sheet is read
    until :meth:`sheet` asks for it, and then only within the sheet's bounds."""

    def __init__(self, workbook: Any, archive: zipfile.ZipFile, source: str) -> None:
        self._workbook = workbook
        self._archive = archive
        self.source = source

    @property
    def sheetnames(self) -> list[str]:
        return list(self._workbook.sheetnames)

    def sheet(self, name: str, bounds: Bounds) -> Sheet:
        """The cells of the sheet ``name`` that hold a value. The sheet's XML is first scanned in one streaming
        pass in constant memory (:func:`_scan`): a value beyond ``bounds`` refuses the workbook with one problem
        naming the cell, before any cell is read. Then its rows up to the last one holding a value are read
        through openpyxl, no further; the ``<dimension>`` a sheet declares is never trusted."""
        ws = self._workbook[name]
        part = getattr(ws, "_worksheet_path", None)  # the archive part openpyxl's read-only sheet reads
        if part is None:
            raise InputError([problem(self.source, "", f"the sheet {name!r} is not a worksheet (a chart sheet?)")])
        try:
            with self._archive.open(part) as stream:
                last = _scan(stream, ws.title, bounds)
        except _Unreadable as exc:
            raise self.unreadable(str(exc)) from None
        except _Beyond as exc:
            raise InputError([problem(self.source, "", exc.message, exc.where)]) from None
        cells: dict[tuple[int, int], Cell] = {}
        if not last:
            return Sheet(ws.title, cells)
        rows = ws.iter_rows(min_row=1, max_row=last, min_col=1, max_col=bounds.columns)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for row in itertools.islice(rows, last):  # stop at the last row: nothing after it is parsed
                    for item in row:
                        if item.value is not None:
                            cells[item.row, item.column] = Cell(item.row, item.column, item.value, item.data_type)
        except Exception as exc:  # openpyxl raises many kinds on a damaged sheet
            raise self.unreadable(str(exc) or type(exc).__name__) from None
        finally:
            rows.close()
        return Sheet(ws.title, cells)

    def unreadable(self, detail: str) -> InputError:
        return InputError([problem(self.source, "", f"not a readable .xlsx workbook ({detail})")])

    def close(self) -> None:
        self._workbook.close()
        self._archive.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Unreadable(Exception):
    """A sheet no spreadsheet program writes (rows out of order, a row wider than the format allows)."""


class _Beyond(Exception):
    """A value beyond a sheet's bounds."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where, self.message = where, message


def _row_number(raw: str | None, previous: int) -> int:
    """A row's number as openpyxl reads it: its ``r`` (a whole number, possibly written ``5.0``), else the next."""
    if raw is None:
        return previous + 1
    try:
        return int(raw)
    except ValueError:
        number = float(raw)
        if not number.is_integer():
            raise
        return int(number)


def _scan(stream: Any, title: str, bounds: Bounds) -> int:
    """The last row of a sheet's XML that holds a value, found in one streaming pass that keeps no element after
    it ends (so memory stays constant however large the sheet).

    Raises :class:`_Beyond` at the first value beyond ``bounds`` or at more cell elements than its bounded area
    holds, and :class:`_Unreadable` on rows out of order or beyond the format's last row, a cell naming another
    row than its own, a row wider than the format allows, a flood of elements outside the rows, or broken XML.
    Rows and cells are numbered as openpyxl numbers them. Only cells with a value count against the bounds
    (``<v>`` with text, a formula, inline text: every cell openpyxl gives a value, and a few it does not);
    empty, formatted rows and cells beyond them are fine, up to those limits. The scan ends with the sheet's
    cells (``</sheetData>``)."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    row_tag, data_tag = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}sheetData"
    value_tag = f"{{{SHEET_MAIN_NS}}}v"
    filled_tags = {value_tag, f"{{{SHEET_MAIN_NS}}}f", f"{{{SHEET_MAIN_NS}}}is"}
    open_row: Any = None
    stack: list[Any] = []
    row = column = cells = elements = last = total = other = 0
    filled = False
    try:
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "start":
                if element.tag == row_tag:
                    if open_row is not None:
                        raise _Unreadable(f"sheet {title!r}: a row inside row {row}")
                    number = _row_number(element.get("r"), row)
                    if number <= row:
                        raise _Unreadable(f"sheet {title!r}: row {number} comes after row {row}")
                    if number > _FORMAT_ROWS:
                        raise _Unreadable(f"sheet {title!r}: row {number} is beyond the last row a sheet can have")
                    row, column, cells, elements, open_row = number, 0, 0, 0, element
                stack.append(element)
                continue
            stack.pop()
            if open_row is not None and element is not open_row:
                elements += 1
                if elements > _ROW_ELEMENTS:
                    raise _Unreadable(f"sheet {title!r}: row {row} holds more than {_ROW_ELEMENTS} elements")
                if len(stack) >= 2 and stack[-2] is open_row:  # a cell's child: its value, formula, inline text
                    if element.tag in filled_tags and (element.tag != value_tag or element.text):
                        filled = True
                elif stack and stack[-1] is open_row:  # a cell (openpyxl reads every child of a row as one)
                    cells += 1
                    if cells > _FORMAT_COLUMNS:
                        raise _Unreadable(f"sheet {title!r}: row {row} has more than {_FORMAT_COLUMNS} cells")
                    reference = element.get("r")
                    if reference:
                        try:
                            at_row, column = coordinate_to_tuple(reference)
                        except (KeyError, ValueError):
                            raise _Unreadable(f"sheet {title!r}: bad cell reference {reference!r}") from None
                        if at_row != row:
                            raise _Unreadable(f"sheet {title!r}: cell {reference} in row {row}")
                    else:
                        column += 1
                    total += 1
                    if total > bounds.cells:
                        where = f"{title}!{column_letter(column)}{row}"
                        raise _Beyond(
                            where,
                            f"the sheet holds more than {bounds.cells} cells; {bounds.scope} has at most "
                            f"{bounds.rows} rows of {bounds.columns} columns here",
                        )
                    if filled:
                        _check_bounds(title, row, column, bounds)
                        last = row
                    filled = False
            elif element is open_row:
                open_row = None
            else:
                other += 1
                if other > _OTHER_ELEMENTS:
                    raise _Unreadable(f"sheet {title!r}: more than {_OTHER_ELEMENTS} elements outside its rows")
            if stack:
                stack[-1].remove(element)  # the only child left: ended children are removed as they end
            if element.tag == data_tag:
                break
    except ParseError as exc:
        raise _Unreadable(f"sheet {title!r}: {exc}") from None
    except ValueError as exc:  # a row number that is not a whole number
        raise _Unreadable(f"sheet {title!r}: {exc}") from None
    return last


def _check_bounds(title: str, row: int, column: int, bounds: Bounds) -> None:
    where = f"{title}!{column_letter(column)}{row}"
    if row > bounds.rows:
        raise _Beyond(where, f"the sheet reaches row {row}; {bounds.scope} has at most {bounds.rows} rows here")
    if column > bounds.columns:
        raise _Beyond(
            where,
            f"the sheet reaches column {column_letter(column)}; {bounds.scope} has at most {bounds.columns} columns "
            f"here (A to {column_letter(bounds.columns)})",
        )


def open_workbook(path: str | Path, data_only: bool = False) -> Book:
    """The workbook at ``path``, read from one in-memory copy (the file is never opened for writing), refusing
    files over the size limit, zips that are not workbooks and archives that unpack too large."""
    raw, source = read_bytes(path)
    return workbook_from_bytes(raw, source, data_only)


def workbook_from_bytes(raw: bytes, source: str, data_only: bool = False) -> Book:
    """The workbook in ``raw`` (an upload, say), with the checks of :func:`open_workbook`; ``source`` names it."""
    check_size(raw, source)
    not_xlsx = "not an .xlsx workbook (an .xlsx file is a zip archive; this is not one)"
    buffer = io.BytesIO(raw)
    if not zipfile.is_zipfile(buffer):
        raise InputError([problem(source, "", not_xlsx)])
    try:
        archive = zipfile.ZipFile(buffer)
    except zipfile.BadZipFile:
        raise InputError([problem(source, "", not_xlsx)]) from None
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        archive.close()
        raise InputError([problem(source, "", "a zip archive but not an .xlsx workbook (no spreadsheet inside)")])
    if sum(info.file_size for info in infos) > MAX_UNPACKED:
        archive.close()
        limit = MAX_UNPACKED // (1024 * 1024)
        raise InputError([problem(source, "", f"unpacks to more than {limit} MiB; refusing to read it")])
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged archive
        archive.close()
        detail = str(exc) or type(exc).__name__
        raise InputError([problem(source, "", f"not a readable .xlsx workbook ({detail})")]) from None
    return Book(workbook, archive, source)


def read_workbook(path: str | Path) -> tuple[dict[str, Any], str, LineMap]:
    """Plain audit data from a filled workbook, the file's name for messages, and each path's cell.

    The data has exactly the shape a YAML workbook parses to (dates as ISO text, numbers exact), so
    :meth:`corengine.engine.Engine.audit_from_data` structures it and every validation applies.
    """
    data, source, lines, problems = read_workbook_checked(path)
    if problems:
        raise InputError([p for _, p in problems])
    return data, source, lines


def read_workbook_checked(
    path: str | Path, raw: bytes | None = None, standards: Callable[[str], Standard] | None = None
) -> tuple[dict[str, Any], str, LineMap, Early]:
    """Like :func:`read_workbook`, but the problems of single cells and rows are returned, each with the path
    it makes unusable, so the rest of the workbook can still be checked in the same pass. A workbook whose
    structure was damaged (sheets, column headers or field rows changed) still raises: nothing in it can be
    trusted.

    Sheets are read in streaming mode and only as far as a workbook can reach (:data:`AUDIT_BOUNDS`,
    :func:`responses_bounds`): a value beyond refuses the workbook with that one problem, nothing else read.
    ``standards`` looks a standard up by id (:meth:`corengine.engine.Engine.standard`); with it the Responses
    sheet is bounded by the standard the Audit sheet names, else by :data:`MAX_ROWS`.
    """
    source = str(path)
    with open_workbook(path) if raw is None else workbook_from_bytes(raw, source) as book:
        missing = [name for name in (AUDIT, RESPONSES) if name not in book.sheetnames]
        if missing:
            found = ", ".join(book.sheetnames) or "none"
            raise InputError(
                [
                    problem(
                        source,
                        "",
                        f"the sheet {name!r} is missing (sheets: {found}); keep the sheets corengine created",
                    )
                    for name in missing
                ]
            )
        reader = _Reader(source)
        data: dict[str, Any] = {"employer": {}, "auditor": {}}
        _read_audit(reader, book.sheet(AUDIT, AUDIT_BOUNDS), data)
        bounds = responses_bounds(data.get("standard"), data.get("program"), standards)
        data["responses"] = _read_responses(reader, book.sheet(RESPONSES, bounds))
    if reader.damaged:
        raise InputError([p for _, p in reader.problems])
    return data, source, reader.lines, reader.problems


AUDIT_BOUNDS = Bounds(1 + len(AUDIT_FIELDS) + ROW_SLACK, len(AUDIT_HEADERS) + COLUMN_SLACK, "an audit workbook")
"""How far the Audit sheet may reach: its header and field rows, its three columns, and the slack."""


def response_rows(standard: Standard, program: str | None) -> int:
    """The rows of the Responses sheet :func:`write_workbook` makes for ``standard`` and ``program``: the header,
    a row for each element with questions and one for each question. With no program (or one the standard does
    not have), every question counts."""
    known = program in standard.programs
    rows = 1
    for element in standard.elements:
        questions = sum(1 for q in element.questions if not known or applies(q, str(program)))
        rows += questions + 1 if questions else 0
    return rows


def responses_bounds(standard_id: Any, program: Any, standards: Callable[[str], Standard] | None = None) -> Bounds:
    """How far the Responses sheet may reach: the rows a workbook for the standard has, and the slack, when
    ``standards`` knows the standard the Audit sheet names; else :data:`MAX_ROWS`."""
    columns = len(RESPONSE_COLUMNS) + COLUMN_SLACK
    if standards is not None and isinstance(standard_id, str):
        try:
            standard = standards(standard_id)
        except CorengineError:  # unknown or broken: reported when the audit is checked against it
            return Bounds(MAX_ROWS, columns, "an audit workbook")
        named = program if isinstance(program, str) and program in standard.programs else None
        scope = f"a workbook for {standard.id}" + (f" ({named})" if named else "")
        return Bounds(response_rows(standard, named) + ROW_SLACK, columns, scope)
    return Bounds(MAX_ROWS, columns, "an audit workbook")


def _check_headers(reader: _Reader, ws: Sheet, expected: tuple[str, ...], what: str) -> None:
    for col, title in enumerate(expected, start=1):
        cell = ws.cell(row=1, column=col)
        if cell.value != title:
            found = "an empty cell" if cell.value is None else repr(_as_text(cell.value))
            reader.note(
                f"{ws.title}!{cell.coordinate}",
                f"expected the {what} header {title!r}, found {found}; columns must not be renamed or moved",
                damage=True,
            )


def _read_audit(reader: _Reader, ws: Sheet, data: dict[str, Any]) -> None:
    _check_headers(reader, ws, AUDIT_HEADERS, "column")
    for row, (key, kind, _) in enumerate(AUDIT_FIELDS, start=2):
        label = ws.cell(row=row, column=1).value
        if label is None and key in ADDED_FIELDS and _blank_from(ws, row):
            return  # a workbook made before these rows were added
        if label != key:
            found = "an empty cell" if label is None else repr(_as_text(label))
            reader.note(
                f"{ws.title}!A{row}",
                f"expected the field {key!r}, found {found}; the rows of column A must not be edited or moved",
                damage=True,
            )
            return  # the rows below are shifted too: one message is enough
        path: PathKey = FIELD_PATHS.get(key, tuple(key.split(".")))
        where = f"{ws.title}!B{row}"
        reader.lines[path] = where
        for depth in range(1, len(path)):
            reader.lines.setdefault(path[:depth], where)
        try:
            value = reader.value(ws, f"B{row}", path, kind)
        except _Skip:
            continue
        if value is None:
            continue
        target = data
        for part in path[:-1]:
            target = target.setdefault(str(part), {})
        target[str(path[-1])] = value
    extra = len(AUDIT_FIELDS) + 2
    for row in range(extra, ws.max_row + 1):
        label = ws.cell(row=row, column=1).value
        if label is not None and str(label).strip():
            reader.note(f"{ws.title}!A{row}", f"unknown field {_as_text(label)!r}; fields must not be added")


def _blank_from(ws: Sheet, row: int) -> bool:
    """Whether column A is empty from ``row`` down."""
    return all(ws.cell(row=r, column=1).value is None for r in range(row, max(ws.max_row, row) + 1))


def _read_responses(reader: _Reader, ws: Sheet) -> dict[str, Any]:
    before = len(reader.problems)
    _check_headers(reader, ws, tuple(name for name, _ in RESPONSE_COLUMNS), "column")
    responses: dict[str, Any] = {}
    reader.lines[("responses",)] = f"{ws.title}!A1"
    if len(reader.problems) > before:
        return responses  # columns renamed or moved: the answers cannot be found
    first_row: dict[str, int] = {}
    width = len(RESPONSE_COLUMNS)
    for row in range(2, ws.max_row + 1):
        values = [ws.cell(row=row, column=col).value for col in range(1, width + 1)]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        ident = values[0]
        if isinstance(ident, str) and ident.startswith(ELEMENT_PREFIX):
            continue
        where = f"{ws.title}!{COL_ID}{row}"
        if ident is None or (isinstance(ident, str) and not ident.strip()):
            reader.note(where, "the question number is missing; it must not be edited")
            continue
        qid = _as_text(ident).strip()
        if qid in first_row:
            reader.note(
                where,
                f"question {qid!r} appears twice (first on row {first_row[qid]}); question numbers must not be edited",
            )
            continue
        first_row[qid] = row
        responses[qid] = _read_response(reader, ws, row, qid)
    return responses


def _read_response(reader: _Reader, ws: Sheet, row: int, qid: str) -> dict[str, Any]:
    base: PathKey = ("responses", qid)
    reader.lines[base] = f"{ws.title}!{COL_ID}{row}"
    response: dict[str, Any] = {}

    def cell(letter: str, key: str, kind: str) -> Any:
        path = (*base, key)
        reader.lines[path] = f"{ws.title}!{letter}{row}"
        try:
            return reader.value(ws, f"{letter}{row}", path, kind)
        except _Skip:
            return None

    points = cell(COL_POINTS, "points", "number")
    if points is not None:
        response["points"] = points

    failed = False

    def optional(letter: str, key: str, kind: str) -> Any:
        nonlocal failed
        try:
            return reader.value(ws, f"{letter}{row}", (*base, key), kind)
        except _Skip:
            failed = True
            return None

    tally = optional(COL_TALLY, "tally", "text")
    positive = optional(COL_POSITIVE, "positive", "int")
    total = optional(COL_TOTAL, "total", "int")
    if not failed and (positive is not None or total is not None):
        name = (tally or "").strip()
        if name not in TALLIES:
            found = f", not {name!r}" if name else ""
            reader.fail(
                f"{ws.title}!{COL_TALLY}{row}",
                (*base, "tally"),
                f"name the tally counted: interviews, observations or documents{found}",
            )
        elif positive is None or total is None:
            letter = COL_POSITIVE if positive is None else COL_TOTAL
            reader.fail(f"{ws.title}!{letter}{row}", (*base, name), "give both Positive and Total")
        else:
            response[name] = {"positive": positive, "total": total}
            reader.lines[(*base, name)] = f"{ws.title}!{COL_POSITIVE}{row}"
            reader.lines[(*base, name, "positive")] = f"{ws.title}!{COL_POSITIVE}{row}"
            reader.lines[(*base, name, "total")] = f"{ws.title}!{COL_TOTAL}{row}"
    na = cell(COL_NA, "na", "text")
    if na is not None:
        response["na"] = na
    note = cell(COL_NOTE, "note", "text")
    if note is not None:
        response["note"] = note
    return response


__all__ = ["read_workbook", "read_workbook_checked", "write_workbook"]
