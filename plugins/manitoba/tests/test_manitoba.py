"""The Manitoba plugin installed alone with the national base: a clean check, its examples, its answers."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

import corengine_manitoba.plugin as manitoba
import corengine_national.plugin as national
from corengine import Engine
from corengine._cli.main import cli
from corengine._rules.reciprocity import plan
from corengine.testing.examples import assert_scores_as_its_header_says

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
ALONE = {"CORENGINE_PLUGINS": "national,manitoba", "COLUMNS": "10000"}
"""The installed plugin with the national base and the core only, whatever else is installed."""
SECOR_PAGES = (
    "https://www.constructionsafety.ca/secor-program/",
    "https://mhcaworksafely.ca/cor-program/cor-certification-process/",
)


def engine() -> Engine:
    return Engine(plugins=[national, manitoba], load_entrypoints=False, environ={})


def test_the_installed_plugin_checks_clean_alone() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "manitoba"], env=ALONE)
    assert (result.exit_code, result.output) == (0, "manitoba: 2 standards and 2 data files checked, clean\n")


def test_both_standards_extend_the_base_and_map_secor_onto_cor() -> None:
    for id_, partner in (("mb-csam-cor", "CSAM"), ("mb-mhca-cor", "MHCA")):
        standard = engine().standard(id_)
        assert (standard.jurisdiction, standard.partner, standard.programs, standard.extends) == (
            "MB",
            partner,
            ("COR", "SECOR"),
            "national-harmonized",
        )
        assert [e.id for e in standard.elements] == [str(n) for n in range(1, 15)]
    (registered,) = engine().standard("mb-csam-cor").prerequisites
    assert (registered.id, registered.kind, registered.months, str(registered.start), registered.confidence) == (
        "registered",
        "within_months",
        18,
        "2015-05-01",
        "H",
    )


def test_a_manitoba_secor_is_recognised_only_at_home() -> None:
    answer = plan(engine().jurisdictions(), "MB", "SK", dt.date(2025, 6, 1), "SECOR")
    assert answer.headline == "MB → SK: SECOR certificate is not accepted as it stands (1 rule(s) refuse it)"
    assert [(f.check, f.status, f.confidence, f.sources, f.message) for f in answer.findings] == [
        ("reciprocity.home_only", "fail", "H", SECOR_PAGES, "A Manitoba SECOR is recognised only in Manitoba.")
    ]


def test_an_mhca_cor_elsewhere_meets_the_national_requirements() -> None:
    answer = plan(engine().jurisdictions(), "MB", "NS", dt.date(2025, 6, 1), "COR", "MHCA")
    assert [(f.check, f.status, f.confidence) for f in answer.findings] == [("reciprocity.information", "info", "H")]
    assert answer.headline == "MB → NS: COR certificate can be used through information"


def test_a_cor_from_elsewhere_may_apply_to_csam_for_equivalency() -> None:
    answer = plan(engine().jurisdictions(), "SK", "MB", dt.date(2025, 6, 1), "COR")
    assert answer.headline == "SK → MB: COR certificate can be used through letter"
    (letter,) = answer.findings
    assert (letter.check, letter.confidence, letter.sources) == (
        "reciprocity.letter",
        "M",
        ("http://www.constructionsafety.ca/training/cor-program/",),
    )
    assert letter.message.endswith(
        "Required: a COR from another province or territory; no permanent office in Manitoba; an application to CSAM."
    )


@pytest.mark.skipif(importlib.util.find_spec("corengine_saskatchewan") is None, reason="needs the saskatchewan plugin")
def test_the_reciprocity_command_from_manitoba_to_saskatchewan_beside_it() -> None:
    env = {**ALONE, "CORENGINE_PLUGINS": "national,manitoba,saskatchewan"}
    args = ["reciprocity", "--from", "MB", "--to", "SK", "--program", "SECOR", "--on", "2025-06-01"]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        "MB → SK: SECOR certificate is not accepted as it stands (1 rule(s) refuse it)",
        "Reasons:",
        "  FAIL  A Manitoba SECOR is recognised only in Manitoba. (reciprocity.home_only; manitoba; confidence H) [1,2]",
    ]


def test_the_partners_command_lists_two_partners_alone() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "MB"], env=ALONE)
    assert result.exit_code == 0, result.output
    assert [line.split()[:2] for line in result.output.splitlines()[2:]] == [["MB", "CSAM"], ["MB", "MHCA"]]


def test_the_partners_command_gives_each_partner_its_confidence_alone() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "MB"], env=ALONE)
    assert result.output.splitlines()[2:] == [
        "MB        CSAM  Construction Safety Association of Manitoba           construction        H",
        "MB        MHCA  Manitoba Heavy Construction Association — WORKSAFELY  heavy construction  H",
    ]


def test_the_standards_command_lists_both_overlays_with_cor_and_secor_alone() -> None:
    result = CliRunner().invoke(cli, ["standards", "--province", "MB"], env=ALONE)
    assert result.exit_code == 0, result.output
    assert [line.split()[:4] for line in result.output.splitlines()[2:]] == [
        ["mb-csam-cor", "MB", "CSAM", "COR,SECOR"],
        ["mb-mhca-cor", "MB", "MHCA", "COR,SECOR"],
    ]


@pytest.mark.parametrize(
    ("name", "code", "outcome"),
    [
        ("mb-csam-cor-certification-pass.yaml", 0, "Outcome: PASSED — COR (3 years), valid until 2028-09-18"),
        ("mb-csam-secor-certification-fail.yaml", 1, "Outcome: NOT PASSED"),
    ],
)
def test_the_examples_score_as_their_headers_say_alone(name: str, code: int, outcome: str) -> None:
    assert_scores_as_its_header_says(EXAMPLES / name, code, outcome, ALONE)
