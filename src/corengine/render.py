"""Results as JSON (exact values as strings, percentages rounded to 2 places) and as text tables."""

from __future__ import annotations

import json
from typing import Any

from .converter import unstructure
from .document import element_minimum, outcome_result, result_document
from .findings import Finding, number_text
from .model import Outcome, Result, SamplePlan
from .scoring import format_percent


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as JSON data (from the converter, like every published document)."""
    data: dict[str, Any] = unstructure(finding)
    return data


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """An outcome in the published shape."""
    data: dict[str, Any] = unstructure(outcome_result(outcome))
    return data


def result_json(result: Result) -> dict[str, Any]:
    """The score result as plain data, in the published shape (``schemas/result.schema.json``)."""
    data: dict[str, Any] = unstructure(result_document(result))
    return data


def dumps(data: Any) -> str:
    """Stable JSON: same input, same bytes."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


MARKS = {"pass": "PASS", "fail": "FAIL", "advisory": "ADVISORY", "info": "info"}
"""How each status is marked in text output."""


def reason_lines(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    """One line per finding, its check, version, plugin and confidence, with sources as numbered notes below."""
    sources: dict[str, int] = {}
    readings: dict[str, str] = {}
    lines = []
    for f in findings:
        notes = [str(sources.setdefault(ref, len(sources) + 1)) for ref in f.sources]
        if f.reading:
            notes.append(readings.setdefault(f.reading, chr(ord("a") + len(readings) % 26) * (1 + len(readings) // 26)))
        where = f.check + (f" from {f.rule_version}" if f.rule_version else "") + f"; {f.plugin}"
        where += f"; confidence {f.confidence}" if f.confidence else ""
        cite = f" [{','.join(notes)}]" if notes else ""
        lines.append(f"  {MARKS[f.status]:4}  {f.message} ({where}){cite}")
    if sources:
        lines.append("Sources:")
        lines += [f"  [{n}] {ref}" for ref, n in sources.items()]
    if readings:
        lines.append("Readings (where the sources are silent, the reading the engine took):")
        lines += [f"  [{mark}] {reading}" for reading, mark in readings.items()]
    return lines


def result_text(result: Result) -> str:
    """The element table and the outcome with its reasons, for people."""
    score, audit, outcome = result.score, result.audit, result.outcome
    head = [
        f"{audit.employer.name} — {audit.audit_type} audit ({score.program}) on {audit.audit_date}",
        f"Standard: {score.standard} version {score.standard_version} ({result.standard.source.plugin})",
        f"Auditor: {audit.auditor.name} ({audit.auditor.kind}); methods used: {'+'.join(audit.methods_used)}",
        "",
    ]
    rows = [["Element", "Title", "Earned", "Available", "Percent", "Minimum", "Pass"]]
    for element in score.elements:
        minimum, status = element_minimum(result, element.id)
        rows.append(
            [
                element.id,
                element.title,
                str(element.earned),
                str(element.available),
                format_percent(element.percent),
                f"{number_text(minimum)}%" if minimum is not None else "-",
                {"pass": "yes", "fail": "NO", "advisory": "adv."}.get(status or "", "-"),
            ]
        )
    rows.append(["", "Overall", str(score.earned), str(score.available), format_percent(score.percent), "", ""])
    verdict = "PASSED" if outcome.passed else "NOT PASSED"
    if outcome.passed and outcome.advisories:
        verdict += f" subject to {len(outcome.advisories)} advisory finding(s)"
    cert = f" — {outcome.certificate}" if outcome.certificate else ""
    until = f", valid until {outcome.valid_until}" if outcome.valid_until else ""
    tail = ["", f"Outcome: {verdict}{cert}{until}", "Reasons:", *reason_lines(outcome.reasons)]
    return "\n".join(head + _table(rows, {2, 3, 4, 5}) + tail) + "\n"


def sample_json(plan: SamplePlan) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(plan)
    return data


def sample_text(plan: SamplePlan) -> str:
    def show(value: int | None) -> str:
        return "set by the partner" if value is None else str(value)

    lines = [
        f"Sample plan for {plan.standard}: {plan.workers} workers"
        + (f", {plan.sites} sites" if plan.sites is not None else ""),
        f"  minimum interviews:         {show(plan.interviews_minimum)}",
    ]
    if plan.sites is not None:
        lines.append(f"  minimum sites to visit:     {show(plan.sites_minimum)}")
    if plan.questionnaires_maximum is not None:
        lines.append(f"  questionnaires at most:     {plan.questionnaires_maximum}")
    lines += ["Reasons:", *reason_lines(plan.reasons)]
    return "\n".join(lines) + "\n"
