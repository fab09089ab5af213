"""A registry on a disk that fills up: one clear error and exit 2, never a traceback, and nothing half-written
(issue 24 item 7). The disk is a real one: a small tmpfs mounted for the test (root only; skipped elsewhere)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._registry.test_registry import registry
from tests.helpers import EXAMPLES

EXAMPLE = EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB file system of its own (tmpfs), unmounted afterwards."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the full-disk test runs where it can")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield folder
    finally:
        # lazily (-l): detached at once even while the registry's connection pool still holds the file open, so no
        # mount outlives the test and its temporary folder can be removed
        unmounted = subprocess.run(["umount", "-l", str(folder)], capture_output=True, text=True)
        assert unmounted.returncode == 0, unmounted.stderr


def test_a_full_disk_is_one_error_and_the_registry_keeps_what_was_committed(small_disk: Path, tmp_path: Path) -> None:
    db = str(small_disk / "registry.sqlite3")
    assert registry("init", "--db", db).exit_code == 0
    text = EXAMPLE.read_text(encoding="utf-8")
    files = []
    for n in range(150):  # different files (so different digests): more than 4 MB once stored
        path = tmp_path / f"audit-{n:03}.yaml"
        path.write_text(f"{text}\n# copy {n}\n", encoding="utf-8")
        files.append(str(path))
    result = registry("add", "--db", db, *files)
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {db}: the disk is full; nothing was written"], result.output
    assert "Traceback" not in result.output
    with sqlite3.connect(db) as connection:  # what was committed before the disk filled is whole
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = connection.execute("SELECT count(*) FROM audits").fetchone()[0]
    added = [line for line in result.output.splitlines() if ": added (" in line]
    assert stored == len(added)
    assert stored > 0 and stored % 50 == 0  # whole groups only: the group the disk could not hold left nothing behind
