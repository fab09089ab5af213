"""Decisions as data: a finding is a typed verdict (check, status, subject, required, measured, due, confidence,
sources, reading); its sentence is rendered from it and no code reads the sentence back.

Plugins build findings with keyword arguments; the pre-0.3 form (``rule=``, ``passed=``, ``reference=`` and
``required`` / ``measured`` as display strings) still works for one release and warns, naming the new form.
"""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import attrs
from attrs import frozen

from corengine._util.records import Record

Status = Literal["pass", "fail", "advisory", "info"]
"""``pass`` / ``fail`` for a decisive check; ``advisory`` for a shortfall against a value the project cannot confirm
(it never fails an audit by itself; ``--strict`` makes it a failure); ``info`` for information."""

STATUSES: tuple[str, ...] = ("pass", "fail", "advisory", "info")

COMPARISONS: tuple[str, ...] = (">=", ">", "<=", "<", "=", "in", "all", "by")
"""How a requirement is compared: bounds on a number, ``in`` (one of ``items``), ``all`` (every one of ``items``),
``by`` (on or before ``date``)."""

SUBJECT_KINDS: tuple[str, ...] = (
    "element",
    "question",
    "site",
    "unit",
    "program",
    "partner",
    "audit",
    "jurisdiction",
    "",
)
"""What a finding's ``subject`` names."""


def _check_choice(choices: tuple[str, ...]) -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in choices:
            raise ValueError(f"{attribute.name} must be one of {', '.join(repr(c) for c in choices)}, not {value!r}")

    return check


@frozen(repr=False, eq=False)
class Quantity(Record):
    """A typed value a check compares or measures: an exact number with its unit, a date, or a list of names.

    As a requirement it carries ``compare`` (``>= 80 %``, ``<= 21 days``, ``in external, internal``,
    ``by 2026-12-31``); ``upper`` closes a range (``2 to 19 FTE`` is ``>= 2`` with ``upper`` 19 and
    ``upper_compare`` ``<=``). ``text`` only says what no typed field can (``an auditor who did not build the
    system``).
    """

    number: Fraction | None = None
    """The exact number (never a float)."""
    unit: str = ""
    """Unit of ``number``: ``%``, ``points``, ``days``, ``months``, ``employees``, ``workers``, ``FTE``, ``CAD``,
    ``interviews``, ``sites``."""
    compare: str = ""
    """For a requirement, how the measured value must compare (see ``COMPARISONS``); empty for a measurement."""
    upper: Fraction | None = None
    """Upper bound of a range requirement."""
    upper_compare: str = ""
    """``<=`` or ``<`` for ``upper``."""
    date: dt.date | None = None
    """A date value (a deadline with ``by``, or a measured date)."""
    items: tuple[str, ...] = ()
    """Names for ``in`` / ``all`` (auditor kinds, verification methods, programs), or a measured list."""
    text: str = ""
    """Words: what no typed field can say, or how ``number`` was obtained (``2080 payroll hours / 2080``)."""

    @classmethod
    def of(cls, number: int | Fraction, unit: str = "", compare: str = "") -> Quantity:
        """An exact number with its unit, optionally as a requirement: ``Quantity.of(80, "%", ">=")``."""
        return cls(number=Fraction(number), unit=unit, compare=compare)

    @classmethod
    def on(cls, day: dt.date, compare: str = "") -> Quantity:
        """A date; ``compare="by"`` for a deadline."""
        return cls(date=day, compare=compare)

    @classmethod
    def names(cls, items: tuple[str, ...] | list[str], compare: str = "") -> Quantity:
        """Names: ``Quantity.names(("external", "internal"), "in")``."""
        return cls(items=tuple(items), compare=compare)

    @classmethod
    def words(cls, text: str) -> Quantity:
        """Words, where nothing typed fits."""
        return cls(text=text)

    def __str__(self) -> str:
        """The value as people write it: ``>= 80%``, ``2 to 19 FTE``, ``by 2026-12-31``, ``external or internal``."""
        parts = []
        if self.number is not None:
            shown = number_text(self.number) + ("%" if self.unit == "%" else f" {self.unit}" if self.unit else "")
            if self.upper is not None and self.compare in (">=", ">"):
                top = number_text(self.upper)
                shown = (
                    f"{number_text(self.number)} to {top}"
                    if self.compare == ">=" and self.upper_compare == "<="
                    else f"{self.compare} {number_text(self.number)} and {self.upper_compare} {top}"
                ) + ("%" if self.unit == "%" else f" {self.unit}" if self.unit else "")
            elif self.compare:
                shown = f"{self.compare} {shown}"
            parts.append(shown)
        if self.date is not None:
            words = {"by": "by", "<": "before", ">=": "on or after", ">": "after"}.get(self.compare)
            parts.append(f"{words} {self.date}" if words else self.date.isoformat())
        if self.items:
            joiner = " or " if self.compare == "in" else "+"
            parts.append(joiner.join(self.items))
        if self.text:
            parts.append(f"({self.text})" if parts else self.text)
        return " ".join(parts)


def number_text(value: Fraction) -> str:
    """``19.5`` where the fraction is a finite decimal, else the exact ``a/b`` (never a rounded float)."""
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    if den != 1:
        return str(value)
    return str(Decimal(value.numerator) / Decimal(value.denominator))


_LEGACY = {"rule": "check", "passed": "status", "reference": "sources"}
_MISSING: Any = object()


def _legacy_quantity(name: str, value: Any) -> Quantity | None:
    if value is None or isinstance(value, Quantity):
        return value
    if isinstance(value, str):
        if not value:
            return None
        warnings.warn(
            f"Finding({name}=<str>) is deprecated; pass a corengine.Quantity "
            f"(Quantity.of(80, '%', '>='), Quantity.on(date), Quantity.words(text))",
            DeprecationWarning,
            stacklevel=4,
        )
        return Quantity(text=value)
    raise TypeError(f"Finding.{name} must be a Quantity or None, not {value!r}")


def status_of(passed: bool | None) -> Status:
    """The status of a check that passed (True), failed (False) or only informs (None)."""
    return "info" if passed is None else "pass" if passed else "fail"


@frozen(init=False, repr=False, eq=False)
class Finding(Record):
    """One verdict behind an outcome, an eligibility answer, a sample or a cycle, traced to its rule and source."""

    check: str
    """Stable id of the check that decided, e.g. ``certification.element_minimum``."""
    status: Status = attrs.field(validator=_check_choice(STATUSES))
    """``pass``, ``fail``, ``advisory`` or ``info``."""
    message: str
    """The verdict in a sentence, rendered from the fields below; for people only, never parsed."""
    subject: str = ""
    """The element, question, site, unit or program the finding is about; empty when about the whole."""
    subject_kind: str = attrs.field(default="", validator=_check_choice(SUBJECT_KINDS))
    """What ``subject`` names."""
    required: Quantity | None = None
    """The rule's value, with how it is compared."""
    measured: Quantity | None = None
    """The audit's (or employer's) value."""
    due: dt.date | None = None
    """A date the finding sets or checks (a deadline, a due audit)."""
    confidence: str | None = None
    """Confidence of the rule's value: H, M or L."""
    sources: tuple[str, ...] = ()
    """Public sources of the rule's value."""
    reading: str = ""
    """Where the published sources are silent and the project chose, the reading chosen."""
    plugin: str = ""
    """The plugin that supplied the rule."""
    rule_version: dt.date | None = None
    """Start date of the rule version applied."""

    def __init__(
        self,
        check: str = _MISSING,
        status: Any = _MISSING,
        message: str = "",
        subject: str = "",
        subject_kind: str = "",
        required: Quantity | str | None = None,
        measured: Quantity | str | None = None,
        due: dt.date | None = None,
        confidence: str | None = None,
        sources: tuple[str, ...] | list[str] = (),
        reading: str = "",
        plugin: str = "",
        rule_version: dt.date | None = None,
        **legacy: Any,
    ) -> None:
        unknown = set(legacy) - set(_LEGACY)
        if unknown:
            raise TypeError(f"Finding() got unexpected keyword argument(s): {', '.join(sorted(unknown))}")
        for old, new in _LEGACY.items():
            if old in legacy:
                warnings.warn(
                    f"Finding({old}=...) is deprecated; use Finding({new}=...)", DeprecationWarning, stacklevel=2
                )
        if "rule" in legacy:
            check = legacy["rule"]
        if "passed" in legacy:
            status = status_of(legacy["passed"])
        if "reference" in legacy:
            sources = legacy["reference"]
        if status is _MISSING:
            raise TypeError("Finding() needs a status: 'pass', 'fail', 'advisory' or 'info'")
        if status is None or isinstance(status, bool):
            warnings.warn(
                "Finding(status=True/False/None) is deprecated; use 'pass', 'fail' or 'info'",
                DeprecationWarning,
                stacklevel=2,
            )
            status = status_of(status)
        if check is _MISSING:
            raise TypeError("Finding() needs a check id")
        self.__attrs_init__(
            check=check,
            status=status,
            message=message,
            subject=subject,
            subject_kind=subject_kind,
            required=_legacy_quantity("required", required),
            measured=_legacy_quantity("measured", measured),
            due=due,
            confidence=confidence,
            sources=tuple(sources),
            reading=reading,
            plugin=plugin,
            rule_version=rule_version,
        )

    @property
    def passed(self) -> bool | None:
        """True for ``pass``, False for ``fail``, None for ``advisory`` and ``info`` (neither decides)."""
        return True if self.status == "pass" else False if self.status == "fail" else None

    @property
    def decisive(self) -> bool:
        """Whether this finding is a check that decided (passed or failed)."""
        return self.status in ("pass", "fail")

    @property
    def rule(self) -> str:
        """Deprecated alias of :attr:`check`."""
        warnings.warn("Finding.rule is deprecated; use Finding.check", DeprecationWarning, stacklevel=2)
        return self.check

    @property
    def reference(self) -> tuple[str, ...]:
        """Deprecated alias of :attr:`sources`."""
        warnings.warn("Finding.reference is deprecated; use Finding.sources", DeprecationWarning, stacklevel=2)
        return self.sources

    def strictly(self) -> Finding:
        """This finding with an advisory made decisive (a failure), as ``--strict`` asks."""
        return attrs.evolve(self, status="fail") if self.status == "advisory" else self


def decided(check: bool, confidence: str | None, strict: bool = False) -> Status:
    """The status of a check under the confidence policy: a shortfall against a value of confidence L is an
    advisory (it never fails by itself) unless ``strict``; everything else passes or fails."""
    if check:
        return "pass"
    return "advisory" if confidence == "L" and not strict else "fail"
