"""A filled audit workbook back to exactly the plain data a YAML workbook gives, with each data path's cell
(``Responses!G12``) so every problem is reported at the cell."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from corengine._formats.xlsx.layout import (
    ADDED_FIELDS,
    AUDIT,
    AUDIT_FIELDS,
    AUDIT_HEADERS,
    COL_ID,
    COL_NA,
    COL_NOTE,
    COL_POINTS,
    COL_POSITIVE,
    COL_TALLY,
    COL_TOTAL,
    ELEMENT_PREFIX,
    EXTENSION_PREFIX,
    FIELD_PATHS,
    PREREQUISITE_PREFIX,
    PREREQUISITE_ROWS,
    RESPONSE_COLUMNS,
    RESPONSES,
    TALLIES,
    PrerequisiteRow,
    extension_rows,
)
from corengine._formats.xlsx.stream import (
    COLUMN_SLACK,
    MAX_ROWS,
    ROW_SLACK,
    Bounds,
    Sheet,
    open_workbook,
    workbook_from_bytes,
)
from corengine._io.loading import Early, LineMap, PathKey, format_path
from corengine._rules.scoring import applies
from corengine.errors import CorengineError, InputError, problem
from corengine.model import Standard
from corengine.model.extensions import AuditExtension, ExtensionField, extension_fields
from corengine.model.findings import Finding

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
        self.notes: list[Finding] = []
        """An ``info`` finding for each formula cell whose saved value was read."""

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
            raise self.fail(where, path, f"is a formula ({_show(raw)}) with no saved value; type the value itself")
        if cell.data_type == "e":
            formula = f"is a formula ({_show(cell.formula)}) that " if cell.formula is not None else ""
            raise self.fail(where, path, f"{formula}holds the error value {raw!r}; type the value itself")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        converter = _KINDS[kind]
        try:
            value = converter(raw)
        except ValueError as exc:
            said = f"is a formula ({_show(cell.formula)}) whose saved value " if cell.formula is not None else ""
            raise self.fail(where, path, f"{said}{exc}") from None
        if cell.formula is not None:
            self.notes.append(_formula_note(where, path, cell.formula, raw))
        return value


FORMULA_CHECK = "workbook.formula_value"
"""The check id of the ``info`` finding that a formula cell's saved value was read."""


def _formula_note(where: str, path: PathKey, formula: str, saved: Any) -> Finding:
    question = len(path) >= 2 and path[0] == "responses"
    return Finding(
        check=FORMULA_CHECK,
        status="info",
        message=f"cell {where} is a formula ({_show(formula)}); its saved value {_show(saved)} was used",
        subject=str(path[1]) if question else "",
        subject_kind="question" if question else "",
    )


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
    "choice": lambda raw: _as_text(raw).strip(),
}


def read_workbook(
    path: str | Path, extensions: Mapping[str, AuditExtension] | None = None
) -> tuple[dict[str, Any], str, LineMap]:
    """Plain audit data from a filled workbook, the file's name for messages, and each path's cell.

    The data has exactly the shape a YAML workbook parses to (dates as ISO text, numbers exact), so
    :meth:`corengine._host.engine.Engine.audit_from_data` structures it and every validation applies.
    ``extensions`` (the registered audit extensions) say which ``extensions.NAME.FIELD`` rows the Audit sheet
    may have.
    """
    data, source, lines, problems = read_workbook_checked(path, extensions=extensions)
    if problems:
        raise InputError([p for _, p in problems])
    return data, source, lines


def read_workbook_checked(
    path: str | Path,
    raw: bytes | None = None,
    standards: Callable[[str], Standard] | None = None,
    extensions: Mapping[str, AuditExtension] | None = None,
    notes: list[Finding] | None = None,
) -> tuple[dict[str, Any], str, LineMap, Early]:
    """Like :func:`read_workbook`, but the problems of single cells and rows are returned, each with the path
    it makes unusable, so the rest of the workbook can still be checked in the same pass. A workbook whose
    structure was damaged (sheets, column headers or field rows changed) still raises: nothing in it can be
    trusted.

    Sheets are read in streaming mode and only as far as a workbook can reach (:data:`AUDIT_BOUNDS`,
    :func:`responses_bounds`): a value beyond refuses the workbook with that one problem, nothing else read.
    ``standards`` looks a standard up by id (:meth:`corengine._host.engine.Engine.standard`); with it the Responses
    sheet is bounded by the standard the Audit sheet names, else by :data:`MAX_ROWS`. ``extensions`` (the
    registered audit extensions) give the ``extensions.NAME.FIELD`` rows below the core's fields their meaning: a
    value there fills ``extensions: {NAME: {FIELD: ...}}``; a row no registered extension has is a problem at its
    cell when it holds a value (blank, it is a row of an extension not installed here, and is passed over).

    A formula cell is read by the value the spreadsheet program saved with it, and ``notes`` (when given) gains an
    ``info`` finding naming the cell, the formula and the value (:data:`FORMULA_CHECK`); a formula with no saved
    value (as openpyxl writes one) is refused at its cell.
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
        _read_audit(reader, book.sheet(AUDIT, audit_bounds(extensions)), data, extensions or {})
        bounds = responses_bounds(data.get("standard"), data.get("program"), standards)
        data["responses"] = _read_responses(reader, book.sheet(RESPONSES, bounds))
    if reader.damaged:
        raise InputError([p for _, p in reader.problems])
    if notes is not None:
        notes.extend(reader.notes)
    return data, source, reader.lines, reader.problems


AUDIT_BOUNDS = Bounds(
    1 + len(AUDIT_FIELDS) + ROW_SLACK + PREREQUISITE_ROWS, len(AUDIT_HEADERS) + COLUMN_SLACK, "an audit workbook"
)
"""How far the Audit sheet may reach: its header and field rows, room for the standard's prerequisites, its three
columns, and the slack (with no audit extension registered: :func:`audit_bounds`)."""


def audit_bounds(extensions: Mapping[str, AuditExtension] | None = None) -> Bounds:
    """How far the Audit sheet may reach: :data:`AUDIT_BOUNDS` and a row for each field of ``extensions``."""
    rows = len(extension_rows(extensions))
    return Bounds(AUDIT_BOUNDS.rows + rows, AUDIT_BOUNDS.columns, AUDIT_BOUNDS.scope) if rows else AUDIT_BOUNDS


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


def _read_audit(reader: _Reader, ws: Sheet, data: dict[str, Any], extensions: Mapping[str, AuditExtension]) -> None:
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
    rows: dict[str, ExtensionField] = {item.key: item for item in extension_rows(extensions)}
    first: dict[str, int] = {}
    for row in range(len(AUDIT_FIELDS) + 2, ws.max_row + 1):
        label = ws.cell(row=row, column=1).value
        if label is None or not str(label).strip():
            continue
        text = _as_text(label).strip()
        where = f"{ws.title}!A{row}"
        if text.startswith(PREREQUISITE_PREFIX) and len(text) > len(PREREQUISITE_PREFIX):
            rows.setdefault(text, PrerequisiteRow("", text[len(PREREQUISITE_PREFIX) :], "date", required=True))
        elif not text.startswith(EXTENSION_PREFIX):
            reader.note(where, f"unknown field {_as_text(label)!r}; fields must not be added")
            continue
        item = rows.get(text)
        if item is None:
            value = ws.cell(row=row, column=2).value
            if value is not None and not (isinstance(value, str) and not value.strip()):
                path, message = _unknown_extension_row(text, extensions)
                reader.fail(where, path, message)
            continue
        if text in first:
            reader.note(
                where, f"{text!r} appears twice (first on row {first[text]}); the rows of column A must not be edited"
            )
            continue
        first[text] = row
        where = f"{ws.title}!B{row}"
        reader.lines[item.path] = where
        for depth in range(1, len(item.path)):
            reader.lines.setdefault(item.path[:depth], where)
        try:
            value = reader.value(ws, f"B{row}", item.path, item.kind)
        except _Skip:
            continue
        if value is None:
            continue
        if isinstance(item, PrerequisiteRow):
            data.setdefault("prerequisites", {})[item.name] = value
        else:
            data.setdefault("extensions", {}).setdefault(item.extension, {})[item.name] = value


def _unknown_extension_row(label: str, extensions: Mapping[str, AuditExtension]) -> tuple[PathKey, str]:
    """The path and message of an ``extensions.NAME.FIELD`` row no registered extension has."""
    name, _, key = label.removeprefix(EXTENSION_PREFIX).partition(".")
    path: PathKey = ("extensions", name, key) if key else ("extensions", name)
    if name not in extensions:
        known = sorted(extensions)
        close = difflib.get_close_matches(name, known, n=1)
        said = f"did you mean {close[0]!r}? " if close else ""
        return path, f"unknown extension {name!r} ({said}registered: {', '.join(known) or 'none'})"
    own = {field: key for key, field in FIELD_PATHS.items()}
    if path in own:
        row = next(r for r, (k, _, _) in enumerate(AUDIT_FIELDS, start=2) if k == own[path])
        return path, f"has its own row, {own[path]!r} (row {row}): give it there"
    names = [item.name for item in extension_fields(extensions[name])]
    close = difflib.get_close_matches(key, names, n=1)
    said = f"did you mean {close[0]!r}? " if close else ""
    return path, f"unknown field {key!r} of extension {name!r} ({said}expected one of: {', '.join(names)})"


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
