"""British Columbia's hooks: its data files, the incentive command, and the rules the data cannot express."""

from __future__ import annotations

import click

from corengine.plugin import Audit, AuditExtension, Finding, Jurisdiction, Outcome, ResolvedStandard, hookimpl

from . import incentive, review
from .fields import AUDIT_EXTENSION
from .program import PACKAGE, program

corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files


def jurisdiction() -> Jurisdiction:
    """BC's partners, size classes and baseline (read once)."""
    return PACKAGE.jurisdiction()


@hookimpl
def corengine_register_commands() -> list[click.Command]:
    return [incentive.make_command()]


@hookimpl
def corengine_review_outcome(resolved: ResolvedStandard, audit: Audit, outcome: Outcome, strict: bool) -> list[Finding]:
    return review.review(program(), jurisdiction(), resolved, audit, outcome, strict)


@hookimpl
def corengine_register_audit_extensions() -> list[AuditExtension]:
    return [AUDIT_EXTENSION]
