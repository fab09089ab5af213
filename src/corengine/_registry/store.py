"""Where the registry lives and how it is opened: a database URL, the schema's revision, and every database
failure turned into one clear message.

The database is named by ``--db``, else ``CORENGINE_DB``, else ``corengine-registry.sqlite3`` in the working
directory. A value with ``://`` is a SQLAlchemy URL (``postgresql://`` uses psycopg 3); any other value is the
path of a SQLite file. Every write runs in one transaction (:func:`transaction`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session

from corengine.errors import CorengineError

DEFAULT_FILE = "corengine-registry.sqlite3"
"""The SQLite file used when neither ``--db`` nor ``CORENGINE_DB`` names a database, in the working directory."""

ENVIRONMENT = "CORENGINE_DB"

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(db: str | None, environ: Mapping[str, str] | None = None) -> URL:
    """The URL of the database ``db`` names (a URL or a SQLite path), else ``CORENGINE_DB``, else the default
    file in the working directory."""
    environ = os.environ if environ is None else environ
    value = db or environ.get(ENVIRONMENT) or DEFAULT_FILE
    if "://" not in value:
        return URL.create("sqlite", database=str(Path(value).resolve()))
    try:
        url = make_url(value)
    except sqlalchemy.exc.ArgumentError:
        raise CorengineError(f"--db: expected a path or a database URL, not {value!r}") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise CorengineError(f"--db: expected a SQLite path or a postgresql:// URL, not a {url.drivername} URL")
    return url


def shown(url: URL) -> str:
    """The database as a message names it: the file of a SQLite database, else the URL without its password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


class Store:
    """An open registry database."""

    def __init__(self, url: URL, timeout: float = 30.0) -> None:
        self.url = url
        self.name = shown(url)
        self.sqlite = url.get_backend_name() == "sqlite"
        connect_args: dict[str, Any] = (
            {"timeout": timeout} if self.sqlite else {"connect_timeout": max(1, int(timeout))}
        )
        self.read_only = self.sqlite and _read_only_file(url.database)
        if self.read_only:  # honoured even for root, whom the file's mode bits do not stop
            uri = f"file:{urllib.parse.quote(url.database or '')}?mode=ro"
            self.engine: Engine = sqlalchemy.create_engine(
                "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
            )
        else:
            self.engine = sqlalchemy.create_engine(url, connect_args=connect_args)
        if self.sqlite:
            _immediate(self.engine)
        self.writer: Engine = self.engine.execution_options(corengine_write=True)
        """The engine for writes (on SQLite, its transactions take the write lock at once)."""

    def close(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Turn a database failure into one :class:`CorengineError` naming the database."""
        try:
            yield
        except sqlalchemy.exc.IntegrityError:
            raise  # another writer stored the same row first: the caller retries
        except sqlalchemy.exc.DBAPIError as exc:
            raise CorengineError(f"{self.name}: {_reason(exc)}") from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session in one transaction: committed whole at the end, rolled back whole on any error."""
        with self.errors(), Session(self.writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading at the schema's head revision."""
        self.check_revision()
        with self.errors(), Session(self.engine) as session, session.begin():
            yield session

    def _config(self, connection: sqlalchemy.Connection | None = None) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        return config

    def revisions(self) -> tuple[str | None, str]:
        """The database's revision (None for an empty database) and the newest this corengine knows."""
        head = ScriptDirectory.from_config(self._config()).get_current_head()
        assert head is not None
        with self.errors(), self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        return current, head

    def _known(self, revision: str) -> bool:
        script = ScriptDirectory.from_config(self._config())
        return revision in {found.revision for found in script.walk_revisions()}

    def check_revision(self) -> None:
        """Refuse a database that was not initialised, is at an older revision or at one this corengine does not
        know (written by a newer corengine)."""
        if self.sqlite and self.url.database and not Path(self.url.database).exists():
            raise CorengineError(f"{self.name}: no registry here; create it with `corengine registry init`")
        current, head = self.revisions()
        if current is None:
            raise CorengineError(f"{self.name}: not a registry yet; create it with `corengine registry init`")
        if not self._known(current):
            raise CorengineError(_newer(self.name, current, head))
        if current != head:
            raise CorengineError(
                f"{self.name}: the registry is at revision {current}; upgrade it to {head} with "
                "`corengine registry init`"
            )

    def upgrade(self, target: str = "head") -> tuple[str | None, str]:
        """Bring the database to the ``target`` revision, by default the head (creating the tables in an empty
        one), in one transaction: the revision it was at and the one it is at now."""
        current, head = self.revisions()
        if current is not None and not self._known(current):
            raise CorengineError(_newer(self.name, current, head))
        with self.errors(), self.writer.begin() as connection:
            command.upgrade(self._config(connection), target)
        return current, head if target == "head" else target


def _read_only_file(path: str | None) -> bool:
    """Whether ``path`` is a SQLite file that no one may write (``chmod a-w``)."""
    try:
        return path is not None and not os.stat(path).st_mode & 0o222
    except OSError:
        return False


def _newer(name: str, current: str, head: str) -> str:
    return (
        f"{name}: the registry is at revision {current!r}, which this corengine does not know (its newest is "
        f"{head!r}): it was written by a newer corengine; use that version"
    )


def _immediate(engine: Engine) -> None:
    """SQLite: start every write transaction with BEGIN IMMEDIATE, so two writers queue for the lock (up to the
    timeout) instead of one failing when it upgrades a read to a write; reads begin as usual."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver's own BEGIN is off; the one below is used

    @event.listens_for(engine, "begin")
    def _begin(connection: sqlalchemy.Connection) -> None:
        write = connection.get_execution_options().get("corengine_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _reason(exc: sqlalchemy.exc.DBAPIError) -> str:
    """What went wrong with the database, in a user's words."""
    return reason_of(str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc))


def reason_of(text: str) -> str:
    """What the driver's message ``text`` means, in a user's words."""
    lowered = text.lower()
    if "locked" in lowered:
        return "the database is locked by another process (it held the lock past the timeout); try again"
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return "the database is read-only here; it cannot be written"
    if "unable to open" in lowered:
        return "cannot open the database file (is its folder missing or not writable?)"
    if "disk is full" in lowered or "no space" in lowered:
        return "the disk is full; nothing was written"
    if "not a database" in lowered:
        return "not a database file"
    return text
