"""How a response is written, in the words a problem and a blank template give (``answer_text``), and a
percentage as text (``format_percent``), for every answer form."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from corengine import Engine
from corengine._rules.scoring import BUILTIN_METHODS, answer_text, format_percent
from tests.helpers import StandardsPlugin

STANDARD = """\
id: answers
title: Answer forms (test data)
version: "1"
jurisdiction: ZZ
programs: [COR]
elements:
  - id: "A"
    title: Forms
    questions:
      - {id: "A.1", text: Points, points: 10}
      - {id: "A.2", text: Steps, points: 10, na_allowed: true, scoring: {method: awarded, steps: [0, 5, 10]}}
      - {id: "A.3", text: Observed or read, points: 10, methods: [O, D], scoring: {method: range}}
      - {id: "A.4", text: One tally, points: 10, scoring: {method: all_or_nothing, threshold: 80, tally: documents}}
      - {id: "A.5", text: No methods, points: 10, methods: [], scoring: {method: range}}
      - {id: "A.6", text: Read only, points: 10, methods: [D], scoring: {method: range}}
      - {id: "A.7", text: Either, points: 10, methods: [I], na_allowed: true, scoring: either}
rules:
  - id: certification
    title: Certification
    audit_types: [certification]
    versions:
      - {start: 2010-01-01, reference: [https://example.org/answers], confidence: H}
"""

EITHER = attrs.evolve(next(m for m in BUILTIN_METHODS if m.name == "awarded"), name="either", answer="any")


class EitherPlugin:
    name = "either"

    from corengine.plugin import hookimpl

    @hookimpl
    def corengine_register_scoring_methods(self) -> list[object]:
        return [EITHER]


TALLY = "{positive: N, total: N}"


def test_every_answer_form_is_written_as_an_auditor_types_it(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(STANDARD, encoding="utf-8")
    engine = Engine(plugins=[StandardsPlugin(path), EitherPlugin()], load_entrypoints=False, environ={})
    standard = engine.standard("answers")
    texts = {q.id: answer_text(q, engine.methods()) for _, q in standard.questions()}
    assert texts == {
        "A.1": "{points: N} with N from 0 to 10",
        "A.2": "{points: N} with N one of 0, 5, 10, or {na: reason}",
        "A.3": f"{{observations: {TALLY}}} (or interviews, documents; summed)",
        "A.4": f"{{documents: {TALLY}}}",
        "A.5": f"{{interviews: {TALLY}}} (or observations, documents; summed)",
        "A.6": f"{{documents: {TALLY}}} (or interviews, observations; summed)",
        "A.7": f"{{points: N}} with N from 0 to 10 or {{interviews: {TALLY}}} (or observations, documents; summed), "
        "or {na: reason}",
    }


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(-25, 2), 2, "-12.50%"),
        (Fraction(-1, 1000), 2, "0.00%"),  # rounds to no hundredth: no sign
        (Fraction(0), 2, "0.00%"),
        (Fraction(1, 200), 2, "0.01%"),
        (Fraction(161, 2), 0, "81%"),
        (Fraction(-161, 2), 0, "-80%"),  # half up: towards the larger number
        (None, 2, "n/a"),
    ],
)
def test_a_percentage_is_written_rounded_half_up_with_its_sign(value: Fraction | None, places: int, text: str) -> None:
    assert format_percent(value, places) == text
