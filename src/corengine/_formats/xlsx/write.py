"""The blank audit workbook for one standard and program: an *Instructions* sheet, an *Audit* sheet and a
*Responses* sheet, structural cells locked, answer cells open with data validation. The same standard and
program always give the same bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from corengine._formats.xlsx.layout import (
    AUDIT,
    AUDIT_FIELDS,
    AUDIT_HEADERS,
    COL_NA,
    COL_NOTE,
    COL_POINTS,
    COL_POSITIVE,
    COL_TALLY,
    COL_TOTAL,
    COLUMN_HELP,
    ELEMENT_PREFIX,
    FIXED_TIME,
    INSTRUCTIONS,
    LOCKED_FIELDS,
    RESPONSE_COLUMNS,
    RESPONSES,
    TALLIES,
    ZIP_TIME,
    extension_rows,
    prerequisite_rows,
)
from corengine._formats.yaml_workbook import scoring_summary
from corengine._rules.scoring import ScoringMethod, answer_form, applies
from corengine._util.escaping import set_cell, xml_text
from corengine.model import AUDIT_TYPES, AUDITOR_KINDS, Question, Standard
from corengine.model.extensions import AuditExtension

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
    lines += [("plain", f"{name}: {COLUMN_HELP[name]}.") for name, _ in RESPONSE_COLUMNS]
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


def write_workbook(
    standard: Standard,
    program: str,
    methods: Mapping[str, ScoringMethod] | None = None,
    extensions: Mapping[str, AuditExtension] | None = None,
) -> bytes:
    """A blank spreadsheet workbook for ``standard`` and ``program`` (the bytes of an ``.xlsx`` file).

    ``methods`` (the registered scoring methods) say which answer columns a question scored by a plugin's method
    opens: points, a tally, or both when the method does not say. ``extensions`` (the registered audit
    extensions) each get a row per field on the Audit sheet, below the core's fields (:func:`.extension_rows`),
    labelled ``extensions.NAME.FIELD``, empty, with the data validation of the field's kind."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
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
    dates = _validation(
        "Not a date",
        "Type a date as YYYY-MM-DD.",
        type="date",
        operator="greaterThanOrEqual",
        formula1="DATE(1900,1,1)",
    )
    wholes = _validation(
        "Not a whole number",
        "Type a whole number, 0 or more.",
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
    )
    decimals = _validation(
        "Not a number", "Type a number, 0 or more.", type="decimal", operator="greaterThanOrEqual", formula1="0"
    )
    audit_types = AUDIT_TYPES + standard.audit_types
    type_list = _list_formula(audit_types)
    types = _validation("Unknown audit type", f"Pick one of {', '.join(audit_types)}.", type="list", formula1=type_list)
    kinds = _validation(
        "Unknown auditor kind",
        f"Pick one of {', '.join(AUDITOR_KINDS)}.",
        type="list",
        formula1=_list_formula(AUDITOR_KINDS),
    )
    yes_no = _validation("Yes or no", "Pick yes or no.", type="list", formula1=_list_formula(("yes", "no")))
    for row, (key, kind, help_text) in enumerate(AUDIT_FIELDS, start=2):
        label = ws.cell(row=row, column=1, value=key)
        label.font, label.fill, label.border, label.alignment = bold, grey, box, top
        value = set_cell(ws.cell(row=row, column=2), prefill.get(key))
        value.border, value.alignment = box, wrap
        note = ws.cell(row=row, column=3, value=help_text)
        note.fill, note.border, note.alignment = grey, box, wrap
        if key in LOCKED_FIELDS:
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
    choices: dict[tuple[str, ...], Any] = {}
    rows = (*extension_rows(extensions), *prerequisite_rows(standard, program))
    for row, item in enumerate(rows, start=len(AUDIT_FIELDS) + 2):
        label = set_cell(ws.cell(row=row, column=1), item.key)
        label.font, label.fill, label.border, label.alignment = bold, grey, box, top
        value = ws.cell(row=row, column=2)
        value.border, value.alignment, value.fill, value.protection = box, wrap, white, open_cell
        note = set_cell(ws.cell(row=row, column=3), item.note)
        note.fill, note.border, note.alignment = grey, box, wrap
        if item.kind == "date":
            value.number_format = "yyyy-mm-dd"
            dates.add(value.coordinate)
        elif item.kind == "int":
            wholes.add(value.coordinate)
        elif item.kind == "bool":
            yes_no.add(value.coordinate)
        elif item.kind == "choice" and (formula := _list_formula(item.choices)) is not None:
            if item.choices not in choices:
                choices[item.choices] = _validation(
                    "Not one of the choices", f"Pick one of {', '.join(item.choices)}.", type="list", formula1=formula
                )
            choices[item.choices].add(value.coordinate)
        elif item.kind != "number":
            value.number_format = "@"
    for validation in (dates, wholes, decimals, *([types] if type_list else []), kinds, yes_no, *choices.values()):
        ws.add_data_validation(validation)
    ws.freeze_panes = "B2"
    protect(ws)

    # ---- Responses
    ws = wb.create_sheet(RESPONSES)
    for col, (title, width) in enumerate(RESPONSE_COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font, cell.fill, cell.border, cell.alignment = head_font, head, box, wrap
        ws.column_dimensions[cell.column_letter].width = width
    tally_names = _validation(
        "Unknown tally",
        "Pick one of interviews, observations, documents.",
        type="list",
        formula1=_list_formula(TALLIES),
    )
    counts = _validation(
        "Not a whole number",
        "Type a whole number, 0 or more.",
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
    )
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


MAX_MESSAGE = 255
"""The longest error or prompt message Excel accepts in a data validation (a longer one makes it call the file
damaged)."""


def _validation(title: str, message: str, **rule: Any) -> Any:
    """A data validation that Excel and LibreOffice enforce and explain: a blank cell is allowed; a value outside
    the rule is refused with ``title`` and ``message`` (which names what is allowed), and the same message shows as
    the prompt when the cell is selected. openpyxl writes ``showErrorMessage`` and ``showInputMessage`` off unless
    told, and then spreadsheets accept any value silently."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if len(message) > MAX_MESSAGE:
        message = "Pick one from the list."
    validation = DataValidation(
        allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop", **rule
    )
    validation.errorTitle, validation.error = title, message
    validation.promptTitle, validation.prompt = "Allowed", message
    return validation


def _points_validation(question: Question) -> Any:
    steps = question.scoring.steps
    if steps:
        allowed = ", ".join(_number_text(s) for s in steps)
        formula = _list_formula(tuple(_number_text(s) for s in steps))
        validation = _validation(
            "Points out of range", f"Points must be one of {allowed}.", type="list", formula1=formula
        )
    else:
        top = _exact(question.points)
        limit = str(top) if not isinstance(top, str) else repr(float(question.points))
        validation = _validation(
            "Points out of range",
            f"Points range from 0 to {_number_text(question.points)}; type a fraction as text ('7/10).",
            type="decimal",
            operator="between",
            formula1="0",
            formula2=limit,
        )
        validation.errorStyle = "warning"
    validation.promptTitle = "Points"
    return validation


def _normalised(raw: bytes) -> bytes:
    """The same archive with fixed entry times, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
