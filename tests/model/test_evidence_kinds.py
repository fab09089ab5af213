"""The evidence vocabulary and the shipped standards' expected evidence and themes (bad evidence indexes:
``tests/_formats/test_evidence_index.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corengine import Engine
from corengine.errors import InputError
from corengine.model import Expectation, FieldError
from corengine.model.evidence_kinds import CORE, KINDS, ROLES, THEMES, vocabulary
from tests.helpers import convention_problems, question_bearing

# --------------------------------------------------------------------------- vocabulary


def test_the_vocabulary_names_the_kinds_the_issue_lists() -> None:
    for kind in (
        "policy",
        "hazard-assessment",
        "flha",
        "inspection-record",
        "training-record",
        "orientation-record",
        "incident-report",
        "drill-record",
        "committee-minutes",
        "maintenance-log",
    ):
        assert kind in CORE
    assert len(CORE) == len(KINDS), "kind ids are unique"
    assert all(k.description.endswith(".") and k.title for k in KINDS)


def test_the_fifteen_common_themes() -> None:
    assert list(THEMES) == [
        "policy-leadership",
        "hazard-assessment",
        "hazard-control",
        "inspections",
        "training-orientation",
        "emergency-response",
        "incident-investigation",
        "records-statistics",
        "committees-representatives",
        "contractors-procurement",
        "legislation",
        "management-review-change",
        "ppe",
        "preventive-maintenance",
        "company-rules",
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "kind", "give exactly one of kind, interview or observe"),
        (
            {"kind": "policy", "observe": "x"},
            "observe",
            "give exactly one of kind, interview or observe, not kind and observe",
        ),
        (
            {"interview": ("workers",), "within_months": 12},
            "within_months",
            "applies only to a kind of document or record",
        ),
        ({"interview": ("bosses",)}, "interview", "unknown role 'bosses'"),
        ({"kind": "policy", "count": 0}, "count", "must be >= 1, not 0"),
    ],
)
def test_an_expectation_says_what_is_wrong(data: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(FieldError) as info:
        Expectation(**data)  # type: ignore[arg-type]
    assert info.value.field == field
    assert str(info.value).startswith(message)


def test_roles_have_descriptions() -> None:
    assert set(ROLES) >= {"senior-management", "managers", "supervisors", "workers", "new-workers"}


# --------------------------------------------------------------------------- shipped data


def test_five_shipped_standards_bear_questions(installed: Engine) -> None:
    assert question_bearing(installed) == [
        "ab-acsa-cor",
        "ab-acsa-secor",
        "ab-esc-cor",
        "bc-bccsa-cor",
        "on-ihsa-cor2020",
    ]


def test_every_question_declares_expected_evidence_and_every_element_a_theme(installed: Engine) -> None:
    assert convention_problems(installed) == []


def test_every_theme_is_used_by_every_full_cor_document(installed: Engine) -> None:
    for ident in ("ab-acsa-cor", "on-ihsa-cor2020"):
        standard = installed.standard(ident)
        used = {t for e, q in standard.questions() for t in (q.themes or e.themes)}
        assert used == set(THEMES), ident


def test_ontario_extends_the_vocabulary_as_data(installed: Engine) -> None:
    ontario = vocabulary(installed.standard("on-ihsa-cor2020"))
    assert ontario.added == {"working-at-heights-record"}
    assert ontario.kinds["working-at-heights-record"].form == "record"
    assert "working-at-heights-record" not in vocabulary(installed.standard("ab-acsa-cor")).kinds


STANDARD_HEAD = """id: {id}
title: Test
version: "1"
jurisdiction: ZZ
programs: [COR]
"""


def _standard_file(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(STANDARD_HEAD.format(id=name) + body, encoding="utf-8")
    return path


QUESTION = """elements:
  - id: "1"
    title: One
    themes: [{theme}]
    questions:
      - id: "1.1"
        text: A question.
        points: 10
        expects:
          - {{kind: {kind}, within_months: 12}}
"""


def test_an_unknown_kind_in_plugin_data_is_a_load_error_with_file_line_and_path(tmp_path: Path) -> None:
    path = _standard_file(tmp_path, "zz-bad", QUESTION.format(theme="inspections", kind="inspection-records"))
    engine = Engine(load_entrypoints=False, environ={})
    with pytest.raises(InputError) as info:
        engine.add_standard_file(path)
    assert info.value.problems == (
        f"{path}:15: elements[0].questions[0].expects[0].kind: unknown evidence kind 'inspection-records' "
        "(did you mean 'inspection-record'? `corengine map STANDARD --vocabulary` lists them)",
    )


def test_an_unknown_theme_is_a_load_error(tmp_path: Path) -> None:
    path = _standard_file(tmp_path, "zz-theme", QUESTION.format(theme="safety", kind="policy"))
    with pytest.raises(InputError) as info:
        Engine(load_entrypoints=False, environ={}).add_standard_file(path)
    (line,) = info.value.problems
    assert line.text().startswith(f"{path}:9: elements[0].themes: unknown theme 'safety' (themes: policy-leadership, ")


def test_a_plugin_kind_is_usable_here_and_in_standards_extending_it(tmp_path: Path) -> None:
    base = _standard_file(
        tmp_path,
        "zz-base",
        "evidence_kinds:\n  - {id: h2s-ticket, title: H2S tickets, description: H2S Alive certificates., form: record}\n"
        + QUESTION.format(theme="training-orientation", kind="h2s-ticket"),
    )
    child = _standard_file(
        tmp_path,
        "zz-child",
        "extends: zz-base\n" + QUESTION.format(theme="training-orientation", kind="h2s-ticket").replace('"1"', '"2"'),
    )
    engine = Engine(load_entrypoints=False, environ={})
    engine.add_standard_file(base)
    merged = engine.add_standard_file(child)
    assert [k.id for k in engine.standard(merged.id).evidence_kinds] == ["h2s-ticket"]
    assert vocabulary(engine.standard("zz-child")).get("h2s-ticket") is not None


def test_a_plugin_kind_may_not_shadow_a_core_kind(tmp_path: Path) -> None:
    path = _standard_file(
        tmp_path,
        "zz-clash",
        "evidence_kinds:\n  - {id: policy, title: Policy, description: Ours.}\n"
        + QUESTION.format(theme="policy-leadership", kind="policy"),
    )
    with pytest.raises(InputError) as info:
        Engine(load_entrypoints=False, environ={}).add_standard_file(path)
    assert info.value.problems == (
        f"{path}:7: evidence_kinds[0].id: 'policy' is already a core evidence kind; use it as it is",
    )


def test_months_on_a_document_kind_is_an_error(tmp_path: Path) -> None:
    body = QUESTION.format(theme="policy-leadership", kind="policy").replace("within_months: 12", "months: 12")
    path = _standard_file(tmp_path, "zz-months", body)
    with pytest.raises(InputError) as info:
        Engine(load_entrypoints=False, environ={}).add_standard_file(path)
    assert info.value.problems == (
        f"{path}:15: elements[0].questions[0].expects[0].months: applies only to record kinds; 'policy' is a document",
    )
