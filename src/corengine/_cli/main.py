"""The ``corengine`` command: one verb per command, text for people, ``--format json`` for machines.

Exit codes: 0 success; 1 when ``score --check`` finds a failing audit; 2 for bad input or usage.
User errors print one message per problem and never a traceback (unless ``--debug``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import click

from corengine._cli.params import COUNT, NON_NEGATIVE, format_option
from corengine._host.engine import Engine
from corengine._host.lazy_command import LazyCommand
from corengine._host.manager import PluginWarning
from corengine._io.distributions import VERSION as __version__
from corengine._io.output import check_output, stdout_checked, write_atomically
from corengine._util import textlayout
from corengine.errors import CorengineError, InputError, ReaderGone
from corengine.model.vocabulary import CERTIFICATIONS

FORMAT = format_option("text", "json")
STRICT = click.option(
    "--strict",
    is_flag=True,
    help="Make advisories decisive: a shortfall against a rule value of low confidence (L) fails the audit.",
)
FAILURES = click.option(
    "--failures",
    is_flag=True,
    help=(
        "Text output: list only the failing and advisory findings, with the informational ones that explain them "
        "(each certificate not granted, and why); the others are counted."
    ),
)
STANDARD_FILE = click.option(
    "--standard-file",
    "standard_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Use a standard from this file (not installed); repeat for a draft and its base.",
)

if TYPE_CHECKING:
    from corengine.model import LoadedAudit


class Context:
    """What every command shares: the engine, built once and only when needed."""

    def __init__(self, debug: bool = False) -> None:
        self.debug = debug
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with warnings.catch_warnings(record=True) as caught:  # a misspelt CORENGINE_DISABLE_PLUGINS name
                warnings.simplefilter("always", PluginWarning)
                self._engine = Engine()
            for warning in caught:
                if issubclass(warning.category, PluginWarning):
                    click.echo(f"warning: {textlayout.escape(str(warning.message))}", err=True)
                else:
                    warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)
        return self._engine

    def with_files(self, files: tuple[str, ...]) -> Engine:
        for path in files:
            self.engine.add_standard_file(path)
        return self.engine


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    from corengine.model.validators import parse_day

    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _emit(fmt: str, data: Callable[[], Any], text: Callable[[], str]) -> None:
    from corengine._views import render

    click.echo(render.dumps(data()) if fmt == "json" else text(), nl=False)


def input_files(engine: Engine, *paths: str) -> tuple[str, ...]:
    """The files a command reads, for :func:`~corengine._io.output.write_atomically` to refuse as its output: the
    ``paths`` given (``-`` is standard input) and every standard file the engine knows."""
    return (*paths, *(str(source.path) for source in engine.sources().values()))


READER_GONE = 141
"""The exit status when the reader of standard output stops reading: 128 + SIGPIPE, as a shell reports a command
the signal stopped."""

LAZY_COMMANDS = {
    "reciprocity": (
        "corengine._cli.reciprocity:reciprocity_command",
        "What a COR from one jurisdiction is worth in another: letters, documents, refusals, and where to cross the evidence.",
    ),
    "explain": (
        "corengine._cli.report:explain",
        "Show how every number was reached: tallies, points, elements, overall and each rule applied.",
    ),
    "verify": (
        "corengine._cli.report:verify_command",
        "Recompute an explained result from its audit and compare: exit 0 when identical, 1 when not.",
    ),
    "report": (
        "corengine._cli.report:report",
        "Write the audit report: employer, dates, element table, outcome and reasons, findings, plan.",
    ),
    "plan": (
        "corengine._cli.report:plan",
        "The action plan (every question below full marks, by impact) and the exact path to pass.",
    ),
    "map": (
        "corengine._cli.mapping:map_command",
        "Show a standard's structure with the evidence each question expects: a consultant's checklist.",
    ),
    "readiness": (
        "corengine._cli.mapping:readiness_command",
        "Check an employer's evidence index (YAML, JSON or .xlsx) against a standard: what is covered, thin or missing per element and question, points at risk, and a readiness estimate (never a score).",
    ),
    "crosswalk": (
        "corengine._cli.mapping:crosswalk_command",
        "Show which evidence from an audit in one province covers which parts of another standard, and what is missing (by common themes and evidence kinds).",
    ),
    "batch": (
        "corengine._cli.batch:batch_command",
        "Score every audit in PATH...",
    ),
    "impact": (
        "corengine._cli.batch:impact_command",
        "Re-decide every audit in PATH... under other rules — those in force on --rules-on DATE, or a --standard-file overlay, or both — and list the decisions that change (pass to fail, fail to pass, certificate, advisories appearing or disappearing), each with the findings that made the difference, and counts per kind of change.",
    ),
    "serve": (
        "corengine._cli.serve:serve_command",
        "Serve the engine over HTTP: JSON API under /v1, OpenAPI at /openapi.json, docs at /docs, an upload page at /.",
    ),
    "registry": (
        "corengine._cli.registry_records:registry_group",
        "The certificate registry: employers, audits and certificates in a database; status on a date.",
    ),
    "letter": (
        "corengine._cli.letter:letter_group",
        "Letters of Good Standing: make a signing key pair; verify a signed letter offline.",
    ),
    "plugin": (
        "corengine._cli.plugin:plugin_group",
        "Write a plugin: scaffold a package, check its data.",
    ),
}
"""Commands kept in their own modules, imported only when run, so `corengine score` and `corengine --help` do not
pay for the report templates, the batch pool or the evidence mapping at start-up: each with its short help, which
``--help`` lists without importing the module (a test holds each text equal to the command's own)."""


DEPRECATED = "is deprecated; use"
"""The wording of every deprecation of an old input or plugin form (``X is deprecated; use Y``)."""


def _show_deprecations() -> None:
    """Print each old form an input or a plugin uses as one ``warning:`` line on stderr, every time (Python
    hides DeprecationWarning outside ``__main__``, so a user would never learn that a file needs migrating).
    Call inside ``warnings.catch_warnings()``; other warnings are shown as Python would."""
    shown = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        if issubclass(category, DeprecationWarning) and DEPRECATED in str(message):
            click.echo(f"warning: {textlayout.escape(str(message))}", err=True)
        else:
            shown(message, category, *args, **kwargs)

    warnings.filterwarnings("always", message=f".*{DEPRECATED}", category=DeprecationWarning)
    warnings.showwarning = show


class CorengineGroup(click.Group):
    """The core's commands plus those plugins add through ``corengine_register_commands``."""

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        found = ctx.ensure_object(Context).engine.hooks.commands()
        for name, (plugin, _) in found.items():
            if name in self.commands or name in LAZY_COMMANDS:
                raise CorengineError(f"plugin {plugin!r} adds a command {name!r} that the core already has")
        return {name: command for name, (_, command) in found.items()}

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            extra = self._plugin_commands(ctx)
        except CorengineError:
            extra = {}
        return sorted([*self.commands, *LAZY_COMMANDS, *extra])

    def invoke(self, ctx: click.Context) -> Any:
        """Run a command; a user error prints one line per problem and exits 2, never a traceback."""
        try:
            with stdout_checked(), warnings.catch_warnings():  # a closed or full standard output is an error
                _show_deprecations()
                return super().invoke(ctx)
        except ReaderGone:
            ctx.exit(READER_GONE)  # `corengine ... | head`: quiet, as git and pytest are
        except CorengineError as exc:
            if isinstance(ctx.obj, Context) and ctx.obj.debug:
                raise
            try:
                for line in exc.lines() if isinstance(exc, InputError) else [str(exc)]:
                    click.echo(f"error: {textlayout.escape(line)}", err=True)
            except OSError:
                pass  # standard error is closed too: the exit code still says it
            ctx.exit(2)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``, as click writes it, with the lazy commands' short help from
        :data:`LAZY_COMMANDS` (a stand-in command carries it: their modules are not imported to list them)."""
        listed: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS and name not in self.commands:
                listed.append((name, click.Command(name, help=LAZY_COMMANDS[name][1])))
                continue
            command = self._listed(ctx, name)
            if command is not None and not command.hidden:
                listed.append((name, command))
        if listed:
            limit = formatter.width - 6 - max(len(name) for name, _ in listed)
            rows = [(name, found.get_short_help_str(limit)) for name, found in listed]
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def _listed(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command to list: a plugin's lazy command is its stand-in (the module is not imported)."""
        if cmd_name in self.commands or cmd_name in LAZY_COMMANDS:
            return self.get_command(ctx, cmd_name)
        return self._plugin_commands(ctx).get(cmd_name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name in LAZY_COMMANDS:
            module, name = LAZY_COMMANDS[cmd_name][0].split(":")
            command = getattr(importlib.import_module(module), name)
            assert isinstance(command, click.Command)
            return command
        found = self._plugin_commands(ctx).get(cmd_name)
        return found.load() if isinstance(found, LazyCommand) else found


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: corengine's version, then one line per installed plugin (name, version, distribution)."""
    if not value or ctx.resilient_parsing:
        return
    from corengine._views.payloads import plugins_data

    lines = [f"corengine {__version__}"]
    try:
        items = plugins_data(Context().engine)
    except CorengineError as exc:
        lines.append(f"plugins: not listed ({exc})")
    else:
        lines += ["plugins:", *(f"  {i['name']} {i['version']} ({i['distribution']})" for i in items)]
    click.echo("\n".join(textlayout.escape(line) for line in lines))
    ctx.exit()


@click.group(cls=CorengineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Show the version and the installed plugins' versions, and exit.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors (for reporting bugs).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Score Canadian COR and SECOR health-and-safety audits against each province's rules."""
    ctx.ensure_object(Context).debug = debug


pass_context = click.make_pass_decorator(Context, ensure=True)


@cli.command()
@FORMAT
@pass_context
def plugins(context: Context, fmt: str) -> None:
    """List plugins: name, version, hooks implemented and standards provided."""
    from corengine._views.payloads import plugins_data

    items = plugins_data(context.engine)

    def text() -> str:
        lines = []
        for item in items:
            lines.append(f"{item['name']} {item['version']} ({item['distribution']})")
            lines.append(f"  hooks: {', '.join(item['hooks'])}")
            if item["standards"]:
                lines.append(f"  standards: {', '.join(item['standards'])}")
        return "\n".join(textlayout.fit_all(lines, textlayout.output_width())) + "\n"

    _emit(fmt, lambda: items, text)


@cli.command()
@click.option("--province", help="Only standards of this province code (AB, ON, BC...).")
@FORMAT
@STANDARD_FILE
@pass_context
def standards(context: Context, province: str | None, fmt: str, standard_files: tuple[str, ...]) -> None:
    """List the installed standards (audit documents)."""
    from corengine._views.payloads import standards_data

    items = standards_data(context.with_files(standard_files), province)

    def text() -> str:
        if not items:
            return f"no standards{' for ' + province if province else ''}\n"
        rows = [["ID", "Province", "Partner", "Programs", "Title"]] + [
            [s["id"], s["province"], s["partner"] or "-", ",".join(s["program"]), s["title"]] for s in items
        ]
        return "\n".join(textlayout.table(rows, textlayout.output_width())) + "\n"

    _emit(fmt, lambda: items, text)


@cli.command()
@click.argument("standard_id", metavar="STANDARD")
@click.option("--on", "on", callback=_date, help="Show the rules in force on this date (YYYY-MM-DD; default today).")
@FORMAT
@STANDARD_FILE
@pass_context
def show(context: Context, standard_id: str, on: dt.date | None, fmt: str, standard_files: tuple[str, ...]) -> None:
    """Show a standard: elements, questions, points, methods and the rules in force."""
    from corengine._formats import yaml_workbook as workbook
    from corengine._views.standard import show_data

    engine = context.with_files(standard_files)
    resolved = engine.resolve(standard_id)
    day = on or dt.date.today()
    _emit(
        fmt,
        lambda: show_data(engine, resolved, day),
        lambda: workbook.describe(resolved, day, methods=engine.methods(), extensions=engine.audit_extensions()),
    )


@cli.command()
@click.argument("standard_id", metavar="STANDARD")
@click.option(
    "-o",
    "--output",
    required=True,
    help="Workbook file to create: a spreadsheet when it ends in .xlsx, else YAML ('-' for stdout); never overwritten.",
)
@click.option("--program", help="Program the workbook is for (default: the standard's first).")
@STANDARD_FILE
@pass_context
def new(context: Context, standard_id: str, output: str, program: str | None, standard_files: tuple[str, ...]) -> None:
    """Create a blank audit workbook listing every question: commented YAML, or a spreadsheet (.xlsx)."""
    from corengine._formats import yaml_workbook as workbook
    from corengine._io.loading import refused_format
    from corengine._views.blank import blank_xlsx, has_questions, no_questions

    if refused_format(output) is not None:
        ending = output[output.rindex(".") :]
        raise InputError([f"{output}: new writes an .xlsx spreadsheet or YAML, not {ending}; use .xlsx or .yaml"])
    engine = context.with_files(standard_files)
    standard = engine.standard(standard_id)
    if program is not None and program not in standard.programs:
        raise InputError([f"--program: must be one of {', '.join(standard.programs)}, not {program!r}"])
    chosen = program or standard.programs[0]
    if not has_questions(standard, chosen):
        raise InputError([no_questions(engine, standard, chosen)])
    inputs = input_files(engine)
    if check_output(output, inputs).kind == "file":
        raise InputError([f"{output}: already exists; choose another name (workbooks are never overwritten)"])
    if output.lower().endswith(".xlsx"):
        write_atomically(output, blank_xlsx(engine, standard, chosen), inputs)
    else:
        write_atomically(output, workbook.blank(standard, chosen, engine.methods(), engine.audit_extensions()), inputs)
    if output != "-":
        click.echo(f"wrote {textlayout.escape(output)}", err=True)


def warn_future(loaded: LoadedAudit, today: dt.date | None = None) -> None:
    """One ``warning:`` line on stderr when the audit is dated after ``today`` (default: the system's date): a
    typing slip (2042 for 2024) that would otherwise validate, and be judged by rules not yet in force, silently."""
    from corengine._io.loading import located

    today = today or dt.date.today()
    if loaded.audit.audit_date > today:
        where = located(
            loaded.source,
            loaded.lines,
            ("audit_date",),
            f"{loaded.audit.audit_date.isoformat()} is after today ({today.isoformat()}); an audit is dated by "
            "its last day of on-site work, which has happened",
        )
        click.echo(f"warning: {textlayout.escape(str(where))}", err=True)


@cli.command()
@click.argument("audit", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@FORMAT
@STANDARD_FILE
@pass_context
def validate(context: Context, audit: str, fmt: str, standard_files: tuple[str, ...]) -> None:
    """Check an audit workbook; list every problem at once (exit 2) or say it is valid (exit 0).

    Text prints one `file:line: path: message` line per problem on stderr. JSON prints
    {file, valid, problems, truncated} on stdout, each problem a record of file, line, column, cell, path,
    message and hint; at most 200 problems are listed and truncated counts the rest.
    """
    from corengine._views import render
    from corengine._views.payloads import validation_data

    engine = context.with_files(standard_files)
    if fmt == "text":
        loaded = engine.load_audit(audit)
        engine.check(loaded)
        warn_future(loaded)
        click.echo(f"{textlayout.escape(audit)}: valid")
        return
    try:
        loaded = engine.load_audit(audit)
        engine.check(loaded)
        warn_future(loaded)
        invalid = None
    except InputError as exc:
        invalid = exc
    click.echo(render.dumps(validation_data("<stdin>" if audit == "-" else audit, invalid)), nl=False)
    if invalid:
        sys.exit(2)


@cli.command()
@click.argument("audit", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@FORMAT
@click.option("--check", is_flag=True, help="Exit 1 when the audit does not pass.")
@STRICT
@FAILURES
@STANDARD_FILE
@pass_context
def score(
    context: Context,
    audit: str,
    fmt: str,
    check: bool,
    strict: bool,
    failures: bool,
    standard_files: tuple[str, ...],
) -> None:
    """Score an audit: element table, outcome and every reason behind it."""
    from corengine._views import render

    engine = context.with_files(standard_files)
    loaded = engine.load_audit(audit)
    result = engine.score(loaded, strict=strict)
    warn_future(loaded)
    _emit(fmt, lambda: render.result_json(result), lambda: render.result_text(result, failures=failures))
    if check and not result.outcome.passed:
        sys.exit(1)


@cli.command()
@click.option("--province", required=True, help="Province code (AB, ON, BC...).")
@click.option("--employees", type=COUNT, help="Employees, counted by the partner's rule.")
@click.option("--fte", type=NON_NEGATIVE, help="Full-time equivalents (where programs size by FTE).")
@click.option("--payroll-hours", type=COUNT, help="Annual payroll hours (FTE derived from them).")
@click.option("--records-months", type=COUNT, help="Months of health and safety system records.")
@click.option("--partner", help="Certifying partner code, where its rules differ (e.g. ESC, ACSA).")
@click.option(
    "--certification",
    "certifications",
    multiple=True,
    type=click.Choice(CERTIFICATIONS, case_sensitive=False),
    help="An outside management-system certification the employer holds (repeatable): the answer says what "
    "the province makes of it (a route to COR, information only, or not accepted).",
)
@click.option("--on", "on", callback=_date, help="Date asked about (YYYY-MM-DD; default today).")
@FORMAT
@FAILURES
@pass_context
def eligibility(
    context: Context,
    province: str,
    employees: int | None,
    fte: Fraction | None,
    payroll_hours: int | None,
    records_months: int | None,
    partner: str | None,
    certifications: tuple[str, ...],
    on: dt.date | None,
    fmt: str,
    failures: bool,
) -> None:
    """Which program an employer qualifies for, and whether an audit may start."""
    from corengine._views import render
    from corengine.model import EligibilityRequest
    from corengine.model.converter import unstructure

    if employees is None and fte is None and payroll_hours is None and not certifications:
        raise click.UsageError("give --employees, --fte, --payroll-hours or --certification")
    request = EligibilityRequest(
        province,
        employees,
        fte,
        payroll_hours,
        records_months,
        on or dt.date.today(),
        partner,
        tuple(dict.fromkeys(certifications)),
    )
    answer = context.engine.eligibility_answer(request)

    def data() -> dict[str, Any]:
        document: dict[str, Any] = unstructure(answer)
        return document

    def text() -> str:
        layout = textlayout.Layout.detect()
        head = textlayout.fit_all([answer.headline, "Reasons:"], layout.width)
        from corengine._rules.eligibility import without_other_bands

        shown, others = without_other_bands(answer) if failures else (list(answer.findings), [])
        lines = render.reason_lines(shown, layout, failures)
        if others:
            bands = "band" if len(others) == 1 else "bands"
            said = textlayout.escape(
                f"Not shown: the size {bands} of {', '.join(others)} (the employer is in another band)"
            )
            lines += textlayout.fit("  " + said, layout.width)
        return "\n".join([*head, *lines]) + "\n"

    _emit(fmt, data, text)


@cli.command()
@click.option("--standard", "standard_id", required=True, help="Standard id (see `corengine standards`).")
@click.option("--workers", type=COUNT, required=True, help="Workers, management included.")
@click.option("--sites", type=COUNT, help="Work sites.")
@click.option("--on", "on", callback=_date, help="Audit date (YYYY-MM-DD; default today).")
@click.option("--program", help="Program audited (e.g. Large, Small), where tables differ by program.")
@FORMAT
@STANDARD_FILE
@pass_context
def sample(
    context: Context,
    standard_id: str,
    workers: int,
    sites: int | None,
    on: dt.date | None,
    program: str | None,
    fmt: str,
    standard_files: tuple[str, ...],
) -> None:
    """Minimum interviews, sites to visit and questionnaires allowed."""
    from corengine._views import render

    plan = context.with_files(standard_files).sample(standard_id, workers, sites, on, program)
    _emit(fmt, lambda: render.sample_json(plan), lambda: render.sample_text(plan))


@cli.command()
@click.argument("audits", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--on", "on", callback=_date, help="Judge deadlines as of this date (YYYY-MM-DD; default today).")
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 when a deadline was missed or failed, or no audit opened a cycle (never for due or upcoming ones).",
)
@STRICT
@FORMAT
@FAILURES
@STANDARD_FILE
@pass_context
def cycle(
    context: Context,
    audits: tuple[str, ...],
    on: dt.date | None,
    check: bool,
    strict: bool,
    fmt: str,
    failures: bool,
    standard_files: tuple[str, ...],
) -> None:
    """Check a certificate's cycle over an employer's audits as of a date: each deadline met, missed, due or
    upcoming; every worksite covered."""
    from corengine._rules.cycle import STATES, check_cycle
    from corengine._views import render
    from corengine.model.converter import unstructure

    engine = context.with_files(standard_files)
    cycle = check_cycle([engine.score(engine.load_audit(path), strict=strict) for path in audits], on, strict)

    def data() -> dict[str, Any]:
        document: dict[str, Any] = unstructure(cycle)
        return document

    def text() -> str:
        counts = {state: sum(d.state == state for d in cycle.deadlines) for state in STATES}
        summary = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
        tail = f": {summary}" if summary else ""
        if cycle.certificate is None:
            head = "No cycle open"
        elif cycle.state == "cancelled":
            missed = next(d for d in cycle.deadlines if d.due == cycle.ended and d.state in ("failed", "missed"))
            head = f"Cancelled on {cycle.on}: {cycle.certificate} ({missed.subject} by {cycle.ended} {missed.state})"
            head += tail
        elif cycle.state == "lapsed":
            head = f"Lapsed on {cycle.on}: the {cycle.certificate} was valid until {cycle.ended}, not renewed{tail}"
        else:
            head = f"Cycle {'on track' if cycle.complete else 'has gaps'} on {cycle.on}" + tail
        layout = textlayout.Layout.detect()
        lines = [*textlayout.fit(head, layout.width), *render.reason_lines(cycle.findings, layout, failures)]
        return "\n".join(lines) + "\n"

    _emit(fmt, data, text)
    if check and not cycle.complete:
        sys.exit(1)


@cli.command()
@click.option("--province", help="Only partners of this province code.")
@FORMAT
@pass_context
def partners(context: Context, province: str | None, fmt: str) -> None:
    """List certifying partners by province, with their sources and confidence."""
    from corengine._views.payloads import partners_data

    items = partners_data(context.engine, province)

    def text() -> str:
        notes = [
            textlayout.escape(f"{code}: {jurisdiction.note.text}")
            + "".join(f"\n  source: {textlayout.escape(ref)}" for ref in jurisdiction.note.reference)
            for code, (_, jurisdiction) in sorted(context.engine.jurisdictions().items())
            if jurisdiction.note is not None and (not province or code == province.upper())
        ]
        said = "".join(f"{note}\n" for note in notes)
        if not items:
            return said or f"no partners{' for ' + province if province else ''}\n"
        rows = [["Province", "Code", "Name", "Industries", "Conf."]] + [
            [p["province"], p["code"], p["name"], ", ".join(p["industries"]), p["confidence"]] for p in items
        ]
        return "\n".join(textlayout.table(rows, textlayout.output_width())) + "\n" + said

    _emit(fmt, lambda: items, text)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="corengine")
