"""The Saskatchewan plugin installed alone with the national base: a clean check, its examples, its answers."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

import corengine_national.plugin as national
import corengine_saskatchewan.plugin as saskatchewan
from corengine import Engine
from corengine._cli.main import cli
from corengine._rules.reciprocity import plan
from corengine.testing.examples import assert_scores_as_its_header_says

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
ALONE = {"CORENGINE_PLUGINS": "national,saskatchewan", "COLUMNS": "10000"}
"""The installed plugin with the national base and the core only, whatever else is installed."""


def engine() -> Engine:
    return Engine(plugins=[national, saskatchewan], load_entrypoints=False, environ={})


def test_the_installed_plugin_checks_clean_alone() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "saskatchewan"], env=ALONE)
    assert (result.exit_code, result.output) == (0, "saskatchewan: 1 standard and 1 data file checked, clean\n")


def test_the_standard_extends_the_base_with_the_14_common_elements() -> None:
    standard = engine().standard("sk-scsa-cor")
    assert (standard.jurisdiction, standard.partner, standard.programs, standard.extends) == (
        "SK",
        "SCSA",
        ("COR",),
        "national-harmonized",
    )
    assert [e.id for e in standard.elements] == [str(n) for n in range(1, 15)]
    assert [(p.id, p.kind, p.months, p.confidence) for p in standard.prerequisites] == [
        ("registered", "within_months", 18, "H"),
        ("safety_manual_submitted", "before", None, "H"),
    ]


def test_the_jurisdiction_states_the_secor_conflict_at_l() -> None:
    (_, jurisdiction) = engine().jurisdictions()["SK"]
    (version,) = jurisdiction.eligibility
    bands = [(b.program, b.partner, b.min, b.max, b.below, b.confidence) for b in version.bands]
    assert bands[0] == ("SECOR", None, None, 9, None, "L")
    assert ("COR", "HCSAS", 10, None, None, "H") in bands
    assert ("SECOR", "HCSAS", None, None, 10, "H") in bands
    assert [p.code for p in jurisdiction.partners] == ["SCSA", "HCSAS", "ESC"]
    assert [(r.direction, r.treatment, r.confidence) for r in jurisdiction.reciprocity] == [
        ("inbound", "letter", "H"),
        ("inbound", "letter", "M"),
    ]


def test_the_partners_command_lists_three_partners_alone() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "SK"], env=ALONE)
    assert result.exit_code == 0, result.output
    assert [line.split()[:2] for line in result.output.splitlines()[2:]] == [
        ["SK", "SCSA"],
        ["SK", "HCSAS"],
        ["SK", "ESC"],
    ]


def test_the_partners_command_gives_each_partner_its_confidence_alone() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "SK"], env=ALONE)
    assert result.output.splitlines()[2:] == [
        "SK        SCSA   Saskatchewan Construction Safety Association           construction                            H",
        "SK        HCSAS  Heavy Construction Safety Association of Saskatchewan  heavy construction (road construction)  H",
        "SK        ESC    Energy Safety Canada                                   oil and gas                             M",
    ]


def test_the_standards_command_lists_the_scsa_overlay_alone() -> None:
    result = CliRunner().invoke(cli, ["standards", "--province", "SK"], env=ALONE)
    assert result.exit_code == 0, result.output
    assert [line.split()[:4] for line in result.output.splitlines()[2:]] == [["sk-scsa-cor", "SK", "SCSA", "COR"]]


def test_reciprocity_to_a_jurisdiction_not_installed_is_refused_alone() -> None:
    result = CliRunner().invoke(cli, ["reciprocity", "--from", "SK", "--to", "MB", "--on", "2025-06-01"], env=ALONE)
    assert (result.exit_code, result.output) == (2, "error: no installed plugin covers 'MB' (covered: SK)\n")


def test_a_cor_from_another_province_gets_the_scsa_and_hcsas_letters() -> None:
    answer = plan(engine().jurisdictions(), "AB", "SK", dt.date(2025, 6, 1), "COR")
    assert answer.headline == "AB → SK: COR certificate can be used through letter"
    assert [(f.check, f.status, f.confidence, f.sources) for f in answer.findings] == [
        (
            "reciprocity.letter",
            "info",
            "H",
            ("https://scsaonline.ca/programs/secor", "https://scsaonline.ca/programs/cor"),
        ),
        ("reciprocity.letter", "info", "M", ("https://hcsas.sk.ca/programs-courses/",)),
    ]
    assert answer.findings[0].message == (
        "SCSA: a company holding a COR from another province that works in Saskatchewan without a permanent office "
        "there may ask SCSA for a letter of reciprocity (Saskatchewan COR equivalency); a company with a permanent "
        "office in Saskatchewan certifies in Saskatchewan. Required: a COR from another province; no permanent "
        "office in Saskatchewan; a request to SCSA."
    )


def test_a_secor_from_another_province_meets_no_saskatchewan_rule() -> None:
    answer = plan(engine().jurisdictions(), "AB", "SK", dt.date(2025, 6, 1), "SECOR")
    assert answer.headline == "AB → SK: no published rule; ask SK's certifying partner"
    assert [(f.check, f.confidence) for f in answer.findings] == [("reciprocity.unknown", "L")]


@pytest.mark.skipif(importlib.util.find_spec("corengine_alberta") is None, reason="needs the alberta plugin")
def test_the_reciprocity_command_from_alberta_beside_the_alberta_plugin() -> None:
    env = {**ALONE, "CORENGINE_PLUGINS": "national,saskatchewan,alberta"}
    result = CliRunner().invoke(cli, ["reciprocity", "--from", "AB", "--to", "SK", "--on", "2025-06-01"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "AB → SK: a COR can be used through letter"
    assert lines[-1] == "Evidence to reuse: corengine crosswalk AUDIT --to STANDARD, with SK's standards: sk-scsa-cor"
    assert sum("(reciprocity.letter; saskatchewan; confidence " in line for line in lines) == 2


@pytest.mark.parametrize(
    ("name", "code", "outcome"),
    [
        ("sk-scsa-cor-certification-pass.yaml", 0, "Outcome: PASSED — COR, valid until 2028-06-13"),
        ("sk-scsa-cor-certification-fail.yaml", 1, "Outcome: NOT PASSED"),
    ],
)
def test_the_examples_score_as_their_headers_say_alone(name: str, code: int, outcome: str) -> None:
    assert_scores_as_its_header_says(EXAMPLES / name, code, outcome, ALONE)
