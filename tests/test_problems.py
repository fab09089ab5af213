"""Input problems are records (file, line, column, cell, path, message, hint), and one pass finds them all.

``validate`` reports structural problems (unknown keys, wrong types, impossible dates), bad values, cross-field
problems and unknown or unanswered questions together, for YAML, JSON and spreadsheets; ``--format json``
gives the records themselves.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner, Result

from corengine import Engine, InputError, Problem
from corengine._cli.main import cli
from corengine.errors import MAX_PROBLEMS, problem
from corengine.model.converter import unstructure
from tests.helpers import ISOLATED, TEST_STANDARD, basic_filled, edit, make_engine, run_test_standard

EXPECTED_KEYS = (
    "standard, audit_type, audit_date, employer, auditor, program, standard_version, start_date, report_date, "
    "notice_date, cycle_year, methods_used, interviews_conducted, interviews_by_level, questionnaires, sites_visited, worksites_visited, "
    "classification_units_covered, responses, notes, history, prerequisites, extensions"
)


def errors(result: Result, folder: Path) -> list[str]:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return [line.replace(str(folder) + os.sep, "") for line in result.stderr.splitlines()]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the record


def test_a_problem_prints_as_file_line_path_message() -> None:
    assert str(problem("a.yaml", 'responses["2.4"].points', "must be <= 10, not 12", 31, 14)) == (
        'a.yaml:31: responses["2.4"].points: must be <= 10, not 12'
    )
    assert problem("a.yaml", "", "not valid YAML: oops", 4).text() == "a.yaml:4: not valid YAML: oops"
    assert problem("a.json", "employer", "expected text").text() == "a.json: employer: expected text"
    assert problem("a.json", "", "duplicate key 'x'").text() == "a.json: duplicate key 'x'"


def test_a_spreadsheet_problem_names_the_cell_in_place_of_the_line() -> None:
    found = problem("audit.xlsx", 'responses["1.1"].points', "must be a number", "Responses!G3")
    assert found == Problem(
        file="audit.xlsx", cell="Responses!G3", path='responses["1.1"].points', message=found.message
    )
    assert (found.line, found.column) == (None, None)
    assert found.text() == 'audit.xlsx: Responses!G3: responses["1.1"].points: must be a number'


def test_a_column_is_kept_only_with_a_line() -> None:
    assert problem("a.yaml", "x", "m", None, 7).column is None
    assert problem("a.yaml", "x", "m", 3, 7).column == 7


def test_plain_text_problems_still_work_and_print_unchanged() -> None:
    error = InputError(["a.yaml: folder x does not exist", "--program: must be one of A, B"])
    assert all(isinstance(p, Problem) for p in error.problems)
    assert error.problems[0] == Problem(file="", message="a.yaml: folder x does not exist")
    assert error.problems == ("a.yaml: folder x does not exist", "--program: must be one of A, B")
    assert [p.text() for p in error.problems] == ["a.yaml: folder x does not exist", "--program: must be one of A, B"]
    assert str(error) == "a.yaml: folder x does not exist\n--program: must be one of A, B"
    assert error.truncated == 0


def test_records_and_strings_mix_and_compare_by_text() -> None:
    record = problem("a.yaml", "notes", "too long", 2)
    error = InputError([record, "plain"])
    assert error.problems == (record, "plain")
    assert record == "a.yaml:2: notes: too long"
    assert record != problem("a.yaml", "notes", "too long", 3)
    assert record != problem("a.yaml", "notes", "too long", 2, hint="shorten it")
    assert len({record, problem("a.yaml", "notes", "too long", 2)}) == 1
    assert str(error) == "a.yaml:2: notes: too long\nplain"


def test_an_input_error_survives_pickling_as_text() -> None:
    error = pickle.loads(pickle.dumps(InputError([problem("a.yaml", "x", "m", 1)])))
    assert str(error) == "a.yaml:1: x: m"


def test_the_record_unstructures_to_every_field() -> None:
    record = problem("a.yaml", "audit_typ", "unknown key", 2, 12, "did you mean 'audit_type'?")
    assert unstructure(record) == {
        "file": "a.yaml",
        "line": 2,
        "column": 12,
        "cell": None,
        "path": "audit_typ",
        "message": "unknown key",
        "hint": "did you mean 'audit_type'?",
    }
    assert [a.name for a in attrs.fields(Problem)] == ["file", "line", "column", "cell", "path", "message", "hint"]


# --------------------------------------------------------------------------- the cap


def test_an_input_error_keeps_the_first_problems_and_counts_the_rest() -> None:
    error = InputError([f"problem {i}" for i in range(MAX_PROBLEMS + 5)])
    assert len(error.problems) == MAX_PROBLEMS == 200
    assert error.truncated == 5
    assert error.lines()[-1] == "... and 5 more problems"
    assert str(error).splitlines()[-2:] == ["problem 199", "... and 5 more problems"]
    assert InputError(["a", "b"], limit=1).lines() == ["a", "... and 1 more problem"]


def _many_unknown_questions(folder: Path, count: int) -> Path:
    lines = [
        "standard: test-basic",
        "audit_type: certification",
        "audit_date: 2024-05-10",
        "employer: {name: Test Co, records_months: 12}",
        "auditor: {name: Pat, kind: external}",
        "responses:",
    ]
    lines += [f'  "q{i}": {{points: 1}}' for i in range(count)]
    return write(folder, "many.yaml", "\n".join(lines) + "\n")


def test_validate_caps_a_pathological_file_in_text(tmp_path: Path) -> None:
    path = _many_unknown_questions(tmp_path, 250)
    lines = errors(run_test_standard("validate", str(path)), tmp_path)
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0] == "error: many.yaml:7: responses: 6 question(s) without a response: 1.1, 1.2, 1.3, 2.1, 2.2, 2.3"
    assert lines[1] == "error: many.yaml:7: responses.q0: unknown question id 'q0' in test-basic"
    assert lines[-2] == "error: many.yaml:205: responses.q198: unknown question id 'q198' in test-basic"
    assert lines[-1] == "error: ... and 51 more problems"  # the 51 unknown ids further down the file


def test_validate_caps_a_pathological_file_in_json(tmp_path: Path) -> None:
    path = _many_unknown_questions(tmp_path, 250)
    result = run_test_standard("validate", str(path), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert (data["valid"], len(data["problems"]), data["truncated"]) == (False, MAX_PROBLEMS, 51)


# --------------------------------------------------------------------------- one pass, YAML and JSON

TYPOS = """\
standard: test-basic
audit_typ: certification
audit_date: 2024-13-01
program: Large
employer: {name: Test Co, workers: -3}
auditor: {name: Pat, kind: externl}
responses:
  "1.1": {points: 12}
  "1.2": {points: 7}
  "1.3": {interviews: {positive: 10, total: 9}}
  "2.1": {interviews: {positive: 7, total: 10}}
  "9.9": {points: 1}
"""


def test_typos_in_every_section_are_reported_in_one_run(tmp_path: Path) -> None:
    path = write(tmp_path, "typos.yaml", TYPOS)
    assert errors(run_test_standard("validate", str(path)), tmp_path) == [
        "error: typos.yaml:1: audit_type: required key is missing",
        f"error: typos.yaml:2: audit_typ: unknown key (did you mean 'audit_type'? expected one of: {EXPECTED_KEYS})",
        "error: typos.yaml:3: audit_date: '2024-13-01' is not a date that exists (month must be in 1..12)",
        "error: typos.yaml:5: employer.workers: must be >= 0, not -3",
        "error: typos.yaml:6: auditor.kind: must be one of external, internal, candidate, self-assessor, not 'externl'",
        "error: typos.yaml:8: responses: 2 question(s) without a response: 2.2, 2.3",
        'error: typos.yaml:8: responses["1.1"].points: points must be <= 10, not 12',
        'error: typos.yaml:9: responses["1.2"].points: points must be one of 0, 5, 10, not 7',
        'error: typos.yaml:10: responses["1.3"].interviews.positive: must be <= total (9), not 10',
        "error: typos.yaml:12: responses[\"9.9\"]: unknown question id '9.9' in test-basic",
    ]


def test_the_records_carry_line_column_path_and_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "typos.yaml", TYPOS)
    engine = make_engine()
    with pytest.raises(InputError) as caught:
        engine.load_audit(path)
    found = caught.value.problems
    file = str(path)
    assert found[0] == Problem(file=file, line=1, column=1, path="audit_type", message="required key is missing")
    assert found[2] == Problem(
        file=file,
        line=3,
        column=13,
        path="audit_date",
        message="'2024-13-01' is not a date that exists (month must be in 1..12)",
    )
    assert found[3] == Problem(file=file, line=5, column=36, path="employer.workers", message="must be >= 0, not -3")
    assert (found[8].line, found[8].column, found[8].path) == (10, 34, 'responses["1.3"].interviews.positive')
    assert found[1] == Problem(
        file=file,
        line=2,
        column=12,
        path="audit_typ",
        message=f"unknown key (did you mean 'audit_type'? expected one of: {EXPECTED_KEYS})",
        hint="did you mean 'audit_type'?",
    )
    assert found[6] == Problem(
        file=file, line=8, column=19, path='responses["1.1"].points', message="points must be <= 10, not 12"
    )
    assert all(p.cell is None for p in found)
    assert [p.hint for p in found].count(None) == len(found) - 1


def test_an_unknown_key_without_a_close_match_has_no_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", TYPOS.replace("audit_typ:", "audit_type:") + "colour: blue\n")
    with pytest.raises(InputError) as caught:
        make_engine().load_audit(path)
    (unknown,) = [p for p in caught.value.problems if p.path == "colour"]
    assert unknown.hint is None
    assert unknown.message == f"unknown key (expected one of: {EXPECTED_KEYS})"


def test_json_audits_get_the_same_problems_with_their_lines(tmp_path: Path) -> None:
    data: dict[str, Any] = {
        "standard": "test-basic",
        "audit_typ": "certification",
        "audit_date": "2024-05-10",
        "employer": {"name": "Test Co", "workers": "ten"},
        "auditor": {"name": "Pat", "kind": "external"},
        "responses": {"1.1": {"points": 12}},
    }
    path = write(tmp_path, "audit.json", json.dumps(data, indent=2))
    assert errors(run_test_standard("validate", str(path)), tmp_path) == [
        "error: audit.json:1: audit_type: required key is missing",
        f"error: audit.json:3: audit_typ: unknown key (did you mean 'audit_type'? expected one of: {EXPECTED_KEYS})",
        "error: audit.json:7: employer.workers: expected a whole number, not 'ten'",
        "error: audit.json:13: responses: 5 question(s) without a response: 1.2, 1.3, 2.1, 2.2, 2.3",
        'error: audit.json:15: responses["1.1"].points: points must be <= 10, not 12',
    ]
    with pytest.raises(InputError) as caught:
        make_engine().load_audit(path)
    assert {(p.path, p.line, p.column) for p in caught.value.problems} == {
        ("audit_type", 1, 1),
        ("employer.workers", 7, 16),
        ("audit_typ", 3, 16),
        ('responses["1.1"].points', 15, 17),
        ("responses", 13, 16),
    }


def test_audit_from_data_reports_in_one_pass_too() -> None:
    engine = make_engine()
    data = {
        "standard": "test-basic",
        "audit_type": "certificaton",
        "audit_date": "2024-05-10",
        "employer": {"name": ""},
        "auditor": {"name": "Pat", "kind": "external"},
        "responses": {"1.1": {"points": "high"}, "1.2": {"points": 7}},
    }
    with pytest.raises(InputError) as caught:
        engine.audit_from_data(data)
    assert [p.text() for p in caught.value.problems] == [
        "<data>: employer.name: must not be empty",
        "<data>: responses[\"1.1\"].points: expected a number such as 10, 7.5 or 7/10, not 'high'",
        "<data>: audit_type: must be one of certification, recertification, maintenance, internal, external, "
        "self-assessment, administrative, limited-scope, action-plan, not 'certificaton'",
        '<data>: responses["1.2"].points: points must be one of 0, 5, 10, not 7',
        "<data>: responses: 4 question(s) without a response: 1.3, 2.1, 2.2, 2.3",
    ]


def test_a_broken_program_skips_only_the_checks_that_need_it(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        TYPOS.replace("audit_typ:", "audit_type:")
        .replace("2024-13-01", "2024-05-10")
        .replace("program: Large", "program: 5"),
    )
    lines = errors(run_test_standard("validate", str(path)), tmp_path)
    assert "error: a.yaml:4: program: expected text, not 5 (quote it)" in lines
    assert 'error: a.yaml:8: responses["1.1"].points: points must be <= 10, not 12' in lines
    assert not any("without a response" in line for line in lines)


def test_an_unknown_standard_is_reported_with_the_structural_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", TYPOS.replace("standard: test-basic", "standard: test-basics"))
    lines = errors(run_test_standard("validate", str(path)), tmp_path)
    assert lines[1] == "error: a.yaml:1: standard: unknown standard 'test-basics' (installed: test-basic)"
    assert len(lines) == 7  # the six structural problems and the standard; nothing can be checked against it


def test_a_valid_audit_still_loads_and_validates() -> None:
    result = run_test_standard("validate", str(TEST_STANDARD.parent.parent / "audit-basic.yaml"))
    assert result.exit_code == 0
    assert result.stdout.endswith(": valid\n")


# --------------------------------------------------------------------------- validate --format json


def test_validate_json_lists_the_records_and_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, "typos.yaml", TYPOS)
    result = run_test_standard("validate", str(path), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert list(data) == ["file", "valid", "problems", "truncated"]
    assert (data["file"], data["valid"], data["truncated"]) == (str(path), False, 0)
    assert len(data["problems"]) == 10
    assert data["problems"][1] == {
        "file": str(path),
        "line": 2,
        "column": 12,
        "cell": None,
        "path": "audit_typ",
        "message": f"unknown key (did you mean 'audit_type'? expected one of: {EXPECTED_KEYS})",
        "hint": "did you mean 'audit_type'?",
    }
    text = errors(run_test_standard("validate", str(path)), tmp_path)
    assert [f"error: {Problem(**p).text()}".replace(str(tmp_path) + os.sep, "") for p in data["problems"]] == text


def test_validate_json_says_valid_and_exits_0() -> None:
    audit = str(TEST_STANDARD.parent.parent / "audit-basic.yaml")
    result = run_test_standard("validate", audit, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"file": audit, "valid": True, "problems": [], "truncated": 0}


def test_validate_json_reads_stdin() -> None:
    result = run_test_standard("validate", "-", "--format", "json", input="standard: test-basic\naudit_type: x\n")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["file"] == "<stdin>"
    assert data["problems"][0]["file"] == "<stdin>"
    assert data["problems"][0]["message"] == "required key is missing"


def test_validate_json_reports_a_file_that_cannot_be_parsed(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "standard: [unclosed\n")
    data = json.loads(run_test_standard("validate", str(path), "--format", "json").stdout)
    assert data["problems"] == [
        {
            "file": str(path),
            "line": 2,
            "column": 1,
            "cell": None,
            "path": "",
            "message": "not valid YAML: did not find expected ',' or ']'",
            "hint": None,
        }
    ]


def test_validate_help_offers_both_formats() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"], env=ISOLATED)
    assert "--format [text|json]" in result.output
    assert "every problem at once" in result.output


# --------------------------------------------------------------------------- a new workbook, and spreadsheets


def _alberta_questions(installed: Engine) -> list[str]:
    standard = installed.standard("ab-acsa-cor")
    return [q.id for _, q in standard.questions() if not q.programs or standard.programs[0] in q.programs]


def test_a_new_yaml_workbook_reports_every_missing_field_and_question_in_one_run(
    installed: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "X.yaml"
    runner = CliRunner()
    assert runner.invoke(cli, ["new", "ab-acsa-cor", "-o", str(out)]).exit_code == 0
    result = runner.invoke(cli, ["validate", str(out)])
    lines = errors(result, tmp_path)
    questions = _alberta_questions(installed)
    assert lines[:3] == [
        "error: X.yaml:8: audit_date: expected a date as YYYY-MM-DD, not ''",
        "error: X.yaml:17: employer.name: must not be empty",
        "error: X.yaml:23: auditor.name: must not be empty",
    ]
    assert [line.split('"')[1] for line in lines[3:]] == questions
    assert all(": no answer yet: give " in line for line in lines[3:])
    assert len(lines) == 3 + len(questions)


def test_a_new_spreadsheet_reports_every_missing_field_and_question_in_one_run(
    installed: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "X.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["new", "ab-acsa-cor", "-o", str(out)]).exit_code == 0
    lines = errors(runner.invoke(cli, ["validate", str(out)]), tmp_path)
    questions = _alberta_questions(installed)
    assert lines[:3] == [
        "error: X.xlsx: Audit!B6: audit_date: required key is missing",
        "error: X.xlsx: Audit!B15: employer.name: required key is missing",
        "error: X.xlsx: Audit!B26: auditor.name: required key is missing",
    ]
    assert [line.split('"')[1] for line in lines[3:]] == questions
    assert all(line.startswith("error: X.xlsx: Responses!A") for line in lines[3:])
    assert len(lines) == 3 + len(questions)


def _six_typos(wb: Any) -> None:
    wb["Audit"]["B6"] = "next week"  # audit_date: not a date (read from the cell)
    wb["Audit"]["B16"] = "forty"  # employer.workers: not a whole number (read from the cell)
    wb["Audit"]["B27"] = "friend"  # auditor.kind: not a kind (a validator)
    wb["Responses"]["G3"] = "ten"  # 1.1 points: not a number (read from the cell)
    wb["Responses"]["G4"] = 7  # 1.2 points: not one of the steps (a check against the standard)
    wb["Responses"]["I5"] = 10  # 1.3 positive over total (a check across two cells)


def test_a_spreadsheet_with_six_typos_reports_six_problems_in_one_run(tmp_path: Path) -> None:
    path = edit(basic_filled(tmp_path), _six_typos)
    assert errors(run_test_standard("validate", str(path)), tmp_path) == [
        "error: audit.xlsx: Audit!B6: audit_date: must be a date (YYYY-MM-DD), not 'next week'",
        "error: audit.xlsx: Audit!B16: employer.workers: must be a whole number, not 'forty'",
        "error: audit.xlsx: Audit!B27: auditor.kind: must be one of external, internal, candidate, self-assessor, "
        "not 'friend'",
        'error: audit.xlsx: Responses!G3: responses["1.1"].points: must be a number such as 10, 7.5 or 7/10, '
        "not 'ten'",
        'error: audit.xlsx: Responses!G4: responses["1.2"].points: points must be one of 0, 5, 10, not 7',
        'error: audit.xlsx: Responses!I5: responses["1.3"].interviews.positive: must be <= total (9), not 10',
    ]


def test_spreadsheet_records_name_the_cell(tmp_path: Path) -> None:
    path = edit(basic_filled(tmp_path), _six_typos)
    data = json.loads(run_test_standard("validate", str(path), "--format", "json").stdout)
    assert [(p["cell"], p["line"], p["column"], p["path"]) for p in data["problems"]] == [
        ("Audit!B6", None, None, "audit_date"),
        ("Audit!B16", None, None, "employer.workers"),
        ("Audit!B27", None, None, "auditor.kind"),
        ("Responses!G3", None, None, 'responses["1.1"].points'),
        ("Responses!G4", None, None, 'responses["1.2"].points'),
        ("Responses!I5", None, None, 'responses["1.3"].interviews.positive'),
    ]


def test_problems_are_listed_by_file_then_line_and_column() -> None:
    found = [
        problem("b.yaml", "x", "late", 9, 1),
        problem("a.yaml", "y", "later", 7, 5),
        problem("a.yaml", "z", "earlier", 7, 2),
        problem("b.yaml", "", "whole file"),
        problem("a.yaml", "w", "first", 1, 1),
        problem("b.yaml", "c", "a cell", "Audit!B6"),
        problem("c.xlsx", "", "later sheet", "Responses!G3"),
        problem("c.xlsx", "", "row 10", "Audit!B10"),
        problem("c.xlsx", "", "column AA", "Audit!AA2"),
        problem("c.xlsx", "", "row 9", "Audit!B9"),
    ]
    assert InputError(found).lines() == [
        "b.yaml: whole file",
        "b.yaml: Audit!B6: c: a cell",
        "b.yaml:9: x: late",
        "a.yaml:1: w: first",
        "a.yaml:7: z: earlier",
        "a.yaml:7: y: later",
        "c.xlsx: Responses!G3: later sheet",
        "c.xlsx: Audit!AA2: column AA",
        "c.xlsx: Audit!B9: row 9",
        "c.xlsx: Audit!B10: row 10",
    ]
    assert InputError(found, limit=2).lines() == [
        "b.yaml: whole file",
        "b.yaml: Audit!B6: c: a cell",
        "... and 8 more problems",
    ]


def test_problems_only_counted_add_to_the_truncated_count() -> None:
    error = InputError(["a.yaml:1: x: bad", "a.yaml:2: y: bad"], limit=1, more=3)
    assert [p.text() for p in error.problems] == ["a.yaml:1: x: bad"]
    assert error.truncated == 4
    assert error.lines() == ["a.yaml:1: x: bad", "... and 4 more problems"]
