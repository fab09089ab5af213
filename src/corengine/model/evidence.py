"""Audit-document mapping: evidence kinds and what a question expects; an employer's evidence index
(:class:`EvidenceIndex`, :class:`ManualSection`, :class:`RecordSet`) is defined in
:mod:`corengine.model.evidence_index` and still named here (imported on first use: scoring never builds it)."""

from __future__ import annotations

import attrs
from attrs import field, frozen

from corengine._util.lazy import lazy_names
from corengine._util.records import Record
from corengine.model.findings import Finding as Finding
from corengine.model.findings import Quantity as Quantity
from corengine.model.validators import FieldError as FieldError
from corengine.model.validators import (
    month_span,
    non_empty,
    one_of,
    positive,
)
from corengine.model.validators import roles as known_roles
from corengine.model.vocabulary import CONFIDENCE

_HOMES = {name: ("corengine.model.evidence_index", name) for name in ("EvidenceIndex", "ManualSection", "RecordSet")}
"""The evidence index's records, defined in :mod:`corengine.model.evidence_index`."""

__getattr__, __dir__ = lazy_names(__name__, _HOMES, globals())

FORMS = ("document", "record")
"""Evidence forms: a ``document`` is a written part of the system (policy, procedure, plan) judged by its
issue or review date; a ``record`` is dated proof the system runs (inspections, minutes), counted."""


@frozen(repr=False, eq=False)
class EvidenceKind(Record):
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


@frozen(repr=False, eq=False)
class Expectation(Record):
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
