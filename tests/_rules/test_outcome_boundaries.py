"""Decisions pinned at the boundaries the rules define: the last allowed day, exactly the mark, the day a version
starts, an all-N/A element ahead of a failing one, rounding to one place, default thresholds, the plan's view of
rounding rules. Each test is a behaviour a certifying partner would check, not a test of one mutant."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from corengine import Engine
from corengine._rules.action_plan import build_plan
from corengine._rules.outcome import EXACT
from corengine._views.plan import plan_data
from corengine._views.schema import all_schemas
from corengine.errors import InputError
from corengine.model.findings import Quantity
from tests.helpers import StandardsPlugin

STANDARD = """\
id: pinned
title: Pinned decisions
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
      - {id: "B.1", text: Ten thousand points, points: 10000}
      - {id: "B.2", text: All or nothing at the default threshold, points: 10, methods: [I], scoring: {method: all_or_nothing}}
      - {id: "B.3", text: Interviews only, points: 10, methods: [I, O], scoring: {method: range, tally: interviews}}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/2000]
        confidence: H
        overall_minimum: 80
        element_minimum: 50
        report_days: 21
        {extra}
        certificates:
          - {certificate: With interviews, months: 36, methods: [D, I]}
          - {certificate: Documents only, months: 12}
      - start: 2024-05-10
        reference: [https://example.org/2024]
        confidence: H
        overall_minimum: 70
        certificates:
          - {certificate: From 2024-05-10, months: 12}
      - start: 2030-01-01
        reference: [https://example.org/2030]
        confidence: H
        overall_minimum: 90
  - id: maintenance
    title: Maintenance
    audit_types: [maintenance]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/maintenance]
        confidence: H
        overall_minimum: 60
        on_pass: Certificate maintained
sampling:
  interviews:
    - start: 2000-01-01
      reference: [https://example.org/sampling-2000]
      confidence: H
      rows: [{min: 0, value: "25%"}]
    - start: 2024-05-10
      reference: [https://example.org/sampling-2024]
      confidence: H
      rows: [{min: 0, value: "50%"}]
"""


def engine_with(tmp_path: Path, extra: str = "") -> Engine:
    path = tmp_path / "pinned.yaml"
    path.write_text(STANDARD.replace("{extra}", extra))
    return Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})


def audit(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "standard": "pinned",
        "audit_type": "certification",
        "audit_date": "2024-05-09",
        "methods_used": ["D", "I", "O"],
        "employer": {"name": "E"},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {
            "A.1": {"na": "no such work"},
            "B.1": {"points": 9000},
            "B.2": {"interviews": {"positive": 10, "total": 10}},
            "B.3": {"interviews": {"positive": 5, "total": 10}, "observations": {"positive": 0, "total": 10}},
        },
    }
    for key, value in changes.items():
        if key == "responses":
            data["responses"] = {**data["responses"], **value}
        else:
            data[key] = value
    return data


def outcome(engine: Engine, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    return engine.score(engine.audit_from_data(data))


def checks(result: Any, check: str) -> list[tuple[str, str]]:
    return [(f.subject, f.status) for f in result.outcome.reasons if f.check == check]


def test_an_all_na_element_ahead_of_a_failing_one_does_not_hide_the_failure(tmp_path: Path) -> None:
    result = outcome(engine_with(tmp_path), audit(responses={"B.1": {"points": 1000}}))
    assert checks(result, "certification.element_minimum") == [("A", "info"), ("B", "fail")]
    assert result.outcome.passed is False


def test_a_failed_maintenance_audit_under_a_rule_with_on_pass_grants_nothing(tmp_path: Path) -> None:
    result = outcome(engine_with(tmp_path), audit(audit_type="maintenance", responses={"B.1": {"points": 100}}))
    assert (result.outcome.passed, result.outcome.certificate, result.outcome.certificate_months) == (False, None, None)
    assert not [f for f in result.outcome.reasons if f.check == "maintenance.on_pass"]
    passing = outcome(engine_with(tmp_path), audit(audit_type="maintenance"))
    assert (passing.outcome.passed, passing.outcome.certificate) == (True, "Certificate maintained")


@pytest.mark.parametrize(("report", "status"), [("2024-05-30", "pass"), ("2024-05-31", "fail")])
def test_a_report_on_the_last_allowed_day_meets_the_limit_and_the_next_day_misses_it(
    tmp_path: Path, report: str, status: str
) -> None:
    result = outcome(engine_with(tmp_path), audit(report_date=report))
    found = next(f for f in result.outcome.reasons if f.check == "certification.report_days")
    assert (found.status, found.due) == (status, dt.date(2024, 5, 30))
    assert result.outcome.passed is (status == "pass")


@pytest.mark.parametrize(
    ("points", "passed", "shown"),
    [
        (7994, False, "overall 79.94% (79.9% as the rule rounds it) is below the 80% minimum"),
        (7995, True, "overall 79.95% (80% as the rule rounds it) meets the 80% minimum"),
    ],
)
def test_rounding_to_one_place_decides_at_the_half_of_the_last_place(
    tmp_path: Path, points: int, passed: bool, shown: str
) -> None:
    engine = engine_with(tmp_path, "rounding: {places: 1, mode: half_up}")
    # 10,020 points available (B.1 10,000, B.2 and B.3 ten each, B.2 and B.3 at 0): 8010/10020 = 79.94%,
    # 8011/10020 = 79.95%.
    data = audit(
        responses={
            "B.1": {"points": {7994: 8010, 7995: 8011}[points]},
            "B.2": {"interviews": {"positive": 0, "total": 1}},
            "B.3": {"interviews": {"positive": 0, "total": 1}},
        }
    )
    result = outcome(engine, data)
    overall = next(f for f in result.outcome.reasons if f.check == "certification.overall_minimum")
    assert (overall.status == "pass", overall.message) == (passed, shown)
    assert overall.reading == ""  # the rule states its rounding: no reading of the engine's own


def test_the_plan_judges_a_rounding_rule_as_the_outcome_does(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, "rounding: {places: 0, mode: half_up}")
    data = audit()
    data["responses"]["B.1"] = {"points": 7970}  # (7970 + 10 + 5) / 10020 = 79.69% -> 80 rounded
    result = outcome(engine, data)
    assert result.outcome.passed is True
    assert build_plan(result).path.already_passing is True
    data["responses"]["B.1"] = {"points": 7900}  # 79.0%: rounds to 79, below
    failing = outcome(engine, data)
    plan = build_plan(failing)
    assert (failing.outcome.passed, plan.path.already_passing, plan.path.questions) == (False, False, ("B.1",))


def test_the_plan_judges_a_rule_rounding_to_one_place_as_the_outcome_does(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, "rounding: {places: 1, mode: half_up}")
    data = audit()
    data["responses"]["B.1"] = {"points": 7996}  # (7996 + 10 + 5) / 10020 = 79.95%: 80.0 to one place
    result = outcome(engine, data)
    assert result.outcome.passed is True
    assert build_plan(result).path.already_passing is True
    data["responses"]["B.1"] = {"points": 7995}  # 79.94%: 79.9 to one place, below
    failing = outcome(engine, data)
    assert (failing.outcome.passed, build_plan(failing).path.already_passing) == (False, False)


def test_only_the_questions_on_the_path_to_pass_are_marked_so_in_the_plan_data(tmp_path: Path) -> None:
    data = audit()
    data["responses"]["B.1"] = {"points": 7000}
    plan = build_plan(outcome(engine_with(tmp_path), data))
    rows = plan_data(plan)["actions"]
    marked = [row["question"] for row in rows if row["in_path_to_pass"]]
    assert marked == list(plan.path.questions) == ["B.1"]
    assert {row["question"]: row["in_path_to_pass"] for row in rows} == {"B.1": True, "B.3": False}
    assert json.loads(json.dumps(plan_data(plan)))["path_to_pass"]["questions"] == ["B.1"]
    path = plan_data(plan)["path_to_pass"]
    # B.1 raised from 7,000 to 10,000: 100 x (10000 + 10 + 5) / 10020 = 50075/501 % overall and in element B;
    # element A has only N/A answers, so no score at all
    assert plan_data(plan)["rule"] == "certification@2000-01-01"
    assert (path["gain"], path["overall_after"], path["elements_after"]) == (
        "3000",
        "50075/501",
        {"A": None, "B": "50075/501"},
    )
    jsonschema.validate(plan_data(plan), all_schemas()["plan.schema.json"])  # an element with no score is null


@pytest.mark.parametrize(
    ("day", "minimum", "version"),
    [
        ("2024-05-09", 80, dt.date(2000, 1, 1)),
        ("2024-05-10", 70, dt.date(2024, 5, 10)),
        ("2030-01-01", 90, dt.date(2030, 1, 1)),
    ],
)
def test_the_version_in_force_changes_on_the_day_it_starts_and_the_latest_wins(
    tmp_path: Path, day: str, minimum: int, version: dt.date
) -> None:
    result = outcome(engine_with(tmp_path), audit(audit_date=day))
    overall = next(f for f in result.outcome.reasons if f.check == "certification.overall_minimum")
    assert (overall.required, overall.rule_version) == (Quantity.of(minimum, "%", ">="), version)


@pytest.mark.parametrize(("day", "interviews"), [("2024-05-09", 101), ("2024-05-10", 202)])
def test_a_sampling_version_applies_from_its_start_day_and_a_percentage_row_landing_on_a_whole_number_is_not_rounded_up(
    tmp_path: Path, day: str, interviews: int
) -> None:
    plan = engine_with(tmp_path).sample("pinned", 404, None, dt.date.fromisoformat(day))
    assert plan.interviews_minimum == interviews  # 25% and 50% of 404: exactly 101 and 202


def test_all_or_nothing_without_a_threshold_needs_every_tally_positive(tmp_path: Path) -> None:
    engine = engine_with(tmp_path)
    nine = outcome(engine, audit(responses={"B.2": {"interviews": {"positive": 9, "total": 10}}}))
    ten = outcome(engine, audit())
    earned = {q.id: q.earned for e in nine.score.elements for q in e.questions}
    assert earned["B.2"] == 0
    assert {q.id: q.earned for e in ten.score.elements for q in e.questions}["B.2"] == 10


def test_a_named_tally_is_scored_alone_beside_a_second_tally(tmp_path: Path) -> None:
    result = outcome(engine_with(tmp_path), audit())
    earned = {q.id: q.earned for e in result.score.elements for q in e.questions}
    assert earned["B.3"] == 5  # 5 of 10 interviews; the 0 of 10 observations are not counted


def test_a_certificate_that_needs_interviews_is_not_granted_to_an_audit_that_did_not_use_them(tmp_path: Path) -> None:
    engine = engine_with(tmp_path)
    with_interviews = outcome(engine, audit())
    assert with_interviews.outcome.certificate == "With interviews"
    documents = outcome(engine, audit(methods_used=["D"]))
    gaps = [f.message for f in documents.outcome.reasons if f.check == "certification.certificate"]
    assert gaps[0] == "With interviews not granted: needs verification methods D+I; the audit did not use I"
    assert documents.outcome.certificate == "Documents only"


CYCLE = """\
id: cycle-l
title: A cycle on a low-confidence due date
version: "1"
jurisdiction: ZZ
programs: [COR]
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
      - start: 2000-01-01
        reference: [https://example.org/cycle]
        confidence: H
        overall_minimum: 80
        certificates:
          - {certificate: Three years, months: 36, maintenance_due: [12], confidence: CONFIDENCE}
"""


@pytest.mark.parametrize(("confidence", "status", "complete"), [("L", "advisory", True), ("H", "fail", False)])
def test_a_missed_maintenance_deadline_of_low_confidence_advises_and_one_of_high_confidence_fails(
    tmp_path: Path, confidence: str, status: str, complete: bool
) -> None:
    from corengine._rules.cycle import check_cycle

    path = tmp_path / "cycle-l.yaml"
    path.write_text(CYCLE.replace("CONFIDENCE", confidence))
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    data = {
        "standard": "cycle-l",
        "audit_type": "certification",
        "audit_date": "2024-05-10",
        "employer": {"name": "E"},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {"1.1": {"points": 10}},
    }
    cycle = check_cycle([engine.score(engine.audit_from_data(data))], dt.date(2025, 6, 1))
    missed = [f for f in cycle.findings if f.check == "cycle.maintenance"]
    assert [(f.status, f.due, f.confidence) for f in missed] == [(status, dt.date(2025, 5, 31), confidence)]
    assert cycle.complete is complete
    assert [d.state for d in cycle.deadlines] == ["missed"]


def test_a_standard_with_a_site_table_and_no_interview_table_still_sets_the_site_minimum(tmp_path: Path) -> None:
    text = STANDARD.replace("{extra}", "")
    text = text.replace("  interviews:\n", "  sites:\n", 1)
    text = text[: text.index("    - start: 2024-05-10\n      reference: [https://example.org/sampling-2024]")]
    path = tmp_path / "pinned.yaml"
    path.write_text(text)
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    plan = engine.sample("pinned", 40, 8, dt.date(2024, 6, 1))
    assert (plan.interviews_minimum, plan.sites_minimum) == (None, 2)  # 25% of 8 sites; no interview table


# --------------------------------------------------------------------------- certificates of low confidence

CERTIFICATES = """\
id: certs
title: Certificates with conditions
version: "1"
jurisdiction: ZZ
programs: [COR]
elements:
  - id: "1"
    title: Only
    questions:
      - {id: "1.1", text: One question, points: 10}
rules:
  - id: certification
    title: Certification
    audit_types: [certification, recertification]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/certs]
        confidence: H
        overall_minimum: 80
        certificates:
          - {certificate: Partner audited, months: 36, audit_types: [certification, recertification], auditors: [external, candidate], methods: [D, I, O], min_records_months: 12, confidence: L}
"""


def certificates_engine(tmp_path: Path) -> Engine:
    path = tmp_path / "certs.yaml"
    path.write_text(CERTIFICATES)
    return Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})


def cert_audit(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "standard": "certs",
        "audit_type": "certification",
        "audit_date": "2024-05-10",
        "methods_used": ["D", "I", "O"],
        "employer": {"name": "E", "records_months": 12},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {"1.1": {"points": 10}},
    }
    data.update(changes)
    return data


def certificate_lines(result: Any) -> list[tuple[str, str]]:
    return [(f.status, f.message) for f in result.outcome.reasons if f.check.endswith("certificate")]


def test_a_certificate_of_low_confidence_missed_only_on_records_is_granted_subject_to_an_advisory(
    tmp_path: Path,
) -> None:
    result = outcome(certificates_engine(tmp_path), cert_audit(employer={"name": "E", "records_months": 11}))
    assert result.outcome.passed is True
    assert result.outcome.certificate == "Partner audited"
    assert certificate_lines(result)[-1] == (
        "advisory",
        "grants Partner audited subject to an advisory: needs 12 months of records, the employer has 11, "
        "a condition of low confidence",
    )


@pytest.mark.parametrize(
    ("changes", "gap"),
    [
        (
            {"auditor": {"name": "A", "kind": "internal"}, "employer": {"name": "E", "records_months": 2}},
            "needs an external or candidate auditor, not internal",
        ),
        (
            {"methods_used": ["D"], "employer": {"name": "E", "records_months": 2}},
            "needs verification methods D+I+O; the audit did not use I+O",
        ),
    ],
)
def test_a_certificate_of_low_confidence_is_refused_when_more_than_its_records_minimum_is_missed(
    tmp_path: Path, changes: dict[str, Any], gap: str
) -> None:
    """Which auditors and methods a certificate is for define it and always decide; months of records the audit
    does not state cannot be judged short of an uncertain minimum."""
    result = outcome(certificates_engine(tmp_path), cert_audit(**changes))
    assert result.outcome.passed is False
    assert result.outcome.certificate is None
    assert certificate_lines(result) == [
        ("info", f"Partner audited not granted: {gap}"),
        ("fail", "the score passes but no certificate's conditions are met"),
    ]


def test_an_audit_that_does_not_state_the_records_every_certificate_needs_is_incomplete(tmp_path: Path) -> None:
    """Every certificate of the rule in force needs months of records: an audit without them cannot be decided,
    so ``validate`` (and ``score``) report the missing field instead of a refused certificate."""
    engine = certificates_engine(tmp_path)
    with pytest.raises(InputError) as info:
        outcome(engine, cert_audit(employer={"name": "E"}))
    assert [(p.path, p.message) for p in info.value.problems] == [
        (
            "employer.records_months",
            "give the employer's months of health and safety records: the rules in force (certification from "
            "2000-01-01) need them to grant a certificate",
        )
    ]


def test_a_certificate_for_other_audit_types_names_them_all(tmp_path: Path) -> None:
    text = CERTIFICATES.replace(
        "audit_types: [certification, recertification]\n    versions",
        "audit_types: [certification, recertification, maintenance]\n    versions",
    )
    path = tmp_path / "certs.yaml"
    path.write_text(text)
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    result = outcome(engine, cert_audit(audit_type="maintenance"))
    assert certificate_lines(result)[0] == (
        "info",
        "Partner audited not granted: only for certification, recertification audits",
    )


# --------------------------------------------------------------------------- tally answers

TALLIES = """\
id: tallies
title: Tally answers
version: "1"
jurisdiction: ZZ
programs: [COR]
elements:
  - id: "1"
    title: Only
    questions:
      - {id: "1.1", text: Any tally, points: 10, methods: [I, O], scoring: {method: range}}
      - {id: "1.2", text: Interviews only, points: 10, methods: [I], scoring: {method: range, tally: interviews}}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/tallies]
        confidence: H
        overall_minimum: 80
"""


@pytest.mark.parametrize(
    ("responses", "messages"),
    [
        (
            {"1.1": {"points": 5}, "1.2": {"points": 5}},
            [
                "expected tallies (positive/total), not points: this question is scored from tallies",
                "expected interviews (positive/total), not points: this question is scored from tallies",
            ],
        ),
        (
            {"1.1": {"note": "none"}, "1.2": {"observations": {"positive": 1, "total": 2}}},
            [
                "no answer yet: give {interviews: {positive: N, total: N}} (or observations, documents; summed)",
                "expected interviews with positive and total",
            ],
        ),
        (
            {"1.1": {"observations": {"positive": 0, "total": 0}}, "1.2": {"interviews": {"positive": 0, "total": 0}}},
            [
                "tallies total must be > 0 (mark the question na if nothing could be sampled)",
                "interviews total must be > 0 (mark the question na if nothing could be sampled)",
            ],
        ),
    ],
)
def test_a_tally_question_answered_wrongly_says_what_it_expected(
    tmp_path: Path, responses: dict[str, Any], messages: list[str]
) -> None:
    where = ".points" if "not points" in messages[0] else ""
    path = tmp_path / "tallies.yaml"
    path.write_text(TALLIES)
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    data = {
        "standard": "tallies",
        "audit_type": "certification",
        "audit_date": "2024-05-10",
        "employer": {"name": "E"},
        "auditor": {"name": "A", "kind": "external"},
        "responses": responses,
    }
    try:
        problems = engine.problems(engine.audit_from_data(data))
    except InputError as exc:  # the loader reports what it found in the same pass
        problems = exc.problems
    assert [(p.path, p.message) for p in problems] == [
        (f'responses["1.1"]{where}', messages[0]),
        (f'responses["1.2"]{where}', messages[1]),
    ]


def test_an_unknown_rounding_mode_is_named() -> None:
    from fractions import Fraction

    from corengine._rules.scoring import round_to

    with pytest.raises(ValueError, match=r"^unknown rounding 'sideways'$"):
        round_to(Fraction(1, 3), Fraction(1), "sideways")  # type: ignore[arg-type]


def test_with_no_rule_in_force_the_plan_has_no_path_and_names_what_failed(tmp_path: Path) -> None:
    result = outcome(engine_with(tmp_path), audit(audit_date="1999-12-31"))
    plan = build_plan(result)
    assert plan.rule == ""
    assert (plan.path.already_passing, plan.path.questions, plan.path.gain) == (False, (), 0)
    assert plan.path.overall_after == result.score.percent
    assert [f.check for f in plan.path.other_failures] == [
        f.check for f in result.outcome.reasons if f.status == "fail"
    ]
    assert [f.status for f in plan.path.other_failures] == ["fail"]
    assert [(a.question, a.reasons, a.note) for a in plan.actions] == [("B.1", (), ""), ("B.3", (), "")]


def test_the_sample_plan_says_which_row_applied_and_its_note(tmp_path: Path) -> None:
    text = STANDARD.replace("{extra}", "").replace(
        '      rows: [{min: 0, value: "50%"}]',
        '      rows: [{min: 0, max: 9, value: all, note: every worker}, {min: 10, value: "50%"}]',
    )
    path = tmp_path / "pinned.yaml"
    path.write_text(text, encoding="utf-8")
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    small = engine.sample("pinned", 9, None, dt.date(2024, 6, 1))
    large = engine.sample("pinned", 41, None, dt.date(2024, 6, 1))
    assert (small.interviews_minimum, large.interviews_minimum) == (9, 21)
    assert [f.message for f in small.reasons if "row" in f.message] == [
        "minimum interviews for 9 workers: 9 — row 0-9: all (every worker)"
    ]
    assert [f.message for f in large.reasons if "row" in f.message] == [
        "minimum interviews for 41 workers: 21 — row 10+: 50% of 41 rounded up"
    ]


MANDATORY = """\
id: mandatory
title: A mandatory question and an element minimum
version: "1"
jurisdiction: ZZ
programs: [COR]
elements:
  - id: "1"
    title: One
    questions:
      - {id: "1.1", text: Mandatory, points: 10, mandatory: true}
      - {id: "1.2", text: Large, points: 10}
      - {id: "1.3", text: Small, points: 10}
  - id: "2"
    title: Two
    questions:
      - {id: "2.1", text: Full, points: 10}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - start: 2000-01-01
        reference: [https://example.org/mandatory]
        confidence: H
        overall_minimum: 10
        element_minimum: 90
        mandatory_full_marks: true
"""


def test_a_mandatory_question_raised_on_the_path_is_counted_once_toward_its_element(tmp_path: Path) -> None:
    """1.1 (mandatory, 0/10) must reach full marks: element 1 goes from 4/30 to 14/30. 90% needs 27: raising 1.2
    (+10, the largest gain) gives 24/30, and 1.3 (+6) is needed too. Counting 1.1's gain twice would stop at 1.2."""
    path = tmp_path / "mandatory.yaml"
    path.write_text(MANDATORY, encoding="utf-8")
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    data = {
        "standard": "mandatory",
        "audit_type": "certification",
        "audit_date": "2024-06-01",
        "employer": {"name": "E"},
        "auditor": {"name": "A", "kind": "external"},
        "responses": {"1.1": {"points": 0}, "1.2": {"points": 0}, "1.3": {"points": 4}, "2.1": {"points": 10}},
    }
    result = engine.score(engine.audit_from_data(data))
    path_to_pass = build_plan(result).path
    assert path_to_pass.questions == ("1.1", "1.2", "1.3")
    assert (path_to_pass.gain, path_to_pass.overall_after) == (26, 100)


def test_a_plan_with_no_rule_in_force_has_no_element_scores_after_a_path(tmp_path: Path) -> None:
    plan = build_plan(outcome(engine_with(tmp_path), audit(audit_date="1999-12-31")))
    assert plan_data(plan)["path_to_pass"]["elements_after"] == {}
    assert plan_data(plan)["path_to_pass"]["overall_after"] == str(plan.path.overall_after)
    jsonschema.validate(plan_data(plan), all_schemas()["plan.schema.json"])


# --------------------------------------------------------------------------- who was interviewed

COMPOSITION = STANDARD.replace("{extra}", "").replace(
    "sampling:\n",
    "sampling:\n"
    "  levels_required: [managers, supervisors, workers]\n"
    "  levels_reference: [https://example.org/levels]\n"
    "  levels_confidence: L\n"
    "  questionnaire_share: 25\n"
    "  reference: [https://example.org/questionnaires]\n",
)


def composition_findings(tmp_path: Path, strict: bool, **fields: Any) -> list[tuple[Any, ...]]:
    path = tmp_path / "pinned.yaml"
    path.write_text(COMPOSITION, encoding="utf-8")
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    result = engine.score(engine.audit_from_data(audit(**fields)), strict=strict)
    return [
        (f.check, f.status, f.subject, f.message, str(f.required), str(f.measured), f.confidence, f.sources, f.plugin)
        for f in result.outcome.reasons
        if f.check in ("sampling.interview_levels", "sampling.questionnaires")
    ]


@pytest.mark.parametrize(("strict", "missing"), [(False, "advisory"), (True, "fail")])
def test_every_level_the_standard_requires_is_interviewed_or_named(tmp_path: Path, strict: bool, missing: str) -> None:
    asks = " — pinned asks that every level (managers, supervisors, workers) be interviewed"
    levels = ("https://example.org/levels",)
    found = composition_findings(tmp_path, strict, interviews_by_level={"workers": 6, "supervisors": 0})
    assert found == [
        ("sampling.interview_levels", missing, "managers", "managers: 0 interviewed" + asks, ">= 1 interviews",
         "0 interviews", "L", levels, "test-standards"),
        ("sampling.interview_levels", missing, "supervisors", "supervisors: 0 interviewed" + asks, ">= 1 interviews",
         "0 interviews", "L", levels, "test-standards"),
        ("sampling.interview_levels", "pass", "workers", "workers: 6 interviewed", ">= 1 interviews",
         "6 interviews", "L", levels, "test-standards"),
    ]  # fmt: skip
    assert composition_findings(tmp_path, strict) == []  # no levels given: nothing to judge


@pytest.mark.parametrize(
    ("questionnaires", "status", "message", "measured"),
    [
        (2, "pass", "2 questionnaire(s) of 8 worker interviews (within the 25% share)", "25% (2/8)"),
        (3, "fail", "3 questionnaire(s) of 9 worker interviews (over the 25% share)", "100/3% (3/9)"),
    ],
)
def test_questionnaires_count_within_the_share_of_worker_interviews(
    tmp_path: Path, questionnaires: int, status: str, message: str, measured: str
) -> None:
    levels = {"managers": 1, "supervisors": 1, "workers": 6}
    found = composition_findings(tmp_path, False, interviews_by_level=levels, questionnaires=questionnaires)
    assert found[3:] == [
        ("sampling.questionnaires", status, "workers", message, "<= 25%", measured, None,
         ("https://example.org/questionnaires",), "test-standards"),
    ]  # fmt: skip


def test_the_composition_check_follows_the_confidence_policy_when_called_alone(tmp_path: Path) -> None:
    """Called directly (as the engine does), a missing level of confidence L advises unless ``strict``; one
    interview of a level is enough; the questionnaire share states its reading."""
    from corengine._rules.sampling import composition

    path = tmp_path / "pinned.yaml"
    path.write_text(COMPOSITION, encoding="utf-8")
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    standard = engine.standard("pinned")
    built = engine.audit_from_data(audit(interviews_by_level={"managers": 1, "workers": 3}, questionnaires=1)).audit
    assert [(f.subject, f.status) for f in composition(standard, built, "p")] == [
        ("managers", "pass"),
        ("supervisors", "advisory"),
        ("workers", "pass"),
        ("workers", "pass"),
    ]
    assert [f.status for f in composition(standard, built, "p", strict=True)] == ["pass", "fail", "pass", "pass"]
    share = composition(standard, built, "p")[-1]
    assert share.reading == (
        "questionnaires count as worker interviews: at most the share of all worker interviews, in person and by "
        "questionnaire, may be questionnaires"
    )


def test_questionnaires_without_the_worker_interviews_are_information(tmp_path: Path) -> None:
    found = composition_findings(tmp_path, False, interviews_by_level={"managers": 1}, questionnaires=1)
    assert found[-1] == (
        "sampling.questionnaires",
        "info",
        "",
        "1 questionnaire(s) used; give interviews_by_level.workers to check them against the 25% share of worker "
        "interviews",
        "None",
        "None",
        None,
        ("https://example.org/questionnaires",),
        "test-standards",
    )


# --------------------------------------------------------------------------- deadlines and records, every field

DEADLINES = (
    "data_gathering_days: 45\n"
    "        notice_days: 14\n"
    "        revision_days: 15\n"
    "        records_months_minimum: 12\n"
    "        deadline_confidence: M\n"
    "        deadline_reference: [https://example.org/deadlines]\n"
    "        LATENESS"
)


def deadline_findings(tmp_path: Path, lateness: str, **fields: Any) -> list[tuple[Any, ...]]:
    engine = engine_with(tmp_path, DEADLINES.replace("LATENESS", f"lateness: {lateness}"))
    result = outcome(engine, audit(**fields))
    names = ("data_gathering_days", "report_days", "notice_days", "revision_days", "records_months")
    return [
        (f.check.split(".")[-1], f.status, f.message, str(f.required), str(f.measured), f.due, f.reading, f.sources)
        for f in result.outcome.reasons
        if f.check.split(".")[-1] in names
    ]


LATE_READING = "a missed day limit is an advisory: the partner decides whether it still accepts late work"
PARTNER = "; no published page says what lateness causes: the partner decides whether it accepts the work"


@pytest.mark.parametrize(("lateness", "late", "reading", "more"), [
    ("fails", "fail", "", ""),
    ("partner-decides", "advisory", LATE_READING, PARTNER),
])  # fmt: skip
def test_each_deadline_and_the_records_minimum_state_what_was_measured(
    tmp_path: Path, lateness: str, late: str, reading: str, more: str
) -> None:
    d = dt.date
    deadlines = ("https://example.org/deadlines",)
    sources = ("https://example.org/2000",)
    late_run = deadline_findings(
        tmp_path,
        lateness,
        notice_date="2024-03-10",
        start_date="2024-03-20",
        audit_date="2024-05-09",
        report_date="2024-06-01",
        employer={"name": "E", "records_months": 11},
    )
    assert late_run == [
        ("data_gathering_days", late, f"data gathering took 50 days (over the 45-day limit){more}",
         "<= 45 days", "50 days", d(2024, 5, 4), reading, deadlines),
        ("report_days", late, f"the report was submitted 23 days after the audit (over the 21-day limit){more}",
         "<= 21 days", "23 days", d(2024, 5, 30), reading, deadlines),
        ("notice_days", late, f"the audit was announced 10 days before it started (short of the 14-day notice){more}",
         ">= 14 days", "10 days", d(2024, 3, 6), reading, deadlines),
        ("revision_days", "info", "each revision round the partner asks for must be answered within 15 days",
         "<= 15 days", "None", None, "", deadlines),
        ("records_months", "fail", "11 months of records are fewer than the 12 months this audit needs",
         ">= 12 months", "11 months", None, "", sources),
    ]  # fmt: skip
    on_time = deadline_findings(
        tmp_path,
        lateness,
        notice_date="2024-03-06",
        start_date="2024-03-20",
        audit_date="2024-05-04",
        report_date="2024-05-25",
        employer={"name": "E"},
    )
    assert [(check, status, message) for check, status, message, *_ in on_time] == [
        ("data_gathering_days", "pass", "data gathering took 45 days (within the 45-day limit)"),
        ("report_days", "pass", "the report was submitted 21 days after the audit (within the 21-day limit)"),
        ("notice_days", "pass", "the audit was announced 14 days before it started (meets the 14-day notice)"),
        ("revision_days", "info", "each revision round the partner asks for must be answered within 15 days"),
        ("records_months", "info", "this audit needs at least 12 months of records; the audit does not state "
         "records_months, so this was not checked"),
    ]  # fmt: skip
    assert on_time[-1][3:5] == (">= 12 months", "None")


UNRECORDED = "a day limit the audit's dates cannot show is an advisory (--strict makes it decisive): record the date"


def test_a_day_limit_the_audit_cannot_show_is_an_advisory_never_silence(tmp_path: Path) -> None:
    missing = deadline_findings(tmp_path, "fails", audit_date="2024-05-09", employer={"name": "E"})
    assert [(check, status, message, required, reading) for check, status, message, required, _, _, reading, _ in
            missing[:3]] == [
        ("data_gathering_days", "advisory", "the 45-day data-gathering limit cannot be checked: the audit does not "
         "record start_date", "<= 45 days", UNRECORDED),
        ("report_days", "advisory", "the 21-day report limit cannot be checked: the audit does not record "
         "report_date", "<= 21 days", UNRECORDED),
        ("notice_days", "advisory", "the 14-day notice cannot be checked: the audit does not record notice_date or "
         "start_date", ">= 14 days", UNRECORDED),
    ]  # fmt: skip
    engine = engine_with(tmp_path, DEADLINES.replace("LATENESS", "lateness: fails"))
    strict = engine.score(engine.audit_from_data(audit(audit_date="2024-05-09", employer={"name": "E"})), strict=True)
    assert [f.status for f in strict.outcome.reasons if f.check.endswith("_days")][:3] == ["fail"] * 3


def test_a_date_on_the_wrong_side_is_said_as_it_is(tmp_path: Path) -> None:
    found = deadline_findings(
        tmp_path,
        "fails",
        notice_date="2024-03-22",
        start_date="2024-03-20",
        audit_date="2024-05-09",
        report_date="2024-05-10",
        employer={"name": "E"},
    )
    assert [(check, status, message) for check, status, message, *_ in found[1:3]] == [
        ("report_days", "pass", "the report was submitted 1 day after the audit (within the 21-day limit)"),
        ("notice_days", "fail", "the audit was announced 2 days after it started (short of the 14-day notice)"),
    ]


def test_with_no_rule_in_force_the_outcome_names_the_program_and_the_plugin(tmp_path: Path) -> None:
    result = outcome(engine_with(tmp_path), audit(audit_date="1999-12-31"))
    assert (result.outcome.passed, result.outcome.program, result.outcome.plugin) == (False, "COR", "test-standards")
    reason, *rest = result.outcome.reasons
    assert [(f.check, f.status) for f in rest] == [("sampling.interviews", "info"), ("sampling.sites", "info")]
    assert (reason.check, reason.status, reason.subject, reason.subject_kind, reason.plugin) == (
        "no-rule",
        "fail",
        "COR",
        "program",
        "test-standards",
    )


def test_decide_called_alone_is_not_strict(tmp_path: Path) -> None:
    """``corengine.plugin.decide`` is public: without ``strict`` an advisory (an L-confidence certificate missed
    only on its records) does not fail the audit; with it, it does."""
    from corengine._rules.outcome import decide
    from corengine._rules.scoring import score_audit

    engine = certificates_engine(tmp_path)
    built = engine.audit_from_data(cert_audit(employer={"name": "E", "records_months": 11})).audit
    resolved = engine.resolve("certs")
    score = score_audit(resolved.standard, built, "COR", engine.methods())
    assert decide(resolved, built, score).passed is True
    assert decide(resolved, built, score, strict=True).passed is False


def test_under_a_rounding_rule_the_findings_state_no_exact_reading_and_without_one_they_do(tmp_path: Path) -> None:
    """The "compared exactly" reading belongs to rules that give no rounding: a rule that rounds states its own."""
    exact = outcome(engine_with(tmp_path), audit())
    rounded = outcome(engine_with(tmp_path, "rounding: {places: 0, mode: half_up}"), audit())
    for result, reading in ((exact, EXACT), (rounded, "")):
        readings = {
            (f.check, f.subject, f.reading)
            for f in result.outcome.reasons
            if f.check in ("certification.overall_minimum", "certification.element_minimum") and f.status != "info"
        }
        assert readings == {
            ("certification.overall_minimum", "", reading),
            ("certification.element_minimum", "B", reading),
        }


def test_a_certificate_for_one_program_is_granted_to_that_program_only(tmp_path: Path) -> None:
    path = tmp_path / "certs.yaml"
    path.write_text(
        CERTIFICATES.replace("programs: [COR]", "programs: [COR, SECOR]").replace(
            "          - {certificate: Partner audited,",
            "          - {certificate: COR (3 years), months: 36, programs: [COR]}\n"
            "          - {certificate: SECOR (3 years), months: 36, programs: [SECOR]}\n"
            "          - {certificate: Partner audited,",
        )
    )
    engine = Engine(plugins=[StandardsPlugin(path)], load_entrypoints=False, environ={})
    for program in ("COR", "SECOR"):
        result = engine.score(engine.audit_from_data(cert_audit(program=program)))
        assert result.outcome.certificate == f"{program} (3 years)"
        granted = [f.message for f in result.outcome.reasons if f.check == "certification.certificate"]
        assert granted == [f"grants {program} (3 years)"]  # the other program's certificate is not even named
