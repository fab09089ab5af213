"""Minimum samples from a standard's sampling tables (the core's default sample plan)."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from fractions import Fraction

from corengine._util.dates import in_force
from corengine.model import Audit, SamplePlan, SampleRow, SampleTableVersion, Standard
from corengine.model.findings import Finding, Quantity, decided, number_text


def table_in_force(
    versions: tuple[SampleTableVersion, ...], on: dt.date, program: str | None = None
) -> SampleTableVersion | None:
    """The table for ``program`` with the latest start on or before ``on``."""
    return in_force(versions, on, lambda v: not v.programs or program is None or program in v.programs)


def lookup(table: SampleTableVersion, population: int) -> tuple[int | None, str, str]:
    """Minimum sample for ``population``: (value or None when the partner decides, how, confidence)."""
    if table.interpolate:
        points = sorted(table.interpolate)
        first_n, first_min = points[0]
        if population <= first_n:
            value = min(population, first_min)
            return (
                value,
                f"{population} (at or below {first_n}: every person up to {first_min})",
                table.confidence,
            )
        for (low_n, low_min), (high_n, high_min) in itertools.pairwise(points):
            if population == high_n:
                return high_min, f"published point {high_n} -> {high_min}", table.confidence
            if population < high_n:  # above low_n: a smaller number returned at an earlier point
                exact = low_min + Fraction(high_min - low_min) * Fraction(population - low_n, high_n - low_n)
                value = math.ceil(exact)
                return (
                    value,
                    (f"interpolated between {low_n} -> {low_min} and {high_n} -> {high_min} ({exact} rounded up)"),
                    "L",
                )
        last_n, last_min = points[-1]
        return last_min, f"above the last published point {last_n} -> {last_min}", "L"
    return rows_lookup(table.rows, population, table.confidence)


def rows_lookup(rows: tuple[SampleRow, ...], population: int, confidence: str) -> tuple[int | None, str, str]:
    """The row of ``rows`` covering ``population``: (value or None when the partner decides, how, confidence)."""
    table_confidence = confidence
    for row in rows:
        if row.min <= population and (row.max is None or population <= row.max):
            span = f"{row.min}" + ("+" if row.max is None else f"-{row.max}" if row.max != row.min else "")
            confidence = row.confidence or table_confidence
            note = f" ({row.note})" if row.note else ""
            if row.value == "all":
                return population, f"row {span}: all{note}", confidence
            if row.value == "ask":
                return None, f"row {span}: set by the partner for each audit{note}", confidence
            if row.value.endswith("%"):
                share = Fraction(row.value[:-1])
                value = math.ceil(share * population / 100)
                return value, f"row {span}: {row.value} of {population} rounded up{note}", confidence
            return min(int(row.value), population), f"row {span}: {row.value}{note}", confidence
    return None, "no row covers this number; the partner decides", table_confidence


def plan(
    standard: Standard, workers: int, sites: int | None, on: dt.date, plugin: str, program: str | None = None
) -> SamplePlan | None:
    """The sample plan from the standard's own tables, or None when it publishes none.

    With ``program`` given, tables reserved for other programs are left out (a large-employer interview
    table does not bind a Small COR audit)."""
    sampling = standard.sampling
    if sampling is None:
        return None
    reasons: list[Finding] = []
    minimums: dict[str, int | None] = {"interviews": None, "sites": None}
    for kind, versions, population, what in (
        ("interviews", sampling.interviews, workers, f"minimum interviews for {workers} workers"),
        ("sites", sampling.sites, sites, f"minimum sites to visit of {sites}"),
    ):
        table = table_in_force(versions, on, program)
        if table is None or population is None:
            continue
        minimum, how, confidence = lookup(table, population)
        minimums[kind] = minimum
        compared = table.reference_table
        reading = ""
        if confidence == "L" and minimum is not None:
            # a number of low confidence (interpolated, assumed where the sources are silent, or an old table): say
            # so, with the public reference table's number where there is one (score's finding carries it too)
            reading = "no current published table confirms this number: the partner decides it with its own table"
            if compared is not None:
                value, _, _ = rows_lookup(compared.rows, population, compared.confidence)
                reading = (
                    f"no current published table confirms this number; for comparison the {compared.name} gives "
                    f"{'no number' if value is None else value} (shown only, confidence {compared.confidence}): "
                    "the partner decides it with its own table"
                )
        reasons.append(
            Finding(
                check=f"sampling.{kind}",
                status="info",
                message=f"{what}: {'partner decides' if minimum is None else minimum} — {how}",
                required=None if minimum is None else Quantity.of(minimum, kind, ">="),
                sources=table.reference,
                confidence=confidence,
                reading=reading,
                plugin=plugin,
                rule_version=table.start,
            )
        )
    interviews, sites_minimum, questionnaires = minimums["interviews"], minimums["sites"], None
    if sampling.questionnaire_share is not None and interviews is not None:
        questionnaires = math.floor(sampling.questionnaire_share * interviews / 100)
        reasons.append(
            Finding(
                check="sampling.questionnaires",
                status="info",
                message=f"questionnaires may replace at most {sampling.questionnaire_share}% of the worker "
                f"interviews, never those of managers or supervisors (at most {questionnaires} when all "
                f"{interviews} interviews are workers', rounded down)"
                + (f"; {sampling.questionnaire_note}" if sampling.questionnaire_note else ""),
                required=Quantity.of(questionnaires, "interviews", "<="),
                subject="workers",
                reading="the share is of the worker interviews; the plan does not know the split, so the number "
                "assumes every interview is a worker's",
                sources=sampling.reference,
                confidence=sampling.questionnaire_confidence,
                plugin=plugin,
            )
        )
    for version in table_in_force(sampling.interviews, on, program), table_in_force(sampling.sites, on, program):
        if version is not None and version.note:
            reasons.append(
                Finding(
                    check="sampling.note",
                    status="info",
                    message=version.note,
                    sources=version.reference,
                    confidence=version.confidence,
                    plugin=plugin,
                    rule_version=version.start,
                )
            )
    return SamplePlan(standard.id, workers, sites, interviews, sites_minimum, questionnaires, tuple(reasons))


def composition(standard: Standard, audit: Audit, plugin: str, strict: bool = False) -> list[Finding]:
    """Who was interviewed: every level the standard requires, and questionnaires within their share of the
    worker interviews (they never stand in for managers or supervisors)."""
    sampling = standard.sampling
    if sampling is None:
        return []
    findings: list[Finding] = []
    levels = audit.interviews_by_level
    if levels and sampling.levels_required:
        for level in sampling.levels_required:
            done = levels.get(level, 0)
            findings.append(
                Finding(
                    check="sampling.interview_levels",
                    status=decided(done > 0, sampling.levels_confidence, strict),
                    message=f"{level}: {done} interviewed"
                    + (
                        ""
                        if done
                        else f" — {standard.id} asks that every level ({', '.join(sampling.levels_required)}) be interviewed"
                    ),
                    subject=level,
                    required=Quantity.of(1, "interviews", ">="),
                    measured=Quantity.of(done, "interviews"),
                    sources=sampling.levels_reference,
                    confidence=sampling.levels_confidence,
                    plugin=plugin,
                )
            )
    questionnaires = audit.questionnaires
    if questionnaires and sampling.questionnaire_share is not None:
        workers = levels.get("workers")
        share = sampling.questionnaire_share
        if workers is None:
            findings.append(
                Finding(
                    check="sampling.questionnaires",
                    status="info",
                    message=f"{questionnaires} questionnaire(s) used; give interviews_by_level.workers to check them "
                    f"against the {number_text(share)}% share of worker interviews",
                    sources=sampling.reference,
                    confidence=sampling.questionnaire_confidence,
                    plugin=plugin,
                )
            )
        else:
            total = workers + questionnaires
            ok = questionnaires * 100 <= share * total
            findings.append(
                Finding(
                    check="sampling.questionnaires",
                    status=decided(ok, sampling.questionnaire_confidence, strict),
                    message=f"{questionnaires} questionnaire(s) of {total} worker interviews "
                    f"({'within' if ok else 'over'} the {number_text(share)}% share)",
                    subject="workers",
                    required=Quantity.of(share, "%", "<="),
                    measured=Quantity(
                        number=Fraction(questionnaires * 100, total), unit="%", text=f"{questionnaires}/{total}"
                    ),
                    sources=sampling.reference,
                    reading="questionnaires count as worker interviews: at most the share of all worker interviews, "
                    "in person and by questionnaire, may be questionnaires",
                    confidence=sampling.questionnaire_confidence,
                    plugin=plugin,
                )
            )
    return findings
