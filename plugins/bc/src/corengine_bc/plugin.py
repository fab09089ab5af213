"""British Columbia's hooks: its data files, the incentive command, and the rules the data cannot express."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import click

from corengine import hookimpl
from corengine.converter import load_file
from corengine.model import Audit, Finding, Jurisdiction, Outcome
from corengine.standards import ResolvedStandard

from . import incentive, review
from .program import program

DATA = Path(__file__).parent / "data"


@hookimpl
def corengine_register_standards() -> list[Path]:
    return sorted((DATA / "standards").glob("*.yaml"))


@cache
def jurisdiction() -> Jurisdiction:
    """BC's partners, size classes and baseline (read once)."""
    return load_file(DATA / "bc.yaml", Jurisdiction)


@hookimpl
def corengine_register_jurisdictions() -> list[Jurisdiction]:
    return [jurisdiction()]


@hookimpl
def corengine_register_commands() -> list[click.Command]:
    return [incentive.make_command()]


@hookimpl
def corengine_review_outcome(resolved: ResolvedStandard, audit: Audit, outcome: Outcome, strict: bool) -> list[Finding]:
    return review.review(program(), jurisdiction(), resolved, audit, outcome, strict)
