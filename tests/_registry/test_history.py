"""History-aware decisions: ``registry add`` fills the ``AuditHistory`` facts an action plan leaves out from the
employer's stored audits (``_registry/history.py``), scores with them and records which facts came from where.

Sources of the conditions (plugin data, ``corengine_alberta/data/action-plans.yaml``): ACSA's COR action plan needs
a COR in good standing and one full audit cycle completed, and "a 'no' to any eligibility question" means the
maintenance audit is required (https://www.youracsa.ca/cor-secor/cor-action-plans/, H); a maintenance audit or an
action plan never renews or maintains an expired or cancelled certificate
(https://www.energysafetycanada.com/COR/CORSECOR/Maintaining-A-COR)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

import corengine_alberta.plugin as alberta
from corengine import Engine
from corengine._cli.main import cli
from corengine._registry.history import derive, finding
from tests.helpers import EXAMPLES

ACSA = EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"
"""ACSA COR certification of 2024-10-18, overall 5900/69 = 85.51%: a COR (3 years)."""


def write(tmp_path: Path, name: str, **changes: Any) -> Path:
    data: dict[str, Any] = yaml.safe_load(ACSA.read_text(encoding="utf-8"))
    for key in ("start_date", "report_date", "notice_date"):
        data.pop(key, None)
    employer = changes.pop("employer", None)
    if employer:
        data["employer"] = {**data["employer"], **employer}
    data.update(changes)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def registry(*args: str) -> Any:
    return CliRunner().invoke(cli, ["registry", *args])


def stored(db: str) -> dict[tuple[str, str], dict[str, Any]]:
    lines = registry("export", "--db", db).output.splitlines()
    records = [json.loads(line) for line in lines]
    return {(r["employer"]["name"], r["audit_date"]): r for r in records}


def engine() -> Engine:
    return Engine(plugins=[alberta], load_entrypoints=False, environ={})


def test_derive_reads_each_fact_from_the_stored_audits_before_the_plan() -> None:
    e = engine()
    certification = e.score(e.load_audit(str(ACSA)))
    data: dict[str, Any] = yaml.safe_load(ACSA.read_text(encoding="utf-8"))
    data.update(audit_type="action-plan", audit_date="2025-10-10", start_date=None, report_date=None)
    plan = e.audit_from_data({k: v for k, v in data.items() if v is not None}).audit
    derived = derive(plan, [certification])
    assert derived.filled == (
        ("good_standing", "yes: maintenance due on 2025-10-10"),
        ("last_recertification_percent", "85.51%: the certification audit of 2024-10-18"),
        ("full_cycles_completed", "0: certificates of 3 years or more renewed in time"),
        ("consecutive_cor_years", "0: certified without a break since 2024-10-18"),
        ("previous_year_action_plan", "no: the certification audit of 2024-10-18"),
    )
    assert derived.history.last_recertification_percent == certification.score.percent
    assert derived.missing == (
        "ohs_orders_in_cycle",
        "certified_auditor_on_staff",
        "certification_instrument_year",
        "hs_representative_required",
    )
    assert finding(derived, 1, dt.date(2025, 10, 10)).status == "info"


def test_a_fact_the_audit_records_is_kept() -> None:
    e = engine()
    certification = e.score(e.load_audit(str(ACSA)))
    data: dict[str, Any] = yaml.safe_load(ACSA.read_text(encoding="utf-8"))
    data.pop("start_date")
    data.pop("report_date")
    data.update(audit_type="action-plan", audit_date="2025-10-10", history={"full_cycles_completed": 2})
    derived = derive(e.audit_from_data(data).audit, [certification])
    assert derived.history.full_cycles_completed == 2
    assert "full_cycles_completed" not in dict(derived.filled)


def test_one_add_of_several_files_judges_each_with_the_ones_before_it_in_its_group(tmp_path: Path) -> None:
    """Files are stored in groups (one transaction each): a plan is still judged with the certifying audits given
    before it in the same command, though they are not committed yet, exactly as when added one at a time."""
    files = [
        write(tmp_path, "2021.yaml", audit_date="2021-10-18"),
        write(tmp_path, "2024.yaml", audit_type="recertification", audit_date="2024-10-18"),
        write(tmp_path, "plan.yaml", audit_type="action-plan", audit_date="2025-10-10"),
    ]
    one_by_one, together = str(tmp_path / "a.sqlite3"), str(tmp_path / "b.sqlite3")
    for db in (one_by_one, together):
        assert registry("init", "--db", db).exit_code == 0
    for path in files:
        assert registry("add", "--db", one_by_one, str(path)).exit_code == 0
    assert registry("add", "--db", together, *map(str, files)).exit_code == 0
    key = ("Parkland Ridge Builders Ltd. (fictional)", "2025-10-10")
    plan = stored(together)[key]
    assert plan == stored(one_by_one)[key]
    assert {f["check"]: f["status"] for f in plan["outcome"]["reasons"]}["registry.history"] == "info"


def test_registry_add_scores_an_action_plan_with_the_recorded_history(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    assert registry("init", "--db", db).exit_code == 0
    files = [
        write(tmp_path, "2021.yaml", audit_date="2021-10-18"),
        write(tmp_path, "2024.yaml", audit_type="recertification", audit_date="2024-10-18"),
        write(tmp_path, "plan.yaml", audit_type="action-plan", audit_date="2025-10-10"),
    ]
    for path in files:  # one at a time, in date order: each is judged with what is stored before it
        assert registry("add", "--db", db, str(path)).exit_code == 0
    record = stored(db)[("Parkland Ridge Builders Ltd. (fictional)", "2025-10-10")]
    reasons = {f["check"]: f for f in record["outcome"]["reasons"]}
    assert record["passed"] is True
    assert record["audit"]["history"] is None  # the audit is stored as read
    assert (
        reasons["alberta.action_plan.good_standing"]["status"],
        reasons["alberta.action_plan.good_standing"]["message"],
    ) == (
        "pass",
        "ACSA needs a COR in good standing; recorded: yes (met)",
    )
    assert reasons["alberta.action_plan.full_cycles_completed"]["message"] == (
        "ACSA needs at least one full audit cycle completed; recorded: 1 cycle (met)"
    )
    history = reasons["registry.history"]
    assert history["status"] == "info"
    assert history["message"] == (
        "history from the registry (2 stored audit(s) before 2025-10-10): good_standing = yes: maintenance due on "
        "2025-10-10; last_recertification_percent = 85.51%: the recertification audit of 2024-10-18; "
        "full_cycles_completed = 1: certificates of 3 years or more renewed in time; consecutive_cor_years = 3: "
        "certified without a break since 2021-10-18; previous_year_action_plan = no: the recertification audit of "
        "2024-10-18; not recorded in the audit or the registry: ohs_orders_in_cycle, certified_auditor_on_staff, "
        "certification_instrument_year, hs_representative_required (record them in the audit's history to check "
        "them)"
    )
    assert history["subject"] == (
        "good_standing, last_recertification_percent, full_cycles_completed, consecutive_cor_years, "
        "previous_year_action_plan"
    )


def test_a_plan_for_a_cancelled_cor_is_not_in_good_standing(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    assert registry("init", "--db", db).exit_code == 0
    # The 2021 COR missed its 2022 maintenance audit: cancelled; a 2023 plan cannot maintain it.
    old = write(tmp_path, "2021.yaml", audit_date="2021-10-18")
    plan = write(tmp_path, "plan.yaml", audit_type="action-plan", audit_date="2023-10-10")
    assert registry("add", "--db", db, str(old)).exit_code == 0
    assert registry("add", "--db", db, str(plan)).exit_code == 0
    record = stored(db)[("Parkland Ridge Builders Ltd. (fictional)", "2023-10-10")]
    reasons = {f["check"]: f for f in record["outcome"]["reasons"]}
    assert record["passed"] is False
    assert (
        reasons["alberta.action_plan.good_standing"]["status"],
        reasons["alberta.action_plan.good_standing"]["message"],
    ) == (
        "fail",
        "ACSA needs a regular COR in good standing; recorded: no (not met)",  # ACSA's 2023 conditions
    )
    assert reasons["registry.history"]["message"].startswith(
        "history from the registry (1 stored audit(s) before 2023-10-10): good_standing = no: cancelled on 2023-10-10"
    )


def test_a_plan_with_no_stored_history_names_what_is_missing_as_an_advisory(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    assert registry("init", "--db", db).exit_code == 0
    plan = write(tmp_path, "plan.yaml", audit_type="action-plan", audit_date="2025-10-10")
    assert registry("add", "--db", db, str(plan)).exit_code == 0
    record = stored(db)[("Parkland Ridge Builders Ltd. (fictional)", "2025-10-10")]
    history = next(f for f in record["outcome"]["reasons"] if f["check"] == "registry.history")
    assert history["status"] == "advisory"
    assert history["message"].endswith(
        "the decision needs good_standing, full_cycles_completed, previous_action_plan_percent"
    )


def test_scoring_the_plan_from_its_file_alone_works_as_without_a_registry(tmp_path: Path) -> None:
    plan = write(tmp_path, "plan.yaml", audit_type="action-plan", audit_date="2025-10-10")
    result = CliRunner().invoke(cli, ["score", str(plan), "--format", "json"])
    data = json.loads(result.output)
    checks = {f["check"]: f["status"] for f in data["outcome"]["reasons"]}
    assert "registry.history" not in checks
    assert checks["alberta.action_plan.good_standing"] == "advisory"  # ACSA: an unrecorded fact is not a "yes"


SECOR = EXAMPLES / "alberta-acsa-secor.yaml"
"""ACSA SECOR certification of 2024-03-15 for 7 workers: a SECOR (3 years)."""


def secor(tmp_path: Path, name: str, workers: int, **changes: Any) -> Path:
    data: dict[str, Any] = yaml.safe_load(SECOR.read_text(encoding="utf-8"))
    for key in ("start_date", "report_date", "notice_date"):
        data.pop(key, None)
    data["employer"] = {**data["employer"], "workers": workers}
    data.update(changes)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_a_secor_recertification_after_more_than_10_employees_in_the_past_12_months_gets_no_secor(
    tmp_path: Path,
) -> None:
    """ACSA: no SECOR for an employer with more than 10 employees at any time in the past 12 months, at
    certification and at recertification (H, https://www.youracsa.ca/cor-secor/secor-process/)."""
    db = str(tmp_path / "r.sqlite3")
    assert registry("init", "--db", db).exit_code == 0
    files = [
        secor(tmp_path, "2021.yaml", 7, audit_date="2021-03-15"),
        secor(tmp_path, "2023.yaml", 12, audit_type="maintenance", audit_date="2023-06-01"),
        secor(tmp_path, "2024.yaml", 9, audit_type="recertification", audit_date="2024-03-15"),
    ]
    for path in files:
        assert registry("add", "--db", db, str(path)).exit_code == 0
    name = yaml.safe_load(SECOR.read_text(encoding="utf-8"))["employer"]["name"]
    record = stored(db)[(name, "2024-03-15")]
    reasons = {f["check"]: f for f in record["outcome"]["reasons"]}
    assert (record["passed"], record["certificate"]) == (False, None)
    assert reasons["eligibility.program_size"]["status"] == "fail"
    assert reasons["registry.size"]["message"] == (
        "12 employees on the maintenance audit of 2023-06-01, within the 12 months before this audit (which records "
        "9): SECOR counts the size at any time in the past 12 months, so the employer is sized at 12"
    )
    assert reasons["registry.size"]["sources"] == ["https://www.youracsa.ca/cor-secor/secor-process/"]
    assert record["audit"]["employer"]["workers"] == 9  # stored as read
    # The same recertification scored from its file alone (9 employees) still gets its SECOR.
    alone = json.loads(CliRunner().invoke(cli, ["score", str(files[2]), "--format", "json"]).output)
    assert (alone["outcome"]["passed"], alone["outcome"]["certificate"]) == (True, "SECOR (3 years)")


def test_more_than_10_employees_over_12_months_before_does_not_count(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    assert registry("init", "--db", db).exit_code == 0
    files = [
        secor(tmp_path, "2021.yaml", 7, audit_date="2021-03-15"),
        secor(tmp_path, "2023.yaml", 12, audit_type="maintenance", audit_date="2023-03-14"),
        secor(tmp_path, "2024.yaml", 9, audit_type="recertification", audit_date="2024-03-15"),
    ]
    for path in files:
        assert registry("add", "--db", db, str(path)).exit_code == 0
    name = yaml.safe_load(SECOR.read_text(encoding="utf-8"))["employer"]["name"]
    record = stored(db)[(name, "2024-03-15")]
    assert (record["passed"], record["certificate"]["certificate"]) == (True, "SECOR (3 years)")
    assert "registry.size" not in {f["check"] for f in record["outcome"]["reasons"]}
