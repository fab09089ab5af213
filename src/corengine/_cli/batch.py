"""Commands over many audits: ``batch`` (score them all, with statistics) and ``impact`` (which decisions move
under other rules). The work is in :mod:`corengine._batch.runner`, :mod:`corengine._batch.formats` and
:mod:`corengine._batch.impact`; these commands read options and write."""

from __future__ import annotations

import datetime as dt
import os
import sys

import click

from corengine._batch.formats import FORMATS, writer_for
from corengine._batch.impact import Rescorer, impact_json, impact_lines
from corengine._batch.impact import run as run_impact
from corengine._batch.runner import MAX_JOBS, Row, Source, discover, exit_code, make_engine, run
from corengine._cli.main import STANDARD_FILE, STRICT, Context, _date, input_files, pass_context
from corengine._cli.params import format_option
from corengine._io.output import check_output, streamed
from corengine._util import textlayout
from corengine._views import render
from corengine.errors import InputError

PATHS = click.argument("paths", metavar="PATH...", nargs=-1, required=True)


class _Progress:
    """A progress bar on standard error, only when it is a terminal."""

    def __init__(self, total: int) -> None:
        self.bar = None
        if total and sys.stderr is not None and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, file=sys.stderr, label="scoring", show_pos=True)
            self.bar.__enter__()

    def step(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _discover(paths: tuple[str, ...]) -> list[Source]:
    """The audits ``paths`` name (:func:`discover`), saying on stderr which evidence indexes a folder or a glob
    held and were left out."""
    skipped: list[str] = []
    sources = discover(paths, skipped)
    if skipped:
        click.echo(
            f"skipped {len(skipped)} evidence index{'es' if len(skipped) != 1 else ''}: "
            f"{textlayout.escape(', '.join(skipped))} (not audits; `corengine readiness` reads them)",
            err=True,
        )
    return sources


@click.command(name="batch")
@PATHS
@format_option(
    *FORMATS,
    default="text",
    help="Summary format: text for people; csv, jsonl (one JSON object per line) or xlsx for programs.",
)
@click.option("-o", "--output", default="-", show_default=True, help="File to write ('-' for stdout).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1, max=MAX_JOBS),
    default=None,
    help=f"Worker processes, at most {MAX_JOBS} (default: the number of cores); the output is the same for any number.",
)
@click.option("--check", is_flag=True, help="Exit 1 when an audit does not pass (2 still wins for a bad file).")
@STRICT
@STANDARD_FILE
@pass_context
def batch_command(
    context: Context,
    paths: tuple[str, ...],
    fmt: str,
    output: str,
    jobs: int | None,
    check: bool,
    strict: bool,
    standard_files: tuple[str, ...],
) -> None:
    """Score every audit in PATH... (files, folders searched recursively for .yaml, .yml, .json and .xlsx
    audits, glob patterns) and summarise: one row per audit (file, standard, employer, date, audit type,
    overall, elements below the minimum, outcome, certificate), then pass rates and element statistics per
    standard.

    A file that cannot be scored is a row naming it and its first problems; the batch goes on. Exit 0 when
    every file was scored (even if some audits failed), 1 with --check when an audit did not pass, 2 when a
    file could not be scored.
    """
    engine = context.with_files(standard_files)
    sources = _discover(paths)
    inputs = input_files(engine, *(s.path for s in sources if not s.missing))
    if fmt == "xlsx" and output == "-" and sys.stdout is not None and sys.stdout.isatty():
        raise InputError(["--format xlsx: a spreadsheet is not shown on a terminal; give -o FILE.xlsx"])
    check_output(output, inputs)  # before the work: an output that is an input, a folder... is refused
    workers = jobs or min(os.cpu_count() or 1, MAX_JOBS)
    progress = _Progress(len(sources))
    try:
        with streamed(output, inputs) as out:
            writer = writer_for(fmt, out, textlayout.output_width())

            def emit(row: Row) -> None:
                writer.row(row)
                progress.step()

            try:
                summary = run(sources, engine, emit, standard_files, strict, workers)
                progress.close()
                writer.finish(summary)
            finally:
                writer.close()  # temporary files go on an error, Ctrl-C or SIGTERM too
    finally:
        progress.close()
    if output != "-":
        click.echo(f"wrote {textlayout.escape(output)}", err=True)
    bad = summary.counts["bad"]
    if bad:
        click.echo(
            f"error: {bad} of {summary.files} file{'s' if summary.files != 1 else ''} could not be scored "
            "(their rows name the problems)",
            err=True,
        )
    code = exit_code(summary, check)
    if code:
        sys.exit(code)


@click.command(name="impact")
@PATHS
@click.option(
    "--rules-on",
    "rules_on",
    callback=_date,
    help="Re-decide each audit under the rules in force on this date (YYYY-MM-DD) instead of its audit date.",
)
@click.option(
    "--standard-file",
    "standard_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Re-decide each audit under this standard overlay (repeatable): it applies to audits of the standard it "
    "replaces (same id) or extends.",
)
@format_option("text", "json")
@STRICT
@pass_context
def impact_command(
    context: Context,
    paths: tuple[str, ...],
    rules_on: dt.date | None,
    standard_files: tuple[str, ...],
    fmt: str,
    strict: bool,
) -> None:
    """Re-decide every audit in PATH... under other rules — those in force on --rules-on DATE, or a
    --standard-file overlay, or both — and list the decisions that change (pass to fail, fail to pass,
    certificate, advisories appearing or disappearing), each with the findings that made the difference, and
    counts per kind of change.

    A file that cannot be scored is listed at the end; exit 2 when there is one, else 0.
    """
    if rules_on is None and not standard_files:
        raise click.UsageError("give --rules-on DATE or --standard-file OVERLAY (or both)")
    engine = context.engine
    overlay = None
    overlay_ids: list[str] = []
    if standard_files:
        overlay = make_engine()
        for path in standard_files:  # the engine refuses a second file giving the same standard
            ident = overlay.add_standard_file(path).id
            if ident not in overlay_ids:
                overlay_ids.append(ident)
    rescorer = Rescorer(engine, rules_on, overlay, overlay_ids)
    summary = run_impact(rescorer, _discover(paths), strict)
    parts = []
    if rules_on is not None:
        parts.append(f"the rules in force on {rules_on}")
    if standard_files:
        parts.append(f"the overlay {', '.join(standard_files)}")
    against = " with ".join(parts)
    if fmt == "json":
        data = impact_json(summary, rules_on, standard_files)
        click.echo(render.dumps(data), nl=False)
    else:
        click.echo("\n".join(textlayout.fit_all(impact_lines(summary, against), textlayout.output_width())))
    if summary.bad:
        click.echo(
            f"error: {len(summary.bad)} of {summary.audits} file{'s' if summary.audits != 1 else ''} could not be "
            "scored (listed above)",
            err=True,
        )
        sys.exit(2)


__all__ = ["batch_command", "impact_command"]
