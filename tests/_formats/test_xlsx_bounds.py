"""Spreadsheets are read in streaming mode and only as far as a workbook can reach: a value beyond (row
1,048,576, column XFD) refuses the workbook with one problem naming the cell, and nothing else is read.

Correctness only: the time and memory of refusing such a workbook are measured in benchmarks/run.py (e).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from corengine import InputError
from corengine._cli.main import cli
from corengine._formats.evidence_index import index_to_xlsx, load_index
from corengine._formats.xlsx import (
    AUDIT_BOUNDS,
    AUDIT_FIELDS,
    MAX_ROWS,
    read_workbook,
    read_workbook_checked,
    response_rows,
    responses_bounds,
    write_workbook,
)
from corengine._formats.xlsx.layout import PREREQUISITE_ROWS
from tests.helpers import (
    EXAMPLES,
    basic_filled,
    bundled_engine,
    edit,
    make_engine,
    run_test_standard,
    validate_problems,
)

RESPONSES_PART = "xl/worksheets/sheet3.xml"
"""The Responses sheet's part in a workbook corengine wrote (Instructions, Audit, Responses)."""

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"

AUDIT_ROWS = 1 + len(AUDIT_FIELDS) + 100 + PREREQUISITE_ROWS
"""The Audit sheet's bound: its header, one row per field, 100 rows of slack and room for the prerequisites' rows
(153 with 32 fields)."""


def minimal_xlsx(sheets: dict[str, str]) -> bytes:
    """A workbook written by hand: each sheet's name and the XML inside its ``<sheetData>``."""
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    book_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    numbers = range(1, len(sheets) + 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{book_type}"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}"/>' for n in numbers)
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            + "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(sheets, start=1))
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in numbers
            )
            + "</Relationships>",
        )
        for n, body in enumerate(sheets.values(), start=1):
            archive.writestr(
                f"xl/worksheets/sheet{n}.xml", f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'
            )
    return out.getvalue()


def rewrite(path: Path, change: Callable[[str], str], part: str = RESPONSES_PART) -> Path:
    """Edit one sheet's XML by hand (what openpyxl would not write), keeping every other part."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    text = parts[part].decode()
    changed = change(text)
    assert changed != text, "the edit must change the sheet"
    parts[part] = changed.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def before_end_of_cells(xml: str) -> Callable[[str], str]:
    return lambda text: text.replace("</sheetData>", xml + "</sheetData>")


def text_cell(reference: str, text: str = "x") -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


# --------------------------------------------------------------------------- a value beyond the bounds


FAR: dict[str, tuple[str, str, str]] = {
    "last-row": (
        "Responses",
        "A1048576",
        "Responses!A1048576: the sheet reaches row 1048576; a workbook for test-basic (Large) has at most 109 rows here",
    ),
    "last-column": (
        "Responses",
        "XFD2",
        "Responses!XFD2: the sheet reaches column XFD; a workbook for test-basic (Large) has at most 22 columns here (A to V)",
    ),
    "last-cell": (
        "Responses",
        "XFD1048576",
        "Responses!XFD1048576: the sheet reaches row 1048576; a workbook for test-basic (Large) has at most 109 rows here",
    ),
    "note-far-down": (
        "Responses",
        "L50001",
        "Responses!L50001: the sheet reaches row 50001; a workbook for test-basic (Large) has at most 109 rows here",
    ),
    "audit-last-row": (
        "Audit",
        "B1048576",
        f"Audit!B1048576: the sheet reaches row 1048576; an audit workbook has at most {AUDIT_ROWS} rows here",
    ),
    "audit-below-the-slack": (
        "Audit",
        f"A{AUDIT_ROWS + 1}",
        f"Audit!A{AUDIT_ROWS + 1}: the sheet reaches row {AUDIT_ROWS + 1}; an audit workbook has at most "
        f"{AUDIT_ROWS} rows here",
    ),
    "audit-column": (
        "Audit",
        "N2",
        "Audit!N2: the sheet reaches column N; an audit workbook has at most 13 columns here (A to M)",
    ),
}


@pytest.mark.parametrize("case", list(FAR), ids=list(FAR))
def test_a_value_beyond_the_bounds_refuses_the_workbook_with_one_problem(case: str, tmp_path: Path) -> None:
    sheet, cell, expected = FAR[case]

    def change(wb: openpyxl.Workbook) -> None:
        wb["Responses"]["G3"] = "ten"  # a problem of its own, never reached: nothing else is read
        wb[sheet][cell] = "x"

    path = edit(basic_filled(tmp_path), change)
    before = path.read_bytes()
    assert validate_problems(path) == [f"error: audit.xlsx: {expected}"]
    assert run_test_standard("score", str(path), "--format", "json").stdout == ""
    assert path.read_bytes() == before


def test_a_workbook_whose_only_cell_is_on_the_last_row_is_refused(tmp_path: Path) -> None:
    last = f'<row r="1048576">{text_cell("A1048576")}</row>'
    raw = minimal_xlsx({"Instructions": "", "Audit": last, "Responses": last})
    expected = f"Audit!A1048576: the sheet reaches row 1048576; an audit workbook has at most {AUDIT_ROWS} rows here"
    path = tmp_path / "audit.xlsx"
    path.write_bytes(raw)
    assert validate_problems(path) == [f"error: audit.xlsx: {expected}"]
    with pytest.raises(InputError) as caught:
        bundled_engine().load_audit_bytes(raw, "upload.xlsx")
    assert caught.value.problems == (f"upload.xlsx: {expected}",)


def test_values_within_the_slack_are_still_read_and_reported(tmp_path: Path) -> None:
    path = edit(basic_filled(tmp_path), lambda wb: wb["Audit"].__setitem__(f"A{AUDIT_ROWS}", "colour"))
    assert validate_problems(path) == [
        f"error: audit.xlsx: Audit!A{AUDIT_ROWS}: unknown field 'colour'; fields must not be added"
    ]
    path = edit(basic_filled(tmp_path, "notes.xlsx"), lambda wb: wb["Responses"].__setitem__("V3", "my own note"))
    assert run_test_standard("validate", str(path)).output == f"{path}: valid\n"


# --------------------------------------------------------------------------- bounded by the standard


def test_the_responses_rows_are_those_the_blank_workbook_has() -> None:
    engine = bundled_engine()
    standards = [make_engine().standard("test-basic")] + [engine.standard(ident) for ident in sorted(engine.sources())]
    for standard in standards:
        for program in standard.programs:
            if not any(element.questions for element in standard.elements):
                continue
            blank = openpyxl.load_workbook(io.BytesIO(write_workbook(standard, program)))
            assert response_rows(standard, program) == blank["Responses"].max_row, (standard.id, program)


def test_given_the_standard_the_responses_sheet_is_bounded_by_it(tmp_path: Path) -> None:
    engine = make_engine()
    standard = engine.standard("test-basic")
    assert response_rows(standard, "Large") == 9  # the header, two elements, six questions
    assert response_rows(standard, "Small") == 8  # 2.2 is a Large-only question
    assert response_rows(standard, None) == 9  # no program named: every question
    path = edit(basic_filled(tmp_path), lambda wb: wb["Responses"].__setitem__("A109", "9.9"))
    data, _, _, _ = read_workbook_checked(path, standards=engine.standard)
    assert "9.9" in data["responses"]  # within the slack: read, and reported as unknown when checked
    edit(path, lambda wb: wb["Responses"].__setitem__("A110", "9.10"))
    with pytest.raises(InputError) as caught:
        read_workbook_checked(path, standards=engine.standard)
    assert caught.value.problems == (
        f"{path}: Responses!A110: the sheet reaches row 110; a workbook for test-basic (Large) has at most 109 rows "
        "here",
    )
    assert read_workbook_checked(path)[0]["responses"]["9.10"] == {}  # without the standard: the wider bound


def test_an_unknown_standard_gets_the_wider_bound() -> None:
    engine = make_engine()
    assert responses_bounds("no-such-standard", None, engine.standard).rows == MAX_ROWS
    assert responses_bounds(None, None, engine.standard).rows == MAX_ROWS
    assert responses_bounds("test-basic", "Nope", engine.standard).scope == "a workbook for test-basic"
    assert AUDIT_BOUNDS.rows == AUDIT_ROWS


def test_more_cells_than_the_bounded_area_holds_are_refused(tmp_path: Path) -> None:
    engine = make_engine()
    empty_rows = "".join(f'<row r="{n}">' + "<c/>" * 22 + "</row>" for n in range(20, 130))
    path = rewrite(basic_filled(tmp_path), before_end_of_cells(empty_rows))
    with pytest.raises(InputError) as caught:
        read_workbook_checked(path, standards=engine.standard)
    [found] = caught.value.problems
    assert found.cell is not None and re.fullmatch(r"Responses![A-V]1[0-2][0-9]", found.cell)
    assert found.message == (
        "the sheet holds more than 2398 cells; a workbook for test-basic (Large) has at most 109 rows of 22 columns "
        "here"
    )


# --------------------------------------------------------------------------- what is not refused


def test_the_declared_dimension_is_never_trusted(tmp_path: Path) -> None:
    path = basic_filled(tmp_path)
    expected = read_workbook(path)
    for declared in ("A1:XFD1048576", "A1:A1"):
        rewrite(path, lambda text, d=declared: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{d}"', text))
        assert read_workbook(path) == expected, declared


def test_formatted_empty_cells_far_away_are_not_values(tmp_path: Path) -> None:
    path = basic_filled(tmp_path)
    expected = read_workbook(path)
    formatted = '<row r="1048576" s="1" customFormat="1"><c r="A1048576" s="1"/><c r="XFD1048576" s="1"/></row>'
    rewrite(path, before_end_of_cells(formatted))
    assert read_workbook(path) == expected


def test_formulas_and_error_values_are_still_named(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Responses"]["G3"] = "=SUM(1,2)"
        wb["Responses"]["G4"] = "#DIV/0!"

    path = edit(basic_filled(tmp_path), change)
    assert validate_problems(path) == [
        "error: audit.xlsx: Responses!G3: responses[\"1.1\"].points: is a formula ('=SUM(1,2)') with no saved value; "
        "type the value itself",
        "error: audit.xlsx: Responses!G4: responses[\"1.2\"].points: holds the error value '#DIV/0!'; "
        "type the value itself",
    ]


# --------------------------------------------------------------------------- sheets no spreadsheet program writes


MALFORMED: dict[str, tuple[Callable[[str], str], str]] = {
    "rows-out-of-order": (
        before_end_of_cells(f'<row r="5">{text_cell("A5")}</row>'),
        "sheet 'Responses': row 5 comes after row 9",
    ),
    "a-cell-in-another-row": (
        before_end_of_cells(f'<row r="50">{text_cell("A49")}</row>'),
        "sheet 'Responses': cell A49 in row 50",
    ),
    "a-row-beyond-the-format": (
        before_end_of_cells('<row r="1048577"/>'),
        "sheet 'Responses': row 1048577 is beyond the last row a sheet can have",
    ),
    "a-flood-outside-the-rows": (
        lambda text: text.replace("<sheetData>", "<cols>" + '<col min="1" max="1"/>' * 65_537 + "</cols><sheetData>"),
        "sheet 'Responses': more than 65536 elements outside its rows",
    ),
    "a-bad-cell-reference": (
        before_end_of_cells(f'<row r="50">{text_cell("5A")}</row>'),
        "sheet 'Responses': bad cell reference '5A'",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_a_sheet_no_spreadsheet_program_writes_is_refused(case: str, tmp_path: Path) -> None:
    change, detail = MALFORMED[case]
    path = rewrite(basic_filled(tmp_path), change)
    assert validate_problems(path) == [f"error: audit.xlsx: not a readable .xlsx workbook ({detail})"]


def test_a_row_wider_than_the_format_is_refused_by_the_standard_s_cell_bound(tmp_path: Path) -> None:
    path = rewrite(basic_filled(tmp_path), before_end_of_cells('<row r="50">' + "<c/>" * 16_385 + "</row>"))
    assert validate_problems(path) == [
        "error: audit.xlsx: Responses!CJC50: the sheet holds more than 2398 cells; a workbook for test-basic "
        "(Large) has at most 109 rows of 22 columns here"
    ]


def test_broken_sheet_xml_is_refused(tmp_path: Path) -> None:
    path = rewrite(basic_filled(tmp_path), lambda text: text.replace("</sheetData>", "<row></sheetData>"))
    [line] = validate_problems(path)
    assert line.startswith("error: audit.xlsx: not a readable .xlsx workbook (sheet 'Responses': mismatched tag")


# --------------------------------------------------------------------------- the evidence index


def index_workbook(tmp_path: Path, sheet: str, cell: str) -> Path:
    index = load_index(EXAMPLES / "evidence" / "alberta-evidence-partial.yaml").index
    book = openpyxl.load_workbook(io.BytesIO(index_to_xlsx(index)))
    book[sheet][cell] = "x"
    path = tmp_path / "index.xlsx"
    book.save(path)
    return path


INDEX_FAR = {
    "records-last-row": (
        "Records",
        "A1048576",
        "Records!A1048576: the sheet reaches row 1048576; an evidence index has at most 50000 rows here",
    ),
    "records-last-cell": (
        "Records",
        "XFD1048576",
        "Records!XFD1048576: the sheet reaches row 1048576; an evidence index has at most 50000 rows here",
    ),
    "manual-column": (
        "Manual",
        "P1",
        "Manual!P1: the sheet reaches column P; an evidence index has at most 15 columns here (A to O)",
    ),
    "employer-row": (
        "Employer",
        "A105",
        "Employer!A105: the sheet reaches row 105; an evidence index has at most 104 rows here",
    ),
    "employer-column": (
        "Employer",
        "M1",
        "Employer!M1: the sheet reaches column M; an evidence index has at most 12 columns here (A to L)",
    ),
}


@pytest.mark.parametrize("case", list(INDEX_FAR), ids=list(INDEX_FAR))
def test_an_evidence_index_with_a_value_beyond_the_bounds_is_refused(case: str, tmp_path: Path) -> None:
    sheet, cell, expected = INDEX_FAR[case]
    path = index_workbook(tmp_path, sheet, cell)
    with pytest.raises(InputError) as caught:
        load_index(path)
    assert caught.value.problems == (f"{path}: {expected}",)
    result = CliRunner().invoke(cli, ["readiness", "ab-acsa-cor", str(path)])
    assert (result.exit_code, result.stderr) == (2, f"error: {path}: {expected}\n")


def test_an_evidence_index_within_the_bounds_reads_as_before(tmp_path: Path) -> None:
    path = index_workbook(tmp_path, "Records", "L2")  # a note of the employer's own, right of the table
    yaml_index = load_index(EXAMPLES / "evidence" / "alberta-evidence-partial.yaml").index
    assert load_index(path).index == yaml_index
