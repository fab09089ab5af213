"""Every eligibility answer pinned in one golden file checked by eye: the headline, each program's size and
start, and each finding's check, status, subject, message, required, measured, confidence, sources, reading
and plugin, for a matrix of requests to the bundled provinces and to a test province whose bands take every
shape the data allows (at least, at most, between, below, from-and-below, any size, per partner).

After a deliberate change: ``CORENGINE_UPDATE_GOLDEN=1 pytest tests/test_eligibility_golden.py``, then read the
diff of ``tests/golden/eligibility.txt``."""

from __future__ import annotations

import datetime as dt
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

from corengine import Engine, hookimpl
from corengine.model import EligibilityRequest, Jurisdiction
from corengine.model.converter import load_file

from .conftest import BUNDLED_PLUGINS, StandardsPlugin, finding_lines

GOLDEN = Path(__file__).parent / "golden" / "eligibility.txt"
ON = dt.date(2025, 6, 1)

SHAPES = """\
code: YY
name: Band shapes (test data)
fte_hours: 2000
eligibility:
  - start: 2000-01-01
    reference: [https://example.org/yy-sizes]
    confidence: M
    measure: employees
    notes: [{text: A note of its own confidence, confidence: L, reference: [https://example.org/yy-note]}]
    bands:
      - {program: Micro, max: 4}
      - {program: Small, min: 5, max: 19, note: "5 to 19 inclusive"}
      - {program: Medium, min: 20, below: 50, confidence: L, reference: [https://example.org/yy-medium]}
      - {program: Large, min: 50}
      - {program: Any}
      - {program: Partner, below: 8, partner: PP}
  - start: 2025-01-01
    reference: [https://example.org/yy-fte]
    confidence: H
    measure: fte
    bands:
      - {program: Small, below: 20}
      - {program: Large, min: 20}
counting:
  - {partner: PP, counts: [everyone on payroll], excludes: [contractors], lookback_months: 12, reference: [https://example.org/pp-count], confidence: M}
partners:
  - {code: PP, name: Partner P, industries: [testing], confidence: H, reference: [https://example.org/pp]}
equivalency:
  - {certifications: [ISO45001], treatment: information, text: Starts the day asked (test data), start: 2025-06-01, confidence: M, reference: [https://example.org/eq-today]}
  - {certifications: [CSA-Z1000], treatment: not-accepted, text: Starts the next day (test data), start: 2025-06-02, confidence: H, reference: [https://example.org/eq-later]}
  - {certifications: [ISO45001, CSA-Z45001], treatment: route, program: Large, certificate_months: 36, text: A route to Large (test data), confidence: L, reference: [https://example.org/eq-route]}
"""


def engines(tmp_path: Path) -> tuple[Engine, Engine]:
    path = tmp_path / "yy.yaml"
    path.write_text(SHAPES, encoding="utf-8")

    class YY:
        name = "yy"

        @hookimpl
        def corengine_register_jurisdictions(self) -> list[Jurisdiction]:
            return [load_file(path, Jurisdiction)]

    bundled = Engine(plugins=BUNDLED_PLUGINS, load_entrypoints=False, environ={})
    shapes = Engine(plugins=[StandardsPlugin(), YY()], load_entrypoints=False, environ={})
    return bundled, shapes


REQUESTS: list[dict[str, Any]] = [
    # the test province under employee bands (2024) and FTE bands (2025)
    {"province": "YY", "employees": 4, "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 5, "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 19, "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 20, "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 50, "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 7, "partner": "PP", "on": dt.date(2024, 6, 1)},
    {"province": "YY", "employees": 8, "partner": "PP", "on": dt.date(2024, 6, 1)},
    {"province": "YY", "on": dt.date(2024, 6, 1)},
    {"province": "YY", "fte": Fraction(39, 2), "on": ON},
    {"province": "YY", "payroll_hours": 40000, "on": ON},
    {"province": "YY", "payroll_hours": 39999, "on": ON},
    {"province": "YY", "employees": 25, "on": ON},
    {"province": "YY", "on": ON},
    {"province": "YY", "employees": 5, "on": dt.date(1999, 12, 31)},
    {"province": "YY", "fte": 30, "certifications": ("ISO45001", "CSA-Z45001", "CSA-Z1000"), "on": ON},
    {"province": "YY", "fte": 30, "certifications": ("CSA-Z1000",), "on": dt.date(2025, 6, 2)},
    {"province": "YY", "employees": 3, "certifications": ("CSA-Z45001",), "on": dt.date(2024, 6, 1)},
    {"province": "YY", "fte": 30, "certifications": ("CSA-Z1000", "CSA-Z1000"), "on": ON},
    # the bundled provinces
    {"province": "AB", "employees": 10, "on": ON},
    {"province": "AB", "employees": 11, "partner": "ESC", "records_months": 2, "on": ON},
    {"province": "AB", "employees": 5, "partner": "ACSA", "records_months": 12, "on": ON},
    {"province": "AB", "employees": 1, "partner": "ACSA", "on": ON},
    {"province": "BC", "fte": Fraction(199, 10), "records_months": 3, "on": ON},
    {"province": "BC", "payroll_hours": 41600, "on": ON},
    {"province": "BC", "employees": 1, "on": ON},
    {"province": "BC", "fte": 25, "certifications": ("ISO45001",), "on": ON},
    {"province": "ON", "employees": 40, "records_months": 12, "on": ON},
    {"province": "ON", "employees": 40, "certifications": ("CSA-Z1000", "ISO45001"), "on": ON},
]


def describe(engine: Engine, fields: dict[str, Any]) -> list[str]:
    request = EligibilityRequest(**fields)
    answer = engine.eligibility_answer(request)
    shown = ", ".join(f"{key}={value}" for key, value in fields.items())
    lines = [f"## {shown}", answer.headline]
    for program in answer.programs:
        lines.append(
            f"  program {program.program}: size {program.size}, may start {program.may_start}, "
            f"eligible {program.eligible}, {len(program.reasons)} reasons"
        )
    for f in answer.findings:
        lines += finding_lines(f)
    return lines


def test_every_eligibility_answer_is_as_checked_by_eye(tmp_path: Path) -> None:
    bundled, shapes = engines(tmp_path)
    lines: list[str] = []
    for fields in REQUESTS:
        lines += describe(shapes if fields["province"] == "YY" else bundled, fields)
        lines.append("")
    text = "\n".join(lines)
    if os.environ.get("CORENGINE_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
