"""Plugin-declared audit extension fields: ``extensions: {NAME: {...}}`` in an audit, structured by the class the
plugin registers, in the same pass as every other problem; BC's ``cycle_year`` moved there from the core."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
import yaml
from attrs import frozen

from corengine import Engine, hookimpl
from corengine._formats.xlsx import AUDIT_FIELDS, write_workbook
from corengine.errors import DuplicateError, InputError
from corengine.model.extensions import AuditExtension, extension
from corengine_bc.fields import BcAudit
from tests.helpers import BUNDLED_PLUGINS, EXAMPLES, bundled_engine, fill

BC_EXAMPLE = EXAMPLES / "bc-large-certification.yaml"
LATE = {
    "notice_date": "2025-11-20",
    "start_date": "2025-12-29",
    "audit_date": "2026-01-02",
    "report_date": "2026-01-15",
}
DEPRECATED = r"`cycle_year` is deprecated; use `extensions: \{bc: \{cycle_year: \.\.\.\}\}`"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return bundled_engine()


def bc_audit(tmp_path: Path, text: str) -> Path:
    """The BC example with ``text`` added at its end (late dates, so the cycle year decides)."""
    data = yaml.safe_load(BC_EXAMPLE.read_text(encoding="utf-8")) | LATE
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False) + text, encoding="utf-8")
    return path


def calendar_finding(engine: Engine, path: Path) -> tuple[str, str]:
    result = engine.score(engine.load_audit(path))
    finding = next(f for f in result.outcome.reasons if f.check == "bc.calendar_year")
    return finding.status, finding.message


def test_the_bc_block_is_read_into_the_plugins_class(engine: Engine, tmp_path: Path) -> None:
    path = bc_audit(tmp_path, "extensions:\n  bc: {cycle_year: 2025}\n")
    loaded = engine.load_audit(path)
    assert loaded.audit.extensions == {"bc": BcAudit(cycle_year=2025)}
    assert extension(loaded.audit, "bc", BcAudit) == BcAudit(2025)
    assert loaded.audit.cycle_year is None
    assert calendar_finding(engine, path) == (
        "fail",
        "the audit is recorded as the employer's 2025 audit, but its on-site work was completed on 2026-01-02: "
        "on-site work for the 2025 audit had to be complete by 31 December 2025 (one audit per calendar year)",
    )


def test_the_old_top_level_cycle_year_still_works_with_a_deprecation_warning(engine: Engine, tmp_path: Path) -> None:
    new = bc_audit(tmp_path, "extensions:\n  bc: {cycle_year: 2025}\n")
    expected = calendar_finding(engine, new)
    old = bc_audit(tmp_path, "cycle_year: 2025\n")
    with pytest.warns(DeprecationWarning, match=DEPRECATED):
        loaded = engine.load_audit(old)
    assert loaded.audit.extensions == {"bc": BcAudit(cycle_year=2025)}
    with pytest.warns(DeprecationWarning, match=DEPRECATED):
        assert calendar_finding(engine, old) == expected


def test_an_audit_built_in_code_with_the_old_field_is_still_read_by_bc(engine: Engine) -> None:
    loaded = engine.load_audit(BC_EXAMPLE)
    old = attrs.evolve(loaded.audit, cycle_year=2024)
    result = engine.score(old)
    finding = next(f for f in result.outcome.reasons if f.check == "bc.calendar_year")
    assert finding.message.startswith("the audit is recorded as the employer's 2024 audit")


def test_giving_both_forms_is_a_problem(engine: Engine, tmp_path: Path) -> None:
    path = bc_audit(tmp_path, "cycle_year: 2025\nextensions:\n  bc: {cycle_year: 2025}\n")
    with pytest.warns(DeprecationWarning, match=DEPRECATED), pytest.raises(InputError) as caught:
        engine.load_audit(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines.index("cycle_year: 2025") + 1
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{line}: cycle_year: given both here and as extensions.bc.cycle_year; give it once, there"
    ]


def test_extension_problems_come_in_the_same_pass_with_file_line_and_path(engine: Engine, tmp_path: Path) -> None:
    path = bc_audit(tmp_path, "extensions:\n  bc: {cycle_yaer: 2025}\n  acme: {peak: 3}\n  ontario: 4\n")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["audit_type"] = "certificaton"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()

    def line(text: str) -> int:
        return next(i for i, row in enumerate(lines, start=1) if row.strip().startswith(text))

    with pytest.raises(InputError) as caught:
        engine.load_audit(path)
    assert sorted(str(p) for p in caught.value.problems) == sorted(
        [
            f"{path}:{line('cycle_yaer')}: extensions.bc.cycle_yaer: unknown key (did you mean 'cycle_year'? "
            "expected one of: cycle_year)",
            f"{path}:{line('peak')}: extensions.acme: unknown extension 'acme' (registered: bc)",
            f"{path}:{line('ontario')}: extensions.ontario: unknown extension 'ontario' (registered: bc)",
            f"{path}:{line('audit_type')}: audit_type: must be one of certification, recertification, maintenance, "
            "internal, external, self-assessment, administrative, limited-scope, action-plan, not 'certificaton'",
        ]
    )


def test_a_bad_value_names_the_extension_path(engine: Engine, tmp_path: Path) -> None:
    path = bc_audit(tmp_path, "extensions:\n  bc:\n    cycle_year: 25\n")
    line = path.read_text(encoding="utf-8").splitlines().index("    cycle_year: 25") + 1
    with pytest.raises(InputError) as caught:
        engine.load_audit(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{line}: extensions.bc.cycle_year: must be a year from 1900 to 2999, not 25 "
        "(a year that far off is taken for a typing mistake)"
    ]


@frozen
class Peak:
    """A test partner's own fact (test data)."""

    peak_workforce: int
    """The most workers at once in the year."""


class Partner:
    name = "acme"

    @hookimpl
    def corengine_register_audit_extensions(self) -> list[AuditExtension]:
        return [AuditExtension("acme", Peak, "peak workforce")]


def test_a_partner_registers_its_own_block_beside_bcs(tmp_path: Path) -> None:
    engine = Engine(plugins=[*BUNDLED_PLUGINS, Partner()], load_entrypoints=False, environ={})
    path = bc_audit(tmp_path, "extensions:\n  acme: {peak_workforce: 61}\n  bc: {cycle_year: 2026}\n")
    audit = engine.load_audit(path).audit
    assert audit.extensions == {"acme": Peak(61), "bc": BcAudit(2026)}
    assert sorted(engine.audit_extensions()) == ["acme", "bc"]


def test_an_extension_name_registered_twice_names_both_plugins() -> None:
    class Again(Partner):
        name = "acme-again"

    engine = Engine(plugins=[Partner(), Again()], load_entrypoints=False, environ={})
    with pytest.raises(DuplicateError, match="audit extension 'acme' is registered by both plugin 'acme' and plugin"):
        engine.audit_extensions()


def test_an_extension_class_must_be_an_attrs_class() -> None:
    with pytest.raises(TypeError, match="fields must be an attrs class, not <class 'dict'>"):
        AuditExtension("x", dict)


def test_the_spreadsheets_cycle_year_row_round_trips_the_bc_block(engine: Engine, tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(BC_EXAMPLE.read_text(encoding="utf-8"))
    data["extensions"] = {"bc": {"cycle_year": 2025}}
    source = tmp_path / "audit.yaml"
    source.write_text(yaml.safe_dump(data), encoding="utf-8")
    path = tmp_path / "audit.xlsx"
    path.write_bytes(write_workbook(engine.standard(data["standard"]), data["program"]))
    fill(path, data)
    row = 2 + [key for key, _, _ in AUDIT_FIELDS].index("cycle_year")
    assert openpyxl.load_workbook(path)["Audit"].cell(row=row, column=2).value == 2025
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # the workbook's row is not the deprecated form
        from_xlsx = engine.load_audit(path)
    assert from_xlsx.audit.extensions == {"bc": BcAudit(2025)}
    assert from_xlsx.audit == engine.load_audit(source).audit
    assert from_xlsx.lines[("extensions", "bc", "cycle_year")] == f"Audit!B{row}"


def test_the_cli_tells_the_user_that_an_old_form_needs_migrating(tmp_path: Path) -> None:
    """Python hides DeprecationWarning outside ``__main__``; the CLI prints the project's own deprecations as
    one ``warning:`` line each, and still scores the file."""
    from click.testing import CliRunner

    from corengine._cli.main import cli

    path = bc_audit(tmp_path, "cycle_year: 2025\n")
    result = CliRunner().invoke(cli, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ("warning: `cycle_year` is deprecated; use `extensions: {bc: {cycle_year: ...}}`\n")
    assert '"format": "corengine.result/2"' in result.stdout
