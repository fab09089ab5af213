"""Every sample plan pinned in one golden file checked by eye: the minimums and each reason's message, required
value, confidence, sources, reading and plugin, for the bundled standards and for a test standard whose tables
take every shape the data allows (rows with notes, "all" and "ask" rows, percentages, interpolation between
published points, a program-only table, a reference table shown beside the one that decides, a questionnaire
share). After a deliberate change: ``CORENGINE_UPDATE_GOLDEN=1 pytest tests/_rules/test_sampling.py``, then read
the diff of ``tests/golden/sample.txt``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from corengine import Engine
from tests.helpers import BUNDLED_PLUGINS, StandardsPlugin, finding_lines, golden

SHAPES = """\
id: sample-shapes
title: Sampling shapes (test data)
version: "1"
jurisdiction: ZZ
programs: [Large, Small]
elements:
  - id: "1"
    title: Only
    questions:
      - {id: "1.1", text: One question, points: 10}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - {start: 2000-01-01, reference: [https://example.org/rules], confidence: H, overall_minimum: 80}
sampling:
  reference: [https://example.org/questionnaires]
  questionnaire_share: 25
  questionnaire_note: a quarter of the worker interviews at most
  interviews:
    - start: 2000-01-01
      reference: [https://example.org/interviews-2000]
      confidence: M
      note: the 2000 table
      rows:
        - {min: 0, max: 4, value: all, note: every worker}
        - {min: 5, max: 5, value: "4"}
        - {min: 6, max: 40, value: "50%"}
        - {min: 41, max: 99, value: ask, confidence: L, note: the partner sets it}
    - start: 2010-01-01
      reference: [https://example.org/interviews-2010]
      confidence: M
      interpolate: [[100, 20], [200, 30]]
      reference_table:
        name: large-employer table (test data)
        reference: [https://example.org/large-only]
        confidence: L
        rows: [{min: 150, value: "40"}]
    - start: 2024-01-01
      reference: [https://example.org/interviews-small]
      confidence: H
      programs: [Small]
      rows: [{min: 0, value: "2"}]
  sites:
    - start: 2024-01-01
      reference: [https://example.org/sites-small]
      confidence: M
      programs: [Small]
      note: the Small program's own site table
      rows: [{min: 1, value: "1"}]
    - start: 2000-01-01
      reference: [https://example.org/sites]
      confidence: H
      rows: [{min: 1, max: 3, value: all}, {min: 4, value: "3"}]
      reference_table:
        name: the partner's older table
        reference: [https://example.org/older-sites]
        confidence: L
        rows: [{min: 1, value: "2"}]
"""

REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("sample-shapes", {"workers": 3, "sites": 2, "on": dt.date(2005, 6, 1)}),
    ("sample-shapes", {"workers": 5, "sites": 4, "on": dt.date(2005, 6, 1)}),
    ("sample-shapes", {"workers": 41, "on": dt.date(2005, 6, 1)}),
    ("sample-shapes", {"workers": 99, "on": dt.date(2005, 6, 1)}),
    ("sample-shapes", {"workers": 100, "on": dt.date(2005, 6, 1)}),
    ("sample-shapes", {"workers": 6, "sites": 0, "on": dt.date(2005, 6, 1)}),
    ("sample-shapes", {"workers": 40, "on": dt.date(2023, 6, 1)}),
    ("sample-shapes", {"workers": 101, "on": dt.date(2023, 6, 1)}),
    ("sample-shapes", {"workers": 100, "on": dt.date(2023, 6, 1)}),
    ("sample-shapes", {"workers": 150, "on": dt.date(2023, 6, 1)}),
    ("sample-shapes", {"workers": 151, "on": dt.date(2023, 6, 1)}),
    ("sample-shapes", {"workers": 200, "on": dt.date(2023, 6, 1)}),
    ("sample-shapes", {"workers": 500, "on": dt.date(2023, 6, 1)}),
    ("sample-shapes", {"workers": 12, "on": dt.date(2024, 6, 1), "program": "Small"}),
    ("sample-shapes", {"workers": 12, "on": dt.date(2024, 6, 1), "program": "Large"}),
    ("sample-shapes", {"workers": 12, "sites": 5, "on": dt.date(2024, 6, 1), "program": "Small"}),
    ("sample-shapes", {"workers": 12, "sites": 5, "on": dt.date(2024, 6, 1), "program": "Large"}),
    ("sample-plain", {"workers": 12, "on": dt.date(2005, 6, 1)}),
    ("ab-acsa-cor", {"workers": 60, "sites": 5, "on": dt.date(2025, 6, 1)}),
    ("ab-acsa-secor", {"workers": 8, "on": dt.date(2025, 6, 1)}),
    ("bc-bccsa-cor", {"workers": 45, "sites": 6, "on": dt.date(2025, 6, 1), "program": "Large"}),
    ("bc-bccsa-cor", {"workers": 12, "on": dt.date(2025, 6, 1), "program": "Small"}),
    ("on-ihsa-cor2020", {"workers": 30, "sites": 2, "on": dt.date(2025, 6, 1)}),
]


def describe(engine: Engine, ident: str, fields: dict[str, Any]) -> list[str]:
    plan = engine.sample(ident, fields["workers"], fields.get("sites"), fields["on"], fields.get("program"))
    shown = ", ".join(f"{key}={value}" for key, value in fields.items())
    lines = [
        f"## {ident}: {shown}",
        f"standard {plan.standard}; workers {plan.workers}; sites {plan.sites}; interviews at least "
        f"{plan.interviews_minimum}; sites at least {plan.sites_minimum}; questionnaires at most "
        f"{plan.questionnaires_maximum}",
    ]
    for f in plan.reasons:
        lines += finding_lines(f)
    return lines


def test_every_sample_plan_is_as_checked_by_eye(tmp_path: Path) -> None:
    path = tmp_path / "sample-shapes.yaml"
    path.write_text(SHAPES, encoding="utf-8")
    plain = tmp_path / "sample-plain.yaml"  # a questionnaire share without a note
    plain.write_text(
        SHAPES.replace("id: sample-shapes", "id: sample-plain").replace(
            "  questionnaire_note: a quarter of the worker interviews at most\n", ""
        ),
        encoding="utf-8",
    )
    engine = Engine(plugins=[*BUNDLED_PLUGINS, StandardsPlugin(path, plain)], load_entrypoints=False, environ={})
    lines: list[str] = []
    for ident, fields in REQUESTS:
        lines += [*describe(engine, ident, fields), ""]
    text = "\n".join(lines)
    golden("sample.txt", text)


def test_a_table_giving_rows_and_interpolation_points_is_refused_where_it_is_written(tmp_path: Path) -> None:
    """Interpolation points replace rows; a table with both would silently ignore its rows."""
    from corengine.errors import InputError

    text = SHAPES.replace(
        "      interpolate: [[100, 20], [200, 30]]\n",
        "      interpolate: [[100, 20], [200, 30]]\n      rows: [{min: 0, value: all}]\n",
    )
    path = tmp_path / "sample-shapes.yaml"
    path.write_text(text, encoding="utf-8")
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    try:
        engine.standard("sample-shapes")
    except InputError as exc:
        assert [str(p) for p in exc.problems] == [
            f"{path}:34: sampling.interviews[1].interpolate: give rows or interpolate points, not both"
        ]
    else:
        raise AssertionError("the table was accepted")


def test_the_questionnaire_limit_on_managers_and_supervisors_is_said_once() -> None:
    """The core's message says questionnaires never replace managers' or supervisors' interviews; a standard's
    ``questionnaire_note`` adds only what the core does not say (it once repeated the rule: "…never those of
    managers or supervisors (…); never for managers or supervisors (…)")."""
    engine = Engine(plugins=BUNDLED_PLUGINS, load_entrypoints=False, environ={})
    checked = []
    for ident in sorted(engine.sources()):
        plan = engine.sample(ident, 60, 5, dt.date(2025, 6, 1), None)
        for f in plan.reasons:
            if f.check == "sampling.questionnaires":
                assert f.message.count("managers or supervisors") == 1, (ident, f.message)
                checked.append(ident)
    assert checked == ["ab-acsa-cor", "ab-acsa-secor", "ab-esc-cor", "ab-pir"]
