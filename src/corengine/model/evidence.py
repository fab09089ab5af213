"""Audit-document mapping: evidence kinds, what a question expects, and an employer's evidence index."""

from __future__ import annotations

import datetime as dt

import attrs
from attrs import field, frozen

from corengine.model.findings import Finding as Finding
from corengine.model.findings import Quantity as Quantity
from corengine.model.validators import FieldError as FieldError
from corengine.model.validators import (
    month_span,
    non_empty,
    one_of,
    positive,
    unique_ids,
)
from corengine.model.validators import roles as known_roles
from corengine.model.vocabulary import CONFIDENCE

FORMS = ("document", "record")
"""Evidence forms: a ``document`` is a written part of the system (policy, procedure, plan) judged by its
issue or review date; a ``record`` is dated proof the system runs (inspections, minutes), counted."""


@frozen
class EvidenceKind:
    """One kind of documentary evidence in the controlled vocabulary (the core's or a plugin's)."""

    id: str = field(validator=non_empty)
    """Short lower-case id used in ``expects`` and in evidence indexes, e.g. ``inspection-record``."""
    title: str = field(validator=non_empty)
    """Human name."""
    description: str = field(validator=non_empty)
    """One line: what counts as this kind."""
    form: str = field(default="document", validator=one_of(FORMS))
    """``document`` (judged by its issue or review date) or ``record`` (dated, counted)."""

    def __attrs_post_init__(self) -> None:
        if not all(c.islower() or c.isdigit() or c == "-" for c in self.id) or self.id.startswith("-"):
            raise FieldError("id", f"must be lower-case letters, digits and hyphens, not {self.id!r}")


@frozen
class Expectation:
    """One piece of evidence a question expects: a kind of document or record, roles to interview, or
    something to observe (exactly one of ``kind``, ``interview`` and ``observe``)."""

    kind: str | None = None
    """An evidence kind from the vocabulary (documents and records)."""
    interview: tuple[str, ...] = field(default=(), validator=known_roles)
    """Roles the auditor interviews (see ``corengine.model.evidence_kinds.ROLES``)."""
    observe: str = ""
    """What the auditor observes at the sites visited."""
    count: int = field(default=1, validator=positive)
    """For a kind: how many documents or records at least (within the window when one is set)."""
    within_months: int | None = field(default=None, validator=[positive, month_span])
    """For a kind: only evidence dated within this many months before the audit counts (a document's
    issue or review date, a record's date)."""
    months: int | None = field(default=None, validator=[positive, month_span])
    """For a record kind: records must span at least this many calendar months (within the window; the window
    is this many months when ``within_months`` is unset)."""
    about: str = ""
    """What the evidence must show, in a few words."""
    confidence: str | None = field(default=None, validator=attrs.validators.optional(one_of(CONFIDENCE)))
    """How well the numbers are sourced, when they come from a published rule; unset: the project's reading."""

    def __attrs_post_init__(self) -> None:
        given = [
            name
            for name, value in (("kind", self.kind), ("interview", self.interview), ("observe", self.observe))
            if value
        ]
        if len(given) != 1:
            raise FieldError(
                given[1] if len(given) > 1 else "kind",
                "give exactly one of kind, interview or observe" + (f", not {' and '.join(given)}" if given else ""),
            )
        if self.kind is None:
            for name in ("within_months", "months"):
                if getattr(self, name) is not None:
                    raise FieldError(name, "applies only to a kind of document or record")
            if self.count != 1:
                raise FieldError("count", "applies only to a kind of document or record")

    @property
    def window(self) -> int | None:
        """Months before the audit date in which evidence counts (None: any date up to the audit)."""
        return self.within_months if self.within_months is not None else self.months


@frozen
class ManualSection:
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


@frozen
class RecordSet:
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


@frozen
class EvidenceIndex:
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
