"""``corengine registry``: the certificate registry on a database (see ``docs/registry.md``).

SQLAlchemy, Alembic and the database drivers are imported only when a registry command runs.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from corengine._cli.main import FORMAT, Context, _date, _emit, pass_context
from corengine._cli.params import format_option
from corengine._io.output import write_atomically
from corengine._util import textlayout
from corengine.errors import InputError
from corengine.model.converter import unstructure

if TYPE_CHECKING:
    from corengine._registry.store import Store
    from corengine._views.registry_export import ExportedAudit

FC = TypeVar("FC", bound=Callable[..., Any])


def _db_options(function: FC) -> FC:
    function = click.option(
        "--lock-timeout",
        type=click.FloatRange(0, 3600),
        default=30.0,
        show_default=True,
        help="Seconds to wait for another process's write lock before giving up.",
    )(function)
    return click.option(
        "--db",
        help="The registry: a SQLite file path or a postgresql:// URL (default: $CORENGINE_DB, else "
        "corengine-registry.sqlite3 in the working directory).",
    )(function)


@contextmanager
def _store(db: str | None, lock_timeout: float) -> Iterator[Store]:
    from corengine._registry.store import Store, database_url

    store = Store(database_url(db), lock_timeout)
    try:
        yield store
    finally:
        store.close()


@click.group("registry")
def registry_group() -> None:
    """The certificate registry: employers, audits and certificates in a database; status on a date."""


@registry_group.command("init")
@_db_options
def init_command(db: str | None, lock_timeout: float) -> None:
    """Create the registry, or upgrade it to this corengine's newest revision."""
    with _store(db, lock_timeout) as store:
        before, head = store.upgrade()
        if before == head:
            said = f"already at revision {head}"
        elif before is None:
            said = f"created at revision {head}"
        else:
            said = f"upgraded from revision {before} to {head}"
        click.echo(f"{textlayout.escape(store.name)}: registry {said}")


def _add(context: Context, store: Store, paths: list[Path]) -> None:
    """Score each file, store the good ones in groups (one transaction each: every file's rows or none), report
    each file once its group is committed, with its auditor's currency; exit 2 when any was bad. A file is scored
    with the history of the audits stored before it and of those waiting in its group."""
    from corengine._registry.lifecycle import currency_lines
    from corengine._registry.records import GROUP, score_file, store_group

    store.check_revision()
    bad = 0
    counts = {"added": 0, "already": 0}
    pending: list[tuple[str, ExportedAudit]] = []

    def flush() -> None:
        for (shown, record), outcome in zip(pending, store_group(store, [r for _, r in pending]), strict=True):
            counts[outcome] += 1
            if outcome == "added":
                click.echo(
                    f"{shown}: added ({textlayout.escape(record.employer.key)}, {record.audit_type} of "
                    f"{record.audit_date})"
                )
                for line in currency_lines(context.engine, store, record.digest):
                    click.echo(f"  {textlayout.escape(line)}")
            else:
                click.echo(f"{shown}: already in the registry (same file, sha256 {record.digest[:12]}): nothing added")
        pending.clear()

    for path in paths:
        shown = textlayout.escape(str(path))
        try:
            record = score_file(context.engine, path, store, [r for _, r in pending])
        except InputError as exc:
            bad += 1
            for line in exc.lines():
                click.echo(f"error: {textlayout.escape(line)}", err=True)
            continue
        except OSError as exc:
            bad += 1
            click.echo(f"error: {shown}: cannot read ({textlayout.escape(exc.strerror or str(exc))})", err=True)
            continue
        pending.append((shown, record))
        if len(pending) >= GROUP:
            flush()
    if pending:
        flush()
    click.echo(f"{counts['added']} added, {counts['already']} already stored, {bad} bad")
    if bad:
        sys.exit(2)


@registry_group.command("add")
@click.argument("audits", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_db_options
@pass_context
def add_command(context: Context, audits: tuple[Path, ...], db: str | None, lock_timeout: float) -> None:
    """Score each audit file and store it (once: a file already stored, by its SHA-256, adds nothing)."""
    with _store(db, lock_timeout) as store:
        _add(context, store, list(audits))


@registry_group.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_db_options
@pass_context
def import_command(context: Context, folder: Path, db: str | None, lock_timeout: float) -> None:
    """Score and store every audit file (.yaml, .yml, .json, .xlsx) under FOLDER, as `registry add` does."""
    from corengine._registry.records import audit_files

    with _store(db, lock_timeout) as store:
        files, indexes = audit_files(folder)
        if indexes:
            shown = ", ".join(str(p) for p in indexes)
            click.echo(
                f"skipped {len(indexes)} evidence index{'es' if len(indexes) != 1 else ''}: {textlayout.escape(shown)} "
                "(not audits; `corengine readiness` reads them)",
                err=True,
            )
        if not files:
            raise InputError([f"{folder}: no audit files (.yaml, .yml, .json, .xlsx) in this folder"])
        _add(context, store, files)


@registry_group.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="The backup file to write.")
@click.option("--force", is_flag=True, help="Replace the file if it exists (never replaced otherwise).")
@_db_options
def backup_command(output: Path, force: bool, db: str | None, lock_timeout: float) -> None:
    """Copy a SQLite registry to a file, consistently while other processes write (PostgreSQL: use pg_dump)."""
    from corengine._registry.backup import backup

    with _store(db, lock_timeout) as store:
        size = backup(store, output, force)
        click.echo(f"{textlayout.escape(store.name)}: backed up to {textlayout.escape(str(output))} ({size} bytes)")


@registry_group.command("export")
@click.option("-o", "--output", default="-", show_default=True, help="File to write (- for standard output).")
@_db_options
def export_command(output: str, db: str | None, lock_timeout: float) -> None:
    """Write every stored audit as JSON lines (one audit, its employer, auditor and certificate per line)."""
    from corengine._registry.records import export_lines

    with _store(db, lock_timeout) as store, store.reading() as session:
        text = "".join(export_lines(session))
    write_atomically(output, text)


@registry_group.command("import-jsonl")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@_db_options
def import_jsonl_command(file: str, db: str | None, lock_timeout: float) -> None:
    """Store the audits of a `registry export` file (as they were stored: nothing is re-scored)."""
    from corengine._registry.records import GROUP, read_lines, store_group

    stream = click.open_file(file, encoding="utf-8")
    try:
        with stream:
            records = read_lines("<stdin>" if file == "-" else file, stream)
    except UnicodeDecodeError:
        raise InputError([f"{file}: not UTF-8 text"]) from None
    with _store(db, lock_timeout) as store:
        store.check_revision()
        outcomes = [o for n in range(0, len(records), GROUP) for o in store_group(store, records[n : n + GROUP])]
    click.echo(f"{outcomes.count('added')} added, {outcomes.count('already')} already stored")


@registry_group.command("status")
@click.argument("employer")
@click.option("--on", "on", callback=_date, help="Date asked about (YYYY-MM-DD; default today).")
@FORMAT
@_db_options
@pass_context
def status_command(
    context: Context, employer: str, on: dt.date | None, fmt: str, db: str | None, lock_timeout: float
) -> None:
    """An employer's standing on a date (EMPLOYER: its WCB account or name), from its stored audits."""
    from corengine._registry.records import status
    from corengine._views.registry import status_text

    with _store(db, lock_timeout) as store, store.reading() as session:
        document = status(context.engine, session, employer, on or dt.date.today())
    _emit(fmt, lambda: unstructure(document), lambda: status_text(document))


def _within(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    from corengine._registry.records import parse_within

    try:
        return parse_within(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@registry_group.command("due")
@click.option("--within", default="60d", show_default=True, callback=_within, help="Window: 60d, 8w, 2m or days.")
@click.option("--on", "on", callback=_date, help="The window's first day (YYYY-MM-DD; default today).")
@format_option("text", "json", "csv", "ics", help="Output format: text, json, csv or ics (an iCalendar file).")
@_db_options
@pass_context
def due_command(
    context: Context, within: int, on: dt.date | None, fmt: str, db: str | None, lock_timeout: float
) -> None:
    """Every deadline due within the window, of every employer whose certificate is current: earliest first.

    --format ics writes an iCalendar file: one all-day event per deadline, with stable UIDs."""
    from corengine._registry.records import due, window_end
    from corengine._views.registry import due_csv, due_text

    start = on or dt.date.today()
    with _store(db, lock_timeout) as store, store.reading() as session:
        document = due(context.engine, session, start, window_end(start, within))
    if fmt == "csv":
        click.echo(due_csv(document), nl=False)
        return
    if fmt == "ics":
        from corengine._views.calendar import due_ics

        click.echo(due_ics(document, dt.datetime.now(dt.UTC)), nl=False)
        return
    _emit(fmt, lambda: unstructure(document), lambda: due_text(document))


@registry_group.command("letter")
@click.argument("employer")
@click.option("--on", "on", callback=_date, help="Date the letter states the status for (YYYY-MM-DD; default today).")
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="The Ed25519 private key (letter-key.pem from `corengine letter keygen`).",
)
@click.option("-o", "--output", default="-", show_default=True, help="File to write (- for standard output).")
@format_option("json", "html", help="Output format: the signed JSON letter, or its printable HTML form.")
@_db_options
@pass_context
def letter_command(
    context: Context,
    employer: str,
    on: dt.date | None,
    key_file: str,
    output: str,
    fmt: str,
    db: str | None,
    lock_timeout: float,
) -> None:
    """A signed Letter of Good Standing: the employer's status on a date, why, and the records it relied on."""
    from corengine._io import signing
    from corengine._registry.records import letter
    from corengine._views.letter import letter_html, signed_bytes

    key = signing.load_private(key_file)
    if signing.exposed(key_file):
        click.echo(
            f"warning: {textlayout.escape(key_file)}: the private key can be read by its group or others "
            "(chmod 600 it)",
            err=True,
        )
    today = dt.date.today()
    with _store(db, lock_timeout) as store, store.reading() as session:
        body = letter(context.engine, session, employer, on or today, today)
    data = signed_bytes(body, key)
    write_atomically(output, data if fmt == "json" else letter_html(data), [key_file])
