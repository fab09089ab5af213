"""A batch's summary in each format, written row by row into a binary stream: text, CSV, JSON lines, .xlsx.

Every writer takes rows as they come (:meth:`BatchWriter.row`) and the running :class:`~corengine._batch.runner.Summary`
at the end (:meth:`BatchWriter.finish`), and holds no row: memory stays flat in the number of audits. Every
field from an audit is escaped for its format: control characters shown escaped in text, CSV cells that start
like a formula quoted (OWASP), spreadsheet text never a formula. Percentages are shown as the project shows
them (half up to 2 places); JSON adds the exact fraction.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import shutil
import tempfile
import zipfile
from fractions import Fraction
from typing import IO, Any, Protocol

import attrs

from corengine._batch.runner import Row, StandardStats, Stat, Summary
from corengine._rules.scoring import display_percent, format_percent, format_percent_against
from corengine._util.escaping import csv_cell, set_cell
from corengine._util.textlayout import escape, fit, table, wrap
from corengine._views.batch import AuditLine, ElementStatLine, StandardLine, StatLine, TotalsLine, json_line
from corengine.model.converter import unstructure

FORMATS = ("text", "csv", "jsonl", "xlsx")

AUDIT_COLUMNS = (
    "file",
    "standard",
    "employer",
    "date",
    "audit_type",
    "program",
    "overall_percent",
    "elements_below_minimum",
    "outcome",
    "certificate",
    "valid_until",
    "problems",
)
"""Columns of the audit rows in CSV and in the spreadsheet's Audits sheet."""

STATISTICS_COLUMNS = (
    "standard",
    "element",
    "audits",
    "passed",
    "advisory",
    "failed",
    "bad",
    "pass_rate_percent",
    "mean_percent",
    "min_percent",
)
"""Columns of the statistics in CSV and in the spreadsheet's Statistics sheet: a row per standard (element
``overall``: its audits, how many passed (advisory ones included), of which advisory, failed, the pass rate and
the overall percentage's mean and minimum), a row per element (audits with the element applicable, mean, minimum)
and a last row ``all`` counting every file (``bad``: could not be scored)."""

ALL = "all"
OVERALL = "overall"


class BatchWriter(Protocol):
    """Writes a batch's rows as they arrive, then its summary."""

    def row(self, row: Row) -> None: ...

    def finish(self, summary: Summary) -> None: ...

    def close(self) -> None:
        """Let go of what the writer holds (temporary files), whether or not :meth:`finish` ran; safe to call
        twice."""


def _percent(value: Fraction | None, threshold: Fraction | None = None) -> str:
    """``87.50`` (the project's half-up rounding to 2 places, without the sign; more places where 2 would put a
    value on the wrong side of ``threshold``, ``79.995``), or empty."""
    if value is None:
        return ""
    text = format_percent(value) if threshold is None else format_percent_against(value, threshold)
    return text.removesuffix("%")


def _shown(row: Row) -> str:
    return _percent(row.overall, row.overall_minimum) + ("%" if row.overall is not None else "")


def _problem_lines(row: Row) -> list[str]:
    lines = [p.text() for p in row.problems]
    if row.more_problems:
        lines.append(f"... and {row.more_problems} more problem{'s' if row.more_problems != 1 else ''}")
    return lines


def _audit_values(row: Row) -> list[Any]:
    return [
        row.file,
        row.standard,
        row.employer,
        row.date.isoformat() if row.date else "",
        row.audit_type,
        row.program,
        _percent(row.overall, row.overall_minimum),
        " ".join(row.below_minimum),
        row.outcome,
        row.certificate or "",
        row.valid_until.isoformat() if row.valid_until else "",
        "; ".join(_problem_lines(row)),
    ]


def _statistics_rows(summary: Summary) -> list[list[Any]]:
    """The statistics table (without its header): counts, and percentages as exact fractions (None: none)."""
    rows: list[list[Any]] = []
    for stats in summary.by_standard():
        counts = stats.counts
        rows.append(
            [
                stats.standard,
                OVERALL,
                stats.audits,
                stats.passed,
                counts["advisory"],
                counts["fail"],
                "",
                stats.pass_rate,
                stats.overall.mean,
                stats.overall.minimum,
            ]
        )
        for element, stat in stats.elements.items():
            rows.append([stats.standard, element, stat.count, "", "", "", "", None, stat.mean, stat.minimum])
    counts = summary.counts
    rate = Fraction(100 * (counts["pass"] + counts["advisory"]), summary.scored) if summary.scored else None
    rows.append(
        [
            ALL,
            "",
            summary.files,
            counts["pass"] + counts["advisory"],
            counts["advisory"],
            counts["fail"],
            counts["bad"],
            rate,
            None,
            None,
        ]
    )
    return rows


# --------------------------------------------------------------------------- text


MARKS = {"pass": "PASS", "advisory": "ADVISORY", "fail": "FAIL", "bad": "BAD"}
"""How text marks each outcome."""


INDENT = " " * 19
"""Where a row's file name and details start, after its mark and percentage."""
MORE = INDENT + "  "
"""Where a row's wrapped lines go on."""


class TextWriter:
    """Two lines per audit (three or more for a bad file: its problems), then the totals and a table per
    standard, every line fitting the output width (long file names and details wrap). User text is shown with
    control characters escaped."""

    def __init__(self, out: IO[bytes], width: int) -> None:
        self.out, self.width = out, width

    def _write(self, lines: list[str]) -> None:
        self.out.write(("\n".join(lines) + "\n").encode("utf-8"))

    def row(self, row: Row) -> None:
        head = f"{MARKS[row.outcome]:<9}{_shown(row) if row.outcome != 'bad' else '':>8}  "
        lines = wrap(row.file, self.width, head, MORE)
        if row.outcome == "bad":
            lines += [part for line in _problem_lines(row) for part in wrap(line, self.width, INDENT, MORE)]
        else:
            what = f"{row.standard} {row.audit_type} audit ({row.program}) on {row.date}, {row.employer}"
            if row.below_minimum:
                what += f"; below the element minimum: {', '.join(row.below_minimum)}"
            if row.certificate:
                what += f"; {row.certificate}" + (f" until {row.valid_until}" if row.valid_until else "")
            lines += wrap(what, self.width, INDENT, MORE)
        self._write(lines)

    def close(self) -> None:
        pass

    def finish(self, summary: Summary) -> None:
        counts = summary.counts
        passed = counts["pass"] + counts["advisory"]
        head = f"{summary.files} file{'s' if summary.files != 1 else ''}: {passed} passed"
        if counts["advisory"]:
            head += f" ({counts['advisory']} subject to advisories)"
        head += f", {counts['fail']} failed, {counts['bad']} could not be scored"
        lines = ["", *fit(head, self.width)]
        for stats in summary.by_standard():
            lines += ["", *fit(self._standard_line(stats), self.width)]
            rows = [["Element", "Audits", "Mean", "Min"], self._stat_cells(OVERALL, stats.overall)]
            rows += [self._stat_cells(element, stat) for element, stat in stats.elements.items()]
            lines += ["  " + line for line in table(rows, self.width - 2, {1, 2, 3})]
        self._write(lines)

    @staticmethod
    def _standard_line(stats: StandardStats) -> str:
        counts = stats.counts
        line = f"{stats.standard}: {stats.audits} audit{'s' if stats.audits != 1 else ''}, {stats.passed} passed"
        if counts["advisory"]:
            line += f" ({counts['advisory']} subject to advisories)"
        return escape(line + f", {counts['fail']} failed; pass rate {format_percent(stats.pass_rate)}")

    @staticmethod
    def _stat_cells(name: str, stat: Stat) -> list[str]:
        return [name, str(stat.count), format_percent(stat.mean), format_percent(stat.minimum)]


# --------------------------------------------------------------------------- CSV


class CsvWriter:
    """The audit rows under a header, then a blank line and the statistics under their own header. Cells that
    start like a formula are quoted (OWASP)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self._line(list(AUDIT_COLUMNS))

    def _line(self, values: list[Any]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([csv_cell(v) for v in values])
        self.out.write(buffer.getvalue().encode("utf-8"))

    def row(self, row: Row) -> None:
        self._line(_audit_values(row))

    def close(self) -> None:
        pass

    def finish(self, summary: Summary) -> None:
        self.out.write(b"\n")
        self._line(list(STATISTICS_COLUMNS))
        for values in _statistics_rows(summary):
            self._line([_percent(v) if isinstance(v, Fraction) or v is None else v for v in values])


# --------------------------------------------------------------------------- JSON lines


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _stat_line(stat: Stat) -> StatLine:
    return StatLine(
        count=stat.count,
        mean=display_percent(stat.mean),
        mean_exact=_exact(stat.mean),
        min=display_percent(stat.minimum),
        min_exact=_exact(stat.minimum),
    )


def audit_line(row: Row) -> AuditLine:
    """An audit row as its document (``kind``: ``audit``)."""
    return AuditLine(
        file=row.file,
        outcome=row.outcome,
        standard=row.standard or None,
        employer=row.employer or None,
        date=row.date,
        audit_type=row.audit_type or None,
        program=row.program or None,
        overall=display_percent(row.overall),
        overall_exact=_exact(row.overall),
        below_minimum=row.below_minimum,
        certificate=row.certificate,
        valid_until=row.valid_until,
        problems=row.problems,
        more_problems=row.more_problems,
    )


def audit_json(row: Row) -> dict[str, Any]:
    """An audit row as JSON data (``kind``: ``audit``), as the converter writes an :class:`AuditLine`."""
    data: dict[str, Any] = unstructure(audit_line(row))
    return data


def summary_lines(summary: Summary) -> list[StandardLine | TotalsLine]:
    """The summary as documents: one per standard, then the totals."""
    items: list[StandardLine | TotalsLine] = []
    for stats in summary.by_standard():
        counts = stats.counts
        items.append(
            StandardLine(
                standard=stats.standard,
                audits=stats.audits,
                passed=stats.passed,
                advisory=counts["advisory"],
                failed=counts["fail"],
                pass_rate=display_percent(stats.pass_rate),
                pass_rate_exact=_exact(stats.pass_rate),
                overall=_stat_line(stats.overall),
                elements=tuple(
                    ElementStatLine(element=element, **attrs.asdict(_stat_line(stat)))
                    for element, stat in stats.elements.items()
                ),
            )
        )
    counts = summary.counts
    items.append(
        TotalsLine(
            files=summary.files,
            scored=summary.scored,
            passed=counts["pass"] + counts["advisory"],
            advisory=counts["advisory"],
            failed=counts["fail"],
            bad=counts["bad"],
        )
    )
    return items


def summary_json(summary: Summary) -> list[dict[str, Any]]:
    """The summary as JSON data: one object per standard (``kind``: ``standard``), then the totals (``kind``:
    ``totals``)."""
    return [unstructure(item) for item in summary_lines(summary)]


class JsonLinesWriter:
    """One JSON object per line: each audit (``kind`` ``audit``), then each standard, then the totals."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out

    def row(self, row: Row) -> None:
        self.out.write(json_line(audit_line(row)))

    def close(self) -> None:
        pass

    def finish(self, summary: Summary) -> None:
        for item in summary_lines(summary):
            self.out.write(json_line(item))


# --------------------------------------------------------------------------- spreadsheet

FIXED_TIME = dt.datetime(2000, 1, 1)
"""Created and modified time of the workbook, so the same audits give the same bytes."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


AUDIT_WIDTHS = (40, 18, 30, 12, 14, 10, 10, 16, 10, 14, 12, 60)
"""Column widths (in characters) of the Audits sheet, one per :data:`AUDIT_COLUMNS`: the sheet is streamed, so
they are fixed in advance, wide enough for the usual values (a longer one wraps or is cut by the program)."""
STATISTICS_WIDTHS = (18, 12, 8, 8, 10, 8, 8, 12, 12, 12)
"""Column widths of the Statistics sheet, one per :data:`STATISTICS_COLUMNS`."""
DATE_FORMAT = "yyyy-mm-dd"
"""How the date cells (``date``, ``valid_until``) are shown: ISO, as every other output writes them."""
PERCENT_FORMAT = "0.00"
"""How the percentage cells are shown: 2 places, as the project rounds them."""


class XlsxWriter:
    """A workbook with an Audits sheet (one row per audit) and a Statistics sheet, each a table: a bold header
    row frozen in place, fixed column widths, an autofilter over every row, dates as date cells and numbers as
    number cells. openpyxl's write-only mode keeps rows on disk, not in memory; text cells are never formulas
    (:func:`~corengine._util.escaping.set_cell`)."""

    def __init__(self, out: IO[bytes]) -> None:
        from openpyxl import Workbook

        self.out = out
        self.book = Workbook(write_only=True)
        self.audits = self._table("Audits", AUDIT_COLUMNS, AUDIT_WIDTHS)
        self.rows = 1

    def _table(self, name: str, columns: tuple[str, ...], widths: tuple[int, ...]) -> Any:
        """A new sheet with its header row written: widths and the frozen row are set before the first row
        (write-only mode writes them at the sheet's top)."""
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        sheet = self.book.create_sheet(name)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        self._append(sheet, list(columns), Font(bold=True))
        return sheet

    def _append(self, sheet: Any, values: list[Any], font: Any = None) -> None:
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet)
            if value == "":
                cell.value = None
            elif isinstance(value, dt.date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            elif isinstance(value, float):
                cell.value = value
                cell.number_format = PERCENT_FORMAT
            else:
                set_cell(cell, value)
            if font is not None:
                cell.font = font
            cells.append(cell)
        sheet.append(cells)

    def row(self, row: Row) -> None:
        values = _audit_values(row)
        values[AUDIT_COLUMNS.index("overall_percent")] = _cell_percent(row.overall)
        values[AUDIT_COLUMNS.index("date")] = row.date or ""
        values[AUDIT_COLUMNS.index("valid_until")] = row.valid_until or ""
        self._append(self.audits, values)
        self.rows += 1

    def close(self) -> None:
        """Remove the sheets' temporary files (openpyxl keeps each write-only sheet in one until the workbook is
        written, and removes them only when the interpreter exits normally: a SIGTERM would leave them)."""
        for sheet in self.book.worksheets:
            writer = getattr(sheet, "_writer", None)
            if writer is None:
                continue
            if not sheet.closed:
                with contextlib.suppress(Exception):  # the rows generator closes on the file it writes into
                    sheet.close()
            if isinstance(writer.out, str):
                with contextlib.suppress(OSError, ValueError):
                    writer.cleanup()

    def finish(self, summary: Summary) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.writer.excel import ExcelWriter

        self.audits.auto_filter.ref = f"A1:{get_column_letter(len(AUDIT_COLUMNS))}{self.rows}"
        sheet = self._table("Statistics", STATISTICS_COLUMNS, STATISTICS_WIDTHS)
        statistics = _statistics_rows(summary)
        for values in statistics:
            self._append(sheet, [_cell_percent(v) if isinstance(v, Fraction) or v is None else v for v in values])
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(STATISTICS_COLUMNS))}{1 + len(statistics)}"
        self.book.properties.created = FIXED_TIME
        self.book.properties.modified = FIXED_TIME
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                ExcelWriter(self.book, archive).write_data()
            spool.seek(0)
            _normalised_copy(spool, self.out)


def _cell_percent(value: Fraction | None) -> float | str:
    percent = display_percent(value)
    return "" if percent is None else percent


def _normalised_copy(source: IO[bytes], out: IO[bytes]) -> None:
    """Copy a zip archive entry by entry with fixed times, so equal content gives equal bytes (streamed)."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            with archive.open(info) as reading, target.open(fixed, "w", force_zip64=info.file_size > 2**30) as writing:
                shutil.copyfileobj(reading, writing)


def writer_for(fmt: str, out: IO[bytes], width: int = 80) -> BatchWriter:
    """The writer of ``fmt`` (one of :data:`FORMATS`) into ``out``."""
    if fmt == "csv":
        return CsvWriter(out)
    if fmt == "jsonl":
        return JsonLinesWriter(out)
    if fmt == "xlsx":
        return XlsxWriter(out)
    return TextWriter(out, width)


__all__ = [
    "AUDIT_COLUMNS",
    "FORMATS",
    "STATISTICS_COLUMNS",
    "BatchWriter",
    "audit_json",
    "audit_line",
    "summary_json",
    "summary_lines",
    "writer_for",
]
