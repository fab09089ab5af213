"""Prerequisites as dated data: a fact a standard requires before an audit starts (a pre-audit approval, a
registration milestone) is a field each audit records, in YAML and in the spreadsheet, and a finding whenever it is
missing or not met, by the confidence policy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from tests.helpers import EXAMPLES, fill, invoke

OVERLAY = """\
id: ab-prereq
title: ACSA COR with a pre-audit approval
version: "1"
jurisdiction: AB
partner: ACSA
programs: [COR]
extends: ab-acsa-cor
prerequisites:
  - id: checklist_approved
    text: The partner approves the pre-audit checklist before the audit
    start: 2024-01-01
    days: 5
    reference: [https://partner.example/checklist]
    confidence: CHECKLIST
  - id: registered
    kind: within_months
    months: 18
    text: Certify within 18 months of registration
    start: 2024-01-01
    audit_types: [certification]
    reference: [https://partner.example/registration]
    confidence: M
"""


def _run(tmp_path: Path, facts: dict[str, str] | None, confidence: str = "H", *extra: str) -> list[dict[str, Any]]:
    overlay = tmp_path / "ab-prereq.yaml"
    overlay.write_text(OVERLAY.replace("CHECKLIST", confidence), encoding="utf-8")
    data = yaml.safe_load((EXAMPLES / "alberta-acsa-cor-certification-pass.yaml").read_text(encoding="utf-8"))
    data |= {"standard": "ab-prereq", "standard_version": "1"}
    if facts is not None:
        data["prerequisites"] = facts
    audit = tmp_path / "audit.yaml"
    audit.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = invoke("score", str(audit), "--standard-file", str(overlay), "--format", "json", *extra)
    assert code == 0, err
    reasons = json.loads(out)["outcome"]["reasons"]
    return [{k: r[k] for k in ("check", "status", "message", "due")} for r in reasons if "prerequisite" in r["check"]]


def test_a_fact_the_audit_does_not_record_is_a_finding_by_the_confidence_policy(tmp_path: Path) -> None:
    missing = "the audit does not record {0} (prerequisites.{0}: the date it happened)"
    assert _run(tmp_path, None) == [
        {"check": "prerequisite.checklist_approved", "status": "fail", "due": None,
         "message": "The partner approves the pre-audit checklist before the audit: "
         + missing.format("checklist_approved")},
        {"check": "prerequisite.registered", "status": "fail", "due": None,
         "message": "Certify within 18 months of registration: " + missing.format("registered")},
    ]  # fmt: skip
    assert [r["status"] for r in _run(tmp_path, {"registered": "2024-01-01"}, "L")] == ["advisory", "pass"]
    assert [r["status"] for r in _run(tmp_path, {"registered": "2024-01-01"}, "L", "--strict")] == ["fail", "pass"]


def test_a_recorded_fact_is_measured_against_the_audit(tmp_path: Path) -> None:
    # the audit started 2024-09-16 and ended 2024-10-18
    assert _run(tmp_path, {"checklist_approved": "2024-09-11", "registered": "2023-04-18"}) == [
        {"check": "prerequisite.checklist_approved", "status": "pass", "due": "2024-09-11",
         "message": "The partner approves the pre-audit checklist before the audit: checklist_approved on "
         "2024-09-11, 5 days before the audit started (required: at least 5 days before it)"},
        {"check": "prerequisite.registered", "status": "pass", "due": "2024-10-18",
         "message": "Certify within 18 months of registration: registered on 2023-04-18: the audit on 2024-10-18 is "
         "within the 18 months after it (by 2024-10-18)"},
    ]  # fmt: skip
    late = _run(tmp_path, {"checklist_approved": "2024-09-17", "registered": "2023-04-17"})
    assert [(r["status"], r["message"].split(": ", 1)[1]) for r in late] == [
        ("fail", "checklist_approved on 2024-09-17, 1 day after the audit started (required: at least 5 days "
         "before it)"),
        ("fail", "registered on 2023-04-17: the audit on 2024-10-18 is later than the 18 months after it (by "
         "2024-10-17)"),
    ]  # fmt: skip


def test_an_unknown_prerequisite_is_refused_with_a_did_you_mean(tmp_path: Path) -> None:
    overlay = tmp_path / "ab-prereq.yaml"
    overlay.write_text(OVERLAY.replace("CHECKLIST", "H"), encoding="utf-8")
    data = yaml.safe_load((EXAMPLES / "alberta-acsa-cor-certification-pass.yaml").read_text(encoding="utf-8"))
    data |= {"standard": "ab-prereq", "standard_version": "1", "prerequisites": {"registred": dt.date(2024, 1, 1)}}
    audit = tmp_path / "audit.yaml"
    audit.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, _, err = invoke("validate", str(audit), "--standard-file", str(overlay))
    line = audit.read_text(encoding="utf-8").splitlines().index("  registred: 2024-01-01") + 1
    assert (code, err) == (
        2,
        f"error: {audit}:{line}: prerequisites.registred: ab-prereq has no prerequisite 'registred' (did you mean "
        "'registered'? its prerequisites: checklist_approved, registered)\n",
    )


def test_the_spreadsheet_form_carries_the_prerequisites_both_ways(tmp_path: Path) -> None:
    overlay = tmp_path / "ab-prereq.yaml"
    overlay.write_text(OVERLAY.replace("CHECKLIST", "H"), encoding="utf-8")
    book = tmp_path / "audit.xlsx"
    assert invoke("new", "ab-prereq", "--standard-file", str(overlay), "-o", str(book))[0] == 0
    labels = [row[0] for row in openpyxl.load_workbook(book)["Audit"].iter_rows(min_row=34, values_only=True)]
    assert labels == ["prerequisites.checklist_approved", "prerequisites.registered"]
    data = yaml.safe_load((EXAMPLES / "alberta-acsa-cor-certification-pass.yaml").read_text(encoding="utf-8"))
    fill(book, data | {"standard": "ab-prereq", "standard_version": "1"})
    wb = openpyxl.load_workbook(book)
    wb["Audit"]["B34"] = dt.date(2024, 9, 11)
    wb["Audit"]["B35"] = dt.date(2023, 4, 18)
    wb.save(book)
    code, out, err = invoke("score", str(book), "--standard-file", str(overlay), "--format", "json")
    assert code == 0, err
    statuses = [(r["check"], r["status"]) for r in json.loads(out)["outcome"]["reasons"] if "prereq" in r["check"]]
    assert statuses == [("prerequisite.checklist_approved", "pass"), ("prerequisite.registered", "pass")]
    wb["Audit"]["B35"] = "soon"
    wb.save(book)
    code, _, err = invoke("validate", str(book), "--standard-file", str(overlay))
    assert (code, err) == (
        2,
        f"error: {book}: Audit!B35: prerequisites.registered: must be a date (YYYY-MM-DD), not 'soon'\n",
    )


def test_show_lists_the_prerequisites_in_force(tmp_path: Path) -> None:
    overlay = tmp_path / "ab-prereq.yaml"
    overlay.write_text(OVERLAY.replace("CHECKLIST", "H"), encoding="utf-8")
    code, out, _ = invoke("show", "ab-prereq", "--standard-file", str(overlay), "--on", "2025-01-01")
    assert code == 0
    shown = out[out.index("Prerequisites in force") :].split("\n\n")[0].splitlines()
    assert [line.strip() for line in shown if "source:" in line] == [
        "source: https://partner.example/checklist",
        "source: https://partner.example/registration",
    ]
    assert " ".join(line.strip() for line in shown).startswith(
        "Prerequisites in force on 2025-01-01 (the audit records each date under prerequisites): checklist_approved: "
        "The partner approves the pre-audit checklist before the audit — on or before the audit starts, at least 5 "
        "days; every audit; from 2024-01-01; confidence H"
    )
