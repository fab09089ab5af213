"""BC's own inbound reciprocity rules: no action plan and no ISO/CSA equivalency in place of a BC COR audit."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

import corengine_bc.plugin as bc
from corengine._cli.main import cli
from corengine._rules.reciprocity import plan
from corengine.model import Jurisdiction

ESC = ("https://www.energysafetycanada.com/COR/COR-News/2022/COR-Audit-Options",)


def jurisdictions() -> dict[str, tuple[str, Jurisdiction]]:
    """BC's data beside a home jurisdiction with no rules of its own."""
    return {"BC": ("bc", bc.jurisdiction()), "AB": ("test", Jurisdiction(code="AB", name="Alberta"))}


def test_bc_states_two_inbound_rules_and_no_outbound_one() -> None:
    rules = bc.jurisdiction().reciprocity
    assert [(r.direction, r.treatment, r.confidence, r.reference) for r in rules] == [
        ("inbound", "not-accepted", "H", ESC),
        ("inbound", "information", "H", ESC),
    ]
    assert all(r.jurisdictions == () and r.programs == () and r.partners == () for r in rules)


def test_a_cor_from_elsewhere_is_refused_as_it_stands_by_the_action_plan_rule() -> None:
    answer = plan(jurisdictions(), "AB", "BC", dt.date(2025, 6, 1), program="COR")
    assert answer.headline == "AB → BC: COR certificate is not accepted as it stands (1 rule(s) refuse it)"
    refusal, information = answer.findings
    assert (refusal.check, refusal.status, refusal.subject, refusal.plugin) == (
        "reciprocity.not_accepted",
        "fail",
        "BC",
        "bc",
    )
    assert refusal.message.startswith("WorkSafeBC accepts no action plan in place of a BC COR audit")
    assert (information.check, information.status, information.message) == (
        "reciprocity.information",
        "info",
        "WorkSafeBC does not take part in the ISO/CSA equivalency program: no ISO 45001 or CSA audit is accepted in "
        "place of a BC COR audit.",
    )


def test_bc_as_the_home_has_no_outbound_rule() -> None:
    answer = plan(jurisdictions(), "BC", "AB", dt.date(2025, 6, 1))
    assert [f.check for f in answer.findings] == ["reciprocity.unknown"]


def test_the_reciprocity_command_shows_the_refusal_in_json() -> None:
    env = {"CORENGINE_PLUGINS": "bc,alberta", "COLUMNS": "10000"}
    args = ["reciprocity", "--from", "AB", "--to", "BC", "--on", "2025-06-01", "--format", "json", "--failures"]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert '"check": "reciprocity.not_accepted"' in result.output
    assert '"standards": [\n    "bc-bccsa-cor"\n  ]' in result.output
