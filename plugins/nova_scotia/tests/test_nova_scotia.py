"""The Nova Scotia plugin installed alone with the national base: a clean check, its partner, its standard, the
size classes and the examples scoring as their headers say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import corengine_national.plugin as national
import corengine_nova_scotia.plugin as nova_scotia
from corengine import Engine
from corengine._cli.main import cli

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
ONLY_NS = {"CORENGINE_PLUGINS": "national,nova_scotia", "COLUMNS": "10000"}
"""The installed plugin and its base alone with the core, whatever else is installed."""


def engine() -> Engine:
    return Engine(plugins=[national, nova_scotia], load_entrypoints=False, environ={})


def test_the_standard_extends_the_base_and_maps_the_size_classes_onto_cor() -> None:
    standard = engine().standard("ns-csns-cor")
    assert (standard.jurisdiction, standard.partner, standard.extends) == ("NS", "CSNS", "national-harmonized")
    assert standard.programs == ("Small", "Intermediate", "Standard")
    assert [e.id for e in standard.elements] == [str(n) for n in range(1, 15)]
    (rule,) = standard.rules
    (version,) = rule.versions
    assert (rule.id, str(version.start), version.confidence) == ("certification", "2023-01-01", "L")
    assert (version.overall_minimum, version.element_minimum) == (80, 50)


def test_the_size_bands_are_the_four_csns_classes() -> None:
    (_, ns) = engine().jurisdictions()["NS"]
    (version,) = ns.eligibility
    assert [(b.program, b.min, b.max) for b in version.bands] == [
        ("Owner/Operator", 1, 1),
        ("Small", 2, 4),
        ("Intermediate", 5, 19),
        ("Standard", 20, None),
    ]
    assert [p.code for p in ns.partners] == ["CSNS"]
    assert ns.note is None


def test_the_installed_plugin_checks_clean_alone() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "nova_scotia"], env=ONLY_NS)
    assert (result.exit_code, result.output) == (0, "nova_scotia: 1 standard and 1 data file checked, clean\n")


def test_the_installed_plugin_checks_clean_in_json() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "nova_scotia", "--format", "json"], env=ONLY_NS)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["clean"], report["problems"], report["warnings"]) == (True, [], [])


def test_partners_lists_csns() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "NS"], env=ONLY_NS)
    assert (result.exit_code, result.output.splitlines()) == (
        0,
        [
            "Province  Code  Name                             Industries                           Conf.",
            "--------  ----  -------------------------------  -----------------------------------  -----",
            "NS        CSNS  Construction Safety Nova Scotia  construction and related industries  H",
        ],
    )


def test_the_installed_plugin_lists_its_standard_on_the_base() -> None:
    result = CliRunner().invoke(cli, ["standards"], env=ONLY_NS)
    assert result.exit_code == 0, result.output
    assert [line.split()[:4] for line in result.output.splitlines()[2:]] == [
        ["national-harmonized", "CA", "-", "COR"],
        ["ns-csns-cor", "NS", "CSNS", "Small,Intermediate,Standard"],
    ]


@pytest.mark.parametrize(
    ("name", "code", "outcomes"),
    [
        (
            "ns-csns-cor-pass.yaml",
            0,
            [
                "Outcome: PASSED — Meets the assumed national pass mark (CSNS issues the COR and the annual Letter of Good Standing)"
            ]
            * 2,
        ),
        ("ns-csns-cor-fail.yaml", 1, ["Outcome: NOT PASSED"] * 2),
    ],
)
def test_the_examples_score_as_their_headers_say_alone(name: str, code: int, outcomes: list[str]) -> None:
    path = EXAMPLES / name
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# score")]
    for options, outcome in zip(([], ["--strict"]), outcomes, strict=True):
        result = CliRunner().invoke(cli, ["score", str(path), "--check", *options], env=ONLY_NS)
        assert result.exit_code == code, result.output
        assert [line for line in result.output.splitlines() if line.startswith("Outcome:")] == [outcome]
    assert [line.split(":", 1)[1].strip() for line in header] == [o.removeprefix("Outcome: ") for o in outcomes]
