"""Two processes importing the same folder at once lose nothing and duplicate nothing (SQLite, and PostgreSQL
where a server can be started)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from corengine._cli.main import cli
from tests.helpers import EXAMPLES

AUDITS = sorted(p for p in EXAMPLES.glob("*.yaml"))
"""The bundled example audits (every one valid)."""

COMMAND = "import sys; from corengine._cli.main import main; sys.argv[0] = 'corengine'; main()"


def test_two_processes_importing_one_folder_store_each_audit_once(tmp_path: Path, db: str) -> None:
    assert CliRunner().invoke(cli, ["registry", "init", "--db", db]).exit_code == 0
    folder = tmp_path / "audits"
    folder.mkdir()
    for path in AUDITS:
        shutil.copy(path, folder / path.name)
    args = [sys.executable, "-c", COMMAND, "registry", "import", str(folder), "--db", db]
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    totals = [re.search(r"^(\d+) added, (\d+) already stored, 0 bad$", out, re.M) for out, _ in outputs]
    assert all(totals), outputs
    added = [int(found.group(1)) for found in totals if found]
    already = [int(found.group(2)) for found in totals if found]
    assert sum(added) == len(AUDITS) and sum(already) == len(AUDITS)
    exported = CliRunner().invoke(cli, ["registry", "export", "--db", db]).output.splitlines()
    digests = [json.loads(line)["digest"] for line in exported]
    assert len(digests) == len(set(digests)) == len(AUDITS)
