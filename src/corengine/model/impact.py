"""The records of an impact run: each audit re-decided under other rules, the rule each decision applied, and
every decision that changes with the findings behind it (what ``corengine impact`` reports)."""

from __future__ import annotations

import datetime as dt

from attrs import frozen

from corengine._util.records import Record
from corengine.model.findings import Finding

KINDS = ("pass-to-fail", "fail-to-pass", "certificate", "advisory-added", "advisory-removed")
"""Kinds of change, in the order they are counted and listed."""


@frozen(repr=False, eq=False)
class FindingChange(Record):
    """One finding that differs between the two decisions (its status, requirement or measurement), or that
    only one of them has."""

    check: str
    """The check, e.g. ``certification.methods_required``."""
    subject: str
    """What the finding is about (an element, a question...), empty for the whole audit."""
    before: Finding | None
    """The finding under the audit's own rules; None when that decision did not make this check."""
    after: Finding | None
    """The finding under the other rules; None when that decision did not make this check."""


@frozen(repr=False, eq=False)
class Change(Record):
    """A decision that changes, and the findings that changed it."""

    kind: str
    """One of :data:`KINDS`."""
    before: str
    """The decision under the audit's own rules (``passed``, a certificate, an advisory's check...)."""
    after: str
    """The decision under the other rules."""
    because: tuple[FindingChange, ...]
    """The findings that made the difference."""


@frozen(repr=False, eq=False)
class RuleApplied(Record):
    """The rule that decided, and the start of its version."""

    rule: str
    """The rule's id (empty when no rule was in force)."""
    version: dt.date | None
    """The start of the version applied."""

    def __str__(self) -> str:
        if not self.rule:
            return "no rule in force"
        return self.rule + (f" from {self.version}" if self.version else "")


@frozen(kw_only=True, repr=False, eq=False)
class AuditImpact(Record):
    """One audit, the rules that decided it before and after, and every decision that changes (in the order
    ``corengine impact --format json`` writes its fields)."""

    file: str
    """The audit file."""
    standard: str
    """The audit's standard."""
    under: str | None = None
    """The standard the audit was re-decided against, when an overlay replaced its own."""
    employer: str
    """The employer's name."""
    date: dt.date
    """The audit date."""
    audit_type: str
    """The audit type."""
    rule_before: RuleApplied
    """The rule of the audit's own decision."""
    rule_after: RuleApplied
    """The rule of the decision under the other rules."""
    changes: tuple[Change, ...]
    """The decisions that change (empty when none does)."""


__all__ = ["KINDS", "AuditImpact", "Change", "FindingChange", "RuleApplied"]
