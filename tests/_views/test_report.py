"""Reports, explanations and verification: golden files per province, HTML checked without a browser."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from corengine._views import report as reporting
from corengine._views.report import linkable, md_escape, report_data
from tests.helpers import EXAMPLES, bundled_engine, golden, invoke

REPORTED = [
    "alberta-acsa-cor-certification-pass",
    "alberta-acsa-cor-certification-element-fail",
    "ontario-internal-fail",
    "bc-large-certification",
]


@pytest.mark.parametrize("name", REPORTED)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_is_pinned(name: str, fmt: str) -> None:
    code, out, _ = invoke("report", str(EXAMPLES / f"{name}.yaml"), "--format", fmt)
    assert code == 0
    golden(f"reports/{name}.{fmt}", out)


class Page(HTMLParser):
    """Collects tags with their attributes, the text, tables with their captions and headers, and the SVG
    groups each chart element is drawn in."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.tables: list[dict[str, int]] = []
        self.headers: list[dict[str, str | None]] = []
        self.groups: list[str] = []
        self.drawn: list[tuple[str, str, dict[str, str | None]]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag == "table":
            self.tables.append({"captions": 0, "first": 0, "children": 0})
        elif tag == "caption" and self.tables:
            table = self.tables[-1]
            table["captions"] += 1
            table["first"] = int(table["children"] == 0)  # a caption must be the table's first child
        elif tag in ("colgroup", "thead", "tbody", "tfoot", "tr") and self.tables:
            self.tables[-1]["children"] += 1
        elif tag == "th":
            self.headers.append(found)
        elif tag == "g":
            self.groups.append(found.get("class") or "")
        if tag in ("line", "rect", "text"):
            self.drawn.append((self.groups[-1] if "g" in self.open else "", tag, found))
        if tag not in ("br", "meta", "rect", "line"):
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def report(name: str, fmt: str, *extra: str) -> str:
    code, out, err = invoke("report", str(EXAMPLES / f"{name}.yaml"), "--format", fmt, *extra)
    assert code == 0, err
    return out


def test_html_report_has_the_chart_the_tables_and_fetches_nothing() -> None:
    page = parse(report("alberta-acsa-cor-certification-element-fail", "html"))
    bars = [attrs for tag, attrs in page.tags if (attrs.get("class") or "").startswith("bar ")]
    assert len(bars) == 11  # the overall bar and ten elements
    assert [b["class"] for b in bars].count("bar fail") == 1  # element 3, below its minimum
    assert [b["fill"] for b in bars if b["class"] == "bar fail"] == ["#cf222e"]
    classes = [attrs.get("class") for tag, attrs in page.tags]
    assert "element-minimum" in classes and "overall-minimum" in classes
    ids = [attrs.get("id") for _, attrs in page.tags]
    assert {"score-chart", "overall-bar", "elements", "action-plan", "path-to-pass", "sampling"} <= set(ids)
    assert not [t for t, a in page.tags if t in ("script", "link", "img", "iframe", "object", "embed")]
    assert not [a for _, a in page.tags if (a.get("src") or "").startswith("http")]
    assert "url(" not in report("alberta-acsa-cor-certification-element-fail", "html")
    assert "Raise these 2 question(s) to full marks" in "".join(page.text)


@pytest.mark.parametrize("name", REPORTED)
def test_every_table_has_a_caption_and_every_header_a_scope(name: str) -> None:
    page = parse(report(name, "html"))
    assert len(page.tables) >= 3
    assert all(table["captions"] == 1 and table["first"] == 1 for table in page.tables), page.tables
    assert page.headers and all(th.get("scope") in ("col", "row") for th in page.headers)


@pytest.mark.parametrize("name", REPORTED)
def test_each_minimum_is_drawn_only_on_its_own_bar(name: str) -> None:
    out = report(name, "html")
    page = parse(out)
    data = chart_view(name)
    overall = [(group, attrs) for group, tag, attrs in page.drawn if attrs.get("class") == "overall-minimum"]
    assert len(overall) == 1 and out.count("overall-minimum") == 1
    assert overall[0][0] == "overall-bar"
    assert float(overall[0][1]["x1"] or 0) == 220 + 400 * data["overall"]["minimum"] / 100
    elements = [(group, attrs) for group, tag, attrs in page.drawn if attrs.get("class") == "element-minimum"]
    minimums = [el["minimum"] for el in data["elements"] if el["minimum"] is not None]
    assert {group for group, _ in elements} == {"element-bar"}
    assert [float(attrs["x1"] or 0) for _, attrs in elements] == [220 + 400 * m / 100 for m in minimums]
    assert page.groups == ["overall-bar"] + ["element-bar"] * len(data["elements"])


@pytest.mark.parametrize("name", REPORTED)
def test_chart_labels_are_whole_and_the_picture_fits_them(name: str) -> None:
    out = report(name, "html")
    data = chart_view(name)
    texts = _group_texts(out)
    assert texts[0] == ["Overall"]
    assert [" ".join(lines) for lines in texts[1:]] == [f"{el['id']} {el['title']}" for el in data["elements"]]
    assert "…" not in "".join(line for lines in texts for line in lines)
    page = parse(out)
    svg = next(attrs for tag, attrs in page.tags if tag == "svg")
    bottoms = [float(attrs["y"] or 0) + float(attrs["height"] or 0) for _, tag, attrs in page.drawn if tag == "rect"]
    lowest = [float(attrs["y"] or 0) for _, tag, attrs in page.drawn if tag == "text"]
    assert float(svg["height"] or 0) >= max(bottoms + lowest)
    assert svg["viewbox"] == f"0 0 {svg['width']} {svg['height']}"  # the parser lowercases attribute names


def _group_texts(out: str) -> list[list[str]]:
    """The label lines of each chart group (the value text at the right left out)."""

    class Texts(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.groups: list[list[str]] = []
            self.inside = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "g":
                self.groups.append([])
            self.inside = tag == "text" and dict(attrs).get("x") == "0"

        def handle_endtag(self, tag: str) -> None:
            self.inside = False

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.groups[-1].append(data)

    parser = Texts()
    parser.feed(out)
    return parser.groups


def chart_view(name: str) -> dict[str, Any]:
    """The report's view of an example, as both templates get it."""
    engine = bundled_engine()
    return report_data(engine, engine.score(engine.load_audit(EXAMPLES / f"{name}.yaml")))


@pytest.mark.parametrize("name", REPORTED)
def test_sources_are_listed_once_and_each_reason_cites_them(name: str) -> None:
    out = report(name, "html")
    page = parse(out)
    data = chart_view(name)
    urls = [source["url"] for source in data["sources"]]
    assert urls and len(urls) == len(set(urls))
    links = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    for url in urls:
        assert links.count(url) == 1, url
        assert "".join(page.text).count(url) == 1, url
    cited = {int(href[len("#source-") :]) for href in links if href and href.startswith("#source-")}
    assert cited == {source["number"] for source in data["sources"]}
    md = report(name, "md")
    assert all(md.count(url) == 1 for url in urls)
    assert md.index("## Sources") > md.index("## Action plan")
    readings = [reading["text"] for reading in data["readings"]]
    assert readings and all(out.count(text) == 1 and md.count(md_escape(text)) == 1 for text in readings)


@pytest.mark.parametrize("name", REPORTED)
def test_markdown_and_html_give_the_same_sections_in_the_same_order(name: str) -> None:
    out, md = report(name, "html"), report(name, "md")
    html_sections = re.findall(r"<h2[^>]*>(.*?)</h2>", out)
    md_sections = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert [s.split(":")[0] for s in md_sections] == html_sections
    assert html_sections[-1] == "Auditor's attestation"


def test_user_text_is_escaped_in_html_and_markdown(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "alberta-acsa-cor-certification-pass.yaml").read_text())
    data["responses"]["1.2"]["note"] = "<script>alert('x')</script> | *bold*"
    data["employer"]["name"] = "<b>Evil & Co</b>"
    audit = tmp_path / "evil.yaml"
    audit.write_text(yaml.safe_dump(data))
    _, html, _ = invoke("report", str(audit), "--format", "html")
    page = parse(html)
    assert not [t for t, _ in page.tags if t in ("script", "b")]
    assert "<script>alert('x')</script> | *bold*" in "".join(page.text)
    assert "&lt;script&gt;" in html
    _, md, _ = invoke("report", str(audit), "--format", "md")
    assert "<script>" not in md and "<b>" not in md
    assert "&lt;script&gt;alert('x')&lt;/script&gt; \\| \\*bold\\*" in md


EVIL_STANDARD = """\
id: evil-overlay
title: "Evil <script>alert(1)</script> *standard* | [x](javascript:alert(2))"
version: "1"
jurisdiction: AB
programs: [COR]
extends: ab-acsa-cor
overrides:
  - rule: certification
    start: 2023-01-01
    values: {overall_minimum: 80}
    reference:
      - "javascript:alert(1)"
      - "JavaScript:alert(3)"
      - "data:text/html,<script>alert(4)</script>"
      - "https://example.org/ok_(1)?a=1&b=<2>"
      - "https://example.org/plain"
      - "mailto:audit@example.org"
    confidence: M
"""


def test_links_from_a_standard_or_an_audit_are_made_only_for_http_https_and_mailto(tmp_path: Path) -> None:
    standard = tmp_path / "evil-overlay.yaml"
    standard.write_text(EVIL_STANDARD)
    data = yaml.safe_load((EXAMPLES / "alberta-acsa-cor-certification-pass.yaml").read_text())
    data |= {"standard": "evil-overlay", "standard_version": "1"}
    data["notes"] = "see [the file](javascript:alert(5)) and <javascript:alert(6)> # not a heading"
    data["auditor"]["name"] = "Ann ![img](https://example.org/x.png) `code` _em_ {b}"
    audit = tmp_path / "audit.yaml"
    audit.write_text(yaml.safe_dump(data))
    code, out, err = invoke("report", str(audit), "--standard-file", str(standard), "--format", "html")
    assert code == 0, err
    page = parse(out)
    hrefs = [attrs.get("href") or "" for tag, attrs in page.tags if tag == "a"]
    external = {h for h in hrefs if not h.startswith("#")}
    assert {"https://example.org/plain", "mailto:audit@example.org"} <= external
    assert all(h.startswith(("https://", "http://", "mailto:")) for h in external), external
    assert not [h for h in external if "example.org/ok" in h or "alert" in h]
    assert not [t for t, _ in page.tags if t in ("script", "img")]
    text = "".join(page.text)
    assert "javascript:alert(1)" in text and "data:text/html,<script>alert(4)</script>" in text
    assert "Evil <script>alert(1)</script> *standard*" in text
    code, md, err = invoke("report", str(audit), "--standard-file", str(standard), "--format", "md")
    assert code == 0, err
    assert "<script>" not in md and "<javascript:" not in md.lower()
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # every ](...) a link could start with is escaped
    assert "<https://example.org/plain>" in md and "<mailto:audit@example.org>" in md
    assert re.search(r"^[0-9]+\. javascript:alert\(1\)$", md, re.M)  # the override's source, listed as text
    assert "data:text/html,&lt;script&gt;alert(4)&lt;/script&gt;" in md
    assert "https://example.org/ok\\_(1)?a=1&amp;b=&lt;2&gt;" in md  # not linkable: shown as escaped text
    assert "# Evil &lt;script&gt;alert(1)&lt;/script&gt; \\*standard\\* \\| \\[x\\](javascript:alert(2))" in md
    assert "Audit notes: see \\[the file\\](javascript:alert(5)) and &lt;javascript:alert(6)&gt; \\# not" in md
    assert "| Auditor | Ann !\\[img\\](https://example.org/x.png) \\`code\\` \\_em\\_ \\{b\\} (external)" in md


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("mailto:a@example.org", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("https://example.org/a b", False),
        ("https://example.org/<x>", False),
        ('https://example.org/"x', False),
        ("//example.org/x", False),
        ("https:///x", False),
        ("", False),
    ],
)
def test_linkable(url: str, expected: bool) -> None:
    assert linkable(url) is expected


def test_the_html_report_prints_with_page_numbers_and_ends_with_a_signature_block() -> None:
    out = report("ontario-internal-fail", "html")
    style = out[out.index("<style>") : out.index("</style>")]
    assert "@media print" in style
    assert '@bottom-right { content: "Page " counter(page) " of " counter(pages);' in style
    # the running footer is in the page margin (a margin box), its text from the audit escaped as CSS
    footer = re.search(r"@bottom-left \{ content: \"([^\"]*)\";", style)
    assert footer and re.fullmatch(r"([A-Za-z0-9]|\\[0-9a-f]{6})*", footer.group(1))
    shown = re.sub(r"\\([0-9a-f]{6})", lambda m: chr(int(m.group(1), 16)), footer.group(1))
    assert shown == (
        "Northbay Electrical Contractors Inc. — IHSA COR 2020 audit (corengine reference wording) — internal audit"
        " — 2024-10-04 — input sha256:" + chart_view("ontario-internal-fail")["footer"]["input_digest"][7:19]
    )
    assert "position: fixed" not in style  # no fixed element to land on the page's content in a browser
    assert "tr, li, .verdict, .attestation { break-inside: avoid;" in style
    assert "thead { display: table-header-group; }" in style
    attestation = out[out.index('<section class="attestation"') : out.index("</section>")]
    assert "I attest that this audit was conducted" in attestation
    assert "Sam Okafor (internal)" in attestation
    assert 'class="blank signature"' in attestation and 'class="blank date"' in attestation
    assert "the certifying partner may replace it" in attestation
    assert out.index("<h2>Sources</h2>") < out.index('<section class="attestation"') < out.index("Generated by")
    md = report("ontario-internal-fail", "md")
    assert "## Auditor's attestation\n\nI attest that this audit was conducted" in md
    assert "| Auditor | Sam Okafor (internal) |\n| Signature |  |\n| Date |  |\n" in md


def test_advisories_pass_the_audit_subject_to_them_and_strict_makes_them_decisive() -> None:
    out = report("ontario-internal-fail", "html")
    page = parse(out)
    verdict = next(attrs for tag, attrs in page.tags if attrs.get("id") == "verdict")
    assert verdict["class"] == "verdict advisory"
    assert "PASSED subject to 3 advisory finding(s) — External audit authorised</p>" in out
    classes = [attrs.get("class") for _, attrs in page.tags]
    assert classes.count("mark advisory") == 3 and classes.count("mark fail") == 0
    assert classes.count("bar advisory") == 2  # the overall bar and element 9
    assert ".advisory { color: #7d4e00;" in out and "ADVISORY" in "".join(page.text)
    md = report("ontario-internal-fail", "md")
    assert "## Outcome: PASSED subject to 3 advisory finding(s) — External audit authorised\n" in md
    assert md.count("- **ADVISORY** ") == 3
    assert "| 9 | Workplace Inspections | 4 | 8 | 50.00% | 65% | **ADVISORY** |" in md
    assert "|  | **Overall** | 95 | 120 | 79.17% | 80% | **ADVISORY** |" in md

    strict = report("ontario-internal-fail", "html", "--strict")
    page = parse(strict)
    verdict = next(attrs for tag, attrs in page.tags if attrs.get("id") == "verdict")
    assert verdict["class"] == "verdict fail"
    assert (
        ">NOT PASSED: overall below 80%; element 9 below 65%; question 10.1.2 below 2 points"
        " (strict: advisories decisive)</p>"
    ) in strict
    classes = [attrs.get("class") for _, attrs in page.tags]
    assert classes.count("mark advisory") == 0 and classes.count("mark fail") == 6  # under the outcome and reasons
    assert classes.count("bar fail") == 2
    md = report("ontario-internal-fail", "md", "--strict")
    assert md.startswith("## Outcome: NOT PASSED: overall below 80%; element 9 below 65%;", md.index("## Outcome"))
    assert md.count("- **FAIL** ") == 6 and "ADVISORY" not in md


def test_no_part_of_the_report_is_decided_by_a_finding_message() -> None:
    engine = bundled_engine()
    result = engine.score(engine.load_audit(EXAMPLES / "ontario-internal-fail.yaml"))
    reworded = attrs.evolve(
        result,
        outcome=attrs.evolve(
            result.outcome, reasons=tuple(attrs.evolve(f, message="reworded") for f in result.outcome.reasons)
        ),
    )
    before, after = report_data(engine, result), report_data(engine, reworded)
    for data in (before, after):
        for reason in data["outcome"]["reasons"]:
            reason["message"] = ""
        data["plan"]["path_to_pass"]["other_failures"] = []
        data["plan"]["path"]["other_failures"] = []
    assert before == after


def test_rendering_is_deterministic_and_both_formats_come_from_one_view() -> None:
    data = chart_view("bc-large-certification")
    assert reporting.html(data) == reporting.html(data)
    assert reporting.markdown(data) == reporting.markdown(data)
    assert reporting.markdown(data) == report("bc-large-certification", "md")
    assert reporting.html(data) == report("bc-large-certification", "html")


def test_report_to_a_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, _, err = invoke("report", str(EXAMPLES / "ontario-internal-pass.yaml"), "--format", "html", "-o", str(out))
    assert (code, err) == (0, f"wrote {out}\n")
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


@pytest.mark.parametrize("path", sorted((EXAMPLES).glob("*.yaml")), ids=lambda p: p.name)
def test_every_command_works_on_every_example(path: Path) -> None:
    for args in (
        ["explain", str(path)],
        ["plan", str(path)],
        ["plan", str(path), "--format", "csv"],
        ["report", str(path)],
        ["report", str(path), "--format", "html"],
    ):
        code, out, err = invoke(*args)
        assert code == 0, (args, err)
        assert out


def test_explain_one_question_shows_its_derivation() -> None:
    code, out, _ = invoke("explain", str(EXAMPLES / "alberta-acsa-cor-certification-element-fail.yaml"), "3.6")
    assert code == 0
    assert (  # wrapped at 80 columns, the continuation indented past the counts line below it
        "  3.6: interviews 6/14 -> all_or_nothing: 6/14 positive = 42.86% is below the\n"
        "        70% threshold -> 0 of 10\n"
        "      counts 0 of 10\n" in out
    )
    assert "3.5:" not in out
    code, _, err = invoke("explain", str(EXAMPLES / "alberta-acsa-cor-certification-element-fail.yaml"), "99")
    assert (code, err) == (2, "error: '99' is neither an element nor a question of ab-acsa-cor\n")


def test_verify_accepts_its_own_explanation_and_detects_a_changed_input(tmp_path: Path) -> None:
    example = EXAMPLES / "bc-small-certification.yaml"
    code, out, _ = invoke("explain", str(example), "--format", "json")
    recorded = json.loads(out)
    assert recorded["format"] == "corengine.explain/1"
    assert recorded["input"]["digest"].startswith("sha256:") and len(recorded["input"]["digest"]) == 71
    assert recorded["plugins"] == {"bc": "0.1.0"}
    result_file = tmp_path / "result.json"
    result_file.write_text(out)
    code, out, _ = invoke("verify", str(result_file), str(example))
    assert (code, out) == (0, f"{result_file}: verified — the same audit, standard and versions give the same result\n")
    data = yaml.safe_load(example.read_text())
    data["notes"] = "changed after the fact"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data))
    code, out, _ = invoke("verify", str(result_file), str(changed))
    assert code == 1
    assert out.splitlines()[1].startswith("  the audit differs from the one recorded (input digest sha256:")


def test_plan_csv_marks_the_path_to_pass() -> None:
    code, out, _ = invoke("plan", str(EXAMPLES / "alberta-acsa-cor-certification-element-fail.yaml"), "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "rank,question,element,earned,available,recoverable,reasons,in_path_to_pass,note"
    assert lines[1].startswith("1,3.4,3,0,10,10,element below minimum,yes,")
    assert lines[2].startswith("2,3.6,3,0,10,10,element below minimum,yes,")
    assert lines[3].startswith("3,3.3,3,2,10,8,element below minimum,no,")


def test_verify_refuses_a_file_that_is_not_an_explanation(tmp_path: Path) -> None:
    recorded = tmp_path / "result.json"
    recorded.write_text('{"format": "corengine.explain/1", "input": [1, 2]}')
    code, out, _ = invoke("verify", str(recorded), str(EXAMPLES / "bc-small-certification.yaml"))
    assert code == 1
    no_digest = "  the file carries no digest of its content (not written by this `corengine explain`)"
    assert out.splitlines()[1] == no_digest
    line = out.splitlines()[2]
    assert line.startswith("  the audit differs from the one recorded (input digest sha256:")
    assert line.endswith(" != None)")
    recorded.write_text("[1, 2]")
    code, _, err = invoke("verify", str(recorded), str(EXAMPLES / "bc-small-certification.yaml"))
    assert (code, err) == (
        2,
        f"error: {recorded}: expected the JSON object written by `corengine explain --format json`\n",
    )


def test_a_failing_headline_says_what_failed_from_the_findings() -> None:
    from corengine._views.render import failure_headline, failure_summary, failures_first
    from corengine.model.findings import Finding, Quantity

    element = Finding(
        check="certification.element_minimum",
        status="fail",
        message="element 3 (Committees) 28.33% is below the 50% element minimum",
        subject="3",
        subject_kind="element",
        required=Quantity.of(50, "%", ">="),
    )
    overall = Finding(
        check="certification.overall_minimum",
        status="fail",
        message="overall 79% is below the 80% minimum",
        required=Quantity.of(80, "%", ">="),
    )
    auditor = Finding(
        check="certification.auditor", status="fail", message="a certification audit needs an external auditor"
    )
    passed = Finding(check="certification.methods_required", status="pass", message="all methods used")
    assert [failure_summary(f) for f in (element, overall, auditor)] == [
        "element 3 below 50%",
        "overall below 80%",
        "a certification audit needs an external auditor",  # nothing typed to shorten: the finding's sentence
    ]
    assert failure_headline([passed, element, overall]) == "element 3 below 50%; overall below 80%"
    assert (
        failure_headline([element] * 5) == "element 3 below 50%; element 3 below 50%; element 3 below 50%; and 2 more"
    )
    assert failure_headline([passed]) == ""
    assert failures_first([passed, overall, passed, element]) == [overall, element, passed, passed]


def test_a_failing_report_leads_with_what_failed() -> None:
    md = report("alberta-acsa-cor-certification-element-fail", "md")
    assert "## Outcome: NOT PASSED: element 3 below 50%\n" in md
    reasons = md[md.index("### Reasons\n\n") :].splitlines()[2]
    assert reasons.startswith("- **FAIL** element 3 (Health and Safety Committees / HS Representatives) 28.33%")
    page = parse(report("alberta-acsa-cor-certification-element-fail", "html"))
    failures = [attrs for tag, attrs in page.tags if attrs.get("id") == "failures"]
    assert len(failures) == 1
    assert "| 1 | 3.4 The committee or representative takes part in inspections" in md


def test_the_plan_names_the_standard_and_each_question() -> None:
    code, out, _ = invoke("plan", str(EXAMPLES / "alberta-acsa-cor-certification-element-fail.yaml"))
    assert code == 0
    assert out.startswith(
        "Path to pass (ACSA-style construction COR audit (corengine reference document,\n"
        "    ten-element 2019+ structure), certification audit):\n"
    )
    assert "certification@" not in out
    assert (
        "Questions:\n"
        "  3.4   The committee or representative takes part in inspections and incident\n"
        "        investigations, and the employer answers its recommendations in writing\n"
        "        within a set time.\n"
    ) in out


def test_explain_says_an_awarded_score_once() -> None:
    code, out, _ = invoke("explain", str(EXAMPLES / "alberta-acsa-cor-certification-element-fail.yaml"), "3")
    assert code == 0
    assert "  3.1: awarded 5 of 10\n      counts 5 of 10\n" in out
    assert "awarded: awarded" not in out and "points awarded ->" not in out
    assert (
        "  3.3: documents 3/12 -> range: 3/12 positive x 10 = 5/2, rounded down to a\n        whole point -> 2\n" in out
    )
