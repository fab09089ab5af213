"""Audit extensions in the forms ``corengine new`` writes: a row per field in the spreadsheet (read back into
``extensions: {NAME: {...}}``, problems at the cell), a commented block in the YAML workbook, and ``show``."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from attrs import field, frozen
from click.testing import CliRunner

from corengine import Engine, InputError, hookimpl
from corengine._cli.main import cli
from corengine._formats.xlsx import AUDIT_FIELDS, extension_rows, read_workbook, write_workbook
from corengine._formats.yaml_workbook import blank as yaml_blank
from corengine._formats.yaml_workbook import extension_template
from corengine.model.extensions import AuditExtension, ExtensionField, extension_fields
from corengine.model.validators import one_of
from corengine_bc.fields import BcAudit
from tests.helpers import (
    BUNDLED_NAMES,
    BUNDLED_PLUGINS,
    DATA,
    EXAMPLES,
    StandardsPlugin,
    bundled_engine,
    edit,
    fill,
    yaml_data,
)


@frozen
class Acme:
    """A test partner's own audit facts (test data, no real program's rule)."""

    checklist_approved: dt.date | None = None
    """The day the partner approved the audit checklist."""
    crews: int | None = field(default=None, metadata={"help": "Crews at work on the audit date"})
    size: str | None = field(default=None, validator=one_of(("small", "large")))


class Partner:
    name = "acme"

    @hookimpl
    def corengine_register_audit_extensions(self) -> list[AuditExtension]:
        return [AuditExtension("acme", Acme, "a test partner's facts")]


FIRST = len(AUDIT_FIELDS) + 2
"""The Audit sheet's first extension row, right below the core's fields: 34, as the tests below spell out."""


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=[StandardsPlugin(), Partner()], load_entrypoints=False, environ={})


def filled(engine: Engine, tmp_path: Path, cells: dict[str, Any] | None = None) -> Path:
    """The core test audit typed into a blank workbook from ``engine`` (with its extension rows), then ``cells``
    of the Audit sheet typed as given."""
    data = yaml_data(DATA / "audit-basic.yaml")
    data["responses"]["2.1"] = {"interviews": {"positive": 10, "total": 13}}
    path = tmp_path / "audit.xlsx"
    standard = engine.standard("test-basic")
    path.write_bytes(write_workbook(standard, "Large", engine.methods(), engine.audit_extensions()))
    fill(path, data)
    set_cells(path, cells or {})
    return path


def problems_of(engine: Engine, path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        engine.load_audit(path)
    return [str(p).replace(str(path), "audit.xlsx") for p in caught.value.problems]


def set_cells(path: Path, cells: dict[str, Any]) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        for coordinate, value in cells.items():
            wb["Audit"][coordinate] = value

    edit(path, change)


# --------------------------------------------------------------------------- the fields


def test_the_extension_rows_start_below_the_core_fields() -> None:
    assert FIRST == 34


def test_the_fields_of_an_extension_with_their_kinds_and_help() -> None:
    assert extension_fields(AuditExtension("acme", Acme)) == (
        ExtensionField("acme", "checklist_approved", "date", (), "The day the partner approved the audit checklist."),
        ExtensionField("acme", "crews", "int", (), "Crews at work on the audit date"),
        ExtensionField("acme", "size", "choice", ("small", "large"), ""),
    )


def test_bcs_cycle_year_keeps_its_own_row_and_gets_no_second_one() -> None:
    bc = bundled_engine().audit_extensions()
    assert [item.key for item in extension_fields(bc["bc"])] == ["extensions.bc.cycle_year"]
    assert extension_rows(bc) == ()


# --------------------------------------------------------------------------- the spreadsheet


def test_new_writes_a_row_per_extension_field_with_help_and_validation(engine: Engine) -> None:
    raw = write_workbook(engine.standard("test-basic"), "Small", engine.methods(), engine.audit_extensions())
    ws = openpyxl.load_workbook(io.BytesIO(raw))["Audit"]
    assert ws.max_row == 36
    assert [[c.value for c in ws[row]] for row in (34, 35, 36)] == [
        [
            "extensions.acme.checklist_approved",
            None,
            "Optional: The day the partner approved the audit checklist (YYYY-MM-DD).",
        ],
        ["extensions.acme.crews", None, "Optional: Crews at work on the audit date (a whole number)."],
        ["extensions.acme.size", None, "Optional: one of small, large."],
    ]
    assert [ws[f"B{row}"].protection.locked for row in (34, 35, 36)] == [False, False, False]
    assert [ws[f"A{row}"].protection.locked for row in (34, 35, 36)] == [True, True, True]
    assert ws["B34"].number_format == "yyyy-mm-dd"
    validations = {(v.type, v.formula1): str(v.sqref) for v in ws.data_validations.dataValidation}
    assert validations[("date", "DATE(1900,1,1)")] == "B6 B7 B8 B9 B34"
    assert validations[("whole", "0")] == "B11 B12 B16 B18 B19 B20 B21 B31 B33 B35"
    assert validations[("list", '"small,large"')] == "B36"


def test_a_workbook_with_no_extension_rows_is_byte_identical_to_before(engine: Engine) -> None:
    standard = engine.standard("test-basic")
    assert write_workbook(standard, "Large", engine.methods(), {}) == write_workbook(standard, "Large")


def test_filled_extension_rows_are_read_into_the_extensions_instance(engine: Engine, tmp_path: Path) -> None:
    path = filled(engine, tmp_path, {"B34": dt.date(2025, 3, 4), "B35": 3, "B36": "large"})
    ws = openpyxl.load_workbook(path)["Audit"]
    assert [ws[f"B{row}"].value for row in (34, 35, 36)] == [dt.datetime(2025, 3, 4), 3, "large"]
    loaded = engine.load_audit(path)
    assert loaded.audit.extensions == {"acme": Acme(dt.date(2025, 3, 4), 3, "large")}
    assert loaded.lines[("extensions", "acme", "crews")] == "Audit!B35"
    assert engine.problems(loaded) == []
    data = read_workbook(path, engine.audit_extensions())[0]
    assert data["extensions"] == {"acme": {"checklist_approved": "2025-03-04", "crews": 3, "size": "large"}}


def test_blank_extension_rows_give_no_block(engine: Engine, tmp_path: Path) -> None:
    loaded = engine.load_audit(filled(engine, tmp_path))
    assert loaded.audit.extensions == {}


def test_a_wrong_type_is_one_problem_naming_the_cell(engine: Engine, tmp_path: Path) -> None:
    path = filled(engine, tmp_path, {"B35": "three"})
    assert problems_of(engine, path) == [
        "audit.xlsx: Audit!B35: extensions.acme.crews: must be a whole number, not 'three'"
    ]
    set_cells(path, {"B35": 3, "B34": "soon"})
    assert problems_of(engine, path) == [
        "audit.xlsx: Audit!B34: extensions.acme.checklist_approved: must be a date (YYYY-MM-DD), not 'soon'"
    ]


def test_a_value_the_extensions_class_refuses_is_reported_at_the_cell(engine: Engine, tmp_path: Path) -> None:
    path = filled(engine, tmp_path, {"B36": "huge"})
    assert problems_of(engine, path) == [
        "audit.xlsx: Audit!B36: extensions.acme.size: must be one of small, large, not 'huge'"
    ]


def test_an_unknown_extension_or_field_row_is_a_problem_with_did_you_mean(engine: Engine, tmp_path: Path) -> None:
    path = filled(engine, tmp_path)
    set_cells(
        path,
        {
            "A37": "extensions.acmee.crews",
            "B37": 4,
            "A38": "extensions.acme.crew",
            "B38": 5,
            "A39": "extensions.zulu.anything",
            "B39": "x",
            "A40": "extensions.ghost.blank",  # blank: a row of an extension not installed here, passed over
        },
    )
    assert problems_of(engine, path) == [
        "audit.xlsx: Audit!A37: extensions.acmee.crews: unknown extension 'acmee' (did you mean 'acme'? registered: "
        "acme)",
        "audit.xlsx: Audit!A38: extensions.acme.crew: unknown field 'crew' of extension 'acme' (did you mean 'crews'? "
        "expected one of: checklist_approved, crews, size)",
        "audit.xlsx: Audit!A39: extensions.zulu.anything: unknown extension 'zulu' (registered: acme)",
    ]


def test_a_repeated_extension_row_and_an_unknown_plain_row_are_problems(engine: Engine, tmp_path: Path) -> None:
    path = filled(engine, tmp_path)
    set_cells(path, {"A37": "extensions.acme.crews", "B37": 2, "A38": "peak_workforce"})
    assert problems_of(engine, path) == [
        "audit.xlsx: Audit!A37: 'extensions.acme.crews' appears twice (first on row 35); the rows of column A must "
        "not be edited",
        "audit.xlsx: Audit!A38: unknown field 'peak_workforce'; fields must not be added",
    ]


def test_a_workbook_with_extension_rows_read_where_the_plugin_is_missing(engine: Engine, tmp_path: Path) -> None:
    path = filled(engine, tmp_path)
    without = Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={})
    assert without.load_audit(path).audit == engine.load_audit(path).audit  # blank rows: nothing lost
    set_cells(path, {"B35": 3})
    assert problems_of(without, path) == [
        "audit.xlsx: Audit!A35: extensions.acme.crews: unknown extension 'acme' (registered: none)"
    ]


# --------------------------------------------------------------------------- BC's cycle_year row


def test_bcs_cycle_year_row_keeps_its_place_and_round_trips_through_new(tmp_path: Path) -> None:
    example = EXAMPLES / "bc-large-certification.yaml"
    data = yaml_data(example)
    data["extensions"] = {"bc": {"cycle_year": 2025}}
    path = tmp_path / "audit.xlsx"
    result = CliRunner().invoke(
        cli,
        ["new", data["standard"], "-o", str(path), "--program", data["program"]],
        env={"CORENGINE_PLUGINS": BUNDLED_NAMES},
    )
    assert result.exit_code == 0, result.output
    engine = bundled_engine()
    assert path.read_bytes() == write_workbook(engine.standard(data["standard"]), data["program"])
    ws = openpyxl.load_workbook(path)["Audit"]
    assert (ws.max_row, ws["A31"].value) == (33, "cycle_year")
    fill(path, data)
    loaded = engine.load_audit(path)
    assert loaded.audit.extensions == {"bc": BcAudit(2025)}
    assert loaded.lines[("extensions", "bc", "cycle_year")] == "Audit!B31"


def test_a_second_row_for_bcs_cycle_year_points_to_its_own_row(tmp_path: Path) -> None:
    engine = Engine(plugins=BUNDLED_PLUGINS, load_entrypoints=False, environ={})
    data = yaml_data(EXAMPLES / "bc-large-certification.yaml")
    path = tmp_path / "audit.xlsx"
    path.write_bytes(write_workbook(engine.standard(data["standard"]), data["program"]))
    fill(path, data)
    set_cells(path, {"A34": "extensions.bc.cycle_year", "B34": 2025})
    assert problems_of(engine, path) == [
        "audit.xlsx: Audit!A34: extensions.bc.cycle_year: has its own row, 'cycle_year' (row 31): give it there"
    ]


# --------------------------------------------------------------------------- the YAML workbook and show


def test_the_yaml_workbook_shows_the_extension_block_commented(engine: Engine) -> None:
    assert extension_template(engine.audit_extensions()) == [
        "# extensions:               # optional: plugins' fields; uncomment the ones this audit gives",
        "#   acme:                   # a test partner's facts",
        "#     checklist_approved: null # Optional: The day the partner approved the audit checklist (YYYY-MM-DD).",
        "#     crews: null           # Optional: Crews at work on the audit date (a whole number).",
        "#     size: null            # Optional: one of small, large.",
    ]
    assert extension_template({}) == []
    text = yaml_blank(engine.standard("test-basic"), "Small", engine.methods(), engine.audit_extensions())
    assert "  kind: external            # external, internal, candidate or self-assessor\n# extensions:" in text
    assert "extensions" not in yaml.safe_load(text)
    uncommented = text.replace("# extensions:", "extensions:").replace("#   acme:", "  acme:")
    uncommented = uncommented.replace("#     crews: null", "    crews: 4")
    assert yaml.safe_load(uncommented)["extensions"] == {"acme": {"crews": 4}}


def test_show_lists_the_extension_fields(engine: Engine) -> None:
    from corengine._formats.yaml_workbook import describe
    from corengine._util.textlayout import Layout

    text = describe(engine.resolve("test-basic"), dt.date(2020, 6, 1), Layout(width=100), engine.methods(), {})
    with_fields = describe(
        engine.resolve("test-basic"),
        dt.date(2020, 6, 1),
        Layout(width=100),
        engine.methods(),
        engine.audit_extensions(),
    )
    assert with_fields == text + (
        "\n"
        "Audit extensions (fields the installed plugins read under `extensions`):\n"
        "  extensions.acme.checklist_approved: Optional: The day the partner approved the audit checklist\n"
        "      (YYYY-MM-DD).\n"
        "  extensions.acme.crews: Optional: Crews at work on the audit date (a whole number).\n"
        "  extensions.acme.size: Optional: one of small, large.\n"
    )


def test_show_json_lists_bcs_field() -> None:
    env = {"CORENGINE_PLUGINS": BUNDLED_NAMES}
    result = CliRunner().invoke(cli, ["show", "bc-bccsa-cor", "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["audit_extensions"] == [
        {
            "key": "extensions.bc.cycle_year",
            "kind": "int",
            "choices": [],
            "required": False,
            "help": "The calendar year the audit counts for (WorkSafeBC's cycle runs one audit per calendar year, "
            "its on-site work complete by 31 December); unset: the year its on-site work ended, or an earlier "
            "year it began in.",
        }
    ]
