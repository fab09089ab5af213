"""Results as JSON (exact values as strings, percentages rounded to 2 places) and as text tables."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from .converter import unstructure
from .document import element_minimum, outcome_result, result_document
from .findings import Finding, number_text
from .model import Outcome, Result, SamplePlan
from .scoring import format_percent
from .textlayout import HIDDEN, Layout, fit_all, style, table, wrap


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


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def _json_escape(found: re.Match[str]) -> str:
    char = found.group()
    if unicodedata.category(char) not in HIDDEN:
        return char
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # JSON writes astral characters as a surrogate pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def dumps(data: Any) -> str:
    """Stable JSON: same input, same bytes. Text stays readable (``é``, ``—``), but control and invisible format
    characters (C1 controls, bidi overrides, zero-width spaces) are written as ``\\u`` escapes, as JSON already
    writes C0 controls, so printing the JSON on a terminal sends no escape sequence from user text."""
    return _NOT_ASCII.sub(_json_escape, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)) + "\n"


MARKS = {"pass": "PASS", "fail": "FAIL", "advisory": "ADVISORY", "info": "info"}
"""How each status is marked in text output."""

SHORTFALLS = ("fail", "advisory")
"""The statuses ``--failures`` keeps."""


def shortfalls(findings: Sequence[Finding]) -> tuple[list[Finding], int]:
    """The failing and advisory findings, and how many others there were."""
    kept = [f for f in findings if f.status in SHORTFALLS]
    return kept, len(findings) - len(kept)


def hidden_line(hidden: int) -> str:
    """What ``--failures`` says about the findings it left out."""
    what = "finding" if hidden == 1 else "findings"
    return f"{hidden} passing and informational {what} hidden; drop --failures to see them"


def reason_lines(findings: Sequence[Finding], layout: Layout | None = None, failures: bool = False) -> list[str]:
    """Each finding — its mark, message, check, version, plugin and confidence — wrapped to the width with a
    hanging indent, then its sources once each as numbered notes and its readings as lettered notes.
    ``failures``: only fail and advisory findings, and a line counting the others."""
    layout = layout or Layout.detect()
    width = layout.width
    hidden = 0
    if failures:
        findings, hidden = shortfalls(findings)
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
        mark = MARKS[f.status]
        lead = f"  {mark:4}  "
        entry = wrap(f"{f.message} ({where}){cite}", width, lead, " " * len(lead))
        entry[0] = "  " + style(mark, f.status, layout.colour) + entry[0][2 + len(mark) :]
        lines += entry
    if failures and not findings:
        lines += wrap("no failing or advisory findings", width, "  ", "  ")
    if hidden:
        lines += wrap(hidden_line(hidden), width, "  ", "  ")
    if sources:
        lines.append("Sources:")
        for ref, n in sources.items():
            lead = f"  [{n}] "
            lines += wrap(ref, width, lead, " " * len(lead))
    if readings:
        lines += wrap("Readings (where the sources are silent, the reading the engine took):", width, "", "  ")
        for reading, mark in readings.items():
            lead = f"  [{mark}] "
            lines += wrap(reading, width, lead, " " * len(lead))
    return lines


def result_text(result: Result, layout: Layout | None = None, failures: bool = False) -> str:
    """The element table and the outcome with its reasons, for people (``failures``: only the failing and
    advisory reasons)."""
    layout = layout or Layout.detect()
    score, audit, outcome = result.score, result.audit, result.outcome
    head = [
        f"{audit.employer.name} — {audit.audit_type} audit ({score.program}) on {audit.audit_date}",
        f"Standard: {score.standard} version {score.standard_version} ({result.standard.source.plugin})",
        f"Auditor: {audit.auditor.name} ({audit.auditor.kind}); methods used: {'+'.join(audit.methods_used)}",
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
    word = "PASSED" if outcome.passed else "NOT PASSED"
    verdict = word
    if outcome.passed and outcome.advisories:
        verdict += f" subject to {len(outcome.advisories)} advisory finding(s)"
    cert = f" — {outcome.certificate}" if outcome.certificate else ""
    until = f", valid until {outcome.valid_until}" if outcome.valid_until else ""
    said = fit_all([f"Outcome: {verdict}{cert}{until}"], layout.width)
    if said[0].startswith(f"Outcome: {word}"):
        status = "fail" if not outcome.passed else "advisory" if outcome.advisories else "pass"
        said[0] = "Outcome: " + style(word, status, layout.colour) + said[0][len(f"Outcome: {word}") :]
    lines = [
        *fit_all(head, layout.width),
        "",
        *table(rows, layout.width, {2, 3, 4, 5}),
        "",
        *said,
        "Reasons:",
        *reason_lines(outcome.reasons, layout, failures),
    ]
    return "\n".join(lines) + "\n"


def sample_json(plan: SamplePlan) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(plan)
    return data


def sample_text(plan: SamplePlan, layout: Layout | None = None) -> str:
    def show(value: int | None) -> str:
        return "set by the partner" if value is None else str(value)

    layout = layout or Layout.detect()
    lines = [
        f"Sample plan for {plan.standard}: {plan.workers} workers"
        + (f", {plan.sites} sites" if plan.sites is not None else ""),
        f"  minimum interviews:         {show(plan.interviews_minimum)}",
    ]
    if plan.sites is not None:
        lines.append(f"  minimum sites to visit:     {show(plan.sites_minimum)}")
    if plan.questionnaires_maximum is not None:
        lines.append(f"  questionnaires at most:     {plan.questionnaires_maximum}")
    lines += ["Reasons:"]
    return "\n".join([*fit_all(lines, layout.width), *reason_lines(plan.reasons, layout)]) + "\n"
