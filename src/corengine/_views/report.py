"""The audit report an auditor hands over: Markdown, or one self-contained HTML file.

One view, two templates: :func:`report_data` turns a result into plain data, and ``templates/report.md.j2`` and
``templates/report.html.j2`` render that same data, in the same order, so the two formats say the same things.
Every field from an audit, an evidence index or a standard is escaped: in HTML by Jinja2's autoescaping, in
Markdown by :func:`md_escape` (the ``md`` filter, which the Markdown template also applies to any expression not
marked safe), so a note containing ``<script>`` is shown as text. Only ``http``, ``https`` and ``mailto`` sources
become links (:func:`linkable`); anything else is shown as text.

Sources are listed once, as numbered notes each reason cites; readings (where the published sources are silent and
the engine chose) likewise, lettered.
"""

from __future__ import annotations

import textwrap
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import markupsafe

from corengine._host.engine import Engine
from corengine._io.distributions import VERSION as __version__
from corengine._rules.action_plan import Plan, build_plan
from corengine._rules.outcome import applied_rule
from corengine._rules.scoring import display_percent
from corengine._util.escaping import linkable, md_escape
from corengine._views.documents import element_minimum, overall_minimum
from corengine._views.explain import input_digest, standard_digest
from corengine._views.plan import plan_data
from corengine._views.render import MARKS, failure_headline, failures_first, percent_against, points_text
from corengine.errors import CorengineError
from corengine.model import Result, Rounding
from corengine.model.converter import unstructure
from corengine.model.findings import Finding, number_text

SAMPLED = {"sampling.interviews": "Interviews", "sampling.sites": "Sites visited"}
"""The core's sampling-achieved checks, as the report's rows name them."""


def _sampling(engine: Engine, result: Result) -> list[dict[str, Any]]:
    audit = result.audit
    rows = []
    for finding in result.outcome.reasons:
        if finding.check in SAMPLED:
            rows.append(
                {
                    "what": SAMPLED[finding.check],
                    "required": "" if finding.required is None else number_text(finding.required.number or Fraction(0)),
                    "achieved": "" if finding.measured is None else number_text(finding.measured.number or Fraction(0)),
                    "passed": finding.passed,
                    "status": finding.status,
                    "confidence": finding.confidence or "",
                }
            )
    if rows or audit.employer.workers is None:
        return rows
    try:
        plan = engine.sample(
            result.standard.standard.id,
            audit.employer.workers,
            audit.employer.sites,
            audit.audit_date,
            result.score.program,
        )
    except CorengineError:  # a standard without a sampling table: the report shows everything else
        return rows
    if plan.interviews_minimum is not None:
        rows.append(
            {
                "what": "Interviews",
                "required": str(plan.interviews_minimum),
                "achieved": "not recorded",
                "passed": None,
                "status": None,
                "confidence": plan.reasons[0].confidence or "" if plan.reasons else "",
            }
        )
    return rows


def _plan_display(
    plan: Plan, minimum: Fraction | None, rounding: Rounding | None, questions: dict[str, str]
) -> dict[str, Any]:
    """The plan as the report shows it: :func:`~corengine._rules.action_plan.plan_data` with points as
    :func:`~corengine._views.render.points_text`, each question's text beside its number, and the overall after
    the path against the overall minimum."""
    data = plan_data(plan)
    actions = [
        action
        | {key: points_text(Fraction(action[key])) for key in ("earned", "available", "recoverable")}
        | {"text": questions.get(action["question"], "")}
        for action in data["actions"]
    ]
    path = data["path_to_pass"] | {
        "gain": points_text(plan.path.gain),
        "overall_after": percent_against(plan.path.overall_after, minimum, rounding),
    }
    return data | {"actions": actions, "path": path}


def _reading_mark(index: int) -> str:
    """``a`` .. ``z``, then ``aa``, ``bb``: the marks the text output gives readings."""
    return chr(ord("a") + index % 26) * (1 + index // 26)


def _reasons(findings: tuple[Finding, ...]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Each reason with the numbers of its sources and the mark of its reading; the sources and the readings once."""
    sources: dict[str, int] = {}
    readings: dict[str, str] = {}
    reasons = []
    for f in findings:
        numbers = [sources.setdefault(ref, len(sources) + 1) for ref in f.sources]
        mark = readings.setdefault(f.reading, _reading_mark(len(readings))) if f.reading else ""
        reasons.append(
            {
                "mark": MARKS[f.status],
                "status": f.status,
                "passed": f.passed,
                "message": f.message,
                "rule": f.check + (f" from {f.rule_version}" if f.rule_version else ""),
                "plugin": f.plugin,
                "confidence": f.confidence or "",
                "sources": numbers,
                "reading": mark,
                "notes": [str(n) for n in numbers] + ([mark] if mark else []),
            }
        )
    return (
        reasons,
        [{"number": n, "url": url} for url, n in sources.items()],
        [{"mark": mark, "text": text} for text, mark in readings.items()],
    )


def _verdict(passed: bool, advisories: int, strict: bool, failed: str = "") -> str:
    """``PASSED``, ``PASSED subject to N advisory finding(s)``, or ``NOT PASSED: element 3 below 50%`` (what
    failed, from the findings: :func:`~corengine._views.render.failure_headline`)."""
    verdict = "PASSED" if passed else "NOT PASSED"
    if passed and advisories:
        verdict += f" subject to {advisories} advisory finding(s)"
    if not passed and failed:
        verdict += f": {failed}"
    if strict:
        verdict += " (strict: advisories decisive)"
    return verdict


def report_data(engine: Engine, result: Result, plan: Plan | None = None) -> dict[str, Any]:
    """Everything the report shows, as plain data: points as decimals where exact, else fractions
    (:func:`~corengine._views.render.points_text`); a percentage beside its minimum with the places that show its side
    (:func:`~corengine._views.render.percent_against`); ``percent`` rounded for display, ``percent_exact`` for the bars."""
    audit, score, outcome, standard = result.audit, result.score, result.outcome, result.standard.standard
    plan = plan or build_plan(result)
    found = applied_rule(result)
    rounding = None if found is None else found[1].rounding
    questions = {q.id: q for _, q in standard.questions()}
    elements = []
    for element in score.elements:
        minimum, status = element_minimum(result, element.id)
        details = []
        for q in element.questions:
            response = audit.responses.get(q.id)
            note = response.note if response else ""
            if q.status == "scored" and q.earned >= q.available and not note:
                continue
            if q.status == "excluded":
                continue
            details.append(
                {
                    "id": q.id,
                    "text": questions[q.id].text,
                    "status": q.status,
                    "earned": points_text(q.earned),
                    "available": points_text(q.available),
                    "explanation": q.explanation,
                    "note": note,
                }
            )
        elements.append(
            {
                "id": element.id,
                "title": element.title,
                "earned": points_text(element.earned),
                "available": points_text(element.available),
                "percent": display_percent(element.percent),
                "percent_exact": None if element.percent is None else float(element.percent),
                "percent_text": percent_against(element.percent, minimum, rounding),
                "minimum": None if minimum is None else float(minimum),
                "passed": None if status not in ("pass", "fail") else status == "pass",
                "status": status,
                "details": details,
            }
        )
    judged_minimum, overall_status = overall_minimum(result)
    least_overall = found[1].overall_minimum if found else None
    least_element = found[1].element_minimum if found else None
    threshold = judged_minimum if judged_minimum is not None else least_overall
    reasons, sources, readings = _reasons(tuple(failures_first(outcome.reasons)))
    advisories = len(outcome.advisories)
    return {
        "title": f"{standard.title} — {audit.audit_type} audit",
        "employer": unstructure(audit.employer),
        "audit": {
            "type": audit.audit_type,
            "program": score.program,
            "date": audit.audit_date.isoformat(),
            "start_date": audit.start_date.isoformat() if audit.start_date else None,
            "report_date": audit.report_date.isoformat() if audit.report_date else None,
            "methods_used": "+".join(audit.methods_used),
            "notes": audit.notes,
        },
        "auditor": unstructure(audit.auditor),
        "standard": {
            "id": standard.id,
            "title": standard.title,
            "version": standard.version,
            "partner": standard.partner,
            "chain": " extends ".join(result.standard.chain),
            "reference_document": standard.reference_document,
        },
        "rule": {
            "id": outcome.rule,
            "version": found[1].start.isoformat() if found else None,
            "plugin": outcome.plugin,
            "overall_minimum": None if least_overall is None else float(least_overall),
            "element_minimum": None if least_element is None else float(least_element),
        },
        "overall": {
            "earned": points_text(score.earned),
            "available": points_text(score.available),
            "percent": display_percent(score.percent),
            "percent_exact": None if score.percent is None else float(score.percent),
            "percent_text": percent_against(score.percent, threshold, rounding),
            "minimum": None if least_overall is None else float(least_overall),
            "status": overall_status,
        },
        "elements": elements,
        "outcome": {
            "passed": outcome.passed,
            "advisories": advisories,
            "strict": outcome.strict,
            "status": "fail" if not outcome.passed else "advisory" if advisories else "pass",
            "verdict": _verdict(outcome.passed, advisories, outcome.strict, failure_headline(outcome.reasons)),
            "failures": [reason for reason in reasons if reason["status"] == "fail"],
            "certificate": outcome.certificate,
            "valid_until": outcome.valid_until.isoformat() if outcome.valid_until else None,
            "reasons": reasons,
        },
        "sources": sources,
        "readings": readings,
        "sampling": _sampling(engine, result),
        "plan": _plan_display(plan, threshold, rounding, {q.id: q.text for q in questions.values()}),
        "footer": {
            "engine": __version__,
            "input_digest": input_digest(audit),
            "standard_digest": standard_digest(standard),
        },
    }


# --------------------------------------------------------------------------- rendering helpers


class MarkdownSafe(str):
    """Markdown the template may output as it is (already escaped, or built only from checked parts)."""

    __slots__ = ()


def _md_filter(value: Any) -> MarkdownSafe:
    return value if isinstance(value, MarkdownSafe) else MarkdownSafe(md_escape(value))


def _md_autolink(url: Any) -> MarkdownSafe:
    """``<https://...>`` for a link the report may make, else the address as escaped text."""
    return MarkdownSafe(f"<{url}>") if linkable(url) else _md_filter(url)


def _css_string(value: Any) -> markupsafe.Markup:
    """``value`` as a quoted CSS string with every character but ASCII letters and digits written as a six-digit
    hex escape (a space too: CSS swallows one after an escape), so text from an audit can neither end the string
    nor the ``<style>`` element it is in."""
    escaped = "".join(char if char.isascii() and char.isalnum() else f"\\{ord(char):06x}" for char in str(value))
    return markupsafe.Markup(f'"{escaped}"')


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:g}%"


@cache
def _templates() -> dict[str, str]:
    folder = resources.files("corengine._views").joinpath("templates")
    return {name: folder.joinpath(name).read_text(encoding="utf-8") for name in ("report.md.j2", "report.html.j2")}


def _environment(fmt: str) -> jinja2.Environment:
    """The HTML environment autoescapes; the Markdown one escapes every expression with :func:`md_escape` unless
    it is :class:`MarkdownSafe`, so a field the template forgets to filter is escaped all the same."""
    options: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "loader": jinja2.DictLoader(_templates()),
    }
    if fmt == "html":
        env = jinja2.Environment(autoescape=True, **options)
    else:
        env = jinja2.Environment(autoescape=False, finalize=_md_filter, **options)
        env.filters["md"] = _md_filter
        env.filters["autolink"] = _md_autolink
    env.filters["pct"] = _pct
    env.filters["css_string"] = _css_string
    env.tests["linkable"] = linkable
    return env


# --------------------------------------------------------------------------- Markdown


def markdown(data: dict[str, Any]) -> str:
    """The report as Markdown, from ``templates/report.md.j2``."""
    return _environment("md").get_template("report.md.j2").render(data=data)


# --------------------------------------------------------------------------- HTML

FILLS = {"pass": "#2da44e", "fail": "#cf222e", "advisory": "#bf8700", "none": "#8c959f"}
"""Bar colours: pass green, fail red, advisory amber, not judged grey."""

LABEL_CHARS = 32
"""Characters per line of a chart label before it wraps (nothing is cut)."""

BAR, LINE, LEFT, WIDTH, RIGHT, GAP, TOP = 18, 13, 220, 400, 130, 8, 4
"""Chart geometry in pixels: bar height, label line height, label column, bar length, value column, gap between
rows, and room above the first bar for its minimum mark."""

VALUE_CHAR = 7
"""Pixels allowed per character of a bar's value text (11px digits are narrower): the value column grows past
``RIGHT`` for a long value such as ``79.50% (rounds to 80%) (min 80%)``, so the picture never cuts it."""


def _px(value: float) -> float | int:
    """A coordinate as written in the SVG: at most 2 decimals, and ``12`` rather than ``12.0``."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _bar(
    y: float, label: str, percent: float | None, minimum: float | None, status: str | None, value: str
) -> dict[str, Any]:
    lines = textwrap.wrap(label, LABEL_CHARS, break_long_words=True, break_on_hyphens=False) or [""]
    height = max(BAR, LINE * len(lines) + 5)
    top = y + (height - BAR) / 2
    first = y + (height - LINE * len(lines)) / 2 + 10
    kind = status if status in ("pass", "fail", "advisory") else "none"
    shown = value + ("" if minimum is None else f" (min {_pct(minimum)})")
    return {
        "height": height,
        "lines": [{"text": text, "y": _px(first + LINE * n)} for n, text in enumerate(lines)],
        "bar_y": _px(top),
        "text_y": _px(top + 13),
        "width": _px(WIDTH * min(max(percent or 0.0, 0.0), 100.0) / 100),
        "fill": FILLS[kind],
        "kind": kind,
        "value": shown,
        "minimum_x": None if minimum is None else _px(LEFT + WIDTH * minimum / 100),
        "minimum_y1": _px(top - 3),
        "minimum_y2": _px(top + BAR + 3),
        "title": f"{label}: {shown}" + ("" if kind == "none" else f", {MARKS[kind]}"),
    }


def chart(data: dict[str, Any]) -> dict[str, Any]:
    """Geometry of the score chart: the overall bar against the overall minimum, then one bar per element
    against that element's own minimum. Labels wrap (never cut) and the picture grows to fit them."""
    overall = data["overall"]
    top = _bar(TOP, "Overall", overall["percent_exact"], overall["minimum"], overall["status"], overall["percent_text"])
    separator = TOP + top["height"] + 2 * GAP
    y = separator + 2 * GAP
    rows = []
    for el in data["elements"]:
        row = _bar(y, f"{el['id']} {el['title']}", el["percent_exact"], el["minimum"], el["status"], el["percent_text"])
        rows.append(row)
        y += row["height"] + GAP
    right = max(RIGHT, 6 + VALUE_CHAR * max(len(row["value"]) for row in [top, *rows]))
    return {
        "overall": top,
        "rows": rows,
        "bar": BAR,
        "left": LEFT,
        "width": WIDTH,
        "value_x": LEFT + WIDTH + 6,
        "total_width": LEFT + WIDTH + right,
        "separator_y": _px(separator),
        "height": _px(y + TOP),
    }


def html(data: dict[str, Any]) -> str:
    """The report as one self-contained HTML file (inline CSS and SVG; nothing fetched)."""
    return _environment("html").get_template("report.html.j2").render(data=data, chart=chart(data))


# --------------------------------------------------------------------------- PDF


PANGO_HINT = "Debian and Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
"""What to install when WeasyPrint cannot load the Pango library it draws text with."""


def pdf_renderer() -> Any:
    """The ``weasyprint`` module, imported here only (the other formats never load it; it is slow to import); a
    :class:`~corengine.errors.CorengineError` saying what to install when it cannot load its system libraries."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: a system library (Pango) that cannot be loaded
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CorengineError(
            f"report --format pdf needs WeasyPrint and the Pango library, which cannot be loaded here ({first}); "
            f"{PANGO_HINT}"
        ) from None
    return weasyprint


def pdf(data: dict[str, Any]) -> bytes:
    """The report as a PDF, from the HTML template (its print stylesheet: page numbers and the running footer in
    the page margin). WeasyPrint is imported here only, so the other formats never load it; nothing is fetched
    (the HTML has no external resources, and any URL the renderer is asked for is refused)."""
    weasyprint = pdf_renderer()

    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"the report fetches nothing (asked for {url})")

    document = weasyprint.HTML(string=html(data), url_fetcher=refuse, base_url=None)
    written: bytes = document.write_pdf()
    return written
