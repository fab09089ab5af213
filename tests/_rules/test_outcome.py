"""Outcome: the rule in force on the audit date decides, and every reason names its rule and source.

Every finding of every outcome is also pinned in one golden file checked by eye (``tests/golden/outcomes.txt``
and ``outcomes-strict.txt``): check, status, subject, message, required, measured, due, confidence, sources,
reading, plugin and rule version, for every example audit and for variants of a test standard that reach the
rest of the rules (no minimums, an element with no applicable question, a dated version with an end and a note,
auditors and methods required, mandatory questions, no rule in force). After a deliberate change:
``CORENGINE_UPDATE_GOLDEN=1 pytest tests/_rules/test_outcome.py``, then read the diff. Decisions at the rules'
boundaries: ``tests/_rules/test_outcome_boundaries.py``."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from corengine import Engine
from corengine._util.dates import add_months
from corengine.model import Result
from corengine.model.findings import Quantity
from tests.helpers import BUNDLED_PLUGINS, DATA, EXAMPLES, StandardsPlugin, basic_audit, golden


def outcome(engine: Engine, data: dict[str, Any], strict: bool = False):  # type: ignore[no-untyped-def]
    return engine.score(engine.audit_from_data(data), strict=strict).outcome


def reasons(result: Any) -> list[tuple[str, str, str]]:
    return [(f.check, f.status, f.subject) for f in result.reasons]


def passing(data: dict[str, Any]) -> dict[str, Any]:
    data["responses"]["1.1"] = {"points": 10}
    data["responses"]["2.2"] = {"points": 10}
    data["responses"]["2.3"] = {"documents": {"positive": 3, "total": 3}}
    return data


def test_a_passing_audit_gets_the_three_year_certificate(engine: Engine, audit_data: dict[str, Any]) -> None:
    result = outcome(engine, passing(audit_data))
    assert (result.passed, result.certificate, result.certificate_months) == (True, "Certificate (3 years)", 36)
    assert result.valid_until == dt.date(2027, 5, 10)
    assert (result.rule, result.plugin) == ("certification", "test-standards")
    assert reasons(result) == [
        ("certification.version", "info", ""),
        ("certification.methods_required", "pass", ""),
        ("certification.overall_minimum", "pass", ""),
        ("certification.element_minimum", "pass", "1"),
        ("certification.element_minimum", "pass", "2"),
        ("certification.mandatory_full_marks", "pass", "1.2"),
        ("certification.certificate", "pass", "Large"),
        ("certification.maintenance_due", "info", "maintenance"),
        ("certification.maintenance_due", "info", "maintenance"),
        ("sampling.interviews", "info", ""),  # the audit reports no interviews_conducted: not checked
        ("sampling.sites", "info", ""),
    ]
    due = [(f.message, f.due) for f in result.reasons if f.check == "certification.maintenance_due"]
    assert due == [
        ("maintenance audit due in May 2025 (12 months after this audit)", dt.date(2025, 5, 31)),
        ("maintenance audit due in May 2026 (24 months after this audit)", dt.date(2026, 5, 31)),
    ]
    overall = next(f for f in result.reasons if f.check == "certification.overall_minimum")
    assert (overall.required, overall.measured, overall.sources, overall.confidence, overall.reading) == (
        Quantity.of(80, "%", ">="),
        Quantity(number=Fraction(6700, 70), unit="%", text="67/70"),
        ("https://example.org/rules-2000",),
        "H",
        "compared exactly, not rounded: the published sources state no rounding",
    )
    assert (str(overall.required), str(overall.measured)) == (">= 80%", "670/7% (67/70)")
    assert overall.rule_version == dt.date(2000, 1, 1)


def test_too_few_months_of_records_gives_the_one_year_certificate(engine: Engine, audit_data: dict[str, Any]) -> None:
    audit_data["employer"]["records_months"] = 11
    result = outcome(engine, passing(audit_data))
    assert (result.passed, result.certificate, result.certificate_months) == (True, "Certificate (1 year)", 12)
    assert "Certificate (3 years) not granted: needs 12 months of records, the employer has 11" in [
        f.message for f in result.reasons
    ]


def test_two_months_of_records_earn_no_certificate(engine: Engine, audit_data: dict[str, Any]) -> None:
    audit_data["employer"]["records_months"] = 2
    result = outcome(engine, passing(audit_data))
    assert (result.passed, result.certificate) == (False, None)
    assert ("certification.certificate", "fail", "Large") in reasons(result)
    missed = next(f for f in result.reasons if f.check == "certification.certificate" and f.status == "fail")
    assert (missed.message, missed.subject_kind) == (
        "the score passes but no certificate's conditions are met",
        "program",
    )
    # the certificates' conditions decided: their (strongest) confidence and their sources, not the version's
    assert (missed.confidence, missed.sources, missed.reading) == ("H", ("https://example.org/rules-2000",), "")


def test_a_mandatory_question_below_full_marks_fails(engine: Engine, audit_data: dict[str, Any]) -> None:
    audit_data = passing(audit_data)
    audit_data["responses"]["1.2"] = {"points": 5}
    result = outcome(engine, audit_data)
    assert result.passed is False
    assert ("certification.mandatory_full_marks", "fail", "1.2") in reasons(result)


def test_missing_observation_fails_the_methods_rule(engine: Engine, audit_data: dict[str, Any]) -> None:
    audit_data = passing(audit_data)
    audit_data["methods_used"] = ["D", "I"]
    result = outcome(engine, audit_data)
    assert result.passed is False
    methods = next(f for f in result.reasons if f.check == "certification.methods_required")
    assert (methods.status, methods.message, methods.required, methods.measured) == (
        "fail",
        "the audit did not use required method(s) O",
        Quantity.names(("D", "I", "O"), "all"),
        Quantity.names(("D", "I")),
    )
    assert (str(methods.required), str(methods.measured)) == ("D+I+O", "D+I")


def test_a_failing_audit_close_to_the_mark_is_offered_a_limited_scope_re_audit(
    engine: Engine, audit_data: dict[str, Any]
) -> None:
    result = outcome(engine, audit_data)
    assert result.passed is False
    assert ("certification.on_fail", "info", "") in reasons(result)
    assert "Limited-scope re-audit of the weak elements within 90 days" in [f.message for f in result.reasons]


def test_the_2020_variant_applies_during_2020_and_then_the_normal_rules_again(
    engine: Engine, audit_data: dict[str, Any]
) -> None:
    audit_data["audit_date"] = "2020-06-01"
    audit_data["start_date"] = "2020-05-01"
    audit_data["methods_used"] = ["D"]
    # The 2020 variant's values have confidence L: short of them is an advisory, decisive only with strict.
    result = outcome(engine, audit_data)
    assert (result.passed, result.certificate) == (True, "Certificate (1 year)")
    assert [f.check for f in result.advisories] == ["certification.overall_minimum"]
    result = outcome(engine, audit_data, strict=True)
    assert (result.passed, result.certificate) == (False, None)
    assert result.reasons[0].rule_version == dt.date(2020, 1, 1)
    # 55/70 = 78.57% rounds to 79 under the 2020 rounding rule: still below 80
    assert ("certification.overall_minimum", "fail", "") in reasons(result)
    assert ("certification.element_minimum", "info", "") in reasons(result)
    audit_data["audit_date"] = "2021-01-01"
    assert outcome(engine, audit_data).reasons[0].rule_version == dt.date(2000, 1, 1)


def test_the_2020_rounding_rule_lets_79_57_percent_pass_where_exact_comparison_fails(
    engine: Engine, audit_data: dict[str, Any]
) -> None:
    audit_data["responses"]["1.1"] = {"points": "8.7"}  # 55.7/70 = 79.571...%
    assert outcome(engine, audit_data).passed is False  # 2024: exact comparison
    audit_data.update(audit_date="2020-06-01", start_date="2020-05-01", methods_used=["D"])
    assert outcome(engine, audit_data, strict=True).passed is True  # 2020: rounded to 80 before comparing
    audit_data["responses"]["1.1"] = {"points": "8.6"}  # 55.6/70 = 79.43% -> 79
    assert outcome(engine, audit_data, strict=True).passed is False


def test_no_rule_for_the_audit_type_is_a_clear_failure(engine: Engine, audit_data: dict[str, Any]) -> None:
    audit_data["audit_type"] = "action-plan"
    result = outcome(engine, audit_data)
    assert result.passed is False
    assert result.reasons[0].message == (
        "test-basic has no rule in force on 2024-05-10 for an action-plan audit in the Large program"
    )


BOUNDARY = """\
id: boundary
title: Boundary standard
version: "1"
jurisdiction: ZZ
programs: [COR]
elements:
  - id: "1"
    title: Only
    questions:
      - {{id: "1.1", text: One question worth ten thousand points, points: 10000}}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/boundary]
        confidence: H
        overall_minimum: 80
        {rounding}
"""


@pytest.mark.parametrize(
    ("points", "rounding", "passed"),
    [
        (7999, "", False),
        (8000, "", True),
        ("7999.99", "", False),
        (7999, "rounding: {places: 0, mode: down}", False),
        (7950, "rounding: {places: 0, mode: half_up}", True),
        (7949, "rounding: {places: 0, mode: half_up}", False),
    ],
)
def test_exact_boundary_at_eighty_percent(tmp_path: Path, points: Any, rounding: str, passed: bool) -> None:
    path = tmp_path / "boundary.yaml"
    path.write_text(BOUNDARY.format(rounding=rounding))
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    data = {
        "standard": "boundary",
        "audit_type": "certification",
        "audit_date": "2024-01-01",
        "employer": {"name": "E"},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {"1.1": {"points": points}},
    }
    result = engine.score(engine.audit_from_data(data))
    assert result.score.percent == Fraction(str(points)) / 100
    assert result.outcome.passed is passed


def test_deadlines_are_checked_when_the_rule_sets_them(tmp_path: Path) -> None:
    text = BOUNDARY.format(rounding="data_gathering_days: 45\n        report_days: 21\n        notice_days: 21")
    path = tmp_path / "boundary.yaml"
    path.write_text(text)
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    data = {
        "standard": "boundary",
        "audit_type": "certification",
        "audit_date": "2024-03-16",
        "start_date": "2024-01-31",
        "notice_date": "2024-01-11",
        "report_date": "2024-04-07",
        "employer": {"name": "E"},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {"1.1": {"points": 9000}},
    }
    result = engine.score(engine.audit_from_data(data)).outcome
    found = {f.check: (f.status, str(f.required), str(f.measured), f.due) for f in result.reasons}
    assert found["certification.data_gathering_days"] == ("pass", "<= 45 days", "45 days", dt.date(2024, 3, 16))
    assert found["certification.report_days"] == ("fail", "<= 21 days", "22 days", dt.date(2024, 4, 6))
    assert found["certification.notice_days"] == ("fail", ">= 21 days", "20 days", dt.date(2024, 1, 10))
    assert result.passed is False


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2024, 5, 10), 36, dt.date(2027, 5, 10)),
        (dt.date(2024, 12, 31), 12, dt.date(2025, 12, 31)),
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
    ],
)
def test_add_months_clamps_to_the_last_day(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_a_fractional_element_minimum_is_reported_exactly(tmp_path: Path) -> None:
    text = (DATA / "standards" / "test-basic.yaml").read_text()
    path = tmp_path / "test-basic.yaml"
    path.write_text(text.replace("        element_minimum: 50\n", "        element_minimum: 65.5\n", 1))
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    from corengine._views.render import result_json

    data = result_json(engine.score(engine.audit_from_data(basic_audit())))
    assert [e["minimum"] for e in data["elements"]] == [65.5, 65.5]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(79995, 1000), "79.995%"),
        (Fraction(7999999, 100000), "79.99999%"),
        (Fraction(7957, 100), "79.57%"),
        (Fraction(80), "80.00%"),
        (Fraction(80 * 10**13 - 1, 10**13), "799999999999999/10000000000000% (exactly)"),
    ],
)
def test_a_percentage_just_under_a_threshold_prints_enough_digits_to_show_it_is_below(
    value: Fraction, shown: str
) -> None:
    from corengine._rules.scoring import format_percent_against

    assert format_percent_against(value, Fraction(80)) == shown


def test_an_overall_of_79_995_percent_is_below_80_and_says_so(engine: Engine, audit_data: dict[str, Any]) -> None:
    audit_data["responses"]["1.1"] = {"points": "8.9965"}  # 55.9965/70 = 79.995%
    result = outcome(engine, audit_data)
    overall = next(f for f in result.reasons if f.check == "certification.overall_minimum")
    assert (overall.status, overall.message) == ("fail", "overall 79.995% is below the 80% minimum")
    assert overall.reading == "compared exactly, not rounded: the published sources state no rounding"


# --------------------------------------------------------------------------- every outcome, checked by eye

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
    for example in sorted((EXAMPLES).glob("*.yaml")):
        result = engine.score(engine.load_audit(example), strict=strict)
        lines += [*describe(example.name, result, example.name.startswith("bc-small")), ""]
    text = "\n".join(lines)
    golden(f"outcomes{'-strict' if strict else ''}.txt", text)
