"""A test session leaves the temporary folder as it found it: the cache of structured standards and the tests'
``tmp_path`` folders go when it passes (``tests/conftest.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def test_a_passing_session_leaves_no_temporary_folder(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CORENGINE_TEST_CACHE", "XDG_CACHE_HOME")}
    env["TMPDIR"] = str(temporary)
    session = subprocess.run(
        [
            sys.executable,
            *("-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"),
            "tests/_io/test_output.py",
            *("-k", "test_new_refuses_to_write_over_its_standard_file"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert session.returncode == 0, session.stdout + session.stderr
    assert sorted(p.name for p in temporary.iterdir()) == []
