"""Revision 0002 (auditors' qualifications, equivalency records and their proofs): from an empty database, and
from a real 0001 database holding data (made with revision 0001 through alembic), losing nothing — on SQLite, and
on PostgreSQL where a server can be started."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner, Result

from corengine._cli.main import cli
from corengine._registry.store import Store, database_url
from tests.helpers import EXAMPLES

ONTARIO = [EXAMPLES / "ontario-internal-pass.yaml", EXAMPLES / "ontario-external-pass.yaml"]
NEW_TABLES = ["auditor_qualifications", "equivalencies", "equivalency_proofs"]


def registry(*args: str) -> Result:
    return CliRunner().invoke(cli, ["registry", *args])


def _rows(db: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the 0001 tables, by table, in id order."""
    store = Store(database_url(db))
    try:
        with store.engine.connect() as connection:
            return {
                table: [tuple(row) for row in connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))]
                for table in ("employers", "auditors", "audits", "certificates")
            }
    finally:
        store.close()


def _at_0001_with_data(db: str) -> None:
    """A registry made with revision 0001 through alembic, then rows inserted as corengine 0001 stored them."""
    store = Store(database_url(db))
    try:
        assert store.upgrade("0001") == (None, "0001")
        with store.writer.begin() as connection:
            employer = connection.execute(
                sa.text(
                    "INSERT INTO employers (key, name, wcb_account, industry_code) "
                    "VALUES ('WSIB 1', 'Lakeshore Paving Ltd.', 'WSIB 1', 'road construction') RETURNING id"
                )
            ).scalar_one()
            auditor = connection.execute(
                sa.text("INSERT INTO auditors (name, kind) VALUES ('Morgan Achebe', 'external') RETURNING id")
            ).scalar_one()
            audit = connection.execute(
                sa.text(
                    "INSERT INTO audits (digest, source, employer_id, auditor_id, standard, standard_version, "
                    "audit_type, audit_date, program, passed, certificate, overall_exact, audit_data, score_data, "
                    "outcome_data, result_document) VALUES (:digest, 'a.yaml', :employer, :auditor, "
                    "'on-ihsa-cor2020', '2020', 'external', :day, 'COR', :passed, 'COR (3 years)', '803/10', "
                    ":data, :data, :data, :data) RETURNING id"
                ),
                {
                    "digest": "a" * 64,
                    "employer": employer,
                    "auditor": auditor,
                    "day": dt.date(2025, 1, 24),
                    "passed": True,
                    "data": json.dumps({"kept": ["é", 1]}),
                },
            ).scalar_one()
            connection.execute(
                sa.text(
                    "INSERT INTO certificates (employer_id, audit_id, certificate, program, partner, valid_until, "
                    "state) VALUES (:employer, :audit, 'COR (3 years)', 'COR', 'IHSA', :until, 'granted')"
                ),
                {"employer": employer, "audit": audit, "until": dt.date(2028, 1, 24)},
            )
    finally:
        store.close()


def test_registry_init_upgrades_a_0001_database_holding_data_and_loses_nothing(db: str) -> None:
    _at_0001_with_data(db)
    before = _rows(db)
    assert [len(before[t]) for t in ("employers", "auditors", "audits", "certificates")] == [1, 1, 1, 1]
    refused = registry("status", "--db", db, "WSIB 1")
    assert refused.exit_code == 2
    assert refused.stderr.endswith(
        "the registry is at revision 0001; upgrade it to 0002 with `corengine registry init`\n"
    )
    upgraded = registry("init", "--db", db)
    assert (upgraded.exit_code, upgraded.output.split(": registry ")[-1]) == (
        0,
        "upgraded from revision 0001 to 0002\n",
    )
    assert _rows(db) == before
    store = Store(database_url(db))
    try:
        names = set(sa.inspect(store.engine).get_table_names())
        assert set(NEW_TABLES) <= names
        indexes = {i["name"] for i in sa.inspect(store.engine).get_indexes("audits")}
        assert {"audits_by_employer", "audits_by_auditor"} <= indexes
    finally:
        store.close()
    again = registry("init", "--db", db)
    assert again.output.endswith("registry already at revision 0002\n")


def test_a_new_registry_is_created_at_0002_with_every_table(db: str) -> None:
    created = registry("init", "--db", db)
    assert created.output.endswith("registry created at revision 0002\n")
    store = Store(database_url(db))
    try:
        assert store.revisions() == ("0002", "0002")
        assert set(sa.inspect(store.engine).get_table_names()) == {
            "alembic_version",
            "employers",
            "auditors",
            "audits",
            "certificates",
            *NEW_TABLES,
        }
    finally:
        store.close()


def test_an_upgraded_0001_registry_takes_new_audits_beside_the_old(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    _at_0001_with_data(db)
    assert registry("init", "--db", db).exit_code == 0
    added = registry("add", "--db", db, str(ONTARIO[0]))
    assert added.exit_code == 0, added.output
    assert _rows(db)["audits"][0][1] == "a" * 64
    assert len(_rows(db)["audits"]) == 2
