"""The PDF report, read back from the PDF itself: its text page by page and where each text box lies."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTPage, LTTextContainer

from corengine._views.report import pdf, pdf_renderer, report_data
from corengine.errors import CorengineError
from tests.helpers import EXAMPLES, bundled_engine, invoke

try:
    pdf_renderer()
except CorengineError as exc:  # .ci/run installs Pango where it may; elsewhere say why these tests do not run
    pytest.skip(str(exc), allow_module_level=True)

MM = 72 / 25.4
"""PDF points per millimetre."""

BOTTOM_MARGIN = 20 * MM
"""The print stylesheet's bottom page margin (``@page { margin: 16mm 14mm 20mm }``), where the footer goes."""

FAILING = EXAMPLES / "alberta-acsa-cor-certification-element-fail.yaml"


class Page:
    """One page of a PDF: its height and its text boxes, each as (x0, y0, x1, y1, text), y upwards from the foot."""

    def __init__(self, layout: LTPage) -> None:
        self.height = layout.height
        self.boxes = [
            (*element.bbox, " ".join(element.get_text().split()))
            for element in layout
            if isinstance(element, LTTextContainer) and element.get_text().strip()
        ]

    @property
    def text(self) -> str:
        return " ".join(box[4] for box in self.boxes)

    def footer(self) -> list[tuple[float, float, float, float, str]]:
        return [box for box in self.boxes if box[3] <= BOTTOM_MARGIN]

    def body(self) -> list[tuple[float, float, float, float, str]]:
        return [box for box in self.boxes if box[3] > BOTTOM_MARGIN]


def pages_of(content: bytes) -> list[Page]:
    return [Page(layout) for layout in extract_pages(io.BytesIO(content))]


@pytest.fixture(scope="module")
def failing() -> bytes:
    engine = bundled_engine()
    return pdf(report_data(engine, engine.score(engine.load_audit(FAILING))))


def test_page_one_states_the_failure_and_its_decisive_finding(failing: bytes) -> None:
    assert failing.startswith(b"%PDF-")
    first = pages_of(failing)[0].text
    assert "NOT PASSED: element 3 below 50%" in first
    assert (
        "element 3 (Health and Safety Committees / HS Representatives) 28.33% is below the 50% element minimum" in first
    )
    assert first.index("NOT PASSED: element 3 below 50%") < first.index("is below the 50% element minimum")
    assert "Scores by element, each against its minimum" in first  # page 1 goes on with the table, not a gap


def test_page_one_is_filled_to_its_foot(failing: bytes) -> None:
    """Page 1 does not end a third empty: its lowest line of text is within the last tenth of the text area."""
    page = pages_of(failing)[0]
    area = page.height - 16 * MM - BOTTOM_MARGIN
    lowest = min(box[1] for box in page.body())
    assert (lowest - BOTTOM_MARGIN) / area < 0.1


def test_the_footer_and_page_numbers_lie_inside_the_bottom_margin_on_every_page(failing: bytes) -> None:
    pages = pages_of(failing)
    assert len(pages) > 3
    for number, page in enumerate(pages, 1):
        footer = page.footer()
        texts = [box[4] for box in footer]
        assert f"Page {number} of {len(pages)}" in texts, (number, texts)
        lines = " ".join(t for t in texts if not t.startswith("Page "))
        assert lines.startswith("Foothills Concrete Forming Inc. (fictional) — ACSA-style construction COR audit")
        assert lines.endswith("— 2024-05-24 — input sha256:d5a6714fc069"), lines
        assert all(box[1] > 0 and box[3] <= BOTTOM_MARGIN for box in footer)
        # nothing of the report itself reaches into the margin, and the footer is not near the top of a page
        assert page.body() and min(box[1] for box in page.body()) > BOTTOM_MARGIN
        assert all(box[3] < page.height / 2 for box in footer)


def test_the_plan_shows_each_question_text_and_the_last_page_the_signature_block(failing: bytes) -> None:
    pages = pages_of(failing)
    text = " ".join(page.text for page in pages)
    assert "3.4 The committee or representative takes part in inspections" in text
    assert "10.3 Sampled investigations identify root causes" in text
    last = pages[-1].text
    assert "I attest that this audit was conducted as recorded in this report" in last
    assert "Priya Castellano (fictional) (external), EXAMPLE-0002" in last
    assert "Signature" in last and "Date" in last


def test_reasons_list_the_failure_first(failing: bytes) -> None:
    text = " ".join(page.text for page in pages_of(failing))
    reasons = text[text.index("Reasons") :]
    assert reasons.index("FAIL element 3") < reasons.index("PASS")


def test_the_same_report_gives_the_same_bytes(failing: bytes) -> None:
    engine = bundled_engine()
    assert pdf(report_data(engine, engine.score(engine.load_audit(FAILING)))) == failing


def test_text_from_the_audit_stays_text_in_the_footer_and_the_page(tmp_path: Path) -> None:
    data = yaml.safe_load(FAILING.read_text(encoding="utf-8"))
    data["employer"]["name"] = 'Evil"; } @page { @bottom-left { content: "x" } } </style><script>alert(1)</script>'
    audit = tmp_path / "evil.yaml"
    audit.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "evil.pdf"
    code, _, err = invoke("report", str(audit), "--format", "pdf", "-o", str(out))
    assert (code, err) == (0, f"wrote {out}\n")
    pages = pages_of(out.read_bytes())
    footer = " ".join(box[4] for box in pages[1].footer())
    assert footer.startswith('Evil"; } @page { @bottom-left { content: "x" } } </style><script>alert(1)</script> —')
    assert 'Evil"; } @page { @bottom-left' in pages[0].text  # the details table shows it as it was given


def test_report_pdf_to_a_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    code, stdout, err = invoke("report", str(FAILING), "--format", "pdf", "-o", str(out))
    assert (code, stdout, err) == (0, "", f"wrote {out}\n")
    assert out.read_bytes().startswith(b"%PDF-") and out.read_bytes().rstrip().endswith(b"%%EOF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def _corengine(*args: str, **options: object) -> subprocess.CompletedProcess[bytes]:
    command = str(Path(sys.executable).with_name("corengine"))
    return subprocess.run([command, *args], check=False, timeout=120, **options)  # type: ignore[call-overload]


def test_report_pdf_goes_down_a_pipe_but_not_to_a_terminal(tmp_path: Path) -> None:
    piped = _corengine("report", str(FAILING), "--format", "pdf", capture_output=True)
    assert (piped.returncode, piped.stderr) == (0, b"")
    assert piped.stdout.startswith(b"%PDF-")
    leader, follower = pty.openpty()
    try:
        shown = _corengine("report", str(FAILING), "--format", "pdf", stdout=follower, stderr=subprocess.PIPE)
        os.set_blocking(leader, False)
        try:
            printed = os.read(leader, 4096)
        except BlockingIOError:
            printed = b""
    finally:
        os.close(follower)
        os.close(leader)
    assert shown.returncode == 2
    assert shown.stderr == (
        b"error: --format pdf: a PDF is not shown on a terminal; give -o FILE.pdf (or redirect the output)\n"
    )
    assert printed == b""


def test_the_pdf_format_is_listed_in_the_help() -> None:
    code, out, _ = invoke("report", "--help")
    assert code == 0
    assert re.search(r"\[md\|html\|pdf\]", out)


def test_weasyprint_is_loaded_only_for_the_pdf() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from corengine._cli.main import cli; "
        f"r = CliRunner().invoke(cli, ['report', {str(FAILING)!r}, '--format', 'html']); "
        "assert r.exit_code == 0, r.output; print('weasyprint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout == "False\n"
