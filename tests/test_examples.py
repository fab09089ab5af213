"""Each example's header comment states the outcome ``corengine score`` prints for it, with and without
``--strict``, and the exit code of ``--check`` follows that outcome: a header never says an audit fails when the
engine passes it subject to advisories."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from corengine._cli.main import cli
from tests.helpers import EXAMPLES

EXAMPLE_FILES = sorted((EXAMPLES).glob("*.yaml"))


def header(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[: next(i for i, line in enumerate(lines) if not line.startswith("#"))]


def stated(path: Path, label: str) -> str:
    found = [line.removeprefix(label).strip() for line in header(path) if line.startswith(label)]
    assert len(found) == 1, f"{path.name}: give one {label!r} line in the header comment"
    return found[0]


def outcome(path: Path, *options: str) -> tuple[str, int]:
    result = CliRunner().invoke(cli, ["score", str(path), "--check", *options])
    assert result.exit_code in (0, 1), result.output
    lines = [
        line.removeprefix("Outcome:").strip() for line in result.output.splitlines() if line.startswith("Outcome:")
    ]
    assert len(lines) == 1, result.output
    return lines[0], result.exit_code


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_the_header_states_the_outcome_score_prints(path: Path) -> None:
    lenient, lenient_code = outcome(path)
    strict, strict_code = outcome(path, "--strict")
    assert (stated(path, "# score:"), stated(path, "# score --strict:")) == (lenient, strict)
    assert (lenient_code, strict_code) == (int(lenient.startswith("NOT")), int(strict.startswith("NOT")))


def test_the_internal_audit_below_the_assumed_gate_passes_subject_to_advisories_unless_strict() -> None:
    path = next(p for p in EXAMPLE_FILES if p.name == "ontario-internal-fail.yaml")
    text = "\n".join(header(path))
    assert "fails the gate" not in text
    assert (stated(path, "# score:"), stated(path, "# score --strict:")) == (
        "PASSED subject to 3 advisory finding(s) — External audit authorised",
        "NOT PASSED",
    )


def test_the_2020_example_mentions_no_date_after_its_audit() -> None:
    import re

    import yaml

    path = next(p for p in EXAMPLE_FILES if p.name == "alberta-acsa-cor-2020-documentation-only.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = [data["notes"], *(r.get("note", "") for r in data["responses"].values() if isinstance(r, dict))]
    years = {int(y) for text in texts for y in re.findall(r"\b(?:19|20)\d\d\b", text)}
    assert years and max(years) <= data["audit_date"].year, sorted(years)
