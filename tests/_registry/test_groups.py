"""Files stored in groups (one transaction for up to GROUP files): a group is stored whole or not at all, the same
file twice in one command is stored once, and a group's lines are printed only once it is committed."""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest

from corengine._registry import models
from corengine._registry.records import GROUP, record_of, store_group
from corengine._registry.store import Store, database_url
from corengine.errors import CorengineError
from tests._registry.test_registry import ONTARIO, init, registry
from tests.helpers import bundled_engine


def test_a_group_with_one_bad_record_stores_none_of_them(db: str) -> None:
    init(db)
    engine = bundled_engine()
    good = record_of(engine.score(engine.load_audit(ONTARIO[0])), "e" * 64, "a.yaml")
    bad = record_of(engine.score(engine.load_audit(ONTARIO[1])), "f" * 64, "b.yaml")
    assert bad.certificate is not None
    bad = attrs.evolve(bad, certificate=attrs.evolve(bad.certificate, certificate=None))  # its row cannot be written
    store = Store(database_url(db))
    try:
        with pytest.raises(CorengineError):
            store_group(store, [good, bad])
        with store.reading() as session:
            counts = [session.query(table).count() for table in (models.Employer, models.Audit, models.Certificate)]
        assert counts == [0, 0, 0]
        assert store_group(store, [good, good]) == ["added", "already"]
    finally:
        store.close()


def test_more_files_than_a_group_are_each_reported_once_in_order(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    init(db)
    folder = tmp_path / "audits"
    folder.mkdir()
    for n in range(GROUP + 3):  # the same bytes under many names: one added, the others already stored
        shutil.copy(ONTARIO[0], folder / f"a{n:03}.yaml")
    result = registry("import", "--db", db, str(folder))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{folder / 'a000.yaml'}: added (WSIB 1234567, internal of 2024-09-20)"
    assert [line.split(":")[0] for line in lines[1:-1]] == [str(folder / f"a{n:03}.yaml") for n in range(1, GROUP + 3)]
    assert all("already in the registry" in line for line in lines[1:-1])
    assert lines[-1] == f"1 added, {GROUP + 2} already stored, 0 bad"
