"""The PIR refund estimate in isolation: exact fractions, cents only for display."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from corengine_alberta.plugin import refund_rules
from corengine_alberta.refund import cents, estimate


@pytest.mark.parametrize(
    ("program", "year", "improvement", "leadership", "percent", "measure"),
    [
        ("COR", 1, 0, 0, 10, "cor"),
        ("COR", 2, 0, 0, 5, "cor"),
        ("COR", 2, 12, 0, 12, "improvement"),
        ("COR", 1, 35, 0, 20, "improvement"),
        ("COR", 2, 3, 15, 15, "leadership"),
        ("COR", 2, 0, 30, 20, "leadership"),
        ("SECOR", 1, 0, 0, 5, "secor"),
        ("SECOR", 1, 8, 0, 8, "improvement"),
        ("COR", 1, -4, 0, 10, "cor"),
    ],
)
def test_the_highest_measure_applies_capped_at_twenty(
    program: str, year: int, improvement: int, leadership: int, percent: int, measure: str
) -> None:
    result = estimate(refund_rules(), Fraction(100000), program, year, Fraction(improvement), Fraction(leadership), "t")
    assert (result.percent, result.measure, result.refund) == (percent, measure, 1000 * percent)
    assert result.reasons[-1].check == "pir_refund.cap"


def test_cents_round_half_up() -> None:
    assert cents(Fraction(12345, 1000)) == Decimal("12.35")
    assert cents(Fraction(61728335, 100000)) == Decimal("617.28")


def test_the_refund_rules_carry_their_sources() -> None:
    rules = refund_rules()
    assert rules.cap == 20
    assert rules.confidence == "H"
    assert rules.reference[0].startswith("https://")


def test_the_first_year_rate_is_for_a_first_time_cor_holder_and_a_recertified_cor_gets_the_later_rate() -> None:
    # amhsa.net PIR process page (medium confidence): 10% for a first-time COR holder, 5% when recertifying.
    first = estimate(refund_rules(), Fraction(100000), "COR", 1, Fraction(0), Fraction(0), "t")
    again = estimate(refund_rules(), Fraction(100000), "COR", 1, Fraction(0), Fraction(0), "t", first_time=False)
    assert (first.percent, again.percent) == (10, 5)
    cor = next(f for f in again.reasons if f.check == "pir_refund.cor")
    assert cor.confidence == "M"
    assert cor.sources[0] == "https://amhsa.net/cor-auditing/about-pir-cor/pir-process"
    assert "recertified COR" in cor.message
