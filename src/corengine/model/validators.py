"""attrs validators for plugin and core data: each raises :class:`FieldError` naming the field, and the
converter turns it into ``file:line: path: message``. Plugins use these instead of writing their own."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs

from corengine._util.records import Record
from corengine.model.themes import ROLES, THEMES

MAX_WHOLE_DIGITS = 15
"""Most digits a number may have before its decimal point (under a thousand trillion): counts, hours, money
and points are all far smaller, and a longer number is a typing mistake or hostile."""

MAX_DECIMALS = 10
"""Most decimal places a number may have; a value that needs more is written as a fraction ``a/b``."""


class FieldError(ValueError):
    """A validator's complaint about one field, so the error path can name it."""

    def __init__(self, name: str, message: str) -> None:
        self.field = name
        super().__init__(message)


@attrs.frozen(repr=False, eq=False)
class OneOf(Record):
    """The validator :func:`one_of` makes; ``choices`` is read by forms that offer a list (the spreadsheet's
    drop-down for a plugin's audit extension field)."""

    choices: tuple[str, ...]

    def __call__(self, _inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        values = value if isinstance(value, tuple) else () if value is None else (value,)
        for item in values:
            if item not in self.choices:
                raise FieldError(attribute.name, f"must be one of {', '.join(self.choices)}, not {item!r}")


def one_of(choices: Iterable[str]) -> Any:
    """A validator: the value (or each item of a tuple) is one of ``choices``; None passes (optional fields)."""
    return OneOf(tuple(choices))


def non_negative(_inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A validator: the number is 0 or more (None passes)."""
    if value is not None and value < 0:
        raise FieldError(attribute.name, f"must be >= 0, not {value}")


def positive(_inst: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """A validator: the number is 1 or more (None passes)."""
    if value is not None and value < 1:
        raise FieldError(attribute.name, f"must be >= 1, not {value}")


def above_zero(_inst: object, attribute: attrs.Attribute[Any], value: Fraction | int | None) -> None:
    """A validator: the number is greater than 0, fractions included (None passes)."""
    if value is not None and value <= 0:
        raise FieldError(attribute.name, f"must be greater than 0, not {value}")


YEARS = (1900, 2999)
"""The years a date or a calendar year may fall in: an audit, a report, a certificate or a rule's start is never
outside them, and one that is (year 1, year -5, year 9999) is a typing mistake that would break date arithmetic."""


def calendar_year(_inst: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """A validator: a calendar year within :data:`YEARS` (None passes)."""
    first, last = YEARS
    if value is not None and not first <= value <= last:
        raise FieldError(
            attribute.name,
            f"must be a year from {first} to {last}, not {value} (a year that far off is taken for a typing mistake)",
        )


MAX_DAYS = 36_525
"""Longest span in days a rule may give (a century): a deadline further off is a typing mistake, and one past
the calendar's end would break date arithmetic."""

MAX_MONTHS = 1_200
"""Longest span in months a rule may give (a century), for the same reason."""


def _spans(limit: int, unit: str) -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: int | tuple[int, ...] | None) -> None:
        values = value if isinstance(value, tuple) else () if value is None else (value,)
        for item in values:
            if not -limit <= item <= limit:
                raise FieldError(attribute.name, f"must be at most {limit:,} {unit} (a century), not {item}")

    return check


day_span = _spans(MAX_DAYS, "days")
"""A validator: a number of days (or a tuple of them) of at most a century either way (None passes)."""

month_span = _spans(MAX_MONTHS, "months")
"""A validator: a number of months (or a tuple of them) of at most a century either way (None passes)."""


def percent_range(_inst: object, attribute: attrs.Attribute[Any], value: Fraction | None) -> None:
    """A validator: a percentage between 0 and 100 (None passes)."""
    if value is not None and not 0 <= value <= 100:
        raise FieldError(attribute.name, f"must be a percentage between 0 and 100, not {value}")


def non_empty(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """A validator: text that is not blank."""
    if not value.strip():
        raise FieldError(attribute.name, "must not be empty")


def unique_ids(_inst: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    """A validator: the items' ``id`` attributes are unique."""
    seen: set[str] = set()
    for item in value:
        if item.id in seen:
            raise FieldError(attribute.name, f"id {item.id!r} appears twice")
        seen.add(item.id)


def themes(_inst: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    """A validator: every item is one of the common themes."""
    for item in value:
        if item not in THEMES:
            raise FieldError(attribute.name, f"unknown theme {item!r} (themes: {', '.join(THEMES)})")


def roles(_inst: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    """A validator: every item is one of the interview roles."""
    for item in value:
        if item not in ROLES:
            raise FieldError(attribute.name, f"unknown role {item!r} (roles: {', '.join(ROLES)})")


def interview_levels(_inst: object, attribute: attrs.Attribute[Any], value: dict[str, int]) -> None:
    """A validator: interview counts keyed by interview role, each 0 or more."""
    for key, count in value.items():
        if key not in ROLES:
            raise FieldError(attribute.name, f"unknown level {key!r} (levels: {', '.join(ROLES)})")
        if count < 0:
            raise FieldError(attribute.name, f"{key}: must be >= 0, not {count}")


def parse_day(text: str) -> dt.date:
    """A date written ``YYYY-MM-DD`` in the years corengine reads; a ValueError says what was expected."""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):  # fromisoformat also reads 20240101, 2024-W01-1
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD that exists, not {text!r}") from None
    first, last = YEARS
    if not first <= day.year <= last:
        raise ValueError(f"expected a date in the years {first} to {last}, not {text!r}")
    return day
