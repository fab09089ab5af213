"""An overlay restating one value of a rule version (a new source, confidence M) changes only the findings that
value decides: every other finding keeps its status, confidence and sources."""

from __future__ import annotations

from pathlib import Path

import pytest

import corengine_alberta.plugin as plugin
from corengine.testing.overrides import assert_only_that_value_changes, audit_data, override_one_value

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize(
    ("example", "audit_type", "value"),
    [
        ("alberta-acsa-cor-certification-pass.yaml", None, "overall_minimum"),
        ("alberta-acsa-cor-certification-pass.yaml", None, "element_minimum"),
        # the partner's case: a maintenance mark restated at M leaves element 7's L shortfall an advisory
        ("alberta-acsa-cor-certification-element-fail.yaml", "maintenance", "overall_minimum"),
        ("alberta-esc-cor-recertification.yaml", None, "overall_minimum"),
    ],
)
def test_restating_one_value_changes_only_its_findings(
    tmp_path: Path, example: str, audit_type: str | None, value: str
) -> None:
    audit = audit_data(EXAMPLES / example)
    if audit_type:
        audit["audit_type"] = audit_type
    before, after, rule = override_one_value((plugin,), audit, value, tmp_path)
    assert_only_that_value_changes(before, after, f"{rule}.{value}")
