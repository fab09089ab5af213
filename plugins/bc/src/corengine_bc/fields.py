"""BC's own audit fields, under ``extensions: {bc: {...}}`` in an audit (they are not the core's)."""

from __future__ import annotations

from attrs import field, frozen

from corengine.plugin import Audit, AuditExtension, Record, calendar_year, extension

NAME = "bc"
"""The key of BC's block under ``extensions``."""


@frozen(repr=False, eq=False)
class BcAudit(Record):
    """Facts a BC audit records that other provinces do not."""

    cycle_year: int | None = field(default=None, validator=calendar_year)
    """The calendar year the audit counts for (WorkSafeBC's cycle runs one audit per calendar year, its on-site work
    complete by 31 December); unset: the year its on-site work ended, or an earlier year it began in."""


AUDIT_EXTENSION = AuditExtension(NAME, BcAudit, "BC's cycle year (one audit per calendar year)", moved=("cycle_year",))
"""Registered through ``corengine_register_audit_extensions``; ``cycle_year`` at the top level still reads."""


def bc_fields(audit: Audit) -> BcAudit:
    """The audit's BC block (empty when it gives none); an audit built in code with the deprecated top-level
    ``cycle_year`` still has it read."""
    found = extension(audit, NAME, BcAudit)
    if found is not None:
        return found
    return BcAudit(cycle_year=audit.cycle_year)
