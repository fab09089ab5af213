"""The JSON documents of ``corengine batch --format jsonl`` (one line per audit, per standard and the totals) and
of ``corengine impact --format json``, as attrs records the converter writes (the field order is the key order).

:mod:`corengine._batch` fills them from its rows and summaries; nothing else builds their JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from attrs import frozen

from corengine.errors import Problem
from corengine.model.converter import unstructure
from corengine.model.impact import AuditImpact


@frozen(kw_only=True)
class AuditLine:
    """One audit of a batch (``kind``: ``audit``): what was decided, or why it could not be scored."""

    kind: Literal["audit"] = "audit"
    """Always ``audit``."""
    file: str
    """The file as found."""
    outcome: str
    """``pass``, ``advisory``, ``fail`` or ``bad``."""
    standard: str | None
    """The standard's id (null for a bad file)."""
    employer: str | None
    """The employer's name."""
    date: dt.date | None
    """The audit date."""
    audit_type: str | None
    """The audit type."""
    program: str | None
    """The program audited."""
    overall: float | None
    """The overall percentage for people (rounded half up to 2 places)."""
    overall_exact: str | None
    """The overall percentage, exact (a fraction as text, e.g. ``1420/17``)."""
    below_minimum: tuple[str, ...]
    """Elements below the element minimum of the rule applied."""
    certificate: str | None
    """The certificate (or standing) granted."""
    valid_until: dt.date | None
    """When the certificate ends."""
    problems: tuple[Problem, ...]
    """A bad file's first problems."""
    more_problems: int
    """How many more problems the bad file has."""


@frozen(kw_only=True)
class StatLine:
    """Count, mean and minimum of a percentage over the audits that have one."""

    count: int
    """Audits with a value."""
    mean: float | None
    """The mean, rounded half up to 2 places."""
    mean_exact: str | None
    """The mean, exact."""
    min: float | None
    """The smallest value, rounded half up to 2 places."""
    min_exact: str | None
    """The smallest value, exact."""


@frozen(kw_only=True)
class ElementStatLine:
    """The statistics of one element's percentage."""

    element: str
    """The element's id."""
    count: int
    """Audits with a value."""
    mean: float | None
    """The mean, rounded half up to 2 places."""
    mean_exact: str | None
    """The mean, exact."""
    min: float | None
    """The smallest value, rounded half up to 2 places."""
    min_exact: str | None
    """The smallest value, exact."""


@frozen(kw_only=True)
class StandardLine:
    """The audits of one standard (``kind``: ``standard``)."""

    kind: Literal["standard"] = "standard"
    """Always ``standard``."""
    standard: str
    """The standard's id."""
    audits: int
    """Audits scored against it."""
    passed: int
    """Audits passed (advisory ones included)."""
    advisory: int
    """Audits passed subject to advisory findings."""
    failed: int
    """Audits failed."""
    pass_rate: float | None
    """Passed over audits, as a percentage rounded half up to 2 places."""
    pass_rate_exact: str | None
    """The same, exact."""
    overall: StatLine
    """The overall percentage's statistics."""
    elements: tuple[ElementStatLine, ...]
    """Each element's statistics, in document order."""


@frozen(kw_only=True)
class TotalsLine:
    """The whole batch (``kind``: ``totals``)."""

    kind: Literal["totals"] = "totals"
    """Always ``totals``."""
    files: int
    """Files found."""
    scored: int
    """Files scored."""
    passed: int
    """Audits passed (advisory ones included)."""
    advisory: int
    """Audits passed subject to advisory findings."""
    failed: int
    """Audits failed."""
    bad: int
    """Files that could not be scored."""


@frozen
class ImpactAgainst:
    """What the audits were compared against."""

    rules_on: dt.date | None
    """The date whose rules in force re-decided them, if given."""
    standard_files: tuple[str, ...]
    """The overlay files, if given."""


@frozen
class BadFile:
    """A file that could not be scored."""

    file: str
    """The file as found."""
    problems: tuple[Problem, ...]
    """Its first problems."""
    more_problems: int
    """How many more it has."""


@frozen(kw_only=True)
class ImpactDocument:
    """``corengine impact --format json``: counts, each changed audit with its changes and their findings (before
    and after, in the published finding shape), and the bad files."""

    against: ImpactAgainst
    """What the audits were compared against."""
    audits: int
    """Files assessed."""
    scored: int
    """Files scored."""
    changed: int
    """Audits with at least one change."""
    counts: dict[str, int]
    """Changes by kind (``corengine.model.impact.KINDS``)."""
    changes: tuple[AuditImpact, ...]
    """Each changed audit."""
    bad: tuple[BadFile, ...]
    """The files that could not be scored."""


def json_line(document: AuditLine | StandardLine | TotalsLine) -> bytes:
    """One line of ``batch --format jsonl``: the document as JSON, ASCII only (no character from an audit reaches
    a terminal reading the lines unescaped)."""
    return (json.dumps(unstructure(document), ensure_ascii=True, separators=(", ", ": ")) + "\n").encode("ascii")


__all__ = [
    "AuditLine",
    "BadFile",
    "ElementStatLine",
    "ImpactAgainst",
    "ImpactDocument",
    "StandardLine",
    "StatLine",
    "TotalsLine",
    "json_line",
]
