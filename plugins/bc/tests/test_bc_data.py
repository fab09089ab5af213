"""The BC data keeps its own promises: the Small subset, the sampling table, values stated twice agree."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import attrs

import corengine_bc.plugin as bc
from corengine import Engine
from corengine_bc.program import program

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def engine() -> Engine:
    return Engine(plugins=[bc], load_entrypoints=False)


def test_every_question_names_its_programs_and_every_element_has_small_questions() -> None:
    standard = engine().standard("bc-bccsa-cor")
    assert [e.id for e in standard.elements] == [str(n) for n in range(1, 15)]
    assert standard.elements[13].title == "Procurement and Contractor Management"
    assert standard.reference_document
    for element in standard.elements:
        assert 3 <= len(element.questions) <= 5, element.id
        for question in element.questions:
            assert question.programs in (("Large",), ("Large", "Small")), question.id
            assert question.id.startswith(f"{element.id}."), question.id
        assert any("Small" in q.programs for q in element.questions), element.id


def test_the_document_mixes_partial_points_and_tally_scoring() -> None:
    questions = [q for _, q in engine().standard("bc-bccsa-cor").questions()]
    methods = {q.scoring.method for q in questions}
    assert methods == {"awarded", "all_or_nothing", "range"}
    assert any(q.scoring.steps for q in questions)


def test_the_interview_table_covers_1_to_549_without_gaps_or_overlaps_then_asks() -> None:
    sampling = engine().standard("bc-bccsa-cor").sampling
    assert sampling is not None
    (table,) = sampling.interviews
    rows = table.rows
    assert rows[0].min == 1
    for before, after in itertools.pairwise(rows):
        assert before.max is not None
        assert after.min == before.max + 1, (before, after)
    assert rows[-1].min == 550 and rows[-1].max is None and rows[-1].value == "ask"
    counts = [int(r.value) for r in rows if r.value not in ("all", "ask")]
    assert counts == sorted(counts) and counts[0] == 4 and counts[-1] == 63


def test_the_external_notice_in_the_program_data_matches_the_rule_data() -> None:
    standard = engine().standard("bc-bccsa-cor")
    days = {v.notice_days for r in standard.rules for v in r.versions if v.notice_days is not None}
    assert days == {program().external_notice.days}
    assert standard.partner in program().external_notice.partners


def test_the_pass_marks_are_80_overall_and_50_per_element_for_every_rule() -> None:
    for rule in engine().standard("bc-bccsa-cor").rules:
        for version in rule.versions:
            if version.not_accepted:  # an audit type WorkSafeBC does not accept (action plans): no pass mark
                continue
            assert version.overall_minimum == Fraction(80)
            assert version.element_minimum == Fraction(50)
            assert version.methods_required == ("D", "I", "O")
            assert version.reference
            expected = "L" if rule.audit_types == ("maintenance",) else "H"
            assert version.confidence == expected, rule.id


def test_the_jurisdiction_sizes_by_fte_from_2080_hours() -> None:
    (_, jurisdiction) = engine().jurisdictions()["BC"]
    assert jurisdiction.fte_hours == 2080
    assert jurisdiction.baseline == "bc-bccsa-cor"
    (version,) = jurisdiction.eligibility
    assert version.measure == "fte"
    assert any("19 and 20" in note.text for note in version.notes)


def test_a_standard_of_another_province_gets_no_bc_findings() -> None:
    from corengine_bc import review
    from corengine_bc.plugin import jurisdiction

    bc_engine = engine()
    resolved = bc_engine.resolve("bc-bccsa-cor")
    other = attrs.evolve(resolved, standard=attrs.evolve(resolved.standard, jurisdiction="AB"))
    audit = bc_engine.load_audit(EXAMPLES / "bc-large-certification.yaml").audit
    outcome = bc_engine.score(audit).outcome
    assert review.review(program(), jurisdiction(), other, audit, outcome) == []
    assert review.review(program(), jurisdiction(), resolved, audit, outcome)
