"""Results as JSON (exact values as strings, percentages rounded to 2 places) and as text tables."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from .converter import unstructure
from .findings import Finding, Status, number_text
from .model import Outcome, Result, SamplePlan
from .scoring import display_percent, format_percent

RESULT_FORMAT = "corengine.result/1"
"""Version of the score result's JSON shape (``schemas/result.schema.json``)."""


def exact(value: Any) -> str:
    return str(value)


def finding_json(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(finding)
    return data


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "passed": outcome.passed,
        "certificate": outcome.certificate,
        "certificate_months": outcome.certificate_months,
        "valid_until": outcome.valid_until.isoformat() if outcome.valid_until else None,
        "program": outcome.program,
        "rule": outcome.rule,
        "plugin": outcome.plugin,
        "strict": outcome.strict,
        "advisories": len(outcome.advisories),
        "reasons": [finding_json(f) for f in outcome.reasons],
    }


def element_minimum(result: Result, element_id: str) -> tuple[Fraction | None, Status | None]:
    """The element minimum applied (a percentage) and the status of its check (None: not judged)."""
    for finding in result.outcome.reasons:
        required = finding.required
        if (
            finding.subject_kind == "element"
            and finding.subject == element_id
            and required is not None
            and required.unit == "%"
            and required.number is not None
        ):
            return required.number, finding.status
    return None, None


def result_json(result: Result) -> dict[str, Any]:
    """The score result as plain data, in the published shape."""
    score, audit = result.score, result.audit
    elements = []
    for element in score.elements:
        minimum, status = element_minimum(result, element.id)
        elements.append(
            {
                "id": element.id,
                "title": element.title,
                "earned": exact(element.earned),
                "available": exact(element.available),
                "percent": display_percent(element.percent),
                "percent_exact": None if element.percent is None else exact(element.percent),
                "minimum": None if minimum is None else float(minimum),
                "passed": None if status not in ("pass", "fail") else status == "pass",
                "status": status,
                "questions": [
                    {
                        "id": q.id,
                        "status": q.status,
                        "earned": exact(q.earned),
                        "available": exact(q.available),
                        "method": q.method,
                        "explanation": q.explanation,
                    }
                    for q in element.questions
                ],
            }
        )
    return {
        "format": RESULT_FORMAT,
        "standard": {
            "id": score.standard,
            "version": score.standard_version,
            "plugin": result.standard.source.plugin,
            "extends": list(result.standard.chain[1:]),
        },
        "audit": {
            "type": audit.audit_type,
            "program": score.program,
            "date": audit.audit_date.isoformat(),
            "employer": audit.employer.name,
            "auditor": audit.auditor.name,
            "auditor_kind": audit.auditor.kind,
            "methods_used": list(audit.methods_used),
        },
        "overall": {
            "earned": exact(score.earned),
            "available": exact(score.available),
            "percent": display_percent(score.percent),
            "percent_exact": None if score.percent is None else exact(score.percent),
        },
        "elements": elements,
        "outcome": outcome_json(result.outcome),
    }


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
