"""Text output that fits: the layout functions with exact strings, colour only where wanted, escaped input,
``--failures``, and the acceptance check that no text command prints a line wider than the width."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from corengine._cli.main import cli
from corengine._util.textlayout import (
    Layout,
    colour_wanted,
    column_widths,
    ellipsize,
    escape,
    output_width,
    style,
    table,
    wrap,
)
from corengine._views import render
from tests.helpers import DATA, EXAMPLES, TEST_STANDARD, bundled_engine, make_engine

AUDITS = sorted(EXAMPLES.glob("*.yaml"))
INDEXES = sorted((EXAMPLES / "evidence").glob("*-evidence-*"))
STANDARDS = [
    "ab-acsa-cor",
    "ab-acsa-secor",
    "ab-esc-cor",
    "ab-pir",
    "bc-bccsa-cor",
    "on-ihsa-cor2015",
    "on-ihsa-cor2020",
]
INDEX_STANDARD = {"alberta": "ab-acsa-cor", "bc": "bc-bccsa-cor", "ontario": "on-ihsa-cor2020"}
ON = "2025-06-30"  # a fixed date, so what is laid out does not change from day to day
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def invoke(args: list[str], columns: int | None = None, **env: str) -> Any:
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return CliRunner().invoke(cli, args, env=env)


def widest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


# --------------------------------------------------------------------------- the layout functions


def test_ellipsize_cuts_with_one_ellipsis_character_and_never_without() -> None:
    assert ellipsize("Hazard Control", 20) == "Hazard Control"
    assert ellipsize("Hazard Control", 14) == "Hazard Control"
    assert ellipsize("Hazard Control", 13) == "Hazard Contr…"
    assert ellipsize("Hazard Assessment", 8) == "Hazard…"  # the space before the cut is dropped
    assert ellipsize("Management", 1) == "…"
    assert ellipsize("Management", 0) == ""
    assert ellipsize("a\x1bb", 10) == "a\\x1bb"


def test_wrap_gives_a_hanging_indent() -> None:
    assert wrap("the quick brown fox jumps over the lazy dog", 20, "  - ", "    ") == [
        "  - the quick brown",
        "    fox jumps over",
        "    the lazy dog",
    ]
    assert wrap("fits", 20, "  ", "    ") == ["  fits"]
    assert wrap("", 20, "  - ", "    ") == ["  -"]


def test_wrap_breaks_a_url_longer_than_the_line_instead_of_overflowing() -> None:
    lines = wrap("https://example.org/a/very/long/path/that/does/not/fit", 30, "  [1] ", "      ")
    assert lines == ["  [1] https://example.org/a/ve", "      ry/long/path/that/does/n", "      ot/fit"]
    assert "".join(line.strip().removeprefix("[1] ") for line in lines) == (
        "https://example.org/a/very/long/path/that/does/not/fit"
    )


def test_wrap_keeps_hyphenated_ids_whole() -> None:
    assert wrap("standard ab-acsa-cor and on-ihsa-cor2020", 24) == ["standard ab-acsa-cor and", "on-ihsa-cor2020"]


ROWS = [
    ["Element", "Title", "Earned", "Percent"],
    ["1", "Management Leadership and Organizational Commitment", "68", "85.00%"],
    ["10", "Incident Investigation", "55", "91.67%"],
    ["", "Overall", "590", "85.51%"],
]


def test_a_table_that_fits_is_laid_out_whole() -> None:
    assert table(ROWS, 80, {2, 3}) == [
        "Element  Title                                                Earned  Percent",
        "-------  ---------------------------------------------------  ------  -------",
        "1        Management Leadership and Organizational Commitment      68   85.00%",
        "10       Incident Investigation                                   55   91.67%",
        "         Overall                                                 590   85.51%",
    ]


def test_a_table_too_wide_shrinks_its_widest_text_column_with_an_ellipsis() -> None:
    assert table(ROWS, 40, {2, 3}) == [
        "Element  Title           Earned  Percent",
        "-------  --------------  ------  -------",
        "1        Management Le…      68   85.00%",
        "10       Incident Inve…      55   91.67%",
        "         Overall            590   85.51%",
    ]


def test_a_very_narrow_table_narrows_its_gaps_and_never_cuts_a_number() -> None:
    assert column_widths(ROWS, 30, {2, 3}) == ([7, 7, 6, 7], " ")
    assert table(ROWS, 20, {2, 3}) == [
        "Ele… Tit… Ea… Perce…",
        "---- ---- --- ------",
        "1    Man…  68 85.00%",
        "10   Inc…  55 91.67%",
        "     Ove… 590 85.51%",
    ]


def test_table_cells_are_escaped_before_they_are_measured() -> None:
    assert table([["Name", "N"], ["a\x1b[2Jb", "1"]], 80, {1}) == ["Name       N", "---------  -", "a\\x1b[2Jb  1"]


def test_escape_shows_control_characters_and_turns_line_breaks_into_spaces() -> None:
    assert escape("Evil\x1b]0;title\x07 Co\r\n\tLtd\x7f\x9b") == "Evil\\x1b]0;title\\x07 Co\\x0d  Ltd\\x7f\\x9b"
    assert escape("Québec — “quoted” …") == "Québec — “quoted” …"


# --------------------------------------------------------------------------- width and colour


class FakeStream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_the_width_is_columns_when_valid_else_80_off_a_terminal() -> None:
    pipe = FakeStream(tty=False)
    assert output_width({"COLUMNS": "120"}, pipe) == 120
    assert output_width({"COLUMNS": " 100 "}, pipe) == 100
    assert output_width({}, pipe) == 80
    assert output_width({"COLUMNS": "wide"}, pipe) == 80
    assert output_width({"COLUMNS": "0"}, pipe) == 80
    assert output_width({"COLUMNS": "-5"}, pipe) == 80
    assert output_width({"COLUMNS": "5"}, pipe) == 20  # never narrower than MIN_WIDTH
    assert output_width({}, FakeStream(tty=True)) == 80  # a "terminal" whose size cannot be asked


@pytest.fixture
def terminal() -> Iterator[Any]:
    """A real pseudo-terminal 100 columns wide."""
    fcntl = pytest.importorskip("fcntl")
    termios = pytest.importorskip("termios")
    import struct

    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    with open(follower, "w", encoding="utf-8") as stream:
        yield stream
    os.close(leader)


def test_on_a_terminal_the_width_is_the_terminals_unless_columns_says_otherwise(terminal: Any) -> None:
    assert output_width({}, terminal) == 100
    assert output_width({"COLUMNS": "72"}, terminal) == 72


def test_colour_only_on_a_terminal_and_never_with_no_color(terminal: Any) -> None:
    assert colour_wanted({}, terminal) is True
    assert colour_wanted({"NO_COLOR": "1"}, terminal) is False
    assert colour_wanted({"NO_COLOR": ""}, terminal) is True  # no-color.org: set and not empty
    assert colour_wanted({}, FakeStream(tty=False)) is False


def test_style_colours_pass_fail_and_advisory_only_when_asked() -> None:
    assert style("PASS", "pass", colour=True) == "\x1b[32mPASS\x1b[0m"
    assert style("FAIL", "fail", colour=True) == "\x1b[31mFAIL\x1b[0m"
    assert style("ADVISORY", "advisory", colour=True) == "\x1b[33mADVISORY\x1b[0m"
    assert style("info", "info", colour=True) == "info"
    assert style("FAIL", "fail", colour=False) == "FAIL"
    assert style("FAIL", "fail") == "FAIL"  # asks the environment: pytest's stdout is no terminal
    assert style("x\x1b[2J", "fail", colour=True) == "\x1b[31mx\\x1b[2J\x1b[0m"


def test_forced_colour_marks_the_findings_and_the_verdict_and_changes_nothing_else() -> None:
    engine = make_engine()
    result = engine.score(engine.load_audit(DATA / "audit-basic.yaml"))
    plain = render.result_text(result, Layout(80, colour=False))
    coloured = render.result_text(result, Layout(80, colour=True))
    assert "\x1b" not in plain
    assert "Outcome: \x1b[31mNOT PASSED\x1b[0m" in coloured
    assert "  \x1b[31mFAIL\x1b[0m  overall 78.57% is below the 80% minimum" in coloured
    assert "  \x1b[32mPASS\x1b[0m  all required verification methods were used" in coloured
    assert ANSI.sub("", coloured) == plain


def test_colour_is_off_under_clirunner_and_with_no_color() -> None:
    args = ["score", str(EXAMPLES / "ontario-internal-fail.yaml")]
    assert "\x1b" not in invoke(args).output
    assert "\x1b" not in invoke(args, NO_COLOR="1").output


def test_a_control_character_in_an_employer_name_is_shown_escaped(tmp_path: Path) -> None:
    data = yaml.safe_load((DATA / "audit-basic.yaml").read_text(encoding="utf-8"))
    data["employer"]["name"] = "Evil\x1b[2J\x1b]0;owned\x07 Co"
    audit = tmp_path / "audit.yaml"
    audit.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    isolated = {"CORENGINE_DISABLE_PLUGINS": "alberta,ontario,bc"}
    for command in ("score", "explain"):
        result = invoke([command, str(audit), "--standard-file", str(TEST_STANDARD)], **isolated)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "Evil\\x1b[2J\\x1b]0;owned\\x07 Co" in result.output


# --------------------------------------------------------------------------- --failures


def test_failures_keeps_the_failing_and_advisory_findings_and_counts_the_rest() -> None:
    audit = str(EXAMPLES / "ontario-internal-fail.yaml")
    reasons = json.loads(invoke(["score", audit, "--format", "json"]).output)["outcome"]["reasons"]
    kept = sum(r["status"] in ("fail", "advisory") for r in reasons)
    assert kept > 0
    out = invoke(["score", audit, "--failures"]).output
    assert "Element  Title" in out and "Outcome: PASSED subject to" in out  # the table and the outcome stay
    assert out.count("  ADVISORY  ") + out.count("  FAIL  ") == kept
    assert "  PASS  " not in out and "  info  " not in out
    hidden = len(reasons) - kept
    assert f"  {hidden} passing and informational findings hidden; drop --failures to see them\n" in out


def test_failures_on_a_clean_audit_says_so() -> None:
    out = invoke(["score", str(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"), "--failures"]).output
    assert "  no failing or advisory findings\n" in out
    assert "passing and informational findings hidden; drop --failures to see them" in out
    assert "Sources:" not in out  # no finding shown, so no source cited


def test_failures_works_on_eligibility_cycle_and_explain() -> None:
    eligibility = invoke(["eligibility", "--province", "BC", "--employees", "12", "--on", ON, "--failures"]).output
    assert "  FAIL  " not in eligibility and "  PASS  " not in eligibility  # Large does not apply: no failure
    assert "hidden; drop --failures to see them" in eligibility
    assert eligibility.endswith("  Not shown: the size band of Large (the employer is in another band)\n")
    nowhere = invoke(["eligibility", "--province", "BC", "--fte", "-1", "--on", ON, "--failures"])
    assert nowhere.exit_code == 2  # a size no band fits is refused before any band is judged
    audit = str(EXAMPLES / "alberta-esc-cor-recertification.yaml")
    cycle = invoke(["cycle", audit, "--on", "2026-11-26", "--failures"]).output
    assert "  FAIL  no maintenance audit by 2026-03-31" in cycle and "  info  " not in cycle
    explain = invoke(["explain", str(EXAMPLES / "ontario-internal-fail.yaml"), "--failures"]).output
    assert "  ADVISORY  " in explain and "  PASS  " not in explain
    assert "Element 9 Workplace Inspections" in explain  # the derivation itself is all there


def test_failures_leaves_json_alone() -> None:
    audit = str(EXAMPLES / "ontario-internal-fail.yaml")
    assert invoke(["score", audit, "--format", "json", "--failures"]).output == (
        invoke(["score", audit, "--format", "json"]).output
    )


# --------------------------------------------------------------------------- the acceptance check


def cases() -> Iterator[Any]:
    for audit in AUDITS:
        for command in (["score"], ["score", "--failures"], ["plan"], ["explain"], ["cycle", "--on", ON]):
            yield pytest.param([*command, str(audit)], id=f"{' '.join(command[:2])}-{audit.stem}")
        for standard in INDEX_STANDARD.values():  # one target standard per province
            yield pytest.param(["crosswalk", str(audit), "--to", standard], id=f"crosswalk-{audit.stem}-{standard}")
    for index in INDEXES:
        standard = INDEX_STANDARD[index.name.split("-")[0]]
        yield pytest.param(["readiness", standard, str(index)], id=f"readiness-{index.name}")
    for standard in STANDARDS:
        yield pytest.param(["show", standard], id=f"show-{standard}")
        yield pytest.param(["show", standard, "--on", "2021-06-01"], id=f"show-{standard}-2021")
        yield pytest.param(["map", standard], id=f"map-{standard}")
        for workers, sites in (("12", "2"), ("250", "9")):
            args = ["sample", "--standard", standard, "--workers", workers, "--sites", sites, "--on", ON]
            yield pytest.param(args, id=f"sample-{standard}-{workers}")
    yield pytest.param(["map", "on-ihsa-cor2020", "--vocabulary"], id="map-vocabulary")
    yield pytest.param(["standards"], id="standards")
    yield pytest.param(["plugins"], id="plugins")
    yield pytest.param(["partners"], id="partners")
    for province in ("AB", "BC", "ON"):
        for employees in ("8", "45", "300"):
            args = ["eligibility", "--province", province, "--employees", employees, "--records-months", "6"]
            yield pytest.param([*args, "--on", ON], id=f"eligibility-{province}-{employees}")
    yield pytest.param(["pir-refund", "--premium", "12345.67", "--improvement", "25"], id="pir-refund")
    yield pytest.param(["bc-incentive", "--payroll", "1250000", "--base-rate", "2.37"], id="bc-incentive")


def test_the_standards_listed_here_are_the_ones_installed() -> None:
    assert sorted(bundled_engine().sources()) == STANDARDS


@pytest.mark.parametrize("args", list(cases()))
def test_no_line_of_text_output_is_wider_than_80_columns(args: list[str]) -> None:
    result = invoke(args, columns=80)
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    assert [line for line in result.output.splitlines() if len(line) > 80] == []


NARROW_AND_WIDE = [
    ["score", str(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml")],
    ["show", "ab-acsa-cor"],
    ["partners"],
    ["readiness", "ab-acsa-cor", str(EXAMPLES / "evidence" / "alberta-evidence-partial.yaml")],
    ["eligibility", "--province", "BC", "--employees", "12", "--on", ON],
    ["plan", str(EXAMPLES / "ontario-internal-fail.yaml")],
]


@pytest.mark.parametrize("args", NARROW_AND_WIDE, ids=lambda args: args[0])
@pytest.mark.parametrize("columns", [40, 120])
def test_text_output_follows_columns(args: list[str], columns: int) -> None:
    result = invoke(args, columns=columns)
    assert result.exit_code == 0, result.output
    assert widest(result.output) <= columns
    if columns > 80:
        assert widest(result.output) > 80  # the room is used, not only respected


def test_without_columns_text_output_is_80_wide_under_a_test_runner() -> None:
    assert "COLUMNS" not in os.environ  # tests/conftest.py removes it: no test sees the developer's terminal
    out = invoke(["score", str(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml")]).output
    assert widest(out) == 80


def test_long_titles_end_in_an_ellipsis_and_sources_are_numbered_once() -> None:
    out = invoke(["score", str(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml")], columns=80).output
    assert "1        Management Leadership and O…      68         80   85.00%      50%  yes" in out
    sources = out.split("Sources:\n")[1].split("Readings")[0]
    assert sources.splitlines()[0] == "  [1] https://amta.ca/what-we-do/cor/2023-certificate-of-recognition-audit-plan/"
    assert out.count("https://amta.ca/what-we-do/cor/2023-certificate-of-recognition-audit-plan/") == 1


def test_plan_notes_are_never_cut_and_partners_industries_end_in_an_ellipsis() -> None:
    plan = invoke(["plan", str(EXAMPLES / "ontario-internal-fail.yaml")], columns=80).output
    assert (
        "  10.1.2  procedure names the Ministry but not the union or the written-report\n          deadline\n" in plan
    )
    partners = invoke(["partners", "--province", "BC"], columns=80).output
    assert "construction, aggregate and ready-mix (s\n" not in partners
    assert re.search(r"BCCSA .*…", partners)
