"""The national base keeps its promises: 14 common elements, no province's rules, one default rule, a clean check."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

import corengine_national.plugin as national
from corengine import Engine
from corengine._cli.main import cli
from corengine.testing.examples import assert_scores_as_its_header_says

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
ONLY_NATIONAL = {"CORENGINE_PLUGINS": "national", "COLUMNS": "10000"}
"""The installed plugin alone with the core, whatever else is installed."""


def engine() -> Engine:
    return Engine(plugins=[national], load_entrypoints=False, environ={})


def test_the_base_has_the_14_common_elements_and_no_element_15() -> None:
    standard = engine().standard("national-harmonized")
    assert [e.id for e in standard.elements] == [str(n) for n in range(1, 15)]
    assert [e.title for e in standard.elements] == [
        "Health and Safety Policy",
        "Hazard Assessment",
        "Safe Work Practices",
        "Safe Job Procedures",
        "Company Rules",
        "Personal Protective Equipment",
        "Preventative Maintenance",
        "Training and Communication",
        "Inspections",
        "Investigations and Reporting",
        "Emergency Preparedness",
        "Records and Statistics",
        "Legislation",
        "Procurement and Contractor Management",
    ]
    assert [q.id for q in standard.elements[13].questions] == ["14.1", "14.2", "14.3", "14.4", "14.5"]
    assert sum(q.points for _, q in standard.questions()) == Fraction(168)
    assert len(standard.questions()) == 49


def test_the_base_is_no_province_and_no_partner() -> None:
    standard = engine().standard("national-harmonized")
    assert (standard.jurisdiction, standard.partner, standard.programs) == ("CA", None, ("COR",))
    assert standard.reference_document
    assert standard.sampling is None
    assert standard.extends is None
    assert engine().jurisdictions() == {}
    assert all(q.programs == () for _, q in standard.questions())


def test_the_one_rule_is_the_national_pass_mark_at_m() -> None:
    (rule,) = engine().standard("national-harmonized").rules
    assert (rule.id, rule.audit_types, rule.programs) == (
        "certification",
        ("certification", "recertification"),
        ("COR",),
    )
    (version,) = rule.versions
    assert (str(version.start), version.confidence, version.overall_minimum, version.element_minimum) == (
        "2023-01-01",
        "M",
        Fraction(80),
        Fraction(50),
    )
    assert version.certificates == ()
    assert (version.auditors, version.methods_required) == ((), ())
    assert version.reference == (
        "http://www.mhca.mb.ca/cor/cor-certification/",
        "https://hcsas.sk.ca/certificate-of-recognition-cor-secor/",
        "https://nsa-nt.ca/what-is-cor",
        "https://www.constructionsafety.ca/cor-program/",
        "https://www.constructionsafety.ca/training/cor-secor-audit-requirements/",
    )


def test_partial_points_are_steps_on_awarded_questions() -> None:
    questions = {q.id: q for _, q in engine().standard("national-harmonized").questions()}
    stepped = sorted((q for q in questions.values() if q.scoring.steps), key=lambda q: q.id)
    assert len(stepped) == 15
    assert questions["14.2"].scoring.steps == (Fraction(0), Fraction(2), Fraction(4))
    assert questions["2.1"].scoring.steps == (Fraction(0), Fraction(3), Fraction(6))


def test_the_installed_plugin_checks_clean_alone() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "national"], env=ONLY_NATIONAL)
    assert (result.exit_code, result.output) == (0, "national: 1 standard checked, clean\n")


def test_the_overlay_adding_element_15_checks_clean_on_the_installed_base() -> None:
    overlay = HERE / "data" / "national-supplement-overlay.yaml"
    result = CliRunner().invoke(cli, ["plugin", "check", str(overlay)], env=ONLY_NATIONAL)
    assert (result.exit_code, result.output) == (0, f"{overlay}: 1 standard checked, clean\n")


def test_the_installed_plugin_checks_clean_in_json() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "national", "--format", "json"], env=ONLY_NATIONAL)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["clean"], report["problems"], report["warnings"]) == (True, [], [])


def test_the_installed_plugin_lists_its_standard_alone() -> None:
    result = CliRunner().invoke(cli, ["standards"], env=ONLY_NATIONAL)
    assert result.exit_code == 0, result.output
    assert [line.split()[:4] for line in result.output.splitlines()[2:]] == [["national-harmonized", "CA", "-", "COR"]]


@pytest.mark.parametrize(
    ("name", "code", "outcome"),
    [
        (
            "national-harmonized-pass.yaml",
            0,
            "Outcome: PASSED — Meets the national pass mark (the province grants the certificate)",
        ),
        ("national-harmonized-fail.yaml", 1, "Outcome: NOT PASSED"),
    ],
)
def test_the_examples_score_as_their_headers_say_alone(name: str, code: int, outcome: str) -> None:
    assert_scores_as_its_header_says(EXAMPLES / name, code, outcome, ONLY_NATIONAL)
