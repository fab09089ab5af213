"""Numeric, date and money options: NaN, infinities, exponents, numbers too large or negative and the forms an amount
may take get one clear message each (moved here from the tests of hostile reading)."""

from __future__ import annotations

from fractions import Fraction

import click
import pytest

from corengine._cli.params import AMOUNT, NON_NEGATIVE, ExactNumber
from tests.helpers import run

# --------------------------------------------------------------------------- options


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e308", "1e3", "0x10", ""])
def test_numeric_options_refuse_nan_infinity_and_exponents(value: str) -> None:
    result = run("eligibility", "--province", "AB", "--fte", value)
    assert result.exit_code == 2
    assert f"Invalid value for '--fte': expected a number such as 41.5, not {value!r}" in result.stderr
    assert "Traceback" not in result.output


def test_numeric_options_refuse_numbers_too_large_or_negative() -> None:
    result = run("eligibility", "--province", "AB", "--fte", "1" * 16)
    assert "expected a number with at most 15 digits before the decimal point" in result.stderr
    result = run("eligibility", "--province", "AB", "--fte", "-1")
    assert "Invalid value for '--fte': expected a number of 0 or more, not '-1'" in result.stderr
    result = run("eligibility", "--province", "AB", "--employees", "9" * 5000)
    assert result.exit_code == 2 and "Invalid value for '--employees'" in result.stderr
    result = run("eligibility", "--province", "AB", "--employees", "5", "--on", "0001-01-01")
    assert "Invalid value for '--on': expected a date in the years 1900 to 2999, not '0001-01-01'" in result.stderr


def test_the_exact_number_type() -> None:
    assert NON_NEGATIVE.convert("41.5", None, None) == Fraction(83, 2)
    assert NON_NEGATIVE.convert(0.0, None, None) == 0  # a default given as a number
    assert ExactNumber().convert("-3.25", None, None) == Fraction(-13, 4)
    assert AMOUNT.convert("$1,250,000.10", None, None) == Fraction(12500001, 10)
    for bad in ("1,2,3", "$", "1,000.", "12,34", "$-5", "1 000"):
        with pytest.raises(click.BadParameter):
            AMOUNT.convert(bad, None, None)
    with pytest.raises(click.BadParameter, match="expected a number of at most 100"):
        ExactNumber(max=100).convert("100.5", None, None)


MONEY = ["120000", "120,000", "$120,000.00", "120000.0"]


@pytest.mark.parametrize(
    "command",
    [
        ["pir-refund", "--format", "json", "--premium"],
        ["bc-incentive", "--base-rate", "2.5", "--format", "json", "--payroll"],
    ],
    ids=["pir-refund", "bc-incentive"],
)
def test_money_options_read_the_same_forms_everywhere(command: list[str]) -> None:
    outputs = set()
    for amount in MONEY:
        result = run(*command, amount, env={})
        assert result.exit_code == 0, result.output
        outputs.add(result.stdout)
    assert len(outputs) == 1
    option = command[-1]
    for bad in ("nan", "inf", "1e308", "lots"):
        result = run(*command, bad, env={})
        assert result.exit_code == 2
        assert (
            f"Invalid value for '{option}': expected an amount such as 120000, 120,000 or $120,000.00, not {bad!r}"
            in result.stderr
        )
    result = run(*command, "-5", env={})
    assert f"Invalid value for '{option}': expected an amount of 0 or more, not '-5'" in result.stderr


@pytest.mark.parametrize("option", ["--improvement", "--leadership"])
def test_pir_refund_percentages_refuse_nan_and_infinity(option: str) -> None:
    for bad in ("nan", "inf", "1e308"):
        result = run("pir-refund", "--premium", "1000", option, bad, env={})
        assert result.exit_code == 2
        assert f"Invalid value for '{option}': expected a number such as 41.5, not {bad!r}" in result.stderr
