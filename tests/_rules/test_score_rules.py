"""Score rules as dated data: an element scored but not counted leaves every total, and every command agrees."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from tests.helpers import EXAMPLES, invoke

OVERLAY = Path(__file__).parent / "data" / "bc-first-year.yaml"


def _audit(tmp_path: Path, date: str = "2025-10-17") -> Path:
    data = yaml.safe_load((EXAMPLES / "bc-large-certification.yaml").read_text(encoding="utf-8"))
    data |= {"standard": "bc-first-year", "standard_version": "1"}
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_element_14_not_counted_in_2025_leaves_the_overall_and_every_command_agrees(tmp_path: Path) -> None:
    audit = _audit(tmp_path)
    code, out, err = invoke("score", str(audit), "--standard-file", str(OVERLAY), "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    # 144 of 160 with element 14 (10 of 12); without it 134 of 148 = 3350/37 %
    assert result["overall"] == {"earned": "134", "available": "148", "percent": 90.54, "percent_exact": "3350/37"}
    assert result["elements"][13]["counted"] is False and "counted" not in result["elements"][12]
    finding = next(r for r in result["outcome"]["reasons"] if r["check"] == "scoring.not_counted")
    assert finding["status"] == "info" and finding["sources"] == ["https://partner.example/first-year"]
    assert finding["message"] == (
        "element 14: scored but not counted in the totals and minimums from 2025-01-01 until 2025-12-31"
    )
    code, out, _ = invoke("score", str(audit), "--standard-file", str(OVERLAY))
    assert re.search(r"^14 .* 10 +12 +83\.33% +- +not counted$", out, re.M)
    assert re.search(r"^ +Overall +134 +148 +90\.54% +80% +yes$", out, re.M)
    code, out, _ = invoke("batch", str(audit), "--standard-file", str(OVERLAY), "--format", "jsonl")
    assert json.loads(out.splitlines()[0])["overall_exact"] == "3350/37"
    code, out, _ = invoke("plan", str(audit), "--standard-file", str(OVERLAY), "--format", "json")
    assert json.loads(out)["path_to_pass"]["questions"] == []


def test_a_rule_naming_an_element_the_standard_lacks_is_a_load_error(tmp_path: Path) -> None:
    overlay = tmp_path / "bc-first-year.yaml"
    overlay.write_text(OVERLAY.read_text(encoding="utf-8").replace('elements: ["14"]', 'elements: ["41"]'))
    code, _, err = invoke("score", str(_audit(tmp_path)), "--standard-file", str(overlay))
    assert code == 2
    assert f"{overlay}:9: score_rules[0].elements[0]: no element '41' in bc-first-year" in err


def test_an_override_of_one_value_changes_only_that_values_source(tmp_path: Path) -> None:
    overlay = tmp_path / "ab-overlay.yaml"
    overlay.write_text(
        """\
id: ab-overlay
title: ACSA with one changed mark
version: "1"
jurisdiction: AB
partner: ACSA
programs: [COR]
extends: ab-acsa-cor
overrides:
  - rule: certification
    start: 2023-01-01
    values: {overall_minimum: 80}
    reference: [https://partner.example/plan]
    confidence: M
""",
        encoding="utf-8",
    )
    data = yaml.safe_load((EXAMPLES / "alberta-acsa-cor-certification-pass.yaml").read_text(encoding="utf-8"))
    data |= {"standard": "ab-overlay", "standard_version": "1"}
    audit = tmp_path / "audit.yaml"
    audit.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = invoke("score", str(audit), "--standard-file", str(overlay), "--format", "json")
    assert code == 0, err
    reasons = json.loads(out)["outcome"]["reasons"]
    overall = next(r for r in reasons if r["check"] == "certification.overall_minimum")
    element = next(r for r in reasons if r["check"] == "certification.element_minimum")
    assert overall["sources"] == ["https://partner.example/plan"] and overall["confidence"] == "M", err
    assert "https://partner.example/plan" not in element["sources"]


def test_impact_judges_an_audit_of_the_overlay_itself_under_another_date(tmp_path: Path) -> None:
    # element 14 at 0 of 10: not counted in 2025 (the audit passes), counted in 2026 (50% element minimum fails)
    data = yaml.safe_load(_audit(tmp_path).read_text(encoding="utf-8"))
    data["responses"] |= {"14.1": {"points": 0}, "14.2": {"points": 0}, "14.3": {"points": 0}}
    audit = tmp_path / "audit.yaml"
    audit.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = invoke(
        "impact", str(audit), "--standard-file", str(OVERLAY), "--rules-on", "2026-06-01", "--format", "json"
    )
    assert code == 0, err
    document = json.loads(out)
    assert (document["scored"], document["changed"], document["counts"]["pass-to-fail"]) == (1, 1, 1)
    (changed,) = document["changes"]
    assert changed["under"] == "bc-first-year"


def test_an_opportunity_rules_questions_are_listed_apart_in_the_plan(tmp_path: Path) -> None:
    overlay = tmp_path / "bc-first-year.yaml"
    overlay.write_text(OVERLAY.read_text(encoding="utf-8").replace("not_counted", "opportunity"), encoding="utf-8")
    audit = _audit(tmp_path)
    code, out, err = invoke("plan", str(audit), "--standard-file", str(overlay), "--format", "json")
    assert code == 0, err
    plan = json.loads(out)
    assert [(a["question"], a["earned"], a["available"]) for a in plan["opportunities"]] == [("14.1", "2", "4")]
    assert "14.1" not in [a["question"] for a in plan["actions"]]
    code, out, _ = invoke("plan", str(audit), "--standard-file", str(overlay))
    assert "Opportunities for improvement (left out of the totals by a score rule):\n  14.1  2/4\n" in out
    code, out, _ = invoke("plan", str(audit), "--standard-file", str(OVERLAY), "--format", "json")
    assert "opportunities" not in json.loads(out)  # written only when there are some


def test_an_opportunity_carries_its_element_its_points_to_gain_and_the_auditors_note(tmp_path: Path) -> None:
    overlay = tmp_path / "bc-first-year.yaml"
    overlay.write_text(OVERLAY.read_text(encoding="utf-8").replace("not_counted", "opportunity"), encoding="utf-8")
    data = yaml.safe_load(_audit(tmp_path).read_text(encoding="utf-8"))
    data["responses"]["14.1"] = {"points": 2, "note": "no refresher <b>yet</b>"}
    data["responses"]["14.2"] = {"points": 4}  # full marks: not an opportunity
    audit = tmp_path / "noted.yaml"
    audit.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = invoke("plan", str(audit), "--standard-file", str(overlay), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["opportunities"] == [
        {
            "question": "14.1",
            "element": "14",
            "earned": "2",
            "available": "4",
            "recoverable": "2",
            "reasons": [],
            "note": "no refresher <b>yet</b>",
            "in_path_to_pass": False,
        }
    ]
