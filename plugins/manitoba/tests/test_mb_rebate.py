"""The Prevention Rebate estimate (`corengine mb-rebate`): the greater of 15% of the premium or $3,000, capped at
75% of the premium, when all six conditions hold. Source (confidence H):
https://www.safemanitoba.com/safe-work-certified/Pages/Prevention-Rebate.aspx"""

from __future__ import annotations

import datetime as dt
import json
import re
from fractions import Fraction

import pytest
from click.testing import CliRunner

from corengine._cli.main import cli
from corengine_manitoba.rebate import estimate, money

ALONE = {"CORENGINE_PLUGINS": "national,manitoba", "COLUMNS": "10000"}
PAGE = ("https://www.safemanitoba.com/safe-work-certified/Pages/Prevention-Rebate.aspx",)
ON = dt.date(2026, 6, 1)
CONDITIONS = (
    "not-under-review",
    "audit-submitted",
    "period-complete",
    "no-penalties",
    "active-account",
    "payroll-reported",
)
ALL_MET = [f"--{c}" for c in CONDITIONS]
EVERY = dict.fromkeys(CONDITIONS, True)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["mb-rebate", *args], env=ALONE, prog_name="corengine")
    return result.exit_code, result.output


def numbers(result_findings: object) -> list[tuple[str, str, str]]:
    return [(f.check, f.status, f.message) for f in result_findings]  # type: ignore[attr-defined]


def test_fifteen_percent_of_a_50000_premium_is_7500() -> None:
    result = estimate(Fraction(50000), EVERY, ON)
    assert (result.share, result.cap, result.computed, str(result.payable), result.eligible) == (
        7500,
        37500,
        7500,
        "7500.00",
        True,
    )
    assert numbers(result.findings[:3]) == [
        ("mb-rebate.percent", "info", "15% of the premium $50,000.00 = $7,500.00"),
        ("mb-rebate.minimum", "info", "the greater of that and the $3,000.00 minimum: $7,500.00"),
        ("mb-rebate.cap", "info", "capped at 75% of the premium, $37,500.00: $7,500.00"),
    ]
    assert numbers(result.findings[-1:]) == [
        (
            "mb-rebate.rebate",
            "pass",
            "rebate $7,500.00, every condition met; estimate; SAFE Work Manitoba decides",
        )
    ]
    assert {(f.sources, f.plugin, f.rule_version) for f in result.findings} == {(PAGE, "manitoba", dt.date(2023, 1, 1))}
    assert [f.confidence for f in result.findings if f.check == "mb-rebate.rounding"] == ["L"]


def test_a_10000_premium_gets_the_3000_minimum_below_the_7500_cap() -> None:
    result = estimate(Fraction(10000), EVERY, ON)
    assert (result.share, result.cap, str(result.payable)) == (1500, 7500, "3000.00")
    assert numbers(result.findings[1:3]) == [
        ("mb-rebate.minimum", "info", "the greater of that and the $3,000.00 minimum: $3,000.00 (the minimum applies)"),
        ("mb-rebate.cap", "info", "capped at 75% of the premium, $7,500.00: $3,000.00"),
    ]


def test_a_3600_premium_is_capped_at_75_percent_2700_below_the_minimum() -> None:
    result = estimate(Fraction(3600), EVERY, ON)
    assert (result.share, result.cap, str(result.payable)) == (540, 2700, "2700.00")
    assert numbers(result.findings[1:3]) == [
        ("mb-rebate.minimum", "info", "the greater of that and the $3,000.00 minimum: $3,000.00 (the minimum applies)"),
        ("mb-rebate.cap", "info", "capped at 75% of the premium, $2,700.00: $2,700.00 (the cap applies)"),
    ]


def test_a_condition_not_met_means_no_rebate_and_says_which() -> None:
    result = estimate(Fraction(50000), {**EVERY, "no-penalties": False}, ON)
    assert (result.rebate, str(result.payable), result.computed, result.eligible) == (0, "0.00", 7500, False)
    conditions = [(f.subject, f.status, f.message) for f in result.findings if f.check == "mb-rebate.condition"]
    assert conditions[3] == (
        "no-penalties",
        "fail",
        "not met: no administrative penalties or convictions (--penalties): no rebate",
    )
    assert [status for _, status, _ in conditions] == ["pass", "pass", "pass", "fail", "pass", "pass"]
    assert numbers(result.findings[-1:]) == [
        (
            "mb-rebate.rebate",
            "fail",
            "rebate $0.00: 1 condition(s) not met (if every condition were met: $7,500.00); estimate; SAFE Work Manitoba decides",
        )
    ]


def test_a_condition_not_stated_is_an_advisory_naming_its_flag_never_assumed() -> None:
    result = estimate(Fraction(50000), {c: True for c in CONDITIONS if c != "no-penalties"}, ON)
    assert result.eligible is None and str(result.payable) == "7500.00"
    (unstated,) = [f for f in result.findings if f.status == "advisory" and f.check == "mb-rebate.condition"]
    assert (unstated.subject, unstated.message) == (
        "no-penalties",
        "not stated: --no-penalties to confirm no administrative penalties or convictions (--penalties if not)",
    )
    assert result.findings[-1].status == "advisory"
    assert result.findings[-1].message == (
        "rebate $7,500.00 if the 1 condition(s) not stated hold; estimate; SAFE Work Manitoba decides"
    )
    nothing = estimate(Fraction(50000), on=ON)
    assert [f.status for f in nothing.findings if f.check == "mb-rebate.condition"] == ["advisory"] * 6


def test_the_rebate_is_exact_until_rounded_half_up_to_the_cent() -> None:
    result = estimate(Fraction("23456.79"), EVERY, ON)  # 15% = 3518.5185
    assert (result.rebate, str(result.payable)) == (Fraction("3518.5185"), "3518.52")
    assert money(Fraction("0.005")) == "$0.01"
    rounding = next(f for f in result.findings if f.check == "mb-rebate.rounding")
    assert rounding.message == "the source gives no rounding; the rebate is rounded half up to the cent"
    assert rounding.measured is not None and rounding.measured.text == "exact 3518.5185"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"premium": Fraction(-1)}, ValueError, "the premium must be >= 0"),
        ({"stated": {"late-filing": True}}, ValueError, "unknown condition(s) late-filing (known: not-under-review, "),
        (
            {"on": dt.date(2022, 12, 31)},
            LookupError,
            "no Prevention Rebate rules in force on 2022-12-31: the data starts on 2023-01-01",
        ),
    ],
)
def test_bad_inputs_are_refused(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    args: dict[str, object] = {"premium": Fraction(1000), "on": ON, **kwargs}
    with pytest.raises(error, match=re.escape(message)):
        estimate(**args)  # type: ignore[arg-type]


def test_the_text_answer_gives_the_numbers_and_every_reason() -> None:
    code, output = run("--premium", "$50,000", "--on", "2026-06-01", *ALL_MET)
    assert code == 0
    assert output.splitlines()[:6] == [
        "Manitoba Prevention Rebate estimate (rules from 2023-01-01)",
        "  premium:     $50,000.00",
        "  rebate:      $7,500.00",
        "  conditions:  6 met, 0 not met, 0 not stated",
        "  note:        estimate; SAFE Work Manitoba decides",
        "Reasons:",
    ]
    assert "PASS  met: the employer is not under review (--not-under-review)" in output
    assert output.endswith(f"Sources:\n  [1] {PAGE[0]}\n")


def test_the_json_answer_equals_the_text_answers_numbers() -> None:
    for premium in ("50000", "10000", "3600", "23456.79"):
        _, text = run("--premium", premium, "--on", "2026-06-01", *ALL_MET)
        code, out = run("--premium", premium, "--on", "2026-06-01", *ALL_MET, "--format", "json")
        data = json.loads(out)
        assert code == 0
        shown = re.search(r"rebate: +\$([0-9,.]+)", text)
        assert shown is not None and shown.group(1).replace(",", "") == data["rebate"]
        assert [f["message"] for f in data["findings"]] == [
            line.split("  ", 2)[2].split(" (mb-rebate.")[0]
            for line in text.splitlines()
            if re.match(r"  (info|PASS|FAIL|ADVISORY) ", line)
        ]
    assert {k: data[k] for k in ("format", "rules_from", "premium", "share", "minimum", "cap", "rebate")} == {
        "format": "corengine-manitoba.rebate/1",
        "rules_from": "2023-01-01",
        "premium": "23456.79",
        "share": "3518.52",
        "minimum": "3000.00",
        "cap": "17592.59",
        "rebate": "3518.52",
    }
    assert (data["rebate_exact"], data["eligible"], data["note"]) == (
        "3518.5185",
        True,
        "estimate; SAFE Work Manitoba decides",
    )


def test_the_json_answer_states_each_condition() -> None:
    code, out = run("--premium", "50000", "--on", "2026-06-01", "--audit-submitted", "--penalties", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert (data["eligible"], data["rebate"], data["computed"]) == (False, "0.00", "7500.00")
    assert data["conditions"] == {
        "not-under-review": "not stated",
        "audit-submitted": "met",
        "period-complete": "not stated",
        "no-penalties": "not met",
        "active-account": "not stated",
        "payroll-reported": "not stated",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--premium", "-5"], "Invalid value for '--premium'"),
        (["--premium", "5000", "--on", "2026-13-01"], "expected a date as YYYY-MM-DD that exists, not '2026-13-01'"),
        (
            ["--premium", "5000", "--on", "2020-01-01"],
            "no Prevention Rebate rules in force on 2020-01-01: the data starts on 2023-01-01",
        ),
        ([], "Missing option '--premium'"),
    ],
)
def test_bad_command_lines_get_one_message_and_exit_2(args: list[str], message: str) -> None:
    code, output = run(*args)
    assert code == 2 and message in output and "Traceback" not in output


def test_the_help_names_every_condition_flag_pair() -> None:
    code, output = run("--help")
    assert code == 0
    assert output.startswith(
        "Usage: corengine mb-rebate [OPTIONS]\n\n  Estimate SAFE Work Manitoba's Prevention Rebate: the greater of 15%"
    )
    for pair in (
        "--not-under-review / --under-review",
        "--audit-submitted / --no-audit-submitted",
        "--period-complete / --period-incomplete",
        "--no-penalties / --penalties",
        "--active-account / --inactive-account",
        "--payroll-reported / --payroll-not-reported",
        "--premium AMOUNT",
        "--on DATE",
        "--format [text|json]",
    ):
        assert pair in output


def test_the_core_help_lists_the_command_with_its_short_help() -> None:
    # plugin commands come from corengine_register_commands, as BC's bc-incentive does (no core list to extend)
    result = CliRunner().invoke(cli, ["--help"], env=ALONE, prog_name="corengine")
    assert result.exit_code == 0
    assert "  mb-rebate    Estimate SAFE Work Manitoba's Prevention Rebate: the greater...\n" in result.output
