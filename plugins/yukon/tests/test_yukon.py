"""The Yukon plugin alone with the national base: a clean check, its partner and note, COREL reciprocity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

import corengine_national.plugin as national
import corengine_yukon.plugin as yukon
from corengine import Engine
from corengine._cli.main import cli
from corengine._rules.reciprocity import plan
from corengine.model import Jurisdiction
from corengine.testing.examples import assert_scores_as_its_header_says

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
ALONE = {"CORENGINE_PLUGINS": "national,yukon", "COLUMNS": "10000"}
"""The installed plugin with the base only, whatever else is installed."""
COREL = "https://www.yukonsafety.com/corel"
ON = dt.date(2025, 6, 1)


def engine() -> Engine:
    return Engine(plugins=[national, yukon], load_entrypoints=False, environ={})


def jurisdictions() -> dict[str, tuple[str, Jurisdiction]]:
    """Yukon's data beside a home jurisdiction with no rules of its own (Alberta's data is not needed: Yukon states
    its inbound rule for every other jurisdiction)."""
    return {"YT": ("yukon", yukon.PACKAGE.jurisdiction()), "AB": ("test", Jurisdiction(code="AB", name="Alberta"))}


def test_the_installed_plugin_checks_clean_alone() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "yukon"], env=ALONE)
    assert (result.exit_code, result.output) == (0, "yukon: 1 standard and 1 data file checked, clean\n")


def test_the_standard_extends_the_base_with_the_yukon_supplement() -> None:
    standard = engine().standard("yt-nsny-cor")
    assert (standard.jurisdiction, standard.partner, standard.programs) == ("YT", "NSNY", ("COR", "SECOR", "OCOP"))
    assert [e.id for e in standard.elements] == [str(n) for n in range(1, 16)]
    assert standard.elements[14].title == "Yukon Supplement"
    assert [q.id for q in standard.elements[14].questions] == ["15.1", "15.2", "15.3"]
    (rule,) = standard.score_rules
    assert (rule.treatment, rule.elements, str(rule.start), str(rule.end), rule.confidence) == (
        "not_counted",
        ("14",),
        "2025-01-01",
        "2025-12-31",
        "L",
    )
    (prerequisite,) = standard.prerequisites
    assert (prerequisite.id, prerequisite.kind, prerequisite.audit_types, prerequisite.confidence) == (
        "checklist_approved",
        "before",
        (),
        "H",
    )


def test_partners_lists_nsny_and_the_government_contracts_note() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "YT"], env=ALONE)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2].split() == [
        "YT",
        "NSNY",
        "Northern",
        "Safety",
        "Network",
        "Yukon",
        "every",
        "industry",
        "in",
        "Yukon",
        "H",
    ]
    assert result.output.splitlines()[3:] == [
        "YT: COR is required on Government of Yukon construction contracts.",
        "  source: https://yukon.ca/en/certificate-recognition",
    ]


def test_a_cor_from_elsewhere_gets_a_corel_of_up_to_6_months() -> None:
    answer = plan(jurisdictions(), "AB", "YT", ON, program="COR", partner="ACSA")
    assert answer.headline == "AB → YT: COR certificate can be used through letter"
    note, letter = answer.findings
    assert (note.check, note.message) == (
        "reciprocity.note",
        "COR is required on Government of Yukon construction contracts.",
    )
    assert (letter.check, letter.status, letter.confidence, letter.sources, letter.plugin) == (
        "reciprocity.letter",
        "info",
        "H",
        (COREL,),
        "yukon",
    )
    assert letter.message.endswith("are not accepted. Valid up to 6 months. Not accepted from: ESC, ENFORM."), (
        letter.message
    )


@pytest.mark.parametrize("partner", ["ESC", "ENFORM"])
def test_an_energy_safety_canada_cor_is_not_accepted(partner: str) -> None:
    answer = plan(jurisdictions(), "AB", "YT", ON, program="COR", partner=partner)
    assert answer.headline == "AB → YT: COR certificate is not accepted as it stands (1 rule(s) refuse it)"
    refusal = answer.findings[1]
    assert (refusal.check, refusal.status, refusal.sources) == ("reciprocity.not_accepted", "fail", (COREL,))


def test_a_secor_from_elsewhere_has_no_published_rule() -> None:
    answer = plan(jurisdictions(), "AB", "YT", ON, program="SECOR")
    assert answer.headline == "AB → YT: no published rule; ask YT's certifying partner"
    assert [f.check for f in answer.findings] == ["reciprocity.note", "reciprocity.unknown"]


def test_the_reciprocity_command_answers_from_bc_to_yukon() -> None:
    pytest.importorskip("corengine_bc")
    env = {"CORENGINE_PLUGINS": "national,yukon,bc", "COLUMNS": "10000"}
    args = ["reciprocity", "--from", "BC", "--to", "YT", "--program", "COR", "--on", "2025-06-01"]
    result = CliRunner().invoke(cli, [*args, "--partner", "ESC"], env=env)
    assert result.exit_code == 0, result.output
    assert (
        result.output.splitlines()[0] == "BC → YT: COR certificate is not accepted as it stands (1 rule(s) refuse it)"
    )
    assert (
        "Evidence to reuse: corengine crosswalk AUDIT --to STANDARD, with YT's standards: yt-nsny-cor" in result.output
    )


@pytest.mark.parametrize(
    ("name", "code", "outcome"),
    [
        (
            "yukon-secor-pass.yaml",
            0,
            "Outcome: PASSED — Meets the pass mark assumed for Yukon, 80% overall and 50% per element "
            "(NSNY grants the certificate)",
        ),
        ("yukon-cor-fail.yaml", 1, "Outcome: NOT PASSED"),
    ],
)
def test_the_examples_score_as_their_headers_say_alone(name: str, code: int, outcome: str) -> None:
    assert_scores_as_its_header_says(EXAMPLES / name, code, outcome, ALONE)
