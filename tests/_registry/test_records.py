"""The registry's records beyond audits: auditors and their currency on an audit's date (BCCSA, AMTA, ACSA,
NLCSA, from the plugins' dated data), equivalency CORs and their yearly proofs (Alberta), bad input as one line,
and the export carrying them without loss — on SQLite, and on PostgreSQL where a server can be started."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from corengine._cli.main import cli
from corengine._host.engine import Engine
from corengine._registry import models
from corengine._registry.lifecycle import currency_rules, judge
from tests.helpers import BUNDLED_PLUGINS, EXAMPLES, bundled_engine

BCCSA = "https://www.bccsa.ca/COR----Auditors.html"
ALBERTA = "https://alberta.ca/apply-for-cor-equivalency"
BC_SMALL = EXAMPLES / "bc-small-certification.yaml"
"""Harbour Renovations Inc., a BCCSA Small COR certification on 2025-11-14 by Sam Whitford (internal)."""


def registry(*args: str) -> Result:
    return CliRunner().invoke(cli, ["registry", *args])


def init(db: str) -> None:
    result = registry("init", "--db", db)
    assert result.exit_code == 0, result.output


def bc_audit(tmp_path: Path, date: str, name: str = "Sam Whitford", kind: str = "internal") -> Path:
    data = yaml.safe_load(BC_SMALL.read_text(encoding="utf-8"))
    data.update(audit_type="maintenance", audit_date=date, auditor={"name": name, "kind": kind})
    data.pop("start_date", None)
    data.pop("report_date", None)
    path = tmp_path / f"bc-{date}-{kind}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- auditors


def test_auditor_add_and_show_on_a_date(db: str) -> None:
    init(db)
    added = registry(
        "auditor", "add", "Sam Whitford", "--kind", "internal", "--qualified", "2023-02-01", "--partner", "BCCSA",
        "--certificate", "BC-0042", "--db", db,
    )  # fmt: skip
    assert (added.exit_code, added.output) == (
        0,
        "Sam Whitford (internal): qualification of 2023-02-01 recorded (a new auditor)\n",
    )
    assert registry("add", "--db", db, str(BC_SMALL)).exit_code == 0
    shown = registry("auditor", "show", "Sam Whitford", "--on", "2025-12-01", "--db", db)
    assert shown.output == (
        "Sam Whitford (internal) on 2025-12-01:\n"
        "  qualified on 2023-02-01, certificate BC-0042, partner BCCSA\n"
        "  audits done: 1\n"
        f"    2025-11-14 certification for Harbour Renovations Inc. ({BC_SMALL.name})\n"
        "  auditor Sam Whitford (internal) on 2025-12-01: current: qualified on 2023-02-01 (to 2026-01-31), less "
        "than 36 months before: 1 audit(s) recorded since (the rule's 2 in 36 months is counted once the auditor "
        f"has been qualified that long) [BCCSA, H: {BCCSA}]\n"
    )
    data = json.loads(
        registry("auditor", "show", "Sam Whitford", "--on", "2026-02-01", "--db", db, "--format", "json").output
    )
    assert data["currency"] == [
        {
            "audit": None,
            "source": None,
            "audit_date": "2026-02-01",
            "auditor": "Sam Whitford",
            "kind": "internal",
            "partner": "BCCSA",
            "state": "not current",
            "advisory": False,
            "message": "the qualification of 2023-02-01 ended on 2026-01-31 (36 months after it); none later",
            "rule": "A BCCSA internal auditor's qualification is valid for 3 years; to keep it the auditor does at "
            "least 2 audits in 3 years.",
            "plugin": "bc",
            "rule_start": "2024-01-01",
            "sources": [BCCSA],
            "confidence": "H",
        }
    ]
    assert data["audits"][0]["employer"] == "Harbour Renovations Inc."


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--kind", "internal", "--qualified", "2023-02-01"), "a qualification of 2023-02-01 is already recorded"),
        (
            ("--kind", "internal", "--qualified", "2023-03-01", "--requalify-by", "2023-01-01"),
            "--requalify-by: 2023-01-01 is before --qualified 2023-03-01",
        ),
    ],
)
def test_a_bad_qualification_is_one_error_and_writes_nothing(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    registry("auditor", "add", "Pat Lee", "--kind", "internal", "--qualified", "2023-02-01", "--db", db)
    result = registry("auditor", "add", "Pat Lee", *args, "--db", db)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith(said)
    assert result.stderr.count("\n") == 1
    shown = registry("auditor", "show", "Pat Lee", "--db", db, "--format", "json").output
    assert len(json.loads(shown)["qualifications"]) == 1


def test_show_of_an_unknown_auditor_is_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    result = registry("auditor", "show", "Nobody", "--db", db)
    assert (result.exit_code, result.stderr) == (2, "error: NAME: no auditor 'Nobody' in the registry\n")


def test_add_and_status_report_the_auditors_currency_on_the_audit_date(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    first = registry("add", "--db", db, str(BC_SMALL))
    assert first.output.splitlines()[1] == (
        "  auditor Sam Whitford (internal) on 2025-11-14: not known (advisory): the registry holds no qualification "
        f"for Sam Whitford (internal); record it with `corengine registry auditor add` [BCCSA, H: {BCCSA}]"
    )
    registry("auditor", "add", "Sam Whitford", "--kind", "internal", "--qualified", "2021-01-10", "--db", db)
    later = bc_audit(tmp_path, "2026-11-20")
    second = registry("add", "--db", db, str(later))
    assert second.output.splitlines()[1] == (
        "  auditor Sam Whitford (internal) on 2026-11-20: not current: the qualification of 2021-01-10 ended on "
        f"2024-01-09 (36 months after it); none later [BCCSA, H: {BCCSA}]"
    )
    status = json.loads(
        registry("status", "--db", db, "Harbour Renovations Inc.", "--on", "2026-12-01", "--format", "json").output
    )
    assert [(f["audit_date"], f["state"], f["confidence"], f["sources"]) for f in status["auditors"]] == [
        ("2025-11-14", "not current", "H", [BCCSA]),
        ("2026-11-20", "not current", "H", [BCCSA]),
    ]
    assert status["auditors"][0]["audit"] == hashlib.sha256(BC_SMALL.read_bytes()).hexdigest()


def test_an_external_auditor_and_a_partner_without_a_rule_add_no_currency_line(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    added = registry(
        "add", "--db", db, str(EXAMPLES / "bc-large-certification.yaml"), str(EXAMPLES / "ontario-external-pass.yaml")
    )
    assert [line for line in added.output.splitlines() if "auditor" in line] == []


def _auditor(kind: str, *qualified: tuple[dt.date, dt.date | None]) -> models.Auditor:
    auditor = models.Auditor(name="A. Auditor", kind=kind)
    auditor.qualifications = [models.Qualification(qualified_on=q, requalify_by=r) for q, r in qualified]
    auditor.audits = []
    return auditor


def _done(auditor: models.Auditor, *days: dt.date) -> None:
    auditor.audits = [models.Audit(audit_date=day, digest=str(day), source="x") for day in days]


def test_bccsa_two_audits_in_three_years_once_qualified_that_long() -> None:
    rules = currency_rules(bundled_engine())
    auditor = _auditor("internal", (dt.date(2020, 3, 1), dt.date(2027, 2, 28)))  # a recorded requalify-by date wins
    _done(auditor, dt.date(2023, 3, 1), dt.date(2025, 4, 1))
    one = judge(rules, auditor, "BCCSA", dt.date(2026, 3, 2))
    assert one is not None and (one.state, one.message) == (
        "not current",
        "1 audit(s) recorded from 2023-03-02 to the day before 2026-03-02; the rule asks for 2 in 36 months",
    )
    two = judge(rules, auditor, "BCCSA", dt.date(2026, 3, 1))
    assert two is not None and two.state == "current"
    assert two.message.endswith(
        "2 audit(s) recorded from 2023-03-01 to the day before 2026-03-01 (the rule asks for 2 in 36 months)"
    )
    assert judge(rules, _auditor("external"), "BCCSA", dt.date(2026, 3, 1)) is None  # the rule is for internal auditors
    assert judge(rules, auditor, "BCCSA", dt.date(2023, 12, 31)) is None  # in force from 2024-01-01


def test_amta_one_audit_per_cycle_acsa_not_required_since_2024_nlcsa_certified_internal_auditors() -> None:
    import corengine_newfoundland.plugin

    rules = currency_rules(
        Engine(plugins=[*BUNDLED_PLUGINS, corengine_newfoundland.plugin], load_entrypoints=False, environ={})
    )
    auditor = _auditor("external", (dt.date(2018, 1, 1), None))
    amta = judge(rules, auditor, "AMTA", dt.date(2025, 6, 1))
    assert amta is not None
    assert (amta.state, amta.plugin, amta.sources) == (
        "not current",
        "alberta",
        ("https://amta.ca/what-we-do/cor/2023-certificate-of-recognition-audit-plan/",),
    )
    assert (
        amta.rule
        == "An AMTA auditor does at least 1 audit per 3-year COR cycle to stay current, and 2 audits to recertify."
    )
    _done(auditor, dt.date(2023, 1, 5))
    amta = judge(rules, auditor, "AMTA", dt.date(2025, 6, 1))
    assert amta is not None and amta.state == "current"
    acsa = judge(rules, _auditor("internal"), "ACSA", dt.date(2024, 3, 1))
    assert acsa is not None
    assert (acsa.state, acsa.message, acsa.sources) == (
        "not required",
        "ACSA does not require a qualified auditor on 2024-03-01",
        ("https://www.youracsa.ca/2024-cor-secor-updates",),
    )
    assert judge(rules, _auditor("internal"), "ACSA", dt.date(2023, 12, 31)) is None
    nl = judge(rules, _auditor("internal"), "NLCSA", dt.date(2016, 1, 1))
    assert nl is not None and (nl.state, nl.advisory, nl.plugin) == ("not known", True, "newfoundland")
    nl = judge(rules, _auditor("internal", (dt.date(2015, 5, 1), None)), "NLCSA", dt.date(2024, 5, 1))
    assert nl is not None and (nl.state, nl.message) == ("current", "qualified on 2015-05-01")
    early = judge(rules, _auditor("internal", (dt.date(2024, 6, 1), None)), "NLCSA", dt.date(2024, 5, 1))
    assert early is not None and (early.state, early.message) == (
        "not current",
        "not qualified yet on 2024-05-01: the first qualification recorded is of 2024-06-01",
    )


# --------------------------------------------------------------------------- equivalency


def test_equivalency_proofs_received_due_and_missing_on_a_date(tmp_path: Path, db: str) -> None:
    init(db)
    added = registry(
        "equivalency", "add", "Prairie Fabricators Ltd.", "--wcb-account", "WCB 77", "--jurisdiction", "AB",
        "--scheme", "ISO45001", "--certified", "2024-04-15", "--expires", "2027-04-14", "--granted", "2024-06-01",
        "--partner", "ACSA", "--db", db,
    )  # fmt: skip
    assert (added.exit_code, added.output) == (
        0,
        "WCB 77: equivalency COR (ISO45001, AB) granted 2024-06-01, valid until 2027-06-01 recorded\n",
    )
    document = tmp_path / "iso-surveillance.pdf"
    document.write_bytes(b"%PDF-1.4 surveillance audit")
    proof = registry(
        "equivalency", "proof", "WCB 77", "--year", "2", "--received", "2025-07-02", "--file", str(document), "--db", db
    )
    digest = hashlib.sha256(document.read_bytes()).hexdigest()
    assert proof.output == (
        f"WCB 77: year 2 proof of the equivalency COR granted 2024-06-01 received 2025-07-02 recorded (sha256 {digest[:12]})\n"
    )

    def proofs(on: str) -> list[tuple[int, str, bool]]:
        data = json.loads(registry("status", "WCB 77", "--on", on, "--db", db, "--format", "json").output)
        (view,) = data["equivalencies"]
        assert (view["sources"], view["confidence"], view["current"]) == ([ALBERTA], "H", on <= "2027-06-01")
        return [(p["year"], p["state"], p["advisory"]) for p in view["proofs"]]

    assert proofs("2025-03-01") == [(2, "upcoming", False), (3, "upcoming", False)]
    assert proofs("2025-06-20") == [(2, "due", False), (3, "upcoming", False)]
    assert proofs("2025-07-02") == [(2, "received", False), (3, "upcoming", False)]
    assert proofs("2027-06-01") == [(2, "received", False), (3, "missing", True)]

    def standing(on: str) -> tuple[str, bool, str | None, str]:
        data = json.loads(registry("status", "WCB 77", "--on", on, "--db", db, "--format", "json").output)
        return data["status"], data["current"], data["by"], data["message"]

    name = "COR (equivalency, ISO45001)"
    assert standing("2024-05-01") == ("no certificate", False, None, "no audit is stored for this employer")
    assert standing("2025-03-01") == (
        "good standing",
        True,
        "2026-05-31",
        f"the {name} is current (valid until 2027-06-01); next: the year 2 proof by 2026-05-31",
    )
    assert standing("2025-06-20")[:3] == ("maintenance due", True, "2026-05-31")
    assert standing("2026-07-01")[:3] == ("maintenance due", True, "2027-05-31")
    assert standing("2027-06-01") == (
        "overdue",
        False,
        "2027-05-31",
        f"the {name}: year 3 proof: year 3 ended on 2027-05-31 with no proof received (the source sets no deadline "
        "within the year: read as by the year's last day, at L, so a missing proof is an advisory)",
    )
    assert standing("2027-06-02")[:3] == ("lapsed", False, "2027-06-01")
    due = registry("due", "--on", "2027-04-01", "--within", "90d", "--db", db, "--format", "csv")
    assert due.output == (
        "due,employer,name,check,subject,state,certificate\n"
        f'2027-05-31,WCB 77,Prairie Fabricators Ltd.,equivalency.proof,year 3 proof,due,"{name}"\n'
    )
    text = registry("status", "WCB 77", "--on", "2026-06-01", "--db", db).output
    assert text.splitlines()[0] == "Prairie Fabricators Ltd. (WCB 77) on 2026-06-01: maintenance due (by 2027-05-31)"
    assert text.splitlines()[-1].startswith(
        "  incentive Partnerships in Injury Reduction (PIR) refund (ab-pir-refund) on 2026-06-01: cannot tell: "
    )
    assert text.splitlines()[-4:-1] == [
        f"  equivalency COR (ISO45001, AB): granted 2024-06-01, valid until 2027-06-01 [H: {ALBERTA}]",
        "    year 2 proof (2025-06-01 to 2026-05-31): received: received on 2025-07-02",
        "    year 3 proof (2026-06-01 to 2027-05-31): due: no proof received yet; due by 2027-05-31 (the source sets "
        "no deadline within the year: read as by the year's last day, at L, so a missing proof is an advisory)",
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            (
                "add",
                "X",
                "--jurisdiction",
                "ON",
                "--scheme",
                "ISO45001",
                "--certified",
                "2024-01-01",
                "--granted",
                "2024-02-01",
            ),
            "error: --jurisdiction: no installed plugin publishes an equivalency route for ISO45001 in 'ON' kept by "
            "yearly proofs (published for: AB)",
        ),
        (
            (
                "add",
                "X",
                "--jurisdiction",
                "AB",
                "--scheme",
                "ISO45001",
                "--certified",
                "2024-03-01",
                "--granted",
                "2024-02-01",
            ),
            "error: --granted: 2024-02-01 is before the certificate's date --certified 2024-03-01",
        ),
        (
            (
                "add",
                " ",
                "--jurisdiction",
                "AB",
                "--scheme",
                "ISO45001",
                "--certified",
                "2024-01-01",
                "--granted",
                "2024-02-01",
            ),
            "error: EMPLOYER: expected the employer's key, WCB account or name, not an empty text",
        ),
        (
            ("proof", "X", "--year", "2", "--received", "2025-01-01"),
            "error: EMPLOYER: no employer 'X' in the registry (give its WCB account or name)",
        ),
    ],
)
def test_bad_equivalency_input_is_one_error_and_writes_nothing(
    tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    result = registry("equivalency", *args, "--db", db)
    assert (result.exit_code, result.stderr) == (2, said + "\n")
    assert registry("export", "--db", db).output == ""


def test_a_second_proof_for_a_year_and_a_year_4_are_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    registry(
        "equivalency",
        "add",
        "X",
        "--jurisdiction",
        "AB",
        "--scheme",
        "CSA-Z1000",
        "--certified",
        "2024-01-01",
        "--granted",
        "2024-02-01",
        "--db",
        db,
    )
    assert registry("equivalency", "proof", "X", "--year", "3", "--received", "2026-03-01", "--db", db).exit_code == 0
    again = registry("equivalency", "proof", "X", "--year", "3", "--received", "2026-04-01", "--db", db)
    assert (again.exit_code, again.stderr) == (2, "error: X: the year 3 proof is already recorded\n")
    four = registry("equivalency", "proof", "X", "--year", "4", "--received", "2026-04-01", "--db", db)
    assert four.stderr == "error: --year: expected 2 or 3 (the years a proof is given for), not 4\n"


# --------------------------------------------------------------------------- export


def test_export_and_import_carry_auditors_and_equivalencies_byte_for_byte(tmp_path: Path, db: str) -> None:
    init(db)
    registry("add", "--db", db, str(BC_SMALL), str(EXAMPLES / "ontario-external-pass.yaml"))
    registry(
        "auditor",
        "add",
        "Sam Whitford",
        "--kind",
        "internal",
        "--qualified",
        "2023-02-01",
        "--partner",
        "BCCSA",
        "--db",
        db,
    )
    registry(
        "auditor",
        "add",
        "Sam Whitford",
        "--kind",
        "internal",
        "--qualified",
        "2026-01-15",
        "--requalify-by",
        "2029-01-14",
        "--certificate",
        "BC-é",
        "--db",
        db,
    )
    registry("auditor", "add", "Lone Qualified", "--kind", "external", "--qualified", "2022-05-05", "--db", db)
    registry(
        "equivalency",
        "add",
        "Harbour Renovations Inc.",
        "--jurisdiction",
        "AB",
        "--scheme",
        "CSA-Z45001",
        "--certified",
        "2024-01-01",
        "--granted",
        "2024-02-01",
        "--db",
        db,
    )
    registry(
        "equivalency",
        "add",
        "Elsewhere Ltd.",
        "--jurisdiction",
        "AB",
        "--scheme",
        "ISO45001",
        "--certified",
        "2023-01-01",
        "--expires",
        "2026-01-01",
        "--granted",
        "2023-02-01",
        "--valid-until",
        "2026-01-31",
        "--db",
        db,
    )
    registry("equivalency", "proof", "Elsewhere Ltd.", "--year", "2", "--received", "2024-03-01", "--db", db)
    exported = tmp_path / "registry.jsonl"
    assert registry("export", "--db", db, "-o", str(exported)).exit_code == 0
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert [line["format"] for line in lines] == [
        *["corengine-registry-audit"] * 2,
        *["corengine-registry-auditor"] * 2,
        *["corengine-registry-equivalency"] * 2,
    ]
    assert lines[3] == {
        "format": "corengine-registry-auditor",
        "version": 1,
        "name": "Sam Whitford",
        "kind": "internal",
        "qualifications": [
            {"qualified_on": "2023-02-01", "requalify_by": None, "certificate": None, "partner": "BCCSA"},
            {"qualified_on": "2026-01-15", "requalify_by": "2029-01-14", "certificate": "BC-é", "partner": None},
        ],
    }
    copy = str(tmp_path / "copy.sqlite3")
    init(copy)
    loaded = registry("import-jsonl", "--db", copy, str(exported))
    assert (loaded.exit_code, loaded.output) == (0, "6 added, 0 already stored\n")
    assert registry("export", "--db", copy).output == exported.read_text(encoding="utf-8")
    assert registry("import-jsonl", "--db", copy, str(exported)).output == "0 added, 6 already stored\n"
    for who in ("Harbour Renovations Inc.", "Elsewhere Ltd."):
        args = ("status", who, "--on", "2025-12-01", "--format", "json")
        assert registry(*args, "--db", copy).output == registry(*args, "--db", db).output


def test_import_jsonl_reports_bad_auditor_and_equivalency_lines(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    bad = tmp_path / "bad.jsonl"
    lines = [
        {"format": "corengine-registry-auditor", "version": 1, "name": "A", "kind": "boss", "qualifications": []},
        {"format": "corengine-registry-auditor", "version": 2},
        {"format": "corengine-registry-equivalency", "version": 1, "employer": {}},
    ]
    bad.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = registry("import-jsonl", "--db", db, str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {bad}:1: kind: expected one of external, internal, candidate, self-assessor, not 'boss'",
        f"error: {bad}:2: version 2 is not 1",
        f"error: {bad}:3: missing certificate_expires, certified_on, cor_granted, cor_valid_until, jurisdiction, "
        "partner, program, proofs, scheme",
    ]
    assert registry("export", "--db", db).output == ""
