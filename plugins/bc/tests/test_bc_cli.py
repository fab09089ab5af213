"""The bundled BC examples through the installed ``corengine`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corengine._cli.main import cli

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize(
    ("name", "certificate", "overall"),
    [
        ("bc-large-certification.yaml", "Large COR (3 years)", "144/160"),
        ("bc-small-certification.yaml", "Small COR (3 years)", "94/104"),
    ],
)
def test_the_examples_score_and_certify(name: str, certificate: str, overall: str) -> None:
    result = CliRunner().invoke(cli, ["score", "--check", "--format", "json", str(EXAMPLES / name)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["outcome"]["passed"] is True
    assert data["outcome"]["certificate"] == certificate
    assert f"{data['overall']['earned']}/{data['overall']['available']}" == overall
    assert data["standard"]["plugin"] == "bc"


def test_scoring_twice_gives_the_same_bytes() -> None:
    args = ["score", "--format", "json", str(EXAMPLES / "bc-large-certification.yaml")]
    first, second = CliRunner().invoke(cli, args), CliRunner().invoke(cli, args)
    assert first.exit_code == 0 and first.output == second.output


def test_the_examples_validate() -> None:
    for name in ("bc-large-certification.yaml", "bc-small-certification.yaml"):
        result = CliRunner().invoke(cli, ["validate", str(EXAMPLES / name)])
        assert result.exit_code == 0, result.output


def test_the_cycle_check_reads_the_calendar_years_the_plugin_sets() -> None:
    audit = str(EXAMPLES / "bc-large-certification.yaml")
    wide = {"COLUMNS": "10000"}  # one line per finding, so each message is matched whole
    result = CliRunner().invoke(cli, ["cycle", audit, "--on", "2026-06-30", "--check"], env=wide)
    assert result.exit_code == 0, result.output  # nothing missed yet: 2026's window is open, 2027's upcoming
    assert "maintenance audit due by 2026-12-31: not done yet" in result.output
    assert "maintenance audit due between 2027-01-01 and 2027-12-31" in result.output
    assert "worksite 'Harbourview Lofts' has not been covered by an audit in this cycle yet" in result.output
    result = CliRunner().invoke(cli, ["cycle", audit, "--on", "2027-01-01", "--check"], env=wide)
    assert result.exit_code == 1, result.output
    assert "no maintenance audit by 2026-12-31" in result.output
    # A missed maintenance audit cancels the COR and ends its cycle: 2027's audit is no longer judged.
    assert result.output.startswith(
        "Cancelled on 2027-01-01: Large COR (3 years) (maintenance by 2026-12-31 missed): 1 missed\n"
    )
    assert "maintenance audit due by 2027-12-31" not in result.output
