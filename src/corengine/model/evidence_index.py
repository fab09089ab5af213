"""An employer's evidence index: its manual's sections and its record sets, checked against an audit document by
``readiness`` (also named in :mod:`corengine.model.evidence`)."""

from __future__ import annotations

import datetime as dt

import attrs
from attrs import field, frozen

from corengine._util.records import Record
from corengine.model.validators import FieldError, non_empty, positive, unique_ids


@frozen(repr=False, eq=False)
class ManualSection(Record):
    """A section of the employer's health and safety manual (a written part of the system)."""

    id: str = field(validator=non_empty)
    """The employer's section number, e.g. ``"3.2"``."""
    title: str = field(validator=non_empty)
    """The section's title."""
    kinds: tuple[str, ...] = field(validator=attrs.validators.min_len(1))
    """Evidence kinds it provides (e.g. ``[policy]`` or ``[inspection-program, corrective-action-log]``)."""
    reviewed: dt.date | None = None
    """When it was issued, signed or last reviewed; unset means undated (never counts as current)."""
    note: str = ""
    """Anything a reader should know."""


@frozen(repr=False, eq=False)
class RecordSet(Record):
    """A set of dated records of one kind (e.g. 24 site inspections from September 2023 to August 2024)."""

    kind: str = field(validator=non_empty)
    """Evidence kind of the records."""
    title: str = field(validator=non_empty)
    """What they are, in the employer's words."""
    count: int = field(validator=positive)
    """How many records."""
    first: dt.date
    """Date of the oldest record."""
    last: dt.date
    """Date of the newest record."""
    note: str = ""
    """Anything a reader should know (gaps, sites covered)."""

    def __attrs_post_init__(self) -> None:
        if self.last < self.first:
            raise FieldError("last", f"must be on or after first ({self.first}), not {self.last}")


@frozen(repr=False, eq=False)
class EvidenceIndex(Record):
    """An employer's index of its manual and records, checked against an audit document by ``readiness``."""

    employer: str = field(validator=non_empty)
    """The employer's name."""
    standard: str | None = None
    """The audit document the index was prepared for (informational)."""
    program: str | None = None
    """The program the employer will be audited in (e.g. Small); defaults to the standard's first."""
    audit_date: dt.date | None = None
    """The planned audit date readiness is judged on (``--on`` overrides it; default today)."""
    manual: tuple[ManualSection, ...] = field(default=(), validator=unique_ids)
    """Manual sections, each with the kinds it provides and its review date."""
    records: tuple[RecordSet, ...] = ()
    """Record sets with kind, count and date range."""
    not_applicable: dict[str, str] = attrs.Factory(dict)
    """Questions that do not apply to the employer (only where the standard allows N/A), with the reason."""
