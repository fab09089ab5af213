"""The Newfoundland and Labrador plugin installed alone with the national base: a clean check, its partner, its
standard's dated rules, score rule and prerequisite, and the examples scoring as their headers say."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import corengine_national.plugin as national
import corengine_newfoundland.plugin as newfoundland
from corengine import Engine
from corengine._cli.main import cli
from corengine.testing.examples import assert_scores_as_its_header_says

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
ONLY_NL = {"CORENGINE_PLUGINS": "national,newfoundland", "COLUMNS": "10000"}
"""The installed plugin and its base alone with the core, whatever else is installed."""
PASSED = "Outcome: PASSED — Meets the assumed national pass mark (NLCSA issues the COR; corrective actions are closed within 60 days)"


def engine() -> Engine:
    return Engine(plugins=[national, newfoundland], load_entrypoints=False, environ={})


def test_the_standard_extends_the_base_with_its_own_rules() -> None:
    standard = engine().standard("nl-nlcsa-cor")
    assert (standard.jurisdiction, standard.partner, standard.extends, standard.programs) == (
        "NL",
        "NLCSA",
        "national-harmonized",
        ("COR",),
    )
    assert [e.id for e in standard.elements] == [str(n) for n in range(1, 15)]
    rules = {rule.id: rule for rule in standard.rules}
    assert sorted(rules) == ["certification", "internal-audit"]
    (certification,) = rules["certification"].versions
    assert (str(certification.start), certification.confidence, certification.auditors) == (
        "2023-01-01",
        "L",
        ("external",),
    )
    assert (certification.overall_minimum, certification.element_minimum) == (80, 50)
    assert [(str(v.start), v.confidence, v.overall_minimum) for v in rules["internal-audit"].versions] == [
        ("2023-01-01", "H", None),
        ("2024-07-10", "H", None),
    ]


def test_section_14_is_an_opportunity_during_2024_only() -> None:
    (rule,) = engine().standard("nl-nlcsa-cor").score_rules
    assert (rule.treatment, rule.elements, rule.start, rule.end, rule.confidence) == (
        "opportunity",
        ("14",),
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
        "H",
    )


def test_the_internal_audit_comes_before_the_first_external_audit() -> None:
    (prerequisite,) = engine().standard("nl-nlcsa-cor").prerequisites
    assert (prerequisite.id, prerequisite.kind, prerequisite.audit_types, prerequisite.confidence) == (
        "internal_audit_submitted",
        "before",
        ("certification",),
        "H",
    )


def test_the_installed_plugin_checks_clean_alone() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "newfoundland"], env=ONLY_NL)
    assert (result.exit_code, result.output) == (0, "newfoundland: 1 standard and 3 data files checked, clean\n")


def test_the_installed_plugin_checks_clean_in_json() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "newfoundland", "--format", "json"], env=ONLY_NL)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["clean"], report["problems"], report["warnings"]) == (True, [], [])


def test_partners_lists_nlcsa_alone() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "NL"], env=ONLY_NL)
    assert (result.exit_code, result.output.splitlines()) == (
        0,
        [
            "Province  Code   Name                                                       Industries    Conf.",
            "--------  -----  ---------------------------------------------------------  ------------  -----",
            "NL        NLCSA  Newfoundland and Labrador Construction Safety Association  construction  H",
        ],
    )


def test_the_installed_plugin_lists_its_standard_on_the_base() -> None:
    result = CliRunner().invoke(cli, ["standards"], env=ONLY_NL)
    assert result.exit_code == 0, result.output
    assert [line.split()[:4] for line in result.output.splitlines()[2:]] == [
        ["national-harmonized", "CA", "-", "COR"],
        ["nl-nlcsa-cor", "NL", "NLCSA", "COR"],
    ]


@pytest.mark.parametrize(
    ("name", "code", "outcome"),
    [("nl-nlcsa-cor-pass.yaml", 0, PASSED), ("nl-nlcsa-cor-fail.yaml", 1, "Outcome: NOT PASSED")],
)
def test_the_examples_score_as_their_headers_say_alone(name: str, code: int, outcome: str) -> None:
    assert_scores_as_its_header_says(EXAMPLES / name, code, outcome, ONLY_NL)
