"""``registry backup``: a consistent copy of a SQLite registry while another process writes to it, written to a
temporary file then renamed, never over an existing file without --force; PostgreSQL is told to use pg_dump."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corengine._cli.main import cli
from tests.helpers import EXAMPLES

BATCH = 40
"""Employers each of the writer's transactions inserts: a consistent copy holds whole batches only."""

WRITER = f"""
import sqlite3, sys, time
path, stop = sys.argv[1], sys.argv[2]
connection = sqlite3.connect(path, timeout=60, isolation_level=None)
batch = 0
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    connection.execute("BEGIN IMMEDIATE")
    for n in range({BATCH}):
        connection.execute(
            "INSERT INTO employers (key, name) VALUES (?, ?)", (f"batch {{batch}} #{{n}}", "x" * 2000)
        )
    connection.execute("COMMIT")
    batch += 1
    if batch == 3:
        open(stop + ".started", "w").close()
    try:
        open(stop).close()
        break
    except FileNotFoundError:
        pass
print(batch)
"""


def registry(*args: str) -> Result:
    return CliRunner().invoke(cli, ["registry", *args])


def _filled(tmp_path: Path) -> Path:
    db = tmp_path / "live.sqlite3"
    assert registry("init", "--db", str(db)).exit_code == 0
    assert registry("add", "--db", str(db), str(EXAMPLES / "ontario-external-pass.yaml")).exit_code == 0
    with sqlite3.connect(db) as connection:  # some bulk, so that a copy takes a while
        connection.executemany(
            "INSERT INTO employers (key, name) VALUES (?, ?)", [(f"bulk #{n}", "y" * 4000) for n in range(3000)]
        )
    return db


def test_a_backup_while_another_process_writes_is_consistent(tmp_path: Path) -> None:
    db = _filled(tmp_path)
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(stop)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        for _ in range(600):
            if Path(str(stop) + ".started").exists():
                break
            time.sleep(0.05)
        copies = []
        for n in range(4):
            target = tmp_path / f"copy{n}.sqlite3"
            done = registry("backup", "--db", str(db), "-o", str(target))
            assert done.exit_code == 0, done.output
            assert done.output.startswith(f"{db}: backed up to {target} (")
            copies.append(target)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    batches_written = int(out)
    counts = []
    for target in copies:
        with sqlite3.connect(target) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            keys = [row[0] for row in copy.execute("SELECT key FROM employers WHERE key LIKE 'batch %'")]
            assert copy.execute("SELECT count(*) FROM employers WHERE key LIKE 'bulk #%'").fetchone() == (3000,)
            assert copy.execute("SELECT count(*) FROM audits").fetchone() == (1,)
        batches = {key.split(" #")[0] for key in keys}
        assert len(keys) == len(batches) * BATCH  # every batch whole: no transaction half in the copy
        assert batches == {f"batch {n}" for n in range(len(batches))}
        counts.append(len(batches))
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert counts == sorted(counts) and counts[0] >= 3 and counts[-1] <= batches_written
    # the copy is a registry: the commands read it
    status = registry("status", "--db", str(copies[0]), "WSIB 1234567", "--on", "2025-06-01")
    assert status.exit_code == 0
    assert (
        status.output.splitlines()[0]
        == "Lakeshore Paving Ltd. (WSIB 1234567) on 2025-06-01: maintenance due (by 2026-01-31)"
    )
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_existing_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    db = _filled(tmp_path)
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"keep me")
    refused = registry("backup", "--db", str(db), "-o", str(target))
    assert (refused.exit_code, refused.stderr) == (
        2,
        f"error: {target}: already exists; nothing written (give --force to replace it)\n",
    )
    assert target.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.sqlite3", "live.sqlite3"]
    forced = registry("backup", "--db", str(db), "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM audits").fetchone() == (1,)
    itself = registry("backup", "--db", str(db), "-o", str(db), "--force")
    assert (itself.exit_code, itself.stderr) == (2, f"error: {db}: this is the registry itself; give another file\n")


def test_a_backup_of_a_read_only_registry_and_into_a_missing_folder(tmp_path: Path) -> None:
    db = _filled(tmp_path)
    os.chmod(db, 0o444)
    target = tmp_path / "copy.sqlite3"
    done = registry("backup", "--db", str(db), "-o", str(target))
    assert done.exit_code == 0, done.output
    missing = tmp_path / "nowhere" / "copy.sqlite3"
    refused = registry("backup", "--db", str(db), "-o", str(missing))
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"error: {missing}: cannot write here (")
    unknown = registry("backup", "--db", str(tmp_path / "none.sqlite3"), "-o", str(tmp_path / "c2"))
    assert unknown.exit_code == 2 and "no registry here" in unknown.stderr


def test_postgresql_is_told_to_use_pg_dump(db: str, tmp_path: Path) -> None:
    if "://" not in db:
        pytest.skip("a PostgreSQL registry only: a SQLite one is backed up (the tests above)")
    assert registry("init", "--db", db).exit_code == 0
    refused = registry("backup", "--db", db, "-o", str(tmp_path / "copy"))
    assert refused.exit_code == 2
    assert refused.stderr.endswith(
        ": `registry backup` copies a SQLite registry; back up a PostgreSQL registry with PostgreSQL's own tool, "
        "e.g. `pg_dump --format=custom --file=FILE URL` (restore with pg_restore)\n"
    )
    assert not (tmp_path / "copy").exists()
