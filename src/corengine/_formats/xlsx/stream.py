"""Reading an ``.xlsx`` in streaming mode without trusting it: each sheet only as far as a workbook can
reach (:class:`Bounds`), refused at the first cell beyond with one problem naming it, in small memory."""

from __future__ import annotations

import io
import itertools
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree.ElementTree import ParseError

from corengine._formats.xlsx.layout import MAX_UNPACKED
from corengine._formats.xlsx.parts import measure_parts
from corengine._io.loading import check_size, read_bytes
from corengine.errors import InputError, problem

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
    """One cell as read: its value and openpyxl's data type (``f`` a formula with no saved value, ``e`` an error
    value). A formula cell whose value the spreadsheet program saved holds that value, with its type, and the
    formula's text in ``formula``."""

    row: int
    column: int
    value: Any = None
    data_type: str = "n"
    formula: str | None = None

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

    def __init__(self, workbook: Any, archive: zipfile.ZipFile, source: str, raw: bytes | None = None) -> None:
        self._workbook = workbook
        self._archive = archive
        self.source = source
        self._raw = raw
        self._saved: Any = None
        """The same workbook opened for the values saved with its formulas, when a sheet has formulas."""

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
        formulas = [key for key, cell in cells.items() if cell.data_type == "f"]
        if formulas and self._raw is not None:
            self._saved_values(self._raw, name, cells, formulas, (last, bounds.columns))
        return Sheet(ws.title, cells)

    def _saved_values(
        self,
        raw: bytes,
        name: str,
        cells: dict[tuple[int, int], Cell],
        formulas: list[tuple[int, int]],
        reach: tuple[int, int],
    ) -> None:
        """Give each formula cell in ``formulas`` the value the spreadsheet program saved with it (``<v>``), read
        by openpyxl's data-only mode so a saved date is a date as in any other cell; a formula with no saved
        value stays a formula (``f``). The rows read are those already read, within the same bounds."""
        from openpyxl import load_workbook

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if self._saved is None:
                    self._saved = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
                wanted = set(formulas)
                last, columns = reach
                rows = self._saved[name].iter_rows(min_row=1, max_row=last, min_col=1, max_col=columns)
                try:
                    for row in itertools.islice(rows, last):
                        for item in row:
                            if item.value is None:  # an empty cell (openpyxl's EmptyCell has no place)
                                continue
                            key = (item.row, item.column)
                            if key in wanted:
                                text = str(cells[key].value)
                                cells[key] = Cell(item.row, item.column, item.value, item.data_type, text)
                finally:
                    rows.close()
        except Exception as exc:  # openpyxl raises many kinds on a damaged sheet
            raise self.unreadable(str(exc) or type(exc).__name__) from None

    def unreadable(self, detail: str) -> InputError:
        return InputError([problem(self.source, "", f"not a readable .xlsx workbook ({detail})")])

    def close(self) -> None:
        self._workbook.close()
        if self._saved is not None:
            self._saved.close()
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
    """The workbook in ``raw`` (an upload, say), with the checks of :func:`open_workbook`; ``source`` names it.
    Every XML part is measured (:func:`~corengine._formats.xlsx.parts.measure_parts`) before openpyxl opens it."""
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
    try:
        measure_parts(archive, source)  # before openpyxl parses any part whole
    except InputError:
        archive.close()
        raise
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged archive
        archive.close()
        detail = str(exc) or type(exc).__name__
        raise InputError([problem(source, "", f"not a readable .xlsx workbook ({detail})")]) from None
    return Book(workbook, archive, source, None if data_only else raw)
