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
