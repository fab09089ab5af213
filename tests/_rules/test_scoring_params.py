"""Scoring methods that take params declared in the standard and say how they are answered.

The methods and the standard (``tests/data/standards/test-params.yaml``) are test data, not a partner's rules.
"""

from __future__ import annotations

import datetime as dt
import io
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from attrs import field, frozen
from click.testing import CliRunner

from corengine import Engine, hookimpl
from corengine._cli.main import cli
from corengine._formats.xlsx import write_workbook
from corengine._formats.yaml_workbook import blank, describe
from corengine._rules.scoring import ScoringMethod, answer_form, params_of
from corengine.errors import InputError
from corengine.model import FieldError, Question, Response, Scoring
from tests.helpers import DATA

PARAMS_STANDARD = DATA / "standards" / "test-params.yaml"


def _positive(_inst: object, attribute: Any, value: Fraction) -> None:
    if value <= 0:
        raise FieldError(attribute.name, f"must be > 0, not {value}")


@frozen
class PerItem:
    """Params of the test method ``per_item``: points for each positive item of one tally."""

    each: Fraction = field(validator=_positive)
    """Points per positive item."""
    tally: str = "interviews"
    """The tally counted."""


def _per_item_score(question: Question, response: Response) -> tuple[Fraction, str]:
    params = params_of(question, PerItem)
    tally = response.tallies()[params.tally]
    earned = min(question.points, params.each * tally.positive)
    return earned, f"{tally.positive} x {params.each} points -> {earned} of {question.points}"


def _per_item_validate(question: Question, response: Response) -> list[str]:
    name = params_of(question, PerItem).tally
    return [] if name in response.tallies() else [f"expected {name} with positive and total"]


def _per_item_check(question: Question, params: PerItem) -> list[str]:
    if params.each > question.points:
        return [f"each ({params.each}) must not exceed the question's {question.points} points"]
    return []


def _judged_validate(question: Question, response: Response) -> list[str]:
    return [] if response.points is not None else ["expected points"]


class MethodsPlugin:
    """A test plugin: two scoring methods and the test standard."""

    name = "test-methods"

    def __init__(self, *paths: Path) -> None:
        self.paths = list(paths) or [PARAMS_STANDARD]

    @hookimpl
    def corengine_register_standards(self) -> list[Path]:
        return self.paths

    @hookimpl
    def corengine_register_scoring_methods(self) -> list[ScoringMethod]:
        return [
            ScoringMethod(
                "per_item",
                _per_item_score,
                _per_item_validate,
                "points for each positive item",
                answer="tally",
                params=PerItem,
                check=_per_item_check,
            ),
            ScoringMethod(
                "judged",
                lambda q, r: (r.points or Fraction(0), f"judged {r.points}"),
                _judged_validate,
                "the auditor's judgement",
                answer="points",
            ),
        ]


def make(*paths: Path) -> Engine:
    return Engine(plugins=[MethodsPlugin(*paths)], load_entrypoints=False, environ={})


def audit(**responses: Any) -> dict[str, Any]:
    return {
        "standard": "test-params",
        "audit_type": "certification",
        "audit_date": "2024-05-10",
        "employer": {"name": "Test Co"},
        "auditor": {"name": "A. Auditor", "kind": "external"},
        "responses": responses,
    }


def standard_with(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "test-params.yaml"
    text = PARAMS_STANDARD.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_params_reach_the_method_and_the_short_form_names_a_method() -> None:
    engine = make()
    standard = engine.standard("test-params")
    first, second, third = (q for _, q in standard.questions())
    assert first.scoring == Scoring(method="per_item", params={"each": 2, "tally": "interviews"})
    assert params_of(first, PerItem) == PerItem(Fraction(2), "interviews")
    assert (second.scoring, third.scoring) == (Scoring(method="judged"), Scoring(method="range"))
    result = engine.score(
        engine.audit_from_data(
            audit(
                **{
                    "1.1": {"interviews": {"positive": 4, "total": 5}},
                    "1.2": {"points": 5},
                    "1.3": {"documents": {"positive": 3, "total": 3}},
                }
            )
        )
    )
    scores = [(q.id, q.earned, q.explanation) for e in result.score.elements for q in e.questions]
    assert scores == [
        ("1.1", Fraction(8), "4 x 2 points -> 8 of 10"),
        ("1.2", Fraction(5), "judged 5"),
        ("1.3", Fraction(5), "3/3 positive x 5 = 5, rounded down to a whole point -> 5"),
    ]
    assert (result.score.earned, result.score.available, result.outcome.passed) == (18, 20, True)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "params: {each: 2, tally: interviews}",
            "params: {eahc: 2, tally: interviews}",
            20,
            "elements[0].questions[0].scoring.params.each: required key is missing",
        ),
        (
            "params: {each: 2, tally: interviews}",
            "params: {each: 0, tally: interviews}",
            20,
            "elements[0].questions[0].scoring.params.each: must be > 0, not 0",
        ),
        (
            "params: {each: 2, tally: interviews}",
            "params: {each: 20, tally: interviews}",
            20,
            "elements[0].questions[0].scoring.params: each (20) must not exceed the question's 10 points",
        ),
        (
            "method: per_item",
            "method: per_itme",
            19,
            "elements[0].questions[0].scoring.method: unknown scoring method 'per_itme' "
            "(did you mean 'per_item'? registered: all_or_nothing, awarded, judged, per_item, range)",
        ),
        (
            "scoring: judged}",
            "scoring: {method: judged, params: {each: 1}}}",
            21,
            "elements[0].questions[1].scoring.params: scoring method 'judged' takes no params",
        ),
    ],
)
def test_bad_scoring_is_reported_when_the_standard_loads_naming_its_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    path = standard_with(tmp_path, old, new)
    engine = make(path)
    with pytest.raises(InputError) as caught:
        engine.standard("test-params")
    assert str(caught.value.problems[0]) == f"{path}:{line}: {message}"
    assert caught.value.problems[0].file == str(path)


def test_an_unknown_key_in_params_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = standard_with(tmp_path, "params: {each: 2, tally: interviews}", "params: {each: 2, talyl: interviews}")
    with pytest.raises(InputError) as caught:
        make(path).standard("test-params")
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:20: elements[0].questions[0].scoring.params.talyl: unknown key (did you mean 'tally'? "
        "expected one of: each, tally)"
    ]


def test_a_misspelt_method_stops_new_and_show_with_the_standards_line(tmp_path: Path) -> None:
    path = standard_with(tmp_path, "scoring: range}", "scoring: rnage}")
    result = CliRunner().invoke(cli, ["show", "--standard-file", str(path), "test-params"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert (
        f"{path}:22: elements[0].questions[2].scoring.method: unknown scoring method 'rnage' (did you mean 'range'?"
        in result.output
    )


def test_each_method_says_how_it_is_answered() -> None:
    engine = make()
    standard = engine.standard("test-params")
    methods = engine.methods()
    assert [answer_form(q, methods) for _, q in standard.questions()] == ["tally", "points", "tally"]
    assert answer_form(standard.elements[0].questions[1]) == "any"  # without the registry: not known
    text = blank(standard, "COR", methods)
    assert "  #   answer: {interviews: {positive: N, total: N}} (or observations, documents; summed)\n" in text
    assert "  #   answer: {points: N} with N from 0 to 5\n" in text
    assert "  # 1.2 (5 points; D; judged: the auditor's judgement)\n" in text


def test_the_spreadsheet_opens_only_the_columns_of_the_methods_answer_form() -> None:
    engine = make()
    raw = write_workbook(engine.standard("test-params"), "COR", engine.methods())
    sheet = openpyxl.load_workbook(io.BytesIO(raw))["Responses"]
    rows = {sheet[f"A{row}"].value: row for row in range(2, sheet.max_row + 1)}

    def opened(qid: str) -> str:
        return "".join(c for c in "GHIJ" if not sheet[f"{c}{rows[qid]}"].protection.locked)

    assert (opened("1.1"), opened("1.2"), opened("1.3")) == ("HIJ", "G", "HIJ")
    assert sheet[f"E{rows['1.2']}"].value == "judged: the auditor's judgement; points: 0 to 5"
    unknown = write_workbook(engine.standard("test-params"), "COR")  # without the registry: every column
    sheet = openpyxl.load_workbook(io.BytesIO(unknown))["Responses"]
    assert opened("1.2") == "GHIJ"


def test_show_states_the_answer_form_of_a_plugins_method() -> None:
    engine = make()
    text = describe(engine.resolve("test-params"), dt.date(2024, 1, 1), methods=engine.methods())
    assert "[I; per_item: points for each positive item; answered by tally]" in " ".join(text.split())
    assert "[D; judged: the auditor's judgement; answered by points]" in " ".join(text.split())


def test_a_method_without_the_new_fields_is_registered_as_before() -> None:
    method = ScoringMethod("constant", lambda q, r: (q.points, "full"), lambda q, r: [], "test")
    assert (method.answer, method.params, method.check) == ("any", None, None)
    with pytest.raises(ValueError, match="must be one of points, tally, any, not 'criteria'"):
        ScoringMethod("bad", lambda q, r: (q.points, ""), lambda q, r: [], answer="criteria")  # type: ignore[arg-type]


def test_every_bad_scoring_of_a_standard_is_reported_in_one_pass(tmp_path: Path) -> None:
    """Two unknown methods (one with no close name) and bad params on another question: all three at once."""
    path = standard_with(tmp_path, "scoring: judged}", "scoring: zzz}")
    text = path.read_text(encoding="utf-8")
    text = text.replace("scoring: range}", "scoring: rnage}").replace("params: {each: 2,", "params: {each: 0,")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        make(path).standard("test-params")
    known = "registered: all_or_nothing, awarded, judged, per_item, range"
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:20: elements[0].questions[0].scoring.params.each: must be > 0, not 0",
        f"{path}:21: elements[0].questions[1].scoring.method: unknown scoring method 'zzz' ({known})",
        f"{path}:22: elements[0].questions[2].scoring.method: unknown scoring method 'rnage' "
        f"(did you mean 'range'? {known})",
    ]


def test_the_points_method_says_what_answer_it_expected() -> None:
    from corengine._rules.scoring import BUILTIN_METHODS
    from corengine.model import Tally

    awarded = next(m for m in BUILTIN_METHODS if m.name == "awarded")
    question = Question(id="q", text="t", points=Fraction(10))
    assert awarded.validate(question, Response(interviews=Tally(1, 2))) == [
        "expected points (this question is scored by the auditor), not tallies"
    ]
