"""``corengine plan --format json`` pinned for examples that fail in different ways (an element below its
minimum, a legislated-item gate of low confidence) and one that passes: every field of the plan document,
compared with golden files checked by eye. After a deliberate change:
``CORENGINE_UPDATE_GOLDEN=1 pytest tests/test_plan_golden.py``, then read the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from corengine._cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "plans"
EXAMPLES = [
    "alberta-acsa-cor-certification-element-fail",
    "ontario-internal-fail",
    "bc-small-certification",
]


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_plan_document_is_as_checked_by_eye(name: str) -> None:
    """The plan aims at every shortfall, advisories included (``--strict`` gives the same document)."""
    args = ["plan", str(ROOT / "examples" / f"{name}.yaml"), "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(cli, [*args, "--strict"]).stdout == result.stdout
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("CORENGINE_UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
