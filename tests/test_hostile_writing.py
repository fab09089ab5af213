"""Hostile text in, safe files out; hostile plugins in, a named PluginError out.

Writing: a standard file (``--standard-file``), an audit and an evidence index whose every text field holds
spreadsheet formulas (``=HYPERLINK(...)``, ``+cmd``, ``-1+1``, ``@SUM``, tab and carriage-return prefixes), HTML
and Markdown (``<script>``, ``[x](javascript:...)``, table pipes, heading hashes, backticks, a line break that
would start a YAML key) and terminal escapes (ESC/CSI colour, an OSC 8 link, C1 CSI ``\\x9b``, a bidi override,
a zero-width space). Every text, Markdown and CSV output of ``new``, ``map``, ``readiness``, ``crosswalk`` and
``plan`` is checked for raw escapes, links, broken tables and headings; every spreadsheet written (``new -o
x.xlsx``, evidence-index workbooks) for live formulas.

Plugin boundary: plugins registered inline whose hooks raise, call ``sys.exit()``, raise ``KeyboardInterrupt``
or return the wrong type, and whose scoring methods and commands do the same: each gives a PluginError naming
the plugin and the hook; an InputError a plugin raises about the user's data passes through unchanged.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import sys
import unicodedata
import warnings
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from corengine import Engine, hookimpl
from corengine._cli.main import cli
from corengine._formats.evidence_index import index_to_xlsx, load_index
from corengine._host.manager import PluginWarning
from corengine._rules.scoring import ScoringMethod
from corengine._util.escaping import FORMULA_START, csv_cell, linkable, md_escape, md_line, set_cell
from corengine._util.textlayout import HIDDEN, escape
from corengine.errors import InputError, PluginError
from corengine.model import EligibilityRequest, Jurisdiction

from .conftest import TEST_STANDARD, StandardsPlugin, basic_audit

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


# --------------------------------------------------------------------------- the plugin boundary

HOOK_CALLS: dict[str, Callable[[Engine], Any]] = {
    "corengine_register_standards": lambda e: e.sources(),
    "corengine_register_scoring_methods": lambda e: e.methods(),
    "corengine_register_jurisdictions": lambda e: e.jurisdictions(),
    "corengine_register_commands": lambda e: e.hooks.commands(),
    "corengine_validate_audit": lambda e: e.score(e.audit_from_data(basic_audit())),
    "corengine_decide_outcome": lambda e: e.score(e.audit_from_data(basic_audit())),
    "corengine_review_outcome": lambda e: e.score(e.audit_from_data(basic_audit())),
    "corengine_check_eligibility": lambda e: e.eligibility(EligibilityRequest("zz", employees=4)),
    "corengine_plan_sample": lambda e: e.sample("test-basic", 40),
}
"""How the engine reaches each hook."""


class Province:
    """Registers province ZZ, so eligibility has a jurisdiction to ask about."""

    name = "province"

    @hookimpl
    def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
        return [Jurisdiction(code="ZZ", name="Test province")]


def plugin_with(hook: str, body: Callable[[], Any], name: str = "hostile-plugin") -> object:
    """A plugin object named ``name`` whose only hook, ``hook``, runs ``body``."""

    def implementation(self: object) -> Any:
        return body()

    implementation.__name__ = hook
    return type("Hostile", (), {"name": name, hook: hookimpl(implementation)})()


def engine_with(*plugins: object) -> Engine:
    return Engine(plugins=[StandardsPlugin(), Province(), *plugins], load_entrypoints=False, environ={})


def _raise(exc: BaseException) -> Callable[[], Any]:
    def body() -> Any:
        raise exc

    return body


def _exit() -> Any:
    sys.exit(3)


@pytest.mark.parametrize("hook", sorted(HOOK_CALLS))
@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (_raise(ZeroDivisionError("division by zero")), "ZeroDivisionError: division by zero"),
        (_exit, "SystemExit: 3"),
        (_raise(KeyboardInterrupt()), "KeyboardInterrupt"),
    ],
    ids=["error", "sys.exit", "KeyboardInterrupt"],
)
def test_a_hook_that_raises_or_exits_is_a_plugin_error_naming_plugin_and_hook(
    hook: str, body: Callable[[], Any], shown: str
) -> None:
    engine = engine_with(plugin_with(hook, body))
    with pytest.raises(PluginError) as info:
        HOOK_CALLS[hook](engine)
    assert str(info.value) == f"plugin 'hostile-plugin' failed in hook {hook}: {shown}"


WRONG_RETURNS = [
    ("corengine_register_standards", "not-a-list", "str 'not-a-list'", "a list of paths"),
    ("corengine_register_standards", [42], "int 42", "a list of paths"),
    ("corengine_register_scoring_methods", [object()], "object <object", "a list of ScoringMethod objects"),
    ("corengine_register_jurisdictions", [{"code": "ZZ"}], "dict {'code': 'ZZ'}", "a list of Jurisdiction"),
    ("corengine_register_commands", ["hello"], "str 'hello'", "a list of named click.Command objects"),
    ("corengine_validate_audit", [("notes", "bad")], "tuple ('notes', 'bad')", "a list of (path, message)"),
    ("corengine_validate_audit", "bad", "str 'bad'", "a list of (path, message)"),
    ("corengine_decide_outcome", "pass", "str 'pass'", "Outcome or None"),
    ("corengine_review_outcome", ["late"], "str 'late'", "a list of Finding objects"),
    ("corengine_check_eligibility", {"ok": True}, "dict {'ok': True}", "a list of Finding objects"),
    ("corengine_plan_sample", 3, "int 3", "SamplePlan or None"),
]


@pytest.mark.parametrize(("hook", "value", "shown", "expected"), WRONG_RETURNS)
def test_a_hook_returning_the_wrong_type_is_a_plugin_error_naming_the_plugin(
    hook: str, value: Any, shown: str, expected: str
) -> None:
    engine = engine_with(plugin_with(hook, lambda: copy.copy(value)))
    with pytest.raises(PluginError) as info:
        HOOK_CALLS[hook](engine)
    message = str(info.value)
    assert message.startswith(f"plugin 'hostile-plugin' returned {shown}"), message
    assert f"from hook {hook}; expected {expected}" in message


def test_bad_input_a_plugin_finds_is_not_blamed_on_the_plugin() -> None:
    error = InputError(["audit.yaml:3: notes: the user's data is wrong"])
    engine = engine_with(plugin_with("corengine_validate_audit", _raise(error)))
    with pytest.raises(InputError) as info:
        engine.score(engine.audit_from_data(basic_audit()))
    assert info.value is error


# --------------------------------------------------------------------------- what plugins hand back


@pytest.fixture
def boom_standard(tmp_path: Path) -> Path:
    """The test standard with question 1.1 scored by the plugin method ``boom``."""
    data = yaml.safe_load(TEST_STANDARD.read_text(encoding="utf-8"))
    data["elements"][0]["questions"][0]["scoring"] = {"method": "boom"}
    path = tmp_path / "test-basic.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _fine_score(question: Any, response: Any) -> tuple[Fraction, str]:
    return Fraction(1), "fine"


def _fine_validate(question: Any, response: Any) -> list[str]:
    return []


def method_engine(path: Path, score: Callable[..., Any], validate: Callable[..., Any]) -> Engine:
    method = ScoringMethod("boom", score, validate)
    plugin = plugin_with("corengine_register_scoring_methods", lambda: [method])
    return Engine(plugins=[StandardsPlugin(path), plugin], load_entrypoints=False, environ={})


def _sys_exit(*_: Any) -> Any:
    sys.exit(4)


def _interrupt(*_: Any) -> Any:
    raise KeyboardInterrupt


def _divide(*_: Any) -> Any:
    return 1 // 0


@pytest.mark.parametrize("part", ["score", "validate"])
@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        (_divide, "ZeroDivisionError: integer division or modulo by zero"),
        (_sys_exit, "SystemExit: 4"),
        (_interrupt, "KeyboardInterrupt"),
    ],
    ids=["error", "sys.exit", "KeyboardInterrupt"],
)
def test_a_scoring_method_that_raises_is_a_plugin_error_naming_plugin_and_hook(
    boom_standard: Path, part: str, bad: Callable[..., Any], shown: str
) -> None:
    score, validate = (bad, _fine_validate) if part == "score" else (_fine_score, bad)
    engine = method_engine(boom_standard, score, validate)
    with pytest.raises(PluginError) as info:
        engine.score(engine.audit_from_data(basic_audit()))
    assert str(info.value) == (
        f"plugin 'hostile-plugin' failed in scoring method 'boom' {part} "
        f"(hook corengine_register_scoring_methods): {shown}"
    )


@pytest.mark.parametrize(
    ("part", "value", "expected"),
    [
        ("score", 0.5, "a (points, explanation) tuple"),
        ("score", (Fraction(1), None), "a (points, explanation) tuple"),
        ("validate", "problem", "a list of str"),
        ("validate", [3], "a list of str"),
    ],
)
def test_a_scoring_method_returning_the_wrong_type_is_a_plugin_error(
    boom_standard: Path, part: str, value: Any, expected: str
) -> None:
    def wrong(*_: Any) -> Any:
        return value

    score, validate = (wrong, _fine_validate) if part == "score" else (_fine_score, wrong)
    engine = method_engine(boom_standard, score, validate)
    with pytest.raises(PluginError) as info:
        engine.score(engine.audit_from_data(basic_audit()))
    message = str(info.value)
    assert message.startswith("plugin 'hostile-plugin' returned ") and f"; expected {expected}" in message
    assert f"scoring method 'boom' {part}" in message


def test_a_scoring_method_raising_input_error_passes_it_through(boom_standard: Path) -> None:
    error = InputError(['<data>: responses["1.1"]: the user\'s data is wrong'])

    def validate(*_: Any) -> list[str]:
        raise error

    engine = method_engine(boom_standard, _fine_score, validate)
    with pytest.raises(InputError) as info:
        engine.score(engine.audit_from_data(basic_audit()))
    assert info.value is error


def test_a_working_scoring_method_still_scores(boom_standard: Path) -> None:
    engine = method_engine(boom_standard, _fine_score, _fine_validate)
    result = engine.score(engine.audit_from_data(basic_audit()))
    assert result.score.elements[0].questions[0].earned == 1


def command_plugin(callback: Callable[..., Any]) -> object:
    command = click.Command("boom", callback=click.pass_context(callback))
    return plugin_with("corengine_register_commands", lambda: [command])


def _command_exit(ctx: click.Context) -> None:
    sys.exit(5)


def _command_interrupt(ctx: click.Context) -> None:
    raise KeyboardInterrupt


def _command_error(ctx: click.Context) -> None:
    raise ValueError("broken")


@pytest.mark.parametrize(
    ("callback", "shown"),
    [
        (_command_exit, "SystemExit: 5"),
        (_command_interrupt, "KeyboardInterrupt"),
        (_command_error, "ValueError: broken"),
    ],
    ids=["sys.exit", "KeyboardInterrupt", "error"],
)
def test_a_plugin_command_that_raises_or_exits_is_a_plugin_error(
    callback: Callable[..., Any], shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin = command_plugin(callback)
    command = Engine(plugins=[plugin], load_entrypoints=False, environ={}).hooks.commands()["boom"][1]
    with pytest.raises(PluginError) as info:
        command.main([], standalone_mode=False)
    expected = f"plugin 'hostile-plugin' failed in command 'boom' (hook corengine_register_commands): {shown}"
    assert str(info.value) == expected
    monkeypatch.setattr("corengine._cli.main.Engine", lambda: Engine(plugins=[plugin], load_entrypoints=False))
    result = CliRunner().invoke(cli, ["boom"], env={"CORENGINE_DISABLE_PLUGINS": ""})
    assert (result.exit_code, result.stderr) == (2, f"error: {expected}\n")


def test_a_plugin_command_may_still_exit_through_click(monkeypatch: pytest.MonkeyPatch) -> None:
    def callback(ctx: click.Context) -> None:
        click.echo("done")
        ctx.exit(4)

    plugin = command_plugin(callback)
    monkeypatch.setattr("corengine._cli.main.Engine", lambda: Engine(plugins=[plugin], load_entrypoints=False))
    result = CliRunner().invoke(cli, ["boom"], env={"CORENGINE_DISABLE_PLUGINS": ""})
    assert (result.exit_code, result.stdout) == (4, "done\n")
    result = CliRunner().invoke(cli, ["boom", "--nope"], env={"CORENGINE_DISABLE_PLUGINS": ""})
    assert result.exit_code == 2 and "No such option '--nope'" in result.stderr


# --------------------------------------------------------------------------- the disable switch


def test_disabling_an_unknown_plugin_warns_and_lists_the_installed_ones() -> None:
    with pytest.warns(PluginWarning) as caught:
        Engine(plugins=[StandardsPlugin()], load_entrypoints=False, environ={"CORENGINE_DISABLE_PLUGINS": "nosuch"})
    message = str(caught[0].message)
    assert message.startswith("CORENGINE_DISABLE_PLUGINS names no installed plugin: 'nosuch' (installed: ")
    assert "corengine.defaults" in message and "test-standards" in message


def test_disabling_a_known_plugin_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        engine = Engine(
            plugins=[StandardsPlugin()],
            load_entrypoints=False,
            environ={"CORENGINE_DISABLE_PLUGINS": "test-standards"},
        )
    assert engine.sources() == {}


def test_the_cli_prints_the_warning_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("corengine._cli.main.Engine", lambda: Engine(load_entrypoints=False))
    result = CliRunner().invoke(cli, ["plugins"], env={"CORENGINE_DISABLE_PLUGINS": "nosuch,corengine.defaults"})
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: CORENGINE_DISABLE_PLUGINS names no installed plugin: 'nosuch' (")
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_a_file_name_with_a_terminal_escape_is_shown_escaped_when_a_command_names_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from corengine._cli.main import cli

    source = Path(__file__).parent.parent / "examples" / "alberta-acsa-cor-certification-pass.yaml"
    hostile = tmp_path / "audit\x1b[31m.yaml"
    hostile.write_bytes(source.read_bytes())
    result = CliRunner().invoke(cli, ["validate", str(hostile)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert result.output.endswith("audit\\x1b[31m.yaml: valid\n")
