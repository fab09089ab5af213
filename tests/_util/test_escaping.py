"""Escaping: hostile text in, safe files out.

Writing: a standard file (``--standard-file``), an audit and an evidence index whose every text field holds
spreadsheet formulas (``=HYPERLINK(...)``, ``+cmd``, ``-1+1``, ``@SUM``, tab and carriage-return prefixes), HTML
and Markdown (``<script>``, ``[x](javascript:...)``, table pipes, heading hashes, backticks, a line break that
would start a YAML key) and terminal escapes (ESC/CSI colour, an OSC 8 link, C1 CSI ``\\x9b``, a bidi override,
a zero-width space). Every text, Markdown and CSV output of ``new``, ``map``, ``readiness``, ``crosswalk`` and
``plan`` is checked for raw escapes, links, broken tables and headings; every spreadsheet written (``new -o
x.xlsx``, evidence-index workbooks) for live formulas.

Hostile plugins (the plugin boundary) are tested in ``tests/_host/test_plugin_failures.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from corengine._cli.main import cli
from corengine._formats.evidence_index import index_to_xlsx, load_index
from corengine._util.escaping import FORMULA_START, csv_cell, linkable, md_escape, md_line, set_cell
from corengine._util.textlayout import HIDDEN, escape
from tests.helpers import EXAMPLES

ALONE = {"CORENGINE_DISABLE_PLUGINS": "alberta,bc,ontario"}
"""The CLI without the province plugins: the hostile standard needs none of them."""

PAYLOAD = (
    '=HYPERLINK("http://evil.example/x","click") +cmd|\' /C calc\'!A0 -1+1 @SUM(1+1) \t=tab \r=cr '
    "<script>alert(1)</script> [x](javascript:alert(1)) \\[y](javascript:alert(2)) <javascript:alert(3)> "
    "| a | b | # heading `code` ```fence``` \x1b[31mred\x1b[0m \x1b]8;;http://x.example\x07osc link\x1b]8;;\x07 "
    "\x9b31m c1 \u202eevil.exe \u2066isolate\u2069 zero\u200bwidth\u2028sep\ninjected: true"
)
"""Every hostile form at once; fields below also start with each formula trigger in turn."""


def _standard() -> dict[str, Any]:
    return {
        "id": "hostile",
        "title": "# " + PAYLOAD,
        "version": "+1 \x1b[31m",
        "jurisdiction": "ZZ",
        "programs": ["Large"],
        "audit_types": ['x",HYPERLINK("http://evil.example")'],
        "expects_note": "- " + PAYLOAD,
        "evidence_kinds": [
            {"id": "hostile-kind", "title": "=" + PAYLOAD, "description": "@" + PAYLOAD, "form": "record"}
        ],
        "elements": [
            {
                "id": "@E1",
                "title": "-" + PAYLOAD,
                "themes": ["policy-leadership"],
                "questions": [
                    {
                        "id": "=Q1",
                        "text": "=" + PAYLOAD,
                        "points": 10,
                        "methods": ["D"],
                        "guidance": "+" + PAYLOAD,
                        "evidence": ["@" + PAYLOAD],
                        "expects": [
                            {"kind": "policy", "about": "=" + PAYLOAD},
                            {"kind": "hostile-kind", "within_months": 12, "about": "~~~" + PAYLOAD},
                        ],
                    },
                    {
                        "id": "+Q2",
                        "text": "\t" + PAYLOAD,
                        "points": 10,
                        "methods": ["I", "O"],
                        "expects": [{"observe": "\r" + PAYLOAD}, {"interview": ["workers"], "about": PAYLOAD}],
                    },
                ],
            }
        ],
        "rules": [
            {
                "id": "certification",
                "title": PAYLOAD,
                "audit_types": ["certification"],
                "versions": [
                    {
                        "start": "2000-01-01",
                        "reference": ["javascript:alert(1)", PAYLOAD],
                        "confidence": "H",
                        "overall_minimum": 80,
                        "certificates": [{"certificate": PAYLOAD, "months": 36}],
                    }
                ],
            }
        ],
    }


def _audit() -> dict[str, Any]:
    return {
        "standard": "hostile",
        "audit_type": "certification",
        "audit_date": "2024-05-10",
        "program": "Large",
        "methods_used": ["D", "I", "O"],
        "employer": {"name": "=" + PAYLOAD, "workers": 10},
        "auditor": {"name": "+" + PAYLOAD, "kind": "external"},
        "notes": PAYLOAD,
        "responses": {"=Q1": {"points": 3, "note": "=" + PAYLOAD}, "+Q2": {"points": 5, "note": "-" + PAYLOAD}},
    }


def _index() -> dict[str, Any]:
    return {
        "employer": "=" + PAYLOAD,
        "standard": "hostile",
        "program": "Large",
        "audit_date": "2024-05-10",
        "manual": [{"id": "=1", "title": "+" + PAYLOAD, "kinds": ["policy"], "reviewed": "2020-01-01"}],
        "records": [
            {
                "kind": "hostile-kind",
                "title": "-" + PAYLOAD,
                "count": 1,
                "first": "2024-01-01",
                "last": "2024-02-01",
                "note": "\t" + PAYLOAD,
            }
        ],
        "not_applicable": {},
    }


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding ``hostile.json`` (the standard), ``audit.json`` and ``index.json``; the current folder."""
    for name, data in (("hostile.json", _standard()), ("audit.json", _audit()), ("index.json", _index())):
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--standard-file", "hostile.json"], env=ALONE)
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Traceback" not in result.stderr
    return result.stdout


# --------------------------------------------------------------------------- what safe output means


def raw_controls(text: str, allowed: str = "\n") -> list[str]:
    """Control and invisible format characters left in ``text`` (terminal escapes, bidi overrides...)."""
    return [c for c in text if c not in allowed and unicodedata.category(c) in HIDDEN]


def unescaped(text: str, char: str) -> int:
    """How many times ``char`` occurs in Markdown ``text`` not escaped by a backslash."""
    count = 0
    for found in re.finditer(re.escape(char), text):
        slashes = len(text[: found.start()]) - len(text[: found.start()].rstrip("\\"))
        count += slashes % 2 == 0
    return count


def assert_terminal_safe(out: str, allowed: str = "\n") -> None:
    assert raw_controls(out, allowed) == []


def assert_markdown_safe(md: str) -> None:
    assert_terminal_safe(md)
    assert not any(line.startswith("injected") for line in md.splitlines())  # a line break in a field is folded
    assert "<" not in md  # no raw HTML, no autolink: none of these outputs links anything
    assert not any(line.startswith(">") and not line.startswith("> ") for line in md.splitlines())
    for char in "[]`":
        assert unescaped(md, char) == 0, char
    for line in md.splitlines():
        if line.startswith("#"):  # a heading of ours: its text holds no unescaped hash
            assert unescaped(line.lstrip("#"), "#") == 0, line
        content = re.sub(r"^\s*(- |> )?", "", line)  # after our own bullet or quote mark: user text
        assert not re.match(r"[-+=~]|\d+[.)](\s|$)", content) or line.startswith("|"), line
    table: list[str] = []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
        elif table:  # every row of a table has as many cell separators as its header
            assert len({unescaped(row, "|") for row in table}) == 1, table
            table = []


def assert_csv_safe(text: str) -> list[list[str]]:
    assert_terminal_safe(text, "\n\t")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
    return rows


def assert_no_formulas(data: bytes) -> Any:
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
    return book


# --------------------------------------------------------------------------- the escaping functions


def test_md_escape_leaves_no_markdown_html_or_escape_sequence() -> None:
    out = md_escape(PAYLOAD)
    assert_markdown_safe(md_line(PAYLOAD))
    assert md_line(PAYLOAD) == "\\" + out
    assert "\\x1b\\[31mred" in out and "\\x9b31m" in out and "\\u202eevil" in out and "\\u200b" in out
    assert "&lt;script&gt;" in out and "\\[x\\](javascript:alert(1))" in out and "\\\\\\[y\\]" in out
    assert "\\| a \\| b \\|" in out and "\\# heading" in out and "\\`code\\`" in out


def test_md_line_escapes_what_would_open_a_block() -> None:
    assert [md_line(t) for t in ("- x", "+x", "=", "~~~", "1. x", "2) y", "1.1", "a-b")] == [
        "\\- x",
        "\\+x",
        "\\=",
        "\\~~~",
        "1\\. x",
        "2\\) y",
        "1.1",
        "a-b",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", True),
        ("mailto:someone@example.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("https://example.org/\u202eexe", False),
        ("https://example.org/\x1b[31m", False),
    ],
)
def test_only_http_https_and_mailto_link(url: str, expected: bool) -> None:
    assert linkable(url) is expected


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_starting_like_a_formula_are_quoted(start: str) -> None:
    cell = csv_cell(start + "1+1\x1b[31m")
    assert cell.startswith("'") and "\x1b" not in cell
    assert csv_cell("plain") == "plain" and csv_cell(3) == 3 and csv_cell("a\nb\tc") == "a\nb\tc"


def test_set_cell_never_makes_a_formula() -> None:
    from openpyxl import Workbook

    sheet = Workbook().active
    cell = set_cell(sheet.cell(row=1, column=1), '=HYPERLINK("http://x")')
    assert (cell.data_type, cell.quotePrefix, cell.value) == ("s", True, '=HYPERLINK("http://x")')
    cell = set_cell(sheet.cell(row=2, column=1), "a\x1bb")  # XML cannot hold ESC: shown escaped, not refused
    assert (cell.value, cell.quotePrefix) == ("a\\x1bb", False)
    assert set_cell(sheet.cell(row=3, column=1), 7).value == 7


def test_the_terminal_escape_covers_c1_bidi_and_zero_width_characters() -> None:
    assert escape("a\x9bb\x85c") == "a\\x9bb\\x85c"
    assert escape("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") == (
        "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069"
    )
    assert escape("zero\u200bwidth\u200d\u2060\ufeff\u00ad") == "zero\\u200bwidth\\u200d\\u2060\\ufeff\\xad"
    assert escape("tag\U000e0041 sep\u2028") == "tag\\U000e0041 sep\\u2028"
    assert escape("plain é ü 中文 – “quotes”") == "plain é ü 中文 – “quotes”"
    assert escape("a\tb\nc", keep="\n") == "a b\nc"


# --------------------------------------------------------------------------- every output of every command


def test_map_outputs_are_safe(hostile: Path) -> None:
    assert_terminal_safe(run("map", "hostile"))
    assert_terminal_safe(run("map", "hostile", "--vocabulary"))
    md = run("map", "hostile", "--format", "md")
    assert_markdown_safe(md)
    assert "| =Q1 | 10 | D |" in md and "## Element @E1: \\-=HYPERLINK" in md
    assert "\n\\# \\=HYPERLINK" not in md and "\n\\# =HYPERLINK" in md  # the title cannot make a heading
    assert "\n> \\- =HYPERLINK" in md  # nor the note a list (inside our quote)
    assert_markdown_safe(run("map", "hostile", "--vocabulary", "--format", "md"))


def test_readiness_outputs_are_safe(hostile: Path) -> None:
    text = run("readiness", "hostile", "index.json")
    assert_terminal_safe(text)
    assert "\\x1b[31mred" in text and "\\u202eevil" in text
    md = run("readiness", "hostile", "index.json", "--format", "md")
    assert_markdown_safe(md)
    assert md.startswith("# Readiness of \\==HYPERLINK(")


def test_crosswalk_outputs_are_safe(hostile: Path) -> None:
    assert_terminal_safe(run("crosswalk", "audit.json", "--to", "hostile"))
    md = run("crosswalk", "audit.json", "--to", "hostile", "--format", "md")
    assert_markdown_safe(md)
    assert "\n- \\=Q1  PARTIAL\n" in md


def test_plan_outputs_are_safe(hostile: Path) -> None:
    assert_terminal_safe(run("plan", "audit.json"))
    rows = assert_csv_safe(run("plan", "audit.json", "--format", "csv"))
    assert [row[1:3] for row in rows[1:]] == [["'=Q1", "'@E1"], ["'+Q2", "'@E1"]]
    assert rows[1][-1].startswith("'==HYPERLINK(") and rows[2][-1].startswith("'-=HYPERLINK(")


@pytest.mark.parametrize(
    "args",
    [
        ("map", "hostile"),
        ("map", "hostile", "--vocabulary"),
        ("readiness", "hostile", "index.json"),
        ("crosswalk", "audit.json", "--to", "hostile"),
        ("plan", "audit.json"),
        ("score", "audit.json"),
        ("explain", "audit.json"),
    ],
)
def test_json_outputs_escape_controls_and_keep_the_exact_text(hostile: Path, args: tuple[str, ...]) -> None:
    out = run(*args, "--format", "json")
    assert_terminal_safe(out)

    def texts(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [t for item in value.values() for t in texts(item)]
        if isinstance(value, list):
            return [t for item in value for t in texts(item)]
        return [value] if isinstance(value, str) else []

    assert any(PAYLOAD in text for text in texts(json.loads(out)))  # escaped on the screen, exact as data


def test_the_yaml_workbook_is_safe_and_holds_only_its_own_keys(hostile: Path) -> None:
    out = run("new", "hostile", "-o", "-")
    assert_terminal_safe(out)
    data = yaml.safe_load(out)
    assert "injected" not in data and set(data["responses"]) == {"=Q1", "+Q2"}
    assert data["standard_version"] == "+1 \x1b[31m"  # a quoted value keeps the exact text, escaped


def test_the_spreadsheet_workbook_has_no_live_formula(hostile: Path) -> None:
    run("new", "hostile", "-o", "blank.xlsx")
    book = assert_no_formulas((hostile / "blank.xlsx").read_bytes())
    responses = book["Responses"]
    texts = {row[0].value: row[1].value for row in responses.iter_rows(min_row=2) if row[0].value}
    assert texts["=Q1"].startswith("==HYPERLINK(") and texts["+Q2"].startswith("\t=HYPERLINK(")
    formulas = [v.formula1 for v in book["Audit"].data_validations.dataValidation]
    assert not any("HYPERLINK" in (f or "") for f in formulas)  # no drop-down built from the hostile type


def test_the_evidence_index_workbook_has_no_live_formula(hostile: Path) -> None:
    loaded = load_index(str(hostile / "index.json"))
    data = index_to_xlsx(loaded.index)
    assert_no_formulas(data)
    (hostile / "index.xlsx").write_bytes(data)
    back = load_index(str(hostile / "index.xlsx")).index  # read back as text, never refused as a formula
    assert back.employer.startswith('==HYPERLINK("http://evil.example/x","click") +cmd')
    assert "\\x1b[31mred" in back.employer  # ESC cannot be held in XML: written escaped
    assert back.manual[0].id == "=1" and back.records[0].title.startswith("-=HYPERLINK(")


def test_a_file_name_with_a_terminal_escape_is_shown_escaped_when_a_command_names_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from corengine._cli.main import cli

    source = EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"
    hostile = tmp_path / "audit\x1b[31m.yaml"
    hostile.write_bytes(source.read_bytes())
    result = CliRunner().invoke(cli, ["validate", str(hostile)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert result.output.endswith("audit\\x1b[31m.yaml: valid\n")
