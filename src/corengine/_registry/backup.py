"""``registry backup``: a consistent copy of a SQLite registry while other processes keep writing to it.

The copy is made with SQLite's online backup API (``sqlite3.Connection.backup``, through the raw connection
SQLAlchemy holds) in one step: it reads the whole database inside one read transaction, so it holds the
database as one committed state (a writer's transaction is in it whole or not at all; a writer waits for the
copy's read lock for up to its own lock timeout, as for any reader). It is written to a new temporary file
beside the target (mode 0600: a backup holds everything the registry holds), checked with ``PRAGMA
integrity_check``, flushed to disk and only then given its name: a hard link that fails when the target exists
(so an existing file is never overwritten, even by a race) or, with ``force``, an atomic rename over it.
A failure leaves no temporary file and the target as it was. PostgreSQL is backed up with ``pg_dump``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from corengine._registry.store import Store, reason_of
from corengine.errors import CorengineError


def backup(store: Store, target: Path, force: bool = False) -> int:
    """Copy the registry ``store`` (SQLite) to the file ``target``; the number of bytes written."""
    if not store.sqlite:
        raise CorengineError(
            f"{store.name}: `registry backup` copies a SQLite registry; back up a PostgreSQL registry with "
            "PostgreSQL's own tool, e.g. `pg_dump --format=custom --file=FILE URL` (restore with pg_restore)"
        )
    store.check_revision()
    source = Path(store.url.database or "")
    if target.exists() and target.resolve() == source.resolve():
        raise CorengineError(f"{target}: this is the registry itself; give another file")
    if target.exists() and not force:
        raise CorengineError(f"{target}: already exists; nothing written (give --force to replace it)")
    if target.is_dir():
        raise CorengineError(f"{target}: is a folder; give a file name")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CorengineError(f"{target}: cannot write here ({exc.strerror or exc})") from None
    os.close(handle)
    try:
        _copy(store, temporary, target)
        _publish(temporary, target, force)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return target.stat().st_size


def _copy(store: Store, temporary: str, target: Path) -> None:
    try:
        with store.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            copy = sqlite3.connect(temporary)
            try:
                raw.backup(copy)  # one step: the whole database in one read transaction
                found = copy.execute("PRAGMA integrity_check").fetchall()
            finally:
                copy.close()
    except sqlite3.Error as exc:
        where = target if isinstance(exc, sqlite3.OperationalError) and _about_target(exc) else store.name
        raise CorengineError(f"{where}: {reason_of(str(exc))}") from None
    if found != [("ok",)]:
        problems = "; ".join(str(row[0]) for row in found[:3])
        raise CorengineError(f"{store.name}: the copy fails SQLite's integrity check ({problems}); nothing written")
    with open(temporary, "rb+") as flushed:
        os.fsync(flushed.fileno())


def _about_target(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "disk" in text or "full" in text or "readonly" in text


def _publish(temporary: str, target: Path, force: bool) -> None:
    try:
        if force:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if the target appeared meanwhile: never overwritten
    except FileExistsError:
        raise CorengineError(f"{target}: already exists; nothing written (give --force to replace it)") from None
    except OSError as exc:
        raise CorengineError(f"{target}: cannot write the backup ({exc.strerror or exc})") from None
    with contextlib.suppress(OSError):  # the new name on disk too
        directory = os.open(target.parent if str(target.parent) else ".", os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
