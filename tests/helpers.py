"""What the core's test modules share: the repository's folders, the test standard and the engines built from
it, the command-line runners, the golden-file check and the spreadsheet helpers.

Test modules import these names from here (``from tests.helpers import ...``); fixtures and hooks stay in
``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from click.testing import CliRunner, Result

import corengine_alberta.plugin
import corengine_bc.plugin
import corengine_ontario.plugin
from corengine import Engine, hookimpl
from corengine._cli.main import cli
from corengine._formats.xlsx import AUDIT_FIELDS, FIELD_PATHS, RESPONSE_COLUMNS, write_workbook
from corengine._io.loading import parse, read_text
from corengine.model.findings import Finding

# --------------------------------------------------------------------------- folders

ROOT = Path(__file__).resolve().parent.parent
"""The checkout."""
DATA = ROOT / "tests" / "data"
"""The core tests' input files."""
GOLDEN = ROOT / "tests" / "golden"
"""Outputs pinned by eye (``CORENGINE_UPDATE_GOLDEN=1`` rewrites them after a deliberate change)."""
EXAMPLES = ROOT / "examples"
"""The example audits and evidence indexes."""

# --------------------------------------------------------------------------- standards, plugins and engines

TEST_STANDARD = DATA / "standards" / "test-basic.yaml"
BUNDLED_PLUGINS = (corengine_alberta.plugin, corengine_ontario.plugin, corengine_bc.plugin)
"""The bundled plugin modules, in the order their entry points load (by name: alberta, bc, ontario aside)."""
BUNDLED_NAMES = "alberta,ontario,bc"
"""Their entry-point names, for :data:`corengine._host.manager.ONLY_ENV`."""
ISOLATED = {"CORENGINE_DISABLE_PLUGINS": "alberta,ontario,bc"}
"""The environment of a command that sees none of the bundled plugins."""


class StandardsPlugin:
    """Registers the core tests' own standard files."""

    name = "test-standards"

    def __init__(self, *paths: Path) -> None:
        self.paths = list(paths) or [TEST_STANDARD]

    @hookimpl
    def corengine_register_standards(self) -> list[Path]:
        return self.paths


def make_engine(reuse: bool = True) -> Engine:
    return Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={}, reuse=reuse)


def bundled_engine(reuse: bool = True) -> Engine:
    """An engine with the three bundled plugins and nothing else installed."""
    return Engine(plugins=BUNDLED_PLUGINS, load_entrypoints=False, environ={}, reuse=reuse)


def basic_audit() -> dict[str, Any]:
    """The test audit as plain data (dates as text, as JSON would give them)."""
    with open(DATA / "audit-basic.yaml", encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return copy.deepcopy(data | {"audit_date": "2024-05-10", "start_date": "2024-04-01"})


def finding_lines(f: Finding) -> list[str]:
    """A finding as the golden files of eligibility answers and sample plans show it, every field on three lines."""
    details = [
        f"required {f.required}" if f.required is not None else "",
        f"measured {f.measured}" if f.measured is not None else "",
        f"confidence {f.confidence}" if f.confidence else "",
        f"version {f.rule_version}" if f.rule_version else "",
        f"plugin {f.plugin}",
        f"reading {f.reading}" if f.reading else "",
    ]
    return [
        f"  - {f.status} {f.check} [{f.subject_kind}: {f.subject}] {f.message}",
        "      " + "; ".join(d for d in details if d),
        "      sources " + " ".join(f.sources),
    ]


# --------------------------------------------------------------------------- the bundled plugins' conventions


def question_bearing(engine: Engine) -> list[str]:
    return sorted(i for i in engine.sources() if engine.standard(i).questions())


EXPECTS_NOTE = "Expected evidence (expects) and themes are corengine's reference"
"""How a bundled standard's ``expects_note`` begins (a convention of the bundled plugins, docs/plugins.md)."""


def convention_problems(engine: Engine) -> list[str]:
    """What breaks the bundled plugins' data conventions (docs/plugins.md, "Conventions of the bundled plugins")
    in the question-bearing standards ``engine`` knows."""
    missing = []
    for ident in question_bearing(engine):
        standard = engine.standard(ident)
        if not standard.expects_note.startswith(EXPECTS_NOTE):
            missing.append(f"{ident}: expects_note does not begin {EXPECTS_NOTE!r}")
        for element in standard.elements:
            if not element.themes:
                missing.append(f"{ident} element {element.id}: no theme")
            for question in element.questions:
                if not question.expects:
                    missing.append(f"{ident} {question.id}: no expected evidence")
                kinds = {
                    "D": any(x.kind for x in question.expects),
                    "I": any(x.interview for x in question.expects),
                    "O": any(x.observe for x in question.expects),
                }
                for method in question.methods:
                    if not kinds[method]:
                        missing.append(f"{ident} {question.id}: method {method} has no matching expectation")
                if not question.evidence and ident != "bc-bccsa-cor":
                    missing.append(f"{ident} {question.id}: no free-text evidence")
    return missing


# --------------------------------------------------------------------------- the command line


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    """``corengine ARGS`` through click's runner, with no bundled plugin unless ``env`` says otherwise."""
    return CliRunner().invoke(cli, list(args), input=input, env=ISOLATED if env is None else env)


def run_test_standard(*args: str, input: str | None = None) -> Result:
    """``corengine ARGS --standard-file tests/data/standards/test-basic.yaml``, with no bundled plugin."""
    return CliRunner().invoke(cli, [*args, "--standard-file", str(TEST_STANDARD)], input=input, env=ISOLATED)


def run_ok(*args: str) -> str:
    """The standard output of ``corengine ARGS`` (with the bundled plugins), checking it exits 0."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def invoke(*args: str) -> tuple[int, str, str]:
    """The exit code, standard output and standard error of ``corengine ARGS`` (with the bundled plugins)."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# --------------------------------------------------------------------------- golden files


def golden(name: str, text: str) -> None:
    """``text`` is ``tests/golden/NAME`` (rewritten instead with ``CORENGINE_UPDATE_GOLDEN=1``)."""
    path = GOLDEN / name
    if os.environ.get("CORENGINE_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- spreadsheets

COLUMN = {name: openpyxl.utils.get_column_letter(i) for i, (name, _) in enumerate(RESPONSE_COLUMNS, start=1)}
"""The letter of each column of the Responses sheet."""


def _cell_value(key: str, value: Any) -> Any:
    """A YAML value as an auditor would type it: dates as dates, lists as text, numbers as numbers."""
    kind = dict((k, kind) for k, kind, _ in AUDIT_FIELDS)[key]
    if kind == "date":
        return dt.date.fromisoformat(str(value))
    if kind == "methods":
        return ", ".join(value)
    if kind == "list":
        return "; ".join(value)
    if kind == "bool":
        return "yes" if value else "no"
    return value


def fill(path: Path, data: dict[str, Any]) -> None:
    """Type the YAML audit ``data`` into the blank workbook at ``path`` (the answer cells only)."""
    wb = openpyxl.load_workbook(path)
    audit = wb["Audit"]
    for row in range(2, audit.max_row + 1):
        key = audit.cell(row=row, column=1).value
        value: Any = data
        for part in FIELD_PATHS.get(key, key.split(".")):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            audit.cell(row=row, column=2).value = _cell_value(key, value)
    sheet = wb["Responses"]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for qid, response in data["responses"].items():
        row = rows[qid]
        for key, value in response.items():
            if key == "points":
                sheet[f"{COLUMN['Points']}{row}"] = value
            elif key in ("interviews", "observations", "documents"):
                sheet[f"{COLUMN['Tally']}{row}"] = key
                sheet[f"{COLUMN['Positive']}{row}"] = value["positive"]
                sheet[f"{COLUMN['Total']}{row}"] = value["total"]
            elif key == "na":
                sheet[f"{COLUMN['N/A reason']}{row}"] = value
            elif key == "note":
                sheet[f"{COLUMN['Note']}{row}"] = value
            else:  # pragma: no cover - the examples use only the keys above
                raise AssertionError(key)
    wb.save(path)


def yaml_data(path: Path) -> dict[str, Any]:
    text, source = read_text(path)
    data: dict[str, Any] = parse(text, source)[0]
    return data


def blank(engine: Engine, tmp_path: Path, standard: str, program: str, name: str = "audit.xlsx") -> Path:
    out = tmp_path / name
    out.write_bytes(write_workbook(engine.standard(standard), program))
    return out


def basic_filled(tmp_path: Path, name: str = "audit.xlsx") -> Path:
    """The core test audit as a filled workbook (2.1's two tallies added into one, which scores the same)."""
    engine = make_engine()
    data = yaml_data(DATA / "audit-basic.yaml")
    data["responses"]["2.1"] = {"interviews": {"positive": 10, "total": 13}}
    path = blank(engine, tmp_path, "test-basic", "Large", name)
    fill(path, data)
    return path


def edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def validate_problems(path: Path) -> list[str]:
    """Every problem ``validate`` prints for ``path`` against the test standard, with the folder left out."""
    result = run_test_standard("validate", str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    return [line.replace(str(path.parent) + os.sep, "") for line in result.stderr.splitlines()]


def headline(output: str) -> str:
    """The first line of a text output with the lines it was wrapped onto (indented by four spaces) joined back."""
    lines = output.splitlines()
    head = [lines[0]] if lines else [""]
    for line in lines[1:]:
        if not line.startswith("    "):
            break
        head.append(line.strip())
    return " ".join(head)


# --------------------------------------------------------------------------- a real service


@contextlib.contextmanager
def serving(folder: Path, *options: str, **popen: Any) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """``corengine serve`` on a free loopback port, answering ``GET /v1/plugins``: the process, its base address
    and its log (stopped on leaving)."""
    import httpx2

    command = Path(sys.executable).with_name("corengine")
    port = free_port()
    log = folder / "serve.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [str(command), "serve", "--port", str(port), *options],
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=folder,
            **popen,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log.read_text(encoding="utf-8")
            try:
                if httpx2.get(f"{base}/v1/plugins", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        yield process, base, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds the process ``pid`` has used (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The processes ``pid`` started that are still running (from ``/proc``)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text(encoding="ascii").split()]
        except OSError:
            continue
    return sorted(set(found))
