"""Every finding of every outcome pinned in one golden file checked by eye: check, status, subject, message,
required, measured, due, confidence, sources, reading, plugin and rule version, for every example audit and for
variants of a test standard that reach the rest of the rules (no minimums, an element with no applicable
question, a dated version with an end and a note, auditors and methods required, mandatory questions, no rule
in force). After a deliberate change: ``CORENGINE_UPDATE_GOLDEN=1 pytest tests/test_outcome_golden.py``, then
read the diff of ``tests/golden/outcomes.txt``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from corengine import Engine
from corengine.model import Result

from .conftest import BUNDLED_PLUGINS, StandardsPlugin

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "outcomes.txt"

STANDARD = """\
id: outcomes
title: Outcome rules (test data)
version: "1"
jurisdiction: ZZ
programs: [COR]
elements:
  - id: "A"
    title: Not applicable here
    questions:
      - {id: "A.1", text: Only some employers have this, points: 10, na_allowed: true}
  - id: "B"
    title: Scored
    questions:
      - {id: "B.1", text: Mandatory, points: 10, mandatory: true}
      - {id: "B.2", text: Ordinary, points: 10}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - start: 2000-01-01
        end: 2009-12-31
        reference: [https://example.org/2000]
        confidence: M
        note: the first rules
        certificates:
          - {certificate: Any score, months: 12}
      - start: 2010-01-01
        reference: [https://example.org/2010]
        confidence: H
        overall_minimum: 80
        element_minimum: 50
        mandatory_full_marks: true
        auditors: [external]
        methods_required: [D, I]
        certificates:
          - {certificate: Three years, months: 36, maintenance_due: [12, 24], note: yearly maintenance}
"""

AUDITS: list[tuple[str, dict[str, Any]]] = [
    ("no minimums, element A all N/A, 2005", {"audit_date": "2005-06-01"}),
    ("every rule met, 2024", {}),
    ("mandatory short, internal auditor, no interviews", {
        "auditor": {"name": "A", "kind": "internal"},
        "methods_used": ["D"],
        "responses": {"B.1": {"points": 9}},
    }),
    ("element B exactly at its minimum, overall below", {"responses": {"B.1": {"points": 10}, "B.2": {"points": 0}}}),
    ("no rule in force", {"audit_date": "1999-06-01"}),
]  # fmt: skip


def audit(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "standard": "outcomes",
        "audit_type": "certification",
        "audit_date": "2024-05-10",
        "methods_used": ["D", "I", "O"],
        "employer": {"name": "E"},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {"A.1": {"na": "no such work"}, "B.1": {"points": 10}, "B.2": {"points": 9}},
    }
    for key, value in changes.items():
        data[key] = {**data[key], **value} if key == "responses" else value
    return data


def describe(title: str, result: Result, questions: bool = False) -> list[str]:
    o = result.outcome
    s = result.score
    lines = [
        f"## {title}",
        f"passed {o.passed}; certificate {o.certificate}; valid until {o.valid_until}; program {o.program}; "
        f"plugin {o.plugin}; strict {o.strict}; advisories {len(o.advisories)}; score {s.percent}",
        f"scored {s.standard} version {s.standard_version} program {s.program}: {s.earned}/{s.available}",
    ]
    for element in s.elements if questions else ():
        lines.append(f"  element {element.id}: {element.earned}/{element.available} = {element.percent}")
        lines += [
            f"    {q.id} [{q.element}] {q.method} {q.status}: {q.earned}/{q.available} — {q.explanation}"
            for q in element.questions
        ]
    for f in o.reasons:
        lines.append(f"  - {f.status} {f.check} [{f.subject_kind}: {f.subject}] {f.message}")
        details = [
            f"required {f.required!r}" if f.required is not None else "",
            f"measured {f.measured!r}" if f.measured is not None else "",
            f"due {f.due}" if f.due else "",
            f"confidence {f.confidence}" if f.confidence else "",
            f"version {f.rule_version}" if f.rule_version else "",
            f"plugin {f.plugin}",
            f"reading {f.reading}" if f.reading else "",
            "sources " + " ".join(f.sources) if f.sources else "",
        ]
        lines.append("      " + "; ".join(d for d in details if d))
    return lines


@pytest.mark.parametrize("strict", [False, True])
def test_every_outcome_is_as_checked_by_eye(tmp_path: Path, strict: bool) -> None:
    path = tmp_path / "outcomes.yaml"
    path.write_text(STANDARD, encoding="utf-8")
    engine = Engine(plugins=[*BUNDLED_PLUGINS, StandardsPlugin(path)], load_entrypoints=False, environ={})
    lines: list[str] = []
    for title, changes in AUDITS:
        lines += [*describe(title, engine.score(engine.audit_from_data(audit(**changes)), strict=strict), True), ""]
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        result = engine.score(engine.load_audit(example), strict=strict)
        lines += [*describe(example.name, result, example.name.startswith("bc-small")), ""]
    text = "\n".join(lines)
    golden = GOLDEN.with_name(f"outcomes{'-strict' if strict else ''}.txt")
    if os.environ.get("CORENGINE_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
