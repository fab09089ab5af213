"""An overlay restating one value of a rule version (a new source, confidence M) changes only the findings that
value decides: every other finding keeps its status, confidence and sources."""

from __future__ import annotations

from pathlib import Path

import pytest

import corengine_ontario.plugin as plugin
from corengine.testing.overrides import OVERRIDE_SOURCE, assert_only_that_value_changes, override_one_value

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize(
    ("example", "value"),
    [
        ("ontario-internal-pass.yaml", "overall_minimum"),
        ("ontario-external-pass.yaml", "overall_minimum"),
    ],
)
def test_restating_one_value_changes_only_its_findings(tmp_path: Path, example: str, value: str) -> None:
    before, after, rule = override_one_value((plugin,), EXAMPLES / example, value, tmp_path)
    assert_only_that_value_changes(before, after, f"{rule}.{value}")


def test_an_overall_mark_restated_at_m_leaves_the_element_shortfall_an_advisory(tmp_path: Path) -> None:
    # overall 79.17% against the restated 80% (M) now fails; element 9's 50% against the L 65% stays an advisory
    before, after, _ = override_one_value(
        (plugin,), EXAMPLES / "ontario-internal-fail.yaml", "overall_minimum", tmp_path
    )
    overall = [(f.status, f.confidence, f.sources) for f in after if f.check == "internal-gate.overall_minimum"]
    assert overall == [("fail", "M", (OVERRIDE_SOURCE,))]
    old = [(f.status, f.confidence, f.sources) for f in before if f.check == "internal-gate.element_minimum"]
    new = [(f.status, f.confidence, f.sources) for f in after if f.check == "internal-gate.element_minimum"]
    assert new == old and ("advisory", "L") in {(s, c) for s, c, _ in new}
