"""``report --format pdf`` where WeasyPrint or its Pango libraries cannot be loaded: one error line saying what to
install, exit 2, no file written."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, invoke


def test_a_pdf_without_its_renderer_is_one_error_naming_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # importing it then raises ImportError, as a broken install
    out = tmp_path / "report.pdf"
    code, stdout, stderr = invoke(
        "report", str(EXAMPLES / "alberta-acsa-cor-certification-pass.yaml"), "--format", "pdf", "-o", str(out)
    )
    assert code == 2
    assert stderr == (
        "error: report --format pdf needs WeasyPrint and the Pango library, which cannot be loaded here (import of "
        "weasyprint halted; None in sys.modules); Debian and Ubuntu: apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0\n"
    )
    assert (stdout, out.exists()) == ("", False)
