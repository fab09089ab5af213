"""The audit report an auditor hands over: Markdown, or one self-contained HTML file.

Both are built from one plain-data view of the result (:func:`report_data`), so they say the same things.
User text (names, notes, question wording) is escaped in both: HTML through Jinja2's autoescaping, Markdown by
:func:`md_escape`, so a note containing ``<script>`` is shown as text.
"""

from __future__ import annotations

import re
from fractions import Fraction
from importlib import resources
from typing import Any

import jinja2

from . import __version__
from .converter import unstructure
from .document import element_minimum
from .engine import Engine
from .errors import CorengineError
from .explain import digest
from .findings import number_text
from .model import Result
from .outcome import rule_for
from .plan import Plan, build_plan, plan_data
from .render import MARKS
from .scoring import display_percent, format_percent

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
                "confidence": plan.reasons[0].confidence or "" if plan.reasons else "",
            }
        )
    return rows


def _path_display(plan: Plan) -> dict[str, Any]:
    path: dict[str, Any] = plan_data(plan)["path_to_pass"]
    return path | {"overall_after": format_percent(plan.path.overall_after)}


def report_data(engine: Engine, result: Result, plan: Plan | None = None) -> dict[str, Any]:
    """Everything the report shows, as plain data (exact values as text, percentages rounded for display)."""
    audit, score, outcome, standard = result.audit, result.score, result.outcome, result.standard.standard
    plan = plan or build_plan(result)
    found = rule_for(result.standard, audit)
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
                    "earned": str(q.earned),
                    "available": str(q.available),
                    "explanation": q.explanation,
                    "note": note,
                }
            )
        elements.append(
            {
                "id": element.id,
                "title": element.title,
                "earned": str(element.earned),
                "available": str(element.available),
                "percent": display_percent(element.percent),
                "percent_text": format_percent(element.percent),
                "minimum": None if minimum is None else float(minimum),
                "passed": None if status not in ("pass", "fail") else status == "pass",
                "status": status,
                "details": details,
            }
        )
    overall_minimum = found[1].overall_minimum if found else None
    least_element = found[1].element_minimum if found else None
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
            "overall_minimum": None if overall_minimum is None else float(overall_minimum),
            "element_minimum": None if least_element is None else float(least_element),
        },
        "overall": {
            "earned": str(score.earned),
            "available": str(score.available),
            "percent": display_percent(score.percent),
            "percent_text": format_percent(score.percent),
        },
        "elements": elements,
        "outcome": {
            "passed": outcome.passed,
            "advisories": len(outcome.advisories),
            "certificate": outcome.certificate,
            "valid_until": outcome.valid_until.isoformat() if outcome.valid_until else None,
            "reasons": [
                {
                    "mark": MARKS[f.status],
                    "status": f.status,
                    "passed": f.passed,
                    "message": f.message,
                    "reading": f.reading,
                    "rule": f.check + (f" from {f.rule_version}" if f.rule_version else ""),
                    "plugin": f.plugin,
                    "confidence": f.confidence or "",
                    "reference": list(f.sources),
                }
                for f in outcome.reasons
            ],
        },
        "sampling": _sampling(engine, result),
        "plan": plan_data(plan) | {"path": _path_display(plan)},
        "footer": {
            "engine": __version__,
            "input_digest": digest(unstructure(audit)),
            "standard_digest": digest(unstructure(standard)),
        },
    }


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|#])")


def md_escape(text: Any) -> str:
    """User text safe in Markdown: HTML is shown as text, table pipes and emphasis marks are literal."""
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return " ".join(value.split())


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def markdown(data: dict[str, Any]) -> str:
    """The report as Markdown."""
    e, a, au, s, r = data["employer"], data["audit"], data["auditor"], data["standard"], data["rule"]
    out = data["outcome"]
    lines = [f"# {md_escape(data['title'])}", ""]
    lines += _md_table(
        ["", ""],
        [
            ["Employer", md_escape(e["name"])],
            ["Workers", md_escape(e.get("workers"))],
            ["Sites", md_escape(e.get("sites"))],
            ["Months of records", md_escape(e.get("records_months"))],
            ["Audit type", md_escape(f"{a['type']} ({a['program']})")],
            ["Dates", md_escape(f"{a['start_date'] or '-'} to {a['date']}; report {a['report_date'] or '-'}")],
            ["Methods used", md_escape(a["methods_used"])],
            [
                "Auditor",
                md_escape(f"{au['name']} ({au['kind']})" + (f", {au['certificate']}" if au.get("certificate") else "")),
            ],
            ["Standard", md_escape(f"{s['title']} — {s['id']} version {s['version']} ({s['chain']})")],
            ["Rule", md_escape(f"{r['id']} in force from {r['version']} ({r['plugin']})")],
        ],
    )
    if s["reference_document"]:
        lines += ["", "_Question wording is corengine's reference text, not the partner's official document._"]
    verdict = "PASSED" if out["passed"] else "NOT PASSED"
    if out["passed"] and out["advisories"]:
        verdict += f" subject to {out['advisories']} advisory finding(s)"
    cert = f" — {md_escape(out['certificate'])}" if out["certificate"] else ""
    until = f", valid until {out['valid_until']}" if out["valid_until"] else ""
    lines += ["", f"## Outcome: {verdict}{cert}{until}", ""]
    lines += _md_table(
        ["Element", "Title", "Earned", "Available", "Percent", "Minimum", "Pass"],
        [
            [
                md_escape(el["id"]),
                md_escape(el["title"]),
                el["earned"],
                el["available"],
                el["percent_text"],
                "-" if el["minimum"] is None else f"{el['minimum']:g}%",
                {"pass": "yes", "fail": "**no**", "advisory": "advisory"}.get(el["status"] or "", "-"),
            ]
            for el in data["elements"]
        ]
        + [
            [
                "",
                "**Overall**",
                data["overall"]["earned"],
                data["overall"]["available"],
                data["overall"]["percent_text"],
                "-" if r["overall_minimum"] is None else f"{r['overall_minimum']:g}%",
                "",
            ]
        ],
    )
    lines += ["", "### Reasons", ""]
    for reason in out["reasons"]:
        refs = " ".join(f"<{ref}>" for ref in reason["reference"])
        conf = f", confidence {reason['confidence']}" if reason["confidence"] else ""
        lines.append(
            f"- **{reason['mark']}** {md_escape(reason['message'])} "
            f"(`{reason['rule']}`, {md_escape(reason['plugin'])}{conf}) {refs}".rstrip()
        )
    if data["sampling"]:
        lines += ["", "## Sampling", ""]
        lines += _md_table(
            ["", "Required", "Achieved", "Met"],
            [
                [
                    row["what"],
                    md_escape(row["required"]),
                    md_escape(row["achieved"]),
                    "-" if row["passed"] is None else "yes" if row["passed"] else "**no**",
                ]
                for row in data["sampling"]
            ],
        )
    lines += ["", "## Findings by element", ""]
    for el in data["elements"]:
        if not el["details"]:
            continue
        lines += [f"### {md_escape(el['id'])} {md_escape(el['title'])} — {el['percent_text']}", ""]
        for d in el["details"]:
            lines.append(
                f"- **{md_escape(d['id'])}** {md_escape(d['text'])} — {d['earned']}/{d['available']} "
                f"({md_escape(d['explanation'])})"
            )
            if d["note"]:
                lines.append(f"  - Auditor's note: {md_escape(d['note'])}")
        lines.append("")
    lines += _plan_markdown(data["plan"])
    f = data["footer"]
    lines += [
        "",
        "---",
        f"Generated by corengine {f['engine']}. Input {f['input_digest']}; standard {f['standard_digest']}.",
        "",
    ]
    return "\n".join(lines)


def _plan_markdown(plan: dict[str, Any]) -> list[str]:
    path = plan["path"]
    lines = ["## Path to pass", ""]
    if path["already_passing"]:
        lines.append("Every points threshold is met.")
    elif path["questions"]:
        lines.append(
            f"Raise these {len(path['questions'])} question(s) to full marks (+{path['gain']} points; "
            f"overall becomes {path['overall_after']}): {', '.join(md_escape(q) for q in path['questions'])}."
        )
    for failure in path["other_failures"]:
        lines.append(f"- Not fixed by points: {md_escape(failure)}")
    lines += ["", "## Action plan", ""]
    if not plan["actions"]:
        return [*lines, "Every question has full marks.", ""]
    lines += _md_table(
        ["#", "Question", "Element", "Now", "Recoverable", "Why", "Auditor's note"],
        [
            [
                str(n),
                md_escape(a["question"]),
                md_escape(a["element"]),
                f"{a['earned']}/{a['available']}",
                a["recoverable"],
                md_escape(", ".join(a["reasons"])) or "-",
                md_escape(a["note"]) or "-",
            ]
            for n, a in enumerate(plan["actions"], 1)
        ],
    )
    return [*lines, ""]


# --------------------------------------------------------------------------- HTML


def _environment() -> jinja2.Environment:
    template = resources.files("corengine").joinpath("templates/report.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda v: "-" if v is None else f"{v:g}%"
    env.loader = jinja2.DictLoader({"report.html.j2": template})
    return env


def _shorten(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def chart(data: dict[str, Any]) -> dict[str, Any]:
    """Geometry of the element chart: one bar per element against the element and overall minimums."""
    bar, gap, left, width = 18, 8, 210, 420
    rows = []
    for index, el in enumerate(data["elements"]):
        percent = el["percent"] or 0.0
        rows.append(
            {
                "y": index * (bar + gap),
                "width": round(width * percent / 100, 2),
                "label": _shorten(f"{el['id']} {el['title']}", 32),
                "value": el["percent_text"],
                "passed": el["passed"] is not False,
            }
        )
    height = len(rows) * (bar + gap)

    def x(value: float | None) -> float | None:
        return None if value is None else round(left + width * value / 100, 2)

    return {
        "rows": rows,
        "bar": bar,
        "left": left,
        "width": width,
        "height": height + 24,
        "plot_height": height,
        "element_minimum_x": x(data["rule"]["element_minimum"]),
        "overall_minimum_x": x(data["rule"]["overall_minimum"]),
        "overall_x": x(data["overall"]["percent"]),
    }


def html(data: dict[str, Any]) -> str:
    """The report as one self-contained HTML file (inline CSS and SVG; nothing fetched)."""
    return _environment().get_template("report.html.j2").render(data=data, chart=chart(data)) + "\n"
