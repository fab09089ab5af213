"""Invariants of the COR incentive, over many payrolls and rates (Hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from corengine._cli.main import cli
from corengine_bc.incentive import cents, estimate, money

dollars = st.integers(min_value=0, max_value=10**10).map(lambda c: Fraction(c, 100))
rates = st.integers(min_value=0, max_value=10**5).map(lambda c: Fraction(c, 10**4))


@given(dollars, rates)
def test_above_a_ten_thousand_dollar_base_an_employer_gets_exactly_a_tenth_of_it(
    payroll: Fraction, rate: Fraction
) -> None:
    result = estimate(payroll, rate)
    assert result.base_assessment == payroll * rate / 100
    if result.base_assessment > 10000:
        assert result.incentive == result.base_assessment / 10
        assert not result.small


@given(dollars, rates)
def test_the_amounts_choose_the_band_for_every_employer(payroll: Fraction, rate: Fraction) -> None:
    result = estimate(payroll, rate)
    base = result.base_assessment
    assert result.incentive >= 0
    assert result.incentive >= min(base / 10, Fraction(1000)) or base < 1334
    assert result.incentive <= max(base / 10, Fraction(1000))
    assert result.incentive <= base * Fraction(3, 4) or base >= 1334
    assert result.small == (base <= 10000)


@given(dollars, dollars, rates)
def test_more_payroll_never_lowers_the_incentive(a: Fraction, b: Fraction, rate: Fraction) -> None:
    low, high = sorted((a, b))
    assert estimate(low, rate).incentive <= estimate(high, rate).incentive


@given(dollars, rates, st.sampled_from(["unpaid-balance", "claim-suppression", "other-misconduct"]))
def test_a_disqualifier_always_zeroes_the_incentive_but_shows_what_was_lost(
    payroll: Fraction, rate: Fraction, reason: str
) -> None:
    result = estimate(payroll, rate, disqualifiers=(reason,))
    assert result.incentive == 0 and not result.eligible
    assert result.computed == estimate(payroll, rate).incentive
    assert any(f.check == "bc-incentive.disqualifier" and f.passed is False for f in result.findings)


def test_money_is_rounded_half_up_to_the_cent() -> None:
    assert money(Fraction(1691357886, 10**7)) == "$169.14"
    assert money(Fraction(1005, 1000)) == "$1.01"
    assert str(cents(Fraction(400016))) == "400016.00"


def test_the_year_after_the_cor_year_is_when_it_is_paid() -> None:
    assert estimate(Fraction(1000), Fraction(2), year=2025).paid_in == 2026


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"disqualifiers": ("late-filing",)}, "unknown disqualifier"),
        ({"assessment": Fraction(-1)}, "must be >= 0"),
    ],
)
def test_bad_inputs_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        estimate(Fraction(1000), Fraction(2), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("1333.99", "total assessment below $1,334 - 75% of it, at most $1,000"),
        ("1334", "total assessment of $1,334 or more, base assessment up to $10,000 - a flat $1,000"),
    ],
)
def test_the_total_assessment_boundary_is_1334_dollars(total: str, band: str) -> None:
    # bcforestsafe.org cor_rebates page (confidence M): under $1,334 total -> 75%; from $1,334 -> $1,000
    result = estimate(Fraction(5000), Fraction(1), assessment=Fraction(total))
    assert result.band == band and result.small


@pytest.mark.parametrize(
    ("payroll", "small", "incentive"), [("400000", True, "1000"), ("400000.40", False, "1000.001")]
)
def test_the_base_assessment_boundary_is_10000_dollars(payroll: str, small: bool, incentive: str) -> None:
    # bcforestsafe.org cor_rebates page (confidence M): up to a $10,000 base -> $1,000; above it -> 10% of the base
    result = estimate(Fraction(payroll), Fraction("2.5"))
    assert result.small is small
    assert result.incentive == Fraction(incentive)


def test_the_deprecated_small_argument_warns_and_changes_nothing() -> None:
    with pytest.warns(DeprecationWarning, match="small=.* is deprecated and has no effect"):
        flagged = estimate(Fraction(1000000), Fraction("2.5"), small=True)
    assert flagged == estimate(Fraction(1000000), Fraction("2.5"))
    assert flagged.incentive == 2500 and not flagged.small


def test_the_deprecated_small_flag_writes_its_note_to_stderr_and_changes_nothing() -> None:
    args = ["bc-incentive", "--payroll", "1000000", "--base-rate", "2.5", "--format", "json"]
    plain, flagged = CliRunner().invoke(cli, args), CliRunner().invoke(cli, [*args, "--small"])
    assert plain.exit_code == flagged.exit_code == 0
    assert flagged.stdout == plain.stdout
    assert "--small is deprecated and has no effect" in flagged.stderr
    assert "base assessment above $10,000 - 10% of it" in flagged.stderr
    assert "deprecated" not in plain.stderr
