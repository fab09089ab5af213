"""Manitoba: registration of its data, and the Prevention Rebate estimate (``corengine mb-rebate``).

The plugin registers ``data/mb.yaml`` (the jurisdiction: partners, SECOR sizing, reciprocity, the Prevention
Rebate's conditions as notes), ``data/standards/*.yaml`` (the CSAM and MHCA standards, each extending
``national-harmonized``) and declares ``data/rebate.yaml`` (the Prevention Rebate's rates and conditions, read
by :mod:`corengine_manitoba.rebate`, which also answers the registry's incentive question).
"""

from __future__ import annotations

import click

from corengine.plugin import Finding, IncentiveQuestion, hookimpl

from . import rebate
from .rules import PACKAGE

corengine_register_standards = PACKAGE.corengine_register_standards
corengine_register_jurisdictions = PACKAGE.corengine_register_jurisdictions
corengine_register_data_files = PACKAGE.corengine_register_data_files


@hookimpl
def corengine_register_commands() -> list[click.Command]:
    return [rebate.make_command()]


@hookimpl
def corengine_incentive_eligibility(question: IncentiveQuestion) -> list[Finding]:
    """The Prevention Rebate's eligibility for ``corengine registry status``."""
    return rebate.registry_eligibility(question)
