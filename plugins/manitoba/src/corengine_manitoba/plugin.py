"""Manitoba: registration of its data, and the Prevention Rebate estimate (``corengine mb-rebate``).

The plugin registers ``data/mb.yaml`` (the jurisdiction: partners, SECOR sizing, reciprocity, the Prevention
Rebate's conditions as notes), ``data/standards/*.yaml`` (the CSAM and MHCA standards, each extending
``national-harmonized``) and declares ``data/rebate.yaml`` (the Prevention Rebate's rates and conditions, read
by :mod:`corengine_manitoba.rebate`, which also answers the registry's incentive question).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from corengine.plugin import hookimpl, lazy_command

from .package import PACKAGE

if TYPE_CHECKING:
    from corengine.plugin import Finding, IncentiveQuestion

corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files


@hookimpl
def corengine_register_commands() -> list[click.Command]:
    return [lazy_command("mb-rebate", "corengine_manitoba.rebate:make_command", REBATE_HELP)]


REBATE_HELP = (
    "Estimate SAFE Work Manitoba's Prevention Rebate: the greater of 15% of the premium or $3,000, capped at 75% "
    "of the premium, when all six conditions hold (each stated met, not met, or not stated)."
)
"""``corengine --help``'s line for ``mb-rebate``: the command's own short help (a test holds them equal)."""


@hookimpl
def corengine_incentive_eligibility(question: IncentiveQuestion) -> list[Finding]:
    """The Prevention Rebate's eligibility for ``corengine registry status``."""
    from . import rebate

    return rebate.registry_eligibility(question)
