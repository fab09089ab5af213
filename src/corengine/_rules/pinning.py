"""A standard's dated rules pinned to one date: how an audit is judged "under the rules in force on D".

The engine judges an audit by the rule versions in force on its audit date; every selector (the core's
:func:`~corengine._rules.outcome.rule_for`, a plugin's ``rule.in_force(audit.audit_date)``, the sampling tables) reads
that date. :func:`pin` gives a standard in which each rule keeps only the version in force on ``on`` (and each
sampling table only the table in force on ``on``), re-dated so that it is in force on the audit's own date and
does not end. Every selector then finds the rules of ``on``, while the audit keeps its own dates (deadlines,
certificate lengths and due dates still count from them). A rule with no version in force on ``on`` is left out,
as it would find none.

A version re-dated to the audit date says so in its note, and :func:`restore_versions` gives the findings built
from it back the start of the version they really applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

import attrs
from attrs import frozen

from corengine._util.dates import in_force
from corengine.model import Outcome, ResolvedStandard, RuleVersion, SampleTableVersion
from corengine.model.findings import Finding

T = TypeVar("T", RuleVersion, SampleTableVersion)


@frozen
class Pinned:
    """A resolved standard with its rules pinned to a date, and the real start of each re-dated version."""

    resolved: ResolvedStandard
    """The standard whose rules are those in force on ``on``."""
    on: dt.date
    """The date whose rules apply."""
    starts: dict[tuple[str, dt.date], dt.date]
    """For each re-dated version, keyed by (rule id or ``sampling.interviews`` / ``sampling.sites``, the start it
    was given), the start of the version as published."""


def _redate(version: T, audit_date: dt.date) -> T:
    start = min(version.start, audit_date)
    changed: dict[str, object] = {"start": start}
    if hasattr(version, "end"):
        changed["end"] = None
    return attrs.evolve(version, **changed)  # type: ignore[arg-type]


def _tables(
    versions: tuple[SampleTableVersion, ...], programs: Sequence[str], on: dt.date, audit_date: dt.date
) -> tuple[tuple[SampleTableVersion, ...], dict[dt.date, dt.date]]:
    """The sampling tables in force on ``on`` (one per program they are reserved for), re-dated."""
    kept: list[SampleTableVersion] = []
    for program in (None, *programs):
        found = in_force(versions, on, lambda v, p=program: not v.programs or p is None or p in v.programs)  # type: ignore[misc]
        if found is not None and found not in kept:
            kept.append(found)
    ordered = [v for v in versions if v in kept]
    return tuple(_redate(v, audit_date) for v in ordered), {min(v.start, audit_date): v.start for v in ordered}


def pin(resolved: ResolvedStandard, on: dt.date, audit_date: dt.date) -> Pinned:
    """``resolved`` with every rule reduced to its version in force on ``on``, re-dated to be in force on
    ``audit_date`` (see the module)."""
    standard = resolved.standard
    rules = []
    starts: dict[tuple[str, dt.date], dt.date] = {}
    plugins = dict(resolved.rule_plugins)
    for rule in standard.rules:
        version = rule.in_force(on)
        if version is None:
            continue
        pinned = _redate(version, audit_date)
        if pinned.start != version.start:
            span = f"{version.start}" + (f" to {version.end}" if version.end else "")
            pinned = attrs.evolve(
                pinned,
                note=f"The rules in force on {on} (the version from {span}) applied in place of those of the audit "
                f"date. {version.note}".strip(),
            )
        starts[(rule.id, pinned.start)] = version.start
        plugins[(rule.id, pinned.start.isoformat())] = resolved.plugin_for(rule.id, version.start.isoformat())
        rules.append(attrs.evolve(rule, versions=(pinned,)))
    sampling = standard.sampling
    if sampling is not None:
        interviews, interview_starts = _tables(sampling.interviews, standard.programs, on, audit_date)
        sites, site_starts = _tables(sampling.sites, standard.programs, on, audit_date)
        starts.update({("sampling.interviews", k): v for k, v in interview_starts.items()})
        starts.update({("sampling.sites", k): v for k, v in site_starts.items()})
        sampling = attrs.evolve(sampling, interviews=interviews, sites=sites)
    pinned_standard = attrs.evolve(standard, rules=tuple(rules), sampling=sampling)
    return Pinned(attrs.evolve(resolved, standard=pinned_standard, rule_plugins=plugins), on, starts)


def _restored(finding: Finding, starts: dict[tuple[str, dt.date], dt.date]) -> Finding:
    if finding.rule_version is None:
        return finding
    for key in (finding.check, finding.check.split(".", 1)[0]):
        real = starts.get((key, finding.rule_version))
        if real is not None:
            return attrs.evolve(finding, rule_version=real)
    return finding


def restore_versions(outcome: Outcome, pinned: Pinned) -> Outcome:
    """``outcome`` with each finding's ``rule_version``, and the outcome's own, the start of the version it
    really applied."""
    reasons = tuple(_restored(f, pinned.starts) for f in outcome.reasons)
    version = outcome.rule_version
    if version is not None:
        version = pinned.starts.get((outcome.rule, version), version)
    if reasons == outcome.reasons and version == outcome.rule_version:
        return outcome
    return attrs.evolve(outcome, reasons=reasons, rule_version=version)
