"""``registry due --format ics`` over a real registry: one event per deadline, the same UIDs on every run (a
calendar re-importing the file updates its events), CRLF lines."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from click.testing import CliRunner

from corengine._cli.main import cli
from corengine._views.calendar import uid
from corengine._views.registry import DueItem
from tests.helpers import EXAMPLES


def test_due_as_icalendar_has_one_event_per_deadline_with_stable_uids(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    runner = CliRunner()
    assert runner.invoke(cli, ["registry", "init", "--db", db]).exit_code == 0
    audits = [EXAMPLES / "ontario-internal-pass.yaml", EXAMPLES / "ontario-external-pass.yaml"]
    audits.append(EXAMPLES / "alberta-esc-cor-recertification.yaml")
    assert runner.invoke(cli, ["registry", "add", "--db", db, *map(str, audits)]).exit_code == 0
    args = ["registry", "due", "--db", db, "--on", "2025-12-01", "--within", "120d"]
    first = runner.invoke(cli, [*args, "--format", "ics"])
    second = runner.invoke(cli, [*args, "--format", "ics"])
    assert first.exit_code == 0, first.output
    data = first.stdout_bytes
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    items = json.loads(runner.invoke(cli, [*args, "--format", "json"]).output)["items"]
    expected = [
        uid(DueItem(i["employer"], i["name"], i["check"], i["subject"], dt.date.fromisoformat(i["due"]), "", None))
        for i in items
    ]
    assert re.findall(rb"\r\nUID:([^\r]+)\r\n", data) == [e.encode() for e in expected]
    assert len(expected) == 2 and re.findall(rb"DTSTART;VALUE=DATE:(\d+)", data) == [b"20260131", b"20260331"]
    assert b"SUMMARY:Lakeshore Paving Ltd.: maintenance due\r\n" in data
    stamp = re.compile(rb"DTSTAMP:\d{8}T\d{6}Z\r\n")
    assert stamp.sub(b"", data) == stamp.sub(b"", second.stdout_bytes)  # only the export time differs
