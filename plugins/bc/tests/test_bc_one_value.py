"""An overlay restating one value of a rule version (a new source, confidence M) changes only the findings that
value decides: every other finding keeps its status, confidence and sources."""

from __future__ import annotations

from pathlib import Path

import pytest

import corengine_bc.plugin as plugin
from corengine.testing.overrides import assert_only_that_value_changes, override_one_value

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize(
    ("example", "value"),
    [
        ("bc-large-certification.yaml", "overall_minimum"),
        ("bc-large-certification.yaml", "element_minimum"),
        ("bc-small-certification.yaml", "overall_minimum"),
    ],
)
def test_restating_one_value_changes_only_its_findings(tmp_path: Path, example: str, value: str) -> None:
    before, after, rule = override_one_value((plugin,), EXAMPLES / example, value, tmp_path)
    assert_only_that_value_changes(before, after, f"{rule}.{value}")
