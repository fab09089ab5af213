"""The audit-document mapping commands: ``map``, ``readiness`` and ``crosswalk``.

Each prints text for people, Markdown (``--format md``) for a consultant's checklist, or JSON for programs.
Readiness and crosswalk percentages are labelled estimates from documents and records only, never scores.

Every field from a standard, an audit or an evidence index is escaped for the format it is written in: in text
by :mod:`corengine._util.textlayout` (control characters shown escaped), in Markdown by :func:`md_escape` and
:func:`md_line` (so a title cannot start a heading, a list or a code block, break a table, open a code span or
make a link).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import click

from corengine._cli.main import STANDARD_FILE, Context, _date, pass_context
from corengine._cli.params import format_option
from corengine._formats.evidence_index import load_index
from corengine._rules.readiness import (
    COVERAGE_LABEL,
    COVERED,
    ESTIMATE_LABEL,
    MISSING,
    NA,
    NOT_CHECKABLE,
    PARTIAL,
    THIN,
    CrossQuestion,
    Crosswalk,
    Readiness,
    describe,
    theme_summary,
)
from corengine._rules.scoring import applies, format_percent
from corengine._util.escaping import md_escape, md_line
from corengine._util.textlayout import Layout, fit_all, table, wrap
from corengine._views import render
from corengine._views.mapping import (
    chosen_program,
    crosswalk_json,
    crosswalk_of,
    kind_form,
    map_json,
    readiness_json,
    readiness_of,
    vocabulary_json,
)
from corengine.model import Question, Standard
from corengine.model.evidence_kinds import ROLES, THEMES, Vocabulary, vocabulary

FORMATS = format_option("text", "md", "json")


def _emit(fmt: str, data: Callable[[], Any], text: Callable[[], str], md: Callable[[], str]) -> None:
    out = render.dumps(data()) if fmt == "json" else md() if fmt == "md" else text()
    click.echo(out, nl=False)


def _points(value: Fraction) -> str:
    """Points for people: whole, or rounded half up to 2 places (JSON keeps the exact fraction)."""
    return str(value) if value.denominator == 1 else format_percent(value).removesuffix("%")


def _paragraph(text: str, width: int) -> list[str]:
    """Prose as one line (Markdown, ``width`` 0) or wrapped flush left to ``width``."""
    return [text] if width == 0 else wrap(text, width)


def _md_table(rows: list[list[str]]) -> list[str]:
    """A Markdown table of plain text: every cell is escaped here (pipes included), never before."""
    cell = md_escape
    lines = ["| " + " | ".join(cell(c) for c in rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows[1:]]
    return lines


def _line(vocab: Vocabulary, question: Question) -> list[str]:
    out = []
    for x in question.expects:
        head = "interview" if x.interview else "observe" if x.observe else kind_form(vocab, x.kind)
        text = describe(x, vocab)
        out.append(f"{head:9} {text.removeprefix('interview ').removeprefix('observe ')}")
    return out


# --------------------------------------------------------------------------- map


def _checklist(standard: Standard, program: str) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {}
    for _, question in standard.questions():
        if not applies(question, program):
            continue
        for x in question.expects:
            if x.kind is not None and question.id not in kinds.setdefault(x.kind, []):
                kinds[x.kind].append(question.id)
    return kinds


@click.command("map")
@click.argument("standard_id", metavar="STANDARD")
@click.option("--program", help="Only the questions this program answers (default: the standard's first).")
@click.option(
    "--vocabulary", "show_vocabulary", is_flag=True, help="List the evidence kinds, roles and themes instead."
)
@FORMATS
@STANDARD_FILE
@pass_context
def map_command(
    context: Context,
    standard_id: str,
    program: str | None,
    show_vocabulary: bool,
    fmt: str,
    standard_files: tuple[str, ...],
) -> None:
    """Show a standard's structure with the evidence each question expects: a consultant's checklist."""
    standard = context.with_files(standard_files).standard(standard_id)
    vocab = vocabulary(standard)
    if show_vocabulary:
        _emit_vocabulary(fmt, vocab)
        return
    chosen = chosen_program(standard, program)
    checklist = _checklist(standard, chosen)

    def data() -> dict[str, Any]:
        return map_json(standard, chosen, vocab, checklist)

    def text() -> str:
        width = Layout.detect().width
        lines = wrap(
            f"{standard.id} — {standard.title} (version {standard.version}), program {chosen}", width, "", "    "
        )
        if standard.expects_note:
            lines += wrap(standard.expects_note, width, "Note: ", "      ")
        for element in standard.elements:
            questions = [q for q in element.questions if applies(q, chosen)]
            if not questions:
                continue
            lines.append("")
            lines += wrap(
                f"Element {element.id} — {element.title} (themes: {', '.join(element.themes)})", width, "", "    "
            )
            for q in questions:
                extra = f" [themes: {', '.join(q.themes)}]" if q.themes else ""
                lead = f"  {q.id}  {q.points} pts  {'+'.join(q.methods)}  "
                lines += wrap(f"{q.text}{extra}", width, lead, " " * len(lead))
                for line in _line(vocab, q):
                    lines += wrap(line, width, "        - ", " " * 20)
        lines += ["", *wrap("Evidence checklist (kind, form: questions):", width, "", "    ")]
        for kind, ids in sorted(checklist.items()):
            lines += wrap(f"{kind} ({kind_form(vocab, kind)}): {', '.join(ids)}", width, "  ", "      ")
        return "\n".join(lines) + "\n"

    def md() -> str:
        e = md_line
        lines = [
            f"# {e(standard.id)}: expected evidence",
            "",
            f"{e(standard.title)}, version {e(standard.version)}, program {e(chosen)}.",
        ]
        if standard.expects_note:
            lines += ["", f"> {e(standard.expects_note)}"]
        for element in standard.elements:
            questions = [q for q in element.questions if applies(q, chosen)]
            if not questions:
                continue
            lines += [
                "",
                f"## Element {e(element.id)}: {e(element.title)}",
                "",
                f"Themes: {e(', '.join(element.themes))}",
                "",
            ]
            rows = [["Question", "Points", "Methods", "Expected evidence"]]
            for q in questions:
                rows.append(
                    [q.id, str(q.points), "+".join(q.methods), "; ".join(describe(x, vocab) for x in q.expects)]
                )
            lines += _md_table(rows)
        lines += ["", "## Evidence checklist", ""]
        rows = [["Kind", "Form", "Questions"]] + [
            [kind, kind_form(vocab, kind), ", ".join(ids)] for kind, ids in sorted(checklist.items())
        ]
        lines += _md_table(rows)
        return "\n".join(lines) + "\n"

    _emit(fmt, data, text, md)


def _emit_vocabulary(fmt: str, vocab: Vocabulary) -> None:
    kinds = list(vocab.kinds.values())

    def data() -> dict[str, Any]:
        return vocabulary_json(vocab)

    def text() -> str:
        lines = ["Evidence kinds (* added by the standard's plugin data):"]
        lines += [f"  {k.id}{' *' if k.id in vocab.added else ''} ({k.form}): {k.description}" for k in kinds]
        lines += ["", "Interview roles:", *[f"  {r}: {d}" for r, d in ROLES.items()]]
        lines += ["", "Themes:", *[f"  {t}: {d}" for t, d in THEMES.items()]]
        return "\n".join(fit_all(lines, Layout.detect().width)) + "\n"

    def md() -> str:
        lines = ["## Evidence kinds", ""]
        lines += _md_table([["Kind", "Form", "Description"]] + [[k.id, k.form, k.description] for k in kinds])
        lines += [
            "",
            "## Interview roles",
            "",
            *_md_table([["Role", "Description"], *[[r, d] for r, d in ROLES.items()]]),
        ]
        lines += ["", "## Themes", "", *_md_table([["Theme", "Description"], *[[t, d] for t, d in THEMES.items()]])]
        return "\n".join(lines) + "\n"

    _emit(fmt, data, text, md)


# --------------------------------------------------------------------------- readiness


def _check_text(vocab: Vocabulary, check: Any) -> str:
    what = describe(check.expectation, vocab)
    if check.status == COVERED:
        return f"{what}: {check.found}"
    if check.status == MISSING:
        return f"{what}: missing — {check.found}"
    return f"{what}: {'; '.join(check.problems)} ({check.found})"


def _summary_rows(result: Readiness) -> list[list[str]]:
    rows = [["Element", "Title", "Covered", "Thin", "Missing", "I/O only", "Checked", "At risk", "Estimate"]]
    for e in result.elements:
        rows.append(
            [
                e.id,
                e.title,
                *(str(e.count(s)) for s in (COVERED, THIN, MISSING, NOT_CHECKABLE)),
                _points(e.checked),
                _points(e.at_risk),
                format_percent(e.estimate),
            ]
        )
    total = [sum(e.count(s) for e in result.elements) for s in (COVERED, THIN, MISSING, NOT_CHECKABLE)]
    rows.append(
        [
            "",
            "Overall",
            *map(str, total),
            _points(result.checked),
            _points(result.at_risk),
            format_percent(result.estimate),
        ]
    )
    return rows


def readiness_text(
    result: Readiness, source: str, vocab: Vocabulary, markdown: bool = False, layout: Layout | None = None
) -> str:
    """The readiness check for people: text fitted to the width, or Markdown (never wrapped)."""
    width = 0 if markdown else (layout or Layout.detect()).width
    e = md_line if markdown else str  # Markdown escapes each field; text is escaped as it is laid out
    head = (
        f"Readiness of {e(result.index.employer)} for {e(result.standard.id)} version "
        f"{e(result.standard.version)}, program {e(result.program)}, on {result.on}"
    )
    lines = [
        f"# {head}" if markdown else head,
        "",
        f"Index: {e(source)}",
        "",
        *([f"**{ESTIMATE_LABEL}**"] if markdown else _paragraph(ESTIMATE_LABEL, width)),
        "",
    ]
    for warning in result.warnings:  # before the table, where the reader starts
        lines += [f"**Warning:** {e(warning)}"] if markdown else _paragraph(f"Warning: {warning}", width)
        lines.append("")
    rows = _summary_rows(result)
    lines += _md_table(rows) if markdown else table(rows, width, {2, 3, 4, 5, 6, 7, 8})
    lines += ["", "## What to fix before the audit" if markdown else "What to fix before the audit:"]
    for element in result.elements:
        title = (
            f"Element {e(element.id)} — {e(element.title)} (estimate {format_percent(element.estimate)}, "
            f"{_points(element.at_risk)} points at risk)"
        )
        lines += ["", f"### {title}" if markdown else title]
        bullet = "- " if markdown else "  "
        fix = [q for q in element.questions if q.status in (THIN, MISSING)]
        for q in fix:
            lines.append(f"{bullet}{e(q.id)}  {q.status.upper()}  {_points(q.at_risk)} of {q.points} points at risk")
            for c in q.checks:
                if c.status in (THIN, MISSING):
                    lines.append(f"{'  - ' if markdown else '        '}{e(_check_text(vocab, c))}")
        if not fix:
            lines.append(f"{bullet}nothing to fix in documents and records")
        for status, label in (
            (COVERED, "covered"),
            (NOT_CHECKABLE, "interview/observation only"),
            (NA, "not applicable"),
        ):
            ids = [q.id for q in element.questions if q.status == status]
            if ids:
                lines.append(f"{bullet}{label}: {e(', '.join(ids))}")
    prepare = [
        (q.id, describe(c.expectation, vocab))
        for e in result.elements
        for q in e.questions
        if q.status != NA
        for c in q.checks
        if c.status == NOT_CHECKABLE
    ]
    if prepare:
        lines += [
            "",
            "## Prepare for interviews and observation"
            if markdown
            else "Prepare for interviews and observation (not checked from the index):",
        ]
        lines += [f"{'- ' if markdown else '  '}{e(qid)}  {e(what)}" for qid, what in prepare]
    return "\n".join(lines if markdown else fit_all(lines, width)) + "\n"


@click.command("readiness")
@click.argument("standard_id", metavar="STANDARD")
@click.argument("index_path", metavar="INDEX", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "--on",
    "on",
    callback=_date,
    help="Judge evidence on this date (YYYY-MM-DD; default the index's audit_date, else today).",
)
@click.option("--program", help="Program audited (default: the index's, else the standard's first).")
@FORMATS
@STANDARD_FILE
@pass_context
def readiness_command(
    context: Context,
    standard_id: str,
    index_path: str,
    on: dt.date | None,
    program: str | None,
    fmt: str,
    standard_files: tuple[str, ...],
) -> None:
    """Check an employer's evidence index (YAML, JSON or .xlsx) against a standard: what is covered, thin or
    missing per element and question, points at risk, and a readiness estimate (never a score)."""
    standard = context.with_files(standard_files).standard(standard_id)
    loaded = load_index(index_path)
    result, vocab = readiness_of(standard, loaded, on, program)
    _emit(
        fmt,
        lambda: readiness_json(result, loaded.source),
        lambda: readiness_text(result, loaded.source, vocab),
        lambda: readiness_text(result, loaded.source, vocab, markdown=True),
    )


# --------------------------------------------------------------------------- crosswalk


def _match_text(walk: Crosswalk, check: Any, limit: int = 3) -> str:
    if not check.matches:
        return f"no question of {walk.source.standard.standard.id} expects it"
    parts = []
    for m in check.matches[:limit]:
        flags = [] if m.same_theme else ["other theme"]
        flags += [] if m.current else ["not checked as recently or as long"]
        parts.append(f"{m.question} ({m.earned}/{m.available}{', ' + ', '.join(flags) if flags else ''})")
    more = len(check.matches) - limit
    return "from " + ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def crosswalk_text(
    walk: Crosswalk, source: str, vocab: Vocabulary, markdown: bool = False, layout: Layout | None = None
) -> str:
    """The crosswalk for people: text fitted to the width, or Markdown (never wrapped)."""
    width = 0 if markdown else (layout or Layout.detect()).width
    e = md_line if markdown else str  # Markdown escapes each field; text is escaped as it is laid out
    score, audit = walk.source.score, walk.source.audit
    head = f"Crosswalk from {e(score.standard)} ({e(score.program)}) to {e(walk.target.id)} ({e(walk.program)})"
    lines = [
        f"# {head}" if markdown else head,
        "",
        f"Source audit: {e(source)} — {e(audit.employer.name)}, {e(audit.audit_type)} on {audit.audit_date}, "
        f"{score.earned}/{score.available} points",
        "",
        *([f"**{COVERAGE_LABEL}**"] if markdown else _paragraph(COVERAGE_LABEL, width)),
        *_paragraph(
            "Evidence is reused by kind (questions sharing a theme first), credited by the points the source "
            "question earned; interviews and observation are never carried over.",
            width,
        ),
        "",
    ]
    rows = [["Theme", "Questions", "Checked", "Covered", "Coverage", "I/O only"]]
    for theme, n, checked, covered, only in theme_summary(walk):
        pct = format_percent(None if checked == 0 else 100 * covered / checked)
        rows.append([theme, str(n), _points(checked), _points(covered), pct, str(only)])
    checked, covered = walk.points()
    rows.append(
        ["Overall", str(len(walk.questions)), _points(checked), _points(covered), format_percent(walk.estimate), ""]
    )
    lines += _md_table(rows) if markdown else table(rows, width, {1, 2, 3, 4, 5})
    by_element: dict[str, list[CrossQuestion]] = {}
    for q in walk.questions:
        by_element.setdefault(q.element, []).append(q)
    bullet = "- " if markdown else "  "
    for element in walk.target.elements:
        questions = by_element.get(element.id)
        if not questions:
            continue
        title = f"Element {e(element.id)} — {e(element.title)}"
        lines += ["", f"## {title}" if markdown else title]
        for q in questions:
            lines.append(
                f"{bullet}{e(q.id)}  {q.status.upper() if q.status != NOT_CHECKABLE else 'gather in the new audit'}"
            )
            for c in q.checks:
                what = e(describe(c.expectation, vocab))
                if c.status == NOT_CHECKABLE:
                    lines.append(f"{'  - ' if markdown else '        '}{what}")
                else:
                    lines.append(f"{'  - ' if markdown else '        '}{c.status}: {what} — {e(_match_text(walk, c))}")
    missing = sorted({c.expectation.kind or "" for q in walk.questions for c in q.checks if c.status == MISSING})
    if missing:
        lines += ["", "## Missing evidence kinds" if markdown else "Evidence kinds the source audit gives nothing for:"]
        lines += [f"{bullet}{e(kind)}" for kind in missing]
    partial = sorted(
        {c.expectation.kind or "" for q in walk.questions for c in q.checks if c.status in (PARTIAL, THIN)}
    )
    if partial:
        lines += [
            "",
            "## Partly covered evidence kinds"
            if markdown
            else "Evidence kinds only partly covered (below full points, or not checked as recently or as long):",
        ]
        lines += [f"{bullet}{e(kind)}" for kind in partial]
    return "\n".join(lines if markdown else fit_all(lines, width)) + "\n"


@click.command("crosswalk")
@click.argument("audit", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "--to", "target_id", required=True, metavar="STANDARD", help="The standard to cross the audit's evidence to."
)
@click.option("--program", help="Target program (default: the target standard's first).")
@FORMATS
@STANDARD_FILE
@pass_context
def crosswalk_command(
    context: Context, audit: str, target_id: str, program: str | None, fmt: str, standard_files: tuple[str, ...]
) -> None:
    """Show which evidence from an audit in one province covers which parts of another standard, and what is
    missing (by common themes and evidence kinds)."""
    engine = context.with_files(standard_files)
    walk, vocab = crosswalk_of(engine, engine.load_audit(audit), target_id, program)
    _emit(
        fmt,
        lambda: crosswalk_json(walk, audit),
        lambda: crosswalk_text(walk, audit, vocab),
        lambda: crosswalk_text(walk, audit, vocab, markdown=True),
    )


"""The commands ``cli.py`` registers."""
