"""Which certificate a passing score earns, and what the outcome says when none can be granted: each condition
missed, a certificate of low confidence granted subject to an advisory (refused with ``--strict``), the strongest
confidence (H, then M, then L) and every source when no certificate's conditions hold, a pass with no certificate (``on_pass``), the options after a fail
(``on_fail``), and an overall minimum with nothing scored. Every finding is pinned in a golden file checked by eye
(``tests/golden/certificates.txt``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corengine import Engine
from tests._rules.test_outcome import describe
from tests.helpers import StandardsPlugin, golden

STANDARD = """\
id: certificates
title: Certificate conditions (test data)
version: "1"
jurisdiction: ZZ
programs: [COR]
elements:
  - id: "A"
    title: Any may be not applicable
    questions:
      - {id: "A.1", text: One, points: 10, na_allowed: true}
      - {id: "A.2", text: Two, points: 10, na_allowed: true}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - start: 2010-01-01
        end: 2014-12-31
        reference: [https://example.org/conditions]
        confidence: M
        overall_minimum: 80
        methods_required: [D, I, O]
        certificates:
          - certificate: Gold
            months: 36
            auditors: [external]
            methods: [D, I, O]
            min_records_months: 12
            reference: [https://example.org/gold]
            confidence: H
          - certificate: Silver
            months: 12
            audit_types: [recertification]
            reference: [https://example.org/silver, https://example.org/gold]
            confidence: M
      - start: 2015-01-01
        end: 2017-12-31
        reference: [https://example.org/low]
        confidence: M
        overall_minimum: 80
        certificates:
          - {certificate: Bronze, months: 24, min_records_months: 6, confidence: L, reference: [https://example.org/bronze]}
      - start: 2018-01-01
        end: 2019-12-31
        reference: [https://example.org/low]
        confidence: M
        overall_minimum: 80
        certificates:
          - {certificate: Bronze, months: 24, min_records_months: 6, confidence: L, reference: [https://example.org/bronze]}
          - {certificate: Copper, months: 12, audit_types: [recertification], confidence: M, reference: [https://example.org/copper]}
      - start: 2020-01-01
        reference: [https://example.org/pass]
        confidence: H
        overall_minimum: 80
        on_pass: COR maintained
        on_fail:
          - {outcome: a re-audit, within_days: 30, overall_at_least: 50, reference: [https://example.org/fail], confidence: M}
          - {outcome: a new certification audit, overall_below: 50, reference: [https://example.org/fail]}
"""

AUDITS: list[tuple[str, dict[str, Any], bool]] = [
    ("two required methods not used, 2012", {"audit_date": "2012-03-01", "methods_used": ["O"]}, False),
    ("no certificate's conditions met, 2012", {"audit_date": "2012-03-01", "auditor": {"name": "A", "kind": "internal"}}, False),
    ("Gold granted, 2012", {"audit_date": "2012-03-01"}, False),
    ("records short of a certificate of confidence L, 2017", {"audit_date": "2017-03-01", "records_months": 3}, False),
    ("the same with --strict, 2017", {"audit_date": "2017-03-01", "records_months": 3}, True),
    ("the same with --strict beside a certificate of confidence M, 2018", {"audit_date": "2018-03-01", "records_months": 3}, True),
    ("a pass with no certificate, 2022", {}, False),
    ("60%: a re-audit within 30 days, 2022", {"responses": {"A.2": {"points": 2}}}, False),
    ("40%: a new audit, 2022", {"responses": {"A.1": {"points": 0}, "A.2": {"points": 8}}}, False),
    ("nothing scored, 2022", {"responses": {"A.1": {"na": "none"}, "A.2": {"na": "none"}}}, False),
]  # fmt: skip


def audit(changes: dict[str, Any]) -> dict[str, Any]:
    months = changes.pop("records_months", 24)
    data: dict[str, Any] = {
        "standard": "certificates",
        "audit_type": "certification",
        "audit_date": "2022-05-10",
        "methods_used": ["D", "I", "O"],
        "employer": {"name": "E", "records_months": months},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {"A.1": {"points": 10}, "A.2": {"points": 10}},
    }
    for key, value in changes.items():
        data[key] = {**data[key], **value} if key == "responses" else value
    return data


def test_every_certificate_outcome_is_as_checked_by_eye(tmp_path: Path) -> None:
    path = tmp_path / "certificates.yaml"
    path.write_text(STANDARD, encoding="utf-8")
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    lines: list[str] = []
    for title, changes, strict in AUDITS:
        result = engine.score(engine.audit_from_data(audit(dict(changes))), strict=strict)
        lines += [*describe(title, result), ""]
    golden("certificates.txt", "\n".join(lines))
