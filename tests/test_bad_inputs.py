"""Every bad input file gets one clear message (file, line, path, what was expected) and exit 2.

The expected stderr of each file under ``tests/data/bad/`` is pinned in ``<file>.expected``. To accept
new messages after a deliberate change: ``CORENGINE_UPDATE_GOLDEN=1 pytest tests/test_bad_inputs.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from corengine._cli.main import cli
from corengine._io.loading import MAX_BYTES

from .conftest import DATA, TEST_STANDARD

BAD = DATA / "bad"
CASES = sorted(p for p in BAD.iterdir() if p.suffix in (".yaml", ".json"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, [*args, "--standard-file", str(TEST_STANDARD)], env={"CORENGINE_DISABLE_PLUGINS": "alberta,ontario,bc"}
    )
    return result.exit_code, result.stdout, result.stderr


def relative(text: str) -> str:
    return text.replace(str(BAD) + os.sep, "")


def test_there_are_at_least_fifteen_bad_files() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_bad_file_gets_its_pinned_message_and_exit_2(path: Path) -> None:
    before = path.read_bytes()
    code, out, err = run("validate", str(path))
    golden = path.with_name(path.name + ".expected")
    if os.environ.get("CORENGINE_UPDATE_GOLDEN"):
        golden.write_text(relative(err), encoding="utf-8")
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert relative(err) == golden.read_text(encoding="utf-8")
    assert path.read_bytes() == before, "an input file must never be modified"


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_score_rejects_the_same_files_without_output(path: Path) -> None:
    code, out, err = run("score", str(path), "--format", "json")
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"notes: '" + b"x" * MAX_BYTES + b"'\n")
    code, out, err = run("validate", str(huge))
    assert (code, out) == (2, "")
    assert err == f"error: {huge}: larger than 5 MiB; refusing to read it\n"


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 200 + "]" * 200 + "\n")
    code, _, err = run("validate", str(deep))
    assert code == 2
    assert "nested deeper than 64 levels" in err


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "does not exist" in err
