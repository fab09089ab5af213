"""``corengine registry``: init, add and import (idempotent by digest, bad files reported, nothing half-written),
export and import back without loss, status on a date equal to ``cycle`` over the same files, due, and every
database failure as one line and exit 2 — on SQLite, and on PostgreSQL where a server can be started."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import attrs
import pytest
import yaml
from click.testing import CliRunner, Result

from corengine._cli.main import cli
from corengine._registry import models
from corengine._registry.records import record_of, store
from corengine._registry.store import DEFAULT_FILE, Store, database_url
from corengine.errors import CorengineError
from tests.helpers import EXAMPLES, bundled_engine

ONTARIO = [EXAMPLES / "ontario-internal-pass.yaml", EXAMPLES / "ontario-external-pass.yaml"]
"""Two audits of WSIB 1234567: an internal audit (2024-09-20) and the external one that grants a 3-year COR
(2025-01-24)."""


def registry(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["registry", *args], env=env)


def init(db: str) -> None:
    result = registry("init", "--db", db)
    assert result.exit_code == 0, result.output


def maintenance(tmp_path: Path, date: str, name: str) -> Path:
    """The external audit again, as a maintenance audit on ``date``."""
    data = yaml.safe_load((EXAMPLES / "ontario-external-pass.yaml").read_text(encoding="utf-8"))
    data.update(audit_type="maintenance", audit_date=date)
    data.pop("start_date", None)
    data.pop("report_date", None)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_init_creates_the_default_file_in_the_working_directory_and_says_so_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORENGINE_DB", raising=False)
    first = registry("init")
    assert (first.exit_code, first.output) == (0, f"{tmp_path / DEFAULT_FILE}: registry created at revision 0002\n")
    again = registry("init")
    assert again.output == f"{tmp_path / DEFAULT_FILE}: registry already at revision 0002\n"
    other = tmp_path / "other.sqlite3"
    by_env = registry("init", env={"CORENGINE_DB": str(other)})
    assert by_env.output == f"{other}: registry created at revision 0002\n"


def test_database_url_reads_paths_urls_and_the_environment(tmp_path: Path) -> None:
    assert database_url("x.db", {}).database == str(Path("x.db").resolve())
    assert database_url(None, {"CORENGINE_DB": "postgresql://u@h/d"}).drivername == "postgresql+psycopg"
    assert database_url(None, {}).database == str(Path(DEFAULT_FILE).resolve())
    with pytest.raises(CorengineError, match="expected a SQLite path or a postgresql:// URL, not a mysql URL"):
        database_url("mysql://u@h/d", {})


def test_add_scores_and_stores_each_file_once(db: str) -> None:
    init(db)
    first = registry("add", "--db", db, *map(str, ONTARIO))
    assert (first.exit_code, first.output) == (
        0,
        f"{ONTARIO[0]}: added (WSIB 1234567, internal of 2024-09-20)\n"
        f"{ONTARIO[1]}: added (WSIB 1234567, external of 2025-01-24)\n"
        "2 added, 0 already stored, 0 bad\n",
    )
    again = registry("add", "--db", db, str(ONTARIO[1]))
    digest = __import__("hashlib").sha256(ONTARIO[1].read_bytes()).hexdigest()
    assert again.output == (
        f"{ONTARIO[1]}: already in the registry (same file, sha256 {digest[:12]}): nothing added\n"
        "0 added, 1 already stored, 0 bad\n"
    )
    lines = [json.loads(line) for line in registry("export", "--db", db).output.splitlines()]
    assert [(r["digest"] == digest, r["audit_type"], r["passed"], r["overall_exact"]) for r in lines] == [
        (False, "internal", True, lines[0]["result"]["overall"]["percent_exact"]),
        (True, "external", True, lines[1]["result"]["overall"]["percent_exact"]),
    ]
    assert lines[1]["certificate"] == {
        "certificate": "COR (3 years)",
        "program": lines[1]["certificate"]["program"],
        "partner": "IHSA",
        "valid_until": "2028-01-24",
        "state": "granted",
    }
    assert lines[1]["employer"] == {
        "key": "WSIB 1234567",
        "name": "Lakeshore Paving Ltd.",
        "wcb_account": "WSIB 1234567",
        "industry_code": "road construction",
    }


def test_import_reports_every_bad_file_stores_the_good_ones_and_exits_2(tmp_path: Path, db: str) -> None:
    init(db)
    folder = tmp_path / "audits"
    folder.mkdir()
    shutil.copy(ONTARIO[0], folder / "a.yaml")
    (folder / "b.yaml").write_text("standard: on-ihsa-cor2020\naudit_type: external\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not an audit", encoding="utf-8")
    result = registry("import", "--db", db, str(folder))
    assert result.exit_code == 2
    assert (
        result.stdout
        == f"{folder / 'a.yaml'}: added (WSIB 1234567, internal of 2024-09-20)\n1 added, 0 already stored, 1 bad\n"
    )
    assert result.stderr.splitlines()[0] == f"error: {folder / 'b.yaml'}:1: audit_date: required key is missing"
    assert len(registry("export", "--db", db).output.splitlines()) == 1


def test_a_record_that_fails_half_way_leaves_nothing_behind(db: str) -> None:
    init(db)
    engine = bundled_engine()
    record = record_of(engine.score(engine.load_audit(ONTARIO[1])), "f" * 64, "x.yaml")
    assert record.certificate is not None
    record = attrs.evolve(
        record, certificate=attrs.evolve(record.certificate, certificate=None)
    )  # no certificate row: no audit row
    registry_store = Store(database_url(db))
    try:
        with pytest.raises(CorengineError):
            store(registry_store, record)
        with registry_store.reading() as session:
            counts = [session.query(table).count() for table in (models.Employer, models.Audit, models.Certificate)]
        assert counts == [0, 0, 0]
    finally:
        registry_store.close()


def test_export_and_import_jsonl_round_trip_without_loss(tmp_path: Path, db: str) -> None:
    init(db)
    registry("add", "--db", db, *map(str, ONTARIO), str(EXAMPLES / "bc-large-certification.yaml"))
    exported = tmp_path / "registry.jsonl"
    assert registry("export", "--db", db, "-o", str(exported)).exit_code == 0
    copy = str(tmp_path / "copy.sqlite3")
    init(copy)
    loaded = registry("import-jsonl", "--db", copy, str(exported))
    assert (loaded.exit_code, loaded.output) == (0, "3 added, 0 already stored\n")
    assert registry("export", "--db", copy).output == exported.read_text(encoding="utf-8")
    assert registry("import-jsonl", "--db", copy, str(exported)).output == "0 added, 3 already stored\n"
    first = registry("status", "--db", db, "WSIB 1234567", "--on", "2025-06-01", "--format", "json").output
    assert registry("status", "--db", copy, "WSIB 1234567", "--on", "2025-06-01", "--format", "json").output == first


def test_import_jsonl_reports_every_bad_line(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "other"}\nnot json\n\n{"format": "corengine-registry-audit", "version": 1}\n')
    result = registry("import-jsonl", "--db", db, str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {bad}:1: expected a line of `corengine registry export` (format corengine-registry-audit)",
        f"error: {bad}:2: not JSON (Expecting value at column 1)",
        f"error: {bad}:4: missing audit, audit_date, audit_type, auditor, certificate, digest, employer, outcome, "
        "overall_exact, passed, program, result, score, source, standard, standard_version",
    ]


@pytest.mark.parametrize("on", ["2024-12-01", "2025-02-01", "2026-01-31", "2026-02-01", "2028-03-01"])
def test_status_reads_the_same_cycle_as_the_cycle_command_over_the_files(db: str, on: str) -> None:
    init(db)
    registry("add", "--db", db, *map(str, ONTARIO))
    status = json.loads(registry("status", "--db", db, "Lakeshore Paving Ltd.", "--on", on, "--format", "json").output)
    over_files = CliRunner().invoke(cli, ["cycle", *map(str, ONTARIO), "--on", on, "--format", "json"])
    assert status["cycle"] == json.loads(over_files.output)
    expected = {
        "2024-12-01": ("no certificate", None, False),
        "2025-02-01": ("maintenance due", "2026-01-31", True),
        "2026-01-31": ("maintenance due", "2026-01-31", True),
        "2026-02-01": ("cancelled", "2026-01-31", False),
        "2028-03-01": ("cancelled", "2026-01-31", False),
    }[on]
    assert (status["status"], status["by"], status["current"]) == expected


def test_status_follows_maintenance_to_renewal_and_lapse(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    files = [*ONTARIO, maintenance(tmp_path, "2025-12-10", "m1.yaml"), maintenance(tmp_path, "2026-12-10", "m2.yaml")]
    assert registry("add", "--db", db, *map(str, files)).exit_code == 0
    seen = {}
    for on in ("2025-12-15", "2026-12-15", "2028-01-24", "2028-01-25"):
        data = json.loads(registry("status", "--db", db, "WSIB 1234567", "--on", on, "--format", "json").output)
        seen[on] = (data["status"], data["by"], data["message"])
        over_files = CliRunner().invoke(cli, ["cycle", *map(str, files), "--on", on, "--format", "json"])
        assert data["cycle"] == json.loads(over_files.output)
    assert seen == {
        "2025-12-15": (
            "good standing",
            "2027-01-31",
            "the COR (3 years) is current (valid until 2028-01-24); next: maintenance by 2027-01-31",
        ),
        "2026-12-15": (
            "renewal due",
            "2028-01-24",
            "every deadline of the COR (3 years)'s cycle is met; a recertification audit is due by 2028-01-24",
        ),
        "2028-01-24": (  # "valid until" is the last day it is valid
            "renewal due",
            "2028-01-24",
            "every deadline of the COR (3 years)'s cycle is met; a recertification audit is due by 2028-01-24",
        ),
        "2028-01-25": (
            "lapsed",
            "2028-01-24",
            "the COR (3 years) was valid until 2028-01-24; no audit done by 2028-01-25 granted a new certificate",
        ),
    }
    text = registry("status", "--db", db, "WSIB 1234567", "--on", "2025-12-15").output
    assert text == (
        "Lakeshore Paving Ltd. (WSIB 1234567) on 2025-12-15: good standing (by 2027-01-31)\n"
        "  the COR (3 years) is current (valid until 2028-01-24); next: maintenance by 2027-01-31\n"
        "  certificate: COR (3 years), valid until 2028-01-24\n"
        "  audits stored: 4\n"
    )


def test_status_and_cycle_agree_on_partner_timing_lapse_and_cancellation(tmp_path: Path) -> None:
    """``registry status`` and ``cycle`` over the files give the same answers with a partner's own timing (ESC:
    "based on the month of the expiry date", https://www.energysafetycanada.com/COR/CORSECOR/Maintaining-A-COR),
    a 1-year COR that lapses, and a cancellation; the status text says the certificate is no longer valid."""
    db = str(tmp_path / "r.sqlite3")
    init(db)
    data = yaml.safe_load((EXAMPLES / "alberta-esc-cor-recertification.yaml").read_text(encoding="utf-8"))
    one_year = dict(data, employer={**data["employer"], "records_months": 6, "name": "One Year Co"})
    one_year_path = tmp_path / "one-year.yaml"
    one_year_path.write_text(yaml.safe_dump(one_year), encoding="utf-8")
    esc = EXAMPLES / "alberta-esc-cor-recertification.yaml"
    assert registry("add", "--db", db, str(esc), str(one_year_path)).exit_code == 0
    employer = data["employer"]["name"]
    seen = {}
    for key, files, on in (
        (employer, [esc], "2025-06-01"),
        (employer, [esc], "2026-04-01"),
        ("One Year Co", [one_year_path], "2026-03-31"),
        ("One Year Co", [one_year_path], "2026-04-01"),
    ):
        status = json.loads(registry("status", "--db", db, key, "--on", on, "--format", "json").output)
        over_files = CliRunner().invoke(cli, ["cycle", *map(str, files), "--on", on, "--format", "json"])
        assert status["cycle"] == json.loads(over_files.output)
        seen[(key, on)] = (status["status"], status["by"], status["valid_until"], status["cycle"]["state"])
    assert seen == {
        (employer, "2025-06-01"): ("maintenance due", "2026-03-31", "2028-03-14", "current"),
        (employer, "2026-04-01"): ("cancelled", "2026-03-31", None, "cancelled"),
        ("One Year Co", "2026-03-31"): ("renewal due", "2026-03-31", "2026-03-14", "current"),
        ("One Year Co", "2026-04-01"): ("lapsed", "2026-03-14", None, "lapsed"),
    }
    text = registry("status", "--db", db, "One Year Co", "--on", "2026-04-01").output
    assert text.splitlines()[2] == "  certificate: COR (1 year), lapsed"


def test_status_of_an_unknown_employer_is_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    result = registry("status", "--db", db, "WSIB 0000000")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: EMPLOYER: no employer 'WSIB 0000000' in the registry (give its WCB account or name)\n",
    )


def test_due_lists_each_open_deadline_in_the_window(db: str) -> None:
    init(db)
    registry("add", "--db", db, *map(str, ONTARIO), str(EXAMPLES / "alberta-esc-cor-recertification.yaml"))
    args = ("due", "--db", db, "--on", "2025-12-01", "--within", "120d")
    assert registry(*args, "--format", "csv").output == (
        "due,employer,name,check,subject,state,certificate\n"
        "2026-01-31,WSIB 1234567,Lakeshore Paving Ltd.,cycle.maintenance,maintenance,due,COR (3 years)\n"
        "2026-03-31,Foothills Well Servicing Inc. (fictional),Foothills Well Servicing Inc. (fictional),"
        "cycle.maintenance,maintenance,due,COR (3 years)\n"
    )
    data = json.loads(registry(*args, "--format", "json").output)
    assert (data["on"], data["until"], len(data["items"])) == ("2025-12-01", "2026-03-31", 2)
    assert registry(*args).output.splitlines()[0] == "2 deadline(s) from 2025-12-01 to 2026-03-31:"
    assert registry("due", "--db", db, "--on", "2025-12-01", "--within", "30d").output == (
        "nothing due from 2025-12-01 to 2025-12-31\n"
    )
    bad = registry("due", "--db", db, "--within", "soon")
    assert bad.exit_code == 2 and "expected a period such as 60d, 8w or 2m, not 'soon'" in bad.output


# --------------------------------------------------------------------------- a real database that fails


def test_a_read_only_file_is_one_error_and_can_still_be_read(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    init(str(db))
    registry("add", "--db", str(db), str(ONTARIO[0]))
    db.chmod(0o444)
    result = registry("add", "--db", str(db), str(ONTARIO[1]))
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {db}: the database is read-only here; it cannot be written\n",
    )
    status = registry("status", "--db", str(db), "WSIB 1234567", "--on", "2025-01-01")
    assert status.exit_code == 0 and status.output.startswith("Lakeshore Paving Ltd. (WSIB 1234567) on 2025-01-01:")


def test_a_write_lock_held_by_another_connection_is_one_error(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    init(str(db))
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        result = registry("add", "--db", str(db), "--lock-timeout", "0.2", str(ONTARIO[0]))
    finally:
        holder.close()
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {db}: the database is locked by another process (it held the lock past the timeout); try again\n",
    )
    assert registry("add", "--db", str(db), str(ONTARIO[0])).exit_code == 0


def test_a_database_at_a_newer_revision_is_one_error(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    init(str(db))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    said = (
        f"error: {db}: the registry is at revision '9999', which this corengine does not know (its newest is "
        "'0002'): it was written by a newer corengine; use that version\n"
    )
    for args in (("init",), ("add", str(ONTARIO[0])), ("status", "WSIB 1234567"), ("export",)):
        result = registry(*args, "--db", str(db))
        assert (result.exit_code, result.stderr) == (2, said), args


def test_a_missing_or_empty_database_says_to_run_init(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    result = registry("status", "--db", str(missing), "X")
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {missing}: no registry here; create it with `corengine registry init`\n",
    )
    assert not missing.exists()
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    result = registry("export", "--db", str(empty))
    assert result.stderr == f"error: {empty}: not a registry yet; create it with `corengine registry init`\n"


def test_a_file_that_is_not_a_database_is_one_error(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    db.write_bytes(os.urandom(4096))
    result = registry("init", "--db", str(db))
    assert (result.exit_code, result.stderr) == (2, f"error: {db}: not a database file\n")


def test_the_migrated_schema_is_the_models_schema(db: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    init(db)
    registry_store = Store(database_url(db))
    try:
        with registry_store.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), models.Base.metadata)
    finally:
        registry_store.close()
    assert differences == []


def test_import_of_the_projects_own_examples_skips_the_evidence_indexes_and_says_so(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    result = registry("import", "--db", db, str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("skipped 10 evidence indexes: ")
    assert result.stderr.endswith("(not audits; `corengine readiness` reads them)\n")
    assert result.stdout.splitlines()[-1] == "10 added, 0 already stored, 0 bad"


def test_an_employer_name_reaches_the_terminal_escaped(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    data = yaml.safe_load(ONTARIO[1].read_text(encoding="utf-8"))
    data["employer"]["name"] = "Paving\x1b[2J Ltd."
    data["employer"].pop("account", None)
    audit = tmp_path / "audit.yaml"
    audit.write_text(yaml.safe_dump(data), encoding="utf-8")
    added = registry("add", "--db", db, str(audit))
    assert added.exit_code == 0, added.output
    assert "\x1b" not in added.output and "Paving\\x1b[2J Ltd." in added.output
    status = registry("status", "--db", db, "Paving\x1b[2J Ltd.", "--on", "2025-06-01").output
    assert "\x1b" not in status and status.startswith("Paving\\x1b[2J Ltd. on 2025-06-01: ")
