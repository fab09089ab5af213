"""The Québec plugin installed alone: a jurisdiction file with a note and nothing else (no partners, no
sizing, no standard). ``corengine partners --province QC`` and ``corengine reciprocity`` print the note, with its
source, at confidence L (an absence): https://www.workhub.com/resources/blog/why-dont-all-provinces-have-cor/"""

from __future__ import annotations

import json

from click.testing import CliRunner

import corengine_quebec.plugin as plugin
from corengine import Engine
from corengine._cli.main import cli

ONLY_QC = {"CORENGINE_PLUGINS": "quebec", "COLUMNS": "10000"}
"""The installed plugin alone with the core, whatever else is installed."""
WITH_A_HOME = {"CORENGINE_PLUGINS": "national,nova_scotia,quebec", "COLUMNS": "10000"}
"""With a home jurisdiction to come from (Nova Scotia), for the reciprocity answer."""
SOURCE = "https://www.workhub.com/resources/blog/why-dont-all-provinces-have-cor/"
NOTE = (
    "no COR program is known for QC: no certifying partner and no member of the Canadian Federation of Construction Safety Associations was found for Québec"
    ", so corengine has no rules, partners or standard for it"
)


def test_the_jurisdiction_is_a_note_and_nothing_else() -> None:
    engine = Engine(plugins=[plugin], load_entrypoints=False, environ={})
    (_, jurisdiction) = engine.jurisdictions()["QC"]
    assert engine.sources() == {}
    assert (jurisdiction.code, jurisdiction.name) == ("QC", "Québec — no COR program known")
    assert (jurisdiction.partners, jurisdiction.eligibility, jurisdiction.reciprocity, jurisdiction.baseline) == (
        (),
        (),
        (),
        None,
    )
    assert jurisdiction.note is not None
    assert (jurisdiction.note.text, jurisdiction.note.confidence, jurisdiction.note.reference) == (NOTE, "L", (SOURCE,))


def test_the_installed_plugin_checks_clean_alone() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "quebec"], env=ONLY_QC)
    assert (result.exit_code, result.output) == (0, "quebec: 0 standards and 1 data file checked, clean\n")


def test_the_installed_plugin_checks_clean_in_json() -> None:
    result = CliRunner().invoke(cli, ["plugin", "check", "quebec", "--format", "json"], env=ONLY_QC)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["clean"], report["problems"], report["warnings"]) == (True, [], [])


def test_partners_prints_the_note_exactly() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "QC"], env=ONLY_QC)
    assert (result.exit_code, result.output) == (0, f"QC: {NOTE}\n  source: {SOURCE}\n")


def test_partners_in_lower_case_prints_the_same_note() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "qc"], env=ONLY_QC)
    assert (result.exit_code, result.output) == (0, f"QC: {NOTE}\n  source: {SOURCE}\n")


def test_partners_in_json_lists_no_partner() -> None:
    result = CliRunner().invoke(cli, ["partners", "--province", "QC", "--format", "json"], env=ONLY_QC)
    assert (result.exit_code, json.loads(result.output)) == (0, [])


def test_reciprocity_into_qc_prints_the_note_and_finds_no_rule() -> None:
    args = ["reciprocity", "--from", "NS", "--to", "QC", "--on", "2026-01-15"]
    result = CliRunner().invoke(cli, args, env=WITH_A_HOME)
    assert (result.exit_code, result.output) == (
        0,
        "NS → QC: no published rule; QC has no known partner\n"
        "Reasons:\n"
        f"  info  {NOTE} (reciprocity.note; quebec; confidence L) [1]\n"
        "  info  no published rule was found on how QC treats a COR from NS: QC has no known partner to ask "
        "(reciprocity.unknown; corengine; confidence L)\n"
        "Sources:\n"
        f"  [1] {SOURCE}\n",
    )
