"""Results as JSON (exact values as strings, percentages rounded to 2 places) and as text tables."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from corengine._rules.outcome import applied_rule
from corengine._rules.scoring import format_percent, format_percent_against, round_to
from corengine._util.textlayout import HIDDEN, Layout, fit_all, style, table, wrap
from corengine._views.documents import element_minimum, outcome_result, overall_minimum, result_document
from corengine.model import Outcome, Result, Rounding, SamplePlan
from corengine.model.converter import MAX_DECIMALS, unstructure
from corengine.model.findings import Finding, Quantity, number_text


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


def result_bytes(result: Result) -> bytes:
    """Exactly the bytes ``corengine score --format json`` writes for ``result`` (UTF-8, stable key order, a final
    newline): :func:`result_json`'s data as :func:`dumps` writes it."""
    return dumps(result_json(result)).encode("utf-8")


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

EXPLAINED_BY_INFO = frozenset({"certificate"})
"""Checks (the part of the id after the rule) whose failing or advisory finding sums up the informational findings
of the same check id: "the score passes but no certificate's conditions are met" after one "COR (1 year) not
granted: needs an external auditor" per certificate. ``--failures`` keeps those informational findings with it."""


def _explains(finding: Finding, shown: set[str]) -> bool:
    """Whether ``finding`` is an informational finding that explains a failing or advisory one being shown (same
    check id, and a check of :data:`EXPLAINED_BY_INFO`): decided by check id and status, never by message text."""
    return finding.status == "info" and finding.check in shown and finding.check.rpartition(".")[2] in EXPLAINED_BY_INFO


def shortfalls(findings: Sequence[Finding]) -> tuple[list[Finding], int]:
    """The failing and advisory findings, with the informational findings that explain them (each certificate not
    granted, where no certificate could be granted), and how many others there were."""
    shown = {f.check for f in findings if f.status in SHORTFALLS}
    kept = [f for f in findings if f.status in SHORTFALLS or _explains(f, shown)]
    return kept, len(findings) - len(kept)


def failures_first(findings: Sequence[Finding]) -> list[Finding]:
    """The decisive failing findings first (a failing result's first reason is one that failed it), each followed
    by the informational findings that explain it (:func:`_explains`: each certificate not granted), then the
    rest in their own order: decided by status and check id, never by message text."""
    failed = [f for f in findings if f.status == "fail"]
    checks = {f.check for f in failed}
    explaining = [f for f in findings if _explains(f, checks)]
    first: list[Finding] = []
    for finding in failed:
        first.append(finding)
        if finding.check not in {f.check for f in first[:-1]}:
            first += [f for f in explaining if f.check == finding.check]
    moved = {id(f) for f in explaining}
    return first + [f for f in findings if f.status != "fail" and id(f) not in moved]


_SHORT_VERBS = {">=": "below", ">": "not above", "<=": "above", "<": "not below"}
"""How a headline says a number missed its requirement, by the requirement's comparison."""

HEADLINE_FAILURES = 3
"""How many decisive failures a failing headline names before it counts the rest."""


def failure_summary(finding: Finding) -> str:
    """One failing finding in a few words, from its typed fields: ``element 3 below 50%`` (what, how it missed, the
    value required) where the finding names a subject, or is the overall minimum, and requires a number; else the
    finding's own sentence."""
    required = finding.required
    verb = _SHORT_VERBS.get(required.compare if required else "")
    what = f"{finding.subject_kind} {finding.subject}".strip() if finding.subject else ""
    if not what and finding.check.rpartition(".")[2] == "overall_minimum":
        what = "overall"
    if required is None or required.number is None or required.upper is not None or not verb or not what:
        return finding.message
    return f"{what} {verb} {Quantity(number=required.number, unit=required.unit)}"


def failure_headline(findings: Sequence[Finding]) -> str:
    """What failed, for a ``NOT PASSED`` headline: the first :data:`HEADLINE_FAILURES` decisive failures in a few
    words each (:func:`failure_summary`), then how many more; empty when none failed."""
    failed = [f for f in findings if f.status == "fail"]
    words = "; ".join(failure_summary(f) for f in failed[:HEADLINE_FAILURES])
    more = len(failed) - HEADLINE_FAILURES
    return words + (f"; and {more} more" if more > 0 else "")


def points_text(value: Fraction) -> str:
    """Points for people: a decimal where one is exact in at most :data:`~corengine.model.converter.MAX_DECIMALS`
    places, the most an audit may write (``55.9965``, not ``111993/2000``), else the exact fraction (``70/9``).
    The JSON keeps the exact ``a/b`` form whatever this shows."""
    if (10**MAX_DECIMALS) % value.denominator:
        return str(value)
    return number_text(value)


def percent_against(value: Fraction | None, threshold: Fraction | None, rounding: Rounding | None = None) -> str:
    """A percentage shown beside a threshold it was compared with: never on the wrong side of it. Enough places to
    show the side (79.995%, not 80.00%, beside an 80% minimum), as the reasons print it; where the rule rounds
    before it compares and the rounding moves the value across the threshold, the rounded value too
    (``79.50% (rounds to 80%)``). Without a threshold, :func:`~corengine._rules.scoring.format_percent`."""
    if value is None or threshold is None:
        return format_percent(value)
    shown = format_percent_against(value, threshold)
    if rounding is None:
        return shown
    compared = round_to(value, Fraction(1, 10**rounding.places), rounding.mode)
    if (compared >= threshold) == (value >= threshold):
        return shown
    return f"{shown} (rounds to {number_text(compared)}%)"


def rounding_of(result: Result) -> Rounding | None:
    """The rounding the rule in force applies to a percentage before comparing it (None: compared exactly)."""
    found = applied_rule(result)
    return None if found is None else found[1].rounding


def hidden_line(hidden: int) -> str:
    """What ``--failures`` says about the findings it left out."""
    what = "finding" if hidden == 1 else "findings"
    return f"{hidden} passing and informational {what} hidden; drop --failures to see them"


def reason_lines(findings: Sequence[Finding], layout: Layout | None = None, failures: bool = False) -> list[str]:
    """Each finding — its mark, message, check, version, plugin and confidence — wrapped to the width with a
    hanging indent, then its sources once each as numbered notes and its readings as lettered notes.
    ``failures``: only fail and advisory findings with the informational ones that explain them
    (:func:`shortfalls`), and a line counting the others."""
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
    rounding = rounding_of(result)
    judged = {"pass": "yes", "fail": "NO", "advisory": "adv."}
    rows = [["Element", "Title", "Earned", "Available", "Percent", "Minimum", "Pass"]]
    for element in score.elements:
        minimum, status = element_minimum(result, element.id)
        rows.append(
            [
                element.id,
                element.title,
                points_text(element.earned),
                points_text(element.available),
                percent_against(element.percent, minimum, rounding),
                f"{number_text(minimum)}%" if minimum is not None else "-",
                judged.get(status or "", "-") if element.counted else "not counted",
            ]
        )
    least, status = overall_minimum(result)
    rows.append(
        [
            "",
            "Overall",
            points_text(score.earned),
            points_text(score.available),
            percent_against(score.percent, least, rounding),
            "" if least is None else f"{number_text(least)}%",
            "" if least is None else judged.get(status or "", "-"),
        ]
    )
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
        *reason_lines(failures_first(outcome.reasons), layout, failures),
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
