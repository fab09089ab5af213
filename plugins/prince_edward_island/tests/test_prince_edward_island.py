"""The Prince Edward Island plugin installed alone: a jurisdiction file with a note and nothing else (no partners, no
sizing, no standard). ``corengine partners --province PE`` and ``corengine reciprocity`` print the note, with its
source, at confidence L (an absence): https://www.workhub.com/resources/blog/why-dont-all-provinces-have-cor/"""

from __future__ import annotations

import json

from click.testing import CliRunner

import corengine_prince_edward_island.plugin as plugin
from corengine import Engine
from corengine._cli.main import cli

ONLY_PE = {"CORENGINE_PLUGINS": "prince_edward_island", "COLUMNS": "10000"}
"""The installed plugin alone with the core, whatever else is installed."""
WITH_A_HOME = {"CORENGINE_PLUGINS": "national,nova_scotia,prince_edward_island", "COLUMNS": "10000"}
"""With a home jurisdiction to come from (Nova Scotia), for the reciprocity answer."""
SOURCE = "https://www.workhub.com/resources/blog/why-dont-all-provinces-have-cor/"
NOTE = (
    "no COR program is known for PE: no certifying partner and no member of the Canadian Federation of Construction Safety Associations was found for Prince Edward Island"
    ", so corengine has no rules, partners or standard for it"
)


def test_the_jurisdiction_is_a_note_and_nothing_else() -> None:
    engine = Engine(plugins=[plugin], load_entrypoints=False, environ={})
    (_, jurisdiction) = engine.jurisdictions()["PE"]
    assert engine.sources() == {}
    assert (jurisdiction.code, jurisdiction.name) == ("PE", "Prince Edward Island — no COR program known")
    assert (jurisdiction.partners, jurisdiction.eligibility, jurisdiction.reciprocity, jurisdiction.baseline) == (
        (),
        (),
        (),
        None,
    )
    assert jurisdiction.note is not None
    assert (jurisdiction.note.text, jurisdiction.note.confidence, jurisdiction.note.reference) == (NOTE, "L", (SOURCE,))


def test_the_installed_plugin_checks_clean_alone() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "prince_edward_island"], env=ONLY_PE)
    assert (result.exit_code, result.output) == (
        0,
        "prince_edward_island: 0 standards and 1 data file checked, clean\n",
    )


def test_the_installed_plugin_checks_clean_in_json() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "prince_edward_island", "--format", "json"], env=ONLY_PE)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["clean"], report["problems"], report["warnings"]) == (True, [], [])


def test_partners_prints_the_note_exactly() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "PE"], env=ONLY_PE)
    assert (result.exit_code, result.output) == (0, f"PE: {NOTE}\n  source: {SOURCE}\n")


def test_partners_in_lower_case_prints_the_same_note() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "pe"], env=ONLY_PE)
    assert (result.exit_code, result.output) == (0, f"PE: {NOTE}\n  source: {SOURCE}\n")


def test_partners_in_json_lists_no_partner() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "PE", "--format", "json"], env=ONLY_PE)
    assert (result.exit_code, json.loads(result.output)) == (0, [])


def test_reciprocity_into_pe_prints_the_note_and_finds_no_rule() -> None:
    args = ["reciprocity", "--from", "NS", "--to", "PE", "--on", "2026-01-15"]
    result = CliRunner().invoke(cli, args, env=WITH_A_HOME)
    assert (result.exit_code, result.output) == (
        0,
        "NS → PE: no published rule; PE has no known partner\n"
        "Reasons:\n"
        f"  info  {NOTE} (reciprocity.note; prince_edward_island; confidence L) [1]\n"
        "  info  no published rule was found on how PE treats a COR from NS: PE has no known partner to ask "
        "(reciprocity.unknown; corengine; confidence L)\n"
        "Sources:\n"
        f"  [1] {SOURCE}\n",
    )
