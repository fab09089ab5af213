"""Commands for what an auditor hands over: ``explain``, ``verify``, ``report`` and ``plan``."""

from __future__ import annotations

import csv
import io
import sys

import click

from corengine._cli.main import FAILURES, FORMAT, STANDARD_FILE, STRICT, Context, _emit, input_files, pass_context
from corengine._cli.params import format_option
from corengine._io.loading import read_text
from corengine._io.output import check_output, write_atomically
from corengine._rules.action_plan import Plan, build_plan
from corengine._rules.scoring import format_percent
from corengine._util import textlayout
from corengine._util.escaping import csv_cell
from corengine._views.explain import explain_json, explain_text, verify_recorded
from corengine._views.plan import plan_json
from corengine._views.report import html, markdown, pdf, report_data
from corengine.errors import InputError
from corengine.model import Result

AUDIT = click.argument("audit", type=click.Path(exists=True, dir_okay=False, allow_dash=True))


@click.command()
@AUDIT
@click.argument("selector", metavar="[QUESTION|ELEMENT]", required=False)
@FORMAT
@STRICT
@FAILURES
@STANDARD_FILE
@pass_context
def explain(
    context: Context,
    audit: str,
    selector: str | None,
    fmt: str,
    strict: bool,
    failures: bool,
    standard_files: tuple[str, ...],
) -> None:
    """Show how every number was reached: tallies, points, elements, overall and each rule applied.

    The JSON form is versioned and carries engine and plugin versions and SHA-256 digests of the input and
    the standard, so `corengine verify` can check it later.
    """
    engine = context.with_files(standard_files)
    result = engine.score(engine.load_audit(audit), strict=strict)
    if fmt == "json" and selector is not None:
        raise click.UsageError("--format json explains the whole audit; leave out QUESTION|ELEMENT")
    _emit(fmt, lambda: explain_json(engine, result), lambda: explain_text(result, selector, failures=failures))


@click.command(name="verify")
@click.argument("recorded", metavar="RESULT.json", type=click.Path(exists=True, dir_okay=False))
@AUDIT
@STANDARD_FILE
@pass_context
def verify_command(context: Context, recorded: str, audit: str, standard_files: tuple[str, ...]) -> None:
    """Recompute an explained result from its audit and compare: exit 0 when identical, 1 when not.

    The file is read as strictly as an audit (a duplicated key, deep nesting, NaN... are refused), and the
    whole of it is compared: its own digest, and every field against the recomputation."""
    text, source = read_text(recorded)
    engine = context.with_files(standard_files)
    differences = verify_recorded(engine, text, source, lambda: engine.load_audit(audit))
    if not differences:
        click.echo(
            f"{textlayout.escape(recorded)}: verified — the same audit, standard and versions give the same result"
        )
        return
    click.echo(f"{textlayout.escape(recorded)}: does not match ({len(differences)} difference(s))")
    for line in differences[:20]:
        click.echo(f"  {textlayout.escape(line)}")
    if len(differences) > 20:
        click.echo(f"  ... and {len(differences) - 20} more")
    sys.exit(1)


@click.command()
@AUDIT
@format_option(
    "md",
    "html",
    "pdf",
    help="Markdown, one self-contained HTML file, or a PDF (page numbers and footer in the margin; needs -o FILE "
    "or a pipe, not a terminal).",
)
@click.option("-o", "--output", default="-", show_default=True, help="File to write ('-' for stdout).")
@STRICT
@STANDARD_FILE
@pass_context
def report(context: Context, audit: str, fmt: str, output: str, strict: bool, standard_files: tuple[str, ...]) -> None:
    """Write the audit report: employer, dates, element table, outcome and reasons, findings, plan."""
    if fmt == "pdf" and output == "-" and sys.stdout is not None and sys.stdout.isatty():
        raise InputError(["--format pdf: a PDF is not shown on a terminal; give -o FILE.pdf (or redirect the output)"])
    engine = context.with_files(standard_files)
    inputs = input_files(engine, audit)
    check_output(output, inputs)  # before the work: an output that is an input, a folder... is refused
    result = engine.score(engine.load_audit(audit), strict=strict)
    data = report_data(engine, result)
    # HTML declares its charset (UTF-8), so it goes out as UTF-8 bytes whatever standard output's encoding is
    content: str | bytes = (
        pdf(data) if fmt == "pdf" else html(data).encode("utf-8") if fmt == "html" else markdown(data)
    )
    write_atomically(output, content, inputs)
    if output != "-":
        click.echo(f"wrote {textlayout.escape(output)}", err=True)


def _plan_text(plan: Plan, result: Result, layout: textlayout.Layout | None = None) -> str:
    """The plan for people: headed by the standard's name and the audit type (not the rule's id), each question's
    wording listed beside its number after the table (whole, where the table would cut it)."""
    width = (layout or textlayout.Layout.detect()).width
    path = plan.path
    standard = result.standard.standard
    ruled = f"{result.audit.audit_type} audit" if plan.rule else "no rule in force"
    lines = [f"Path to pass ({standard.title}, {ruled}):"]
    if path.already_passing:
        lines.append("  every points threshold is met")
    elif path.questions:
        lines.append(f"  raise {len(path.questions)} question(s) to full marks: {', '.join(path.questions)}")
        lines.append(f"  +{path.gain} points; overall becomes {format_percent(path.overall_after)}")
    lines += [f"  not fixed by points: {failure.message}" for failure in path.other_failures]
    lines = textlayout.fit_all([*lines, "", "Action plan (most impact first):"], width)
    rows = [["#", "Question", "Element", "Now", "Recoverable", "Why"]] + [
        [str(n), a.question, a.element, f"{a.earned}/{a.available}", str(a.recoverable), ", ".join(a.reasons) or "-"]
        for n, a in enumerate(plan.actions, 1)
    ]
    lines += textlayout.table(rows, width, {0, 3, 4}) if plan.actions else ["  every question has full marks"]
    wording = {q.id: q.text for _, q in standard.questions()}
    listed = [a for a in (*plan.actions, *plan.opportunities) if wording.get(a.question)]
    if listed:
        lines += ["", "Questions:"]
        pad = max(len(a.question) for a in listed)
        for a in listed:
            lead = f"  {a.question.ljust(pad)}  "
            lines += textlayout.wrap(wording[a.question], width, lead, " " * len(lead))
    if plan.opportunities:
        lines += ["", *textlayout.fit("Opportunities for improvement (left out of the totals by a score rule):", width)]
        lines += [f"  {a.question}  {a.earned}/{a.available}" for a in plan.opportunities]
    noted = [a for a in plan.actions if a.note]
    if noted:
        lines += ["", "Auditor's notes:"]
        pad = max(len(a.question) for a in noted)
        for a in noted:
            lead = f"  {a.question.ljust(pad)}  "
            lines += textlayout.wrap(a.note, width, lead, " " * len(lead))
    return "\n".join(lines) + "\n"


def _plan_csv(plan: Plan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["rank", "question", "element", "earned", "available", "recoverable", "reasons", "in_path_to_pass", "note"]
    )
    for n, a in enumerate(plan.actions, 1):
        writer.writerow(
            csv_cell(value)  # text starting like a formula is quoted (OWASP CSV injection)
            for value in [
                n,
                a.question,
                a.element,
                a.earned,
                a.available,
                a.recoverable,
                "; ".join(a.reasons),
                "yes" if a.question in plan.path.questions else "no",
                a.note,
            ]
        )
    return buffer.getvalue()


@click.command()
@AUDIT
@format_option("text", "csv", "json", help="Output format.")
@STRICT
@STANDARD_FILE
@pass_context
def plan(context: Context, audit: str, fmt: str, strict: bool, standard_files: tuple[str, ...]) -> None:
    """The action plan (every question below full marks, by impact) and the exact path to pass."""
    engine = context.with_files(standard_files)
    result = engine.score(engine.load_audit(audit), strict=strict)
    built = build_plan(result)
    if fmt == "csv":
        click.echo(_plan_csv(built), nl=False)
    elif fmt == "json":
        click.echo(plan_json(built), nl=False)
    else:
        click.echo(_plan_text(built, result), nl=False)
