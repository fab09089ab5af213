"""Checks on Ontario's data and hooks that scenarios cannot express: the document's shape, the data files'
self-consistency, and that the hooks stay out of other provinces."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

import corengine_ontario.plugin as ontario
from corengine import Engine, InputError
from corengine.model import Audit, Auditor, EligibilityRequest, Employer
from corengine.model.converter import load_file

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

IHSA_ORDER = (
    "Health and Safety Policy and Document and Record Control",
    "Hazard Assessment, Analysis and Control",
    "Controls",
    "Procurement and Contractor Management",
    "Company Rules",
    "Personal Protective Equipment",
    "Preventative Maintenance",
    "Training and Communication",
    "Workplace Inspections",
    "Investigations and Reporting",
    "Emergency Preparedness",
    "Statistics and Records",
    "Legislation and Other Requirements",
    "Management Review and Management of Change",
)
"""The 14 COR 2020 elements in IHSA's order (https://www.ihsa.ca/COR/Steps-to-COR.aspx)."""


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=[ontario], load_entrypoints=False)


def test_cor2020_has_ihsas_fourteen_elements_in_order(engine: Engine) -> None:
    standard = engine.standard("on-ihsa-cor2020")
    assert tuple(e.title for e in standard.elements) == IHSA_ORDER
    assert [e.id for e in standard.elements] == [str(n) for n in range(1, 15)]
    assert standard.reference_document
    assert standard.programs == ("COR",)


def test_every_item_is_numbered_element_section_item_and_scored_0_1_or_2(engine: Engine) -> None:
    standard = engine.standard("on-ihsa-cor2020")
    assert len(standard.questions()) == 60
    for element, question in standard.questions():
        assert re.fullmatch(rf"{element.id}\.\d+\.\d+", question.id), question.id
        assert question.points == 2
        assert question.scoring.steps == (Fraction(0), Fraction(1), Fraction(2))


def test_interviews_name_management_or_workers_and_legislated_items_cite_the_law(engine: Engine) -> None:
    for _, question in engine.standard("on-ihsa-cor2020").questions():
        interviews = [e for e in question.evidence if e.startswith("Interview")]
        if "I" in question.methods:
            assert interviews, f"{question.id} uses interviews but names no interviewee"
            assert all(e.startswith(("Interview (management)", "Interview (workers)")) for e in interviews)
        else:
            assert not interviews, f"{question.id} lists interviews without method I"
        if any(e.startswith("Observation") for e in question.evidence):
            assert "O" in question.methods, question.id
        if question.mandatory:
            assert question.guidance.startswith("Legislated ("), question.id


def test_the_gate_is_100_65_80_and_marked_low_confidence(engine: Engine) -> None:
    rule = next(r for r in engine.standard("on-ihsa-cor2020").rules if r.id == "internal-gate")
    version = rule.versions[0]
    assert (version.overall_minimum, version.element_minimum, version.mandatory_full_marks) == (80, 65, True)
    assert version.confidence == "L"
    assert "overridable" in version.note or "Override" in version.note


@pytest.mark.parametrize("ident", ["on-ihsa-cor2020", "on-ihsa-cor2015"])
def test_every_rule_version_carries_sources_and_confidence(engine: Engine, ident: str) -> None:
    for rule in engine.standard(ident).rules:
        for version in rule.versions:
            assert version.reference and all(r.startswith("http") for r in version.reference)
            assert version.confidence in ("H", "M", "L")


@pytest.mark.parametrize(
    "name", ["ontario-internal-pass.yaml", "ontario-internal-fail.yaml", "ontario-external-pass.yaml"]
)
def test_examples_answer_every_question_and_validate(engine: Engine, name: str) -> None:
    loaded = engine.load_audit(EXAMPLES / name)
    assert engine.problems(loaded) == []
    assert set(loaded.audit.responses) == {q.id for _, q in engine.standard("on-ihsa-cor2020").questions()}


def test_scoring_an_example_twice_gives_the_same_outcome(engine: Engine) -> None:
    first = engine.score(engine.load_audit(EXAMPLES / "ontario-external-pass.yaml"))
    second = engine.score(engine.load_audit(EXAMPLES / "ontario-external-pass.yaml"))
    assert first.outcome == second.outcome


def test_requirements_data_loads_and_uses_only_known_placeholders() -> None:
    data = ontario.requirements()
    assert data.eligibility and data.outcome
    assert [ref.standard for ref in data.ohsms_age] == ["on-ihsa-cor2020", "on-ihsa-cor2015"]


def test_an_unknown_placeholder_in_the_requirements_is_a_located_error() -> None:
    bad = attrs.evolve(
        ontario.requirements(),
        outcome=(
            ontario.Requirement(id="x", message="due {tomorrow}", reference=("https://example.org",), confidence="L"),
        ),
    )
    with pytest.raises(InputError) as caught:
        ontario._check_placeholders(bad, Path("requirements.yaml"))
    assert list(caught.value.problems) == [
        "requirements.yaml: outcome[0].message: unknown placeholder {tomorrow} "
        "(expected one of audit_date, submitted, evidence_from, apply_by, expires)"
    ]


def test_a_typo_in_the_requirements_data_names_the_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "requirements.yaml"
    bad.write_text(
        "ohsms_age: [{standard: on-ihsa-cor2020, rule: internal-gate}]\n"
        "outcome:\n"
        "  - {id: x, message: hello, reference: [https://example.org], confidence: Z}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_file(bad, ontario.Requirements)
    assert list(caught.value.problems) == [f"{bad}:3: outcome[0].confidence: must be one of H, M, L, not 'Z'"]


def test_the_hooks_say_nothing_about_other_provinces() -> None:
    import corengine_alberta.plugin as alberta

    both = Engine(plugins=[alberta, ontario], load_entrypoints=False)
    findings = both.eligibility(EligibilityRequest("AB", employees=8, records_months=6))
    assert findings
    assert not [f for f in findings if f.plugin == ontario.__name__]

    standard = attrs.evolve(both.standard("on-ihsa-cor2020"), jurisdiction="AB")
    audit = Audit(
        standard=standard.id,
        audit_type="internal",
        audit_date=dt.date(2024, 1, 10),
        employer=Employer(name="Elsewhere Ltd."),
        auditor=Auditor(name="A. Auditor", kind="internal"),
        program="SECOR",
    )
    assert ontario.corengine_validate_audit(standard=standard, audit=audit) == []
