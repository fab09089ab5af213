"""The one date arithmetic: calendar months, month ends, and the value in force on a date.

Every dated value in the project (rule versions, sizing, sampling tables, refund and incentive rules) is chosen
by :func:`in_force`, the way OpenFisca's ``get_at_instant`` is the one selector of a parameter's value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar


class Dated(Protocol):
    """Anything with a start date; an ``end`` (optional attribute) makes it a temporary variant."""

    @property
    def start(self) -> dt.date: ...


D = TypeVar("D", bound=Dated)


def _days_in(year: int, month: int) -> int:
    """Days in a month (as ``calendar.monthrange`` says, without importing calendar and locale at start-up)."""
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


def month_index(day: dt.date) -> int:
    """Months since year 0, for differences in calendar months."""
    return day.year * 12 + day.month - 1


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (negative goes back), clamped to the month's last day."""
    year, month = divmod(month_index(day) + months, 12)
    month += 1
    return dt.date(year, month, min(day.day, _days_in(year, month)))


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=_days_in(day.year, day.month))


def in_force(versions: Iterable[D], on: dt.date, where: Callable[[D], bool] | None = None) -> D | None:
    """The version with the latest start on or before ``on`` among those ``where`` admits and not ended by ``on``.

    A version with an ``end`` is a temporary variant: after its end the version before it applies again.
    Among versions with the same start the first one listed wins.
    """
    current: D | None = None
    for version in versions:
        end: dt.date | None = getattr(version, "end", None)
        if version.start > on or (end is not None and on > end) or (where is not None and not where(version)):
            continue
        if current is None or version.start > current.start:
            current = version
    return current
