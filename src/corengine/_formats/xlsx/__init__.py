"""The audit workbook as a spreadsheet: an ``.xlsx`` an auditor fills in, read back as plain audit data.

:func:`write_workbook` makes a blank workbook for one standard and program: an *Instructions* sheet, an
*Audit* sheet (one field per row: key, value, what to write; below the core's fields, a row for each field of
every registered audit extension, ``extensions.NAME.FIELD``) and a *Responses* sheet (one row per question,
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

The package holds it in five parts: :mod:`.layout` (fields and columns), :mod:`.write`, :mod:`.parts` (each XML
part measured before openpyxl opens it), :mod:`.stream` (the
bounded streaming reader) and :mod:`.read` (cells to audit data).
"""

from __future__ import annotations

from corengine._formats.xlsx.layout import (
    ADDED_FIELDS,
    AUDIT_FIELDS,
    AUDIT_HEADERS,
    COLUMN_HELP,
    ELEMENT_PREFIX,
    EXTENSION_PREFIX,
    FIELD_PATHS,
    FIXED_TIME,
    LOCKED_FIELDS,
    MAX_UNPACKED,
    RESPONSE_COLUMNS,
    TALLIES,
    ZIP_TIME,
    extension_rows,
)
from corengine._formats.xlsx.read import (
    AUDIT_BOUNDS,
    audit_bounds,
    read_workbook,
    read_workbook_checked,
    response_rows,
    responses_bounds,
)
from corengine._formats.xlsx.stream import (
    COLUMN_SLACK,
    MAX_ROWS,
    ROW_SLACK,
    Book,
    Bounds,
    Cell,
    Sheet,
    column_index,
    column_letter,
    open_workbook,
    workbook_from_bytes,
)
from corengine._formats.xlsx.write import write_workbook

__all__ = [
    "ADDED_FIELDS",
    "AUDIT_BOUNDS",
    "AUDIT_FIELDS",
    "AUDIT_HEADERS",
    "COLUMN_HELP",
    "COLUMN_SLACK",
    "ELEMENT_PREFIX",
    "EXTENSION_PREFIX",
    "FIELD_PATHS",
    "FIXED_TIME",
    "LOCKED_FIELDS",
    "MAX_ROWS",
    "MAX_UNPACKED",
    "RESPONSE_COLUMNS",
    "ROW_SLACK",
    "TALLIES",
    "ZIP_TIME",
    "Book",
    "Bounds",
    "Cell",
    "Sheet",
    "audit_bounds",
    "column_index",
    "column_letter",
    "extension_rows",
    "open_workbook",
    "read_workbook",
    "read_workbook_checked",
    "response_rows",
    "responses_bounds",
    "workbook_from_bytes",
    "write_workbook",
]
