"""The northern plugin alone with the national base: one NSA program for two territories, a clean check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

import corengine_national.plugin as national
import corengine_northern.plugin as northern
from corengine import Engine
from corengine._cli.main import cli
from corengine._rules.reciprocity import plan
from corengine.model import Jurisdiction
from corengine.testing.examples import assert_scores_as_its_header_says

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
DATA = HERE.parent / "src" / "corengine_northern" / "data"
ALONE = {"CORENGINE_PLUGINS": "national,northern", "COLUMNS": "10000"}
"""The installed plugin with the base only, whatever else is installed."""
NSA = "https://nsa-nt.ca/what-is-cor"


def engine() -> Engine:
    return Engine(plugins=[national, northern], load_entrypoints=False, environ={})


def test_the_installed_plugin_checks_clean_alone() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "northern"], env=ALONE)
    assert (result.exit_code, result.output) == (0, "northern: 2 standards and 2 data files checked, clean\n")


def test_the_two_jurisdiction_files_differ_only_in_code_name_and_baseline() -> None:
    def body(name: str) -> list[str]:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        return [line for line in lines if not line.startswith(("#", "code:", "name:", "baseline:"))]

    assert body("nt.yaml") == body("nu.yaml")
    nt, nu = northern.PACKAGE.jurisdictions()
    assert (nt.code, nt.baseline, nu.code, nu.baseline) == ("NT", "nt-nsa-cor", "NU", "nu-nsa-cor")
    assert [p.code for p in nt.partners] == [p.code for p in nu.partners] == ["NSA"]
    assert nt.eligibility[0].bands == ()


def test_one_standard_per_territory_with_one_set_of_rules() -> None:
    nt, nu = engine().standard("nt-nsa-cor"), engine().standard("nu-nsa-cor")
    assert (nt.jurisdiction, nt.extends, nu.jurisdiction, nu.extends) == (
        "NT",
        "national-harmonized",
        "NU",
        "nt-nsa-cor",
    )
    assert nt.rules == nu.rules
    assert nt.prerequisites == nu.prerequisites
    assert [e.id for e in nu.elements] == [str(n) for n in range(1, 15)]
    assert [(r.id, r.audit_types) for r in nt.rules] == [
        ("certification", ("certification", "recertification")),
        ("maintenance", ("maintenance",)),
    ]
    (version,) = nt.rules[0].versions
    assert [(c.certificate, c.months) for c in version.certificates] == [("COR (3 years, if maintained)", 36)]
    assert [p.id for p in nt.prerequisites] == ["training_completed", "program_implemented"]


def test_partners_lists_nsa_for_both_territories_with_the_note_once_each() -> None:
    result = CliRunner().invoke(cli, ["partners"], env=ALONE)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[:2] for line in lines[2:4]] == [["NT", "NSA"], ["NU", "NSA"]]
    note = "The Northern Safety Association (NSA) is the only authority having jurisdiction for COR in the Northwest Territories and Nunavut."
    assert lines[4:] == [f"NT: {note}", f"  source: {NSA}", f"NU: {note}", f"  source: {NSA}"]


@pytest.mark.parametrize("province", ["NT", "NU"])
def test_eligibility_says_no_secor_was_found_at_l(province: str) -> None:
    args = ["eligibility", "--province", province, "--employees", "5", "--on", "2025-06-01", "--format", "json"]
    result = CliRunner().invoke(cli, args, env=ALONE)
    assert result.exit_code == 0, result.output
    assert '"confidence": "L"' in result.output
    assert "No SECOR or other small-employer program was found for NSA" in result.output
    assert "In Process, Audit Pending and COR" in result.output


def test_no_reciprocity_rule_is_published_for_the_territories() -> None:
    found = {j.code: ("northern", j) for j in northern.PACKAGE.jurisdictions()}
    found["YT"] = ("test", Jurisdiction(code="YT", name="Yukon"))
    answer = plan(found, "YT", "NT", dt.date(2025, 6, 1), program="COR")
    assert answer.headline == "YT → NT: no published rule; ask NT's certifying partner"
    assert [(f.check, f.confidence) for f in answer.findings] == [
        ("reciprocity.note", "H"),
        ("reciprocity.unknown", "L"),
    ]


@pytest.mark.parametrize(
    ("name", "code", "outcome"),
    [
        ("nt-nsa-cor-pass.yaml", 0, "Outcome: PASSED — COR (3 years, if maintained), valid until 2029-05-15"),
        ("nu-nsa-cor-fail.yaml", 1, "Outcome: NOT PASSED"),
    ],
)
def test_the_examples_score_as_their_headers_say_alone(name: str, code: int, outcome: str) -> None:
    assert_scores_as_its_header_says(EXAMPLES / name, code, outcome, ALONE)
