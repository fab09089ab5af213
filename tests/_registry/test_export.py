"""``corengine registry export``: the bytes of every kind of line (an audit that granted a certificate, one that
did not, an auditor's qualifications, equivalency CORs and a proof) against a golden file captured before the
lines became documents of ``corengine._views.registry_export``, and ``import-jsonl`` reading them back — on
SQLite, and on PostgreSQL where a server can be started."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from corengine._cli.main import cli
from tests.helpers import EXAMPLES, GOLDEN, golden

AUDITS = [EXAMPLES / "alberta-acsa-secor.yaml", EXAMPLES / "alberta-acsa-cor-certification-element-fail.yaml"]
"""A SECOR granted (2025, with a certificate row) and a COR certification that fails an element (no certificate)."""


def registry(*args: str) -> Result:
    result = CliRunner().invoke(cli, ["registry", *args])
    assert result.exit_code == 0, result.output
    return result


def fill(db: str, tmp_path: Path) -> None:
    registry("init", "--db", db)
    registry("add", "--db", db, *map(str, AUDITS))
    registry("auditor", "add", "Zoë Tremblay", "--kind", "external", "--qualified", "2021-03-04", "--db", db)
    registry(
        "auditor", "add", "Zoë Tremblay", "--kind", "external", "--qualified", "2024-06-30", "--requalify-by",
        "2027-06-29", "--certificate", "AB-«42»", "--partner", "ACSA", "--db", db,
    )  # fmt: skip
    registry(
        "equivalency", "add", "Prairie Fabrication Ltd.", "--jurisdiction", "AB", "--scheme", "ISO45001",
        "--certified", "2023-01-01", "--expires", "2026-01-01", "--granted", "2023-02-01", "--valid-until",
        "2026-01-31", "--db", db,
    )  # fmt: skip
    registry("equivalency", "proof", "Prairie Fabrication Ltd.", "--year", "2", "--received", "2024-03-01", "--db", db)
    proof = tmp_path / "proof.txt"
    proof.write_bytes(b"ISO 45001 surveillance audit, 2025\n")
    registry(
        "equivalency", "add", "Chantier Élan", "--jurisdiction", "AB", "--scheme", "CSA-Z45001", "--certified",
        "2024-01-01", "--granted", "2024-02-01", "--partner", "ACSA", "--name", "Chantier Élan", "--wcb-account",
        "AB-778899", "--db", db,
    )  # fmt: skip
    registry(
        "equivalency", "proof", "AB-778899", "--year", "3", "--received", "2026-02-02", "--file", str(proof), "--db", db
    )


def test_export_bytes_are_the_golden_ones_and_import_back_identically(tmp_path: Path, db: str) -> None:
    fill(db, tmp_path)
    exported = registry("export", "--db", db).output
    golden("registry-export.jsonl", exported)
    assert exported.count("\n") == 5
    saved = tmp_path / "export.jsonl"
    saved.write_text(exported, encoding="utf-8")
    copy = str(tmp_path / "copy.sqlite3")
    registry("init", "--db", copy)
    assert registry("import-jsonl", "--db", copy, str(saved)).output == "5 added, 0 already stored\n"
    assert registry("export", "--db", copy).output == exported


def test_import_jsonl_reports_a_line_that_is_not_its_document(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    registry("init", "--db", db)
    audit, auditor, equivalency = (
        json.loads(line) for line in (GOLDEN / "registry-export.jsonl").read_text(encoding="utf-8").splitlines()[::2]
    )
    bad = [
        {**audit, "employer": {"key": "k"}},
        {**audit, "passed": "yes"},
        {**audit, "extra": 1},
        {**audit, "certificate": {**audit["certificate"], "valid_until": "2027-13-01"}},
        {**auditor, "qualifications": [{**auditor["qualifications"][0], "partner": 7}]},
        {**equivalency, "jurisdiction": 5},
    ]
    file = tmp_path / "bad.jsonl"
    file.write_text("".join(json.dumps(line) + "\n" for line in bad), encoding="utf-8")
    result = CliRunner().invoke(cli, ["registry", "import-jsonl", "--db", db, str(file)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {file}:1: employer.name: required key is missing",
        f"error: {file}:2: passed: expected true or false, not 'yes' (write true or false: yes, no, on and off are "
        "text)",
        f"error: {file}:3: extra: unknown key (expected one of: digest, source, employer, auditor, standard, "
        "standard_version, audit_type, audit_date, program, passed, certificate, overall_exact, audit, score, "
        "outcome, result, format, version)",
        f"error: {file}:4: certificate.valid_until: '2027-13-01' is not a date that exists (month must be in 1..12)",
        f"error: {file}:5: qualifications[0].partner: expected text, not 7 (quote it)",
        f"error: {file}:6: jurisdiction: expected text, not 5 (quote it)",
    ]
    assert CliRunner().invoke(cli, ["registry", "export", "--db", db]).output == ""
