"""Spreadsheet workbooks: blank structure, same bytes, round trip against YAML, damaged workbooks refused."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from click.testing import CliRunner

from corengine import Engine, InputError
from corengine._cli.main import cli
from corengine._formats.xlsx import AUDIT_FIELDS, RESPONSE_COLUMNS, read_workbook, write_workbook
from corengine._io.loading import MAX_BYTES
from corengine._views.render import dumps, result_json
from corengine.model import Audit, Auditor, Employer, Response
from tests.helpers import (
    DATA,
    EXAMPLES,
    ROOT,
    basic_filled,
    blank,
    edit,
    fill,
    make_engine,
    run_test_standard,
    validate_problems,
    yaml_data,
)

EXAMPLE_AUDITS = sorted(
    path for path in (EXAMPLES).glob("*.yaml") if "\nresponses:" in path.read_text(encoding="utf-8")
)
"""Every example audit (the folder also holds evidence indexes, which have no responses)."""


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("example", EXAMPLE_AUDITS, ids=[p.stem for p in EXAMPLE_AUDITS])
def test_example_round_trips_through_a_spreadsheet_with_the_same_score(
    example: Path, installed: Engine, tmp_path: Path
) -> None:
    data = yaml_data(example)
    standard = installed.standard(data["standard"])
    path = tmp_path / f"{example.stem}.xlsx"
    path.write_bytes(write_workbook(standard, data.get("program") or standard.programs[0]))
    fill(path, data)
    from_yaml = installed.load_audit(example)
    from_xlsx = installed.load_audit(path)
    assert from_xlsx.audit == from_yaml.audit
    assert from_xlsx.source == str(path)
    assert dumps(result_json(installed.score(from_xlsx))) == dumps(result_json(installed.score(from_yaml)))


def test_explain_plan_and_report_read_a_spreadsheet_like_yaml(installed: Engine, tmp_path: Path) -> None:
    example = EXAMPLES / "alberta-acsa-cor-certification-element-fail.yaml"
    data = yaml_data(example)
    path = tmp_path / "audit.xlsx"
    path.write_bytes(write_workbook(installed.standard(data["standard"]), "COR"))
    fill(path, data)
    for args in (["explain"], ["explain", "--format", "json"], ["plan"], ["report"], ["report", "--format", "html"]):
        from_yaml = CliRunner().invoke(cli, [*args, str(example)], env={})
        from_xlsx = CliRunner().invoke(cli, [*args, str(path)], env={})
        assert (from_xlsx.exit_code, from_yaml.exit_code) == (0, 0), args
        assert from_xlsx.stdout.replace(str(path), "AUDIT") == from_yaml.stdout.replace(str(example), "AUDIT"), args


def test_every_example_province_is_covered() -> None:
    assert {p.name.split("-")[0] for p in EXAMPLE_AUDITS} >= {"alberta", "ontario", "bc"}


def test_cli_new_then_score_a_spreadsheet_matches_the_yaml_score(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    result = run_test_standard("new", "test-basic", "-o", str(out))
    assert (result.exit_code, result.stderr) == (0, f"wrote {out}\n")
    data = yaml_data(DATA / "audit-basic.yaml")
    yaml_score = run_test_standard("score", str(DATA / "audit-basic.yaml"), "--format", "json")
    data["responses"]["2.1"] = {"interviews": {"positive": 10, "total": 13}}
    fill(out, data)
    before = (out.read_bytes(), out.stat().st_mtime_ns)
    assert run_test_standard("validate", str(out)).output == f"{out}: valid\n"
    xlsx_score = run_test_standard("score", str(out), "--format", "json")
    assert xlsx_score.exit_code == 0
    assert xlsx_score.output == yaml_score.output
    assert (
        run_test_standard("score", str(out)).output == run_test_standard("score", str(DATA / "audit-basic.yaml")).output
    )
    assert (out.read_bytes(), out.stat().st_mtime_ns) == before, "an input file must never be modified"


def test_cli_new_xlsx_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    out.write_bytes(b"mine")
    result = run_test_standard("new", "test-basic", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"error: {out}: already exists; choose another name (workbooks are never overwritten)\n"
    assert out.read_bytes() == b"mine"
    assert os.listdir(tmp_path) == ["x.xlsx"]


def test_numbers_are_read_exactly(tmp_path: Path) -> None:
    path = basic_filled(tmp_path)

    def change(wb: openpyxl.Workbook) -> None:
        wb["Responses"]["G3"] = 7.5  # 1.1
        wb["Responses"]["G4"] = "5"  # 1.2, typed as text
        audit = wb["Audit"]
        audit["B17"] = 0.1  # employer.fte
        audit["B8"] = "2024-05-20"  # report_date, typed as text

    edit(path, change)
    data, _, cells = read_workbook(path)
    assert data["responses"]["1.1"] == {"points": "7.5"}
    assert data["responses"]["1.2"] == {"points": "5"}
    assert data["employer"]["fte"] == "0.1"
    assert data["report_date"] == "2024-05-20"
    assert data["audit_date"] == "2024-05-10"
    assert cells[("responses", "1.1", "points")] == "Responses!G3"
    assert cells[("employer", "fte")] == "Audit!B17"
    loaded = make_engine().load_audit(path)
    assert str(loaded.audit.responses["1.1"].points) == "15/2"
    assert str(loaded.audit.employer.fte) == "1/10"

    edit(path, lambda wb: wb["Responses"].__setitem__("G3", "15/2"))
    assert read_workbook(path)[0]["responses"]["1.1"] == {"points": "15/2"}
    assert str(make_engine().load_audit(path).audit.responses["1.1"].points) == "15/2"


def test_na_and_notes_are_read(tmp_path: Path) -> None:
    path = basic_filled(tmp_path)

    def change(wb: openpyxl.Workbook) -> None:
        sheet = wb["Responses"]
        for column in "HIJ":
            sheet[f"{column}5"] = None  # 1.3's tally
        sheet["K5"] = "no workers on site"
        sheet["L5"] = 42

    edit(path, change)
    assert read_workbook(path)[0]["responses"]["1.3"] == {"na": "no workers on site", "note": "42"}
    assert run_test_standard("validate", str(path)).exit_code == 0


# --------------------------------------------------------------------------- the blank workbook


def test_same_standard_gives_the_same_bytes() -> None:
    standard = make_engine().standard("test-basic")
    first = write_workbook(standard, "Large")
    assert write_workbook(standard, "Large") == first
    assert write_workbook(standard, "Small") != first


def test_same_bytes_in_another_process() -> None:
    code = (
        "import sys; from tests.conftest import make_engine; from corengine._formats.xlsx import write_workbook; "
        "sys.stdout.buffer.write(write_workbook(make_engine().standard('test-basic'), 'Large'))"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1] == write_workbook(make_engine().standard("test-basic"), "Large")


def test_workbook_properties_are_fixed() -> None:
    raw = write_workbook(make_engine().standard("test-basic"), "Large")
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    assert wb.properties.created == wb.properties.modified == dt.datetime(2000, 1, 1)
    assert wb.properties.creator == "corengine"
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_blank_workbook_structure(tmp_path: Path) -> None:
    path = blank(make_engine(), tmp_path, "test-basic", "Small")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instructions", "Audit", "Responses"]
    instructions = "\n".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "reference text, not the partner's official document" in instructions
    assert all(f"{name}: " in instructions for name, _ in RESPONSE_COLUMNS)

    audit = wb["Audit"]
    assert [audit.cell(row=r, column=1).value for r in range(1, len(AUDIT_FIELDS) + 2)] == [
        "Field",
        *(key for key, _, _ in AUDIT_FIELDS),
    ]
    assert [audit[f"B{r}"].value for r in (2, 3, 4, 5)] == ["test-basic", "1", "Small", "certification"]
    assert audit["B2"].protection.locked and not audit["B6"].protection.locked

    sheet = wb["Responses"]
    assert [c.value for c in sheet[1]] == [name for name, _ in RESPONSE_COLUMNS]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_col=8)]
    assert [(r[0], r[2]) for r in rows] == [
        ("Element 1", 30),
        ("1.1", 10),
        ("1.2", 10),
        ("1.3", 10),
        ("Element 2", 30),
        ("2.1", 20),
        ("2.3", 10),
    ], "2.2 is a Large-only question"
    assert rows[3][4] == "in proportion to positive tallies, rounded down; tally: interviews; N/A allowed"
    assert rows[2][4] == "awarded by the auditor; points: one of 0, 5, 10; MANDATORY"
    assert [r[7] for r in rows] == [None, None, None, "interviews", None, "observations", "documents"]

    for ws in (wb["Instructions"], audit, sheet):
        assert ws.protection.sheet and not ws.protection.password
    unlocked = {
        row[0].value: "".join(c.column_letter for c in row if not c.protection.locked)
        for row in sheet.iter_rows(min_row=2)
    }
    assert unlocked == {
        "Element 1": "",
        "1.1": "GL",
        "1.2": "GL",
        "1.3": "IJKL",  # fixed tally, N/A allowed
        "Element 2": "",
        "2.1": "HIJL",  # tally chosen by the auditor
        "2.3": "HIJKL",
    }

    validations = {
        (v.type, v.operator, v.formula1, v.formula2): str(v.sqref) for v in sheet.data_validations.dataValidation
    }
    assert validations == {
        ("decimal", "between", "0", "10"): "G3",
        ("list", None, '"0,5,10"', None): "G4",
        ("list", None, '"interviews,observations,documents"', None): "H7 H8",
        ("whole", "greaterThanOrEqual", "0", None): "I5 I7 I8 J5 J7 J8",
    }
    audit_validations = {(v.type, v.formula1): str(v.sqref) for v in audit.data_validations.dataValidation}
    assert audit_validations[("date", "DATE(1900,1,1)")] == "B6 B7 B8 B9"
    assert audit_validations[("list", '"external,internal,candidate,self-assessor"')] == "B27"


def test_every_validation_refuses_and_explains(tmp_path: Path) -> None:
    """openpyxl writes showErrorMessage and showInputMessage off by default, and Excel and LibreOffice then accept
    12 in a 0/5/10 cell silently: every validation of a workbook from ``new`` turns both on."""
    path = blank(make_engine(), tmp_path, "test-basic", "Large")
    wb = openpyxl.load_workbook(path)
    seen = {}
    for sheet in ("Audit", "Responses"):
        for v in wb[sheet].data_validations.dataValidation:
            assert (v.showErrorMessage, v.showInputMessage, v.allow_blank) == (True, True, True), v
            assert v.error == v.prompt, v
            seen[(sheet, str(v.sqref))] = (v.errorStyle, v.errorTitle, v.error, v.promptTitle)
    assert seen[("Responses", "G4")] == ("stop", "Points out of range", "Points must be one of 0, 5, 10.", "Points")
    assert seen[("Responses", "G3 G8")] == (
        "warning",
        "Points out of range",
        "Points range from 0 to 10; type a fraction as text ('7/10).",
        "Points",
    )
    assert seen[("Responses", "H7 H9")] == (
        "stop",
        "Unknown tally",
        "Pick one of interviews, observations, documents.",
        "Allowed",
    )
    assert seen[("Audit", "B27")] == (
        "stop",
        "Unknown auditor kind",
        "Pick one of external, internal, candidate, self-assessor.",
        "Allowed",
    )
    assert seen[("Audit", "B6 B7 B8 B9")] == ("stop", "Not a date", "Type a date as YYYY-MM-DD.", "Allowed")
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet3.xml").decode()
    assert sheet_xml.count('showErrorMessage="1"') == sheet_xml.count("<dataValidation ") == 4
    assert 'showErrorMessage="0"' not in sheet_xml and 'showInputMessage="0"' not in sheet_xml


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_libreoffice_keeps_the_validation_that_refuses_12(tmp_path: Path) -> None:
    """LibreOffice, headless, reads the 0/5/10 validation as one that stops a wrong value with its message."""
    path = blank(make_engine(), tmp_path, "test-basic", "Large")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    with zipfile.ZipFile(tmp_path / "audit.ods") as archive:
        content = archive.read("content.xml").decode()
    assert 'table:condition="of:cell-content-is-in-list(&quot;0&quot;;&quot;5&quot;;&quot;10&quot;)"' in content
    assert 'table:message-type="stop"' in content and "Points must be one of 0, 5, 10." in content


def test_every_audit_field_has_a_place_in_the_workbook() -> None:
    keys = {key for key, _, _ in AUDIT_FIELDS}
    # history (the action-plan facts) is not in the workbook yet: xlsx.py is being changed in parallel, and its
    # rows (history.<field>) are to be added there.
    # extensions: plugins' fields; the one row a plugin's field has (cycle_year, BC) keeps its place (FIELD_PATHS).
    # prerequisites: a row per prerequisite of the standard (prerequisites.ID), below the extensions' rows.
    expected = {f.name for f in attrs.fields(Audit)} - {
        "responses",
        "employer",
        "auditor",
        "history",
        "extensions",
        "prerequisites",
    }
    expected |= {f"employer.{f.name}" for f in attrs.fields(Employer)}
    expected |= {f"auditor.{f.name}" for f in attrs.fields(Auditor)}
    assert keys == expected
    assert {f.name for f in attrs.fields(Response)} == {
        "points",
        "interviews",
        "observations",
        "documents",
        "na",
        "note",
    }


def test_a_blank_workbook_says_what_is_missing_at_the_cell(tmp_path: Path) -> None:
    path = blank(make_engine(), tmp_path, "test-basic", "Large")
    assert validate_problems(path) == [
        "error: audit.xlsx: Audit!B6: audit_date: required key is missing",
        "error: audit.xlsx: Audit!B15: employer.name: required key is missing",
        "error: audit.xlsx: Audit!B26: auditor.name: required key is missing",
        'error: audit.xlsx: Responses!A3: responses["1.1"]: no answer yet: give {points: N} with N from 0 to 10',
        'error: audit.xlsx: Responses!A4: responses["1.2"]: no answer yet: give {points: N} with N one of 0, 5, 10',
        'error: audit.xlsx: Responses!A5: responses["1.3"]: no answer yet: '
        "give {interviews: {positive: N, total: N}}, or {na: reason}",
        'error: audit.xlsx: Responses!A7: responses["2.1"]: no answer yet: '
        "give {observations: {positive: N, total: N}} (or interviews, documents; summed)",
        'error: audit.xlsx: Responses!A8: responses["2.2"]: no answer yet: give {points: N} with N from 0 to 10',
        'error: audit.xlsx: Responses!A9: responses["2.3"]: no answer yet: '
        "give {documents: {positive: N, total: N}} (or interviews, observations; summed), or {na: reason}",
    ]
    edit(
        path,
        lambda wb: [
            wb["Audit"].__setitem__(c, v) for c, v in (("B6", dt.date(2024, 5, 10)), ("B15", "Co"), ("B26", "Pat"))
        ],
    )
    assert validate_problems(path)[:2] == [
        "error: audit.xlsx: Audit!B21: employer.records_months: give the employer's months of health and safety "
        "records: the rules in force (certification from 2000-01-01) need them to grant a certificate",
        'error: audit.xlsx: Responses!A3: responses["1.1"]: no answer yet: give {points: N} with N from 0 to 10',
    ]


# --------------------------------------------------------------------------- damaged workbooks


def _set(sheet: str, cell: str, value: Any) -> Callable[[openpyxl.Workbook], None]:
    return lambda wb: wb[sheet].__setitem__(cell, value)


def _formula(wb: openpyxl.Workbook) -> None:
    wb["Responses"]["G3"] = "=2/3"


def _number_in_a_date_cell(wb: openpyxl.Workbook) -> None:
    wb["Audit"]["B7"] = 45000
    wb["Audit"]["B7"].number_format = "General"


def _append_row(wb: openpyxl.Workbook) -> None:
    wb["Responses"].append(["9.9", "A question of my own", 10, None, None, None, 10])


DAMAGED: dict[str, tuple[Callable[[openpyxl.Workbook], None], list[str]]] = {
    "missing-sheet": (
        lambda wb: wb.remove(wb["Responses"]),
        [
            "error: audit.xlsx: the sheet 'Responses' is missing (sheets: Instructions, Audit); "
            "keep the sheets corengine created"
        ],
    ),
    "renamed-header": (
        _set("Responses", "G1", "Score"),
        [
            "error: audit.xlsx: Responses!G1: expected the column header 'Points', found 'Score'; "
            "columns must not be renamed or moved"
        ],
    ),
    "moved-header": (
        lambda wb: wb["Responses"].move_range("L1", cols=1),
        [
            "error: audit.xlsx: Responses!L1: expected the column header 'Note', found an empty cell; "
            "columns must not be renamed or moved"
        ],
    ),
    "renamed-field": (
        _set("Audit", "A7", "strat_date"),
        [
            "error: audit.xlsx: Audit!A7: expected the field 'start_date', found 'strat_date'; "
            "the rows of column A must not be edited or moved"
        ],
    ),
    "deleted-field-row": (
        lambda wb: wb["Audit"].delete_rows(7),
        [
            "error: audit.xlsx: Audit!A7: expected the field 'start_date', found 'report_date'; "
            "the rows of column A must not be edited or moved"
        ],
    ),
    "added-field": (
        _set("Audit", "A40", "colour"),
        ["error: audit.xlsx: Audit!A40: unknown field 'colour'; fields must not be added"],
    ),
    "question-id-changed": (
        _set("Responses", "A3", "1.9"),
        [
            "error: audit.xlsx: Responses!A1: responses: 1 question(s) without a response: 1.1",
            "error: audit.xlsx: Responses!A3: responses[\"1.9\"]: unknown question id '1.9' in test-basic",
        ],
    ),
    "question-id-duplicated": (
        _set("Responses", "A4", "1.1"),
        [
            "error: audit.xlsx: Responses!A1: responses: 1 question(s) without a response: 1.2",
            "error: audit.xlsx: Responses!A4: question '1.1' appears twice (first on row 3); "
            "question numbers must not be edited",
        ],
    ),
    "question-id-deleted": (
        _set("Responses", "A4", None),
        [
            "error: audit.xlsx: Responses!A1: responses: 1 question(s) without a response: 1.2",
            "error: audit.xlsx: Responses!A4: the question number is missing; it must not be edited",
        ],
    ),
    "unknown-question-row": (
        _append_row,
        ["error: audit.xlsx: Responses!A10: responses[\"9.9\"]: unknown question id '9.9' in test-basic"],
    ),
    "points-not-a-number": (
        _set("Responses", "G3", "ten"),
        [
            'error: audit.xlsx: Responses!G3: responses["1.1"].points: '
            "must be a number such as 10, 7.5 or 7/10, not 'ten'"
        ],
    ),
    "points-became-a-date": (
        _set("Responses", "G3", dt.datetime(2024, 7, 10)),
        [
            'error: audit.xlsx: Responses!G3: responses["1.1"].points: must be a number, not the date 2024-07-10 '
            "(a fraction such as 7/10 typed into a number cell becomes a date: type it as '7/10 or 0.7)"
        ],
    ),
    "points-formula": (
        _formula,
        [
            "error: audit.xlsx: Responses!G3: responses[\"1.1\"].points: is a formula ('=2/3') with no saved value; type the value itself"
        ],
    ),
    "points-over-max": (
        _set("Responses", "G3", 12),
        ['error: audit.xlsx: Responses!G3: responses["1.1"].points: points must be <= 10, not 12'],
    ),
    "tally-not-whole": (
        _set("Responses", "J5", "nine"),
        ["error: audit.xlsx: Responses!J5: responses[\"1.3\"].total: must be a whole number, not 'nine'"],
    ),
    "tally-over-total": (
        _set("Responses", "I5", 10),
        [
            'error: audit.xlsx: Responses!I5: responses["1.3"].interviews.positive: must be <= total (9), not 10',
        ],
    ),
    "tally-unnamed": (
        _set("Responses", "H7", "visits"),
        [
            'error: audit.xlsx: Responses!H7: responses["2.1"].tally: '
            "name the tally counted: interviews, observations or documents, not 'visits'"
        ],
    ),
    "tally-half": (
        _set("Responses", "J5", None),
        ['error: audit.xlsx: Responses!J5: responses["1.3"].interviews: give both Positive and Total'],
    ),
    "date-not-a-date": (
        _set("Audit", "B6", "next week"),
        ["error: audit.xlsx: Audit!B6: audit_date: must be a date (YYYY-MM-DD), not 'next week'"],
    ),
    "date-as-a-number": (
        _number_in_a_date_cell,
        ["error: audit.xlsx: Audit!B7: start_date: must be a date (YYYY-MM-DD), not 45000"],
    ),
    "impossible-date": (
        _set("Audit", "B7", "2024-02-30"),
        [
            "error: audit.xlsx: Audit!B7: start_date: '2024-02-30' is not a date that exists "
            "(day is out of range for month)"
        ],
    ),
    "workers-not-whole": (
        _set("Audit", "B16", "forty"),
        ["error: audit.xlsx: Audit!B16: employer.workers: must be a whole number, not 'forty'"],
    ),
    "bad-auditor-kind": (
        _set("Audit", "B27", "friend"),
        [
            "error: audit.xlsx: Audit!B27: auditor.kind: "
            "must be one of external, internal, candidate, self-assessor, not 'friend'"
        ],
    ),
    "na-not-allowed": (
        _set("Responses", "K3", "not relevant"),
        [
            'error: audit.xlsx: Responses!K3: responses["1.1"].na: '
            "give points, tallies or na, not more than one of them",
        ],
    ),
}


@pytest.mark.parametrize("case", list(DAMAGED), ids=list(DAMAGED))
def test_a_damaged_workbook_gets_a_message_naming_the_sheet_and_cell(case: str, tmp_path: Path) -> None:
    change, expected = DAMAGED[case]
    path = edit(basic_filled(tmp_path), change)
    before = path.read_bytes()
    assert validate_problems(path) == expected
    assert run_test_standard("score", str(path), "--format", "json").stdout == ""
    assert path.read_bytes() == before


def _save_formula_values(path: Path, saved: dict[str, tuple[str, str | None]]) -> None:
    """Write into each formula cell named in ``saved`` (``"G3"`` of any sheet) the value a spreadsheet program
    saves beside the formula (``<v>8</v>``, with the cell type ``t`` when given), as LibreOffice and Excel do and
    openpyxl never does."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                text = data.decode("utf-8")
                for cell, (value, kind) in saved.items():
                    typed = f' t="{kind}"' if kind else ""
                    text = re.sub(
                        rf'<c r="{cell}"( s="[0-9]+")?>(<f>[^<]*</f>)<v ?/>(</c>)?',
                        rf'<c r="{cell}"\1{typed}>\2<v>{value}</v></c>',
                        text,
                    )
                data = text.encode("utf-8")
            target.writestr(info, data)
    path.write_bytes(out.getvalue())


def test_a_formula_is_read_by_its_saved_value_with_an_info_finding(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Responses"]["G3"] = "=5+3"  # 1.1
        wb["Audit"]["B7"] = "=DATE(2024,5,10)"  # audit_date, a date cell

    path = edit(basic_filled(tmp_path), change)
    _save_formula_values(path, {"G3": ("8", None), "B7": ("45422", None)})
    plain = run_test_standard("score", str(path), "--format", "json")
    assert plain.exit_code == 0, plain.output
    document = json.loads(plain.stdout)
    notes = [r for r in document["outcome"]["reasons"] if r["check"] == "workbook.formula_value"]
    assert [(n["status"], n["subject"], n["message"]) for n in notes] == [
        ("info", "", "cell Audit!B7 is a formula ('=DATE(2024,5,10)'); its saved value 2024-05-10 was used"),
        ("info", "1.1", "cell Responses!G3 is a formula ('=5+3'); its saved value 8 was used"),
    ]
    loaded = make_engine().load_audit(path)
    assert loaded.audit.responses["1.1"].points == 8
    assert loaded.audit.audit_date == dt.date(2024, 5, 10)
    assert [n.message for n in loaded.notes] == [n["message"] for n in notes]
    assert run_test_standard("validate", str(path)).exit_code == 0


def test_a_formula_whose_saved_value_is_an_error_or_wrong_is_refused_at_its_cell(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Responses"]["G3"] = "=1/0"
        wb["Responses"]["G4"] = '="ten"'

    path = edit(basic_filled(tmp_path), change)
    _save_formula_values(path, {"G3": ("#DIV/0!", "e"), "G4": ("ten", "str")})
    assert validate_problems(path) == [
        "error: audit.xlsx: Responses!G3: responses[\"1.1\"].points: is a formula ('=1/0') that holds the error "
        "value '#DIV/0!'; type the value itself",
        'error: audit.xlsx: Responses!G4: responses["1.2"].points: is a formula (\'="ten"\') whose saved value '
        "must be a number such as 10, 7.5 or 7/10, not 'ten'",
    ]


def test_read_workbook_raises_input_error_itself(tmp_path: Path) -> None:
    path = edit(basic_filled(tmp_path), _set("Responses", "G3", "ten"))
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert caught.value.problems == (
        f"{path}: Responses!G3: responses[\"1.1\"].points: must be a number such as 10, 7.5 or 7/10, not 'ten'",
    )


def test_an_xlsx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    path.write_bytes(b"\xff\xfe binary, not a zip")
    assert validate_problems(path) == [
        "error: audit.xlsx: not an .xlsx workbook (an .xlsx file is a zip archive; this is not one)"
    ]


def test_yaml_named_xlsx_is_told_to_be_named_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    path.write_text("standard: test-basic\n")
    assert validate_problems(path) == [
        "error: audit.xlsx: named .xlsx but holds text, not a workbook (an .xlsx file is a zip archive); "
        "if it is YAML or JSON, name it .yaml or .json"
    ]


SAVE_AS = "save it as .xlsx (Excel 2007-365 workbook) and read that"
REFUSED = {
    "ods": f"an OpenDocument spreadsheet (.ods) cannot be read; {SAVE_AS}",
    "xls": f"an Excel 97-2003 workbook (.xls) cannot be read; {SAVE_AS}",
    "csv": "a CSV file cannot be read (one sheet of text, no fields or types); use .xlsx or .yaml",
}


@pytest.mark.parametrize("ending", ["ods", "xls", "csv", "ODS"])
@pytest.mark.parametrize("command", ["validate", "score"])
def test_other_spreadsheet_formats_are_refused_by_name(ending: str, command: str, tmp_path: Path) -> None:
    path = tmp_path / f"audit.{ending}"
    path.write_bytes(b"a,b\n1,2\n" if ending == "csv" else b"PK\x03\x04rest")
    result = run_test_standard(command, str(path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {path}: {REFUSED[ending.lower()]}\n"


def test_ods_and_xls_are_refused_by_their_content(tmp_path: Path) -> None:
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    engine = make_engine()
    for raw, ending in ((ods.getvalue(), "ods"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "xls")):
        with pytest.raises(InputError) as caught:
            engine.load_audit_bytes(raw, "upload")
        assert caught.value.lines() == [f"upload: {REFUSED[ending]}"]


def test_a_workbook_is_known_by_its_zip_signature_whatever_its_name(tmp_path: Path) -> None:
    raw = basic_filled(tmp_path).read_bytes()
    engine = make_engine()
    loaded = engine.load_audit_bytes(raw, "upload")
    assert (loaded.source, loaded.audit.standard, loaded.audit.employer.name) == (
        "upload",
        "test-basic",
        yaml_data(DATA / "audit-basic.yaml")["employer"]["name"],
    )
    (tmp_path / "audit").write_bytes(raw)
    assert engine.load_audit(tmp_path / "audit").audit == loaded.audit
    with pytest.raises(InputError) as caught:
        engine.load_audit_bytes(b"PK\x03\x04 not really", "upload.yaml")
    assert caught.value.lines() == [
        "upload.yaml: not an .xlsx workbook (an .xlsx file is a zip archive; this is not one)"
    ]


@pytest.mark.parametrize("ending", ["ods", "xls", "csv", "Ods"])
def test_new_refuses_to_write_other_spreadsheet_formats(ending: str, tmp_path: Path) -> None:
    path = tmp_path / f"audit.{ending}"
    result = run_test_standard("new", "test-basic", "-o", str(path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {path}: new writes an .xlsx spreadsheet or YAML, not .{ending}; use .xlsx or .yaml\n"
    )
    assert not path.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert validate_problems(path) == [
        "error: audit.xlsx: a zip archive but not an .xlsx workbook (no spreadsheet inside)"
    ]


def test_a_broken_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml")
    [line] = validate_problems(path)
    assert line.startswith("error: audit.xlsx: not a readable .xlsx workbook (")


def test_a_workbook_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    path.write_bytes(b"PK" + b"\0" * MAX_BYTES)
    assert validate_problems(path) == ["error: audit.xlsx: larger than 5 MiB; refusing to read it"]


def test_a_workbook_that_unpacks_too_big_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"\0" * (50 * 1024 * 1024 + 1))
    assert path.stat().st_size < MAX_BYTES
    assert validate_problems(path) == ["error: audit.xlsx: unpacks to more than 50 MiB; refusing to read it"]


def test_yaml_messages_keep_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "audit.yaml"
    text = (DATA / "audit-basic.yaml").read_text().replace('"1.1": {points: 8}', '"1.1": {points: 12}')
    path.write_text(text)
    assert validate_problems(path) == ['error: audit.yaml:9: responses["1.1"].points: points must be <= 10, not 12']


def test_result_json_is_the_same_for_a_spreadsheet_read_through_the_library(tmp_path: Path) -> None:
    engine = make_engine()
    path = basic_filled(tmp_path)
    data, source, cells = read_workbook(path)
    loaded = engine.audit_from_data(data, source, cells)
    assert json.loads(dumps(result_json(engine.score(loaded))))["overall"]["earned"] == "55"


def test_interviews_by_level_and_questionnaires_are_read_from_the_workbook(tmp_path: Path) -> None:
    from corengine._formats.xlsx import AUDIT_FIELDS

    rows = {key: row for row, (key, _, _) in enumerate(AUDIT_FIELDS, start=2)}
    path = basic_filled(tmp_path)

    def levels(wb: openpyxl.Workbook) -> None:
        wb["Audit"][f"B{rows['interviews_by_level']}"] = "managers=3; supervisors = 4\nworkers=13"
        wb["Audit"][f"B{rows['questionnaires']}"] = 5

    edit(path, levels)
    audit = make_engine().load_audit(path).audit
    assert (audit.interviews_by_level, audit.questionnaires) == ({"managers": 3, "supervisors": 4, "workers": 13}, 5)

    def bad(wb: openpyxl.Workbook) -> None:
        wb["Audit"][f"B{rows['interviews_by_level']}"] = "managers three"

    edit(path, bad)
    assert (
        f"error: audit.xlsx: Audit!B{rows['interviews_by_level']}: interviews_by_level: expected level=count pairs such as 'workers=13; supervisors=4', not 'managers three'"
        in validate_problems(path)
    )


def test_a_workbook_made_before_the_last_rows_were_added_still_reads(tmp_path: Path) -> None:
    from corengine._formats.xlsx import ADDED_FIELDS, AUDIT_FIELDS

    path = basic_filled(tmp_path)
    first = 2 + len(AUDIT_FIELDS) - len(ADDED_FIELDS)

    def older(wb: openpyxl.Workbook) -> None:
        wb["Audit"].delete_rows(first, len(ADDED_FIELDS))

    edit(path, older)
    assert run_test_standard("validate", str(path)).exit_code == 0
