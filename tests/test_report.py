"""Reports, explanations and verification: golden files per province, HTML checked without a browser."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from corengine.cli import cli

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "reports"
EXAMPLES = [
    "alberta-acsa-cor-certification-pass",
    "alberta-acsa-cor-certification-element-fail",
    "ontario-internal-fail",
    "bc-large-certification",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CORENGINE_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_is_pinned(name: str, fmt: str) -> None:
    code, out, _ = run("report", str(ROOT / "examples" / f"{name}.yaml"), "--format", fmt)
    assert code == 0
    golden(f"{name}.{fmt}", out)


class Page(HTMLParser):
    """Collects tags with their attributes, the text, and whether anything external is referenced."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_html_report_has_the_chart_the_tables_and_fetches_nothing() -> None:
    _, out, _ = run(
        "report", str(ROOT / "examples" / "alberta-acsa-cor-certification-element-fail.yaml"), "--format", "html"
    )
    page = parse(out)
    classes = [attrs.get("class") for tag, attrs in page.tags]
    assert classes.count("bar") == 10
    assert "element-minimum" in classes and "overall-minimum" in classes
    fills = [attrs["fill"] for tag, attrs in page.tags if attrs.get("class") == "bar"]
    assert fills.count("#cf222e") == 1  # element 3, below its minimum
    ids = [attrs.get("id") for _, attrs in page.tags]
    assert {"element-chart", "elements", "action-plan", "path-to-pass", "sampling"} <= set(ids)
    assert not [t for t, a in page.tags if t in ("script", "link", "img", "iframe")]
    assert not [a for _, a in page.tags if (a.get("src") or "").startswith("http")]
    assert "Raise these 2 question(s) to full marks" in "".join(page.text)


def test_user_text_is_escaped_in_html_and_markdown(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "examples" / "alberta-acsa-cor-certification-pass.yaml").read_text())
    data["responses"]["1.2"]["note"] = "<script>alert('x')</script> | *bold*"
    data["employer"]["name"] = "<b>Evil & Co</b>"
    audit = tmp_path / "evil.yaml"
    audit.write_text(yaml.safe_dump(data))
    _, html, _ = run("report", str(audit), "--format", "html")
    page = parse(html)
    assert not [t for t, _ in page.tags if t in ("script", "b")]
    assert "<script>alert('x')</script> | *bold*" in "".join(page.text)
    assert "&lt;script&gt;" in html
    _, md, _ = run("report", str(audit), "--format", "md")
    assert "<script>" not in md and "<b>" not in md
    assert "&lt;script&gt;alert('x')&lt;/script&gt; \\| \\*bold\\*" in md


def test_report_to_a_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, _, err = run(
        "report", str(ROOT / "examples" / "ontario-internal-pass.yaml"), "--format", "html", "-o", str(out)
    )
    assert (code, err) == (0, f"wrote {out}\n")
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_every_command_works_on_every_example(path: Path) -> None:
    for args in (
        ["explain", str(path)],
        ["plan", str(path)],
        ["plan", str(path), "--format", "csv"],
        ["report", str(path)],
        ["report", str(path), "--format", "html"],
    ):
        code, out, err = run(*args)
        assert code == 0, (args, err)
        assert out


def test_explain_one_question_shows_its_derivation() -> None:
    code, out, _ = run("explain", str(ROOT / "examples" / "alberta-acsa-cor-certification-element-fail.yaml"), "3.6")
    assert code == 0
    assert (
        "  3.6: interviews 6/14 -> all_or_nothing: 6/14 positive = 42.86% is below the 70% threshold -> 0 of 10\n"
        in out
    )
    assert "3.5:" not in out
    code, _, err = run("explain", str(ROOT / "examples" / "alberta-acsa-cor-certification-element-fail.yaml"), "99")
    assert (code, err) == (2, "error: '99' is neither an element nor a question of ab-acsa-cor\n")


def test_verify_accepts_its_own_explanation_and_detects_a_changed_input(tmp_path: Path) -> None:
    example = ROOT / "examples" / "bc-small-certification.yaml"
    code, out, _ = run("explain", str(example), "--format", "json")
    recorded = json.loads(out)
    assert recorded["format"] == "corengine.explain/1"
    assert recorded["input"]["digest"].startswith("sha256:") and len(recorded["input"]["digest"]) == 71
    assert recorded["plugins"] == {"bc": "0.1.0"}
    result_file = tmp_path / "result.json"
    result_file.write_text(out)
    code, out, _ = run("verify", str(result_file), str(example))
    assert (code, out) == (0, f"{result_file}: verified — the same audit, standard and versions give the same result\n")
    data = yaml.safe_load(example.read_text())
    data["notes"] = "changed after the fact"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data))
    code, out, _ = run("verify", str(result_file), str(changed))
    assert code == 1
    assert out.splitlines()[1].startswith("  the audit differs from the one recorded (input digest sha256:")


def test_plan_csv_marks_the_path_to_pass() -> None:
    code, out, _ = run(
        "plan", str(ROOT / "examples" / "alberta-acsa-cor-certification-element-fail.yaml"), "--format", "csv"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "rank,question,element,earned,available,recoverable,reasons,in_path_to_pass,note"
    assert lines[1].startswith("1,3.4,3,0,10,10,element below minimum,yes,")
    assert lines[2].startswith("2,3.6,3,0,10,10,element below minimum,yes,")
    assert lines[3].startswith("3,3.3,3,2,10,8,element below minimum,no,")


def test_verify_refuses_a_file_that_is_not_an_explanation(tmp_path: Path) -> None:
    recorded = tmp_path / "result.json"
    recorded.write_text('{"format": "corengine.explain/1", "input": [1, 2]}')
    code, out, _ = run("verify", str(recorded), str(ROOT / "examples" / "bc-small-certification.yaml"))
    assert code == 1
    line = out.splitlines()[1]
    assert line.startswith("  the audit differs from the one recorded (input digest sha256:")
    assert line.endswith(" != None)")
    recorded.write_text("[1, 2]")
    code, _, err = run("verify", str(recorded), str(ROOT / "examples" / "bc-small-certification.yaml"))
    assert (code, err) == (
        2,
        f"error: {recorded}: expected the JSON object written by `corengine explain --format json`\n",
    )
