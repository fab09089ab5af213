"""The employer's evidence index: manual sections and record sets, from YAML, JSON or a spreadsheet.

YAML and JSON go through the core's strict converter (errors name ``file:line: path``). The spreadsheet form
(``.xlsx``) has this layout; every error names the sheet and the cell (``index.xlsx: Records!E7 (last): ...``):

``Employer`` sheet
    Two columns, a key in A and its value in B, one per row: ``employer`` (required), ``standard``,
    ``program``, ``audit_date``.
``Manual`` sheet
    A header row, then one section per row: ``id``, ``title``, ``kinds`` (comma-separated), ``reviewed``
    (a date), ``note``.
``Records`` sheet
    A header row, then one record set per row: ``kind``, ``title``, ``count``, ``first``, ``last``, ``note``.
``Not applicable`` sheet (optional)
    A header row, then ``question``, ``reason``.

Dates are spreadsheet dates or text ``YYYY-MM-DD``; empty rows are skipped. Header names are matched without
regard to case. Sheets are read in streaming mode, each only as far as an index can reach (the Employer sheet its
keys, the tables :data:`corengine._formats.xlsx.MAX_ROWS` rows, with some slack): a value beyond refuses the file with one
problem naming the cell.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from corengine._io.loading import (
    LineMap,
    PathKey,
    check_size,
    decode_text,
    format_path,
    input_format,
    located,
    parse,
    read_bytes,
)
from corengine._util.escaping import append_row
from corengine.errors import InputError, Problem, problem
from corengine.model import EvidenceIndex, Standard
from corengine.model.converter import structure_located
from corengine.model.evidence_kinds import Vocabulary

if TYPE_CHECKING:
    from corengine._formats.xlsx import Sheet

SHEETS = {
    "manual": ("Manual", ("id", "title", "kinds", "reviewed", "note")),
    "records": ("Records", ("kind", "title", "count", "first", "last", "note")),
}
EMPLOYER_SHEET = "Employer"
EMPLOYER_KEYS = ("employer", "standard", "program", "audit_date")
NA_SHEET = "Not applicable"


@frozen
class LoadedIndex:
    """An evidence index with where it came from, so later problems can name the line or the cell."""

    index: EvidenceIndex
    """The structured index."""
    source: str
    """File name for messages."""
    locate: Callable[[PathKey, str], Problem | str]
    """Writes a problem at a path inside the index as ``file:line: path: message`` or ``file: Sheet!A1: ...``."""

    def problem(self, path: PathKey, message: str) -> Problem | str:
        return self.locate(path, message)


def _yaml_locator(source: str, lines: LineMap) -> Callable[[PathKey, str], Problem | str]:
    def locate(path: PathKey, message: str) -> Problem | str:
        return located(source, lines, path, message)

    return locate


def load_index(path: str | Path) -> LoadedIndex:
    """Read an evidence index: a spreadsheet when the file is a zip archive or named ``.xlsx``, ``.json`` as JSON,
    anything else as YAML (:func:`corengine._io.loading.input_format`: ``.ods``, ``.xls``, ``.csv`` refused)."""
    raw, source = read_bytes(path)
    return load_index_bytes(raw, source)


INDEX_KEYS = ("manual", "records", "not_applicable")
"""The top-level keys only an evidence index has (an audit has none of them)."""
AUDIT_ONLY = ("responses", "auditor")
"""Top-level keys only an audit has (an index has neither)."""
_INDEX_KEY = re.compile(
    r'^(?:"?(?:manual|records|not_applicable)"?)[ \t]*:|"(?:manual|records|not_applicable)"[ \t]*:', re.M
)
_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')


def is_evidence_index(path: str | Path) -> bool:
    """Whether the file at ``path`` is, by its content, an evidence index rather than an audit: a YAML or JSON
    mapping with ``manual``, ``records`` or ``not_applicable`` and neither ``responses`` nor ``auditor`` (and an
    ``employer`` that is a name, not a mapping); a workbook with a ``Manual`` or ``Records`` sheet and no
    ``Responses`` sheet. A file that cannot be read or parsed is not one (reading it as an audit says why)."""
    try:
        raw, source = read_bytes(path)
        kind = input_format(raw, source)
    except InputError:
        return False
    if kind == "xlsx":
        return _index_workbook(raw)
    try:
        text = decode_text(raw, source)
    except InputError:
        return False
    if _INDEX_KEY.search(text) is None:  # cheap: most audits are never parsed here
        return False
    try:
        data, _ = parse(text, source)
    except InputError:
        return False
    return (
        isinstance(data, dict)
        and any(key in data for key in INDEX_KEYS)
        and not any(key in data for key in AUDIT_ONLY)
        and not isinstance(data.get("employer"), dict)
    )


def _index_workbook(raw: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 1024 * 1024:
                return False
            names = {m.decode("utf-8", "replace") for m in _SHEET_NAME.findall(archive.read(info))}
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False
    return bool(names & {SHEETS["manual"][0], SHEETS["records"][0]}) and "Responses" not in names


def index_from_data(data: Any, source: str, lines: LineMap) -> LoadedIndex:
    """Structure an evidence index from parsed YAML or JSON (``lines`` places its problems)."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise InputError([problem(source, "", f"expected a mapping at the top level, got {kind}")])
    locate = _yaml_locator(source, lines)
    return LoadedIndex(structure_located(data, EvidenceIndex, locate), source, locate)


def load_index_bytes(raw: bytes, name: str) -> LoadedIndex:
    """Read an evidence index from bytes (an upload); ``name`` chooses the format as in :func:`load_index` and
    names the file in messages. The same limits apply; nothing touches the file system."""
    check_size(raw, name)
    if input_format(raw, name) == "xlsx":
        return _load_xlsx(name, raw)
    data, lines = parse(decode_text(raw, name), name, mapping=True)
    return index_from_data(data, name, lines)


# --------------------------------------------------------------------------- spreadsheet


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _load_xlsx(path: Path | str, raw: bytes | None = None) -> LoadedIndex:
    """The spreadsheet form, read in streaming mode: each sheet only as far as an index can reach (the Employer
    sheet its keys and some slack, the tables :data:`corengine._formats.xlsx.MAX_ROWS`); a value beyond refuses the file
    with that one problem, nothing else read."""
    from corengine._formats.xlsx import COLUMN_SLACK, MAX_ROWS, ROW_SLACK, Bounds, open_workbook, workbook_from_bytes

    source = str(path)
    cells: dict[PathKey, str] = {}
    problems: list[str] = []
    data: dict[str, Any] = {}

    def here(sheet: str, cell: str, header: str = "") -> str:
        return f"{source}: {sheet}!{cell}" + (f" ({header})" if header else "")

    def table_bounds(columns: tuple[str, ...]) -> Bounds:
        return Bounds(MAX_ROWS, len(columns) + COLUMN_SLACK, "an evidence index")

    with open_workbook(path, data_only=True) if raw is None else workbook_from_bytes(raw, source, True) as book:
        names = {name.lower(): name for name in book.sheetnames}
        if EMPLOYER_SHEET.lower() not in names:
            problems.append(f"{source}: no sheet named {EMPLOYER_SHEET!r} (sheets: {', '.join(book.sheetnames)})")
        else:
            bounds = Bounds(len(EMPLOYER_KEYS) + ROW_SLACK, 2 + COLUMN_SLACK, "an evidence index")
            sheet = book.sheet(names[EMPLOYER_SHEET.lower()], bounds)
            for number in range(1, sheet.max_row + 1):
                key_cell, value_cell = sheet.cell(number, 1), sheet.cell(number, 2)
                key = _cell_value(key_cell.value)
                if key is None:
                    continue
                if not isinstance(key, str) or key.lower() not in EMPLOYER_KEYS:
                    problems.append(
                        f"{here(sheet.title, key_cell.coordinate)}: unknown key {key!r} "
                        f"(expected one of: {', '.join(EMPLOYER_KEYS)})"
                    )
                    continue
                value = _cell_value(value_cell.value)
                cells[(key.lower(),)] = here(sheet.title, value_cell.coordinate, key.lower())
                if value is not None:
                    data[key.lower()] = value
        for field, (title, columns) in SHEETS.items():
            if title.lower() not in names:
                continue
            table = book.sheet(names[title.lower()], table_bounds(columns))
            rows, _found = _table(table, columns, field, cells, here, problems)
            if rows:
                data[field] = rows
        if NA_SHEET.lower() in names:
            na_columns = ("question", "reason")
            table = book.sheet(names[NA_SHEET.lower()], table_bounds(na_columns))
            na_rows, _ = _table(table, na_columns, "na", cells, here, problems)
            mapping: dict[str, Any] = {}
            for index, row in enumerate(na_rows):
                question = str(row.get("question", ""))
                mapping[question] = row.get("reason")
                if (("na", index, "reason")) in cells:
                    cells[("not_applicable", question)] = cells[("na", index, "reason")]
            if mapping:
                data["not_applicable"] = mapping
    if problems:
        raise InputError(problems)

    def locate(where: PathKey, message: str) -> Problem | str:
        probe = where
        while probe:
            if probe in cells:
                return f"{cells[probe]}: {message}"
            probe = probe[:-1]
        return problem(source, format_path(where), message)

    return LoadedIndex(structure_located(data, EvidenceIndex, locate), source, locate)


def _table(
    sheet: Sheet,
    columns: tuple[str, ...],
    field: str,
    cells: dict[PathKey, str],
    here: Callable[..., str],
    problems: list[str],
) -> tuple[list[dict[str, Any]], bool]:
    """The rows of a table sheet below its header (the first row holding a value), by column name."""
    if not sheet.cells:
        return [], False
    top = min(row for row, _ in sheet.cells)
    width = max(column for _, column in sheet.cells)
    positions: dict[int, str] = {}
    for column in range(1, width + 1):
        cell = sheet.cell(top, column)
        name = _cell_value(cell.value)
        if name is None:
            continue
        if not isinstance(name, str) or name.lower() not in columns:
            problems.append(
                f"{here(sheet.title, cell.coordinate)}: unknown column {name!r} (expected: {', '.join(columns)})"
            )
            continue
        positions[column] = name.lower()
    out: list[dict[str, Any]] = []
    for number in range(top + 1, sheet.max_row + 1):
        row = [sheet.cell(number, column) for column in positions]
        values = {positions[c.column]: (_cell_value(c.value), c.coordinate) for c in row}
        if all(v is None for v, _ in values.values()):
            continue
        index = len(out)
        item: dict[str, Any] = {}
        first_cell = next((coordinate for _, coordinate in values.values()), f"A{number}")
        cells[(field, index)] = here(sheet.title, first_cell)
        for name, (value, coordinate) in values.items():
            cells[(field, index, name)] = here(sheet.title, coordinate, name)
            if value is None:
                continue
            if name == "kinds" and isinstance(value, str):
                value = [part.strip() for part in value.split(",") if part.strip()]
            item[name] = value
        out.append(item)
    return out, True


def index_to_xlsx(index: EvidenceIndex) -> bytes:
    """The spreadsheet form of an index (the layout :func:`load_index` reads), as .xlsx bytes. Text is always
    written as text, never as a formula (:func:`corengine._util.escaping.append_row`)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = EMPLOYER_SHEET
    for key in EMPLOYER_KEYS:
        value = getattr(index, key)
        if value is not None:
            append_row(sheet, [key, value])
    manual = book.create_sheet(SHEETS["manual"][0])
    append_row(manual, list(SHEETS["manual"][1]))
    for section in index.manual:
        append_row(
            manual, [section.id, section.title, ", ".join(section.kinds), section.reviewed, section.note or None]
        )
    records = book.create_sheet(SHEETS["records"][0])
    append_row(records, list(SHEETS["records"][1]))
    for item in index.records:
        append_row(records, [item.kind, item.title, item.count, item.first, item.last, item.note or None])
    if index.not_applicable:
        na = book.create_sheet(NA_SHEET)
        append_row(na, ["question", "reason"])
        for question, reason in index.not_applicable.items():
            append_row(na, [question, reason])
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- checks against a standard


def index_problems(loaded: LoadedIndex, standard: Standard, vocabulary: Vocabulary) -> list[Problem | str]:
    """Unknown kinds, an unknown program and N/A the standard does not allow, located in the index."""
    index = loaded.index
    found: list[Problem | str] = []
    for i, section in enumerate(index.manual):
        for j, kind in enumerate(section.kinds):
            if vocabulary.get(kind) is None:
                found.append(loaded.problem(("manual", i, "kinds", j), vocabulary.unknown(kind)))
    for i, records in enumerate(index.records):
        if vocabulary.get(records.kind) is None:
            found.append(loaded.problem(("records", i, "kind"), vocabulary.unknown(records.kind)))
    if index.program is not None and index.program not in standard.programs:
        found.append(
            loaded.problem(
                ("program",),
                f"{standard.id} has no program {index.program!r} (programs: {', '.join(standard.programs)})",
            )
        )
    questions = {q.id: q for _, q in standard.questions()}
    for qid in index.not_applicable:
        question = questions.get(qid)
        if question is None:
            found.append(loaded.problem(("not_applicable", qid), f"{standard.id} has no question {qid!r}"))
        elif not question.na_allowed:
            found.append(
                loaded.problem(("not_applicable", qid), f"{standard.id} does not allow N/A for question {qid}")
            )
        elif not index.not_applicable[qid].strip():
            found.append(loaded.problem(("not_applicable", qid), "must give the reason the question does not apply"))
    return found


__all__ = ["LoadedIndex", "index_problems", "index_to_xlsx", "load_index"]
