"""Money as the incentive and rebate estimates show it: exact fractions throughout, rounded to the cent only to be
shown or paid (:func:`cents`), the way the data's :class:`~corengine.model.MoneyRounding` says."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

from corengine._rules.scoring import round_to

CENT = Fraction(1, 100)


def cents(value: Fraction, mode: str = "half_up") -> Decimal:
    """``value`` rounded to the cent (half up unless ``mode`` says otherwise), as an exact decimal."""
    rounded = round_to(value, CENT, mode)
    return Decimal(int(rounded * 100)).scaleb(-2)


def money(value: Fraction) -> str:
    """``$1,234.57``: rounded half up to the cent."""
    return f"${cents(value):,.2f}"


def exact_decimal(value: Fraction) -> str:
    """An exact decimal such as ``1851.8505`` (amounts come from decimal text, so they terminate)."""
    with localcontext(prec=60):
        return format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f")
