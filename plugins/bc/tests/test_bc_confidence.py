"""The confidence policy on BC's data: a shortfall against a value of confidence L (the maintenance pass mark, the
SafetyDriven interview table used for BCCSA) is an advisory and never fails an audit by itself; ``strict`` makes
exactly those shortfalls failures, and a shortfall against an H value (the certification pass mark) fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corengine_bc.plugin as bc
from corengine import Engine
from corengine._io.loading import parse, read_text
from corengine.testing.pytest_plugin import deep_merge

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=[bc], load_entrypoints=False)


def _example(name: str) -> dict[str, Any]:
    text, source = read_text(EXAMPLES / name)
    data, _ = parse(text, source)
    assert isinstance(data, dict)
    return data


LARGE = _example("bc-large-certification.yaml")
QUESTIONS = sorted(q for q, r in LARGE["responses"].items() if "na" not in r)


def _zeroed(response: dict[str, Any]) -> dict[str, Any]:
    """The same response with nothing earned (points 0, or no positive tally)."""
    if "points" in response:
        return {"points": 0}
    return {name: {"positive": 0, "total": tally["total"]} for name, tally in response.items() if name != "note"}


def _maintenance(zeroed: list[str], interviews: int) -> dict[str, Any]:
    responses = {q: _zeroed(LARGE["responses"][q]) for q in zeroed}
    changes = {"audit_type": "maintenance", "interviews_conducted": interviews, "responses": responses}
    data = deep_merge(LARGE, changes)
    for q in zeroed:  # replace the response, so the old points or tallies do not merge into it
        data["responses"][q] = responses[q]
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zeroed=st.lists(st.sampled_from(QUESTIONS), unique=True, max_size=30),
    interviews=st.integers(min_value=0, max_value=30),
)
def test_a_shortfall_on_a_low_confidence_value_never_fails_without_strict(
    engine: Engine, zeroed: list[str], interviews: int
) -> None:
    data = _maintenance(zeroed, interviews)
    lenient = engine.score(engine.audit_from_data(data))
    assert lenient.outcome.passed, [f.message for f in lenient.outcome.reasons if f.status == "fail"]
    assert not [f for f in lenient.outcome.reasons if f.confidence == "L" and f.status == "fail"]
    assert all(f.confidence == "L" for f in lenient.outcome.advisories)
    strict = engine.score(engine.audit_from_data(data), strict=True)
    assert strict.outcome.passed == (not lenient.outcome.advisories)


def test_the_same_shortfall_on_the_certification_pass_mark_of_confidence_h_fails(engine: Engine) -> None:
    data = _maintenance(QUESTIONS[:20], 18)
    data["audit_type"] = "certification"
    result = engine.score(engine.audit_from_data(data))
    assert not result.outcome.passed
    assert any(f.check == "large-certification.overall_minimum" and f.status == "fail" for f in result.outcome.reasons)
