"""Click parameter types shared by the core's commands and the plugins' ones, so an option means the same
everywhere: numbers are exact (never a float), finite and of a sensible size, and money is written the way
people write it (``120000``, ``120,000``, ``$120,000.00``).

A plugin uses them like any click type::

    from corengine.plugin import AMOUNT, ExactNumber

    @click.option("--premium", type=AMOUNT, required=True)
    @click.option("--improvement", type=ExactNumber(), default="0")
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import click
from click.decorators import FC

from corengine.model.validators import MAX_DECIMALS, MAX_WHOLE_DIGITS

if TYPE_CHECKING:
    _NumberType = click.ParamType[Fraction]
else:  # click before 8.4 has no generic ParamType
    _NumberType = click.ParamType

_PLAIN = re.compile(r"([-+]?)([0-9]+)(?:\.([0-9]+))?")
_MONEY = re.compile(r"([-+]?)\$?((?:[0-9]{1,3}(?:,[0-9]{3})+)|[0-9]+)(?:\.([0-9]+))?")


class ExactNumber(_NumberType):
    """A decimal number as an exact :class:`~fractions.Fraction`, within ``min`` and ``max`` when given.

    Only digits with an optional sign and decimal point are read (``money`` also takes a leading ``$`` and
    thousands separators): ``nan``, ``inf``, exponents such as ``1e308``, more than
    :data:`~corengine.model.validators.MAX_WHOLE_DIGITS` digits before the point or
    :data:`~corengine.model.validators.MAX_DECIMALS` after it are refused with a message naming the option.
    """

    def __init__(
        self, min: Fraction | int | None = None, max: Fraction | int | None = None, money: bool = False
    ) -> None:
        self.min = None if min is None else Fraction(min)
        self.max = None if max is None else Fraction(max)
        self.money = money
        self.name = "amount" if money else "number"

    def _example(self) -> str:
        return "an amount such as 120000, 120,000 or $120,000.00" if self.money else "a number such as 41.5"

    def _kind(self) -> str:
        return "an amount" if self.money else "a number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Fraction:
        if isinstance(value, Fraction):
            number = value
        else:
            if isinstance(value, int | float) and not isinstance(value, bool):  # a default given as a number
                value = repr(value)
            if not isinstance(value, str):
                self.fail(f"expected {self._example()}, not {value!r}", param, ctx)
            number = self._parse(value, param, ctx)
        if self.min is not None and number < self.min:
            self.fail(f"expected {self._kind()} of {_text(self.min)} or more, not {value!r}", param, ctx)
        if self.max is not None and number > self.max:
            self.fail(f"expected {self._kind()} of at most {_text(self.max)}, not {value!r}", param, ctx)
        return number

    def _parse(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> Fraction:
        match = (_MONEY if self.money else _PLAIN).fullmatch(value.strip())
        if match is None:
            self.fail(f"expected {self._example()}, not {value!r}", param, ctx)
        sign, whole, decimals = match.groups()
        whole = whole.replace(",", "").lstrip("0") or "0"
        decimals = (decimals or "").rstrip("0") or "0"
        if len(whole) > MAX_WHOLE_DIGITS:
            self.fail(
                f"expected {self._kind()} with at most {MAX_WHOLE_DIGITS} digits before the decimal point, "
                f"not {value!r}",
                param,
                ctx,
            )
        if len(decimals) > MAX_DECIMALS:
            self.fail(f"expected at most {MAX_DECIMALS} decimal places, not {value!r}", param, ctx)
        return Fraction(f"{sign}{whole}.{decimals}")

    def __repr__(self) -> str:
        return f"ExactNumber(min={self.min}, max={self.max}, money={self.money})"


def _text(number: Fraction) -> str:
    return str(number.numerator) if number.denominator == 1 else str(float(number))


AMOUNT = ExactNumber(min=0, money=True)
"""Money of 0 or more: ``120000``, ``120,000``, ``$120,000.00`` and ``2.37`` all read exactly."""

NON_NEGATIVE = ExactNumber(min=0)
"""An exact number of 0 or more, such as a count of full-time equivalents or a percentage."""

COUNT = click.IntRange(0, 10**MAX_WHOLE_DIGITS - 1)
"""A whole count of 0 or more (workers, hours, months), of at most as many digits as the audit file allows."""

__all__ = ["AMOUNT", "COUNT", "NON_NEGATIVE", "ExactNumber"]


FORMAT_WORDS = {
    "text": "text for people",
    "md": "md (Markdown) for documents",
    "json": "json for programs",
}
"""How the default help of :func:`format_option` names each format."""


def format_option(*choices: str, default: str | None = None, help: str | None = None) -> Callable[[FC], FC]:
    """The one ``--format`` option of every command (stored as ``fmt``): these ``choices``, the first the default
    unless ``default`` says otherwise; the help names each format unless ``help`` is given."""
    words = ", ".join(FORMAT_WORDS.get(choice, choice) for choice in choices)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default or choices[0],
        show_default=True,
        help=help or f"Output format: {words}.",
    )
