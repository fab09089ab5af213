"""British Columbia's hooks: its data files, the incentive command, and the rules the data cannot express."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from corengine.plugin import hookimpl, lazy_command

from .package import PACKAGE

if TYPE_CHECKING:
    from corengine.plugin import Audit, AuditExtension, Finding, Jurisdiction, Outcome, ResolvedStandard

corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files


def jurisdiction() -> Jurisdiction:
    """BC's partners, size classes and baseline (read once)."""
    return PACKAGE.jurisdiction()


@hookimpl
def corengine_register_commands() -> list[click.Command]:
    return [lazy_command("bc-incentive", "corengine_bc.incentive:make_command", INCENTIVE_HELP)]


INCENTIVE_HELP = (
    "Estimate the WorkSafeBC COR incentive: up to 10% of the base assessment (payroll x base rate / 100), in the "
    "small-employer guideline's bands where the amounts are small."
)
"""``corengine --help``'s line for ``bc-incentive``: the command's own short help (a test holds them equal)."""


@hookimpl
def corengine_review_outcome(resolved: ResolvedStandard, audit: Audit, outcome: Outcome, strict: bool) -> list[Finding]:
    if resolved.standard.jurisdiction != jurisdiction().code:  # another province: nothing to import
        return []
    from . import review
    from .program import program

    return review.review(program(), jurisdiction(), resolved, audit, outcome, strict)


@hookimpl
def corengine_register_audit_extensions() -> list[AuditExtension]:
    from .fields import AUDIT_EXTENSION

    return [AUDIT_EXTENSION]
