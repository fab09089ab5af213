"""Invariants of the COR incentive, over many payrolls and rates (Hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corengine_bc.incentive import cents, estimate, money

dollars = st.integers(min_value=0, max_value=10**10).map(lambda c: Fraction(c, 100))
rates = st.integers(min_value=0, max_value=10**5).map(lambda c: Fraction(c, 10**4))


@given(dollars, rates)
def test_a_large_employer_gets_exactly_a_tenth_of_its_base_assessment(payroll: Fraction, rate: Fraction) -> None:
    result = estimate(payroll, rate)
    assert result.base_assessment == payroll * rate / 100
    assert result.incentive == result.base_assessment / 10


@given(dollars, rates)
def test_a_small_employer_gets_at_least_the_large_formula_up_to_a_thousand(payroll: Fraction, rate: Fraction) -> None:
    result = estimate(payroll, rate, small=True)
    base = result.base_assessment
    assert result.incentive >= 0
    assert result.incentive >= min(base / 10, Fraction(1000)) or base < 1334
    assert result.incentive <= max(base / 10, Fraction(1000))
    assert result.incentive <= base * Fraction(3, 4) or base >= 1334


@given(dollars, dollars, rates)
def test_more_payroll_never_lowers_a_small_employers_incentive(a: Fraction, b: Fraction, rate: Fraction) -> None:
    low, high = sorted((a, b))
    assert estimate(low, rate, small=True).incentive <= estimate(high, rate, small=True).incentive


@given(dollars, rates, st.sampled_from(["unpaid-balance", "claim-suppression", "other-misconduct"]))
def test_a_disqualifier_always_zeroes_the_incentive_but_shows_what_was_lost(
    payroll: Fraction, rate: Fraction, reason: str
) -> None:
    result = estimate(payroll, rate, disqualifiers=(reason,))
    assert result.incentive == 0 and not result.eligible
    assert result.computed == result.base_assessment / 10
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
