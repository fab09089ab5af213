"""The New Brunswick plugin installed alone: a jurisdiction file and no standard; NBCSA's equivalency route as an
inbound ``documents`` rule, and a note on what is not found. Source: https://nbcsa.ca/programs/ncso-faq/ (M)."""

from __future__ import annotations

import json

from click.testing import CliRunner

import corengine_new_brunswick.plugin as new_brunswick
from corengine import Engine
from corengine._cli.main import cli

ONLY_NB = {"CORENGINE_PLUGINS": "new_brunswick", "COLUMNS": "10000"}
"""The installed plugin alone with the core, whatever else is installed."""
WITH_A_HOME = {"CORENGINE_PLUGINS": "national,nova_scotia,new_brunswick", "COLUMNS": "10000"}
"""With a home jurisdiction to come from (Nova Scotia), for the reciprocity answer."""
SOURCE = "https://nbcsa.ca/programs/ncso-faq/"
NOTE = (
    "pass marks, the certification cycle and sampling are not found on NBCSA's public pages, so corengine carries no "
    "NB standard or audit rules; only NBCSA's equivalency route for a COR from another province is encoded "
    "(corengine reciprocity --from HOME --to NB)"
)
REQUIRED = [
    "an application to NBCSA",
    "a declaration of compliance with the NB Occupational Health and Safety Act",
    "the NB Section 14 supplement",
    "a WorkSafeNB clearance",
    "the latest audit",
    "the home province's Letter of Good Standing",
]
RULE = (
    "A firm with a COR from another province and no New Brunswick office applies to NBCSA for equivalency; the NB "
    "letter is valid for the term of the home COR, and NBCSA may run a quality-assurance audit when the work starts."
)


def test_the_jurisdiction_is_one_inbound_documents_rule_and_a_note() -> None:
    engine = Engine(plugins=[new_brunswick], load_entrypoints=False, environ={})
    (_, nb) = engine.jurisdictions()["NB"]
    assert engine.sources() == {}
    assert (nb.code, nb.eligibility, nb.baseline) == ("NB", (), None)
    assert nb.note is not None
    assert (nb.note.text, nb.note.confidence, nb.note.reference) == (NOTE, "L", (SOURCE,))
    (rule,) = nb.reciprocity
    assert (rule.direction, rule.treatment, rule.confidence, rule.reference) == ("inbound", "documents", "M", (SOURCE,))
    assert (rule.jurisdictions, rule.programs, rule.partners, rule.valid_months) == ((), (), (), None)
    assert list(rule.requires) == REQUIRED
    assert rule.text == RULE


def test_the_installed_plugin_checks_clean_alone() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "new_brunswick"], env=ONLY_NB)
    assert (result.exit_code, result.output) == (0, "new_brunswick: 0 standards and 1 data file checked, clean\n")


def test_the_installed_plugin_checks_clean_in_json() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "new_brunswick", "--format", "json"], env=ONLY_NB)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["clean"], report["problems"], report["warnings"]) == (True, [], [])


def test_partners_prints_nbcsa_and_the_note_once() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "NB"], env=ONLY_NB)
    assert (result.exit_code, result.output) == (
        0,
        "Province  Code   Name                                           Industries    Conf.\n"
        "--------  -----  ---------------------------------------------  ------------  -----\n"
        "NB        NBCSA  New Brunswick Construction Safety Association  construction  M\n"
        f"NB: {NOTE}\n"
        f"  source: {SOURCE}\n",
    )


def test_reciprocity_into_nb_lists_the_documents() -> None:
    args = ["reciprocity", "--from", "NS", "--to", "NB", "--on", "2026-01-15"]
    result = CliRunner().invoke(cli, args, env=WITH_A_HOME)
    assert (result.exit_code, result.output) == (
        0,
        "NS → NB: a COR can be used through documents\n"
        "Reasons:\n"
        f"  info  {NOTE} (reciprocity.note; new_brunswick; confidence L) [1]\n"
        f"  info  {RULE} Required: {'; '.join(REQUIRED)}. (reciprocity.documents; new_brunswick; confidence M) [1]\n"
        "Sources:\n"
        f"  [1] {SOURCE}\n",
    )


def test_reciprocity_into_nb_in_json_names_each_document() -> None:
    args = ["reciprocity", "--from", "NS", "--to", "NB", "--on", "2026-01-15", "--format", "json"]
    result = CliRunner().invoke(cli, args, env=WITH_A_HOME)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["headline"] == "NS → NB: a COR can be used through documents"
    assert [(f["check"], f["status"], f["confidence"]) for f in answer["findings"]] == [
        ("reciprocity.note", "info", "L"),
        ("reciprocity.documents", "info", "M"),
    ]
    assert answer["findings"][1]["required"] == {"items": REQUIRED}
    assert answer["standards"] == []


def test_nb_states_no_outbound_rule() -> None:
    args = ["reciprocity", "--from", "NB", "--to", "NS", "--on", "2026-01-15"]
    result = CliRunner().invoke(cli, args, env=WITH_A_HOME)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "NB → NS: no published rule; ask NS's certifying partner"
