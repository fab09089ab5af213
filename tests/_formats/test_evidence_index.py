"""Evidence indexes: every bad index file under ``tests/data/bad_index/`` gets its pinned message and exit 2
(``<file>.expected``; ``CORENGINE_UPDATE_GOLDEN=1`` rewrites them after a deliberate change), and indexes load
from JSON and against their standards."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from corengine import Engine
from corengine._cli.main import cli
from corengine._formats.evidence_index import load_index
from corengine.model.evidence_kinds import vocabulary
from tests.helpers import DATA, EXAMPLES

BAD = DATA / "bad_index"
BAD_CASES = sorted(p for p in BAD.iterdir() if p.suffix in (".yaml", ".json"))


# --------------------------------------------------------------------------- bad index files


def relative(text: str) -> str:
    return text.replace(str(BAD) + os.sep, "")


def test_there_are_bad_index_files() -> None:
    assert len(BAD_CASES) >= 10


@pytest.mark.parametrize("path", BAD_CASES, ids=[p.name for p in BAD_CASES])
def test_a_bad_index_gets_its_pinned_message_and_exit_2(path: Path) -> None:
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["readiness", "ab-acsa-cor", str(path), "--on", "2024-10-18"])
    golden = path.with_name(path.name + ".expected")
    if os.environ.get("CORENGINE_UPDATE_GOLDEN"):
        golden.write_text(relative(result.stderr), encoding="utf-8")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert relative(result.stderr) == golden.read_text(encoding="utf-8")
    assert path.read_bytes() == before


def test_an_index_loads_from_json(tmp_path: Path) -> None:
    path = tmp_path / "index.json"
    path.write_text('{"employer": "Json Ltd.", "records": [{"kind": "drill-record", "title": "Drills", "count": 2, '
                    '"first": "2024-01-01", "last": "2024-06-01"}]}')  # fmt: skip
    loaded = load_index(path)
    assert loaded.index.records[0].last == dt.date(2024, 6, 1)


def test_every_example_index_loads_against_its_standard(installed: Engine) -> None:
    from corengine._formats.evidence_index import index_problems

    for path in sorted((EXAMPLES / "evidence").glob("*.yaml")):
        loaded = load_index(path)
        assert loaded.index.standard is not None
        standard = installed.standard(loaded.index.standard)
        assert index_problems(loaded, standard, vocabulary(standard)) == [], path.name
