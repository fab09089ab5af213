"""A percentage beside the threshold it was compared with never shows on the wrong side of it (issue 11, item 7):
79.995% is below an 80% minimum, so no table, report row or chart prints it as "80.00%" beside FAIL. Points print
as decimals where exact. ``--failures`` keeps the informational findings that explain a shown certificate failure.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from corengine._cli.main import cli
from corengine._views.render import percent_against, points_text, shortfalls
from corengine.model import Rounding
from corengine.model.findings import Finding
from tests.helpers import DATA, EXAMPLES, TEST_STANDARD

ISOLATED = {"CORENGINE_DISABLE_PLUGINS": "alberta,ontario,bc", "COLUMNS": "80"}


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=ISOLATED if env is None else env)
    return result.exit_code, result.stdout


def audit_file(tmp_path: Path, responses: dict[str, Any] | None = None, **fields: Any) -> str:
    """tests/data/audit-basic.yaml with some responses and top-level fields changed."""
    data = yaml.safe_load((DATA / "audit-basic.yaml").read_text(encoding="utf-8"))
    data["responses"].update(responses or {})
    for key, value in fields.items():
        data[key] = data[key] | value if isinstance(value, dict) and key in data else value
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def just_under(tmp_path: Path) -> str:
    """Overall 55.9965 of 70 = 79.995% exactly: 2 places round it half up to the 80% minimum it fails."""
    return audit_file(tmp_path, {"1.1": {"points": 8.9965}})


def test_score_table_shows_the_side_of_the_minimum(just_under: str) -> None:
    code, out = run("score", just_under, "--standard-file", str(TEST_STANDARD))
    assert code == 0
    lines = out.splitlines()
    table = lines[lines.index("") + 1 : lines.index("Outcome: NOT PASSED") - 1]
    assert table == [
        "Element  Title     Earned  Available  Percent  Minimum  Pass",
        "-------  -------  -------  ---------  -------  -------  ----",
        "1        Policy   25.9965         30   86.66%      50%  yes",
        "2        Hazards       30         40   75.00%      50%  yes",
        "         Overall  55.9965         70  79.995%      80%  NO",
    ]
    assert "  FAIL  overall 79.995% is below the 80% minimum (certification.overall_minimum" in lines


def test_json_keeps_its_exact_values(just_under: str) -> None:
    code, out = run("score", just_under, "--standard-file", str(TEST_STANDARD), "--format", "json")
    assert code == 0
    overall = json.loads(out)["overall"]
    assert overall == {"earned": "111993/2000", "available": "70", "percent": 80.0, "percent_exact": "15999/200"}


def test_markdown_report_shows_the_side_of_the_minimum(just_under: str) -> None:
    code, out = run("report", just_under, "--standard-file", str(TEST_STANDARD), "--format", "md")
    assert code == 0
    lines = out.splitlines()
    assert "| 1 | Policy | 25.9965 | 30 | 86.66% | 50% | PASS |" in lines
    assert "|  | **Overall** | 55.9965 | 70 | 79.995% | 80% | **FAIL** |" in lines
    assert "- **1.1** Written policy exists — 8.9965/10 (awarded 17993/2000 of 10)" in lines
    assert "| 4 | 1.1 Written policy exists | 1 | 8.9965/10 | 1.0035 | overall below minimum | - |" in lines
    assert "80.00%" not in out


def test_html_report_shows_the_side_of_the_minimum(just_under: str) -> None:
    code, out = run("report", just_under, "--standard-file", str(TEST_STANDARD), "--format", "html")
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    assert "<title>Overall: 79.995% (min 80%), FAIL</title>" in lines
    assert '<text x="626" y="17">79.995% (min 80%)</text>' in lines
    # the bar stops short of the minimum line at 220 + 320: drawn from the exact value, not the rounded one
    assert '<rect class="bar fail" x="220" y="4" width="319.98" height="18" fill="#cf222e"/>' in lines
    assert (
        '<tr class="total"><th scope="row" colspan="2">Overall</th><td class="num">55.9965</td>'
        '<td class="num">70</td><td class="num">79.995%</td><td class="num">80%</td><td class="fail">FAIL</td></tr>'
    ) in lines
    assert "80.00%" not in out


def test_a_rule_that_rounds_shows_the_value_it_compared(tmp_path: Path) -> None:
    """The 2020 rules of the test standard round to whole percent before comparing: 79.5% passes as 80%."""
    audit = audit_file(
        tmp_path, {"1.1": {"points": 8.65}}, audit_date="2020-06-10", start_date="2020-05-01"
    )  # 55.65 of 70 = 79.5%
    code, out = run("score", audit, "--standard-file", str(TEST_STANDARD))
    assert code == 0
    lines = out.splitlines()
    assert "         Overall   55.65         70  79.50% (rounds to 80%)      80%  yes" in lines
    assert out.count("Outcome: PASSED — Certificate (1 year), valid until 2021-06-10") == 1
    code, out = run("report", audit, "--standard-file", str(TEST_STANDARD), "--format", "md")
    assert code == 0
    assert "|  | **Overall** | 55.65 | 70 | 79.50% (rounds to 80%) | 80% | PASS |" in out.splitlines()
    code, out = run("report", audit, "--standard-file", str(TEST_STANDARD), "--format", "html")
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    assert "<title>Overall: 79.50% (rounds to 80%) (min 80%), PASS</title>" in lines
    # the value column grows so the long value is not cut at the picture's edge
    assert any(line.startswith('<svg id="score-chart"') and 'width="850"' in line for line in lines)


@pytest.mark.parametrize(
    ("value", "threshold", "rounding", "shown"),
    [
        (Fraction(15999, 200), Fraction(80), None, "79.995%"),
        (Fraction(15999, 200), None, None, "80.00%"),
        (Fraction(80), Fraction(80), None, "80.00%"),
        (Fraction(8000001, 100000), Fraction(80), None, "80.00%"),
        (Fraction(7999999999999, 100000000000), Fraction(80), None, "79.99999999999%"),
        (Fraction(159, 2), Fraction(80), Rounding(0, "half_up"), "79.50% (rounds to 80%)"),
        (Fraction(1589, 20), Fraction(80), Rounding(0, "half_up"), "79.45%"),
        (Fraction(15999, 200), Fraction(80), Rounding(0, "down"), "79.995%"),
        (Fraction(797, 10), Fraction(159, 2), Rounding(0, "down"), "79.70% (rounds to 79%)"),
        (None, Fraction(80), None, "n/a"),
    ],
)
def test_percent_against(
    value: Fraction | None, threshold: Fraction | None, rounding: Rounding | None, shown: str
) -> None:
    assert percent_against(value, threshold, rounding) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(111993, 2000), "55.9965"),
        (Fraction(55), "55"),
        (Fraction(3, 2), "1.5"),
        (Fraction(70, 9), "70/9"),
        (Fraction(1, 1024), "0.0009765625"),
        (Fraction(1, 2048), "1/2048"),
    ],
)
def test_points_are_decimals_where_exact(value: Fraction, shown: str) -> None:
    assert points_text(value) == shown


def test_failures_keeps_the_certificate_findings_that_explain_the_failure(tmp_path: Path) -> None:
    """The score passes, but 2 months of records earn neither certificate: --failures shows why."""
    audit = audit_file(
        tmp_path, {"1.1": {"points": 10}, "2.2": {"points": 10}}, employer={"records_months": 2}
    )  # 62 of 70
    code, out = run("score", audit, "--standard-file", str(TEST_STANDARD), "--failures")
    assert code == 0
    assert out.split("Outcome: ")[1].splitlines() == [
        "NOT PASSED",
        "Reasons:",
        "  FAIL  the score passes but no certificate's conditions are met",
        "        (certification.certificate from 2000-01-01; <file>; confidence H) [1]",
        "  info  Certificate (3 years) not granted: needs 12 months of records, the",
        "        employer has 2 (certification.certificate from 2000-01-01; <file>;",
        "        confidence H) [1]",
        "  info  Certificate (1 year) not granted: needs 3 months of records, the",
        "        employer has 2 (certification.certificate from 2000-01-01; <file>;",
        "        confidence H) [1]",
        "  9 passing and informational findings hidden; drop --failures to see them",
        "Sources:",
        "  [1] https://example.org/rules-2000",
    ]


def test_failures_explains_the_alberta_internal_auditor_case(tmp_path: Path) -> None:
    """The 2020 documentation-only example as an internal auditor's certification audit in the autumn 2020
    window: the score passes, but the internal-auditor 1-year COR was for recertifications only."""
    text = (EXAMPLES / "alberta-acsa-cor-2020-documentation-only.yaml").read_text(encoding="utf-8")
    for old, new in [
        ("kind: external", "kind: internal"),
        ("audit_date: 2020-06-15", "audit_date: 2020-10-15"),
        ("start_date: 2020-05-20", "start_date: 2020-10-01"),
        ("report_date: 2020-06-30", "report_date: 2020-10-30"),
    ]:
        assert old in text
        text = text.replace(old, new)
    audit = tmp_path / "internal.yaml"
    audit.write_text(text, encoding="utf-8")
    code, out = run("score", str(audit), "--failures", env={"COLUMNS": "250"})
    assert code == 0
    reasons = [line.split(" (certification.")[0] for line in out.split("Reasons:\n")[1].splitlines()]
    assert reasons[:4] == [  # the failure first, then the certificates' reasons that explain it
        "  FAIL  the score passes but no certificate's conditions are met",
        "  info  COR (3 years) not granted: only for recertification audits",
        "  info  COR (1 year) not granted: only for recertification audits",
        "  info  COR (1 year) not granted: needs an external auditor, not internal",
    ]


def test_failures_leaves_out_other_informational_findings_of_a_failing_check() -> None:
    """Only checks that sum up their informational findings (certificates) keep them: a missed maintenance
    deadline does not bring the upcoming one with it."""
    findings = [
        Finding(check="cycle.maintenance", status="fail", message="no maintenance audit by 2026-12-31"),
        Finding(check="cycle.maintenance", status="info", message="maintenance audit due by 2027-12-31"),
        Finding(check="other.certificate", status="info", message="COR (1 year) not granted: needs more"),
        Finding(check="rule.certificate", status="info", message="COR (1 year) not granted: needs more"),
        Finding(check="rule.certificate", status="fail", message="no certificate's conditions are met"),
        Finding(check="rule.version", status="info", message="rules in force"),
    ]
    kept, hidden = shortfalls(findings)
    assert [(f.check, f.status) for f in kept] == [
        ("cycle.maintenance", "fail"),
        ("rule.certificate", "info"),
        ("rule.certificate", "fail"),
    ]
    assert hidden == 3


def test_batch_rows_show_the_side_of_the_overall_minimum(just_under: str, tmp_path: Path) -> None:
    out = tmp_path / "summary.csv"
    code, _ = run(
        "batch", just_under, "--standard-file", str(TEST_STANDARD), "--jobs", "1", "--format", "csv", "-o", str(out)
    )
    assert code == 0
    header, row = out.read_text(encoding="utf-8").splitlines()[:2]
    assert dict(zip(header.split(","), row.split(","), strict=False))["overall_percent"] == "79.995"
    code, text = run("batch", just_under, "--standard-file", str(TEST_STANDARD), "--jobs", "1")
    assert code == 0
    assert "FAIL      79.995%" in text
